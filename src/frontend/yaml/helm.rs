//! Helm values files: a top-level key naming a catalogued chart (an
//! umbrella chart's sub-chart, `mongodb:`, `redis:`) or whose
//! `image.repository` is a catalogued image is a datastore. Its Service
//! types, external access, auth switches, extra environment and password
//! values are judged. Chart defaults are not guessed: only what the values
//! say counts.

use super::container::{self, Container, Gap, block_span, entry_span};
use super::tree::{Node, NodeKind};
use crate::facts::{AuthGap, Datastore, EnvValue, Exposure, FactData, FileFacts, Source};
use crate::frontend::Ctx;
use crate::span::Span;
use crate::vocab::{Catalogue, Engine};

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

pub fn analyze(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let cat = &ctx.vocab.catalogue;
    for doc in docs {
        if !doc.is_map() {
            continue;
        }
        // A single chart's own values.
        if let Some(engine) = image_engine(doc, cat) {
            let name = chart_folder(ctx.path);
            let span = Span::new(doc.span.line, 1, doc.span.end_line, doc.span.end_column);
            subchart(&name, span, doc, engine, ctx, out);
            continue;
        }
        let aliases = dependency_aliases(ctx.path);
        let mut found = false;
        for (name, key, value) in doc.entries() {
            if !value.is_map() {
                continue;
            }
            // A dependency renamed by `alias:` in Chart.yaml is configured
            // under its alias.
            let aliased = aliases
                .iter()
                .find(|(alias, _)| alias == name)
                .and_then(|(_, chart)| cat.engine_for_chart(chart));
            let engine = aliased
                .or_else(|| cat.engine_for_chart(name))
                .or_else(|| image_engine(value, cat));
            // `mongodb: {enabled: false}` switches the dependency off.
            let disabled = value.get("enabled").and_then(Node::as_bool) == Some(false);
            if let Some(engine) = engine
                && !disabled
            {
                subchart(name, block_span(key, value), value, engine, ctx, out);
            }
            found |= engine.is_some();
        }
        // No sub-chart: the values of one chart installed directly, named
        // by its Chart.yaml, its folder or the file (`redis-values.yaml`).
        if !found && let Some((name, engine)) = named_chart(ctx.path, cat) {
            let span = Span::new(doc.span.line, 1, doc.span.end_line, doc.span.end_column);
            subchart(&name, span, doc, engine, ctx, out);
        }
    }
}

/// The catalogued chart a values file is for, when its chart's Chart.yaml,
/// its folder or its own name says so: `(release name, engine)`.
fn named_chart<'a>(path: &str, cat: &'a Catalogue) -> Option<(String, &'a Engine)> {
    let p = std::path::Path::new(path);
    if let Some(dir) = p.parent() {
        for name in &CHART_FILES[..2] {
            let Some(text) = read_small(&dir.join(name)) else {
                continue;
            };
            // A chart that declares its own name decides, catalogued or not.
            if let Ok(docs) = super::tree::parse(&text)
                && let Some(chart) = docs
                    .iter()
                    .find_map(|d| d.get("name").and_then(Node::as_str))
            {
                return cat.engine_for_chart(chart).map(|e| (chart.to_string(), e));
            }
        }
    }
    let folder = chart_folder(path);
    if let Some(e) = cat.engine_for_chart(&folder) {
        return Some((folder, e));
    }
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(&file);
    stem.split(['-', '_', '.'])
        .filter(|w| *w != "values")
        .find_map(|w| cat.engine_for_chart(w).map(|e| (w.to_string(), e)))
}

/// Chart definitions a values file may sit beside (Helm 3, then Helm 2).
const CHART_FILES: &[&str] = &[
    "Chart.yaml",
    "Chart.yml",
    "requirements.yaml",
    "requirements.yml",
];
/// A chart definition larger than this is not read.
const MAX_CHART_BYTES: u64 = 256 * 1024;

/// `(alias, chart)` pairs of the dependencies declared in the Chart.yaml
/// (or Helm 2 requirements.yaml) beside a values file. Only the values
/// file's own folder is read, so nothing outside the scanned tree is.
/// (The result cache keys a values file by its own content: a change to
/// the aliases alone is seen once the values file changes or the cache is
/// cleared.)
fn dependency_aliases(path: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(dir) = std::path::Path::new(path).parent() else {
        return out;
    };
    for name in CHART_FILES {
        let Some(text) = read_small(&dir.join(name)) else {
            continue;
        };
        let Ok(docs) = super::tree::parse(&text) else {
            continue;
        };
        for doc in &docs {
            let Some(deps) = doc.get("dependencies").and_then(Node::as_seq) else {
                continue;
            };
            for dep in deps {
                if let (Some(chart), Some(alias)) = (
                    dep.get("name").and_then(Node::as_str),
                    dep.get("alias").and_then(Node::as_str),
                ) && !alias.is_empty()
                {
                    out.push((alias.to_string(), chart.to_string()));
                }
            }
        }
    }
    out
}

/// A regular file's text, when it is small enough to read.
fn read_small(file: &std::path::Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_CHART_BYTES {
        return None;
    }
    std::fs::read_to_string(file).ok()
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

fn subchart(
    name: &str,
    block: Span,
    values: &Node,
    engine: &Engine,
    ctx: &Ctx,
    out: &mut FileFacts,
) {
    let cat = &ctx.vocab.catalogue;
    let key = format!("helm:{name}");
    out.push(
        block,
        FactData::Datastore(Datastore {
            key: key.clone(),
            engine: engine.id.clone(),
            name: name.to_string(),
            source: Source::Helm,
            hostnames: hostnames(name, values),
        }),
    );
    let mut all = Vec::new();
    walk(values, "", 0, &mut all);

    let exposure = |how: &str, detail: String| {
        FactData::Exposure(Exposure {
            datastore: Some(key.clone()),
            engine: engine.id.clone(),
            store_name: name.to_string(),
            source: Source::Helm,
            how: how.to_string(),
            detail,
        })
    };
    for (path, kn, v) in &all {
        let last = path.rsplit('.').next().unwrap_or(path);
        let parent = path.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        let parent_last = parent.rsplit('.').next().unwrap_or(parent);
        let in_service = parent_last.eq_ignore_ascii_case("service")
            || parent_last.ends_with("Service")
            || parent_last == "services";
        if last == "type" && in_service {
            let ty = v.as_str().unwrap_or("");
            let internal = internal_service(values, parent);
            if ty == "LoadBalancer" && !internal {
                out.push(
                    entry_span(kn, v),
                    exposure(
                        "load-balancer",
                        format!("`{path}: LoadBalancer` gives it an external address"),
                    ),
                );
            } else if ty == "NodePort" {
                out.push(
                    entry_span(kn, v),
                    exposure(
                        "node-port",
                        format!("`{path}: NodePort` opens it on every node's address"),
                    ),
                );
            }
        }
        if path.ends_with("externalAccess.enabled") && v.as_bool() == Some(true) {
            out.push(
                entry_span(kn, v),
                exposure(
                    "external-access",
                    "`externalAccess.enabled: true` gives each member an external address".into(),
                ),
            );
        }
    }

    // Authentication.
    let mut gaps: Vec<Gap> = Vec::new();
    for sw in OFF_SWITCHES {
        if let Some((kn, v)) = values.setting(sw)
            && v.as_bool() == Some(false)
        {
            gaps.push(Gap {
                how: "security-disabled",
                detail: format!("`{sw}: false` switches authentication off"),
                span: Some(entry_span(kn, v)),
            });
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
    for m in &engine.auth.off {
        let Some(setting) = &m.setting else { continue };
        for c in &configs {
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
        for (span, docs) in &parsed {
            for d in docs {
                if let Some((_, v)) = d.setting(setting)
                    && let Some(s) = v.as_str()
                    && m.value_matches(s)
                {
                    gaps.push(Gap {
                        how: "security-disabled",
                        detail: format!("`{setting}: {s}` in the embedded configuration switches authentication off"),
                        span: Some(*span),
                    });
                }
            }
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
            out.push(
                e.span,
                FactData::EnvValue(EnvValue {
                    scope: Some(name.to_string()),
                    name: e.name.clone(),
                    value: raw.clone(),
                }),
            );
        }
    }
    for ak in ARG_KEYS {
        if let Some(a) = values.get(ak) {
            container::read_args(a, &mut c.args);
        }
    }
    gaps.extend(container::disabled_by(engine, &c));
    if gaps.is_empty() {
        gaps.extend(container::weak_passwords(engine, &c, cat));
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
                gaps.push(g);
            }
        }
    }
    let mut seen = Vec::new();
    for g in gaps {
        if seen.contains(&g.span) {
            continue;
        }
        seen.push(g.span);
        out.push(
            g.span.unwrap_or(block),
            FactData::AuthGap(AuthGap {
                datastore: Some(key.clone()),
                engine: engine.id.clone(),
                store_name: name.to_string(),
                source: Source::Helm,
                how: g.how.to_string(),
                detail: g.detail,
            }),
        );
    }
}

/// The sub-chart key and the names its values give the release's objects.
fn hostnames(name: &str, values: &Node) -> Vec<String> {
    let mut out = vec![name.to_string()];
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
