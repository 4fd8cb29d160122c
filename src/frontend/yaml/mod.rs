//! Infrastructure YAML: the file's kind is decided from its name and
//! content, then one module per kind extracts datastore facts.

pub mod cfn;
pub mod compose;
pub mod container;
pub mod dsconfig;
pub mod helm;
pub mod k8s;
pub mod tree;

use crate::facts::FileFacts;

use super::Ctx;
use tree::Node;

/// The kinds of YAML file leakguard understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlKind {
    Compose,
    Kubernetes,
    Cloudformation,
    HelmValues,
    /// `Chart.yaml` or Helm 2's `requirements.yaml` (see `helm::resolve`).
    HelmChart,
    ElasticsearchConfig,
    MongodConfig,
    Other,
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

/// `docker-compose*.yml|yaml` and `compose*.yml|yaml`, overrides included.
pub fn is_compose_name(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

pub fn kind_of(path: &str, docs: &[Node]) -> YamlKind {
    let name = file_name(path);
    if is_compose_name(&name) {
        return YamlKind::Compose;
    }
    let is_cfn = docs.iter().any(|d| {
        d.get("AWSTemplateFormatVersion").is_some()
            || d.get("Resources").is_some_and(|r| {
                r.entries().iter().any(|(_, _, v)| {
                    v.get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
    });
    if is_cfn {
        return YamlKind::Cloudformation;
    }
    if docs
        .iter()
        .any(|d| d.get("apiVersion").is_some() && d.get("kind").is_some())
    {
        return YamlKind::Kubernetes;
    }
    if helm::is_chart_file(path, docs) {
        return YamlKind::HelmChart;
    }
    // Config files by name, once content has ruled out a template or a
    // manifest that merely shares the name (`k8s/opensearch.yaml`).
    if matches!(
        name.as_str(),
        "elasticsearch.yml" | "elasticsearch.yaml" | "opensearch.yml" | "opensearch.yaml"
    ) {
        return YamlKind::ElasticsearchConfig;
    }
    if name.starts_with("mongod")
        && (name.ends_with(".conf") || name.ends_with(".yaml") || name.ends_with(".yml"))
    {
        return YamlKind::MongodConfig;
    }
    // `values.yaml`, `values-prod.yaml`, `redis-values.yaml`,
    // `opensearch.values.yaml`.
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(&name);
    if stem.starts_with("values")
        || stem.ends_with("-values")
        || stem.ends_with("_values")
        || stem.ends_with(".values")
    {
        return YamlKind::HelmValues;
    }
    let compose_shape = docs.iter().any(|d| {
        d.get("services").is_some_and(|s| {
            let e = s.entries();
            !e.is_empty()
                && e.iter()
                    .all(|(_, _, svc)| svc.get("image").is_some() || svc.get("build").is_some())
        })
    });
    if compose_shape {
        return YamlKind::Compose;
    }
    YamlKind::Other
}

pub fn analyze(text: &str, ctx: &Ctx) -> FileFacts {
    let mut out = FileFacts::default();
    let docs = match tree::parse(text) {
        Ok(d) => d,
        Err(e) => {
            out.error(Some(e.line), format!("invalid YAML: {}", e.message));
            return out;
        }
    };
    match kind_of(ctx.path, &docs) {
        YamlKind::Compose => compose::analyze(&docs, ctx, &mut out),
        YamlKind::Kubernetes => k8s::analyze(&docs, ctx, &mut out),
        YamlKind::Cloudformation => cfn::analyze(&docs, ctx, &mut out),
        YamlKind::HelmValues => helm::analyze(text, &docs, ctx, &mut out),
        YamlKind::HelmChart => helm::analyze_chart(&docs, ctx, &mut out),
        YamlKind::ElasticsearchConfig => dsconfig::analyze_elasticsearch(&docs, ctx, &mut out),
        YamlKind::MongodConfig => dsconfig::analyze_mongod(&docs, ctx, &mut out),
        YamlKind::Other => {}
    }
    out
}
