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
    assert!(
        matches!(code, Some(0) | Some(1)),
        "{name}: exit {code:?}: {doc:#}"
    );
    assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
    assert_good_reported(&doc);
    if expect_error {
        let e = error_for(&doc, name)
            .unwrap_or_else(|| panic!("{name}: no error entry: {:#}", doc["errors"]));
        assert!(e["message"].as_str().is_some_and(|m| m.len() > 10), "{e}");
    }
    doc
}

#[test]
fn oversized_file_is_reported_not_read() {
    let big = "-- padding\n".repeat(1_100_000); // ~12 MB, over the 10 MB default
    let doc = hostile("schema/huge.sql", big.as_bytes(), true);
    let msg = error_for(&doc, "huge.sql").expect("entry")["message"]
        .as_str()
        .expect("msg")
        .to_string();
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
    hostile(
        "data/dump.sql",
        b"CREATE TABLE x (\x00\x01\x02 email TEXT);",
        true,
    );
    let doc = hostile("config/latin1.yaml", b"name: caf\xe9\nport: 1\n", true);
    let msg = error_for(&doc, "latin1.yaml").expect("entry")["message"]
        .as_str()
        .expect("msg")
        .to_string();
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
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='z' {
        s.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c;
    }
    let start = Instant::now();
    hostile("k8s/laughs.yaml", s.as_bytes(), true);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn deeply_nested_yaml_json_sql_and_rust() {
    hostile("deep.yaml", "[".repeat(200_000).as_bytes(), true);
    // Valid JSON too deep to analyse (a mapping-like file) is an error entry;
    // one with nothing mapping-like is simply valid.
    hostile(
        "deep.json",
        format!(
            "{{\"mappings\": {{\"properties\": {}1{}}}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .as_bytes(),
        true,
    );
    hostile(
        "plain-deep.json",
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
        false,
    );
    hostile(
        "deep.sql",
        format!("SELECT {}1{};\n", "(".repeat(100_000), ")".repeat(100_000)).as_bytes(),
        true,
    );
    hostile(
        "src/deep.rs",
        format!(
            "fn f() {{ let x = {}1{}; }}\n",
            "(".repeat(100_000),
            ")".repeat(100_000)
        )
        .as_bytes(),
        true,
    );
    hostile(
        "src/unary.rs",
        format!("fn f() {{ let x = {}y; }}\n", "!".repeat(1_000_000)).as_bytes(),
        true,
    );
    hostile(
        "src/types.rs",
        format!(
            "type T = {}u8{};\n",
            "Vec<".repeat(100_000),
            ">".repeat(100_000)
        )
        .as_bytes(),
        true,
    );
}

#[test]
fn many_yaml_documents() {
    hostile(
        "k8s/many.yaml",
        "---\na: 1\n".repeat(20_000).as_bytes(),
        true,
    );
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
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| b"{[(<'\"`$!@#;:-*/\\\n  "[(i * 7 % 21) as usize])
        .collect();
    for name in [
        "junk.rs",
        "junk.sql",
        "junk.yaml",
        "junk.json",
        "docker-compose.yml",
        "redis.conf",
        ".env",
    ] {
        hostile(name, &junk, false);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_out_of_the_root() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(
        outside.path().join("secret.sql"),
        "CREATE TABLE s (email TEXT);\n",
    )
    .expect("write");
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
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("linked.sql") || p.contains("outside_dir")),
        "{paths:?}"
    );
    assert!(
        error_for(&doc, "linked.sql").is_some(),
        "{:#}",
        doc["errors"]
    );
    // A link to a file inside the root is read like the file itself.
    assert!(
        paths.iter().any(|p| p.ends_with("inside_link.sql")),
        "{paths:?}"
    );
}

/// A file replaced by a FIFO between discovery and reading (the tree may
/// change under a running scan): the read must not wait for a writer.
#[cfg(unix)]
#[test]
fn a_fifo_swapped_in_after_discovery_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.sql");
    std::fs::write(&path, "CREATE TABLE t (email TEXT);\n").unwrap();
    let found = leakguard::discover::discover(
        &[dir.path().to_path_buf()],
        &leakguard::discover::DiscoverOptions {
            max_file_size: 1 << 20,
            ..Default::default()
        },
    );
    assert_eq!(found.files.len(), 1);
    std::fs::remove_file(&path).unwrap();
    let ok = Command::new("mkfifo")
        .arg(&path)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let started = Instant::now();
    let vocab = leakguard::vocab::Vocabulary::builtin();
    let facts = leakguard::engine::parse_files(&found.files, &vocab, 1);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(facts[0].facts.is_empty());
    assert!(
        facts[0].errors[0].message.contains("not a regular file"),
        "{:?}",
        facts[0].errors
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_never_opened() {
    let dir = with_good_file();
    let fifo = dir.path().join("pipe.sql");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let sock_path = dir.path().join("sock.yaml");
    let _sock = std::os::unix::net::UnixListener::bind(&sock_path).expect("socket");
    let (code, doc, took) = scan(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        took < Duration::from_secs(20),
        "a FIFO was opened: {took:?}"
    );
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
    std::fs::write(
        dir.path().join("boom.yaml"),
        format!("a: {}\n", leakguard::frontend::TEST_PANIC_MARKER),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .env("LEAKGUARD_TEST_PANIC", "1")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_good_reported(&doc);
    let e = error_for(&doc, "boom.yaml").expect("entry");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("internal error") && m.contains("bug")),
        "{e}"
    );
}

/// Restores permissions on drop, so the temporary folder can be removed.
#[cfg(unix)]
struct Restore(Vec<(std::path::PathBuf, u32)>);

#[cfg(unix)]
impl Drop for Restore {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for (p, mode) in &self.0 {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(*mode));
        }
    }
}

/// Runs the scan as an unprivileged user when the tests run as root (where
/// mode 000 does not stop reads): `setpriv` to uid/gid 65534 if it exists.
#[cfg(unix)]
fn unprivileged_scan(dir: &Path) -> Option<(Option<i32>, serde_json::Value)> {
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        return None;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json", "--no-cache"])
        .arg(dir)
        .output()
        .ok()?;
    let doc = serde_json::from_slice(&out.stdout).ok()?;
    Some((out.status.code(), doc))
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_good_file();
    let p = dir.path();
    std::fs::write(p.join("secret.sql"), "CREATE TABLE s (email TEXT);\n").expect("write");
    std::fs::create_dir_all(p.join("locked")).expect("mkdir");
    std::fs::write(p.join("locked/inner.sql"), "CREATE TABLE i (email TEXT);\n").expect("write");
    let _restore = Restore(vec![
        (p.join("secret.sql"), 0o644),
        (p.join("locked"), 0o755),
    ]);
    let mode = |path: &Path, m: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    mode(p, 0o755);
    mode(&p.join("migrations"), 0o755);
    mode(&p.join(GOOD_PATH), 0o644);
    mode(&p.join("secret.sql"), 0o000);
    mode(&p.join("locked"), 0o000);
    let (code, doc) = if std::fs::read(p.join("secret.sql")).is_err() {
        let (code, doc, _) = scan(p, &[]);
        (code, doc)
    } else {
        // Root reads mode-000 files: scan as nobody instead, if possible.
        let tmp_ok = p
            .ancestors()
            .skip(1)
            .all(|a| std::fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
        match unprivileged_scan(p).filter(|_| tmp_ok) {
            Some(r) => r,
            None => {
                eprintln!(
                    "running as root without setpriv (or a traversable temp folder): mode 000 does not stop reads; skipping"
                );
                return;
            }
        }
    };
    assert_eq!(code, Some(1), "{doc:#}");
    assert_good_reported(&doc);
    let e =
        error_for(&doc, "secret.sql").unwrap_or_else(|| panic!("no entry: {:#}", doc["errors"]));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("ermission denied")),
        "{e}"
    );
    let e = error_for(&doc, "locked").unwrap_or_else(|| panic!("no entry: {:#}", doc["errors"]));
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("ermission denied")),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn device_files_are_never_opened() {
    let dir = with_good_file();
    // /dev/zero's numbers: reading it would never end.
    let made = Command::new("mknod")
        .arg(dir.path().join("zero.sql"))
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("cannot create a device node here (not root, or no CAP_MKNOD); skipping");
        return;
    }
    let (code, doc, took) = scan(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        took < Duration::from_secs(20),
        "a device was read: {took:?}"
    );
    assert_good_reported(&doc);
    let e = error_for(&doc, "zero.sql").expect("entry");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("not a regular file")),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_broken_links_are_reported_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = with_good_file();
    let p = dir.path();
    symlink(p.join("b.sql"), p.join("a.sql")).expect("link");
    symlink(p.join("a.sql"), p.join("b.sql")).expect("link");
    symlink(p.join("missing.sql"), p.join("broken.sql")).expect("link");
    std::fs::create_dir_all(p.join("d/e")).expect("mkdir");
    symlink(p.join("d"), p.join("d/e/up")).expect("link");
    symlink("..", p.join("d/parent")).expect("link");
    let (code, doc, took) = scan(p, &[]);
    assert_eq!(code, Some(1));
    assert!(took < Duration::from_secs(20));
    assert_good_reported(&doc);
    for name in ["a.sql", "b.sql", "broken.sql"] {
        let e = error_for(&doc, name).unwrap_or_else(|| panic!("{name}: {:#}", doc["errors"]));
        assert!(
            e["message"]
                .as_str()
                .is_some_and(|m| m.contains("not followed")),
            "{e}"
        );
    }
    // The good file is reported once, not again through `up` or `parent`.
    let n = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.contains("001_leads")))
        .count();
    assert!(
        n >= 1
            && doc["findings"]
                .as_array()
                .expect("list")
                .iter()
                .all(|f| !f["path"].as_str().unwrap_or("").contains("/up/"))
    );
}

#[test]
fn every_refused_file_has_one_clear_error_entry_and_is_counted() {
    let dir = with_good_file();
    let p = dir.path();
    std::fs::write(p.join("leakguard.yaml"), "max_file_size: 4096\n").expect("write");
    std::fs::write(p.join("big.sql"), "-- x\n".repeat(2000)).expect("write");
    std::fs::write(p.join("bin.sql"), b"\x00\x01\x02").expect("write");
    std::fs::write(p.join("latin1.yaml"), b"a: caf\xe9\n").expect("write");
    std::fs::write(p.join("bad.json"), "{\"a\": [1, 2\n").expect("write");
    let mut refused = vec!["big.sql", "bin.sql", "latin1.yaml"];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", p.join("outside.sql")).expect("link");
        refused.push("outside.sql");
        if Command::new("mkfifo")
            .arg(p.join("fifo.sql"))
            .status()
            .is_ok_and(|s| s.success())
        {
            refused.push("fifo.sql");
        }
    }
    let (code, doc, _) = scan(p, &[]);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_good_reported(&doc);
    let errors = doc["errors"].as_array().expect("errors");
    assert_eq!(
        doc["summary"]["errors"].as_u64(),
        Some(errors.len() as u64),
        "{doc:#}"
    );
    for name in refused {
        let entries: Vec<_> = errors
            .iter()
            .filter(|e| {
                e["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(&format!("/{name}")))
            })
            .collect();
        assert_eq!(entries.len(), 1, "{name}: {errors:#?}");
        let msg = entries[0]["message"].as_str().unwrap_or_default();
        assert!(msg.len() > 10 && msg.contains("not"), "{name}: {msg}");
    }
    let bad = error_for(&doc, "bad.json").expect("a parse error for bad.json");
    assert!(bad["line"].as_u64().is_some(), "{bad}");
}

/// Runs one report format over a folder and returns stdout.
fn report(dir: &Path, format: &str) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", format, "--no-cache"])
        .arg(dir)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("reports are UTF-8"),
    )
}

#[cfg(unix)]
#[test]
fn odd_path_names_stay_valid_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let dir = with_good_file();
    let p = dir.path();
    let names: [&[u8]; 7] = [
        b"with space.sql",
        b"new\nline.sql",
        b"quote\"and\\slash.sql",
        b"<script>alert(1)<\\script>&amp;.sql",
        b"non-utf8-\xff\xfe.sql",
        b"::error file=x::pwned,%0A.sql",
        b"tab\tand\rcr.sql",
    ];
    for name in names {
        std::fs::write(
            p.join(std::ffi::OsStr::from_bytes(name)),
            "CREATE TABLE t (email TEXT);\n",
        )
        .expect("write");
    }
    // JSON: parses, and every odd file has its finding.
    let (code, text) = report(p, "json");
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let paths: Vec<String> = doc["findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["path"].as_str().map(str::to_string))
        .collect();
    for name in names {
        let shown = String::from_utf8_lossy(name);
        assert!(
            paths.iter().any(|q| q.ends_with(shown.as_ref())),
            "{shown:?} missing from {paths:?}"
        );
    }
    // SARIF: parses, validates against the official schema, one result per
    // finding.
    let (code, text) = report(p, "sarif");
    assert_eq!(code, Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
    )
    .expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema JSON");
    let validator = jsonschema::options()
        .build(&schema)
        .expect("schema compiles");
    let problems: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results, paths.len(), "{sarif:#}");
    // JUnit: well-formed XML.
    let (code, text) = report(p, "junit");
    assert_eq!(code, Some(1));
    quick_junit::Report::deserialize_from_str(&text)
        .unwrap_or_else(|e| panic!("JUnit: {e}\n{text}"));
    // GitHub: one command per line; no name starts a command of its own.
    let (code, text) = report(p, "github");
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = text.lines().collect();
    let (last, commands) = lines.split_last().expect("summary line");
    assert!(!last.starts_with("::"), "{last}");
    for l in commands {
        assert!(
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "),
            "stray line {l:?}"
        );
    }
    assert!(commands.len() > names.len(), "{text}");
}

/// Every way a scanned repository could get a program run by a tool that
/// builds, hooks or configures: each would create the marker file.
#[cfg(unix)]
fn booby_trapped_repo(marker: &Path) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_good_file();
    let p = dir.path();
    let m = marker.display();
    let files = [
        ("Cargo.toml", "[package]\nname = \"trap\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n[dependencies]\nmacros = { path = \"macros\" }\n".to_string()),
        ("build.rs", format!("fn main() {{ std::fs::write(\"{m}\", \"build.rs\").unwrap(); }}\n")),
        ("src/main.rs", "#[macros::trap]\nfn main() {}\n".to_string()),
        ("macros/Cargo.toml", "[package]\nname = \"macros\"\nversion = \"0.1.0\"\n[lib]\nproc-macro = true\n".to_string()),
        (
            "macros/src/lib.rs",
            format!("use proc_macro::TokenStream;\n#[proc_macro_attribute]\npub fn trap(_a: TokenStream, i: TokenStream) -> TokenStream {{ std::fs::write(\"{m}\", \"proc-macro\").unwrap(); i }}\n"),
        ),
        (
            ".cargo/config.toml",
            format!("[target.x86_64-unknown-linux-gnu]\nrunner = \"sh -c 'touch {m}'\"\n[build]\nrustc-wrapper = \"/bin/sh -c 'touch {m}'\"\n[alias]\nmetadata = \"run\"\n"),
        ),
        (".git/HEAD", "ref: refs/heads/main\n".to_string()),
        (
            ".git/config",
            format!("[core]\n\tfsmonitor = \"touch {m}\"\n\tpager = touch {m}\n[diff]\n\texternal = touch {m}\n"),
        ),
        (".envrc", format!("touch {m}\n")),
        ("Makefile", format!("all:\n\ttouch {m}\n")),
    ];
    for (rel, text) in &files {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    for hook in [
        "post-checkout",
        "pre-commit",
        "post-merge",
        "fsmonitor-watchman",
    ] {
        let path = p.join(".git/hooks").join(hook);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, format!("#!/bin/sh\ntouch {m}\n")).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

#[cfg(unix)]
#[test]
fn nothing_in_the_scanned_tree_is_ever_run() {
    let outside = tempfile::tempdir().expect("tmp");
    let marker = outside.path().join("ran");
    let dir = booby_trapped_repo(&marker);
    for format in ["json", "sarif", "junit", "github", "human"] {
        let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
            .args(["check", "--format", format])
            .arg(dir.path())
            .output()
            .expect("runs");
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !marker.exists(),
            "{format}: something from the scanned tree ran"
        );
    }
    // From inside the tree, as a developer or a pre-commit hook runs it.
    let out = Command::new(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json", "src/main.rs"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!marker.exists(), "something from the scanned tree ran");
}

/// Under strace: a plain scan runs no program at all (one execve: its own)
/// and creates no socket, so it can open no network connection.
#[cfg(target_os = "linux")]
#[test]
fn a_scan_runs_no_program_and_opens_no_socket() {
    let usable = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !usable {
        eprintln!("strace unavailable or not permitted here; skipping the syscall trace");
        return;
    }
    let outside = tempfile::tempdir().expect("tmp");
    let dir = booby_trapped_repo(&outside.path().join("ran"));
    let trace = outside.path().join("trace.txt");
    let out = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=execve,execveat,socket,socketpair,connect,sendto,sendmsg",
            "-o",
        ])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_leakguard"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&trace).expect("trace");
    let execs: Vec<&str> = log.lines().filter(|l| l.contains("execve")).collect();
    assert_eq!(execs.len(), 1, "ran a program: {execs:#?}");
    let net: Vec<&str> = log
        .lines()
        .filter(|l| {
            ["socket(", "socketpair(", "connect(", "sendto(", "sendmsg("]
                .iter()
                .any(|c| l.contains(c))
        })
        .collect();
    assert!(net.is_empty(), "network or socket use: {net:#?}");
}

#[test]
fn a_flood_of_parse_errors_is_capped() {
    let sql = "CREATE TABLE t (email TEXT;\n".repeat(5_000);
    let doc = hostile("schema/broken.sql", sql.as_bytes(), true);
    let n = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| {
            e["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("broken.sql"))
        })
        .count();
    assert_eq!(
        n,
        leakguard::frontend::MAX_ERRORS_PER_FILE + 1,
        "{:#}",
        doc["errors"]
    );
    let last = doc["errors"].as_array().expect("errors").iter().any(|e| {
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("4900 more errors"))
    });
    assert!(last, "{:#}", doc["errors"]);
}
