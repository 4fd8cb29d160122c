//! The auditor's report: one self-contained HTML file or a Markdown document
//! that traces every finding to the policy clauses it breaks.
//!
//! The [`Model`] is built here from the scan result, the rule set and the
//! scope facts the caller passes in (time, version, git provenance), so the
//! output depends only on its input. `document` turns it into the report's
//! sections once, through the `markup::Markup` trait; [`html`] and
//! [`markdown`] implement that trait and own only markup and escaping.
//!
//! Everything that comes from scanned files (paths, identifiers, code,
//! messages, reasons) is untrusted: writers escape it, and
//! [`clean_inline`] / [`clean_code`] first make control and bidirectional
//! characters visible so that what the auditor reads is what the file holds.

mod document;
mod excerpt;
pub mod html;
pub mod markdown;
mod markup;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::engine::ScanResult;
use crate::facts::{ExposedStore, FactData};
use crate::finding::{Category, Finding, Severity};
use crate::link::Placement;
use crate::rules::{Overrides, Rule, RuleSet};
use crate::span::Span;

pub use excerpt::{Excerpt, ExcerptLine};

pub use html::render as html;
pub use markdown::render as markdown;

/// Where the scanned tree stands in version control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitProvenance {
    /// Not looked up (tests, or the caller chose not to).
    NotRecorded,
    /// No repository, no commit yet, or no git program.
    NotRepository,
    Commit {
        commit: String,
        /// `None` when `git status` could not be run.
        dirty: Option<bool>,
    },
}

impl GitProvenance {
    pub fn describe(&self) -> String {
        match self {
            GitProvenance::NotRecorded => "not recorded".into(),
            GitProvenance::NotRepository => "not a git repository".into(),
            GitProvenance::Commit { commit, dirty } => {
                let state = match dirty {
                    Some(true) => "with uncommitted changes to tracked files",
                    Some(false) => "clean working tree",
                    None => "working-tree state unknown",
                };
                format!("commit {commit} ({state})")
            }
        }
    }
}

/// Everything the report shows besides the findings themselves.
pub struct AuditInput<'a> {
    pub result: &'a ScanResult,
    pub rules: &'a RuleSet,
    /// The lowest severity that fails the run.
    pub threshold: Severity,
    /// The paths the scan was given, as the user wrote them.
    pub paths: Vec<String>,
    /// When the report was generated, already formatted (see [`now_utc`]).
    pub generated_at: String,
    pub tool_version: String,
    pub git: GitProvenance,
}

/// The commit and dirty state of the repository holding `root`. Runs only
/// `git rev-parse HEAD` and `git status --porcelain --untracked-files=no`,
/// with the file-system monitor and hooks switched off, and never fails.
pub fn git_provenance(root: &Path) -> GitProvenance {
    let dir = if root.is_file() {
        match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        }
    } else {
        root.to_path_buf()
    };
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args([
                "-c",
                "core.fsmonitor=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(args)
            .current_dir(&dir)
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let Some(head) = git(&["rev-parse", "HEAD"]) else {
        return GitProvenance::NotRepository;
    };
    let commit = head.trim().to_string();
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return GitProvenance::NotRepository;
    }
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .map(|s| s.lines().any(|l| !l.trim().is_empty()));
    GitProvenance::Commit { commit, dirty }
}

/// The current time as `YYYY-MM-DD HH:MM:SS UTC`; honours
/// `SOURCE_DATE_EPOCH` for reproducible reports.
pub fn now_utc() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    format_utc(secs)
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

// ---------------------------------------------------------------------------
// Text helpers shared by both renderers.

/// Whether a character would hide or reorder what the reader sees.
fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n' && c != '\r')
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
        )
}

/// Untrusted text for one line of prose: control and bidirectional
/// characters become visible `<U+202E>` marks, line breaks become spaces.
pub fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_invisible(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Untrusted source text for a code block: as [`clean_inline`] but tabs
/// become four spaces and the text stays on one line.
pub fn clean_code(s: &str) -> String {
    clean_inline(&s.replace('\t', "    "))
}

/// Splits a message into prose and `code` parts at backticks. An unpaired
/// backtick stays in the prose.
pub fn message_parts(msg: &str) -> Vec<(bool, String)> {
    let pieces: Vec<&str> = msg.split('`').collect();
    let mut out: Vec<(bool, String)> = Vec::new();
    let paired = pieces.len() % 2 == 1;
    for (i, p) in pieces.iter().enumerate() {
        let code = i % 2 == 1;
        if code && !paired && i == pieces.len() - 1 {
            // The last piece after an unpaired backtick.
            let text = format!("`{p}");
            match out.last_mut() {
                Some((false, prev)) => prev.push_str(&text),
                _ => out.push((false, text)),
            }
            continue;
        }
        if p.is_empty() && !code {
            continue;
        }
        out.push((code, (*p).to_string()));
    }
    out
}

/// Only http(s) links without spaces or control characters are kept.
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let ok_scheme = u.starts_with("https://") || u.starts_with("http://");
    let ok_chars = u
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(c));
    (ok_scheme && ok_chars && u.len() > 8).then_some(u)
}

/// An id made only of `[a-z0-9-]`, for anchors.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

pub fn location(path: &str, span: Span) -> String {
    format!("{path}:{}:{}", span.line, span.column)
}

// ---------------------------------------------------------------------------
// The model both renderers draw.

/// One finding with its report number (`F3`) and source excerpt.
pub struct Item<'a> {
    pub number: usize,
    pub finding: &'a Finding,
    pub excerpt: Option<Excerpt>,
}

impl Item<'_> {
    pub fn anchor(&self) -> String {
        format!("f{}", self.number)
    }
    pub fn label(&self) -> String {
        format!("F{}", self.number)
    }
}

/// A policy clause and the findings citing it.
pub struct ClauseGroup {
    pub id: String,
    pub document: String,
    pub clause: String,
    pub summary: String,
    pub url: String,
    /// Indices into `Model::items`: active findings shown in full here
    /// (this is their rule's first clause).
    pub primary: Vec<usize>,
    /// Active findings shown in full under another clause.
    pub also: Vec<usize>,
    /// Waived findings citing this clause.
    pub waived: Vec<usize>,
}

impl ClauseGroup {
    pub fn anchor(&self) -> String {
        format!("clause-{}", slug(&self.id))
    }
    pub fn heading(&self) -> String {
        if self.document.is_empty() {
            self.clause.clone()
        } else {
            format!("{} {}", self.document, self.clause)
        }
    }
}

/// The role of one step of an exposure chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StepKind {
    Field,
    Evidence,
    Store,
    Binding,
    Auth,
}

impl StepKind {
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Field => "Contact field",
            StepKind::Evidence => "Reaches the store via",
            StepKind::Store => "Datastore",
            StepKind::Binding => "Network binding",
            StepKind::Auth => "Missing authentication",
        }
    }
}

pub struct ChainStep {
    pub kind: StepKind,
    pub path: String,
    pub span: Span,
    pub message: String,
    /// The one flagged line of source.
    pub excerpt: Option<Excerpt>,
    /// Findings reported at this location (item indices).
    pub findings: Vec<usize>,
    /// Inventory rows for a field step.
    pub inventory: Vec<usize>,
}

pub struct Chain<'a> {
    pub number: usize,
    pub path: String,
    pub span: Span,
    pub store: &'a ExposedStore,
    pub steps: Vec<ChainStep>,
    /// The chain finding raised for it, if a rule is in force.
    pub finding: Option<usize>,
}

impl Chain<'_> {
    pub fn anchor(&self) -> String {
        format!("chain-{}", self.number)
    }
    pub fn title(&self) -> String {
        let s = self.store;
        let state = match (s.reachable, s.unauthenticated) {
            (true, true) => "reachable from outside and unauthenticated",
            (true, false) => "reachable from outside",
            (false, true) => "unauthenticated",
            (false, false) => "exposed",
        };
        format!("{} `{}`: contact data {state}", s.engine, s.store_name)
    }
}

pub struct InventoryRow<'a> {
    pub placement: &'a Placement,
    /// Findings at the field's line (item indices).
    pub findings: Vec<usize>,
}

impl InventoryRow<'_> {
    pub fn store(&self) -> String {
        let p = self.placement;
        match (&p.engine, &p.store) {
            (Some(e), Some(s)) => format!("{e} `{s}`"),
            (Some(e), None) => e.clone(),
            (None, Some(s)) => format!("`{s}`"),
            (None, None) => String::new(),
        }
    }
}

/// How a finding is waived, and the reason given (`None`: no reason; the
/// baseline file records none, only a placeholder).
pub fn waiver_text(f: &Finding) -> (String, Option<String>) {
    match &f.waiver {
        Some(w) => {
            let kind = match (w.kind.as_str(), w.line) {
                ("inline", Some(l)) => format!("inline suppression comment at line {l}"),
                ("inline", None) => "inline suppression comment".to_string(),
                ("baseline", _) => "accepted in the baseline file".to_string(),
                (k, _) => k.to_string(),
            };
            let reason = w
                .reason
                .clone()
                .filter(|r| !r.trim().is_empty())
                .filter(|r| !(w.kind == "baseline" && r == "accepted in the baseline"));
            (kind, reason)
        }
        None => ("suppressed".to_string(), None),
    }
}

/// A rule whose configuration differs from the pack's default.
pub struct RuleChange {
    pub id: String,
    pub title: String,
    pub change: String,
}

pub struct Model<'a> {
    pub input: &'a AuditInput<'a>,
    pub items: Vec<Item<'a>>,
    pub failing: usize,
    pub incomplete: bool,
    pub by_severity: Vec<(Severity, usize)>,
    pub by_category: Vec<(Category, usize)>,
    pub waived_count: usize,
    pub chains: Vec<Chain<'a>>,
    pub clauses: Vec<ClauseGroup>,
    pub inventory: Vec<InventoryRow<'a>>,
    /// Item indices of waived findings.
    pub waivers: Vec<usize>,
    pub rule_changes: Vec<RuleChange>,
    pub rules_in_force: Vec<&'a Rule>,
}

impl<'a> Model<'a> {
    pub fn build(input: &'a AuditInput<'a>) -> Self {
        let result = input.result;
        let mut sources = excerpt::Sources::new(&result.files);
        let items: Vec<Item> = result
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| Item {
                number: i + 1,
                finding: f,
                excerpt: sources.excerpt(&f.path, f.span, 2),
            })
            .collect();

        let active = |f: &Finding| !f.suppressed;
        let by_severity = Severity::ALL
            .iter()
            .map(|s| {
                let n = result
                    .findings
                    .iter()
                    .filter(|f| active(f) && f.severity == *s)
                    .count();
                (*s, n)
            })
            .collect();
        let by_category = Category::ALL
            .iter()
            .map(|c| {
                let n = result
                    .findings
                    .iter()
                    .filter(|f| active(f) && f.category == *c)
                    .count();
                (*c, n)
            })
            .collect();
        let waivers: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, it)| it.finding.suppressed)
            .map(|(i, _)| i)
            .collect();

        let inventory = build_inventory(result, &items);
        let chains = build_chains(result, &items, &inventory, &mut sources);
        let clauses = build_clauses(input.rules, &items);
        let rule_changes = rule_changes(input.rules);
        let rules_in_force = input.rules.rules.iter().filter(|r| r.def.enabled).collect();

        Model {
            input,
            failing: result.failing(input.threshold),
            incomplete: result.incomplete(),
            by_severity,
            by_category,
            waived_count: waivers.len(),
            items,
            chains,
            clauses,
            inventory,
            waivers,
            rule_changes,
            rules_in_force,
        }
    }

    pub fn active_count(&self) -> usize {
        self.items.len() - self.waived_count
    }

    /// The verdict line: PASS, FAIL (and whether the scan is complete).
    pub fn verdict(&self) -> (&'static str, String) {
        let t = self.input.threshold.as_str();
        let warnings = self.input.result.warnings.len();
        if self.failing > 0 {
            (
                "FAIL",
                format!(
                    "{} unwaived finding(s) at or above the `{t}` threshold.",
                    self.failing
                ),
            )
        } else if warnings > 0 {
            (
                "FAIL",
                format!(
                    "No unwaived finding at or above the `{t}` threshold, but {warnings} \
                     suppression warning(s) (see scanner warnings) must be fixed."
                ),
            )
        } else {
            (
                "PASS",
                format!("No unwaived finding at or above the `{t}` threshold."),
            )
        }
    }

    /// Files that were not (fully) read, for the verdict's caveat.
    pub fn unread_count(&self) -> usize {
        let paths: BTreeSet<&str> = self
            .input
            .result
            .errors
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        paths.len()
    }

    /// Item indices grouped by rule, in the list's order.
    pub fn by_rule(&self, list: &[usize]) -> Vec<(&'a Finding, Vec<usize>)> {
        let mut out: Vec<(&Finding, Vec<usize>)> = Vec::new();
        for &i in list {
            let f = self.items[i].finding;
            match out.iter_mut().find(|(g, _)| g.rule_id == f.rule_id) {
                Some((_, v)) => v.push(i),
                None => out.push((f, vec![i])),
            }
        }
        out
    }
}

/// Item indices by (path, first line), for joining locations to findings.
fn index_by_line<'b>(items: &'b [Item]) -> BTreeMap<(&'b str, u32), Vec<usize>> {
    let mut m: BTreeMap<(&str, u32), Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        m.entry((it.finding.path.as_str(), it.finding.span.line))
            .or_default()
            .push(i);
    }
    m
}

fn build_inventory<'a>(result: &'a ScanResult, items: &[Item]) -> Vec<InventoryRow<'a>> {
    let at = index_by_line(items);
    let mut rows: Vec<InventoryRow> = result
        .linked
        .placements
        .iter()
        .map(|p| InventoryRow {
            placement: p,
            findings: at
                .get(&(p.path.as_str(), p.span.line))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| items[i].finding.category == Category::ContactFieldStored)
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| {
        let (x, y) = (a.placement, b.placement);
        (
            x.store.is_none(),
            &x.engine,
            &x.store,
            &x.path,
            x.span,
            &x.container,
            &x.name,
        )
            .cmp(&(
                y.store.is_none(),
                &y.engine,
                &y.store,
                &y.path,
                y.span,
                &y.container,
                &y.name,
            ))
    });
    rows
}

fn build_chains<'a>(
    result: &'a ScanResult,
    items: &[Item],
    inventory: &[InventoryRow],
    sources: &mut excerpt::Sources,
) -> Vec<Chain<'a>> {
    let at = index_by_line(items);
    let mut inv_at: BTreeMap<(&str, Span), Vec<usize>> = BTreeMap::new();
    for (i, r) in inventory.iter().enumerate() {
        inv_at
            .entry((r.placement.path.as_str(), r.placement.span))
            .or_default()
            .push(i);
    }
    let mut out = Vec::new();
    for (path, fact) in &result.linked.chains {
        let FactData::ExposedStore(store) = &fact.data else {
            continue;
        };
        let mut steps: Vec<ChainStep> = store
            .links
            .iter()
            .map(|l| {
                let inv: Vec<usize> = inv_at
                    .get(&(l.path.as_str(), l.span))
                    .cloned()
                    .unwrap_or_default();
                let kind = if l.message.starts_with("reachable: ") {
                    StepKind::Binding
                } else if l.message.starts_with("unauthenticated: ") {
                    StepKind::Auth
                } else if l.message.ends_with(" is declared here") {
                    StepKind::Store
                } else if !inv.is_empty() {
                    StepKind::Field
                } else {
                    StepKind::Evidence
                };
                let message = match kind {
                    StepKind::Binding => l.message["reachable: ".len()..].to_string(),
                    StepKind::Auth => l.message["unauthenticated: ".len()..].to_string(),
                    _ => l.message.clone(),
                };
                ChainStep {
                    kind,
                    path: l.path.clone(),
                    span: l.span,
                    message,
                    excerpt: sources.excerpt(&l.path, l.span, 0),
                    findings: at
                        .get(&(l.path.as_str(), l.span.line))
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|&i| items[i].finding.category != Category::ContactDataExposed)
                        .collect(),
                    inventory: inv,
                }
            })
            .collect();
        // Stable: the links keep their order within a role.
        steps.sort_by_key(|s| s.kind);
        let finding = at
            .get(&(path.as_str(), fact.span.line))
            .into_iter()
            .flatten()
            .copied()
            .find(|&i| {
                let f = items[i].finding;
                f.category == Category::ContactDataExposed && f.span == fact.span
            });
        out.push(Chain {
            number: out.len() + 1,
            path: path.clone(),
            span: fact.span,
            store,
            steps,
            finding,
        });
    }
    out
}

/// Natural order for clause numbers: digit runs compare as numbers.
fn natural_key(s: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let mut num = String::new();
    let mut text = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                out.push((u64::MAX, std::mem::take(&mut text)));
            }
            num.push(c);
        } else {
            if !num.is_empty() {
                out.push((num.parse().unwrap_or(u64::MAX - 1), String::new()));
                num.clear();
            }
            text.push(c);
        }
    }
    if !num.is_empty() {
        out.push((num.parse().unwrap_or(u64::MAX - 1), String::new()));
    }
    if !text.is_empty() {
        out.push((u64::MAX, text));
    }
    out
}

fn build_clauses(rules: &RuleSet, items: &[Item]) -> Vec<ClauseGroup> {
    let mut groups: BTreeMap<String, ClauseGroup> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        let f = it.finding;
        let refs: Vec<(String, String, String)> = if f.policy.is_empty() {
            vec![(
                String::new(),
                "No policy clause cited".into(),
                String::new(),
            )]
        } else {
            f.policy
                .iter()
                .map(|p| (p.id.clone(), p.title.clone(), p.url.clone()))
                .collect()
        };
        for (n, (id, title, url)) in refs.into_iter().enumerate() {
            let g = groups.entry(id.clone()).or_insert_with(|| {
                match rules.policies.get(&id).filter(|_| !id.is_empty()) {
                    Some(p) => ClauseGroup {
                        id: id.clone(),
                        document: p.document.clone(),
                        clause: p.clause.clone(),
                        summary: p.summary.clone(),
                        url: p.url.clone(),
                        primary: Vec::new(),
                        also: Vec::new(),
                        waived: Vec::new(),
                    },
                    None => ClauseGroup {
                        id: if id.is_empty() {
                            "none".into()
                        } else {
                            id.clone()
                        },
                        document: String::new(),
                        clause: title,
                        summary: String::new(),
                        url,
                        primary: Vec::new(),
                        also: Vec::new(),
                        waived: Vec::new(),
                    },
                }
            });
            if f.suppressed {
                g.waived.push(i);
            } else if n == 0 {
                g.primary.push(i);
            } else {
                g.also.push(i);
            }
        }
    }
    let mut v: Vec<ClauseGroup> = groups.into_values().collect();
    let by_severity = |list: &mut Vec<usize>| {
        list.sort_by_key(|&i| (std::cmp::Reverse(items[i].finding.severity), i));
    };
    for g in &mut v {
        by_severity(&mut g.primary);
        by_severity(&mut g.also);
        by_severity(&mut g.waived);
    }
    // Clauses with findings shown in full first, the most severe first;
    // then the clauses only cited as well; each by document and clause.
    v.sort_by(|a, b| {
        let key = |g: &ClauseGroup| {
            let top = g
                .primary
                .first()
                .map(|&i| std::cmp::Reverse(items[i].finding.severity));
            (
                g.primary.is_empty(),
                top,
                g.also.is_empty(),
                g.document.is_empty(),
                g.document.clone(),
                natural_key(&g.clause),
                g.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    v
}

fn rule_changes(rules: &RuleSet) -> Vec<RuleChange> {
    // The pack as shipped, to tell a rule disabled by config from one that
    // is off by default.
    let defaults = RuleSet::load(&[], &Overrides::default(), "").ok();
    let default_enabled = |id: &str| -> Option<bool> {
        defaults
            .as_ref()
            .and_then(|d| d.get(id))
            .map(|r| r.def.enabled)
    };
    let mut out = Vec::new();
    for r in &rules.rules {
        let mut changes = Vec::new();
        match (r.def.enabled, default_enabled(&r.def.id)) {
            (false, Some(true)) => changes.push("disabled by configuration".to_string()),
            (false, Some(false)) => changes.push("off by default (not in force)".to_string()),
            (false, None) => changes.push("disabled (not in force)".to_string()),
            (true, Some(false)) => changes.push("enabled by configuration".to_string()),
            _ => {}
        }
        if r.def.severity != r.default_severity {
            changes.push(format!(
                "severity {} instead of the default {}",
                r.def.severity.as_str(),
                r.default_severity.as_str()
            ));
        }
        if !changes.is_empty() {
            out.push(RuleChange {
                id: r.def.id.clone(),
                title: r.def.title.clone(),
                change: changes.join("; "),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(1_795_176_000), "2026-11-20 12:00:00 UTC");
    }

    #[test]
    fn message_split() {
        assert_eq!(
            message_parts("a `b` c"),
            vec![
                (false, "a ".into()),
                (true, "b".into()),
                (false, " c".into())
            ]
        );
        assert_eq!(message_parts("a `b"), vec![(false, "a `b".into())]);
        assert_eq!(
            message_parts("`x` y `z"),
            vec![(true, "x".into()), (false, " y `z".into())]
        );
    }

    #[test]
    fn invisible_chars_shown() {
        assert_eq!(clean_inline("a\u{202E}b\nc"), "a<U+202E>b c");
    }

    #[test]
    fn urls() {
        assert!(safe_url("https://gdprhub.eu/x").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url("https://a b").is_none());
    }

    #[test]
    fn natural() {
        assert!(natural_key("§3.a") < natural_key("§10.b"));
    }
}
