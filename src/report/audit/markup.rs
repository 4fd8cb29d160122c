//! What the report's writers share: the [`Inline`] text the document is
//! made of, and the [`Markup`] trait each output format implements.
//!
//! The document itself (which sections, in which order, with which words)
//! is built once in [`super::document`]; a writer owns only markup and
//! escaping. Every [`Span`] says whether its text is ours ([`Span::Lit`],
//! never escaped) or comes from scanned files (everything else, escaped by
//! the writer), so no untrusted text can reach the output unescaped.

use super::{Excerpt, StepKind};
use crate::finding::Severity;

/// The document's title, in the Markdown heading and the HTML `<title>`.
pub const TITLE: &str = "Data-policy audit report";
/// The words a waiver without a reason is flagged with.
pub const NO_REASON: &str = "No reason given";

/// Where a link points.
#[derive(Debug, Clone)]
pub enum Target {
    /// An anchor in this document, made only of `[a-z0-9-]`.
    Anchor(String),
    /// A policy URL; writers keep only http(s) links (see
    /// [`super::safe_url`]) and show the bare label otherwise.
    External(String),
}

/// How loud a status tag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Bad,
    Warn,
    Ok,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Bad => "bad",
            Tone::Warn => "warn",
            Tone::Ok => "ok",
        }
    }
}

/// One piece of running text.
#[derive(Debug, Clone)]
pub enum Span {
    /// Our own words and numbers: written as they are.
    Lit(String),
    /// Untrusted prose: cleaned and escaped.
    Text(String),
    /// An untrusted message whose backtick-quoted parts are code.
    Rich(String),
    /// Untrusted text as code.
    Code(String),
    Strong(Inline),
    /// Secondary detail (smaller in HTML).
    Small(Inline),
    /// Something absent, shown muted.
    Muted(&'static str),
    /// A warning that must stand out.
    Alert(String),
    Severity(Severity),
    /// Status tags, shown together.
    Tags(Vec<(Tone, &'static str)>),
    Link(Target, Inline),
    /// Several short lines in one table cell.
    Lines(Vec<Inline>),
}

/// A run of [`Span`]s, built with the chaining methods.
#[derive(Debug, Clone, Default)]
pub struct Inline(pub Vec<Span>);

impl Inline {
    pub fn new() -> Self {
        Inline(Vec::new())
    }
    pub fn span(mut self, s: Span) -> Self {
        self.0.push(s);
        self
    }
    pub fn lit(self, s: impl Into<String>) -> Self {
        self.span(Span::Lit(s.into()))
    }
    pub fn text(self, s: impl Into<String>) -> Self {
        self.span(Span::Text(s.into()))
    }
    pub fn rich(self, s: impl Into<String>) -> Self {
        self.span(Span::Rich(s.into()))
    }
    pub fn code(self, s: impl Into<String>) -> Self {
        self.span(Span::Code(s.into()))
    }
    pub fn strong(self, inner: Inline) -> Self {
        self.span(Span::Strong(inner))
    }
    pub fn small(self, inner: Inline) -> Self {
        self.span(Span::Small(inner))
    }
    pub fn severity(self, s: Severity) -> Self {
        self.span(Span::Severity(s))
    }
    pub fn link(self, to: Target, inner: Inline) -> Self {
        self.span(Span::Link(to, inner))
    }
    /// A link to an anchor in this document.
    pub fn to(self, anchor: impl Into<String>, inner: Inline) -> Self {
        self.link(Target::Anchor(anchor.into()), inner)
    }
    pub fn append(mut self, other: Inline) -> Self {
        self.0.extend(other.0);
        self
    }
    /// The parts with `sep` (our own words) between them.
    pub fn join(parts: impl IntoIterator<Item = Inline>, sep: &str) -> Self {
        let mut out = Inline::new();
        for (i, p) in parts.into_iter().enumerate() {
            if i > 0 {
                out = out.lit(sep);
            }
            out = out.append(p);
        }
        out
    }
}

// Shorthands for an [`Inline`] that starts with one span.

pub fn lit(s: impl Into<String>) -> Inline {
    Inline::new().lit(s)
}
pub fn text(s: impl Into<String>) -> Inline {
    Inline::new().text(s)
}
pub fn rich(s: impl Into<String>) -> Inline {
    Inline::new().rich(s)
}
pub fn code(s: impl Into<String>) -> Inline {
    Inline::new().code(s)
}
/// Our own words in bold.
pub fn strong(s: impl Into<String>) -> Inline {
    Inline::new().strong(lit(s))
}
pub fn severity(s: Severity) -> Inline {
    Inline::new().severity(s)
}
pub fn span(s: Span) -> Inline {
    Inline::new().span(s)
}

/// The role of a paragraph, which a writer may show differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Para {
    Plain,
    /// Secondary information.
    Small,
    /// A source location.
    Location,
    /// Says that something is not available.
    Missing,
    /// A paraphrase of a policy clause.
    Quote,
    /// A caveat the reader must not miss.
    Callout,
}

/// A bulleted list's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Plain,
    /// References to findings.
    Refs,
    /// Secondary references (related locations).
    SmallRefs,
}

/// A block holding a heading and the content up to its `close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A numbered top-level section.
    Section,
    /// An exposure chain.
    Chain,
    /// A policy clause with its findings.
    Clause,
    /// A finding (opened with [`Markup::card`]).
    Card,
}

/// How a table column's cells read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Text,
    /// Numbers, right-aligned.
    Number,
    /// Short identifiers that must not wrap.
    NoWrap,
}

/// A table's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Few narrow columns.
    Compact,
    /// Many columns: on a narrow screen each row becomes a labelled card.
    Stacked,
}

/// The verdict box: PASS or FAIL, the reason, and a caveat.
pub struct Verdict {
    pub word: &'static str,
    pub line: Inline,
    pub caveat: Option<Inline>,
}

/// A top-level section in the table of contents.
pub struct TocEntry {
    pub anchor: &'static str,
    /// `"1. "`, or empty for the appendix.
    pub number: &'static str,
    pub title: &'static str,
    /// How many items the section lists, where that helps.
    pub count: Option<usize>,
}

/// The head of a finding shown in full.
pub struct CardHead<'a> {
    pub anchor: String,
    pub label: String,
    pub severity: Severity,
    pub rule: &'a str,
    pub title: &'a str,
    pub waived: bool,
    /// A waived finding whose waiver gives no reason.
    pub no_reason: bool,
}

/// The output format: markup and escaping, nothing else. Blocks are
/// written in document order; [`Markup::finish`] returns the text.
pub trait Markup {
    /// Starts the document; `subject` is the scanned paths (untrusted).
    fn begin(&mut self, tool_version: &str, subject: &str);
    /// The title block: what was audited, the verdict, the scan's facts.
    fn header(&mut self, audited: &Inline, verdict: &Verdict, meta: &Inline);
    fn toc(&mut self, entries: &[TocEntry]);
    /// The main content starts (after the table of contents).
    fn main_start(&mut self) {}
    fn main_end(&mut self) {}
    fn footer(&mut self, text: &Inline);
    fn finish(self) -> String;

    fn open(&mut self, c: Container, anchor: &str, heading: &Inline);
    fn close(&mut self, c: Container);
    fn card(&mut self, head: &CardHead);
    /// A sub-heading inside a section.
    fn heading(&mut self, anchor: Option<&str>, text: &Inline);
    fn para(&mut self, role: Para, text: &Inline);
    fn verdict(&mut self, v: &Verdict);
    fn list(&mut self, role: List, items: &[Inline]);
    /// Label and value pairs about the scan.
    fn facts(&mut self, rows: &[(&str, Inline)]);
    /// Tables set side by side where there is room.
    fn group_start(&mut self) {}
    fn group_end(&mut self) {}
    fn table(&mut self, layout: Table, columns: &[(&str, Align)]);
    /// A row of the open table; `anchor` makes the row a link target.
    fn row(&mut self, anchor: Option<&str>, cells: &[Inline]);
    fn table_end(&mut self);
    fn excerpt(&mut self, e: &Excerpt);
    /// A labelled block of advice (`label` is ours).
    fn advice(&mut self, label: &str, text: &Inline);
    /// How a finding is waived, and why (`None`: no reason given).
    fn waiver(&mut self, kind: &Inline, reason: Option<&Inline>);

    /// An exposure chain's path: stages of steps, in order.
    fn path_start(&mut self);
    fn stage(&mut self, kind: StepKind);
    /// A stage with nothing found, and what that means.
    fn stage_absent(&mut self, kind: StepKind, note: &str);
    fn step(&mut self, message: &Inline, location: &Inline, excerpt: Option<&Excerpt>);
    fn stage_end(&mut self);
    fn path_end(&mut self);
}
