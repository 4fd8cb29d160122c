//! docs/rules.md is generated from the rule pack; this test fails when it
//! is stale. Regenerate with `LEAKGUARD_BLESS=1 cargo test --test docs`.

use leakguard::rules::{Overrides, RuleSet};

#[test]
fn rule_reference_is_up_to_date() {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load");
    let expected = leakguard::report::explain::reference(&rules);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("LEAKGUARD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs folder")).expect("mkdir docs");
        std::fs::write(&path, &expected).expect("write docs/rules.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `LEAKGUARD_BLESS=1 cargo test --test docs` and commit the result"
    );
}

#[test]
fn every_rule_cites_known_clauses_and_explains_itself() {
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load");
    assert!(rules.rules.len() >= 10);
    for r in &rules.rules {
        assert!(!r.policy_refs.is_empty(), "{} cites no clause", r.def.id);
        assert!(
            r.def.rationale.split_whitespace().count() >= 15,
            "{} rationale too thin",
            r.def.id
        );
        assert!(
            r.def.remediation.split_whitespace().count() >= 8,
            "{} remediation too thin",
            r.def.id
        );
        let doc = leakguard::report::explain::render(r, &rules.policies);
        assert!(doc.contains(&r.def.id));
        for p in &r.policy_refs {
            assert!(doc.contains(&p.id));
        }
    }
}
