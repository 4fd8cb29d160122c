//! Inline suppressions: `leakguard-ignore RULE: reason` in the file's own
//! comment syntax, on the flagged line or the line above. A reason is
//! mandatory: a suppression without one does not suppress and is reported,
//! as is one naming an unknown rule.

use crate::engine::{ScannedFile, Warning};
use crate::finding::{Finding, Waiver};
use crate::rules::RuleSet;

/// Marks suppressed findings; returns, per file, which suppressions matched
/// nothing (for `--report-unused-suppressions`).
pub fn apply(
    findings: &mut [Finding],
    files: &[ScannedFile],
    rules: &RuleSet,
    warnings: &mut Vec<Warning>,
) -> Vec<Warning> {
    let mut unused = Vec::new();
    for file in files {
        for s in &file.facts.suppressions {
            let warn = |message: String| Warning {
                path: file.path.clone(),
                line: s.line,
                column: s.span.column,
                message,
            };
            if s.rules.is_empty() {
                warnings.push(warn(
                    "suppression names no rule; write `leakguard-ignore RULE-ID: reason`".into(),
                ));
                continue;
            }
            let Some(reason) = &s.reason else {
                // Without `:` the words after the rule are no rule ids: name
                // only the first word, and say what is missing.
                let known: Vec<&str> = s
                    .rules
                    .iter()
                    .filter(|r| rules.get(r).is_some())
                    .map(String::as_str)
                    .collect();
                let named = if known.is_empty() {
                    s.rules[0].clone()
                } else {
                    known.join(", ")
                };
                let example = if known.is_empty() {
                    "RULE-ID".to_string()
                } else {
                    known.join(", ")
                };
                warnings.push(warn(format!(
                    "suppression of {named} has no reason; it is ignored until one is given after a colon (`leakguard-ignore {example}: why this is acceptable`)"
                )));
                continue;
            };
            let unknown: Vec<&String> = s.rules.iter().filter(|r| rules.get(r).is_none()).collect();
            for r in &unknown {
                warnings.push(warn(format!(
                    "suppression names unknown rule {r} (see `leakguard rules`)"
                )));
            }
            let mut used = false;
            for f in findings.iter_mut() {
                if f.path != file.path || f.suppressed {
                    continue;
                }
                let covers = s.target_line >= f.span.line
                    && s.target_line <= f.span.end_line.max(f.span.line);
                if covers && s.rules.contains(&f.rule_id) {
                    f.suppressed = true;
                    f.waiver = Some(Waiver {
                        kind: "inline".into(),
                        reason: Some(reason.clone()),
                        line: Some(s.line),
                    });
                    used = true;
                }
            }
            if !used && unknown.is_empty() {
                unused.push(warn(format!(
                    "suppression of {} matches no finding",
                    s.rules.join(", ")
                )));
            }
        }
    }
    unused
}
