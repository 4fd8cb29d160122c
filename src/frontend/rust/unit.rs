//! What the Rust front end hands to the crate-resolution step, as data kept
//! in [`FileFacts`](crate::facts::FileFacts) (and so in the cache): a Rust
//! file's summary and the facts it could not decide alone, and a Cargo
//! manifest's dependency names.
//!
//! A candidate carries everything its fact needs (span, anchor, attribute
//! values) but for what only the crate knows, because resolution runs
//! without any file's text.

use serde::{Deserialize, Serialize};

use super::envcfg::EnvRead;
use super::summary::Summary;
use crate::facts::{DataKind, Fact};
use crate::span::Span;

/// One Rust file, as the crate-resolution step sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RustUnit {
    pub(crate) summary: Summary,
    /// Facts that need the crate, in the order the analysis met them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) pending: Vec<Candidate>,
    /// Indices in the file's `facts` of the facts the last resolution
    /// inserted, so that resolving again (facts reloaded from the cache)
    /// starts from the file's own facts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) resolved_at: Vec<usize>,
}

/// A fact (or facts) whose existence or attributes depend on other files of
/// the crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Candidate {
    /// How many of the file's own facts precede it.
    pub at: usize,
    pub what: Pending,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Pending {
    /// Contact fields (`ContactField` facts) whose store is the crate's to
    /// say.
    Fields { store: StoreFill, facts: Vec<Fact> },
    /// A router route of this file (index into the summary's route table):
    /// its handler, the types it returns or a router-wrapping function may
    /// live in another module.
    Route { route: usize, anchor: String },
    /// An actix/rocket attribute route on a handler of this file (index into
    /// the summary's handlers), registered or wrapped elsewhere.
    AttrRoute { handler: usize, anchor: String },
    /// A log call that names a bare macro or values of crate types.
    Log(LogCandidate),
    /// A field read that is a connection URL when its struct is filled
    /// from the environment somewhere in the crate.
    EnvRead(EnvRead),
}

/// What a contact field's store depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StoreFill {
    /// A relational column: the engine is the crate's one relational engine
    /// (the files' client mentions), else `fallback`.
    Relational { fallback: Option<String> },
    /// A serde struct's field: stored only if some module writes the struct
    /// (directly, or nested in a written type), in that write's store.
    Written { name: String },
}

/// A log, trace or print call whose values (or very being a log call) need
/// crate knowledge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LogCandidate {
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
    pub anchor: String,
    pub macro_name: String,
    /// A bare macro name (`info!`) neither imported nor `#[macro_use]`d in
    /// the file: a log call only when the crate depends on `tracing`/`log` or
    /// another file has `#[macro_use] extern crate log`.
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub gated: bool,
    pub parts: Vec<LogPart>,
    /// When the gate stays shut the macro is someone else's: the log calls
    /// inside its arguments count instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub otherwise: Vec<LogCandidate>,
}

/// One value of a log call, in argument order; the call's kind is the first
/// contact value's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LogPart {
    /// Decided in the file.
    Hit { kind: DataKind, text: String },
    /// A variable of a named type that classifies as `kind` by name and
    /// type, unless the type is a struct (a struct is judged by its fields).
    Var {
        text: String,
        ty: String,
        kind: DataKind,
    },
    /// `base.field`: classified by the field's name and declared type; by
    /// its name alone (`untyped`) when the base's struct or field is unknown.
    Field {
        text: String,
        base: TypeExpr,
        field: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        untyped: Option<DataKind>,
    },
    /// `primary`; when that yields nothing, the first contact field of the
    /// Debug-formatted type `ty`, shown as `text`.
    Debug {
        primary: Vec<LogPart>,
        ty: TypeExpr,
        text: String,
    },
}

/// A type reached from a local's type through field accesses
/// (`lead.owner.address`: `Lead`, then `owner`, then `address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TypeExpr {
    pub root: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// A `Cargo.toml`, as far as crate resolution needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CargoManifest {
    /// Names of the dependencies of every kind (normal, dev, build,
    /// target-specific, workspace), and the packages they rename.
    pub dependencies: Vec<String>,
}

impl CargoManifest {
    /// The crate logs through `tracing` or `log`.
    pub fn uses_log(&self) -> bool {
        self.dependencies
            .iter()
            .any(|d| matches!(d.as_str(), "tracing" | "log"))
    }
}
