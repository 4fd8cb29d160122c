//! The pipeline: discover -> parse (parallel) -> facts -> link -> rules ->
//! filter -> sorted findings. Every report renders the [`ScanResult`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::cache::{self, Cache};
use crate::discover::{self, DiscoverOptions, FileKind};
use crate::facts::{Fact, FactData, FileFacts};
use crate::filter;
use crate::finding::{Finding, Related, Severity};
use crate::frontend::{self, Ctx};
use crate::link;
use crate::rules::{RuleSet, matcher};
use crate::vocab::Vocabulary;

/// Files larger than this are reported and skipped (configurable).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// syn and sqlparser recurse; parse on threads with room for deep input.
const PARSE_STACK: usize = 64 * 1024 * 1024;

pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub threads: usize,
    pub discover: DiscoverOptions,
    /// Report findings only for these files (pre-commit mode), while still
    /// reading the rest of the tree for chains. Display paths.
    pub only: Option<Vec<String>>,
    pub baseline: Option<filter::baseline::Baseline>,
    pub report_unused_suppressions: bool,
    /// The cache folder; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            threads: 0,
            discover: DiscoverOptions {
                max_file_size: DEFAULT_MAX_FILE_SIZE,
                ..Default::default()
            },
            only: None,
            baseline: None,
            report_unused_suppressions: false,
            cache_dir: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ErrorEntry {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
    /// `parse`, `skipped` or `internal`.
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One analysed file, kept for linking, the inventory and reports.
#[derive(Debug, Clone)]
pub struct ScannedFile {
    pub path: String,
    pub fs_path: PathBuf,
    pub kind: FileKind,
    pub size: u64,
    pub facts: FileFacts,
}

#[derive(Debug, Clone)]
pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<Warning>,
    pub files: Vec<ScannedFile>,
    /// Chains and contact-field placements the linker derived.
    pub linked: link::Linked,
    pub rules_digest: String,
    /// Baseline entries no longer found (the baseline can shrink).
    pub baseline_fixed: usize,
    pub baselined: usize,
}

impl ScanResult {
    pub fn files_scanned(&self) -> usize {
        self.files.len()
    }

    pub fn files_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for f in &self.files {
            *m.entry(f.kind.as_str()).or_insert(0) += 1;
        }
        m
    }

    pub fn incomplete(&self) -> bool {
        self.errors.iter().any(|e| e.kind == "internal")
    }

    /// Unsuppressed findings at or above a threshold.
    pub fn failing(&self, threshold: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.suppressed && f.severity >= threshold)
            .count()
    }
}

fn analyze_file(
    file: &discover::DiscoveredFile,
    vocab: &Vocabulary,
    facts_cache: Option<&Cache>,
) -> FileFacts {
    let stat = std::fs::metadata(&file.fs_path)
        .ok()
        .map(|m| (m.len(), cache::mtime_of(&m)));
    if let (Some(c), Some((size, mtime))) = (facts_cache, stat)
        && let Some(facts) = c.by_stat(&file.display, size, mtime)
    {
        return facts;
    }
    let bytes = match std::fs::read(&file.fs_path) {
        Ok(b) => b,
        Err(e) => {
            let mut f = FileFacts::default();
            f.error(None, format!("cannot read: {e}"));
            return f;
        }
    };
    let (size, mtime) = stat.unwrap_or((bytes.len() as u64, 0));
    let hash = facts_cache.map(|_| cache::content_hash(&bytes));
    if let (Some(c), Some(h)) = (facts_cache, &hash)
        && let Some(facts) = c.by_hash(&file.display, h, size, mtime)
    {
        return facts;
    }
    let ctx = Ctx {
        vocab,
        path: &file.display,
    };
    let facts = frontend::analyze_bytes(&bytes, file.kind, &ctx);
    if file.kind == FileKind::Rust {
        // span-locations keeps every parsed file's text per thread.
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    facts
}

pub fn parse_files(
    files: &[discover::DiscoveredFile],
    vocab: &Vocabulary,
    threads: usize,
    facts_cache: Option<&Cache>,
) -> Vec<FileFacts> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(PARSE_STACK)
        .build();
    match pool {
        Ok(pool) => pool.install(|| {
            files
                .par_iter()
                .map(|f| analyze_file(f, vocab, facts_cache))
                .collect()
        }),
        // No threads to be had: parse on this one.
        Err(_) => files
            .iter()
            .map(|f| analyze_file(f, vocab, facts_cache))
            .collect(),
    }
}

/// Runs the whole pipeline.
pub fn scan(opts: &ScanOptions, rules: &RuleSet, vocab: &Vocabulary) -> ScanResult {
    let found = discover::discover(&opts.paths, &opts.discover);
    let cache = opts.cache_dir.as_ref().map(|dir| {
        let root = opts
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        Cache::open(cache::cache_file(dir, &root), &rules.digest)
    });
    let parsed = parse_files(&found.files, vocab, opts.threads, cache.as_ref());
    if let Some(c) = cache {
        c.save();
    }
    let files: Vec<ScannedFile> = found
        .files
        .into_iter()
        .zip(parsed)
        .map(|(d, facts)| ScannedFile {
            path: d.display,
            fs_path: d.fs_path,
            kind: d.kind,
            size: d.size,
            facts,
        })
        .collect();
    let mut errors: Vec<ErrorEntry> = found
        .skipped
        .into_iter()
        .map(|s| ErrorEntry {
            path: s.display,
            line: None,
            message: s.reason,
            kind: "skipped".into(),
        })
        .collect();
    for f in &files {
        for e in &f.facts.errors {
            errors.push(ErrorEntry {
                path: f.path.clone(),
                line: e.line,
                message: e.message.clone(),
                kind: if e.internal { "internal" } else { "parse" }.into(),
            });
        }
    }
    errors.sort();

    let linked = link::link(&files, vocab);
    let mut findings = evaluate(&files, &linked.chains, rules);
    let mut warnings = Vec::new();
    let unused = filter::suppress::apply(&mut findings, &files, rules, &mut warnings);
    if opts.report_unused_suppressions {
        warnings.extend(unused);
    }
    filter::fingerprint::assign(&mut findings);
    let (baselined, baseline_fixed) = match &opts.baseline {
        Some(b) => filter::baseline::apply(b, &mut findings),
        None => (0, 0),
    };
    if let Some(only) = &opts.only {
        findings.retain(|f| only.iter().any(|o| *o == f.path));
        warnings.retain(|w| only.iter().any(|o| *o == w.path));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    warnings.sort();
    ScanResult {
        findings,
        errors,
        warnings,
        files,
        linked,
        rules_digest: rules.digest.clone(),
        baseline_fixed,
        baselined,
    }
}

/// Evaluates every enabled rule over every fact.
pub fn evaluate(files: &[ScannedFile], linked: &[(String, Fact)], rules: &RuleSet) -> Vec<Finding> {
    let active: Vec<_> = rules.rules.iter().filter(|r| r.def.enabled).collect();
    let mut out = Vec::new();
    let all = files
        .iter()
        .flat_map(|f| {
            f.facts
                .facts
                .iter()
                .map(move |fact| (f.path.as_str(), fact))
        })
        .chain(linked.iter().map(|(p, f)| (p.as_str(), f)));
    for (path, fact) in all {
        for rule in &active {
            if !matcher::matches(&rule.def, &fact.data) {
                continue;
            }
            let related = match &fact.data {
                FactData::ExposedStore(x) => x
                    .links
                    .iter()
                    .map(|l| Related {
                        path: l.path.clone(),
                        line: l.span.line,
                        column: l.span.column,
                        end_line: l.span.end_line,
                        end_column: l.span.end_column,
                        message: l.message.clone(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.push(Finding {
                rule_id: rule.def.id.clone(),
                category: rule.def.category,
                severity: rule.def.severity,
                path: path.to_string(),
                span: fact.span,
                message: matcher::render(&rule.def.message, &fact.data),
                policy: rule.policy_refs.clone(),
                related,
                fingerprint: String::new(),
                suppressed: false,
                title: rule.def.title.clone(),
                remediation: rule.def.remediation.trim().to_string(),
                waiver: None,
                anchor: fact.anchor.clone(),
            });
        }
    }
    out
}
