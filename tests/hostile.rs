//! Hostile input: every nasty file is generated at test time (nothing huge is
//! checked in). For each: no crash, bounded time, a clear error entry where
//! the file is refused, and the good file beside it still reported.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A good file whose finding must survive every hostile neighbour.
const GOOD_PATH: &str = "migrations/001_leads.sql";
const GOOD_SQL: &str = "CREATE TABLE leads (id BIGINT PRIMARY KEY, phone_number TEXT);\n";

fn scan(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .expect("runs");
    let took = start.elapsed();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); status {:?}; stderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), doc, took)
}

fn with_good_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("migrations")).expect("mkdir");
    std::fs::write(dir.path().join(GOOD_PATH), GOOD_SQL).expect("write");
    dir
}

fn assert_good_reported(doc: &serde_json::Value) {
    let found = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["path"].as_str().is_some_and(|p| p.ends_with(GOOD_PATH)));
    assert!(found, "the good file's finding is missing: {doc:#}");
}

fn error_for<'a>(doc: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["path"].as_str().is_some_and(|p| p.ends_with(name)))
}

/// Writes one hostile file, scans, and checks the common promises.
fn hostile(name: &str, bytes: &[u8], expect_error: bool) -> serde_json::Value {
    let dir = with_good_file();
    let p = dir.path().join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, bytes).expect("write hostile");
    let (code, doc, took) = scan(dir.path(), &[]);
    assert!(matches!(code, Some(0) | Some(1)), "{name}: exit {code:?}: {doc:#}");
    assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
    assert_good_reported(&doc);
    if expect_error {
        let e = error_for(&doc, name).unwrap_or_else(|| panic!("{name}: no error entry: {:#}", doc["errors"]));
        assert!(e["message"].as_str().is_some_and(|m| m.len() > 10), "{e}");
    }
    doc
}

#[test]
fn oversized_file_is_reported_not_read() {
    let big = "-- padding\n".repeat(1_100_000); // ~12 MB, over the 10 MB default
    let doc = hostile("schema/huge.sql", big.as_bytes(), true);
    let msg = error_for(&doc, "huge.sql").expect("entry")["message"].as_str().expect("msg").to_string();
    assert!(msg.contains("limit"), "{msg}");
}

#[test]
fn max_file_size_is_configurable() {
    let dir = with_good_file();
    std::fs::write(dir.path().join("leakguard.yaml"), "max_file_size: 20\n").expect("write");
    let (_, doc, _) = scan(dir.path(), &[]);
    assert!(error_for(&doc, GOOD_PATH).is_some(), "{doc:#}");
}

#[test]
fn binary_and_non_utf8_files() {
    hostile("data/dump.sql", b"CREATE TABLE x (\x00\x01\x02 email TEXT);", true);
    let doc = hostile("config/latin1.yaml", b"name: caf\xe9\nport: 1\n", true);
    let msg = error_for(&doc, "latin1.yaml").expect("entry")["message"].as_str().expect("msg").to_string();
    assert!(msg.contains("UTF-8"), "{msg}");
}

#[test]
fn empty_files_are_fine() {
    for name in ["a.rs", "b.sql", "c.yaml", "d.json", "redis.conf", ".env"] {
        let doc = hostile(name, b"", false);
        assert!(error_for(&doc, name).is_none(), "{name}: {doc:#}");
    }
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut s = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for c in 'b'..='z' {
        s.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c;
    }
    hostile("k8s/laughs.yaml", s.as_bytes(), true);
}

#[test]
fn deeply_nested_yaml_json_sql_and_rust() {
    hostile("deep.yaml", "[".repeat(200_000).as_bytes(), true);
    // Valid JSON too deep to analyse (a mapping-like file) is an error entry;
    // one with nothing mapping-like is simply valid.
    hostile(
        "deep.json",
        format!("{{\"mappings\": {{\"properties\": {}1{}}}}}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
        true,
    );
    hostile("plain-deep.json", format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(), false);
    hostile(
        "deep.sql",
        format!("SELECT {}1{};\n", "(".repeat(100_000), ")".repeat(100_000)).as_bytes(),
        true,
    );
    hostile(
        "src/deep.rs",
        format!("fn f() {{ let x = {}1{}; }}\n", "(".repeat(100_000), ")".repeat(100_000)).as_bytes(),
        true,
    );
    hostile("src/unary.rs", format!("fn f() {{ let x = {}y; }}\n", "!".repeat(1_000_000)).as_bytes(), true);
    hostile(
        "src/types.rs",
        format!("type T = {}u8{};\n", "Vec<".repeat(100_000), ">".repeat(100_000)).as_bytes(),
        true,
    );
}

#[test]
fn many_yaml_documents() {
    hostile("k8s/many.yaml", "---\na: 1\n".repeat(20_000).as_bytes(), true);
}

#[test]
fn long_lines() {
    let line = format!("x: \"{}\"\n", "a".repeat(4_000_000));
    hostile("long.yaml", line.as_bytes(), false);
    let sql = format!("-- {}\nCREATE TABLE t (id INT);\n", "b".repeat(4_000_000));
    hostile("long.sql", sql.as_bytes(), false);
    let rs = format!("// {}\nfn main() {{}}\n", "c".repeat(4_000_000));
    hostile("src/long.rs", rs.as_bytes(), false);
}

#[test]
fn garbage_in_every_language() {
    let junk: Vec<u8> = (0..20_000u32).map(|i| b"{[(<'\"`$!@#;:-*/\\\n  "[(i * 7 % 21) as usize]).collect();
    for name in ["junk.rs", "junk.sql", "junk.yaml", "junk.json", "docker-compose.yml", "redis.conf", ".env"] {
        hostile(name, &junk, false);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_out_of_the_root() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("secret.sql"), "CREATE TABLE s (email TEXT);\n").expect("write");
    let dir = with_good_file();
    let p = dir.path();
    symlink(outside.path().join("secret.sql"), p.join("linked.sql")).expect("link");
    symlink(outside.path(), p.join("outside_dir")).expect("link");
    std::fs::create_dir_all(p.join("loop")).expect("mkdir");
    symlink(p.join("loop"), p.join("loop/again")).expect("link");
    symlink(p.join("self_a.sql"), p.join("self_b.sql")).expect("link");
    symlink(p.join("self_b.sql"), p.join("self_a.sql")).expect("link");
    symlink(p.join(GOOD_PATH), p.join("inside_link.sql")).expect("link");
    let (code, doc, took) = scan(p, &[]);
    assert_eq!(code, Some(1));
    assert!(took < Duration::from_secs(20));
    assert_good_reported(&doc);
    let paths: Vec<&str> = doc["findings"].as_array().expect("list").iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(!paths.iter().any(|p| p.contains("linked.sql") || p.contains("outside_dir")), "{paths:?}");
    assert!(error_for(&doc, "linked.sql").is_some(), "{:#}", doc["errors"]);
    // A link to a file inside the root is read like the file itself.
    assert!(paths.iter().any(|p| p.ends_with("inside_link.sql")), "{paths:?}");
}

#[cfg(unix)]
#[test]
fn special_files_are_never_opened() {
    let dir = with_good_file();
    let fifo = dir.path().join("pipe.sql");
    let ok = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let sock_path = dir.path().join("sock.yaml");
    let _sock = std::os::unix::net::UnixListener::bind(&sock_path).expect("socket");
    let (code, doc, took) = scan(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(took < Duration::from_secs(20), "a FIFO was opened: {took:?}");
    assert!(error_for(&doc, "pipe.sql").is_some());
    assert!(error_for(&doc, "sock.yaml").is_some());
}

#[cfg(unix)]
#[test]
fn odd_path_names_stay_valid_in_json() {
    use std::os::unix::ffi::OsStrExt;
    let dir = with_good_file();
    let p = dir.path();
    for name in [
        &b"with space.sql"[..],
        b"new\nline.sql",
        b"quote\"and\\slash.sql",
        b"<script>alert(1)<\\script>.sql",
        b"non-utf8-\xff\xfe.sql",
    ] {
        let path = p.join(std::ffi::OsStr::from_bytes(name));
        if std::fs::write(&path, "CREATE TABLE t (email TEXT);\n").is_err() {
            continue;
        }
    }
    let (code, doc, _) = scan(p, &[]);
    assert_eq!(code, Some(1));
    let n = doc["findings"].as_array().expect("list").len();
    assert!(n >= 5, "{doc:#}");
}

#[test]
fn a_very_wide_folder() {
    let dir = with_good_file();
    let wide = dir.path().join("wide");
    std::fs::create_dir_all(&wide).expect("mkdir");
    for i in 0..100_000 {
        std::fs::write(wide.join(format!("f{i}.txt")), "").expect("write");
    }
    let (code, doc, took) = scan(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert_good_reported(&doc);
}

#[test]
fn a_panic_in_one_file_is_isolated_and_exits_3() {
    let dir = with_good_file();
    std::fs::write(dir.path().join("boom.yaml"), format!("a: {}\n", leakguard::frontend::TEST_PANIC_MARKER)).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .env("LEAKGUARD_TEST_PANIC", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_good_reported(&doc);
    let e = error_for(&doc, "boom.yaml").expect("entry");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("internal error") && m.contains("bug")), "{e}");
}
