//! User rule files and config: errors stop the run with exit 2 and a
//! diagnostic naming the file, line and column; good ones extend the pack.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakguard"))
}

const GOOD_RULE: &str = r#"id: ACME-001
title: Staging search URL in the environment
category: missing-auth
severity: low
policies: [gdpr-32-1]
rationale: >
  Our own rule: staging URLs in env files point at a cluster that has no
  login in front of it and is shared with contractors who should not see it.
remediation: Remove the staging URL from committed env files.
message: "`{name}` points at staging: {value}"
match:
  fact: env-value
  where:
    name: STAGING_SEARCH_URL
"#;

fn run_with_rule(rule: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tmp");
    let rule_path = dir.path().join("acme.yaml");
    std::fs::write(&rule_path, rule).expect("write rule");
    let scan = dir.path().join("repo");
    std::fs::create_dir_all(&scan).expect("mkdir");
    std::fs::write(
        scan.join(".env"),
        "STAGING_SEARCH_URL=http://search.staging:9200\n",
    )
    .expect("write env");
    let out = bin()
        .args(["check", "--format", "json", "--rules"])
        .arg(&rule_path)
        .arg(&scan)
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_user_rule_extends_the_pack_and_changes_the_digest() {
    let (code, text) = run_with_rule(GOOD_RULE);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("ACME-001"), "{text}");
    assert!(text.contains("points at staging"), "{text}");
    let builtin = bin()
        .args(["check", "--format", "json"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--threads=1")
        .output();
    let builtin = String::from_utf8_lossy(&builtin.expect("runs").stdout).to_string();
    let digest = |s: &str| {
        s.split("\"rules_digest\": \"")
            .nth(1)
            .map(|r| r[..20].to_string())
    };
    assert_ne!(digest(&text), digest(&builtin));
}

#[test]
fn unknown_policy_id_points_at_its_line() {
    let (code, text) = run_with_rule(&GOOD_RULE.replace("[gdpr-32-1]", "[gdpr-32-1, gdpr-99-9]"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("acme.yaml:5:"), "{text}");
    assert!(text.contains("gdpr-99-9"), "{text}");
}

#[test]
fn unknown_category_points_at_its_line() {
    let (code, text) =
        run_with_rule(&GOOD_RULE.replace("category: missing-auth", "category: bad-vibes"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("acme.yaml:3:"), "{text}");
    assert!(text.contains("unknown variant"), "{text}");
}

#[test]
fn unknown_key_points_at_its_line() {
    let (code, text) =
        run_with_rule(&GOOD_RULE.replace("severity: low", "severity: low\nsevrity: high"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("acme.yaml:5:"), "{text}");
    assert!(text.contains("sevrity"), "{text}");
}

#[test]
fn malformed_yaml_points_at_its_line() {
    let (code, text) = run_with_rule(&GOOD_RULE.replace("title: Staging", "title: [Staging"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("acme.yaml:"), "{text}");
}

#[test]
fn unknown_fact_attribute_and_placeholder_are_rejected() {
    let (code, text) = run_with_rule(&GOOD_RULE.replace("name: STAGING_SEARCH_URL", "colour: red"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("colour"), "{text}");
    let (code, text) = run_with_rule(&GOOD_RULE.replace("{value}", "{nonsense}"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("nonsense"), "{text}");
}

#[test]
fn config_errors_point_at_the_config_line() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("leakguard.yaml"),
        "disable: [LG-LOG-001]\nfail_on: severe\n",
    )
    .expect("write");
    let out = bin()
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("leakguard.yaml:2:"), "{err}");

    std::fs::write(
        dir.path().join("leakguard.yaml"),
        "exclude: [\"a/**\"]\nunknown_setting: 1\n",
    )
    .expect("write");
    let out = bin()
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("leakguard.yaml:2:"), "{err}");
}

#[test]
fn config_disables_rules_and_overrides_severity() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("db")).expect("mkdir");
    std::fs::write(
        dir.path().join("db/001.sql"),
        "CREATE TABLE subscribers (id INT, email TEXT);\n",
    )
    .expect("write");
    let run = |cfg: &str| {
        std::fs::write(dir.path().join("leakguard.yaml"), cfg).expect("write");
        let out = bin()
            .args(["check", "--format", "json"])
            .arg(dir.path())
            .output()
            .expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (out.status.code(), doc)
    };
    let (code, doc) = run("severity:\n  LG-STORE-001: info\nfail_on: low\n");
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["findings"][0]["severity"], "info");
    let (code, doc) = run("disable: [LG-STORE-001]\n");
    assert_eq!(code, Some(0));
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0));
    std::fs::write(
        dir.path().join("leakguard.yaml"),
        "fail_on: low\ndisable: [LG-STORE-001, LG-NOPE-001]\n",
    )
    .expect("write");
    let out = bin()
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("leakguard.yaml:2:") && err.contains("LG-NOPE-001"),
        "{err}"
    );
}

#[test]
fn rules_explain_and_policies_commands() {
    let out = bin()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    assert!(ids.len() >= 15);
    for id in &ids {
        let ex = bin().args(["explain", id]).output().expect("runs");
        assert_eq!(ex.status.code(), Some(0), "explain {id}");
        let text = String::from_utf8_lossy(&ex.stdout);
        assert!(
            text.contains("Why it matters") && text.contains("How to fix it"),
            "{text}"
        );
    }
    let filtered = bin()
        .args(["rules", "--category", "contact-data-exposed"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&filtered.stdout);
    assert!(
        text.contains("LG-CHAIN-001") && !text.contains("LG-STORE-001"),
        "{text}"
    );
    let by_policy = bin()
        .args(["rules", "--policy", "mongo-ipbind"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&by_policy.stdout).contains("LG-BIND-003"));
    let pol = bin().args(["policies"]).output().expect("runs");
    let text = String::from_utf8_lossy(&pol.stdout);
    assert!(
        text.contains("meta-pt-6a-i") && text.contains("cited by:"),
        "{text}"
    );
    let bad = bin().args(["explain", "LG-NOPE"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}
