//! The JSON document of the output contract (shared/OUTPUT-CONTRACT.md).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::{ErrorEntry, ScanResult, Warning};
use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'static str,
    rules_digest: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    by_severity: BTreeMap<&'static str, usize>,
    suppressed: usize,
    errors: usize,
    baseline_fixed: usize,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    path: &'a str,
    line: Option<u32>,
    message: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool<'a>,
    findings: &'a [Finding],
    errors: Vec<ErrorOut<'a>>,
    warnings: &'a [Warning],
    summary: Summary,
}

pub fn render(result: &ScanResult) -> String {
    let mut by_severity = BTreeMap::new();
    for s in Severity::ALL {
        by_severity.insert(s.as_str(), 0);
    }
    for f in result.findings.iter().filter(|f| !f.suppressed) {
        *by_severity.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    let doc = Document {
        tool: Tool {
            name: "leakguard",
            version: env!("CARGO_PKG_VERSION"),
            rules_digest: &result.rules_digest,
        },
        findings: &result.findings,
        errors: result
            .errors
            .iter()
            .map(|e: &ErrorEntry| ErrorOut {
                path: &e.path,
                line: e.line,
                message: &e.message,
                kind: &e.kind,
            })
            .collect(),
        warnings: &result.warnings,
        summary: Summary {
            files_scanned: result.files_scanned(),
            findings: result.findings.iter().filter(|f| !f.suppressed).count(),
            by_severity,
            suppressed: result.findings.iter().filter(|f| f.suppressed).count(),
            errors: result.errors.len(),
            baseline_fixed: result.baseline_fixed,
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the report serialises");
    s.push('\n');
    s
}
