//! JUnit XML (GitLab, Jenkins, Azure): one test suite `leakguard`, one test
//! case per rule in force, failed when the rule has findings that count
//! (unsuppressed, at or above the fail threshold) with one failure listing
//! each `path:line:col message`; a `parse-errors` case for files that could
//! not be read or parsed and a `suppressions` case for invalid suppression
//! comments. Well-formed whatever the scanned files contain: quick-junit
//! escapes text and drops characters XML cannot hold.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;

/// Replaces characters XML 1.0 cannot represent (quick-junit strips the C0
/// controls; U+FFFE and U+FFFF remain).
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn line(f: &Finding) -> String {
    xml_safe(&format!(
        "{}:{}:{} {}",
        f.path, f.span.line, f.span.column, f.message
    ))
}

/// The failure message attribute: the first entries, then a count.
fn short_listing(listing: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = listing
        .iter()
        .take(SHOWN)
        .map(|l| l.replace(['\r', '\n'], " "))
        .collect::<Vec<_>>()
        .join("; ");
    if listing.len() > SHOWN {
        s.push_str(&format!("; and {} more", listing.len() - SHOWN));
    }
    s
}

fn failed(message: String, ty: &str, description: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(xml_safe(&message))
        .set_type(ty)
        .set_description(xml_safe(&description));
    status
}

pub fn render(result: &ScanResult, rules: &RuleSet, threshold: Severity) -> String {
    let mut suite = TestSuite::new("leakguard");
    for rule in rules.rules.iter().filter(|r| r.def.enabled) {
        let id = &rule.def.id;
        let counting: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.rule_id == *id && !f.suppressed && f.severity >= threshold)
            .collect();
        let below: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.rule_id == *id && !f.suppressed && f.severity < threshold)
            .collect();
        let status = if counting.is_empty() {
            TestCaseStatus::success()
        } else {
            let listing: Vec<String> = counting.iter().map(|f| line(f)).collect();
            failed(
                format!(
                    "{} finding{} of {}: {}",
                    counting.len(),
                    if counting.len() == 1 { "" } else { "s" },
                    id,
                    short_listing(&listing)
                ),
                counting[0].severity.as_str(),
                listing.join("\n") + "\n",
            )
        };
        let mut case = TestCase::new(xml_safe(&format!("{id} {}", rule.def.title)), status);
        case.set_classname(rule.def.category.as_str());
        if !below.is_empty() {
            let listing: Vec<String> = below.iter().map(|f| line(f)).collect();
            case.set_system_out(format!(
                "below the fail threshold ({}):\n{}\n",
                threshold.as_str(),
                listing.join("\n")
            ));
        }
        suite.add_test_case(case);
    }

    let errors: Vec<String> = result
        .errors
        .iter()
        .map(|e| {
            let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            xml_safe(&format!("{}{at} [{}] {}", e.path, e.kind, e.message))
        })
        .collect();
    let status = if errors.is_empty() {
        TestCaseStatus::success()
    } else {
        failed(
            format!(
                "{} file{} could not be scanned",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ),
            "error",
            errors.join("\n") + "\n",
        )
    };
    let mut case = TestCase::new("parse-errors", status);
    case.set_classname("leakguard");
    suite.add_test_case(case);

    if !result.warnings.is_empty() {
        let listing: Vec<String> = result
            .warnings
            .iter()
            .map(|w| xml_safe(&format!("{}:{}:{} {}", w.path, w.line, w.column, w.message)))
            .collect();
        let mut case = TestCase::new(
            "suppressions",
            failed(
                format!(
                    "{} problem{} with suppression comments",
                    listing.len(),
                    if listing.len() == 1 { "" } else { "s" }
                ),
                "warning",
                listing.join("\n") + "\n",
            ),
        );
        case.set_classname("leakguard");
        suite.add_test_case(case);
    }

    let mut report = Report::new("leakguard");
    report.add_test_suite(suite);
    match report.to_string() {
        Ok(mut s) => {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Err(e) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"leakguard\" tests=\"1\" failures=\"0\" errors=\"1\"><testsuite name=\"leakguard\" tests=\"1\" failures=\"0\" errors=\"1\"><testcase name=\"report\"><error message=\"{}\"/></testcase></testsuite></testsuites>\n",
            e.to_string()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect::<String>()
        ),
    }
}
