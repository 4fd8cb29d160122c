//! The auditor's report as GitHub/GitLab-flavoured Markdown. Scanned text
//! is backslash-escaped in prose ([`text`]), put in code spans whose fence
//! outgrows any backtick run ([`code_in`]), with `|` escaped inside tables,
//! and excerpts sit in fenced blocks longer than any fence in the source.
//!
//! The document is built in [`super::document`]; this is only its markup.
//! Blocks are separated by one blank line, list items by none.

use std::fmt::Write;

use super::markup::{
    Align, CardHead, Container, Inline, List, Markup, Para, Span, Table, Target, TocEntry, Tone,
    Verdict,
};
use super::{AuditInput, Excerpt, StepKind, clean_inline, message_parts, safe_url};

/// Escapes untrusted text for Markdown prose (and table cells).
fn text(s: &str) -> String {
    let s = clean_inline(s);
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    // `1. x` at the start of a line would open a list.
    if let Some(pos) = out.find(['.', ')'])
        && pos > 0
        && out[..pos].bytes().all(|b| b.is_ascii_digit())
        && out[pos + 1..].chars().next().is_none_or(|c| c == ' ')
    {
        out.insert(pos, '\\');
    }
    out
}

/// The longest run of backticks in `s`, which a fence must outgrow.
fn longest_backtick_run(s: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A code span holding any text; `|` is escaped for table cells (GFM
/// removes the backslash before reading the span).
fn code_in(s: &str, table: bool) -> String {
    let mut s = clean_inline(s);
    if s.is_empty() {
        return "(empty)".into();
    }
    if table {
        s = s.replace('|', "\\|");
    }
    let fence = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') || s.ends_with(' ');
    if pad {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn excerpt_md(e: &Excerpt, indent: &str) -> String {
    let w = e.width();
    let mut body: Vec<String> = Vec::new();
    for line in &e.lines {
        match line {
            None => body.push(format!("{:>w$} ⋮", "")),
            Some(l) => {
                let t: String = l.pieces.iter().map(|(t, _)| t.as_str()).collect();
                body.push(format!("{:>w$} │ {t}", l.number).trim_end().to_string());
                if l.flagged
                    && let Some((s, e)) = l.highlight_range()
                {
                    body.push(format!(
                        "{:>w$} │ {}{}",
                        "",
                        " ".repeat(s),
                        "^".repeat((e - s).max(1))
                    ));
                }
            }
        }
    }
    let longest = body.iter().map(|b| longest_backtick_run(b)).max();
    let fence = "`".repeat((longest.unwrap_or(0) + 1).max(3));
    let mut out = format!("{indent}{fence}text\n");
    for b in body {
        let _ = writeln!(out, "{indent}{b}");
    }
    let _ = writeln!(out, "{indent}{fence}");
    out
}

/// A message with its `code` parts as code spans.
fn rich_in(s: &str, table: bool) -> String {
    let mut out = String::new();
    for (is_code, part) in message_parts(s) {
        if is_code {
            out.push_str(&code_in(&part, table));
        } else {
            out.push_str(&text(&part));
        }
    }
    out
}

/// An http(s) URL with what Markdown would misread percent-encoded.
fn link_url(u: &str) -> String {
    let mut enc = String::new();
    for c in u.chars() {
        match c {
            '(' => enc.push_str("%28"),
            ')' => enc.push_str("%29"),
            '<' => enc.push_str("%3C"),
            '>' => enc.push_str("%3E"),
            '"' => enc.push_str("%22"),
            '\\' => enc.push_str("%5C"),
            '`' => enc.push_str("%60"),
            '|' => enc.push_str("%7C"),
            c => enc.push(c),
        }
    }
    enc
}

fn anchor(id: &str) -> String {
    format!("<a id=\"{id}\"></a>")
}

/// Inline text; `table`: inside a table cell, where `|` is escaped in code
/// and a severity is a plain value.
fn inline(t: &Inline, table: bool) -> String {
    let mut out = String::new();
    for span in &t.0 {
        match span {
            Span::Lit(s) => out.push_str(s),
            Span::Text(s) => out.push_str(&text(s)),
            Span::Rich(s) => out.push_str(&rich_in(s, table)),
            Span::Code(s) => out.push_str(&code_in(s, table)),
            Span::Strong(i) => {
                let _ = write!(out, "**{}**", inline(i, table));
            }
            Span::Small(i) => out.push_str(&inline(i, table)),
            Span::Muted(s) => {
                let _ = write!(out, "_{}_", text(s));
            }
            Span::Alert(s) => {
                let _ = write!(out, "**⚠ {}**", text(s));
            }
            Span::Severity(s) if table => out.push_str(s.as_str()),
            Span::Severity(s) => {
                let _ = write!(out, "**{}**", s.as_str());
            }
            Span::Tags(tags) => {
                for (n, (tone, t)) in tags.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    let _ = match tone {
                        Tone::Bad => write!(out, "**{}**", text(t)),
                        Tone::Warn => write!(out, "_{}_", text(t)),
                        Tone::Ok => write!(out, "{}", text(t)),
                    };
                }
            }
            Span::Link(Target::Anchor(a), i) => {
                let _ = write!(out, "[{}](#{a})", inline(i, table));
            }
            Span::Link(Target::External(url), i) => match safe_url(url) {
                Some(u) => {
                    let _ = write!(out, "[{}]({})", inline(i, table), link_url(u));
                }
                None => out.push_str(&inline(i, table)),
            },
            Span::Lines(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| inline(l, table)).collect();
                out.push_str(&lines.join("<br>"));
            }
        }
    }
    out
}

fn prose(t: &Inline) -> String {
    inline(t, false)
}

pub fn render(input: &AuditInput) -> String {
    super::document::render(input, Markdown::default())
}

/// What was written last, for the blank lines between blocks.
#[derive(Default, PartialEq, Eq, Clone, Copy)]
enum Last {
    #[default]
    Nothing,
    Block,
    Item,
}

/// The Markdown writer.
#[derive(Default)]
struct Markdown {
    o: String,
    last: Last,
    /// No stage of the current chain path written yet.
    first_stage: bool,
}

impl Markdown {
    /// Starts a block: a blank line after anything before it.
    fn block(&mut self) -> &mut String {
        if self.last != Last::Nothing {
            self.o.push('\n');
        }
        self.last = Last::Block;
        &mut self.o
    }

    /// Starts a list item: a blank line before the list's first item.
    fn item(&mut self) -> &mut String {
        if self.last == Last::Block {
            self.o.push('\n');
        }
        self.last = Last::Item;
        &mut self.o
    }

    /// A chain stage's label, after an arrow from the stage before.
    fn stage_label(&mut self, kind: StepKind) {
        if !self.first_stage {
            self.block().push_str("↓\n");
        }
        self.first_stage = false;
        let _ = writeln!(self.block(), "**{}**", kind.label());
    }
}

impl Markup for Markdown {
    fn begin(&mut self, _tool_version: &str, _subject: &str) {
        self.o.reserve(32 * 1024);
    }

    fn header(&mut self, audited: &Inline, verdict: &Verdict, meta: &Inline) {
        let _ = writeln!(self.block(), "# {}", super::markup::TITLE);
        let audited = prose(audited);
        let _ = writeln!(self.block(), "Audit of {audited} by leakguard.");
        self.verdict(verdict);
        let meta = prose(meta);
        let _ = writeln!(self.block(), "{meta}");
    }

    fn toc(&mut self, entries: &[TocEntry]) {
        let entries: Vec<String> = entries
            .iter()
            .map(|e| {
                let count = e.count.map(|n| format!(" ({n})")).unwrap_or_default();
                format!("[{}{}](#{}){count}", e.number, e.title, e.anchor)
            })
            .collect();
        let _ = writeln!(self.block(), "**Contents:** {}", entries.join(" · "));
    }

    fn footer(&mut self, text: &Inline) {
        self.block().push_str("---\n");
        let text = prose(text);
        let _ = writeln!(self.block(), "{text}");
    }

    fn finish(self) -> String {
        self.o
    }

    fn open(&mut self, c: Container, id: &str, heading: &Inline) {
        let level = match c {
            Container::Section => "##",
            Container::Chain | Container::Clause => "###",
            Container::Card => "####",
        };
        let heading = prose(heading);
        let _ = writeln!(self.block(), "{level} {}{heading}", anchor(id));
    }

    fn close(&mut self, _c: Container) {}

    fn card(&mut self, head: &CardHead) {
        let _ = writeln!(
            self.block(),
            "#### {}{} · {} · {} · {}{}",
            anchor(&head.anchor),
            head.label,
            head.severity.as_str(),
            text(head.rule),
            text(head.title),
            if head.waived { " (waived)" } else { "" }
        );
    }

    fn heading(&mut self, id: Option<&str>, t: &Inline) {
        let id = id.map(anchor).unwrap_or_default();
        let t = prose(t);
        let _ = writeln!(self.block(), "### {id}{t}");
    }

    fn para(&mut self, role: Para, t: &Inline) {
        let t = prose(t);
        let o = self.block();
        let _ = match role {
            Para::Plain | Para::Small | Para::Location => writeln!(o, "{t}"),
            Para::Missing => writeln!(o, "_{t}_"),
            Para::Quote | Para::Callout => writeln!(o, "> {t}"),
        };
    }

    fn verdict(&mut self, v: &Verdict) {
        let line = prose(&v.line);
        let _ = writeln!(self.block(), "> **Verdict: {}** — {line}", v.word);
        if let Some(c) = &v.caveat {
            let _ = writeln!(self.o, ">\n> {}", prose(c));
        }
    }

    fn list(&mut self, _role: List, items: &[Inline]) {
        for i in items {
            let i = prose(i);
            let _ = writeln!(self.item(), "- {i}");
        }
    }

    fn facts(&mut self, rows: &[(&str, Inline)]) {
        let o = self.block();
        o.push_str("| | |\n| --- | --- |\n");
        for (k, v) in rows {
            let _ = writeln!(o, "| {k} | {} |", inline(v, true));
        }
    }

    fn table(&mut self, _layout: Table, columns: &[(&str, Align)]) {
        let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let rules: Vec<&str> = columns
            .iter()
            .map(|c| match c.1 {
                Align::Number => "---:",
                Align::Text | Align::NoWrap => "---",
            })
            .collect();
        let _ = write!(
            self.block(),
            "| {} |\n| {} |\n",
            names.join(" | "),
            rules.join(" | ")
        );
    }

    fn row(&mut self, id: Option<&str>, cells: &[Inline]) {
        let cells: Vec<String> = cells.iter().map(|c| inline(c, true)).collect();
        let id = id.map(anchor).unwrap_or_default();
        let _ = writeln!(self.o, "| {id}{} |", cells.join(" | "));
    }

    fn table_end(&mut self) {}

    fn excerpt(&mut self, e: &Excerpt) {
        let e = excerpt_md(e, "");
        self.block().push_str(&e);
    }

    fn advice(&mut self, label: &str, t: &Inline) {
        let t = prose(t);
        let _ = writeln!(self.block(), "**{label}:** {t}");
    }

    fn waiver(&mut self, kind: &Inline, reason: Option<&Inline>) {
        let kind = prose(kind);
        let _ = match reason {
            Some(r) => {
                let r = prose(r);
                writeln!(self.block(), "**Waiver:** {kind} · **Reason:** {r}")
            }
            None => writeln!(
                self.block(),
                "> [!WARNING]\n> **{}.** Waiver: {kind}.",
                super::markup::NO_REASON
            ),
        };
    }

    fn path_start(&mut self) {
        self.first_stage = true;
    }

    fn stage(&mut self, kind: StepKind) {
        self.stage_label(kind);
    }

    fn stage_absent(&mut self, kind: StepKind, note: &str) {
        self.stage_label(kind);
        let _ = writeln!(self.item(), "- _{note}_");
    }

    fn step(&mut self, message: &Inline, location: &Inline, excerpt: Option<&Excerpt>) {
        let (message, location) = (prose(message), prose(location));
        let _ = writeln!(self.item(), "- {message} — {location}");
        if let Some(e) = excerpt {
            // Inside the list item: indented, after a blank line.
            self.o.push('\n');
            self.o.push_str(&excerpt_md(e, "  "));
        }
    }

    fn stage_end(&mut self) {}

    fn path_end(&mut self) {}
}
