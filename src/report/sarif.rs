//! SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read
//! it: every rule in force with its descriptions, help, default level and
//! `security-severity`; results with exact regions (columns in Unicode code
//! points), related locations, a code flow for each exposure chain,
//! `partialFingerprints` and suppressions with their justification.
//! Hand-written structs: only what leakguard fills in.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::ScanResult;
use crate::finding::{Category, Finding, Severity};
use crate::rules::{Rule, RuleSet};
use crate::span::Span;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/leakguard/leakguard";
/// Stable documentation anchors, one per rule id (lower case).
pub const RULE_DOCS: &str = "https://github.com/leakguard/leakguard/blob/main/docs/rules.md";
pub const FINGERPRINT_KEY: &str = "leakguard/v1";
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    rules_digest: &'a str,
    files_scanned: usize,
    baseline_fixed: usize,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Serialize)]
struct MultiText {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: MultiText,
    help_uri: String,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RuleProperties {
    /// GitHub ranks security alerts by this (a number as a string).
    security_severity: String,
    tags: Vec<String>,
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    category: &'static str,
    severity: &'static str,
    policy: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    message: Text,
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThreadFlowLocation {
    location: Location,
    execution_order: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    properties: NotificationProperties,
}

#[derive(Serialize)]
struct NotificationProperties {
    kind: String,
}

/// The SARIF level of a severity: critical/high error, medium/low warning,
/// info note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (critical >= 9.0, high 7.0-8.9,
/// medium 4.0-6.9, low 0.1-3.9).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `Contact data in a reachable, unauthenticated datastore` ->
/// `ContactDataInAReachableUnauthenticatedDatastore`.
pub fn pascal_case(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// A display path as a URI reference: `/` separators kept, every byte
/// outside the unreserved set percent-encoded (spaces, `%`, `#`, `?`, `:`,
/// non-ASCII as UTF-8). Absolute paths become `file://` URIs; relative ones
/// are relative to `%SRCROOT%` (the folder leakguard ran in).
pub fn path_uri(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let absolute = path.starts_with('/') || drive;
    let mut out = String::with_capacity(path.len() + 8);
    if absolute {
        out.push_str("file://");
        if drive {
            out.push('/');
        }
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            // the drive letter's colon in `file:///C:/...`
            || (drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    (out, if absolute { None } else { Some(SRCROOT) })
}

fn physical(path: &str, span: Option<Span>) -> PhysicalLocation {
    let (uri, uri_base_id) = path_uri(path);
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri, uri_base_id },
        region: span.map(|s| {
            let start_line = s.line.max(1);
            let start_column = s.column.max(1);
            let (end_line, end_column) = (s.end_line, s.end_column).max((start_line, start_column));
            Region {
                start_line,
                start_column: Some(start_column),
                end_line: Some(end_line),
                end_column: Some(end_column),
            }
        }),
    }
}

fn descriptor<'a>(rule: &'a Rule, rules: &RuleSet) -> Descriptor<'a> {
    let def = &rule.def;
    let mut help_text = def.remediation.trim().to_string();
    let mut markdown = format!(
        "**{}**\n\n{}\n\n**Remediation.** {}",
        def.title,
        def.rationale.trim(),
        def.remediation.trim()
    );
    if !rule.policy_refs.is_empty() {
        help_text.push_str("\n\nPolicy clauses:");
        markdown.push_str("\n\n**Policy clauses**\n");
        for p in &rule.policy_refs {
            let summary = rules
                .policies
                .get(&p.id)
                .map(|x| x.summary.trim().to_string())
                .unwrap_or_default();
            help_text.push_str(&format!(
                "\n- {} ({}): {} {}",
                p.id, p.title, summary, p.url
            ));
            markdown.push_str(&format!(
                "\n- [{}]({}) `{}`: {}",
                markdown_escape(&p.title),
                p.url,
                p.id,
                markdown_escape(&summary)
            ));
        }
    }
    let mut tags = vec![
        "security".to_string(),
        "privacy".to_string(),
        def.category.as_str().to_string(),
    ];
    tags.extend(def.policies.iter().cloned());
    Descriptor {
        id: &def.id,
        name: pascal_case(&def.title),
        short_description: text(def.title.clone()),
        full_description: text(def.rationale.trim().to_string()),
        help: MultiText {
            text: help_text,
            markdown,
        },
        help_uri: format!("{RULE_DOCS}#{}", def.id.to_lowercase()),
        default_configuration: DefaultConfiguration {
            level: level(def.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(def.severity).to_string(),
            tags,
            precision: "high",
        },
    }
}

fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn result(f: &Finding, index: &BTreeMap<&str, usize>) -> SarifResult {
    let related_locations: Vec<Location> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i + 1),
            physical_location: physical(
                &r.path,
                Some(Span::new(r.line, r.column, r.end_line, r.end_column)),
            ),
            message: Some(text(r.message.clone())),
        })
        .collect();
    let code_flows = if f.category == Category::ContactDataExposed {
        let mut steps: Vec<Location> = f
            .related
            .iter()
            .map(|r| Location {
                id: None,
                physical_location: physical(
                    &r.path,
                    Some(Span::new(r.line, r.column, r.end_line, r.end_column)),
                ),
                message: Some(text(r.message.clone())),
            })
            .collect();
        if steps.is_empty() {
            steps.push(Location {
                id: None,
                physical_location: physical(&f.path, Some(f.span)),
                message: Some(text(f.message.clone())),
            });
        }
        vec![CodeFlow {
            message: text(format!("the exposure chain: {}", f.message)),
            thread_flows: vec![ThreadFlow {
                locations: steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, location)| ThreadFlowLocation {
                        location,
                        execution_order: i + 1,
                    })
                    .collect(),
            }],
        }]
    } else {
        Vec::new()
    };
    let suppressions = match (&f.waiver, f.suppressed) {
        (Some(w), true) => vec![Suppression {
            kind: if w.kind == "inline" {
                "inSource"
            } else {
                "external"
            },
            status: "accepted",
            justification: w.reason.clone(),
            location: w.line.map(|l| Location {
                id: None,
                physical_location: physical(&f.path, Some(Span::new(l, 1, l, 1))),
                message: None,
            }),
        }],
        (None, true) => vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: None,
            location: None,
        }],
        _ => Vec::new(),
    };
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY, f.fingerprint.clone());
    SarifResult {
        rule_id: f.rule_id.clone(),
        rule_index: index.get(f.rule_id.as_str()).copied(),
        level: level(f.severity),
        message: text(f.message.clone()),
        locations: vec![Location {
            id: None,
            physical_location: physical(&f.path, Some(f.span)),
            message: None,
        }],
        related_locations,
        code_flows,
        partial_fingerprints,
        suppressions,
        properties: ResultProperties {
            category: f.category.as_str(),
            severity: f.severity.as_str(),
            policy: f.policy.iter().map(|p| p.id.clone()).collect(),
        },
    }
}

/// Renders the scan as one SARIF log with one run. `rules` are the rules in
/// force (enabled); results of any other rule carry no `ruleIndex`.
pub fn render(result_: &ScanResult, rules: &RuleSet) -> String {
    let in_force: Vec<&Rule> = rules.rules.iter().filter(|r| r.def.enabled).collect();
    let index: BTreeMap<&str, usize> = in_force
        .iter()
        .enumerate()
        .map(|(i, r)| (r.def.id.as_str(), i))
        .collect();
    let mut notifications: Vec<Notification> = result_
        .errors
        .iter()
        .map(|e| Notification {
            level: if e.kind == "skipped" {
                "warning"
            } else {
                "error"
            },
            message: text(format!("{}: {}", e.path, e.message)),
            locations: vec![Location {
                id: None,
                physical_location: physical(&e.path, e.line.map(|l| Span::new(l, 1, l, 1))),
                message: None,
            }],
            properties: NotificationProperties {
                kind: e.kind.clone(),
            },
        })
        .collect();
    notifications.extend(result_.warnings.iter().map(|w| Notification {
        level: "warning",
        message: text(format!("{}:{}: {}", w.path, w.line, w.message)),
        locations: vec![Location {
            id: None,
            physical_location: physical(
                &w.path,
                Some(Span::new(w.line, w.column.max(1), w.line, w.column.max(1))),
            ),
            message: None,
        }],
        properties: NotificationProperties {
            kind: "suppression".into(),
        },
    }));
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "leakguard",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: in_force.iter().map(|r| descriptor(r, rules)).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: !result_.incomplete(),
                tool_execution_notifications: notifications,
            }],
            results: result_.findings.iter().map(|f| result(f, &index)).collect(),
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                rules_digest: &result_.rules_digest,
                files_scanned: result_.files_scanned(),
                baseline_fixed: result_.baseline_fixed,
            },
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(
            pascal_case("Contact data in a reachable, unauthenticated datastore"),
            "ContactDataInAReachableUnauthenticatedDatastore"
        );
        assert_eq!(
            path_uri("my dir/é#1.yml"),
            ("my%20dir/%C3%A9%231.yml".into(), Some(SRCROOT))
        );
        assert_eq!(path_uri("/tmp/a b").0, "file:///tmp/a%20b");
        assert_eq!(path_uri("C:/x y").0, "file:///C:/x%20y");
        assert_eq!(path_uri("a:b").0, "a%3Ab");
    }
}
