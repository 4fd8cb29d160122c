//! Every input a fuzz target once failed on, replayed through the very same
//! harness (fuzz/src/lib.rs): no panic, no internal error, every span and
//! error line inside the file, every report valid. The inputs live in
//! tests/fixtures/fuzz/<target>/.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

use leakguard::discover::FileKind;

fn replay(target: &str, data: &[u8]) {
    match target {
        "rust" => harness::analyze_text(data, FileKind::Rust, "src/main.rs"),
        "sql" => harness::analyze_text(data, FileKind::Sql, "migrations/001_init.sql"),
        "json" => harness::analyze_text(data, FileKind::Json, "search/contacts.json"),
        "redisconf" => harness::analyze_text(data, FileKind::RedisConf, "redis.conf"),
        "dotenv" => harness::analyze_text(data, FileKind::DotEnv, ".env"),
        "cargo" => harness::analyze_text(data, FileKind::CargoManifest, "Cargo.toml"),
        "yaml" => {
            if let Some((name, rest)) = harness::route(data, harness::YAML_NAMES) {
                harness::analyze_text(rest, FileKind::Yaml, name);
            }
        }
        "pipeline" => {
            if let Some(((name, kind), rest)) = harness::route(data, harness::ALL_NAMES) {
                harness::pipeline(rest, name, kind);
            }
        }
        other => panic!("unknown fuzz target folder {other}"),
    }
}

#[test]
fn every_kept_fuzz_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    let mut targets: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    targets.sort_by_key(|e| e.file_name());
    for t in targets {
        let target = t.file_name().to_string_lossy().into_owned();
        let mut inputs: Vec<_> = std::fs::read_dir(t.path())
            .expect("inputs")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).expect("read");
            let outcome = std::panic::catch_unwind(|| replay(&target, &data));
            assert!(outcome.is_ok(), "{} fails its target", input.display());
            // Every kept input also goes through the whole pipeline under
            // each name of its kind.
            if target == "yaml" && !data.is_empty() {
                for (i, _) in harness::YAML_NAMES.iter().enumerate() {
                    let mut rerouted = data.clone();
                    rerouted[0] = i as u8;
                    replay("yaml", &rerouted);
                }
            }
            n += 1;
        }
    }
    assert!(n > 0, "no fuzz inputs found under {}", root.display());
}

/// Found by the report property test: on Unix a backslash is part of a file
/// name, not a separator, and must be reported as it is.
#[cfg(unix)]
#[test]
fn backslash_in_a_file_name_is_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("a\\b.sql"),
        "CREATE TABLE t (email TEXT);\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json", "--no-cache"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| p.ends_with("/a\\b.sql")),
        "{paths:?}"
    );
}
