//! Runs every built-in rule's examples: flagged examples must produce a
//! finding of that rule (on the given line when one is given), clean
//! examples must not. A failing example fails the build.

use leakguard::engine::{self, ScanOptions};
use leakguard::rules::{Expect, Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

fn ruleset_with_all_enabled() -> RuleSet {
    let base = RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load");
    let disabled: Vec<String> = base
        .rules
        .iter()
        .filter(|r| !r.def.enabled)
        .map(|r| r.def.id.clone())
        .collect();
    RuleSet::load(
        &[],
        &Overrides {
            enable: disabled,
            ..Default::default()
        },
        "",
    )
    .expect("built-in rules load")
}

#[test]
fn every_rule_has_examples_of_both_kinds() {
    let rules = ruleset_with_all_enabled();
    let mut problems = Vec::new();
    for r in &rules.rules {
        let flagged = r
            .def
            .examples
            .iter()
            .filter(|e| e.expect == Expect::Flagged)
            .count();
        let clean = r
            .def
            .examples
            .iter()
            .filter(|e| e.expect == Expect::Clean)
            .count();
        if flagged < 2 || clean < 2 {
            problems.push(format!(
                "{}: {flagged} flagged and {clean} clean examples (need 2 of each)",
                r.def.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_examples_hold() {
    let rules = ruleset_with_all_enabled();
    let vocab = Vocabulary::builtin();
    let mut failures = Vec::new();
    for r in &rules.rules {
        for ex in &r.def.examples {
            let dir = tempfile::tempdir().expect("temp dir");
            for (path, code) in &ex.files {
                let p = dir.path().join(path);
                std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
                std::fs::write(&p, code).expect("write example");
            }
            let opts = ScanOptions {
                paths: vec![dir.path().to_path_buf()],
                threads: 1,
                ..Default::default()
            };
            let result = engine::scan(&opts, &rules, &vocab);
            let hits: Vec<_> = result
                .findings
                .iter()
                .filter(|f| f.rule_id == r.def.id)
                .collect();
            let errors: Vec<_> = result
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect();
            match ex.expect {
                Expect::Flagged if hits.is_empty() => failures.push(format!(
                    "{} example `{}`: expected a finding, got none (other findings: {:?}; errors: {:?})",
                    r.def.id,
                    ex.name,
                    result.findings.iter().map(|f| format!("{}@{}", f.rule_id, f.span.line)).collect::<Vec<_>>(),
                    errors
                )),
                Expect::Flagged => {
                    if let Some(line) = ex.line
                        && !hits.iter().any(|f| f.span.line == line)
                    {
                        failures.push(format!(
                            "{} example `{}`: expected a finding on line {line}, got lines {:?}",
                            r.def.id,
                            ex.name,
                            hits.iter().map(|f| f.span.line).collect::<Vec<_>>()
                        ));
                    }
                }
                Expect::Clean if !hits.is_empty() => failures.push(format!(
                    "{} example `{}`: expected no finding, got: {}",
                    r.def.id,
                    ex.name,
                    hits.iter().map(|f| format!("line {}: {}", f.span.line, f.message)).collect::<Vec<_>>().join("; ")
                )),
                Expect::Clean => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing rule example(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
