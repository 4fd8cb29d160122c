use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use leakguard::config::{self, LoadedConfig};
use leakguard::discover::DiscoverOptions;
use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::filter::baseline::{self, Baseline};
use leakguard::filter::scope::{self, Scope};
use leakguard::finding::{Category, Severity};
use leakguard::report;
use leakguard::rules::{Overrides, RuleSet};
use leakguard::vocab::Vocabulary;

const EXIT_CLEAN: i32 = 0;
const EXIT_FINDINGS: i32 = 1;
const EXIT_USAGE: i32 = 2;
const EXIT_INCOMPLETE: i32 = 3;

#[derive(Parser)]
#[command(
    name = "leakguard",
    version,
    about = "Data-policy compliance linter: stored contact data, exposed datastores, missing auth",
    after_help = "Examples:\n  leakguard check                      scan the current folder\n  leakguard check --format json .      the machine-readable report\n  leakguard check --fail-on high src/  fail only on high or critical findings\n  leakguard explain LG-CHAIN-001       what a rule checks and why\n\nExit status: 0 clean, 1 findings at or above --fail-on, 2 usage/config/rule error, 3 incomplete scan."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan paths and report findings.
    Check(CheckArgs),
    /// Write the current findings to a baseline file, so CI gates only on new ones.
    Baseline(BaselineArgs),
    /// List the rules in force.
    Rules(RulesArgs),
    /// Explain one rule: rationale, policy clauses, remediation, examples.
    Explain(ExplainArgs),
    /// List the policy clauses rules cite, and which rules cite each.
    Policies(PoliciesArgs),
    /// Write the auditor's report (self-contained HTML or Markdown) to a file.
    Report(ReportArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// The JSON document of the output contract.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, one test case per rule (GitLab, Jenkins).
    Junit,
    /// GitHub Actions workflow annotations (`::error file=...::...`).
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Args, Clone)]
struct ScanArgs {
    /// Files or folders to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Configuration file (default: leakguard.yaml found from the scanned path upwards).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Extra rule file or folder of rule files (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rule_paths: Vec<PathBuf>,
    /// Parse every file again instead of reusing the facts of unchanged
    /// files (cached in `cache_dir` from leakguard.yaml, else the user's
    /// cache folder, never in the scanned tree).
    #[arg(long)]
    no_cache: bool,
    /// Scan a folder inside a repository on its own, instead of reading
    /// the whole repository (the folder above holding leakguard.yaml) for
    /// chains.
    #[arg(long)]
    no_widen: bool,
}

const CHECK_HELP: &str = "\
Pre-commit mode: when a PATH is a file, leakguard reports findings for that
file only, but reads the whole repository it belongs to (the nearest folder
above holding leakguard.yaml or .git), so that a chain through an unchanged
file is still found. --changed-since REV does the same for the files git
reports as changed since REV (committed on this branch since it forked from
REV, plus uncommitted changes to tracked files).

Subfolders: a folder PATH inside a repository whose root (a folder above it)
holds leakguard.yaml is reported on alone, but the root is read, so chains
through deploy/ manifests or db/ migrations elsewhere are found. Without
leakguard.yaml above it (or with --no-widen), a folder is scanned on its own.

Suppressions: `leakguard-ignore RULE-ID: reason` in the file's comment syntax
(`//` Rust, `--` SQL, `#` YAML), at the end of the flagged line or alone on the
line above. The reason is mandatory.

Exit status:
  0  no finding at or above the fail threshold, and no suppression warning
  1  findings at or above the fail threshold (suppressed and baselined ones
     never count), or a warning about a suppression comment: one without a
     reason, one naming an unknown rule, or, with
     --report-unused-suppressions, one that matches no finding. A broken
     suppression is a mistake to fix now, before it hides or fails to hide
     something later.
  2  usage error, bad config, bad rule file or baseline (nothing scanned)
  3  the scan is incomplete: an internal error on some file";

#[derive(Args)]
#[command(after_help = CHECK_HELP)]
struct CheckArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Only print the summary (human format).
    #[arg(long, short)]
    quiet: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Baseline of accepted findings; only new findings count.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Report suppression comments that match no finding.
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Report findings only in files changed since this git revision
    /// (e.g. origin/main), reading the whole repository for chains.
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
}

#[derive(Args)]
struct BaselineArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Where to write the baseline (default: `baseline:` in leakguard.yaml,
    /// else .leakguard-baseline.json in the current folder).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Only rules of this category.
    #[arg(long)]
    category: Option<String>,
    /// Only rules citing this policy clause id.
    #[arg(long)]
    policy: Option<String>,
    #[arg(long = "rules", value_name = "PATH")]
    rule_paths: Vec<PathBuf>,
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    /// A rule id, such as LG-CHAIN-001.
    rule: String,
    #[arg(long = "rules", value_name = "PATH")]
    rule_paths: Vec<PathBuf>,
}

#[derive(Args)]
struct PoliciesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| "expected one of: critical, high, medium, low, info".into())
}

fn print_diagnostic(err: &dyn miette::Diagnostic) {
    let handler = miette::GraphicalReportHandler::new_themed(if std::io::stderr().is_terminal() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    });
    let mut s = String::new();
    let _ = handler.render_report(&mut s, err);
    eprintln!("{s}");
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(a) => check(a),
        Command::Baseline(a) => write_baseline(a),
        Command::Rules(a) => list_rules(a),
        Command::Explain(a) => explain(a),
        Command::Policies(a) => policies(a),
        Command::Report(a) => report(a),
    }
}

struct Setup {
    cfg: LoadedConfig,
    rules: RuleSet,
    vocab: Vocabulary,
}

fn setup(
    config_path: Option<&PathBuf>,
    rule_paths: &[PathBuf],
    start: &std::path::Path,
) -> Result<Setup, i32> {
    let cfg = config::load(config_path.map(|p| p.as_path()), start).map_err(|e| {
        print_diagnostic(&*e);
        EXIT_USAGE
    })?;
    let mut paths: Vec<PathBuf> = cfg.config.rules.iter().map(|p| cfg.resolve(p)).collect();
    paths.extend(rule_paths.iter().cloned());
    let overrides = Overrides {
        disable: cfg.config.disable.clone(),
        enable: cfg.config.enable.clone(),
        severity: cfg.config.severity.clone(),
        source: cfg
            .file
            .as_ref()
            .zip(cfg.text.clone())
            .map(|(f, t)| (leakguard::discover::display_path(f), t)),
    };
    let vocab = Vocabulary::with_extension(&cfg.config.vocabulary);
    let vocab_digest = format!("{:?}", cfg.config.vocabulary);
    let rules = RuleSet::load(&paths, &overrides, &vocab_digest).map_err(|e| {
        print_diagnostic(&*e);
        EXIT_USAGE
    })?;
    Ok(Setup { cfg, rules, vocab })
}

fn scan_options(scan: &ScanArgs, cfg: &LoadedConfig) -> ScanOptions {
    ScanOptions {
        paths: scan.paths.clone(),
        threads: scan.threads,
        discover: DiscoverOptions {
            include: config::globset(&cfg.config.include),
            exclude: config::globset(&cfg.config.exclude),
            max_file_size: cfg
                .config
                .max_file_size
                .unwrap_or(engine::DEFAULT_MAX_FILE_SIZE),
        },
        cache_dir: if scan.no_cache {
            None
        } else {
            cfg.config
                .cache_dir
                .as_ref()
                .map(|d| cfg.resolve(d))
                .or_else(leakguard::cache::default_dir)
        },
        ..Default::default()
    }
}

fn run_scan(scan: &ScanArgs) -> Result<(Setup, ScanOptions), i32> {
    for p in &scan.paths {
        if !p.exists() {
            eprintln!("leakguard: {}: no such file or folder", p.display());
            return Err(EXIT_USAGE);
        }
    }
    let start = scan
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let s = setup(scan.config.as_ref(), &scan.rule_paths, &start)?;
    let opts = scan_options(scan, &s.cfg);
    Ok((s, opts))
}

fn emit(text: &str, output: Option<&PathBuf>) -> Result<(), i32> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            eprintln!("leakguard: cannot write {}: {e}", p.display());
            EXIT_USAGE
        }),
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            Ok(())
        }
    }
}

fn check(a: CheckArgs) -> i32 {
    let (s, mut opts) = match run_scan(&a.scan) {
        Ok(x) => x,
        Err(code) => return code,
    };
    opts.report_unused_suppressions = a.report_unused_suppressions;
    let scope = match plan_scope(&a.scan, a.changed_since.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let baseline_path = a
        .baseline
        .clone()
        .or_else(|| s.cfg.config.baseline.as_ref().map(|b| s.cfg.resolve(b)));
    if let Some(p) = &baseline_path {
        // A baseline named in leakguard.yaml that was never written is an
        // empty one (`leakguard baseline` writes it); one named on the
        // command line must exist.
        if a.baseline.is_none() && !p.exists() {
            eprintln!(
                "leakguard: the baseline {} named in the config does not exist yet; run `leakguard baseline` to write it",
                p.display()
            );
        } else {
            match std::fs::read_to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|t| Baseline::parse(&t))
            {
                Ok(b) => opts.baseline = Some(b),
                Err(e) => {
                    eprintln!("leakguard: baseline {}: {e}", p.display());
                    return EXIT_USAGE;
                }
            }
        }
    }
    let result = scan_in_scope(opts, &s, scope.as_ref());
    let threshold = a.fail_on.or(s.cfg.config.fail_on).unwrap_or(Severity::Low);
    let text = match a.format {
        Format::Json => report::json::render(&result),
        Format::Sarif => report::sarif::render(&result, &s.rules),
        Format::Junit => report::junit::render(&result, &s.rules, threshold),
        Format::Github => report::github::render(&result),
        Format::Human => {
            let color = match a.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    a.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let text = report::human::render(
                &result,
                &report::human::HumanOptions {
                    color,
                    quiet: a.quiet,
                    width: 100,
                },
            );
            human_warnings(text, &result, a.quiet, color)
        }
    };
    if let Err(code) = emit(&text, a.output.as_ref()) {
        return code;
    }
    exit_code(&result, threshold)
}

/// Pre-commit mode (file paths), subfolder mode (a folder below a
/// `leakguard.yaml`) or diff mode (`--changed-since`): what to report on
/// and what to scan; `None` for a plain scan.
fn plan_scope(scan: &ScanArgs, changed_since: Option<&str>) -> Result<Option<Scope>, i32> {
    if let Some(rev) = changed_since {
        let start = scan
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        let files = scope::changed_since(&start, rev).map_err(|e| {
            eprintln!("leakguard: --changed-since {rev}: {e}");
            EXIT_USAGE
        })?;
        if files.is_empty() {
            eprintln!("leakguard: no scannable file changed since {rev}");
        }
        return Ok(Some(scope::plan(&files, false).unwrap_or_default()));
    }
    Ok(scope::plan(&scan.paths, !scan.no_widen))
}

/// Runs the scan, within `sc` when there is one: its paths are read, and
/// only what lies in the named files and folders is reported, under the
/// names the user gave. Fingerprints and the baseline then work on those
/// names, as in a plain scan of the same paths.
fn scan_in_scope(mut opts: ScanOptions, s: &Setup, sc: Option<&Scope>) -> ScanResult {
    let Some(sc) = sc else {
        return engine::scan(&opts, &s.rules, &s.vocab);
    };
    opts.paths = sc.scan_paths.clone();
    opts.only = None;
    let base = opts.baseline.take();
    let mut result = engine::scan(&opts, &s.rules, &s.vocab);
    apply_scope(&mut result, sc);
    if let Some(b) = &base {
        let (waived, _) = baseline::apply(b, &mut result.findings);
        let seen: std::collections::BTreeSet<&str> = result
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        // Only entries of the reported files can be known as fixed.
        let given = sc.as_given();
        result.baselined = waived;
        result.baseline_fixed = b
            .findings
            .iter()
            .filter(|e| given.reports(&e.path) && !seen.contains(e.fingerprint.as_str()))
            .count();
    }
    result
}

/// Reports only on the named files and folders, under the names the user
/// gave. Every file read stays in `files` (the count of files scanned, the
/// source of related locations' snippets).
fn apply_scope(result: &mut ScanResult, sc: &Scope) {
    result.findings.retain(|f| sc.reports(&f.path));
    result.warnings.retain(|w| sc.reports(&w.path));
    result.errors.retain(|e| sc.reports(&e.path));
    result.linked.chains.retain(|(p, _)| sc.reports(p));
    result.linked.placements.retain(|p| sc.reports(&p.path));
    if !sc.rename.is_empty() {
        let rename = |p: &mut String| {
            if let Some(n) = sc.display(p) {
                *p = n;
            }
        };
        for f in &mut result.findings {
            rename(&mut f.path);
            for r in &mut f.related {
                rename(&mut r.path);
            }
        }
        for w in &mut result.warnings {
            rename(&mut w.path);
        }
        for e in &mut result.errors {
            rename(&mut e.path);
        }
        for f in &mut result.files {
            rename(&mut f.path);
        }
        for (p, fact) in &mut result.linked.chains {
            rename(p);
            if let leakguard::facts::FactData::ExposedStore(x) = &mut fact.data {
                for l in &mut x.links {
                    rename(&mut l.path);
                }
            }
        }
        for p in &mut result.linked.placements {
            rename(&mut p.path);
        }
        leakguard::filter::fingerprint::assign(&mut result.findings);
    }
    result
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    result.warnings.sort();
    result.errors.sort();
    result.errors.dedup();
}

/// Suppression warnings make the run fail: say so where people look.
fn human_warnings(text: String, result: &ScanResult, quiet: bool, color: bool) -> String {
    let n = result.warnings.len();
    if n == 0 {
        return text;
    }
    let (on, off) = if color {
        ("\x1b[33m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = String::new();
    if quiet {
        for w in &result.warnings {
            out.push_str(&format!(
                "{on}warning{off}: {}:{}:{}: {}\n",
                w.path, w.line, w.column, w.message
            ));
        }
    }
    out.push_str(&text);
    out.push_str(&format!(
        "leakguard: {on}{n} suppression warning{}{off}; fix the comment{} above (they fail the run)\n",
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
    ));
    out
}

fn exit_code(result: &ScanResult, threshold: Severity) -> i32 {
    if result.incomplete() {
        EXIT_INCOMPLETE
    } else if result.failing(threshold) > 0 || !result.warnings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn write_baseline(a: BaselineArgs) -> i32 {
    let (s, opts) = match run_scan(&a.scan) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let scope = match plan_scope(&a.scan, None) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = scan_in_scope(opts, &s, scope.as_ref());
    let mut b = Baseline::from_findings(&result.findings);
    let output = a
        .output
        .clone()
        .or_else(|| s.cfg.config.baseline.as_ref().map(|p| s.cfg.resolve(p)))
        .unwrap_or_else(|| PathBuf::from(baseline::DEFAULT_FILE));
    // Reasons people wrote into the previous baseline survive a rewrite.
    if let Some(previous) = std::fs::read_to_string(&output)
        .ok()
        .and_then(|t| Baseline::parse(&t).ok())
    {
        b.keep_reasons(&previous);
    }
    if let Err(code) = emit(&b.to_json(), Some(&output)) {
        return code;
    }
    eprintln!(
        "leakguard: wrote {} finding(s) to {}",
        b.findings.len(),
        output.display()
    );
    if result.incomplete() {
        EXIT_INCOMPLETE
    } else {
        EXIT_CLEAN
    }
}

fn list_rules(a: RulesArgs) -> i32 {
    let s = match setup(a.config.as_ref(), &a.rule_paths, std::path::Path::new(".")) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if let Some(c) = &a.category
        && Category::parse(c).is_none()
    {
        eprintln!("leakguard: unknown category {c}");
        return EXIT_USAGE;
    }
    let rules: Vec<_> = s
        .rules
        .rules
        .iter()
        .filter(|r| {
            a.category
                .as_deref()
                .is_none_or(|c| r.def.category.as_str() == c)
        })
        .filter(|r| {
            a.policy
                .as_deref()
                .is_none_or(|p| r.def.policies.iter().any(|x| x == p))
        })
        .collect();
    let text = match a.format {
        ListFormat::Json => {
            let v: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.def.id,
                        "title": r.def.title,
                        "category": r.def.category,
                        "severity": r.def.severity,
                        "enabled": r.def.enabled,
                        "policies": r.policy_refs,
                        "source": r.source,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).expect("serialises") + "\n"
        }
        ListFormat::Table => {
            let mut t = format!(
                "{:<14} {:<26} {:<9} {}\n",
                "ID", "CATEGORY", "SEVERITY", "TITLE"
            );
            for r in rules {
                let off = if r.def.enabled { "" } else { " (disabled)" };
                t.push_str(&format!(
                    "{:<14} {:<26} {:<9} {}{off}\n",
                    r.def.id,
                    r.def.category.as_str(),
                    r.def.severity.as_str(),
                    r.def.title
                ));
            }
            t
        }
    };
    let _ = emit(&text, None);
    EXIT_CLEAN
}

fn explain(a: ExplainArgs) -> i32 {
    let s = match setup(None, &a.rule_paths, std::path::Path::new(".")) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let Some(rule) = s.rules.get(&a.rule) else {
        eprintln!("leakguard: no rule {} (see `leakguard rules`)", a.rule);
        return EXIT_USAGE;
    };
    let _ = emit(
        &leakguard::report::explain::render(rule, &s.rules.policies),
        None,
    );
    EXIT_CLEAN
}

fn policies(a: PoliciesArgs) -> i32 {
    let s = match setup(None, &[], std::path::Path::new(".")) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let citing = |id: &str| -> Vec<String> {
        s.rules
            .rules
            .iter()
            .filter(|r| r.def.policies.iter().any(|p| p == id))
            .map(|r| r.def.id.clone())
            .collect()
    };
    let text = match a.format {
        ListFormat::Json => {
            let v: Vec<_> = s
                .rules
                .policies
                .by_id
                .values()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id, "document": p.document, "clause": p.clause,
                        "summary": p.summary, "url": p.url, "status": p.status,
                        "rules": citing(&p.id),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).expect("serialises") + "\n"
        }
        ListFormat::Table => {
            let mut t = String::new();
            for p in s.rules.policies.by_id.values() {
                let rules = citing(&p.id);
                t.push_str(&format!(
                    "{}  {} {}\n    {}\n    {}\n",
                    p.id, p.document, p.clause, p.summary, p.url
                ));
                if !rules.is_empty() {
                    t.push_str(&format!("    cited by: {}\n", rules.join(", ")));
                }
            }
            t
        }
    };
    let _ = emit(&text, None);
    EXIT_CLEAN
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ReportFormat {
    /// One self-contained HTML file (inline CSS, no script, prints cleanly).
    Html,
    /// GitHub/GitLab-flavoured Markdown.
    Markdown,
}

#[derive(Args)]
struct ReportArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// Lowest severity that fails the verdict and the run (exit 1).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Baseline of accepted findings; they are listed as waivers.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Exit 0 whatever the findings (usage errors still exit 2).
    #[arg(long)]
    no_fail: bool,
    /// Leave the git commit and working-tree state out of the report.
    #[arg(long)]
    no_git: bool,
}

fn report(a: ReportArgs) -> i32 {
    use leakguard::report::audit;
    let (s, mut opts) = match run_scan(&a.scan) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let baseline_path = a
        .baseline
        .clone()
        .or_else(|| s.cfg.config.baseline.as_ref().map(|b| s.cfg.resolve(b)));
    if let Some(p) = &baseline_path {
        match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| Baseline::parse(&t))
        {
            Ok(b) => opts.baseline = Some(b),
            Err(e) => {
                eprintln!("leakguard: baseline {}: {e}", p.display());
                return EXIT_USAGE;
            }
        }
    }
    let scope = match plan_scope(&a.scan, None) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = scan_in_scope(opts, &s, scope.as_ref());
    let threshold = a.fail_on.or(s.cfg.config.fail_on).unwrap_or(Severity::Low);
    let root = a
        .scan
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let input = audit::AuditInput {
        result: &result,
        rules: &s.rules,
        threshold,
        paths: a
            .scan
            .paths
            .iter()
            .map(|p| leakguard::discover::display_path(p))
            .collect(),
        generated_at: audit::now_utc(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        git: if a.no_git {
            audit::GitProvenance::NotRecorded
        } else {
            audit::git_provenance(&root)
        },
    };
    let text = match a.format {
        ReportFormat::Html => audit::html(&input),
        ReportFormat::Markdown => audit::markdown(&input),
    };
    if let Err(code) = emit(&text, Some(&a.output)) {
        return code;
    }
    eprintln!(
        "leakguard: wrote the audit report to {}",
        a.output.display()
    );
    if a.no_fail {
        EXIT_CLEAN
    } else {
        exit_code(&result, threshold)
    }
}
