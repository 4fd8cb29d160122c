use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use leakguard::config::{self, LoadedConfig};
use leakguard::discover::DiscoverOptions;
use leakguard::engine::{self, ScanOptions, ScanResult};
use leakguard::filter::baseline::{self, Baseline};
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
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
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
}

#[derive(Args)]
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
}

#[derive(Args)]
struct BaselineArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Where to write the baseline.
    #[arg(long, short, default_value = baseline::DEFAULT_FILE)]
    output: PathBuf,
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
    let result = engine::scan(&opts, &s.rules, &s.vocab);
    let threshold = a.fail_on.or(s.cfg.config.fail_on).unwrap_or(Severity::Low);
    let text = match a.format {
        Format::Json => report::json::render(&result),
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
            report::human::render(
                &result,
                &report::human::HumanOptions {
                    color,
                    quiet: a.quiet,
                    width: 100,
                },
            )
        }
    };
    if let Err(code) = emit(&text, a.output.as_ref()) {
        return code;
    }
    exit_code(&result, threshold)
}

fn exit_code(result: &ScanResult, threshold: Severity) -> i32 {
    if result.incomplete() {
        EXIT_INCOMPLETE
    } else if result.failing(threshold) > 0 {
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
    let result = engine::scan(&opts, &s.rules, &s.vocab);
    let b = Baseline::from_findings(&result.findings);
    if let Err(code) = emit(&b.to_json(), Some(&a.output)) {
        return code;
    }
    eprintln!(
        "leakguard: wrote {} finding(s) to {}",
        b.findings.len(),
        a.output.display()
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
