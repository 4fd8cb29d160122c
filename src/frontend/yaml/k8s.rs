//! Kubernetes manifests: workloads whose containers run a catalogued
//! datastore become datastores; Services whose selector matches their pod
//! labels give them host names and, when of type LoadBalancer/NodePort or
//! with external IPs, exposures; so do Ingresses routing to such Services,
//! `hostNetwork` and `hostPort`. Container environment and command lines
//! are judged against the catalogue's auth model. ConfigMap data and
//! container environment become environment facts.

use std::collections::BTreeMap;

use super::container::{self, Container, EnvSource, EnvVar, entry_span, is_config_mount};
use super::tree::Node;
use crate::facts::{AuthGap, Datastore, EnvValue, Exposure, FactData, FileFacts, Source};
use crate::frontend::Ctx;
use crate::span::Span;
use crate::vocab::{Catalogue, Engine};

const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "Job",
    "CronJob",
];

/// Annotations that make a LoadBalancer internal to the cloud network.
const INTERNAL_LB_ANNOTATIONS: &[(&str, &[&str])] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true", "0.0.0.0/0"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        &["true"],
    ),
    ("networking.gke.io/load-balancer-type", &["internal"]),
    ("cloud.google.com/load-balancer-type", &["internal"]),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        &["true"],
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        &["private"],
    ),
];

struct Doc<'a> {
    node: &'a Node,
    kind: String,
    name: String,
    namespace: String,
    /// From the `apiVersion` line to the document's end.
    span: Span,
}

struct Workload<'a> {
    doc: &'a Doc<'a>,
    key: String,
    engine: &'a Engine,
    labels: BTreeMap<String, String>,
    pod_spec: &'a Node,
}

struct Service<'a> {
    doc: &'a Doc<'a>,
    selector: BTreeMap<String, String>,
}

fn string_map(n: Option<&Node>) -> BTreeMap<String, String> {
    n.map(|m| {
        m.entries()
            .into_iter()
            .filter_map(|(k, _, v)| v.as_str().map(|s| (k.to_string(), s.to_string())))
            .collect()
    })
    .unwrap_or_default()
}

fn flatten<'a>(docs: &'a [Node], out: &mut Vec<Doc<'a>>) {
    for d in docs {
        push_doc(d, out, 0);
    }
}

fn push_doc<'a>(d: &'a Node, out: &mut Vec<Doc<'a>>, depth: usize) {
    let Some(kind) = d.get("kind").and_then(Node::as_str) else {
        return;
    };
    if kind.ends_with("List") && depth < 4 {
        if let Some(items) = d.get("items").and_then(Node::as_seq) {
            for it in items {
                push_doc(it, out, depth + 1);
            }
        }
        return;
    }
    let meta = d.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    let start = d
        .get_entry("apiVersion")
        .map(|(k, _)| k.span)
        .filter(|s| (s.line, s.column) >= (d.span.line, d.span.column))
        .unwrap_or(d.span);
    let span = Span::new(start.line, start.column, d.span.end_line, d.span.end_column);
    out.push(Doc {
        node: d,
        kind: kind.to_string(),
        name,
        namespace,
        span,
    });
}

/// The pod template of a workload: `(pod metadata, pod spec)`.
fn pod_of<'a>(doc: &Doc<'a>) -> Option<(Option<&'a Node>, &'a Node)> {
    let d = doc.node;
    match doc.kind.as_str() {
        "Pod" => Some((d.get("metadata"), d.get("spec")?)),
        "CronJob" => {
            let t = d.path(&["spec", "jobTemplate", "spec", "template"])?;
            Some((t.get("metadata"), t.get("spec")?))
        }
        _ => {
            let t = d.path(&["spec", "template"])?;
            Some((t.get("metadata"), t.get("spec")?))
        }
    }
}

/// Names and values a ConfigMap or Secret in this file provides.
type EnvSources = BTreeMap<(String, String, String), Vec<(String, EnvSource)>>;

fn env_sources(docs: &[Doc]) -> EnvSources {
    let mut m = EnvSources::new();
    for d in docs {
        let entries: Vec<(String, EnvSource)> = match d.kind.as_str() {
            "ConfigMap" => d
                .node
                .get("data")
                .map(|data| {
                    data.entries()
                        .into_iter()
                        .map(|(k, _, v)| {
                            (
                                k.to_string(),
                                EnvSource::Literal(v.as_str().unwrap_or("").to_string()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            // Secret values are kept out of the repository's plain text
            // judgement: they count as set.
            "Secret" => ["data", "stringData"]
                .iter()
                .filter_map(|k| d.node.get(k))
                .flat_map(|data| {
                    data.entries()
                        .into_iter()
                        .map(|(k, _, _)| (k.to_string(), EnvSource::External))
                })
                .collect(),
            _ => continue,
        };
        m.insert(
            (d.kind.clone(), d.namespace.clone(), d.name.clone()),
            entries,
        );
    }
    m
}

fn read_container(c: &Node, doc: &Doc, sources: &EnvSources) -> Container {
    let mut out = Container {
        image: c.get("image").and_then(Node::as_str).map(str::to_string),
        ..Default::default()
    };
    if let Some(env) = c.get("env") {
        container::read_k8s_env(env, &mut out.env);
    }
    if let Some(from) = c.get("envFrom").and_then(Node::as_seq) {
        for f in from {
            let prefix = f.get("prefix").and_then(Node::as_str).unwrap_or("");
            let found = [("configMapRef", "ConfigMap"), ("secretRef", "Secret")]
                .iter()
                .find_map(|(field, kind)| {
                    let name = f.get(field)?.get("name")?.as_str()?;
                    sources.get(&(kind.to_string(), doc.namespace.clone(), name.to_string()))
                });
            match found {
                Some(entries) => {
                    for (name, value) in entries {
                        out.env.push(EnvVar {
                            name: format!("{prefix}{name}"),
                            value: value.clone(),
                            raw: None,
                            span: f.span,
                        });
                    }
                }
                None => out.opaque_env = true,
            }
        }
    }
    for k in ["command", "args"] {
        if let Some(n) = c.get(k) {
            container::read_args(n, &mut out.args);
        }
    }
    out.note_config_args();
    if let Some(mounts) = c.get("volumeMounts").and_then(Node::as_seq)
        && mounts.iter().any(|m| {
            m.get("mountPath")
                .and_then(Node::as_str)
                .is_some_and(is_config_mount)
        })
    {
        out.external_config = true;
    }
    out
}

fn containers(pod_spec: &Node) -> &[Node] {
    pod_spec
        .get("containers")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
}

fn dns_names(svc: &str, ns: &str) -> [String; 4] {
    [
        svc.to_string(),
        format!("{svc}.{ns}"),
        format!("{svc}.{ns}.svc"),
        format!("{svc}.{ns}.svc.cluster.local"),
    ]
}

pub(crate) fn is_private_cidr(cidr: &str) -> bool {
    let ip = cidr.split('/').next().unwrap_or("").trim();
    let octets: Vec<u8> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    if octets.len() == 4 {
        return octets[0] == 10
            || octets[0] == 127
            || (octets[0] == 172 && (16..32).contains(&octets[1]))
            || (octets[0] == 192 && octets[1] == 168)
            || (octets[0] == 100 && (64..128).contains(&octets[1]));
    }
    let l = ip.to_ascii_lowercase();
    l.starts_with("fc") || l.starts_with("fd") || l == "::1"
}

/// Why a Service of type LoadBalancer does not reach the internet, if so.
fn internal_lb(svc: &Node) -> bool {
    let ann = string_map(svc.path(&["metadata", "annotations"]));
    let internal = INTERNAL_LB_ANNOTATIONS.iter().any(|(k, vals)| {
        ann.get(*k)
            .is_some_and(|v| vals.iter().any(|x| v.trim().eq_ignore_ascii_case(x)))
    });
    let ranges: Vec<&str> = svc
        .path(&["spec", "loadBalancerSourceRanges"])
        .and_then(Node::as_seq)
        .map(|s| s.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    internal || (!ranges.is_empty() && ranges.iter().all(|r| is_private_cidr(r)))
}

pub fn analyze(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let mut all = Vec::new();
    flatten(docs, &mut all);
    let sources = env_sources(&all);
    let cat = &ctx.vocab.catalogue;

    // ConfigMap data as environment values.
    for d in &all {
        if d.kind != "ConfigMap" {
            continue;
        }
        if let Some(data) = d.node.get("data") {
            for (k, kn, v) in data.entries() {
                if let Some(s) = v.as_str() {
                    out.push(
                        entry_span(kn, v),
                        FactData::EnvValue(EnvValue {
                            scope: Some(d.name.clone()),
                            name: k.to_string(),
                            value: s.to_string(),
                        }),
                    );
                }
            }
        }
    }

    let mut workloads: Vec<(Workload, Container)> = Vec::new();
    for d in &all {
        if !WORKLOAD_KINDS.contains(&d.kind.as_str()) {
            continue;
        }
        let Some((pod_meta, pod_spec)) = pod_of(d) else {
            continue;
        };
        let mut chosen: Option<(&Engine, Container)> = None;
        for c in containers(pod_spec) {
            let cont = read_container(c, d, &sources);
            for e in &cont.env {
                if let Some(raw) = &e.raw {
                    out.push(
                        e.span,
                        FactData::EnvValue(EnvValue {
                            scope: Some(d.name.clone()),
                            name: e.name.clone(),
                            value: raw.clone(),
                        }),
                    );
                }
            }
            if chosen.is_none()
                && let Some(engine) = cont.image.as_deref().and_then(|i| cat.engine_for_image(i))
            {
                chosen = Some((engine, cont));
            }
        }
        let Some((engine, cont)) = chosen else {
            continue;
        };
        let mut labels = string_map(pod_meta.and_then(|m| m.get("labels")));
        if labels.is_empty() && d.kind == "Pod" {
            labels = string_map(d.node.path(&["metadata", "labels"]));
        }
        workloads.push((
            Workload {
                doc: d,
                key: format!("k8s:{}/{}", d.namespace, d.name),
                engine,
                labels,
                pod_spec,
            },
            cont,
        ));
    }

    let services: Vec<Service> = all
        .iter()
        .filter(|d| d.kind == "Service")
        .map(|d| Service {
            doc: d,
            selector: string_map(d.node.path(&["spec", "selector"])),
        })
        .collect();
    let selects = |s: &Service, w: &Workload| {
        s.doc.namespace == w.doc.namespace
            && !s.selector.is_empty()
            && s.selector.iter().all(|(k, v)| w.labels.get(k) == Some(v))
    };

    let exposure = |w: &Workload, how: &str, detail: String| {
        FactData::Exposure(Exposure {
            datastore: Some(w.key.clone()),
            engine: w.engine.id.clone(),
            store_name: w.doc.name.clone(),
            source: Source::Kubernetes,
            how: how.to_string(),
            detail,
        })
    };

    for (w, cont) in &workloads {
        let mut hostnames = vec![w.doc.name.clone()];
        for s in services.iter().filter(|s| selects(s, w)) {
            hostnames.extend(dns_names(&s.doc.name, &s.doc.namespace));
        }
        let mut seen = std::collections::BTreeSet::new();
        hostnames.retain(|h| !h.is_empty() && seen.insert(h.clone()));
        out.push(
            w.doc.span,
            FactData::Datastore(Datastore {
                key: w.key.clone(),
                engine: w.engine.id.clone(),
                name: w.doc.name.clone(),
                source: Source::Kubernetes,
                hostnames,
            }),
        );

        if let Some((k, v)) = w.pod_spec.get_entry("hostNetwork")
            && v.as_bool() == Some(true)
        {
            out.push(
                entry_span(k, v),
                exposure(
                    w,
                    "host-network",
                    "runs on the node's network (`hostNetwork: true`), so its ports are open on the node".into(),
                ),
            );
        }
        for c in containers(w.pod_spec) {
            let Some(ports) = c.get("ports").and_then(Node::as_seq) else {
                continue;
            };
            for p in ports {
                let Some((k, v)) = p.get_entry("hostPort") else {
                    continue;
                };
                let loopback = p
                    .get("hostIP")
                    .and_then(Node::as_str)
                    .is_some_and(|ip| ip.starts_with("127.") || ip == "::1");
                if v.is_null() || loopback {
                    continue;
                }
                let host = v.as_str().unwrap_or("");
                let target = p
                    .get("containerPort")
                    .and_then(Node::as_str)
                    .unwrap_or(host);
                out.push(
                    entry_span(k, v),
                    exposure(
                        w,
                        "host-port",
                        format!(
                            "maps container port {target} to port {host} on every node (`hostPort`)"
                        ),
                    ),
                );
            }
        }

        for g in container::evaluate_auth(w.engine, cont, cat) {
            out.push(
                g.span.unwrap_or(w.doc.span),
                FactData::AuthGap(AuthGap {
                    datastore: Some(w.key.clone()),
                    engine: w.engine.id.clone(),
                    store_name: w.doc.name.clone(),
                    source: Source::Kubernetes,
                    how: g.how.to_string(),
                    detail: g.detail,
                }),
            );
        }
    }

    // Datastore configuration files embedded in ConfigMaps
    // (`elasticsearch.yml: |`): a setting that switches authentication off
    // there is the workload's, whether it mounts the ConfigMap in this file
    // or in another.
    for d in all.iter().filter(|d| d.kind == "ConfigMap") {
        let Some(data) = d.node.get("data") else {
            continue;
        };
        for (k, kn, v) in data.entries() {
            let Some(engine) = embedded_config_engine(k).and_then(|id| cat.engine(id)) else {
                continue;
            };
            let Some(text) = v.as_str() else { continue };
            let Ok(edocs) = super::tree::parse(text) else {
                continue;
            };
            let mut hits: Vec<(String, String)> = Vec::new();
            for m in &engine.auth.off {
                let Some(setting) = &m.setting else { continue };
                for ed in edocs.iter().filter(|x| x.is_map()) {
                    if let Some((_, ev)) = ed.setting(setting)
                        && let Some(val) = ev.as_str()
                        && m.value_matches(val)
                        && !hits.iter().any(|(s, _)| s == setting)
                    {
                        hits.push((setting.clone(), val.to_string()));
                    }
                }
            }
            if hits.is_empty() {
                continue;
            }
            let mounted_by = workloads.iter().find(|(w, _)| {
                w.doc.namespace == d.namespace
                    && w.engine.id == engine.id
                    && mounts_config_map(w.pod_spec, &d.name)
            });
            let (key, store_name) = match mounted_by {
                Some((w, _)) => (w.key.clone(), w.doc.name.clone()),
                None => {
                    let key = format!("k8s:{}/configmap/{}", d.namespace, d.name);
                    let base = config_base_name(&d.name);
                    let mut hostnames = vec![base.clone()];
                    if base != d.name {
                        hostnames.push(d.name.clone());
                    }
                    out.push(
                        d.span,
                        FactData::Datastore(Datastore {
                            key: key.clone(),
                            engine: engine.id.clone(),
                            name: base.clone(),
                            source: Source::Kubernetes,
                            hostnames,
                        }),
                    );
                    (key, base)
                }
            };
            for (setting, val) in hits {
                out.push(
                    entry_span(kn, v),
                    FactData::AuthGap(AuthGap {
                        datastore: Some(key.clone()),
                        engine: engine.id.clone(),
                        store_name: store_name.clone(),
                        source: Source::Kubernetes,
                        how: "security-disabled".into(),
                        detail: format!(
                            "`{setting}: {val}` in `{k}` of ConfigMap `{}` switches authentication off",
                            d.name
                        ),
                    }),
                );
            }
        }
    }

    // Services that publish a datastore.
    for s in &services {
        let Some((w, _)) = workloads.iter().find(|(w, _)| selects(s, w)) else {
            unmatched_service(s, &all, cat, out);
            continue;
        };
        let spec = s.doc.node.get("spec");
        if let Some((k, v)) = spec.and_then(|sp| sp.get_entry("type")) {
            let ty = v.as_str().unwrap_or("");
            let svc = &s.doc.name;
            if ty == "LoadBalancer" && !internal_lb(s.doc.node) {
                out.push(
                    entry_span(k, v),
                    exposure(
                        w,
                        "load-balancer",
                        format!(
                            "Service `{svc}` of type LoadBalancer gives it an external address"
                        ),
                    ),
                );
            } else if ty == "NodePort" {
                out.push(
                    entry_span(k, v),
                    exposure(
                        w,
                        "node-port",
                        format!(
                            "Service `{svc}` of type NodePort opens it on every node's address"
                        ),
                    ),
                );
            }
        }
        if let Some((k, v)) = spec.and_then(|sp| sp.get_entry("externalIPs"))
            && v.as_seq().is_some_and(|ips| !ips.is_empty())
        {
            let ips: Vec<&str> = v
                .as_seq()
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::as_str)
                .collect();
            out.push(
                entry_span(k, v),
                exposure(
                    w,
                    "external-ips",
                    format!(
                        "Service `{}` accepts traffic on external IPs {}",
                        s.doc.name,
                        ips.join(", ")
                    ),
                ),
            );
        }
    }

    // Ingresses that route to a datastore's Service.
    for d in all.iter().filter(|d| d.kind == "Ingress") {
        let spec = d.node.get("spec");
        let mut candidates: Vec<&Node> = ["defaultBackend", "backend"]
            .iter()
            .filter_map(|k| spec.and_then(|s| s.get(k)))
            .collect();
        for rule in spec
            .and_then(|s| s.get("rules"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            for p in rule
                .path(&["http", "paths"])
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                candidates.extend(p.get("backend"));
            }
        }
        let backends: Vec<(&Node, &str)> = candidates
            .into_iter()
            .filter_map(|b| {
                let n = b
                    .path(&["service", "name"])
                    .or_else(|| b.get("serviceName"))?;
                Some((n, n.as_str()?))
            })
            .collect();
        let mut done = std::collections::BTreeSet::new();
        for (node, svc_name) in backends {
            let target = services
                .iter()
                .filter(|s| s.doc.name == svc_name && s.doc.namespace == d.namespace)
                .find_map(|s| workloads.iter().find(|(w, _)| selects(s, w)));
            let Some((w, _)) = target else { continue };
            if !done.insert(w.key.clone()) {
                continue;
            }
            out.push(
                node.span,
                exposure(
                    w,
                    "ingress",
                    format!(
                        "Ingress `{}` routes HTTP traffic to Service `{svc_name}`",
                        d.name
                    ),
                ),
            );
        }
    }
}

/// The engine whose configuration file a ConfigMap key holds.
fn embedded_config_engine(key: &str) -> Option<&'static str> {
    let k = key.to_ascii_lowercase();
    let (stem, ext) = k.rsplit_once('.')?;
    if !matches!(ext, "yml" | "yaml" | "conf") {
        return None;
    }
    match stem {
        "elasticsearch" if ext != "conf" => Some("elasticsearch"),
        "opensearch" if ext != "conf" => Some("opensearch"),
        "mongod" => Some("mongodb"),
        _ => None,
    }
}

/// Whether a pod spec mounts the ConfigMap `name` (directly or projected).
fn mounts_config_map(pod_spec: &Node, name: &str) -> bool {
    pod_spec
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .any(|vol| {
            vol.path(&["configMap", "name"]).and_then(Node::as_str) == Some(name)
                || vol
                    .path(&["projected", "sources"])
                    .and_then(Node::as_seq)
                    .unwrap_or(&[])
                    .iter()
                    .any(|src| {
                        src.path(&["configMap", "name"]).and_then(Node::as_str) == Some(name)
                    })
        })
}

/// `talent-search-config` -> `talent-search`: the workload a configuration
/// ConfigMap is usually named after.
fn config_base_name(name: &str) -> String {
    for suffix in [
        "-configuration",
        "-config",
        "-conf",
        "-cfg",
        "-cm",
        "-settings",
    ] {
        if let Some(base) = name.strip_suffix(suffix)
            && !base.is_empty()
        {
            return base.to_string();
        }
    }
    name.to_string()
}

/// A LoadBalancer/NodePort Service whose pods are declared in another file:
/// judged by the datastore port it serves, when no workload here carries
/// its selected labels.
fn unmatched_service(s: &Service, all: &[Doc], cat: &Catalogue, out: &mut FileFacts) {
    let node = s.doc.node;
    let Some((k, v)) = node.get("spec").and_then(|sp| sp.get_entry("type")) else {
        return;
    };
    let ty = v.as_str().unwrap_or("");
    let how = match ty {
        "LoadBalancer" if !internal_lb(node) => "load-balancer",
        "NodePort" => "node-port",
        _ => return,
    };
    // Pods in this file that the Service selects are not datastores.
    let selects_here = all.iter().any(|d| {
        WORKLOAD_KINDS.contains(&d.kind.as_str())
            && d.namespace == s.doc.namespace
            && pod_of(d).is_some_and(|(meta, _)| {
                let labels = string_map(meta.and_then(|m| m.get("labels")));
                !s.selector.is_empty() && s.selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
    });
    if selects_here || s.selector.is_empty() {
        return;
    }
    let ports: Vec<u16> = node
        .path(&["spec", "ports"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .flat_map(|p| {
            ["targetPort", "port"]
                .into_iter()
                .filter_map(|f| p.get(f).and_then(Node::as_str)?.parse::<u16>().ok())
        })
        .collect();
    let Some(engine) = container::engine_for_primary_ports(&s.doc.name, &ports, cat) else {
        return;
    };
    let svc = &s.doc.name;
    out.push(
        entry_span(k, v),
        FactData::Exposure(Exposure {
            datastore: None,
            engine: engine.id.clone(),
            store_name: svc.clone(),
            source: Source::Kubernetes,
            how: how.to_string(),
            detail: format!(
                "Service `{svc}` of type {ty} publishes the {} port outside the cluster",
                engine.name
            ),
        }),
    );
}
