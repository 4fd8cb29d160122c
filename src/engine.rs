//! The pipeline: discover -> parse (parallel) -> facts -> link -> rules ->
//! filter -> sorted findings. Every report renders the [`ScanResult`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    /// Wall time per stage (not part of any report).
    pub timings: StageTimings,
    /// How the result cache served this scan.
    pub cache: CacheStats,
}

impl ScanResult {
    fn with_files(mut self, files: Vec<ScannedFile>) -> Self {
        self.files = files;
        self
    }

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

/// Wall time of each pipeline stage. Reports do not show it; the benchmark
/// and `--verbose`-style callers do.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimings {
    /// Walking the paths.
    pub discover: Duration,
    /// Loading the cache, probing files (stat, hash) and crate digests; zero
    /// without a cache.
    pub cache: Duration,
    /// Reading and analysing the files the cache could not answer.
    pub parse: Duration,
    /// Writing the cache (overlapped with linking and rules, on its own
    /// thread; this is its own duration, not added to the wall time).
    pub cache_save: Duration,
    /// The steps that complete a file's facts from other files' (Rust
    /// crates, Helm charts, compose `.env` files).
    pub resolve: Duration,
    /// Cross-file linking.
    pub link: Duration,
    /// Rule evaluation.
    pub rules: Duration,
    /// Suppressions, fingerprints, baseline, pre-commit scope, sorting.
    pub filter: Duration,
    /// The whole scan, wall clock.
    pub total: Duration,
}

/// How the result cache served a scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub enabled: bool,
    /// A cache file was found and accepted (same format, build and digest).
    pub loaded: bool,
    /// Files whose facts came from the cache.
    pub hits: usize,
    /// Files analysed (changed, new, or whose crate changed).
    pub misses: usize,
}

fn analyze_file(file: &discover::DiscoveredFile, vocab: &Vocabulary) -> (FileFacts, Vec<u8>) {
    let bytes = match discover::read_regular(&file.fs_path) {
        Ok(b) => b,
        Err(e) => {
            let mut f = FileFacts::default();
            f.error(None, format!("cannot read: {e}"));
            return (f, Vec::new());
        }
    };
    let ctx = Ctx {
        vocab,
        path: &file.display,
    };
    let facts = frontend::analyze_bytes(&bytes, file.kind, &ctx);
    if file.kind == FileKind::Rust {
        // span-locations keeps every parsed file's text per thread.
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    (facts, bytes)
}

fn build_pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(PARSE_STACK)
        .build()
        .ok()
}

/// `f` over `0..n` on the pool (or on this thread when no pool could be
/// had), results in order.
fn par_map<T: Send>(
    pool: Option<&rayon::ThreadPool>,
    n: usize,
    f: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    match pool {
        Some(pool) => pool.install(|| (0..n).into_par_iter().map(&f).collect()),
        None => (0..n).map(f).collect(),
    }
}

/// Analyses every file, without a cache.
pub fn parse_files(
    files: &[discover::DiscoveredFile],
    vocab: &Vocabulary,
    threads: usize,
) -> Vec<FileFacts> {
    let pool = build_pool(threads);
    par_map(pool.as_ref(), files.len(), |i| {
        analyze_file(&files[i], vocab).0
    })
}

/// What the cache needs to know of one file before deciding.
struct Probe {
    size: u64,
    mtime: u128,
    /// Content hash: from the cache when size and mtime are unchanged,
    /// else from reading the file; `None` when it cannot be read. Empty
    /// when the cache holds no entry at all: with nothing to compare it
    /// against, the file is not read here, and the analysis hashes the
    /// bytes it reads.
    hash: Option<String>,
}

fn probe(file: &discover::DiscoveredFile, c: &Cache) -> Probe {
    // Discovery's metadata: a second stat per file would cost more than the
    // rest of a warm run's probing. A file changed since then is caught by
    // its content hash, as one changed between probe and read always was.
    let (size, mtime) = (file.size, file.mtime);
    let hash = c.hash_by_stat(&file.display, size, mtime).or_else(|| {
        if c.is_empty() {
            // Opening tells whether it can be read, as reading would.
            return discover::open_regular(&file.fs_path)
                .ok()
                .map(|_| String::new());
        }
        discover::read_regular(&file.fs_path)
            .ok()
            .map(|b| cache::content_hash(&b))
    });
    Probe { size, mtime, hash }
}

/// One analysed file: its index, facts, and (when asked) the content hash
/// and length of the bytes read.
type Analysed = (usize, FileFacts, Option<(String, u64)>);

/// Analyses the files `todo` (indexes into `files`) in parallel. Each file
/// is analysed on its own; what needs other files (a Rust crate, a chain) is
/// resolved later from the facts.
fn analyze_all(
    files: &[discover::DiscoveredFile],
    todo: &[usize],
    vocab: &Vocabulary,
    pool: Option<&rayon::ThreadPool>,
    hash: bool,
) -> Vec<Analysed> {
    par_map(pool, todo.len(), |k| {
        let i = todo[k];
        let (facts, bytes) = analyze_file(&files[i], vocab);
        // Only the hash is kept, never the text.
        let h = hash.then(|| (cache::content_hash(&bytes), bytes.len() as u64));
        (i, facts, h)
    })
}

/// Analyses every file the cache cannot answer. Returns each file's facts
/// and what to save for it (hash, ctx, size, mtime).
fn parse_cached(
    files: &[discover::DiscoveredFile],
    vocab: &Vocabulary,
    pool: Option<&rayon::ThreadPool>,
    c: &Cache,
    timings: &mut StageTimings,
) -> Vec<(FileFacts, Option<Stamp>)> {
    let t = Instant::now();
    // Every file's facts depend on its own bytes alone, so no context
    // digest narrows the reuse of an entry.
    let ctxs = vec![String::new(); files.len()];
    // Probing a file and decoding its cached facts happen together on the
    // worker threads: the cache keeps each entry's facts undecoded until
    // `take` asks for them.
    let (mut out, probes): (Vec<(FileFacts, Option<Stamp>)>, Vec<Probe>) =
        par_map(pool, files.len(), |i| {
            let (f, ctx) = (&files[i], &ctxs[i]);
            let p = probe(f, c);
            if let Some(hash) = &p.hash
                && let Some(taken) = c.take(&f.display, hash, ctx, p.size, p.mtime)
            {
                let stamp = Stamp {
                    hash: hash.clone(),
                    ctx: ctx.clone(),
                    size: p.size,
                    mtime: p.mtime,
                    cached_unit: taken.unit,
                    group: taken.group,
                };
                return ((taken.facts, Some(stamp)), p);
            }
            ((FileFacts::default(), None), p)
        })
        .into_iter()
        .unzip();
    let todo: Vec<usize> = (0..files.len()).filter(|&i| out[i].1.is_none()).collect();

    timings.cache += t.elapsed();
    let t = Instant::now();
    for (i, facts, h) in analyze_all(files, &todo, vocab, pool, true) {
        let p = &probes[i];
        // The stamp describes the bytes analysed; a file that changed since
        // it was probed keeps no mtime, so the next run hashes it again.
        let stamp = match (&p.hash, h) {
            (Some(_), Some((hash, len))) => Some(Stamp {
                hash,
                ctx: ctxs[i].clone(),
                size: len,
                mtime: if len == p.size { p.mtime } else { 0 },
                cached_unit: None,
                group: String::new(),
            }),
            _ => None,
        };
        out[i] = (facts, stamp);
    }
    timings.parse += t.elapsed();
    out
}

/// What the cache records of one analysed file.
struct Stamp {
    hash: String,
    ctx: String,
    size: u64,
    mtime: u128,
    /// A cache hit's Rust unit, left undecoded while its crate is unchanged.
    cached_unit: Option<cache::UnitRef>,
    /// The signature of the file's crate: as cached, then as of this run.
    group: String,
}

/// Decides, crate by crate, whether the cached resolution stands: it does
/// when every file of the crate was a cache hit resolved with the same
/// crate (same files, same contents, same manifest). Otherwise the cached
/// units of the crate's files are decoded, so that resolution runs again.
/// Records each Rust file's crate signature for the cache.
fn restore_units(files: &mut [ScannedFile], stamps: &mut [Option<Stamp>], cache: &Cache) {
    use sha2::{Digest, Sha256};
    let groups: Vec<(String, Vec<usize>)> =
        crate::frontend::rust::crate_groups(files, |f| f.kind == FileKind::Rust)
            .into_iter()
            .map(|g| {
                let mut h = Sha256::new();
                h.update(g.root.as_bytes());
                h.update([0, u8::from(g.uses_log)]);
                for &i in &g.members {
                    h.update(files[i].path.as_bytes());
                    h.update([0]);
                    let hash = stamps[i].as_ref().map_or("", |s| s.hash.as_str());
                    h.update(hash.as_bytes());
                    h.update([0]);
                }
                (crate::rules::hex(&h.finalize()[..16]), g.members)
            })
            .collect();
    for (sig, members) in groups {
        let stands = members.iter().all(|&i| {
            stamps[i]
                .as_ref()
                .is_some_and(|s| s.group == sig && files[i].facts.rust.is_none())
        });
        for &i in &members {
            let Some(stamp) = stamps[i].as_mut() else {
                continue;
            };
            if !stands
                && files[i].facts.rust.is_none()
                && let Some(unit) = stamp.cached_unit.take()
            {
                files[i].facts.rust = cache.unit(&unit);
                if files[i].facts.rust.is_none() {
                    // Undecodable: keep the bytes, lose only this re-resolution.
                    stamp.cached_unit = Some(unit);
                }
            }
            stamp.group.clone_from(&sig);
        }
    }
}

/// Runs the whole pipeline.
pub fn scan(opts: &ScanOptions, rules: &RuleSet, vocab: &Vocabulary) -> ScanResult {
    let started = Instant::now();
    let mut timings = StageTimings::default();
    // The cache file is read and indexed while discovery walks the tree.
    let (found, cache) = std::thread::scope(|scope| {
        let loader = opts.cache_dir.as_ref().map(|dir| {
            scope.spawn(move || {
                let t = Instant::now();
                let root = opts
                    .paths
                    .first()
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from("."));
                let cache = Cache::open(cache::cache_file(dir, &root), &rules.digest);
                (cache, t.elapsed())
            })
        });
        let found = discover::discover(&opts.paths, &opts.discover);
        timings.discover = started.elapsed();
        let cache = loader.map(|h| {
            let t = Instant::now();
            let (cache, took) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            // Stage time: the wait beyond discovery, or the load on its own
            // when the caller measures stages one by one.
            timings.cache = t.elapsed().max(took.saturating_sub(timings.discover));
            cache
        });
        (found, cache)
    });
    let pool = build_pool(opts.threads);
    let (parsed, stamps): (Vec<FileFacts>, Vec<Option<Stamp>>) = match &cache {
        Some(c) => parse_cached(&found.files, vocab, pool.as_ref(), c, &mut timings)
            .into_iter()
            .unzip(),
        None => {
            let t = Instant::now();
            let all: Vec<usize> = (0..found.files.len()).collect();
            let mut p: Vec<FileFacts> = vec![FileFacts::default(); found.files.len()];
            for (i, facts, _) in analyze_all(&found.files, &all, vocab, pool.as_ref(), false) {
                p[i] = facts;
            }
            timings.parse = t.elapsed();
            let n = p.len();
            (p, (0..n).map(|_| None).collect())
        }
    };
    drop(pool);
    let cache_stats = CacheStats {
        enabled: cache.is_some(),
        loaded: cache.as_ref().is_some_and(|c| c.loaded),
        hits: cache
            .as_ref()
            .map_or(0, |c| c.hits.load(std::sync::atomic::Ordering::Relaxed)),
        misses: cache
            .as_ref()
            .map_or(0, |c| c.misses.load(std::sync::atomic::Ordering::Relaxed))
            + stamps.iter().filter(|s| s.is_none()).count() * usize::from(cache.is_some()),
    };
    let mut files: Vec<ScannedFile> = found
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
    let t = Instant::now();
    let mut stamps = stamps;
    if let Some(c) = &cache {
        restore_units(&mut files, &mut stamps, c);
    }
    // Rust facts that need the file's crate (see frontend/rust/resolve.rs).
    crate::frontend::rust::resolve(&mut files);
    // Helm values facts that need the chart definition beside them.
    crate::frontend::yaml::helm::resolve(&mut files);
    // Compose facts that need the project's `.env` and `env_file` files.
    crate::frontend::yaml::compose::resolve(&mut files, vocab);
    timings.resolve = t.elapsed();
    // The cache is written on its own thread while linking and rules run.
    std::thread::scope(|scope| {
        let saver = cache.as_ref().map(|c| {
            let files = &files;
            let stamps = &stamps;
            scope.spawn(move || {
                let t = Instant::now();
                c.save(files.iter().zip(stamps).filter_map(|(f, s)| {
                    s.as_ref().map(|s| cache::Saved {
                        path: &f.path,
                        size: s.size,
                        mtime: s.mtime,
                        hash: &s.hash,
                        ctx: &s.ctx,
                        facts: &f.facts,
                        unit: s.cached_unit.as_ref(),
                        group: &s.group,
                    })
                }));
                t.elapsed()
            })
        });
        let mut result = finish(opts, rules, vocab, &files, found.skipped, &mut timings);
        if let Some(h) = saver {
            timings.cache_save = h.join().unwrap_or_default();
        }
        timings.total = started.elapsed();
        result.timings = timings;
        result.cache = cache_stats;
        result
    })
    .with_files(files)
}

/// Linking, rules and filters over the analysed files.
fn finish(
    opts: &ScanOptions,
    rules: &RuleSet,
    vocab: &Vocabulary,
    files: &[ScannedFile],
    skipped: Vec<discover::Skipped>,
    timings: &mut StageTimings,
) -> ScanResult {
    let mut errors: Vec<ErrorEntry> = skipped
        .into_iter()
        .map(|s| ErrorEntry {
            path: s.display,
            line: None,
            message: s.reason,
            kind: "skipped".into(),
        })
        .collect();
    for f in files {
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

    let t = Instant::now();
    let linked = link::link(files, vocab);
    timings.link = t.elapsed();
    let t = Instant::now();
    let mut findings = evaluate(files, &linked.chains, rules);
    timings.rules = t.elapsed();
    let t = Instant::now();
    let mut warnings = Vec::new();
    let unused = filter::suppress::apply(&mut findings, files, rules, &mut warnings);
    if opts.report_unused_suppressions {
        warnings.extend(unused);
    }
    filter::fingerprint::assign(&mut findings);
    let (baselined, baseline_fixed) = match &opts.baseline {
        Some(b) => filter::baseline::apply(b, &mut findings),
        None => (0, 0),
    };
    if let Some(only) = &opts.only {
        findings.retain(|f| only.contains(&f.path));
        warnings.retain(|w| only.contains(&w.path));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    warnings.sort();
    timings.filter = t.elapsed();
    ScanResult {
        findings,
        errors,
        warnings,
        files: Vec::new(),
        linked,
        rules_digest: rules.digest.clone(),
        baseline_fixed,
        baselined,
        timings: StageTimings::default(),
        cache: CacheStats::default(),
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
