//! Helm values files: a top-level key naming a catalogued chart (an
//! umbrella chart's sub-chart, `mongodb:`, `redis:`) or whose
//! `image.repository` is a catalogued image is a datastore. Its Service
//! types, external access, auth switches, extra environment and password
//! values are judged. Chart defaults are not guessed: only what the values
//! say counts.
//!
//! What a chart definition says (its name, its dependencies' aliases and
//! conditions) is not read from disk: `Chart.yaml`, `Chart.yml` and Helm 2's
//! `requirements.yaml` are scanned files of their own whose analysis keeps a
//! [`ChartRecord`]. A values file keeps a [`ValuesUnit`]: for each
//! document, every top-level sub-tree judged once (a [`Draft`]: the facts it
//! gives as a datastore of any engine, under any name). [`resolve`], run on
//! all scanned files after analysis and before the cache is saved, picks
//! for each values file the chart definitions of its own folder, decides
//! which sub-trees are datastores of which engine, and inserts their facts.
//! It reads no file and needs no vocabulary, and it is idempotent: the facts
//! a previous resolution inserted (reloaded from the cache) are taken out
//! first. The front end itself inserts the result of resolving without any
//! chart definition, so a values file analysed alone is judged as before.
//!
//! Which chart a values file belongs to: Helm reads a chart's default
//! `values.yaml` from the chart's root, the folder holding `Chart.yaml`;
//! any other values file (`values-prod.yaml`) is handed to `helm install -f`
//! from wherever it lives and names no chart. Only the values files in a
//! chart's root folder are resolved against it; a values file elsewhere
//! (`deploy/values/prod.yaml`, an ancestor's chart) is judged by its own
//! keys, folder and name, as guessing an ancestor chart could attribute it
//! to the wrong one.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::container::{self, Container, Gap, block_span, entry_span};
use super::tree::{Node, NodeKind};
use crate::engine::ScannedFile;
use crate::facts::{AuthGap, Datastore, EnvValue, Exposure, Fact, FactData, FileFacts, Source};
use crate::frontend::{Ctx, normalise};
use crate::paths::dir_of;
use crate::span::{LineIndex, Span};
use crate::vocab::{Catalogue, Engine};

/// What a Helm file hands to chart resolution, kept in
/// [`FileFacts::helm`] (and so in the cache); rules and the linker never
/// read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HelmUnit {
    /// A chart definition (`Chart.yaml`, or Helm 2's `requirements.yaml`).
    Chart(ChartRecord),
    /// A values file whose facts depend on its chart.
    Values(ValuesUnit),
}

/// What a chart definition file declares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartRecord {
    /// The chart's own `name` (`Chart.yaml` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The catalogued engine (id) of a chart of that name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
}

/// One entry of `dependencies:`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    /// The key the sub-chart's values live under instead of `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Values paths (comma-separated) that switch the sub-chart on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The catalogued engine (id) of a chart of that name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

impl Dependency {
    /// The top-level values key configuring this sub-chart.
    fn values_key(&self) -> &str {
        match self.alias.as_deref() {
            Some(a) if !a.is_empty() => a,
            _ => &self.name,
        }
    }
}

/// A values file, as chart resolution sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValuesUnit {
    /// The catalogued chart the file's folder or own name points to, as
    /// `(release name, engine id)`: the chart of values without sub-charts
    /// when no chart definition names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fallback: Option<(String, String)>,
    pub(crate) docs: Vec<ValuesDoc>,
    /// Indices in the file's `facts` of the facts the last resolution
    /// inserted, so that resolving again starts from the file's own facts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) resolved_at: Vec<usize>,
}

/// One YAML document of a values file whose datastores depend on the chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ValuesDoc {
    /// How many of the file's own facts precede its facts.
    pub at: usize,
    /// Its top-level keys holding maps, in order.
    pub keys: Vec<KeyDraft>,
    /// The whole document as one chart's values, when no key is a
    /// sub-chart without the chart definition's help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole: Option<Draft>,
    /// Boolean values by dotted path (`mongodb.enabled`), for dependency
    /// conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub switches: Vec<(String, bool)>,
}

/// A top-level key and the sub-chart it would be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct KeyDraft {
    pub name: String,
    /// Its engine without the chart definition: the key names a catalogued
    /// chart, or its `image` is a catalogued image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// The sub-tree's facts; `None` when `enabled: false` switches it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<Draft>,
}

/// A values sub-tree judged as a datastore, for any engine and release
/// name: every position is final (clamped and anchored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Draft {
    pub block: Mark,
    /// `fullnameOverride` / `nameOverride` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposures: Vec<ExposureNote>,
    /// Literal environment values of the container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvNote>,
    /// Engine-independent switches (`auth.enabled: false`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<GapNote>,
    /// Per engine: its `off` settings found, and its weak passwords; only
    /// engines with either.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_engine: Vec<EngineGaps>,
    /// Password values that are empty or well known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passwords: Vec<GapNote>,
}

/// A fact's position and anchor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Mark {
    #[serde(with = "crate::cache::compact::span")]
    pub span: Span,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub anchor: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExposureNote {
    pub at: Mark,
    pub how: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct EnvNote {
    pub at: Mark,
    pub name: String,
    pub value: String,
}

/// An authentication gap; without a position it points at the block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct GapNote {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Mark>,
    pub how: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct EngineGaps {
    pub engine: String,
    /// The engine's `off` settings in the values, configs or container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<GapNote>,
    /// Weak password variables and flags for the engine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak: Vec<GapNote>,
}

/// Chart conventions that switch authentication off, whatever the engine
/// (`auth.enabled: false` in the bitnami charts, `usePassword: false` in
/// older ones, `security.enabled: false` in search charts).
const OFF_SWITCHES: &[&str] = &["auth.enabled", "usePassword", "security.enabled"];
/// Sub-trees that configure helpers (metrics exporters, init containers),
/// not the datastore itself.
const HELPER_KEYS: &[&str] = &[
    "metrics",
    "exporter",
    "volumePermissions",
    "sysctl",
    "sysctlImage",
    "sentinel",
    "backup",
    "tls",
];
/// Keys holding extra environment variables for the datastore container.
const ENV_KEYS: &[&str] = &["extraEnvVars", "extraEnvs", "extraEnv", "env", "envVars"];
/// Keys holding extra command-line flags.
const ARG_KEYS: &[&str] = &["extraFlags", "extraArgs", "args", "command"];
/// Keys holding engine configuration (maps or embedded config files).
const CONFIG_KEYS: &[&str] = &[
    "config",
    "configuration",
    "esConfig",
    "extraConfig",
    "opensearchConfig",
    "commonConfiguration",
];
const MAX_DEPTH: usize = 4;
/// Nesting depth and number of the boolean values kept for conditions.
const SWITCH_DEPTH: usize = 3;
const MAX_SWITCHES: usize = 512;
/// Top-level keys of a file judged in case a chart definition's alias
/// names them; keys that are sub-charts without one are always judged.
const MAX_SPECULATIVE: usize = 512;

/// Chart definition files, in the order their declarations count: Helm 3's
/// `Chart.yaml` (`Chart.yml` tolerated), then Helm 2's `requirements.yaml`.
const CHART_FILES: &[&str] = &[
    "Chart.yaml",
    "Chart.yml",
    "requirements.yaml",
    "requirements.yml",
];

/// The rank of a chart definition file among [`CHART_FILES`], by exact name
/// (Helm reads `Chart.yaml`, not `chart.yaml`).
fn chart_rank(path: &str) -> Option<usize> {
    let name = path.rsplit('/').next().unwrap_or(path);
    CHART_FILES.iter().position(|f| *f == name)
}

/// Whether a YAML file is a chart definition: `Chart.yaml` by name, a
/// `requirements.yaml` when it declares `dependencies`.
pub fn is_chart_file(path: &str, docs: &[Node]) -> bool {
    match chart_rank(path) {
        Some(0 | 1) => true,
        Some(_) => docs.iter().any(|d| d.get("dependencies").is_some()),
        None => false,
    }
}

/// A chart definition: its name and dependencies, for [`resolve`]. Shapes
/// Helm would refuse are errors of this file.
pub fn analyze_chart(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let cat = &ctx.vocab.catalogue;
    let helm3 = chart_rank(ctx.path).is_some_and(|r| r < 2);
    let mut rec = ChartRecord::default();
    for doc in docs {
        if doc.is_null() {
            continue;
        }
        if !doc.is_map() {
            out.error(
                Some(doc.span.line),
                "Helm chart definition: expected a mapping of chart fields",
            );
            continue;
        }
        // The first name declared is the chart's.
        if helm3
            && rec.name.is_none()
            && let Some(name) = doc.get("name").and_then(Node::as_str)
        {
            rec.name = Some(name.to_string());
            rec.engine = cat.engine_for_chart(name).map(|e| e.id.clone());
        }
        let Some(deps) = doc.get("dependencies") else {
            continue;
        };
        let Some(deps) = deps.as_seq() else {
            if !deps.is_null() {
                out.error(
                    Some(deps.span.line),
                    "Helm chart definition: `dependencies` is not a list",
                );
            }
            continue;
        };
        for dep in deps {
            let text = |k: &str| dep.get(k).and_then(Node::as_str).map(str::to_string);
            let Some(name) = text("name").filter(|n| !n.is_empty()) else {
                out.error(
                    Some(dep.span.line),
                    "Helm chart definition: a dependency without a `name`",
                );
                continue;
            };
            rec.dependencies.push(Dependency {
                engine: cat.engine_for_chart(&name).map(|e| e.id.clone()),
                alias: text("alias"),
                condition: text("condition"),
                repository: text("repository"),
                name,
            });
        }
    }
    out.helm = Some(Box::new(HelmUnit::Chart(rec)));
}

/// Positions as the front-end driver finishes a file's facts: kept inside
/// the file and anchored on their first line's normalised text.
struct Lines<'a> {
    idx: LineIndex<'a>,
    end: (u32, u32),
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let idx = LineIndex::new(text);
        let end = idx.end_position();
        Lines { idx, end }
    }

    fn mark(&self, mut span: Span) -> Mark {
        if (span.end_line, span.end_column) > self.end {
            (span.end_line, span.end_column) = self.end;
        }
        if (span.line, span.column) > self.end {
            (span.line, span.column) = self.end;
        }
        Mark {
            span,
            anchor: normalise(self.idx.line_text(span.line)),
        }
    }

    fn gap(&self, g: Gap) -> GapNote {
        GapNote {
            at: g.span.map(|s| self.mark(s)),
            how: g.how.to_string(),
            detail: g.detail,
        }
    }
}

/// A values file. Sub-trees are judged here; which of them are datastores,
/// of which engine, is decided by [`resolve`] once the chart definitions
/// beside the file are known. The facts for no chart definition are
/// inserted now.
pub fn analyze(text: &str, docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let cat = &ctx.vocab.catalogue;
    let lines = Lines::new(text);
    let mut unit = ValuesUnit {
        fallback: named_fallback(ctx.path, cat),
        ..Default::default()
    };
    let mut speculative = 0usize;
    for doc in docs {
        if !doc.is_map() {
            continue;
        }
        let doc_span = Span::new(doc.span.line, 1, doc.span.end_line, doc.span.end_column);
        // A single chart's own values: no chart definition changes them.
        if let Some(engine) = image_engine(doc, cat) {
            let name = chart_folder(ctx.path);
            let d = draft(doc, doc_span, cat, &lines);
            out.facts.extend(emit(&d, &name, &engine.id));
            continue;
        }
        let mut keys = Vec::new();
        let mut found = false;
        for (name, key, value) in doc.entries() {
            if !value.is_map() {
                continue;
            }
            let engine = cat
                .engine_for_chart(name)
                .or_else(|| image_engine(value, cat));
            found |= engine.is_some();
            // `mongodb: {enabled: false}` switches the dependency off.
            let disabled = value.get("enabled").and_then(Node::as_bool) == Some(false);
            if engine.is_none() {
                speculative += 1;
            }
            let judged = !disabled && (engine.is_some() || speculative <= MAX_SPECULATIVE);
            keys.push(KeyDraft {
                name: name.to_string(),
                engine: engine.map(|e| e.id.clone()),
                draft: judged.then(|| draft(value, block_span(key, value), cat, &lines)),
            });
        }
        // A chart definition only ever adds sub-charts, so the document as
        // one chart's values is needed only when no key is one without it.
        let whole = (!found).then(|| draft(doc, doc_span, cat, &lines));
        let mut switches = Vec::new();
        collect_switches(doc, "", 0, &mut switches);
        unit.docs.push(ValuesDoc {
            at: out.facts.len(),
            keys,
            whole,
            switches,
        });
    }
    if unit.docs.is_empty() {
        return;
    }
    let new = resolve_values(&unit, None);
    out.helm = Some(Box::new(HelmUnit::Values(unit)));
    apply(out, new);
}

/// The chart definitions of one folder, merged in [`CHART_FILES`] order.
#[derive(Default)]
struct Chart<'a> {
    /// The chart's name and its catalogued engine.
    named: Option<(&'a str, Option<&'a str>)>,
    deps: Vec<&'a Dependency>,
}

impl Chart<'_> {
    /// The engine of the sub-chart configured under `key` when an alias
    /// renames a catalogued chart to it.
    fn aliased(&self, key: &str) -> Option<&str> {
        self.deps
            .iter()
            .find(|d| {
                d.alias
                    .as_deref()
                    .is_some_and(|a| !a.is_empty() && a == key)
            })
            .and_then(|d| d.engine.as_deref())
    }

    /// Whether a dependency's `condition` switches the sub-chart under
    /// `key` off: its first path the values set decides.
    fn switched_off(&self, key: &str, switches: &[(String, bool)]) -> bool {
        self.deps
            .iter()
            .filter(|d| d.values_key() == key)
            .filter_map(|d| d.condition.as_deref())
            .any(|c| {
                c.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .find_map(|p| switches.iter().find(|(s, _)| s == p).map(|(_, b)| *b))
                    == Some(false)
            })
    }
}

/// Adds to every values file the facts that depend on the chart
/// definitions of its folder (none: the facts its analysis inserted).
pub fn resolve(files: &mut [ScannedFile]) {
    let mut results: Vec<(usize, Vec<(usize, Fact)>)> = Vec::new();
    {
        let mut defs: HashMap<&str, Vec<(usize, &ChartRecord)>> = HashMap::new();
        for f in files.iter() {
            if let Some(HelmUnit::Chart(rec)) = f.facts.helm.as_deref()
                && let Some(rank) = chart_rank(&f.path)
            {
                defs.entry(dir_of(&f.path)).or_default().push((rank, rec));
            }
        }
        let mut charts: HashMap<&str, Chart> = HashMap::new();
        for (dir, mut recs) in defs {
            recs.sort_by_key(|(rank, _)| *rank);
            let mut chart = Chart::default();
            for (_, rec) in recs {
                if chart.named.is_none()
                    && let Some(name) = &rec.name
                {
                    chart.named = Some((name, rec.engine.as_deref()));
                }
                chart.deps.extend(rec.dependencies.iter());
            }
            charts.insert(dir, chart);
        }
        for (i, f) in files.iter().enumerate() {
            if let Some(HelmUnit::Values(unit)) = f.facts.helm.as_deref() {
                results.push((i, resolve_values(unit, charts.get(dir_of(&f.path)))));
            }
        }
    }
    for (i, new) in results {
        if let Some(f) = files.get_mut(i) {
            apply(&mut f.facts, new);
        }
    }
}

/// The facts of a values file's documents under a chart definition, each
/// with the position it takes among the file's own facts.
fn resolve_values(unit: &ValuesUnit, chart: Option<&Chart>) -> Vec<(usize, Fact)> {
    let mut out = Vec::new();
    for doc in &unit.docs {
        let mut found = false;
        for k in &doc.keys {
            // A dependency renamed by `alias:` is configured under its alias.
            let engine = chart
                .and_then(|c| c.aliased(&k.name))
                .or(k.engine.as_deref());
            found |= engine.is_some();
            let off = chart.is_some_and(|c| c.switched_off(&k.name, &doc.switches));
            if let (Some(engine), Some(d)) = (engine, &k.draft)
                && !off
            {
                out.extend(emit(d, &k.name, engine).into_iter().map(|f| (doc.at, f)));
            }
        }
        // No sub-chart: the values of one chart installed directly, named
        // by its chart definition (catalogued or not), else by its folder
        // or the file (`redis-values.yaml`).
        if !found && let Some(d) = &doc.whole {
            let named = match chart.and_then(|c| c.named) {
                Some((name, engine)) => engine.map(|e| (name, e)),
                None => unit
                    .fallback
                    .as_ref()
                    .map(|(n, e)| (n.as_str(), e.as_str())),
            };
            if let Some((name, engine)) = named {
                out.extend(emit(d, name, engine).into_iter().map(|f| (doc.at, f)));
            }
        }
    }
    out
}

/// Replaces the facts a previous resolution inserted with `new`.
fn apply(facts: &mut FileFacts, new: Vec<(usize, Fact)>) {
    if let Some(HelmUnit::Values(unit)) = facts.helm.as_deref_mut() {
        crate::frontend::replace_resolved(&mut facts.facts, &mut unit.resolved_at, new);
    }
}

/// The catalogued chart a values file's folder or own name points to:
/// `(release name, engine id)`.
fn named_fallback(path: &str, cat: &Catalogue) -> Option<(String, String)> {
    let folder = chart_folder(path);
    if let Some(e) = cat.engine_for_chart(&folder) {
        return Some((folder, e.id.clone()));
    }
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(&file);
    stem.split(['-', '_', '.'])
        .filter(|w| *w != "values")
        .find_map(|w| {
            cat.engine_for_chart(w)
                .map(|e| (w.to_string(), e.id.clone()))
        })
}

/// The folder holding the values file: the chart's name.
fn chart_folder(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.pop().unwrap_or("values").to_string()
}

fn image_engine<'a>(n: &Node, cat: &'a Catalogue) -> Option<&'a Engine> {
    let image = n.get("image")?;
    let repo = match image.as_str() {
        Some(s) => s.to_string(),
        None => {
            let r = image.get("repository")?.as_str()?;
            match image.get("registry").and_then(Node::as_str) {
                Some(reg) if !reg.is_empty() => format!("{reg}/{r}"),
                _ => r.to_string(),
            }
        }
    };
    cat.engine_for_image(&repo)
}

/// Boolean values by dotted path, down to a small depth, for dependency
/// conditions (`mongodb.enabled`, `features.cache`).
fn collect_switches(n: &Node, prefix: &str, depth: usize, out: &mut Vec<(String, bool)>) {
    for (k, _, v) in n.entries() {
        if out.len() >= MAX_SWITCHES {
            return;
        }
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        if let Some(b) = v.as_bool() {
            out.push((path, b));
        } else if v.is_map() && depth + 1 < SWITCH_DEPTH {
            collect_switches(v, &path, depth + 1, out);
        }
    }
}

/// Every `(path, key, value)` in a sub-chart's values down to a small depth,
/// skipping helper sub-trees.
fn walk<'a>(n: &'a Node, prefix: &str, depth: usize, out: &mut Vec<(String, &'a Node, &'a Node)>) {
    if depth > MAX_DEPTH {
        return;
    }
    for (k, kn, v) in n.entries() {
        if HELPER_KEYS.contains(&k) {
            continue;
        }
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        out.push((path.clone(), kn, v));
        // A disabled part (`externalAccess.enabled: false`) configures
        // nothing that runs.
        let disabled = v.get("enabled").and_then(Node::as_bool) == Some(false);
        if v.is_map() && !disabled {
            walk(v, &path, depth + 1, out);
        }
    }
}

/// Judges a values sub-tree as a datastore's values, for every engine of
/// the catalogue at once.
fn draft(values: &Node, block: Span, cat: &Catalogue, lines: &Lines) -> Draft {
    let mut d = Draft {
        block: lines.mark(block),
        overrides: overrides(values),
        ..Default::default()
    };
    let mut all = Vec::new();
    walk(values, "", 0, &mut all);

    for (path, kn, v) in &all {
        let last = path.rsplit('.').next().unwrap_or(path);
        let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        let parent_last = parent.rsplit('.').next().unwrap_or(parent);
        let in_service = parent_last.eq_ignore_ascii_case("service")
            || parent_last.ends_with("Service")
            || parent_last == "services";
        let mut exposure = |how: &str, detail: String| {
            d.exposures.push(ExposureNote {
                at: lines.mark(entry_span(kn, v)),
                how: how.to_string(),
                detail,
            });
        };
        if last == "type" && in_service {
            let ty = v.as_str().unwrap_or("");
            let internal = internal_service(values, parent);
            if ty == "LoadBalancer" && !internal {
                exposure(
                    "load-balancer",
                    format!("`{path}: LoadBalancer` gives it an external address"),
                );
            } else if ty == "NodePort" {
                exposure(
                    "node-port",
                    format!("`{path}: NodePort` opens it on every node's address"),
                );
            }
        }
        if path.ends_with("externalAccess.enabled") && v.as_bool() == Some(true) {
            exposure(
                "external-access",
                "`externalAccess.enabled: true` gives each member an external address".into(),
            );
        }
    }

    // Authentication switches every chart understands.
    for sw in OFF_SWITCHES {
        if let Some((kn, v)) = values.setting(sw)
            && v.as_bool() == Some(false)
        {
            d.off.push(lines.gap(Gap {
                how: "security-disabled",
                detail: format!("`{sw}: false` switches authentication off"),
                span: Some(entry_span(kn, v)),
            }));
        }
    }
    // Catalogue settings given in the values or their config sections.
    let mut configs: Vec<&Node> = vec![values];
    let mut parsed: Vec<(Span, Vec<Node>)> = Vec::new();
    for ck in CONFIG_KEYS {
        if let Some((kn, c)) = values.get_entry(ck) {
            collect_configs(kn, c, &mut configs, &mut parsed);
        }
    }
    // Extra environment and flags for the container.
    let mut c = Container::default();
    for ek in ENV_KEYS {
        if let Some(env) = values.get(ek) {
            if env.as_seq().is_some() {
                container::read_k8s_env(env, &mut c.env);
            } else {
                container::read_compose_env(env, &mut c.env);
            }
        }
    }
    for e in &c.env {
        if let Some(raw) = &e.raw {
            d.env.push(EnvNote {
                at: lines.mark(e.span),
                name: e.name.clone(),
                value: raw.clone(),
            });
        }
    }
    for ak in ARG_KEYS {
        if let Some(a) = values.get(ak) {
            container::read_args(a, &mut c.args);
        }
    }
    for engine in &cat.engines {
        let mut off = engine_settings_off(engine, &configs, &parsed);
        off.extend(container::disabled_by(engine, &c));
        let weak = container::weak_passwords(engine, &c, cat);
        if !off.is_empty() || !weak.is_empty() {
            d.by_engine.push(EngineGaps {
                engine: engine.id.clone(),
                off: off.into_iter().map(|g| lines.gap(g)).collect(),
                weak: weak.into_iter().map(|g| lines.gap(g)).collect(),
            });
        }
    }
    // Password values written into the chart values.
    for (path, kn, v) in &all {
        let last = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
        if !last.contains("password")
            || [
                "secret", "key", "file", "existing", "policy", "length", "hash",
            ]
            .iter()
            .any(|w| last.contains(w))
        {
            continue;
        }
        let NodeKind::Scalar { value, .. } = &v.kind else {
            continue;
        };
        // An empty chart password means "generate one".
        if v.is_null() || value.trim().is_empty() {
            continue;
        }
        if let Some(g) = container::password_gap(path, value, entry_span(kn, v), cat) {
            d.passwords.push(lines.gap(g));
        }
    }
    d
}

/// An engine's catalogue `off` settings in the values, their config maps
/// and embedded config files.
fn engine_settings_off(
    engine: &Engine,
    configs: &[&Node],
    parsed: &[(Span, Vec<Node>)],
) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for m in &engine.auth.off {
        let Some(setting) = &m.setting else { continue };
        for c in configs {
            if let Some((kn, v)) = c.setting(setting)
                && let Some(s) = v.as_str()
                && m.value_matches(s)
            {
                gaps.push(Gap {
                    how: "security-disabled",
                    detail: format!("`{setting}: {s}` switches authentication off"),
                    span: Some(entry_span(kn, v)),
                });
            }
        }
        for (span, docs) in parsed {
            for d in docs {
                if let Some((_, v)) = d.setting(setting)
                    && let Some(s) = v.as_str()
                    && m.value_matches(s)
                {
                    gaps.push(Gap {
                        how: "security-disabled",
                        detail: format!(
                            "`{setting}: {s}` in the embedded configuration switches authentication off"
                        ),
                        span: Some(*span),
                    });
                }
            }
        }
    }
    gaps
}

/// The facts of a drafted sub-tree as the datastore `name` of `engine`.
fn emit(d: &Draft, name: &str, engine: &str) -> Vec<Fact> {
    let key = format!("helm:{name}");
    let fact = |at: &Mark, data: FactData| Fact {
        span: at.span,
        anchor: at.anchor.clone(),
        data,
    };
    let mut hostnames = vec![name.to_string()];
    for o in &d.overrides {
        if !hostnames.contains(o) {
            hostnames.push(o.clone());
        }
    }
    let mut out = vec![fact(
        &d.block,
        FactData::Datastore(Datastore {
            key: key.clone(),
            engine: engine.to_string(),
            name: name.to_string(),
            source: Source::Helm,
            hostnames,
        }),
    )];
    for e in &d.exposures {
        out.push(fact(
            &e.at,
            FactData::Exposure(Exposure {
                datastore: Some(key.clone()),
                engine: engine.to_string(),
                store_name: name.to_string(),
                source: Source::Helm,
                how: e.how.clone(),
                detail: e.detail.clone(),
            }),
        ));
    }
    for e in &d.env {
        out.push(fact(
            &e.at,
            FactData::EnvValue(EnvValue {
                scope: Some(name.to_string()),
                name: e.name.clone(),
                value: e.value.clone(),
            }),
        ));
    }
    let specific = d.by_engine.iter().find(|g| g.engine == engine);
    let mut gaps: Vec<&GapNote> = d.off.iter().collect();
    gaps.extend(specific.into_iter().flat_map(|g| &g.off));
    if gaps.is_empty() {
        gaps.extend(specific.into_iter().flat_map(|g| &g.weak));
        gaps.extend(&d.passwords);
    }
    let mut seen: Vec<Option<Span>> = Vec::new();
    for g in gaps {
        let span = g.at.as_ref().map(|m| m.span);
        if seen.contains(&span) {
            continue;
        }
        seen.push(span);
        out.push(fact(
            g.at.as_ref().unwrap_or(&d.block),
            FactData::AuthGap(AuthGap {
                datastore: Some(key.clone()),
                engine: engine.to_string(),
                store_name: name.to_string(),
                source: Source::Helm,
                how: g.how.clone(),
                detail: g.detail.clone(),
            }),
        ));
    }
    out
}

/// The names a sub-chart's values give the release's objects besides its
/// key (`fullnameOverride`, `nameOverride`).
fn overrides(values: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in ["fullnameOverride", "nameOverride"] {
        if let Some(n) = values.get(k).and_then(Node::as_str)
            && !n.is_empty()
            && !out.iter().any(|o| o == n)
        {
            out.push(n.to_string());
        }
    }
    out
}

/// Config maps and embedded config files (`elasticsearch.yml: |` blocks).
fn collect_configs<'a>(
    kn: &Node,
    c: &'a Node,
    maps: &mut Vec<&'a Node>,
    parsed: &mut Vec<(Span, Vec<Node>)>,
) {
    match &c.kind {
        NodeKind::Map(_) => {
            maps.push(c);
            for (_, k2, v2) in c.entries() {
                if let NodeKind::Scalar { value, .. } = &v2.kind
                    && value.contains('\n')
                    && let Ok(docs) = super::tree::parse(value)
                {
                    parsed.push((entry_span(k2, v2), docs));
                }
            }
        }
        NodeKind::Scalar { value, .. } if value.contains('\n') => {
            if let Ok(docs) = super::tree::parse(value) {
                parsed.push((entry_span(kn, c), docs));
            }
        }
        _ => {}
    }
}

/// Whether the Service configured at `path` is an internal load balancer
/// (cloud annotations) or limited to private source ranges.
fn internal_service(values: &Node, path: &str) -> bool {
    let keys: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let Some(svc) = values.path(&keys) else {
        return false;
    };
    let internal_ann = svc.get("annotations").is_some_and(|a| {
        a.entries().iter().any(|(k, _, v)| {
            let v = v.as_str().unwrap_or("").trim().to_ascii_lowercase();
            let k = k.to_ascii_lowercase();
            (k.contains("internal") && (v == "true" || v == "0.0.0.0/0"))
                || (k.ends_with("load-balancer-type") && v == "internal")
                || (k.ends_with("load-balancer-scheme") && v == "internal")
        })
    });
    let ranges: Vec<&str> = svc
        .get("loadBalancerSourceRanges")
        .and_then(Node::as_seq)
        .map(|s| s.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    internal_ann || (!ranges.is_empty() && ranges.iter().all(|r| super::k8s::is_private_cidr(r)))
}
