//! GitHub Actions workflow commands: one annotation per finding that counts
//! (`::error` for critical/high, `::warning` for medium/low, `::notice` for
//! info), one per unreadable file and per suppression problem, then the
//! summary line. Property values escape `%`, CR, LF, `:` and `,`; messages
//! escape `%`, CR and LF, as GitHub's toolkit does.

use crate::engine::ScanResult;
use crate::finding::Severity;

/// Escapes a command's message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`, ...).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(result: &ScanResult) -> String {
    let mut out = String::new();
    for f in result.findings.iter().filter(|f| !f.suppressed) {
        let mut message = f.message.clone();
        for r in &f.related {
            message.push_str(&format!(
                "\n  {}:{}:{}: {}",
                r.path, r.line, r.column, r.message
            ));
        }
        if !f.remediation.is_empty() {
            message.push_str("\nFix: ");
            message.push_str(&f.remediation);
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(f.severity),
            escape_property(&f.path),
            f.span.line,
            f.span.column,
            f.span.end_line,
            f.span.end_column,
            escape_property(&format!(
                "{} {} ({})",
                f.rule_id,
                f.title,
                f.severity.as_str()
            )),
            escape_data(&message),
        ));
    }
    for e in &result.errors {
        let line = e.line.map(|l| format!(",line={l}")).unwrap_or_default();
        out.push_str(&format!(
            "::{} file={}{line},title={}::{}\n",
            if e.kind == "skipped" {
                "warning"
            } else {
                "error"
            },
            escape_property(&e.path),
            escape_property(&format!("leakguard could not scan this file ({})", e.kind)),
            escape_data(&e.message),
        ));
    }
    for w in &result.warnings {
        out.push_str(&format!(
            "::warning file={},line={},col={},title={}::{}\n",
            escape_property(&w.path),
            w.line,
            w.column,
            escape_property("leakguard suppression comment"),
            escape_data(&w.message),
        ));
    }
    // A plain line: the log shows it, it is no command. Escaped so a file
    // name cannot start a command of its own.
    out.push_str(&escape_data(super::human::summary(result).trim_end()));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }
}
