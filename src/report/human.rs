//! Human output: one miette diagnostic per finding, with the source line,
//! a label at the exact span, the rule, severity, policy and the fix; chain
//! findings list every link of the chain, in order. A summary ends it.

use std::collections::BTreeMap;
use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

use crate::engine::ScanResult;
use crate::finding::{Finding, Severity};
use crate::span::{LineIndex, Span};

#[derive(Debug)]
struct Located {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<NamedSource<String>>,
    label: Option<(String, SourceSpan)>,
    related: Vec<Located>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (text, span) = self.label.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(text.clone()),
            *span,
        ))))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// Reads sources once per file for snippets.
#[derive(Default)]
struct Sources {
    texts: BTreeMap<String, Option<String>>,
    fs_paths: BTreeMap<String, std::path::PathBuf>,
}

impl Sources {
    fn get(&mut self, path: &str) -> Option<&String> {
        let fs = self
            .fs_paths
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.into());
        self.texts
            .entry(path.to_string())
            .or_insert_with(|| std::fs::read_to_string(fs).ok())
            .as_ref()
    }

    fn snippet(
        &mut self,
        path: &str,
        span: Span,
        label: &str,
    ) -> (Option<NamedSource<String>>, Option<(String, SourceSpan)>) {
        let Some(text) = self.get(path) else {
            return (None, None);
        };
        let idx = LineIndex::new(text);
        let start = idx.byte_offset(span.line, span.column);
        // Label the first line of multi-line spans: the rest is context.
        let end = if span.end_line == span.line {
            idx.byte_offset(span.end_line, span.end_column)
        } else {
            start
                + idx
                    .line_text(span.line)
                    .len()
                    .saturating_sub(span.column as usize - 1)
        };
        let len = end
            .saturating_sub(start)
            .max(1)
            .min(text.len().saturating_sub(start));
        (
            Some(NamedSource::new(path, text.clone()).with_language(language(path))),
            Some((label.to_string(), (start, len).into())),
        )
    }
}

fn language(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("rs") => "Rust",
        Some("sql") => "SQL",
        Some("json") => "JSON",
        _ => "YAML",
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium | Severity::Low => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn diagnostic(f: &Finding, sources: &mut Sources) -> Located {
    let label = format!("{} ({})", f.title, f.severity.as_str());
    let (source, label) = sources.snippet(&f.path, f.span, &label);
    let policies: Vec<String> = f
        .policy
        .iter()
        .map(|p| format!("{} ({})", p.id, p.title))
        .collect();
    let mut help = f.remediation.clone();
    if !policies.is_empty() {
        help.push_str("\npolicy: ");
        help.push_str(&policies.join("; "));
    }
    if let Some(w) = &f.waiver {
        help.push_str(&format!(
            "\nsuppressed ({}): {}",
            w.kind,
            w.reason.as_deref().unwrap_or("no reason given")
        ));
    }
    // A chain reads as a story: each link on its own line, in order.
    if !f.related.is_empty() {
        help.push_str("\nthe chain:");
        for (i, r) in f.related.iter().enumerate() {
            help.push_str(&format!(
                "\n  {:>2}. {}:{}:{}  {}",
                i + 1,
                r.path,
                r.line,
                r.column,
                r.message
            ));
        }
    }
    let related = Vec::new();
    Located {
        message: format!(
            "{}:{}:{}: {}",
            f.path, f.span.line, f.span.column, f.message
        ),
        code: Some(format!("{} {}", f.rule_id, f.category.as_str())),
        severity: miette_severity(f.severity),
        help: Some(help),
        url: None,
        source,
        label,
        related,
    }
}

pub struct HumanOptions {
    pub color: bool,
    pub quiet: bool,
    pub width: usize,
}

pub fn render(result: &ScanResult, opts: &HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(1);
    let mut sources = Sources {
        fs_paths: result
            .files
            .iter()
            .map(|f| (f.path.clone(), f.fs_path.clone()))
            .collect(),
        ..Default::default()
    };
    let mut out = String::new();
    if !opts.quiet {
        for f in result.findings.iter().filter(|f| !f.suppressed) {
            let d = diagnostic(f, &mut sources);
            let _ = handler.render_report(&mut out, &d);
            out.push('\n');
        }
        for e in &result.errors {
            let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            out.push_str(&format!("error: {}{at}: {}\n", e.path, e.message));
        }
        for w in &result.warnings {
            out.push_str(&format!(
                "warning: {}:{}:{}: {}\n",
                w.path, w.line, w.column, w.message
            ));
        }
    }
    out.push_str(&summary(result));
    out
}

pub fn summary(result: &ScanResult) -> String {
    let active: Vec<&Finding> = result.findings.iter().filter(|f| !f.suppressed).collect();
    let mut counts = Vec::new();
    for s in Severity::ALL {
        let n = active.iter().filter(|f| f.severity == s).count();
        if n > 0 {
            counts.push(format!("{n} {}", s.as_str()));
        }
    }
    let suppressed = result.findings.len() - active.len();
    let mut line = format!(
        "leakguard: {} finding{} in {} file{} scanned",
        active.len(),
        if active.len() == 1 { "" } else { "s" },
        result.files_scanned(),
        if result.files_scanned() == 1 { "" } else { "s" },
    );
    if !counts.is_empty() {
        line.push_str(&format!(" ({})", counts.join(", ")));
    }
    if suppressed > 0 {
        line.push_str(&format!("; {suppressed} suppressed"));
    }
    if !result.errors.is_empty() {
        line.push_str(&format!(
            "; {} file{} could not be scanned",
            result.errors.len(),
            if result.errors.len() == 1 { "" } else { "s" }
        ));
    }
    if result.baseline_fixed > 0 {
        line.push_str(&format!(
            "; {} baseline entr{} now fixed",
            result.baseline_fixed,
            if result.baseline_fixed == 1 {
                "y"
            } else {
                "ies"
            }
        ));
    }
    line.push('\n');
    line
}
