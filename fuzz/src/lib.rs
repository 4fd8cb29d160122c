//! Shared harness for the fuzz targets: one vocabulary and rule set per
//! process, analysis on a thread with the engine's 64 MiB stack, and the
//! invariants every front end must keep (no panic, spans inside the file).

use std::sync::OnceLock;

use leakguard::discover::FileKind;
use leakguard::engine::{self, ScanResult, ScannedFile};
use leakguard::facts::FileFacts;
use leakguard::frontend::{self, Ctx};
use leakguard::rules::{Overrides, RuleSet};
use leakguard::span::LineIndex;
use leakguard::vocab::Vocabulary;

/// The engine parses on threads with this stack (see `engine::parse_files`).
pub const PARSE_STACK: usize = 64 * 1024 * 1024;

pub fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(Vocabulary::builtin)
}

pub fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::load(&[], &Overrides::default(), "").expect("built-in rules load"))
}

/// Runs `f` on a fresh thread with the engine's parse stack; a panic there
/// is re-raised here so libFuzzer records the input.
pub fn on_parse_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .stack_size(PARSE_STACK)
        .spawn(f)
        .expect("spawn parse thread");
    match handle.join() {
        Ok(v) => v,
        Err(p) => std::panic::resume_unwind(p),
    }
}

/// File names that route the YAML front end to each of its kinds.
pub const YAML_NAMES: &[&str] = &[
    "docker-compose.yml",
    "k8s/x.yaml",
    "cfn/template.yaml",
    "charts/app/values.yaml",
    "config/elasticsearch.yml",
    "etc/mongod.conf",
    "compose.override.yaml",
    "deploy/other.yml",
];

/// One name per kind, for the whole-pipeline target.
pub const ALL_NAMES: &[(&str, FileKind)] = &[
    ("src/main.rs", FileKind::Rust),
    ("migrations/001.sql", FileKind::Sql),
    ("search/contacts.json", FileKind::Json),
    ("docker-compose.yml", FileKind::Yaml),
    ("k8s/x.yaml", FileKind::Yaml),
    ("cfn/template.yaml", FileKind::Yaml),
    ("values.yaml", FileKind::Yaml),
    ("elasticsearch.yml", FileKind::Yaml),
    ("mongod.conf", FileKind::Yaml),
    ("redis.conf", FileKind::RedisConf),
    (".env", FileKind::DotEnv),
    ("Cargo.toml", FileKind::CargoManifest),
];

/// Splits off the routing byte: the name it picks from `names`, and the rest.
pub fn route<'a, T: Copy>(data: &'a [u8], names: &[T]) -> Option<(T, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((names[first as usize % names.len()], rest))
}

/// Every span of every fact and suppression lies within the text.
pub fn check_spans(text: &str, facts: &FileFacts) {
    let index = LineIndex::new(text);
    let lines = index.line_count() as u32;
    let spans = facts
        .facts
        .iter()
        .map(|f| f.span)
        .chain(facts.suppressions.iter().map(|s| s.span));
    for s in spans {
        assert!(
            s.line >= 1 && s.column >= 1,
            "span starts before the file: {s:?}"
        );
        assert!(
            s.line <= lines && s.end_line <= lines,
            "span past the last line ({lines}): {s:?}"
        );
        assert!(
            (s.end_line, s.end_column) >= (s.line, s.column),
            "span ends before it starts: {s:?}"
        );
    }
    for e in &facts.errors {
        assert!(!e.internal, "internal error: {}", e.message);
        if let Some(l) = e.line {
            assert!(l >= 1 && l <= lines, "error line {l} outside 1..={lines}");
        }
    }
}

/// One front end on one text, as the engine runs it (without its
/// `catch_unwind`, so a panic is a crash libFuzzer keeps).
pub fn analyze_text(data: &[u8], kind: FileKind, path: &'static str) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_string();
    on_parse_stack(move || {
        let ctx = Ctx {
            vocab: vocab(),
            path,
        };
        let facts = frontend::analyze_text(&text, kind, &ctx);
        check_spans(&text, &facts);
        if kind == FileKind::Rust {
            proc_macro2::extra::invalidate_current_thread_spans();
        }
    });
}

/// The whole single-file pipeline: bytes -> facts -> link -> rules ->
/// suppressions -> fingerprints -> every report, which must stay valid.
pub fn pipeline(data: &[u8], path: &'static str, kind: FileKind) {
    let bytes = data.to_vec();
    on_parse_stack(move || {
        let ctx = Ctx {
            vocab: vocab(),
            path,
        };
        let facts = frontend::analyze_bytes(&bytes, kind, &ctx);
        if kind == FileKind::Rust {
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check_spans(text.strip_prefix('\u{feff}').unwrap_or(text), &facts);
        }
        let files = vec![ScannedFile {
            path: path.to_string(),
            fs_path: path.into(),
            kind,
            size: bytes.len() as u64,
            facts,
        }];
        let rules = rules();
        let linked = leakguard::link::link(&files, vocab());
        let mut findings = engine::evaluate(&files, &linked.chains, rules);
        let mut warnings = Vec::new();
        let unused =
            leakguard::filter::suppress::apply(&mut findings, &files, rules, &mut warnings);
        warnings.extend(unused);
        leakguard::filter::fingerprint::assign(&mut findings);
        let errors = files[0]
            .facts
            .errors
            .iter()
            .map(|e| engine::ErrorEntry {
                path: path.to_string(),
                line: e.line,
                message: e.message.clone(),
                kind: "parse".into(),
            })
            .collect();
        let result = ScanResult {
            findings,
            errors,
            warnings,
            files,
            linked,
            rules_digest: rules.digest.clone(),
            baseline_fixed: 0,
            baselined: 0,
            timings: Default::default(),
            cache: Default::default(),
        };
        let json = leakguard::report::json::render(&result);
        serde_json::from_str::<serde_json::Value>(&json).expect("JSON report parses");
        let sarif = leakguard::report::sarif::render(&result, rules);
        serde_json::from_str::<serde_json::Value>(&sarif).expect("SARIF report parses");
        let _ = leakguard::report::junit::render(&result, rules, leakguard::finding::Severity::Low);
        let _ = leakguard::report::github::render(&result);
    });
}
