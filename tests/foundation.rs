//! End-to-end behaviour of `leakguard check`: the examples, exit codes,
//! determinism across runs and thread counts, and bad input that must become
//! error entries while the scan goes on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakguard"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check_json(dir: &Path, extra: &[&str]) -> (Output, serde_json::Value) {
    let out = bin()
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, doc)
}

fn categories(doc: &serde_json::Value) -> std::collections::BTreeSet<String> {
    doc["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .map(|f| f["category"].as_str().expect("category").to_string())
        .collect()
}

#[test]
fn leaky_example_shows_all_five_categories() {
    let (out, doc) = check_json(&root().join("examples/leaky-agency"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let cats = categories(&doc);
    for c in [
        "contact-field-stored",
        "public-datastore-binding",
        "missing-auth",
        "contact-data-exposed",
        "contact-data-logged",
    ] {
        assert!(cats.contains(c), "missing category {c}; got {cats:?}");
    }
    assert_eq!(
        doc["errors"].as_array().map(Vec::len),
        Some(0),
        "{}",
        doc["errors"]
    );
}

#[test]
fn compliant_example_is_clean() {
    let (out, doc) = check_json(&root().join("examples/compliant-agency"), &[]);
    assert_eq!(
        doc["findings"].as_array().map(Vec::len),
        Some(0),
        "unexpected findings: {:#}",
        doc["findings"]
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = root().join("examples/leaky-agency");
    let one = check_json(&dir, &["--threads", "1"]).0.stdout;
    let two = check_json(&dir, &["--threads", "2"]).0.stdout;
    let again = check_json(&dir, &["--threads", "4"]).0.stdout;
    assert_eq!(one, two);
    assert_eq!(one, again);
    let human1 = bin()
        .args(["check", "--color", "never", "--threads", "1"])
        .arg(&dir)
        .output()
        .expect("runs");
    let human2 = bin()
        .args(["check", "--color", "never", "--threads", "3"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(human1.stdout, human2.stdout);
}

#[test]
fn findings_are_sorted_by_path_line_column_rule() {
    let (_, doc) = check_json(&root().join("examples/leaky-agency"), &[]);
    let keys: Vec<(String, u64, u64, String)> = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
                f["rule_id"].as_str().expect("rule").to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn every_finding_has_the_contract_fields() {
    let (_, doc) = check_json(&root().join("examples/leaky-agency"), &[]);
    for f in doc["findings"].as_array().expect("list") {
        for key in [
            "rule_id",
            "category",
            "severity",
            "path",
            "message",
            "fingerprint",
        ] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {f}"
            );
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(f[key].as_u64().is_some_and(|n| n >= 1), "{key} in {f}");
        }
        assert!(
            f["policy"].as_array().is_some_and(|p| !p.is_empty()),
            "policy in {f}"
        );
        assert!(f["related"].is_array());
        assert_eq!(f["suppressed"], serde_json::Value::Bool(false));
    }
    assert!(
        doc["tool"]["rules_digest"]
            .as_str()
            .is_some_and(|d| d.starts_with("sha256:"))
    );
    assert!(
        doc["summary"]["files_scanned"]
            .as_u64()
            .is_some_and(|n| n > 5)
    );
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("empty.rs"), "").expect("write");
    let (clean, _) = check_json(dir.path(), &[]);
    assert_eq!(clean.status.code(), Some(0));

    let leaky = root().join("examples/leaky-agency");
    let (findings, _) = check_json(&leaky, &[]);
    assert_eq!(findings.status.code(), Some(1));
    // Nothing in the leaky example is below low, and something is critical.
    let (critical_only, _) = check_json(&leaky, &["--fail-on", "critical"]);
    assert_eq!(critical_only.status.code(), Some(1));

    let usage = bin()
        .args(["check", "--fail-on", "severe"])
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
    let missing = bin()
        .args(["check", "/no/such/folder/anywhere"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    let version = bin().arg("--version").output().expect("runs");
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn fail_on_threshold_filters_by_severity() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("migrations")).expect("mkdir");
    // A medium-severity stored contact column and nothing else.
    std::fs::write(
        dir.path().join("migrations/001_users.sql"),
        "CREATE TABLE newsletter (id BIGINT PRIMARY KEY, email TEXT NOT NULL);\n",
    )
    .expect("write");
    let (low, doc) = check_json(dir.path(), &[]);
    assert_eq!(low.status.code(), Some(1), "{doc:#}");
    let (high, _) = check_json(dir.path(), &["--fail-on", "high"]);
    assert_eq!(high.status.code(), Some(0));
}

#[test]
fn bad_input_becomes_error_entries_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path();
    std::fs::create_dir_all(p.join("migrations")).expect("mkdir");
    std::fs::write(p.join("broken.yaml"), "services:\n  a: [unclosed\n  b: {\n").expect("write");
    std::fs::write(p.join("broken.rs"), "fn main( {\n").expect("write");
    std::fs::write(
        p.join("latin1.sql"),
        b"CREATE TABLE t (nom TEXT); -- caf\xe9\n",
    )
    .expect("write");
    std::fs::write(p.join("binary.json"), b"{\x00\x01\x02}").expect("write");
    std::fs::write(p.join("empty.yaml"), "").expect("write");
    std::fs::write(
        p.join("migrations/001_leads.sql"),
        "CREATE TABLE leads (id BIGINT, phone_number TEXT);\n",
    )
    .expect("write");
    let (out, doc) = check_json(p, &[]);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    let errors: Vec<String> = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["path"].as_str().expect("path").to_string())
        .collect();
    for bad in ["broken.yaml", "broken.rs", "latin1.sql", "binary.json"] {
        assert!(
            errors.iter().any(|e| e.ends_with(bad)),
            "no error entry for {bad}: {errors:?}"
        );
    }
    assert!(!errors.iter().any(|e| e.ends_with("empty.yaml")));
    let found = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| {
            f["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("migrations/001_leads.sql"))
        });
    assert!(
        found,
        "the good file beside the bad ones is still reported: {doc:#}"
    );
    // Human output names the bad files too.
    let human = bin()
        .args(["check", "--color", "never"])
        .arg(p)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("broken.yaml"), "{text}");
}

#[test]
fn hidden_files_and_vendored_trees_are_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path();
    for sub in [".git", "target", "node_modules", "vendor"] {
        std::fs::create_dir_all(p.join(sub)).expect("mkdir");
        std::fs::write(
            p.join(sub).join("schema.sql"),
            "CREATE TABLE x (email TEXT);\n",
        )
        .expect("write");
    }
    std::fs::write(p.join(".hidden.sql"), "CREATE TABLE x (email TEXT);\n").expect("write");
    let (out, doc) = check_json(p, &[]);
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert_eq!(doc["summary"]["files_scanned"].as_u64(), Some(0));
}
