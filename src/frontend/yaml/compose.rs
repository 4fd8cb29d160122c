//! docker-compose files: each service becomes environment facts; a service
//! whose image is a catalogued datastore also becomes a datastore with its
//! exposures (published ports, host network), authentication gaps and init
//! script folders. Anchors and `<<` merge keys are applied by the tree.
//!
//! A compose file's meaning depends on files beside it: the project folder's
//! `.env` supplies the values of `${VAR}` interpolations, and `env_file:`
//! files add to a container's environment. A front end reads one file only,
//! so the file is recorded as a [`ComposeUnit`] (its services as written)
//! and every fact is produced from the unit: once by the front end with
//! nothing around it (variables unknown, env files unseen), and again by
//! [`resolve`], which sees every scanned file, after parsing and before the
//! cache is saved. Resolving replaces all of a compose file's facts, so it is
//! idempotent and facts reloaded from the cache are never stale.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::container::{
    self, Arg, Container, EnvSource, EnvVar, block_span, entry_span, interpolate_vars,
    is_config_mount,
};
use super::tree::{Node, NodeKind};
use crate::discover::FileKind;
use crate::engine::ScannedFile;
use crate::facts::{
    AuthGap, Datastore, EnvValue, Exposure, Fact, FactData, FileFacts, InitScripts, Source,
};
use crate::frontend::dotenv::MAX_SUBSTITUTED;
use crate::frontend::{Ctx, normalise};
use crate::paths::dir_of;
use crate::span::Span;
use crate::vocab::{Catalogue, Engine, Vocabulary};

const INITDB: &str = "/docker-entrypoint-initdb.d";
/// Stands for a variable without a default in an interpolated value.
const UNKNOWN: &str = "\u{1}";

/// A compose file's services as written, for [`resolve`]; rules and the
/// linker never read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComposeUnit {
    pub services: Vec<ServiceUnit>,
    /// The anchor (normalised text) of each line the front end's own facts
    /// start on, taken at the first resolution, for the facts resolution
    /// places on the same lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchors: Option<BTreeMap<u32, String>>,
}

/// A scalar as written and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Written {
    pub text: String,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
}

/// An `environment` entry: `raw` is `None` for a bare `KEY` (passed through).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawEnv {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
}

/// An `env_file` entry: a path relative to the compose file's folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvFileRef {
    pub path: String,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub required: bool,
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
}

/// A `ports` item, short (`"9200:9200"`) or long syntax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PortItem {
    Short(Written),
    Long {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host_ip: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        published: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        #[serde(with = "crate::cache::compact::span")]
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceUnit {
    pub name: String,
    /// The service from its key to its last line.
    #[serde(with = "crate::cache::compact::span")]
    pub block: Span,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub build: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<RawEnv>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_files: Vec<EnvFileRef>,
    /// An `env_file` value of a shape leakguard does not read.
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub env_file_unread: bool,
    /// `entrypoint` then `command` items (each split like a shell later).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Written>,
    /// The `network_mode` entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<Written>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
    /// A configuration file or folder is mounted or given (`configs`).
    #[serde(default, skip_serializing_if = "crate::cache::compact::is_false")]
    pub config_mounts: bool,
    /// Host folders mounted as init scripts: `(source, item)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_scripts: Vec<Written>,
}

pub fn analyze(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let mut unit = ComposeUnit::default();
    for doc in docs {
        match doc.get("services") {
            Some(services) => {
                for (name, key, svc) in services.entries() {
                    if svc.is_map() {
                        unit.services.push(read_service(name, key, svc));
                    }
                }
            }
            // Compose file format 1: services at the top level.
            None => {
                for (name, key, svc) in doc.entries() {
                    if svc.is_map() && (svc.get("image").is_some() || svc.get("build").is_some()) {
                        unit.services.push(read_service(name, key, svc));
                    }
                }
            }
        }
    }
    if unit.services.is_empty() {
        return;
    }
    let none = Around::default();
    out.facts
        .extend(emit(&unit, &none, &ctx.vocab.catalogue, &BTreeMap::new()));
    out.compose = Some(Box::new(unit));
}

/// Reads what the evaluation of a service needs.
fn read_service(name: &str, key: &Node, svc: &Node) -> ServiceUnit {
    let mut env = Vec::new();
    if let Some(e) = svc.get("environment") {
        container::read_compose_env(e, &mut env);
    }
    let env = env
        .into_iter()
        .map(|e| RawEnv {
            name: e.name,
            raw: e.raw,
            span: e.span,
        })
        .collect();
    let mut env_files = Vec::new();
    let mut env_file_unread = false;
    if let Some((k, v)) = svc.get_entry("env_file") {
        let as_ref = |item: &Node, span: Span| -> Option<EnvFileRef> {
            match &item.kind {
                NodeKind::Scalar { value, .. } if !item.is_null() => Some(EnvFileRef {
                    path: value.clone(),
                    required: true,
                    span,
                }),
                NodeKind::Map(_) => item.get("path").and_then(Node::as_str).map(|p| EnvFileRef {
                    path: p.to_string(),
                    required: item.get("required").and_then(Node::as_bool).unwrap_or(true),
                    span,
                }),
                _ => None,
            }
        };
        match &v.kind {
            NodeKind::Seq(items) => {
                for it in items {
                    match as_ref(it, it.span) {
                        Some(r) => env_files.push(r),
                        None => env_file_unread = true,
                    }
                }
            }
            _ if v.is_null() => {}
            _ => match as_ref(v, entry_span(k, v)) {
                Some(r) => env_files.push(r),
                None => env_file_unread = true,
            },
        }
    }
    let mut args = Vec::new();
    for k in ["entrypoint", "command"] {
        let Some(node) = svc.get(k) else { continue };
        match &node.kind {
            NodeKind::Scalar { value, .. } if !node.is_null() => args.push(Written {
                text: value.clone(),
                span: node.span,
            }),
            NodeKind::Seq(items) => {
                for it in items {
                    if let Some(s) = it.as_str() {
                        args.push(Written {
                            text: s.to_string(),
                            span: it.span,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let network_mode = svc.get_entry("network_mode").and_then(|(k, v)| {
        v.as_str().map(|m| Written {
            text: m.to_string(),
            span: entry_span(k, v),
        })
    });
    let mut ports = Vec::new();
    for it in svc.get("ports").and_then(Node::as_seq).unwrap_or(&[]) {
        match &it.kind {
            NodeKind::Scalar { value, .. } => ports.push(PortItem::Short(Written {
                text: value.clone(),
                span: it.span,
            })),
            NodeKind::Map(_) => {
                let field = |k: &str| -> Option<String> {
                    it.get(k)
                        .filter(|n| !n.is_null())
                        .and_then(Node::as_str)
                        .map(str::to_string)
                };
                ports.push(PortItem::Long {
                    host_ip: field("host_ip"),
                    published: field("published"),
                    target: field("target"),
                    span: it.span,
                });
            }
            NodeKind::Seq(_) => {}
        }
    }
    let mut config_mounts = svc.get("configs").is_some();
    let mut init_scripts = Vec::new();
    for (source, target, item) in volumes(svc) {
        if is_config_mount(&target) {
            config_mounts = true;
        }
        let t = target.trim_end_matches('/');
        if (t == INITDB || t.starts_with(&format!("{INITDB}/"))) && is_host_path(&source) {
            init_scripts.push(Written {
                text: source,
                span: item.span,
            });
        }
    }
    ServiceUnit {
        name: name.to_string(),
        block: block_span(key, svc),
        image: svc.get("image").and_then(Node::as_str).map(str::to_string),
        build: svc.get("build").is_some(),
        env,
        env_files,
        env_file_unread,
        args,
        network_mode,
        ports,
        hostnames: hostnames(name, svc),
        config_mounts,
        init_scripts,
    }
}

/// `(source, target, item)` of each volume entry, short or long syntax.
fn volumes(svc: &Node) -> Vec<(String, String, &Node)> {
    let mut out = Vec::new();
    let Some(items) = svc.get("volumes").and_then(Node::as_seq) else {
        return out;
    };
    for it in items {
        if let Some(s) = it.as_str() {
            let mut parts = s.splitn(3, ':');
            let first = parts.next().unwrap_or("");
            match parts.next() {
                Some(target) => out.push((first.to_string(), target.to_string(), it)),
                None => out.push((String::new(), first.to_string(), it)),
            }
        } else if it.is_map() {
            let source = it.get("source").and_then(Node::as_str).unwrap_or("");
            let target = it.get("target").and_then(Node::as_str).unwrap_or("");
            out.push((source.to_string(), target.to_string(), it));
        }
    }
    out
}

fn is_host_path(source: &str) -> bool {
    source.starts_with('.') || source.starts_with('/') || source.starts_with('~')
}

/// One variable of a dotenv file: its value and where it is set.
#[derive(Debug, Clone)]
struct Var {
    name: String,
    value: String,
    /// `path:line`, for messages.
    origin: String,
}

/// What the scan shows around a compose file.
#[derive(Default)]
struct Around<'a> {
    /// The compose file's folder (the project folder).
    dir: &'a str,
    /// The project folder's `.env`, by name (the last setting wins).
    project: HashMap<&'a str, &'a Var>,
    /// Every readable dotenv file of the scan, by path.
    files: Option<&'a HashMap<String, Vec<Var>>>,
    /// `env_file` variables the compose file may still take in.
    budget: std::cell::Cell<usize>,
}

/// `env_file` variables one compose file takes in at most (a thousand
/// services naming one large file must not multiply it).
const MAX_ENV_FILE_VARS: usize = 200_000;

impl Around<'_> {
    /// Takes `n` from the `env_file` budget; false when it does not last.
    fn take_budget(&self, n: usize) -> bool {
        match self.budget.get().checked_sub(n) {
            Some(rest) => {
                self.budget.set(rest);
                true
            }
            None => false,
        }
    }

    /// Interpolates with the project's variables; each one used adds its
    /// origin to `used`. Unknown variables stay as written (`mask` None)
    /// or become `mask`.
    fn interpolate(
        &self,
        value: &str,
        mask: Option<&str>,
        used: &mut Vec<String>,
    ) -> (String, bool) {
        // A bounded intake: a value naming a long variable many times is
        // left unknown past the budget.
        let mut budget = MAX_SUBSTITUTED;
        interpolate_vars(
            value,
            &mut |name| {
                let v = self.project.get(name)?;
                budget = budget.checked_sub(v.value.len())?;
                if !used.contains(&v.origin) {
                    used.push(v.origin.clone());
                }
                Some(v.value.clone())
            },
            mask,
        )
    }
}

/// `rel` from the folder `dir`, with `.` and `..` segments applied, as the
/// scan reports paths.
fn join(dir: &str, rel: &str) -> String {
    let rel = rel.trim();
    let mut parts: Vec<&str> = Vec::new();
    let absolute = rel.starts_with('/');
    let base = if absolute { "" } else { dir };
    let lead_slash = absolute || base.starts_with('/');
    for seg in base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if lead_slash {
        format!("/{joined}")
    } else {
        joined
    }
}

fn with_origins(detail: String, origins: &[String]) -> String {
    if origins.is_empty() {
        detail
    } else {
        format!("{detail} (from {})", origins.join(", "))
    }
}

/// Every fact of a compose file, given what surrounds it.
fn emit(
    unit: &ComposeUnit,
    around: &Around,
    cat: &Catalogue,
    anchors: &BTreeMap<u32, String>,
) -> Vec<Fact> {
    let mut out = Vec::new();
    for svc in &unit.services {
        service(svc, around, cat, &mut out);
    }
    out.into_iter()
        .map(|(span, data, hint)| Fact {
            span,
            anchor: anchors
                .get(&span.line)
                .cloned()
                .unwrap_or_else(|| normalise(&hint)),
            data,
        })
        .collect()
}

/// A fact with the text its line most likely shows, for its anchor when
/// the line carried no fact of the front end's own.
type Emitted = (Span, FactData, String);

fn service(svc: &ServiceUnit, around: &Around, cat: &Catalogue, out: &mut Vec<Emitted>) {
    let name = svc.name.as_str();
    let key_hint = format!("{name}:");
    // Where each environment value came from: (entry span, name, origins).
    let mut origins: Vec<(Span, String, Vec<String>)> = Vec::new();
    let mut hints: Vec<(Span, String)> = Vec::new();
    let mut env: Vec<EnvVar> = Vec::new();
    for e in &svc.env {
        let mut used = Vec::new();
        let hint = match &e.raw {
            Some(r) => format!("{}={r}", e.name),
            None => e.name.clone(),
        };
        let (value, shown, raw) = match &e.raw {
            Some(raw) => {
                let (s, unresolved) = around.interpolate(raw, None, &mut used);
                if unresolved {
                    let shown = if used.is_empty() {
                        raw.clone()
                    } else {
                        s.clone()
                    };
                    (EnvSource::External, Some(shown), Some(s))
                } else {
                    (EnvSource::Literal(s.clone()), Some(s.clone()), Some(s))
                }
            }
            // A bare `KEY` takes the project's value when it has one.
            None => match around.project.get(e.name.as_str()) {
                Some(v) => {
                    used.push(v.origin.clone());
                    (
                        EnvSource::Literal(v.value.clone()),
                        Some(v.value.clone()),
                        Some(v.value.clone()),
                    )
                }
                None => (EnvSource::External, None, None),
            },
        };
        if let Some(shown) = shown {
            out.push((
                e.span,
                FactData::EnvValue(EnvValue {
                    scope: Some(name.to_string()),
                    name: e.name.clone(),
                    value: shown,
                }),
                hint.clone(),
            ));
        }
        hints.push((e.span, hint));
        origins.push((e.span, e.name.clone(), used));
        env.push(EnvVar {
            name: e.name.clone(),
            value,
            raw,
            span: e.span,
        });
    }

    // `env_file` variables, below `environment` in precedence. A file the
    // scan does not show leaves the environment opaque.
    let mut opaque = svc.env_file_unread;
    let mut read_files: Vec<String> = Vec::new();
    let mut from_files: Vec<(EnvVar, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in &svc.env_files {
        let mut used = Vec::new();
        let (path, unresolved) = around.interpolate(&r.path, None, &mut used);
        hints.push((r.span, format!("env_file: {}", r.path)));
        let full = join(around.dir, &path);
        let vars = match around.files {
            Some(files) if !unresolved => files.get(&full),
            _ => None,
        };
        // Past the budget a file counts as unseen.
        let vars = vars.filter(|v| around.take_budget(v.len()));
        let Some(vars) = vars else {
            opaque = true;
            continue;
        };
        read_files.push(full);
        for v in vars {
            let mut used = vec![v.origin.clone()];
            let (s, unresolved) = around.interpolate(&v.value, None, &mut used);
            let value = if unresolved {
                EnvSource::External
            } else {
                EnvSource::Literal(s.clone())
            };
            let var = EnvVar {
                name: v.name.clone(),
                value,
                raw: Some(s),
                span: r.span,
            };
            // A later setting of the same name wins.
            let entry = (var, used.join(", "));
            match index.get(&v.name) {
                Some(&i) => from_files[i] = entry,
                None => {
                    index.insert(v.name.clone(), from_files.len());
                    from_files.push(entry);
                }
            }
        }
    }
    let own: std::collections::HashSet<String> = env.iter().map(|e| e.name.clone()).collect();
    for (var, origin) in from_files {
        if own.contains(&var.name) {
            continue;
        }
        origins.push((var.span, var.name.clone(), vec![origin]));
        env.push(var);
    }

    let mut args: Vec<Arg> = Vec::new();
    let mut arg_origins: Vec<(Span, Vec<String>)> = Vec::new();
    for a in &svc.args {
        let mut used = Vec::new();
        let (s, _) = around.interpolate(&a.text, None, &mut used);
        for w in container::shell_words(&s) {
            args.push(Arg {
                text: w,
                span: a.span,
            });
        }
        hints.push((a.span, a.text.clone()));
        arg_origins.push((a.span, used));
    }
    let mut image_origins = Vec::new();
    let image = svc
        .image
        .as_deref()
        .map(|i| around.interpolate(i, Some(""), &mut image_origins).0);
    let mut c = Container {
        image,
        env,
        args,
        opaque_env: opaque,
        external_config: svc.config_mounts,
    };
    c.note_config_args();

    // A service without image or build extends one declared in another
    // file (an override): its published datastore port says what it is.
    let partial = c.image.is_none() && !svc.build;
    let ports = ports_of(svc, around);
    let engine = match c.image.as_deref() {
        Some(i) => cat.engine_for_image(i),
        None if partial => engine_by_port(name, &ports, cat),
        None => None,
    };
    let Some(engine) = engine else {
        return;
    };
    let block = svc.block;
    let ds_key = format!("compose:{name}");
    out.push((
        block,
        FactData::Datastore(Datastore {
            key: ds_key.clone(),
            engine: engine.id.clone(),
            name: name.to_string(),
            source: Source::Compose,
            hostnames: svc.hostnames.clone(),
        }),
        key_hint.clone(),
    ));

    let exposure = |how: &str, detail: String| {
        FactData::Exposure(Exposure {
            datastore: Some(ds_key.clone()),
            engine: engine.id.clone(),
            store_name: name.to_string(),
            source: Source::Compose,
            how: how.to_string(),
            detail,
        })
    };
    if let Some(m) = &svc.network_mode {
        let mut used = Vec::new();
        let (mode, _) = around.interpolate(&m.text, Some(UNKNOWN), &mut used);
        if mode.trim() == "host" {
            out.push((
                m.span,
                exposure(
                    "host-network",
                    with_origins(
                        "runs on the host network (`network_mode: host`), so every port it listens on is open on the host".into(),
                        &used,
                    ),
                ),
                format!("network_mode: {}", m.text),
            ));
        }
    }
    let published = public_ports(&ports);
    if let Some(first) = published.first() {
        let list: Vec<String> = published.iter().map(|p| p.describe()).collect();
        let detail = if list.len() == 1 {
            format!("publishes port {} on all host interfaces", list[0])
        } else {
            format!("publishes ports {} on all host interfaces", list.join(", "))
        };
        let mut used: Vec<String> = Vec::new();
        for p in &published {
            for o in &p.origins {
                if !used.contains(o) {
                    used.push(o.clone());
                }
            }
        }
        out.push((
            first.span,
            exposure("published-port", with_origins(detail, &used)),
            first.hint.clone(),
        ));
    }

    // A partial service is judged only on what it sets; its image's
    // defaults are judged where the image is declared.
    let gaps = if partial {
        container::disabled_by(engine, &c)
    } else {
        container::evaluate_auth(engine, &c, cat)
    };
    for g in gaps {
        let detail = match g.span {
            Some(span) => {
                let lower = g.detail.to_ascii_lowercase();
                let mut used: Vec<String> = Vec::new();
                let env_hits = origins.iter().filter(|(s, n, _)| {
                    let n = n.to_ascii_lowercase();
                    *s == span
                        && (lower.contains(&format!("`{n}`")) || lower.contains(&format!("`{n}=")))
                });
                let arg_hits = arg_origins.iter().filter(|(s, _)| *s == span);
                for o in env_hits
                    .map(|(_, _, o)| o)
                    .chain(arg_hits.map(|(_, o)| o))
                    .flatten()
                {
                    if !used.contains(o) {
                        used.push(o.clone());
                    }
                }
                with_origins(g.detail, &used)
            }
            None if g.how == "no-credentials" && g.detail.starts_with("image tag") => {
                with_origins(g.detail, &image_origins)
            }
            None if g.how == "no-credentials" && !read_files.is_empty() => {
                let files = read_files.join(", ");
                match g.detail.strip_suffix(')') {
                    Some(d) => format!("{d} in `environment` or env_file {files})"),
                    None => format!("{} (nor in env_file {files})", g.detail),
                }
            }
            None => g.detail,
        };
        let span = g.span.unwrap_or(block);
        let hint = hints
            .iter()
            .find(|(s, _)| *s == span)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| key_hint.clone());
        out.push((
            span,
            FactData::AuthGap(AuthGap {
                datastore: Some(ds_key.clone()),
                engine: engine.id.clone(),
                store_name: name.to_string(),
                source: Source::Compose,
                how: g.how.to_string(),
                detail,
            }),
            hint,
        ));
    }

    for v in &svc.init_scripts {
        out.push((
            v.span,
            FactData::InitScripts(InitScripts {
                datastore: ds_key.clone(),
                host_path: v.text.clone(),
            }),
            v.text.clone(),
        ));
    }
}

/// Produces again every compose file's facts, now with the project's
/// `.env` values and the `env_file` files the scan holds.
pub fn resolve(files: &mut [ScannedFile], vocab: &Vocabulary) {
    let mut results: Vec<(usize, Vec<Fact>, BTreeMap<u32, String>)> = Vec::new();
    {
        // Dotenv files that were read without error, by path.
        let mut dotenv: HashMap<String, Vec<Var>> = HashMap::new();
        for f in files.iter() {
            if f.kind != FileKind::DotEnv || !f.facts.errors.is_empty() {
                continue;
            }
            let vars = f
                .facts
                .facts
                .iter()
                .filter_map(|x| match &x.data {
                    FactData::EnvValue(e) if e.scope.is_none() => Some(Var {
                        name: e.name.clone(),
                        value: e.value.clone(),
                        origin: format!("{}:{}", f.path, x.span.line),
                    }),
                    _ => None,
                })
                .collect();
            dotenv.insert(f.path.clone(), vars);
        }
        for (i, f) in files.iter().enumerate() {
            let Some(unit) = f.facts.compose.as_deref() else {
                continue;
            };
            let dir = dir_of(&f.path);
            let mut project: HashMap<&str, &Var> = HashMap::new();
            // Compose reads `.env` of the project folder only (never
            // `.env.example` and the like) for interpolation.
            if let Some(vars) = dotenv.get(&join(dir, ".env")) {
                for v in vars {
                    project.insert(v.name.as_str(), v);
                }
            }
            let around = Around {
                dir,
                project,
                files: Some(&dotenv),
                budget: std::cell::Cell::new(MAX_ENV_FILE_VARS),
            };
            let anchors = unit.anchors.clone().unwrap_or_else(|| {
                f.facts
                    .facts
                    .iter()
                    .map(|x| (x.span.line, x.anchor.clone()))
                    .collect()
            });
            results.push((i, emit(unit, &around, &vocab.catalogue, &anchors), anchors));
        }
    }
    for (i, facts, anchors) in results {
        if let Some(f) = files.get_mut(i) {
            f.facts.facts = facts;
            if let Some(unit) = f.facts.compose.as_mut() {
                unit.anchors = Some(anchors);
            }
        }
    }
}

/// A `ports` item after interpolation: `(host_ip, host_port, container_port)`.
struct Port {
    ip: Option<String>,
    host: Option<String>,
    target: String,
    span: Span,
    hint: String,
    /// The `.env` settings the item's values came from.
    origins: Vec<String>,
}

impl Port {
    fn describe(&self) -> String {
        describe(self.host.as_deref(), &self.target)
    }
}

fn ports_of(svc: &ServiceUnit, around: &Around) -> Vec<Port> {
    let mut out = Vec::new();
    for p in &svc.ports {
        let mut used = Vec::new();
        let mut interp = |s: &str| around.interpolate(s, Some(UNKNOWN), &mut used).0;
        let (ip, host, target, span, hint) = match p {
            PortItem::Short(w) => {
                let (ip, host, target) = parse_short(&interp(&w.text));
                (ip, host, target, w.span, w.text.clone())
            }
            PortItem::Long {
                host_ip,
                published,
                target,
                span,
            } => (
                host_ip.as_deref().map(&mut interp),
                published.as_deref().map(&mut interp),
                target.as_deref().map(&mut interp).unwrap_or_default(),
                *span,
                format!("- target: {}", target.as_deref().unwrap_or("")),
            ),
        };
        out.push(Port {
            ip,
            host,
            target,
            span,
            hint,
            origins: used,
        });
    }
    out
}

/// The engine whose primary port a partial service publishes, preferring
/// one its name mentions.
fn engine_by_port<'a>(name: &str, ports: &[Port], cat: &'a Catalogue) -> Option<&'a Engine> {
    let ports: Vec<u16> = ports
        .iter()
        .filter_map(|p| p.target.trim().parse::<u16>().ok())
        .collect();
    container::engine_for_primary_ports(name, &ports, cat)
}

fn hostnames(name: &str, svc: &Node) -> Vec<String> {
    let mut names = vec![name.to_string()];
    for k in ["container_name", "hostname"] {
        if let Some(h) = svc.get(k).and_then(Node::as_str) {
            names.push(h.to_string());
        }
    }
    if let Some(nets) = svc.get("networks") {
        for (_, _, net) in nets.entries() {
            if let Some(aliases) = net.get("aliases").and_then(Node::as_seq) {
                names.extend(aliases.iter().filter_map(Node::as_str).map(str::to_string));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| !n.is_empty() && seen.insert(n.clone()));
    names
}

/// Whether a host IP keeps the port on the host itself.
fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim().trim_start_matches('[').trim_end_matches(']');
    ip.starts_with("127.")
        || ip == "::1"
        || ip.eq_ignore_ascii_case("localhost")
        || ip == "0:0:0:0:0:0:0:1"
}

/// A short-syntax port: `[HOST_IP:][HOST:]CONTAINER[/PROTO]`, returning
/// `(host_ip, host_port, container_port)`.
fn parse_short(s: &str) -> (Option<String>, Option<String>, String) {
    let s = s.trim();
    let s = s.rsplit_once('/').map(|(p, _)| p).unwrap_or(s);
    if let Some(rest) = s.strip_prefix('[')
        && let Some((ip, tail)) = rest.split_once(']')
    {
        let tail = tail.trim_start_matches(':');
        return match tail.split_once(':') {
            Some((h, c)) => (Some(ip.to_string()), Some(h.to_string()), c.to_string()),
            None => (Some(ip.to_string()), None, tail.to_string()),
        };
    }
    let parts: Vec<&str> = s.split(':').collect();
    match parts.len() {
        0 | 1 => (None, None, s.to_string()),
        2 => (None, Some(parts[0].to_string()), parts[1].to_string()),
        n => (
            Some(parts[..n - 2].join(":")),
            Some(parts[n - 2].to_string()),
            parts[n - 1].to_string(),
        ),
    }
}

/// The `ports` items published on all host interfaces.
fn public_ports(ports: &[Port]) -> Vec<&Port> {
    let mut out = Vec::new();
    for p in ports {
        // An address from a variable without a default is unknown.
        if let Some(ip) = &p.ip
            && (is_loopback(ip) || ip.contains(UNKNOWN))
        {
            continue;
        }
        if p.ip.is_none() && p.host.is_none() && p.target.is_empty() {
            continue;
        }
        out.push(p);
    }
    out
}

fn describe(host: Option<&str>, target: &str) -> String {
    let target = target.replace(UNKNOWN, "?");
    let host = host.map(|h| h.replace(UNKNOWN, "?"));
    match host.as_deref() {
        Some(h) if !h.is_empty() && h != target => format!("{target} (as host port {h})"),
        _ => target.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::analyze_text;

    #[test]
    fn paths_join_like_the_scan_reports_them() {
        assert_eq!(join("", ".env"), ".env");
        assert_eq!(join("deploy", "./config/../db.env"), "deploy/db.env");
        assert_eq!(join("a/b", "../../../x.env"), "../x.env");
        assert_eq!(join("/repo/app", "../shared/db.env"), "/repo/shared/db.env");
        assert_eq!(join("repo", "/etc/app.env"), "/etc/app.env");
    }

    fn scanned(path: &str, kind: FileKind, text: &str, vocab: &Vocabulary) -> ScannedFile {
        let facts = analyze_text(text, kind, &Ctx { vocab, path });
        ScannedFile {
            path: path.into(),
            fs_path: path.into(),
            kind,
            size: text.len() as u64,
            facts,
        }
    }

    fn gaps(f: &ScannedFile) -> Vec<(String, u32, String)> {
        f.facts
            .facts
            .iter()
            .filter_map(|x| match &x.data {
                FactData::AuthGap(g) => Some((g.how.clone(), x.span.line, x.anchor.clone())),
                _ => None,
            })
            .collect()
    }

    /// Facts reloaded from a cache and resolved again against a changed
    /// `.env`: the previous resolution's facts give way, anchors stay.
    #[test]
    fn resolving_cached_facts_again_follows_the_dotenv_file() {
        let vocab = Vocabulary::builtin();
        let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${PG}   # from .env\n";
        let mut files = vec![
            scanned("app/docker-compose.yml", FileKind::Yaml, compose, &vocab),
            scanned("app/.env", FileKind::DotEnv, "PG=postgres\n", &vocab),
        ];
        assert!(gaps(&files[0]).is_empty(), "alone, PG is unknown");
        resolve(&mut files, &vocab);
        let weak = vec![(
            "default-password".to_string(),
            5,
            "- POSTGRES_PASSWORD=${PG} # from .env".to_string(),
        )];
        assert_eq!(gaps(&files[0]), weak);
        let json = serde_json::to_string(&files[0].facts).expect("serialise");
        files[0].facts = serde_json::from_str(&json).expect("deserialise");
        resolve(&mut files, &vocab);
        assert_eq!(gaps(&files[0]), weak);
        files[1] = scanned("app/.env", FileKind::DotEnv, "PG=x7!Kq2vLm9\n", &vocab);
        resolve(&mut files, &vocab);
        assert!(gaps(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
        // Another folder's `.env` is not the project's.
        files[1] = scanned("other/.env", FileKind::DotEnv, "PG=postgres\n", &vocab);
        resolve(&mut files, &vocab);
        assert!(gaps(&files[0]).is_empty(), "{:?}", files[0].facts.facts);
    }

    #[test]
    fn short_port_syntax() {
        assert_eq!(parse_short("9200"), (None, None, "9200".into()));
        assert_eq!(
            parse_short("9200:9200/tcp"),
            (None, Some("9200".into()), "9200".into())
        );
        assert_eq!(
            parse_short("127.0.0.1:6379:6379"),
            (Some("127.0.0.1".into()), Some("6379".into()), "6379".into())
        );
        assert_eq!(
            parse_short("[::1]:5432:5432"),
            (Some("::1".into()), Some("5432".into()), "5432".into())
        );
        assert_eq!(
            parse_short("::1:5432:5432"),
            (Some("::1".into()), Some("5432".into()), "5432".into())
        );
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0"));
    }
}
