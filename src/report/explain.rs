//! `leakguard explain RULE` and the generated rule reference share this text.

use crate::policies::PolicyCatalogue;
use crate::rules::{Expect, Rule};

/// A rule's documentation in Markdown: what, why, policy, fix, examples.
pub fn render(rule: &Rule, policies: &PolicyCatalogue) -> String {
    let d = &rule.def;
    let mut s = format!("## {}: {}\n\n", d.id, d.title);
    s.push_str(&format!(
        "Category: `{}` · default severity: {}{}\n\n",
        d.category.as_str(),
        rule.default_severity.as_str(),
        if d.enabled {
            ""
        } else {
            " · disabled by default"
        }
    ));
    s.push_str(&format!("### Why it matters\n\n{}\n\n", d.rationale.trim()));
    s.push_str("### Policy clauses\n\n");
    for id in &d.policies {
        if let Some(p) = policies.get(id) {
            s.push_str(&format!(
                "- `{}` {} {}: {} <{}>\n",
                p.id, p.document, p.clause, p.summary, p.url
            ));
        }
    }
    s.push_str(&format!(
        "\n### How to fix it\n\n{}\n\n",
        d.remediation.trim()
    ));
    for (title, want) in [("Flagged", Expect::Flagged), ("Not flagged", Expect::Clean)] {
        let examples: Vec<_> = d.examples.iter().filter(|e| e.expect == want).collect();
        if examples.is_empty() {
            continue;
        }
        s.push_str(&format!("### {title}\n\n"));
        for e in examples {
            s.push_str(&format!("{}:\n\n", e.name));
            for (path, code) in &e.files {
                let lang = match path.rsplit_once('.').map(|(_, x)| x) {
                    Some("rs") => "rust",
                    Some("sql") => "sql",
                    Some("json") => "json",
                    _ => "yaml",
                };
                s.push_str(&format!(
                    "`{path}`\n\n```{lang}\n{}\n```\n\n",
                    code.trim_end()
                ));
            }
        }
    }
    s
}

/// The generated rule reference (docs/rules.md): every rule in force, by
/// category, with its documentation sections.
pub fn reference(rules: &crate::rules::RuleSet) -> String {
    let mut s = String::from(
        "# leakguard rule reference\n\n<!-- Generated from rules/ by `LEAKGUARD_BLESS=1 cargo test --test docs`; do not edit by hand. -->\n\n",
    );
    s.push_str("| id | category | severity | title |\n| --- | --- | --- | --- |\n");
    for r in &rules.rules {
        s.push_str(&format!(
            "| [{}](#{}) | `{}` | {}{} | {} |\n",
            r.def.id,
            r.def.id.to_ascii_lowercase(),
            r.def.category.as_str(),
            r.default_severity.as_str(),
            if r.def.enabled {
                ""
            } else {
                " (off by default)"
            },
            r.def.title
        ));
    }
    s.push('\n');
    for r in &rules.rules {
        s.push_str(&render(r, &rules.policies));
    }
    s
}
