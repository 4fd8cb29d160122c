//! docker-compose files: each service becomes environment facts; a service
//! whose image is a catalogued datastore also becomes a datastore with its
//! exposures (published ports, host network), authentication gaps and init
//! script folders. Anchors and `<<` merge keys are applied by the tree.

use super::container::{
    self, Arg, Container, block_span, entry_span, interpolate_masked, is_config_mount,
};
use super::tree::{Node, NodeKind};
use crate::facts::{
    AuthGap, Datastore, EnvValue, Exposure, FactData, FileFacts, InitScripts, Source,
};
use crate::frontend::Ctx;
use crate::span::Span;
use crate::vocab::{Catalogue, Engine};

const INITDB: &str = "/docker-entrypoint-initdb.d";
/// Stands for a variable without a default in an interpolated value.
const UNKNOWN: &str = "\u{1}";

pub fn analyze(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    for doc in docs {
        match doc.get("services") {
            Some(services) => {
                for (name, key, svc) in services.entries() {
                    if svc.is_map() {
                        service(name, key, svc, ctx, out);
                    }
                }
            }
            // Compose file format 1: services at the top level.
            None => {
                for (name, key, svc) in doc.entries() {
                    if svc.is_map() && (svc.get("image").is_some() || svc.get("build").is_some()) {
                        service(name, key, svc, ctx, out);
                    }
                }
            }
        }
    }
}

/// Reads a service's container description.
fn read_container(svc: &Node) -> Container {
    let mut c = Container {
        image: svc.get("image").and_then(Node::as_str).map(str::to_string),
        ..Default::default()
    };
    if let Some(env) = svc.get("environment") {
        container::read_compose_env(env, &mut c.env);
    }
    if svc.get("env_file").is_some() {
        c.opaque_env = true;
    }
    let mut args: Vec<Arg> = Vec::new();
    if let Some(ep) = svc.get("entrypoint") {
        container::read_args(ep, &mut args);
    }
    if let Some(cmd) = svc.get("command") {
        container::read_args(cmd, &mut args);
    }
    c.args = args;
    c.note_config_args();
    for (_, target, _) in volumes(svc) {
        if is_config_mount(&target) {
            c.external_config = true;
        }
    }
    if svc.get("configs").is_some() {
        c.external_config = true;
    }
    c
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

fn service(name: &str, key: &Node, svc: &Node, ctx: &Ctx, out: &mut FileFacts) {
    let c = read_container(svc);
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
    let cat = &ctx.vocab.catalogue;
    let c = Container {
        image: c.image.as_deref().map(|i| interpolate_masked(i, "")),
        ..c
    };
    // A service without image or build extends one declared in another
    // file (an override): its published datastore port says what it is.
    let partial = c.image.is_none() && svc.get("build").is_none();
    let engine = match c.image.as_deref() {
        Some(i) => cat.engine_for_image(i),
        None if partial => engine_by_port(name, svc, cat),
        None => None,
    };
    let Some(engine) = engine else {
        return;
    };
    let block = block_span(key, svc);
    let ds_key = format!("compose:{name}");
    out.push(
        block,
        FactData::Datastore(Datastore {
            key: ds_key.clone(),
            engine: engine.id.clone(),
            name: name.to_string(),
            source: Source::Compose,
            hostnames: hostnames(name, svc),
        }),
    );

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
    if let Some((k, v)) = svc.get_entry("network_mode")
        && v.as_str().is_some_and(|m| m.trim() == "host")
    {
        out.push(
            entry_span(k, v),
            exposure(
                "host-network",
                "runs on the host network (`network_mode: host`), so every port it listens on is open on the host".into(),
            ),
        );
    }
    let published = public_ports(svc);
    if let Some((first, _)) = published.first() {
        let list: Vec<&str> = published.iter().map(|(_, p)| p.as_str()).collect();
        let detail = if list.len() == 1 {
            format!("publishes port {} on all host interfaces", list[0])
        } else {
            format!("publishes ports {} on all host interfaces", list.join(", "))
        };
        out.push(*first, exposure("published-port", detail));
    }

    // A partial service is judged only on what it sets; its image's
    // defaults are judged where the image is declared.
    let gaps = if partial {
        container::disabled_by(engine, &c)
    } else {
        container::evaluate_auth(engine, &c, cat)
    };
    for g in gaps {
        out.push(
            g.span.unwrap_or(block),
            FactData::AuthGap(AuthGap {
                datastore: Some(ds_key.clone()),
                engine: engine.id.clone(),
                store_name: name.to_string(),
                source: Source::Compose,
                how: g.how.to_string(),
                detail: g.detail,
            }),
        );
    }

    for (source, target, item) in volumes(svc) {
        let t = target.trim_end_matches('/');
        if (t == INITDB || t.starts_with(&format!("{INITDB}/"))) && is_host_path(&source) {
            out.push(
                item.span,
                FactData::InitScripts(InitScripts {
                    datastore: ds_key.clone(),
                    host_path: source,
                }),
            );
        }
    }
}

/// The engine whose primary port a partial service publishes, preferring
/// one its name mentions.
fn engine_by_port<'a>(name: &str, svc: &Node, cat: &'a Catalogue) -> Option<&'a Engine> {
    let items = svc.get("ports").and_then(Node::as_seq)?;
    let mut ports = Vec::new();
    for it in items {
        let target = match &it.kind {
            NodeKind::Scalar { value, .. } => parse_short(&interpolate_masked(value, UNKNOWN)).2,
            NodeKind::Map(_) => it
                .get("target")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string(),
            NodeKind::Seq(_) => continue,
        };
        if let Ok(port) = target.trim().parse::<u16>() {
            ports.push(port);
        }
    }
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

/// The `ports` items published on all host interfaces, with a description.
fn public_ports(svc: &Node) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let Some(items) = svc.get("ports").and_then(Node::as_seq) else {
        return out;
    };
    for it in items {
        let (ip, host, target) = match &it.kind {
            NodeKind::Scalar { value, .. } => parse_short(&interpolate_masked(value, UNKNOWN)),
            NodeKind::Map(_) => {
                let field = |k: &str| -> Option<String> {
                    it.get(k)
                        .filter(|n| !n.is_null())
                        .and_then(Node::as_str)
                        .map(|s| interpolate_masked(s, UNKNOWN))
                };
                (
                    field("host_ip"),
                    field("published"),
                    field("target").unwrap_or_default(),
                )
            }
            NodeKind::Seq(_) => continue,
        };
        // An address from a variable without a default is unknown.
        if let Some(ip) = &ip
            && (is_loopback(ip) || ip.contains(UNKNOWN))
        {
            continue;
        }
        if ip.is_none() && host.is_none() && target.is_empty() {
            continue;
        }
        out.push((it.span, describe(host.as_deref(), &target)));
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
