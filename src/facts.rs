//! The fact model: what the front ends extract from files and what rules,
//! the linker and the reports speak. Front ends know file formats, not rules;
//! rules know facts, not file formats.
//!
//! Every fact carries the [`Span`] it was read from and the normalised text of
//! that span's first line (`anchor`), which findings use for fingerprints that
//! survive line shifts.

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// The kind of personal contact data a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataKind {
    Email,
    Phone,
    Address,
    DateOfBirth,
}

impl DataKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DataKind::Email => "email",
            DataKind::Phone => "phone",
            DataKind::Address => "address",
            DataKind::DateOfBirth => "date-of-birth",
        }
    }

    /// Words for a sentence about many: "e-mail addresses".
    pub fn describe_plural(self) -> &'static str {
        match self {
            DataKind::Email => "e-mail addresses",
            DataKind::Phone => "phone numbers",
            DataKind::Address => "postal addresses",
            DataKind::DateOfBirth => "dates of birth",
        }
    }

    /// Words for a sentence: "an e-mail address".
    pub fn describe(self) -> &'static str {
        match self {
            DataKind::Email => "e-mail address",
            DataKind::Phone => "phone number",
            DataKind::Address => "postal address",
            DataKind::DateOfBirth => "date of birth",
        }
    }
}

/// Where a contact field was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldOrigin {
    /// A column in a `.sql` file's CREATE/ALTER TABLE.
    SqlColumn,
    /// A field of a persisted Rust struct.
    RustField,
    /// A column of a diesel `table!` schema.
    DieselColumn,
    /// A column named by SQL inside a Rust string literal.
    SqlInRust,
    /// A property of a search-index mapping or collection schema.
    Mapping,
}

impl FieldOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldOrigin::SqlColumn => "sql-column",
            FieldOrigin::RustField => "rust-field",
            FieldOrigin::DieselColumn => "diesel-column",
            FieldOrigin::SqlInRust => "sql-in-rust",
            FieldOrigin::Mapping => "mapping",
        }
    }
}

/// How a deployment or code declares a datastore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Compose,
    Kubernetes,
    Helm,
    Cloudformation,
    ConfigFile,
    Rust,
    Sql,
    Json,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Compose => "compose",
            Source::Kubernetes => "kubernetes",
            Source::Helm => "helm",
            Source::Cloudformation => "cloudformation",
            Source::ConfigFile => "config-file",
            Source::Rust => "rust",
            Source::Sql => "sql",
            Source::Json => "json",
        }
    }
}

/// A persisted field that holds contact data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactField {
    /// Table, struct, index or collection that holds the field.
    pub container: String,
    /// The stored name (after `rename` attributes).
    pub name: String,
    pub kind: DataKind,
    pub origin: FieldOrigin,
    /// Platform identifiers stored beside it (handles, follower counts…):
    /// non-empty means the container is a platform-derived profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_signals: Vec<String>,
    /// Engine family the field is stored in, when the declaration says
    /// (`relational`, `search`, `document`, `key-value`), for linking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_family: Option<String>,
    /// A concrete engine when known (`postgres`, `mongodb`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_engine: Option<String>,
}

/// A log/trace/print call that writes contact data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogCall {
    /// `tracing::info`, `println`, `#[instrument]`…
    pub macro_name: String,
    /// The expressions that carry contact data, as written (`user.email`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    pub kind: DataKind,
}

/// An HTTP route whose handler serves contact data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub framework: String,
    pub method: String,
    pub path: String,
    pub handler: String,
    /// The contact fields the handler returns (`CreatorContact.email`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub authenticated: bool,
}

/// A datastore connection in code or config (a URL, a client builder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub engine: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The URL as written, with any password masked.
    pub target: String,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub has_credentials: bool,
    /// A credential that is a well-known default or empty.
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub weak_credential: bool,
    /// The environment variable the URL came from, when read from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_var: Option<String>,
}

/// A datastore declared by a deployment (compose service, Kubernetes
/// workload, CloudFormation resource, Helm sub-chart, config file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Datastore {
    /// Unique within its file: `compose:search`, `k8s:default/mongo`…
    pub key: String,
    pub engine: String,
    pub name: String,
    pub source: Source,
    /// Names code may use to reach it (service names, aliases, DNS forms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
}

/// A way a datastore is reachable from outside its host or network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    /// The [`Datastore::key`] in the same file, when the exposure is of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore: Option<String>,
    pub engine: String,
    pub store_name: String,
    pub source: Source,
    /// A stable kind id: `published-port`, `host-network`, `load-balancer`…
    pub how: String,
    /// Words for the message: "publishes 9200 on all interfaces".
    pub detail: String,
}

/// A datastore (or data-serving endpoint) that lacks authentication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthGap {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore: Option<String>,
    pub engine: String,
    pub store_name: String,
    pub source: Source,
    /// `security-disabled`, `no-credentials`, `trust`, `default-password`…
    pub how: String,
    pub detail: String,
}

/// Code that writes values of a struct type into a datastore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreWrite {
    pub type_name: String,
    pub engine: String,
    /// Index, collection or table written to, when a literal names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// An environment variable's value as a deployment sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvValue {
    /// The service/workload it is set for (None for `.env` files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub name: String,
    pub value: String,
}

/// A datastore container that loads SQL from a host folder at start
/// (`./migrations:/docker-entrypoint-initdb.d`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitScripts {
    pub datastore: String,
    /// Host folder relative to the declaring file's folder.
    pub host_path: String,
}

/// The linker's conclusion: contact data stored in a reachable and/or
/// unauthenticated datastore. Related locations carry each link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposedStore {
    pub engine: String,
    pub store_name: String,
    pub reachable: bool,
    pub unauthenticated: bool,
    /// `container.field` of each stored contact field.
    pub fields: Vec<String>,
    pub exposure: Option<String>,
    pub auth_gap: Option<String>,
    pub links: Vec<ChainLink>,
    /// Links that rest on inference rather than a direct reference.
    pub inferred: Vec<String>,
    /// One sentence: what is stored where, and why it is exposed.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainLink {
    pub path: String,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactData {
    ContactField(ContactField),
    LogCall(LogCall),
    Route(Route),
    Connection(Connection),
    Datastore(Datastore),
    Exposure(Exposure),
    AuthGap(AuthGap),
    StoreWrite(StoreWrite),
    EnvValue(EnvValue),
    InitScripts(InitScripts),
    ExposedStore(ExposedStore),
}

/// The names rules use for fact kinds (`match.fact`).
pub const FACT_KINDS: &[&str] = &[
    "contact-field",
    "log-call",
    "route",
    "connection",
    "datastore",
    "exposure",
    "auth-gap",
    "store-write",
    "env-value",
    "init-scripts",
    "exposed-store",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
    /// Normalised text of the span's first line, for fingerprints.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub anchor: String,
    pub data: FactData,
}

/// A value of a fact attribute, as rules see it.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

impl AttrValue {
    pub fn render(&self) -> String {
        match self {
            AttrValue::Text(s) => s.clone(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::List(v) => v.join(", "),
        }
    }
}

fn text(s: &str) -> Option<AttrValue> {
    Some(AttrValue::Text(s.to_string()))
}

fn opt_text(s: &Option<String>) -> Option<AttrValue> {
    s.as_deref().map(|s| AttrValue::Text(s.to_string()))
}

impl FactData {
    pub fn kind_name(&self) -> &'static str {
        match self {
            FactData::ContactField(_) => "contact-field",
            FactData::LogCall(_) => "log-call",
            FactData::Route(_) => "route",
            FactData::Connection(_) => "connection",
            FactData::Datastore(_) => "datastore",
            FactData::Exposure(_) => "exposure",
            FactData::AuthGap(_) => "auth-gap",
            FactData::StoreWrite(_) => "store-write",
            FactData::EnvValue(_) => "env-value",
            FactData::InitScripts(_) => "init-scripts",
            FactData::ExposedStore(_) => "exposed-store",
        }
    }

    /// The attribute names a rule may test or interpolate for a fact kind.
    pub fn attr_names(kind: &str) -> &'static [&'static str] {
        match kind {
            "contact-field" => &[
                "container",
                "name",
                "kind",
                "kind_words",
                "kind_plural",
                "origin",
                "platform_profile",
                "platform_signals",
                "store_family",
                "store_engine",
            ],
            "log-call" => &["macro", "values", "kind", "kind_words", "kind_plural"],
            "route" => &[
                "framework",
                "method",
                "path",
                "handler",
                "serves",
                "authenticated",
            ],
            "connection" => &[
                "engine",
                "host",
                "target",
                "has_credentials",
                "weak_credential",
                "env_var",
            ],
            "datastore" => &["engine", "name", "source"],
            "exposure" | "auth-gap" => &["engine", "store_name", "source", "how", "detail"],
            "store-write" => &["type_name", "engine", "target"],
            "env-value" => &["scope", "name", "value"],
            "init-scripts" => &["datastore", "host_path"],
            "exposed-store" => &[
                "engine",
                "store_name",
                "reachable",
                "unauthenticated",
                "conditions",
                "fields",
                "exposure",
                "auth_gap",
                "inferred",
                "summary",
            ],
            _ => &[],
        }
    }

    /// One attribute's value; `None` when unset for this fact.
    pub fn attr(&self, name: &str) -> Option<AttrValue> {
        match self {
            FactData::ContactField(f) => match name {
                "container" => text(&f.container),
                "name" => text(&f.name),
                "kind" => text(f.kind.as_str()),
                "kind_words" => text(f.kind.describe()),
                "kind_plural" => text(f.kind.describe_plural()),
                "origin" => text(f.origin.as_str()),
                "platform_profile" => Some(AttrValue::Bool(!f.platform_signals.is_empty())),
                "platform_signals" => Some(AttrValue::List(f.platform_signals.clone())),
                "store_family" => opt_text(&f.store_family),
                "store_engine" => opt_text(&f.store_engine),
                _ => None,
            },
            FactData::LogCall(l) => match name {
                "macro" => text(&l.macro_name),
                "values" => Some(AttrValue::List(l.values.clone())),
                "kind" => text(l.kind.as_str()),
                "kind_words" => text(l.kind.describe()),
                "kind_plural" => text(l.kind.describe_plural()),
                _ => None,
            },
            FactData::Route(r) => match name {
                "framework" => text(&r.framework),
                "method" => text(&r.method),
                "path" => text(&r.path),
                "handler" => text(&r.handler),
                "serves" => Some(AttrValue::List(r.serves.clone())),
                "authenticated" => Some(AttrValue::Bool(r.authenticated)),
                _ => None,
            },
            FactData::Connection(c) => match name {
                "engine" => text(&c.engine),
                "host" => opt_text(&c.host),
                "target" => text(&c.target),
                "has_credentials" => Some(AttrValue::Bool(c.has_credentials)),
                "weak_credential" => Some(AttrValue::Bool(c.weak_credential)),
                "env_var" => opt_text(&c.env_var),
                _ => None,
            },
            FactData::Datastore(d) => match name {
                "engine" => text(&d.engine),
                "name" => text(&d.name),
                "source" => text(d.source.as_str()),
                _ => None,
            },
            FactData::Exposure(e) => match name {
                "engine" => text(&e.engine),
                "store_name" => text(&e.store_name),
                "source" => text(e.source.as_str()),
                "how" => text(&e.how),
                "detail" => text(&e.detail),
                _ => None,
            },
            FactData::AuthGap(a) => match name {
                "engine" => text(&a.engine),
                "store_name" => text(&a.store_name),
                "source" => text(a.source.as_str()),
                "how" => text(&a.how),
                "detail" => text(&a.detail),
                _ => None,
            },
            FactData::StoreWrite(w) => match name {
                "type_name" => text(&w.type_name),
                "engine" => text(&w.engine),
                "target" => opt_text(&w.target),
                _ => None,
            },
            FactData::EnvValue(e) => match name {
                "scope" => opt_text(&e.scope),
                "name" => text(&e.name),
                "value" => text(&e.value),
                _ => None,
            },
            FactData::InitScripts(i) => match name {
                "datastore" => text(&i.datastore),
                "host_path" => text(&i.host_path),
                _ => None,
            },
            FactData::ExposedStore(x) => match name {
                "engine" => text(&x.engine),
                "store_name" => text(&x.store_name),
                "reachable" => Some(AttrValue::Bool(x.reachable)),
                "unauthenticated" => Some(AttrValue::Bool(x.unauthenticated)),
                "conditions" => text(match (x.reachable, x.unauthenticated) {
                    (true, true) => "reachable and unauthenticated",
                    (true, false) => "reachable",
                    _ => "unauthenticated",
                }),
                "fields" => Some(AttrValue::List(x.fields.clone())),
                "exposure" => opt_text(&x.exposure),
                "auth_gap" => opt_text(&x.auth_gap),
                "inferred" => Some(AttrValue::List(x.inferred.clone())),
                "summary" => text(&x.summary),
                _ => None,
            },
        }
    }
}

/// A parse or read problem in one file: never fatal to the scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
    /// An internal error (a caught panic), which makes the scan incomplete.
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub internal: bool,
}

/// An inline `leakguard-ignore RULE: reason` comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// The line the comment is on.
    pub line: u32,
    /// The line it applies to (its own when code precedes it, else the next).
    pub target_line: u32,
    pub rules: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
}

/// Everything one front end learned from one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FileError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    /// A Rust file's summary and the facts it could not decide alone, for
    /// the crate-resolution step (`frontend::rust::resolve`); rules and the
    /// linker never read it. The cache stores it apart from the facts and
    /// decodes it only for a crate that must be resolved again.
    #[serde(skip)]
    pub rust: Option<Box<crate::frontend::rust::RustUnit>>,
    /// A Cargo manifest's dependency names, for the same step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo: Option<crate::frontend::rust::CargoManifest>,
    /// A compose file's services as written, for the resolution step that
    /// reads the project's `.env` and `env_file` files
    /// (`frontend::yaml::compose::resolve`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compose: Option<Box<crate::frontend::yaml::compose::ComposeUnit>>,
    /// A Helm chart definition, or what a values file's facts need of its
    /// chart, for chart resolution (`frontend::yaml::helm::resolve`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm: Option<Box<crate::frontend::yaml::helm::HelmUnit>>,
}

impl FileFacts {
    pub fn push(&mut self, span: Span, data: FactData) {
        self.facts.push(Fact {
            span,
            anchor: String::new(),
            data,
        });
    }

    pub fn error(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.errors.push(FileError {
            line,
            message: message.into(),
            internal: false,
        });
    }
}
