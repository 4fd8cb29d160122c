//! Property tests over every front end (fast enough for CI; the fuzz targets
//! in fuzz/ cover the same ground for longer):
//! - arbitrary bytes and language-flavoured token soup never panic;
//! - every span of every fact lies within the file;
//! - the reports of a scan stay valid for arbitrary file names and contents.

use std::path::PathBuf;

use leakguard::discover::FileKind;
use leakguard::engine::{self, ScanOptions};
use leakguard::facts::FileFacts;
use leakguard::frontend::{self, Ctx};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::span::LineIndex;
use leakguard::vocab::Vocabulary;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// The engine parses on 64 MiB stacks; a debug build of syn needs them.
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Every kind under a name that routes it (YAML once per kind): the fuzz
/// harness's list, so both explore the same kinds.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;
const NAMES: &[(&str, FileKind)] = harness::ALL_NAMES;

fn run<S>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError> + Send + 'static,
) where
    S: Strategy + Send + 'static,
{
    // `PROPTEST_CASES=N` runs longer locally; CI keeps the modest default.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let handle = std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(move || {
            let mut runner = TestRunner::new(Config {
                cases,
                failure_persistence: None,
                ..Config::default()
            });
            runner.run(&strategy, test).map_err(|e| e.to_string())
        })
        .expect("spawn");
    match handle.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{e}"),
        Err(p) => std::panic::resume_unwind(p),
    }
}

fn analyze(bytes: &[u8], path: &str, kind: FileKind) -> FileFacts {
    let vocab = Vocabulary::builtin();
    let facts = frontend::analyze_bytes(
        bytes,
        kind,
        &Ctx {
            vocab: &vocab,
            path,
        },
    );
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

/// No internal error (a caught panic), and every span inside the text.
fn check(bytes: &[u8], path: &str, facts: &FileFacts) -> Result<(), TestCaseError> {
    for e in &facts.errors {
        prop_assert!(!e.internal, "{path}: {}", e.message);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text).line_count() as u32;
    let spans = facts
        .facts
        .iter()
        .map(|f| f.span)
        .chain(facts.suppressions.iter().map(|s| s.span));
    for s in spans {
        prop_assert!(s.line >= 1 && s.column >= 1, "{path}: {s:?}");
        prop_assert!(
            s.line <= lines && s.end_line <= lines,
            "{path}: {s:?} past line {lines}"
        );
        prop_assert!(
            (s.end_line, s.end_column) >= (s.line, s.column),
            "{path}: {s:?}"
        );
    }
    for e in &facts.errors {
        if let Some(l) = e.line {
            prop_assert!(l >= 1 && l <= lines, "{path}: error line {l} of {lines}");
        }
    }
    Ok(())
}

fn any_name() -> impl Strategy<Value = (&'static str, FileKind)> {
    prop::sample::select(NAMES)
}

/// Token soup in the flavour of one language, so the parsers get past
/// their first token and into the extractors.
fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..max).prop_map(|v| v.concat())
}

const RUST_TOKENS: &[&str] = &[
    "#[derive(Serialize, Queryable)]\n",
    "struct ",
    "pub ",
    "fn ",
    "Lead ",
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    ":",
    ";",
    ",",
    "email",
    "phone_number",
    "String",
    "Option<String>",
    " ",
    "\n",
    "info!(",
    "tracing::warn!(",
    "\"{}\"",
    "\"é\"",
    "sqlx::query!(",
    "\"INSERT INTO leads (email) VALUES ($1)\"",
    ".route(\"/leads\", get(list))",
    "Router::new()",
    "let ",
    "= ",
    "user.email",
    "&",
    "!",
    "?",
    "'",
    "//",
    "/*",
    "*/",
    "r#\"",
    "\"#",
    "impl ",
    "mod ",
    "use ",
    "async ",
    "Client::connect(",
    "\"redis://cache:6379\"",
    "std::env::var(\"ELASTIC_URL\")",
    "// leakguard-ignore LG-X: ok\n",
];

const SQL_TOKENS: &[&str] = &[
    "CREATE TABLE ",
    "ALTER TABLE ",
    "ADD COLUMN ",
    "IF NOT EXISTS ",
    "leads ",
    "\"Email\" ",
    "email ",
    "phone ",
    "TEXT",
    "VARCHAR(255)",
    "(",
    ")",
    ",",
    ";",
    "\n",
    " ",
    "--",
    "/*",
    "*/",
    "'",
    "$$",
    "DO $$ BEGIN ",
    "END $$;",
    "INSERT INTO ",
    "VALUES ",
    "SELECT ",
    "FROM ",
    "WHERE ",
    "PRIMARY KEY",
    "NOT NULL",
    "é",
    "`",
    "[",
    "]",
    "CREATE INDEX ",
    "ON ",
    "-- leakguard-ignore LG-X\n",
    "CREATE VIEW v AS ",
    "COMMENT ON COLUMN ",
    "IS ",
];

const YAML_TOKENS: &[&str] = &[
    "services:",
    "image: ",
    "redis:7",
    "mongo:4",
    "postgres:16",
    "elasticsearch:8.1",
    "ports:",
    "- ",
    "\"6379:6379\"",
    "27017",
    "environment:",
    "POSTGRES_HOST_AUTH_METHOD: trust",
    "apiVersion: v1",
    "kind: Service",
    "spec:",
    "type: NodePort",
    "LoadBalancer",
    "AWSTemplateFormatVersion: '2010-09-09'",
    "Resources:",
    "Type: AWS::RDS::DBInstance",
    "Properties:",
    "PubliclyAccessible: true",
    "!Ref X",
    "!Sub '${A}'",
    "net:",
    "bindIp: 0.0.0.0",
    "security:",
    "authorization: disabled",
    "network.host: 0.0.0.0",
    "xpack.security.enabled: false",
    "&a ",
    "*a",
    "<<: *a",
    "---",
    "...",
    "\n",
    "  ",
    "    ",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "'",
    "\"",
    "|",
    ">",
    "#",
    "é",
    "? ",
    "%YAML 1.2",
    "auth:",
    "enabled: false",
    "password: changeme",
    "command: redis-server --protected-mode no",
    "volumes:",
];

const CONF_TOKENS: &[&str] = &[
    "bind ",
    "0.0.0.0",
    "127.0.0.1",
    "::",
    "protected-mode ",
    "no",
    "yes",
    "requirepass ",
    "\"\"",
    "port ",
    "6379",
    "include ",
    "rename-command ",
    "#",
    "\n",
    " ",
    "\"",
    "'",
    "\\",
    "=",
    "export ",
    "REDIS_URL",
    "redis://:pw@h:1/0",
    "ELASTIC_URL",
    "http://0.0.0.0:9200",
    "DATABASE_URL",
    "postgres://u@db/app",
    "é",
    "# leakguard-ignore LG-X\n",
];

#[test]
fn arbitrary_bytes_never_panic() {
    run(
        256,
        (any_name(), prop::collection::vec(any::<u8>(), 0..512)),
        |((path, kind), bytes)| check(&bytes, path, &analyze(&bytes, path, kind)),
    );
}

#[test]
fn arbitrary_strings_never_panic() {
    run(256, (any_name(), ".{0,400}"), |((path, kind), text)| {
        check(text.as_bytes(), path, &analyze(text.as_bytes(), path, kind))
    });
}

#[test]
fn rust_token_soup() {
    run(192, soup(RUST_TOKENS, 120), |text| {
        check(
            text.as_bytes(),
            "src/main.rs",
            &analyze(text.as_bytes(), "src/main.rs", FileKind::Rust),
        )
    });
}

#[test]
fn sql_token_soup() {
    run(192, soup(SQL_TOKENS, 120), |text| {
        check(
            text.as_bytes(),
            "db/schema.sql",
            &analyze(text.as_bytes(), "db/schema.sql", FileKind::Sql),
        )
    });
}

#[test]
fn yaml_token_soup_every_kind() {
    let yaml_names: Vec<&'static str> = NAMES
        .iter()
        .filter(|(_, k)| *k == FileKind::Yaml || *k == FileKind::Json)
        .map(|(n, _)| *n)
        .collect();
    run(
        256,
        (prop::sample::select(yaml_names), soup(YAML_TOKENS, 120)),
        |(path, text)| {
            let kind = if path.ends_with(".json") {
                FileKind::Json
            } else {
                FileKind::Yaml
            };
            check(text.as_bytes(), path, &analyze(text.as_bytes(), path, kind))
        },
    );
}

#[test]
fn config_token_soup() {
    run(
        192,
        (
            prop::sample::select(vec![
                ("redis.conf", FileKind::RedisConf),
                (".env", FileKind::DotEnv),
            ]),
            soup(CONF_TOKENS, 80),
        ),
        |((path, kind), text)| check(text.as_bytes(), path, &analyze(text.as_bytes(), path, kind)),
    );
}

/// A file name: any characters but `/` and NUL (newlines, quotes, `%`,
/// `::`, `<`, control characters, non-ASCII), then a scanned extension.
fn file_name() -> impl Strategy<Value = String> {
    (
        "[^/\u{0}]{1,24}",
        prop::sample::select(vec![".sql", ".yaml", ".rs", ".json"]),
    )
        .prop_map(|(stem, ext)| format!("{stem}{ext}"))
        .prop_filter("not a hidden or special name", |n| {
            !n.starts_with('.') && n.len() < 200
        })
}

#[test]
fn reports_stay_valid_for_arbitrary_names_and_contents() {
    let vocab = Vocabulary::builtin();
    let rules = RuleSet::load(&[], &Overrides::default(), "").expect("rules");
    // Names with anything in them; comment text with anything but a line
    // break (so the finding stays); and one file of arbitrary content.
    let strategy = (
        prop::collection::vec((file_name(), "[^\u{0}\r\n]{0,80}"), 1..4),
        ".{0,300}",
    );
    run(24, strategy, move |(files, junk)| {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(dir.path().join("junk.yaml"), junk)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (name, extra) in &files {
            let content = if name.ends_with(".sql") {
                format!("CREATE TABLE leads (id INT, email TEXT);\n-- {extra}\n")
            } else if name.ends_with(".yaml") {
                format!(
                    "services:\n  cache:\n    image: redis:7\n    ports: [\"6379:6379\"]\n# {extra}\n"
                )
            } else {
                format!("// {extra}\n")
            };
            if std::fs::write(dir.path().join(name), content).is_err() {
                return Ok(()); // a name this file system refuses
            }
        }
        let opts = ScanOptions {
            paths: vec![PathBuf::from(dir.path())],
            threads: 1,
            ..ScanOptions::default()
        };
        let result = engine::scan(&opts, &rules, &vocab);
        let json: serde_json::Value =
            serde_json::from_str(&leakguard::report::json::render(&result))
                .map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
        let sarif: serde_json::Value =
            serde_json::from_str(&leakguard::report::sarif::render(&result, &rules))
                .map_err(|e| TestCaseError::fail(format!("SARIF: {e}")))?;
        prop_assert!(sarif["runs"].is_array());
        // Every reported path names a file we wrote, exactly.
        for f in json["findings"].as_array().into_iter().flatten() {
            let p = f["path"].as_str().unwrap_or_default();
            prop_assert!(
                files.iter().any(|(n, _)| p.ends_with(&format!("/{n}"))),
                "{p:?}"
            );
        }
        let sql_files = files.iter().filter(|(n, _)| n.ends_with(".sql")).count();
        let flagged = json["findings"].as_array().map_or(0, |v| {
            v.iter()
                .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(".sql")))
                .count()
        });
        prop_assert!(flagged >= sql_files.min(1), "{json:#}");
        // GitHub: one command per line; a name cannot start a command of
        // its own or break out of one.
        let gh = leakguard::report::github::render(&result);
        let lines: Vec<&str> = gh.lines().collect();
        for l in &lines[..lines.len().saturating_sub(1)] {
            prop_assert!(l.starts_with("::"), "stray line {l:?} in {gh}");
        }
        prop_assert!(!lines.last().is_some_and(|l| l.starts_with("::")));
        // JUnit: well-formed enough that no raw control character or
        // unescaped `<` from a name reaches the XML.
        let junit =
            leakguard::report::junit::render(&result, &rules, leakguard::finding::Severity::Low);
        prop_assert!(
            !junit
                .chars()
                .any(|c| (c < ' ' && !matches!(c, '\n' | '\r' | '\t'))
                    || matches!(c, '\u{fffe}' | '\u{ffff}')),
            "{junit}"
        );
        for (name, _) in &files {
            if name.contains('<') {
                prop_assert!(!junit.contains(name.as_str()), "unescaped name {name:?}");
            }
        }
        Ok(())
    });
}
