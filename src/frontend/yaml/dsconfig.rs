//! Datastore configuration files: `elasticsearch.yml` / `opensearch.yml`
//! and `mongod.conf` (YAML). Each file is one datastore, judged on its own:
//! which interfaces it listens on and whether authentication is on.
//!
//! The address helpers here are shared with the `redis.conf` front end.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::tree::{Node, NodeKind};
use crate::facts::{AuthGap, Datastore, Exposure, FactData, FileFacts, Source};
use crate::frontend::Ctx;
use crate::span::Span;

/// What a listen address means for reachability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrClass {
    /// Every interface (`0.0.0.0`, `::`, `*`).
    All,
    /// A specific routable address (or ES `_global_`).
    Public,
    /// A private, link-local or shared-range address (or ES `_site_`).
    Private,
    /// Loopback (`127.0.0.1`, `::1`, `localhost`, ES `_local_`).
    Loopback,
    /// A host name, interface name, variable or anything else.
    Unknown,
}

impl AddrClass {
    /// Reachable beyond the host's private networks.
    pub fn is_public(self) -> bool {
        matches!(self, AddrClass::All | AddrClass::Public)
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddrClass {
    let o = ip.octets();
    if ip.is_unspecified() {
        AddrClass::All
    } else if ip.is_loopback() {
        AddrClass::Loopback
    } else if ip.is_private()
        || ip.is_link_local()
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] == 0
    {
        AddrClass::Private
    } else {
        AddrClass::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddrClass {
    if ip.is_unspecified() {
        return AddrClass::All;
    }
    if ip.is_loopback() {
        return AddrClass::Loopback;
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let first = ip.segments()[0];
    // fc00::/7 unique local, fe80::/10 link local, ff00::/8 multicast.
    if (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 || (first & 0xff00) == 0xff00 {
        AddrClass::Private
    } else {
        AddrClass::Public
    }
}

/// Classifies one listen address as written in a datastore config file.
pub fn classify_addr(raw: &str) -> AddrClass {
    let s = raw.trim().trim_matches(['"', '\'']).trim();
    let s = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(s);
    if s.is_empty() {
        return AddrClass::Unknown;
    }
    match s.to_ascii_lowercase().as_str() {
        "0.0.0.0" | "::" | "*" | "0" | "::0" | "::*" => return AddrClass::All,
        "localhost" | "ip6-localhost" | "localhost6" => return AddrClass::Loopback,
        _ => {}
    }
    // Elasticsearch/OpenSearch special values, optionally `:ipv4`/`:ipv6`.
    if let Some(inner) = s.strip_prefix('_') {
        let inner = inner.split(':').next().unwrap_or("");
        let inner = inner.trim_end_matches('_');
        return match inner {
            "local" => AddrClass::Loopback,
            "site" => AddrClass::Private,
            "global" => AddrClass::Public,
            _ => AddrClass::Unknown,
        };
    }
    if let Ok(v4) = s.parse::<Ipv4Addr>() {
        return classify_v4(v4);
    }
    // IPv6 with a zone index (`fe80::1%eth0`).
    let no_zone = s.split('%').next().unwrap_or(s);
    if let Ok(v6) = no_zone.parse::<Ipv6Addr>() {
        return classify_v6(v6);
    }
    AddrClass::Unknown
}

/// Words for an address class in a message.
pub fn describe_addr(addr: &str, class: AddrClass) -> String {
    match class {
        AddrClass::All => format!("`{addr}` (all interfaces)"),
        AddrClass::Public => format!("`{addr}` (a public address)"),
        _ => format!("`{addr}`"),
    }
}

/// The span of a setting: its key through the end of its value.
pub fn setting_span(key: &Node, value: &Node) -> Span {
    key.span.cover(value.span)
}

/// The whole file, from line 1, column 1 to the last node's end.
pub fn file_span(docs: &[Node]) -> Span {
    docs.iter()
        .fold(Span::new(1, 1, 1, 1), |acc, d| acc.cover(d.span))
}

/// Scalar items of a setting: a scalar (split at commas) or a list of them.
fn scalar_items(value: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: &str| {
        for part in s.split(',') {
            let p = part.trim();
            if !p.is_empty() {
                out.push(p.to_string());
            }
        }
    };
    match &value.kind {
        NodeKind::Scalar { value, .. } => push(value),
        NodeKind::Seq(items) => {
            for i in items {
                if let Some(s) = i.as_str() {
                    push(s);
                }
            }
        }
        NodeKind::Map(_) => {}
    }
    out
}

/// The first listed address that makes a binding public, if any.
fn public_addr(value: &Node) -> Option<(String, AddrClass)> {
    scalar_items(value).into_iter().find_map(|a| {
        let c = classify_addr(&a);
        c.is_public().then_some((a, c))
    })
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

fn datastore_key(path: &str) -> String {
    format!("config:{path}")
}

fn push_datastore(out: &mut FileFacts, span: Span, path: &str, engine: &str) {
    out.push(
        span,
        FactData::Datastore(Datastore {
            key: datastore_key(path),
            engine: engine.to_string(),
            name: path.to_string(),
            source: Source::ConfigFile,
            hostnames: Vec::new(),
        }),
    );
}

fn exposure(path: &str, engine: &str, detail: String) -> FactData {
    FactData::Exposure(Exposure {
        datastore: Some(datastore_key(path)),
        engine: engine.to_string(),
        store_name: path.to_string(),
        source: Source::ConfigFile,
        how: "bind-all-interfaces".into(),
        detail,
    })
}

fn auth_gap(path: &str, engine: &str, how: &str, detail: String) -> FactData {
    FactData::AuthGap(AuthGap {
        datastore: Some(datastore_key(path)),
        engine: engine.to_string(),
        store_name: path.to_string(),
        source: Source::ConfigFile,
        how: how.to_string(),
        detail,
    })
}

/// A setting whose value is a usable map root.
fn roots(docs: &[Node]) -> impl Iterator<Item = &Node> {
    docs.iter().filter(|d| d.is_map())
}

fn find_setting<'a>(docs: &'a [Node], name: &str) -> Option<(&'a Node, &'a Node)> {
    roots(docs).find_map(|d| d.setting(name))
}

// ---------------------------------------------------------------------------
// elasticsearch.yml / opensearch.yml

const ES_HTTP_CHAIN: &[&str] = &[
    "http.bind_host",
    "http.host",
    "network.bind_host",
    "network.host",
];
const ES_TRANSPORT_CHAIN: &[&str] = &[
    "transport.bind_host",
    "transport.host",
    "network.bind_host",
    "network.host",
];

/// A file named like a datastore config that is really a CloudFormation
/// template or a Kubernetes manifest (`infra/opensearch.yaml`,
/// `k8s/elasticsearch.yaml`) goes to that front end instead.
fn delegated(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) -> bool {
    let is_cfn = roots(docs).any(|d| {
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
        super::cfn::analyze(docs, ctx, out);
        return true;
    }
    if roots(docs).any(|d| d.get("apiVersion").is_some() && d.get("kind").is_some()) {
        super::k8s::analyze(docs, ctx, out);
        return true;
    }
    false
}

pub fn analyze_elasticsearch(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    if roots(docs).next().is_none() || delegated(docs, ctx, out) {
        return;
    }
    let path = ctx.path;
    let name = file_name(path);
    let os_settings = ["plugins.security.disabled", "opendistro_security.disabled"];
    let engine = if name.starts_with("opensearch")
        || os_settings.iter().any(|s| find_setting(docs, s).is_some())
    {
        "opensearch"
    } else {
        "elasticsearch"
    };
    push_datastore(out, file_span(docs), path, engine);

    // The binding each layer actually uses: the most specific setting given.
    let mut flagged: Vec<&str> = Vec::new();
    for (layer, chain) in [("HTTP", ES_HTTP_CHAIN), ("transport", ES_TRANSPORT_CHAIN)] {
        let Some((setting, key, value)) = chain
            .iter()
            .find_map(|s| find_setting(docs, s).map(|(k, v)| (*s, k, v)))
        else {
            continue;
        };
        let Some((addr, class)) = public_addr(value) else {
            continue;
        };
        if flagged.contains(&setting) {
            continue;
        }
        flagged.push(setting);
        let what = if setting.starts_with("network.") {
            "HTTP and transport".to_string()
        } else {
            layer.to_string()
        };
        out.push(
            setting_span(key, value),
            exposure(
                path,
                engine,
                format!(
                    "`{setting}` listens on {} for {what} traffic",
                    describe_addr(&addr, class)
                ),
            ),
        );
    }

    let off_settings: [(&str, &str); 3] = [
        ("xpack.security.enabled", "false"),
        ("plugins.security.disabled", "true"),
        ("opendistro_security.disabled", "true"),
    ];
    for (setting, off) in off_settings {
        if let Some((key, value)) = find_setting(docs, setting)
            && value
                .as_str()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(off))
        {
            out.push(
                setting_span(key, value),
                auth_gap(
                    path,
                    engine,
                    "security-disabled",
                    format!("`{setting}: {off}` turns authentication off"),
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// mongod.conf

pub fn analyze_mongod(docs: &[Node], ctx: &Ctx, out: &mut FileFacts) {
    let path = ctx.path;
    let engine = "mongodb";
    if delegated(docs, ctx, out) {
        return;
    }
    if roots(docs).next().is_none() {
        // The pre-2.6 `key = value` format reads as one plain scalar.
        if let Some(text) = docs.first().and_then(Node::as_str)
            && text.contains('=')
        {
            analyze_legacy_mongod(text, docs, path, out);
        }
        return;
    }
    push_datastore(out, file_span(docs), path, engine);

    if let Some((key, value)) = find_setting(docs, "net.bindIpAll")
        && value.as_bool() == Some(true)
    {
        out.push(
            setting_span(key, value),
            exposure(
                path,
                engine,
                "`net.bindIpAll: true` listens on all interfaces".into(),
            ),
        );
    } else if let Some((key, value)) = find_setting(docs, "net.bindIp")
        && let Some((addr, class)) = public_addr(value)
    {
        out.push(
            setting_span(key, value),
            exposure(
                path,
                engine,
                format!("`net.bindIp` includes {}", describe_addr(&addr, class)),
            ),
        );
    }

    // `security.keyFile` and x509 cluster auth imply authorization.
    let implied = find_setting(docs, "security.keyFile").is_some_and(|(_, v)| !v.is_null())
        || find_setting(docs, "security.clusterAuthMode").is_some_and(|(_, v)| {
            v.as_str().is_some_and(|s| {
                matches!(s.trim(), "keyFile" | "sendKeyFile" | "sendX509" | "x509")
            })
        });
    match find_setting(docs, "security.authorization") {
        Some((_, v))
            if v.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("enabled")) => {}
        Some((key, v))
            if v.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("disabled")) =>
        {
            if !implied {
                out.push(
                    setting_span(key, v),
                    auth_gap(
                        path,
                        engine,
                        "security-disabled",
                        "`security.authorization: disabled` lets any client read and write".into(),
                    ),
                );
            }
        }
        Some(_) => {}
        None => {
            if !implied {
                out.push(
                    file_span(docs),
                    auth_gap(
                        path,
                        engine,
                        "no-credentials",
                        "no `security.authorization: enabled`, so clients need no credentials"
                            .into(),
                    ),
                );
            }
        }
    }
}

/// `bind_ip = 0.0.0.0`, `auth = true`: the legacy INI-like format. The YAML
/// parser folds its lines into one scalar, so read it as `key = value`
/// triples.
fn analyze_legacy_mongod(text: &str, docs: &[Node], path: &str, out: &mut FileFacts) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut settings: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 2 < words.len() && words[i + 1] == "=" {
            settings.push((words[i].to_ascii_lowercase(), words[i + 2].to_string()));
            i += 3;
        } else if let Some((k, v)) = words[i].split_once('=')
            && !k.is_empty()
            && !v.is_empty()
        {
            settings.push((k.to_ascii_lowercase(), v.to_string()));
            i += 1;
        } else {
            i += 1;
        }
    }
    if settings.is_empty() {
        return;
    }
    let engine = "mongodb";
    let span = file_span(docs);
    push_datastore(out, span, path, engine);
    let get = |k: &str| settings.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v);
    let truthy = |v: &String| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes");
    if get("bind_ip_all").is_some_and(truthy) {
        out.push(
            span,
            exposure(
                path,
                engine,
                "`bind_ip_all = true` listens on all interfaces".into(),
            ),
        );
    } else if let Some(v) = get("bind_ip") {
        let first_public = v.split(',').map(str::trim).find_map(|a| {
            let c = classify_addr(a);
            c.is_public().then(|| (a.to_string(), c))
        });
        if let Some((addr, class)) = first_public {
            out.push(
                span,
                exposure(
                    path,
                    engine,
                    format!("`bind_ip` includes {}", describe_addr(&addr, class)),
                ),
            );
        }
    }
    let auth_on = get("auth").is_some_and(truthy) || get("keyfile").is_some();
    let noauth = get("noauth").is_some_and(truthy);
    if noauth || !auth_on {
        out.push(
            span,
            auth_gap(
                path,
                engine,
                if noauth {
                    "security-disabled"
                } else {
                    "no-credentials"
                },
                "authentication is not enabled (`auth = true` is missing)".into(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_classes() {
        assert_eq!(classify_addr("0.0.0.0"), AddrClass::All);
        assert_eq!(classify_addr("::"), AddrClass::All);
        assert_eq!(classify_addr("[::]"), AddrClass::All);
        assert_eq!(classify_addr("127.0.0.1"), AddrClass::Loopback);
        assert_eq!(classify_addr("::1"), AddrClass::Loopback);
        assert_eq!(classify_addr("10.1.2.3"), AddrClass::Private);
        assert_eq!(classify_addr("172.20.0.1"), AddrClass::Private);
        assert_eq!(classify_addr("fd00::5"), AddrClass::Private);
        assert_eq!(classify_addr("203.0.113.7"), AddrClass::Public);
        assert_eq!(classify_addr("_global_"), AddrClass::Public);
        assert_eq!(classify_addr("_site_"), AddrClass::Private);
        assert_eq!(classify_addr("_local:ipv4_"), AddrClass::Loopback);
        assert_eq!(classify_addr("_eth0_"), AddrClass::Unknown);
        assert_eq!(classify_addr("${HOST}"), AddrClass::Unknown);
        assert_eq!(classify_addr("db.internal"), AddrClass::Unknown);
    }
}
