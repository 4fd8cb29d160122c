//! The auditor's report as one self-contained HTML file: inline CSS, no
//! script, no external resource (the only URLs are policy links), a print
//! stylesheet and a layout that reads on a phone. Every piece of scanned
//! text goes through [`esc`] (or [`esc_code`] for cleaned source text).
//!
//! The document is built in [`super::document`]; this is only its markup.

use std::fmt::Write;

use super::markup::{
    Align, CardHead, Container, Inline, List, Markup, Para, Span, Table, Target, TocEntry, Verdict,
};
use super::{AuditInput, Excerpt, StepKind, clean_inline, message_parts, safe_url};
use crate::finding::Severity;

const CSS: &str = r#"
:root{--fg:#1c1e21;--muted:#5b616b;--line:#d8dce2;--soft:#f4f6f8;--accent:#1d4f91;
--crit:#7b1020;--high:#b3261e;--med:#a15c00;--low:#1d5fa8;--info:#5b616b;--ok:#1e6b34}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--fg);background:#fff;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
.wrap{max-width:64rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .8rem}
h2{font-size:1.3rem;margin:2.4rem 0 .8rem;padding-bottom:.3rem;border-bottom:2px solid var(--fg)}
h3{font-size:1.08rem;margin:1.6rem 0 .5rem}
h4{font-size:1rem;margin:1rem 0 .4rem}
p{margin:.45rem 0}
a{color:var(--accent)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
code{background:var(--soft);border-radius:3px;padding:0 .22em;overflow-wrap:anywhere}
pre{margin:.5rem 0;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.55rem .7rem;overflow-x:auto;line-height:1.45;max-width:100%}
pre code{background:none;padding:0;overflow-wrap:normal;font-size:.84rem}
.eyebrow{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.04em;text-transform:uppercase}
.verdict{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;border-radius:8px;padding:.8rem 1rem;margin:.8rem 0;border:2px solid}
.verdict .word{font-size:1.5rem;font-weight:800;letter-spacing:.06em}
.verdict.fail{border-color:var(--high);background:#fdecea;color:#5f1410}
.verdict.pass{border-color:var(--ok);background:#e8f5ec;color:#133f20}
.caveat{border-left:4px solid var(--med);background:#fff6e5;padding:.5rem .8rem;margin:.6rem 0}
.meta{color:var(--muted);font-size:.9rem}
nav.toc{border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin:1rem 0;background:#fbfcfd}
nav.toc ol{margin:.2rem 0;padding-left:1.3rem}
nav.toc li{margin:.1rem 0}
dl.facts{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.35rem 1rem;margin:.6rem 0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0;min-width:0}
table{width:100%;border-collapse:collapse;margin:.6rem 0;font-size:.93rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
th{background:var(--soft);font-weight:600;overflow-wrap:normal}
.nw{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.grid{display:flex;flex-wrap:wrap;gap:1rem}
.grid>*{flex:1 1 18rem;min-width:0}
.badge{display:inline-block;border-radius:999px;padding:0 .55em;font-size:.78rem;font-weight:700;letter-spacing:.03em;text-transform:uppercase;color:#fff;background:var(--info);white-space:nowrap;vertical-align:.08em}
.b-critical{background:var(--crit)}.b-high{background:var(--high)}.b-medium{background:var(--med)}.b-low{background:var(--low)}.b-info{background:var(--info)}
.tag{display:inline-block;border:1px solid currentColor;border-radius:4px;padding:0 .35em;font-size:.78rem;font-weight:600;white-space:nowrap;margin:.05rem .15rem .05rem 0}
.t-bad{color:var(--high)}.t-warn{color:var(--med)}.t-ok{color:var(--ok)}.t-muted{color:var(--muted)}
.card{border:1px solid var(--line);border-left:5px solid var(--info);border-radius:8px;padding:.7rem .9rem;margin:.9rem 0;background:#fff}
.card.s-critical{border-left-color:var(--crit)}.card.s-high{border-left-color:var(--high)}.card.s-medium{border-left-color:var(--med)}.card.s-low{border-left-color:var(--low)}
.card .head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .5rem;margin-bottom:.2rem}
.fid{font-weight:800}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;color:var(--muted)}
.loc{font-size:.9rem;margin:.2rem 0}
.fix{background:#eef5ee;border-radius:6px;padding:.45rem .7rem;margin:.5rem 0}
.fix strong{display:block;font-size:.82rem;text-transform:uppercase;letter-spacing:.04em;color:var(--ok)}
.small{font-size:.88rem;color:var(--muted)}
.clause{border-top:1px solid var(--line);padding-top:.3rem;margin-top:1.8rem}
.clause h3{margin-top:.6rem}
.clause blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:4px solid var(--accent);background:#f3f6fb}
ul.refs{margin:.4rem 0;padding-left:1.2rem}
.ln{color:#8a9099;user-select:none}
.ln.on{color:var(--high);font-weight:700}
mark{background:#ffd86b;color:inherit;border-radius:2px;box-shadow:0 0 0 1px #e0b43a}
ol.path{list-style:none;margin:.6rem 0;padding:0}
ol.path>li{position:relative;border:1px solid var(--line);border-left:5px solid var(--accent);border-radius:8px;padding:.5rem .8rem;margin:0 0 1.6rem;background:#fff}
ol.path>li:not(:last-child)::after{content:"\2193";position:absolute;left:1.2rem;bottom:-1.55rem;font-size:1.2rem;line-height:1.5rem;color:var(--muted)}
ol.path>li.k-binding,ol.path>li.k-auth{border-left-color:var(--high)}
ol.path>li.absent{border-left-color:var(--line);border-style:dashed;color:var(--muted)}
.kind{font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
ol.path ul{margin:.2rem 0;padding-left:1.1rem}
.noreason{border:2px solid var(--high);background:#fdecea}
.noreason .reason{color:var(--high);font-weight:800}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.6rem}
@media (max-width:40rem){
 body{font-size:15px}
 .wrap{padding:.8rem .7rem 2rem}
 h1{font-size:1.35rem}
 dl.facts{grid-template-columns:1fr;gap:.05rem}
 dl.facts dd{margin-bottom:.5rem}
 table.stack thead{display:none}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid var(--line);border-radius:8px;margin:.6rem 0;padding:.3rem .2rem}
 table.stack td{border:0;padding:.15rem .5rem}
 table.stack td::before{content:attr(data-label);display:block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
 table.stack td:empty{display:none}
 table.stack td.num{text-align:left}
}
@media print{
 @page{margin:1.5cm 1.4cm}
 body{font-size:10.5pt;line-height:1.45}
 .wrap{max-width:none;padding:0}
 nav.toc{display:none}
 a{color:inherit;text-decoration:none}
 pre{white-space:pre-wrap;overflow:visible;word-break:break-all;border-color:#bbb}
 h2{break-after:avoid;page-break-after:avoid}
 h3,h4{break-after:avoid;page-break-after:avoid}
 tr,pre,.verdict,blockquote,.fix,.card .head,.kind{break-inside:avoid;page-break-inside:avoid}
 .card .head,.kind{break-after:avoid;page-break-after:avoid}
 section.major{break-before:auto}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

/// HTML-escapes already cleaned text.
fn esc_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cleans and escapes untrusted text for prose or an attribute.
fn esc(s: &str) -> String {
    esc_code(&clean_inline(s))
}

/// A message with its `code` parts as `<code>`.
fn rich(out: &mut String, s: &str) {
    for (code, part) in message_parts(s) {
        if code {
            let _ = write!(out, "<code>{}</code>", esc(&part));
        } else {
            out.push_str(&esc(&part));
        }
    }
}

fn badge(out: &mut String, s: Severity) {
    let _ = write!(out, "<span class=\"badge b-{0}\">{0}</span>", s.as_str());
}

fn inline_into(out: &mut String, t: &Inline) {
    for span in &t.0 {
        match span {
            Span::Lit(s) => out.push_str(s),
            Span::Text(s) => out.push_str(&esc(s)),
            Span::Rich(s) => rich(out, s),
            Span::Code(s) => {
                let _ = write!(out, "<code>{}</code>", esc(s));
            }
            Span::Strong(i) => {
                out.push_str("<strong>");
                inline_into(out, i);
                out.push_str("</strong>");
            }
            Span::Small(i) => {
                out.push_str("<span class=\"small\">");
                inline_into(out, i);
                out.push_str("</span>");
            }
            Span::Muted(s) => {
                let _ = write!(out, "<span class=\"t-muted\">{}</span>", esc(s));
            }
            Span::Alert(s) => {
                let _ = write!(out, "<strong class=\"t-bad\">{}</strong>", esc(s));
            }
            Span::Severity(s) => badge(out, *s),
            Span::Tags(tags) => {
                for (n, (tone, t)) in tags.iter().enumerate() {
                    if n > 0 {
                        out.push(' ');
                    }
                    let _ = write!(
                        out,
                        "<span class=\"tag t-{}\">{}</span>",
                        tone.as_str(),
                        esc(t)
                    );
                }
            }
            Span::Link(Target::Anchor(a), i) => {
                let _ = write!(out, "<a href=\"#{}\">", esc_code(a));
                inline_into(out, i);
                out.push_str("</a>");
            }
            // A policy link, only for http(s) URLs.
            Span::Link(Target::External(url), i) => match safe_url(url) {
                Some(u) => {
                    let _ = write!(out, "<a href=\"{}\" rel=\"noreferrer noopener\">", esc(u));
                    inline_into(out, i);
                    out.push_str("</a>");
                }
                None => inline_into(out, i),
            },
            Span::Lines(lines) => {
                out.push_str("<ul class=\"refs\">");
                for l in lines {
                    out.push_str("<li>");
                    inline_into(out, l);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
        }
    }
}

fn inline(t: &Inline) -> String {
    let mut out = String::new();
    inline_into(&mut out, t);
    out
}

fn excerpt_html(e: &Excerpt) -> String {
    let w = e.width();
    let mut out = String::from("<pre class=\"src\"><code>");
    for line in &e.lines {
        match line {
            None => {
                let _ = writeln!(out, "<span class=\"ln\">{:>w$} ⋮</span>", "");
            }
            Some(l) => {
                let cls = if l.flagged { "ln on" } else { "ln" };
                let _ = write!(out, "<span class=\"{cls}\">{:>w$} │ </span>", l.number);
                for (t, h) in &l.pieces {
                    if *h {
                        let _ = write!(out, "<mark>{}</mark>", esc_code(t));
                    } else {
                        out.push_str(&esc_code(t));
                    }
                }
                out.push('\n');
            }
        }
    }
    out.push_str("</code></pre>\n");
    out
}

fn kind_class(k: StepKind) -> &'static str {
    match k {
        StepKind::Field => "k-field",
        StepKind::Evidence => "k-evidence",
        StepKind::Store => "k-store",
        StepKind::Binding => "k-binding",
        StepKind::Auth => "k-auth",
    }
}

pub fn render(input: &AuditInput) -> String {
    super::document::render(input, Html::default())
}

/// The HTML writer.
#[derive(Default)]
struct Html {
    o: String,
    /// The open table's layout and columns.
    table: Option<(Table, Vec<(String, Align)>)>,
}

impl Html {
    fn verdict_box(&mut self, v: &Verdict, role: &str) {
        let cls = if v.word == "FAIL" { "fail" } else { "pass" };
        let _ = writeln!(
            self.o,
            "<div class=\"verdict {cls}\"{role}><span class=\"word\">{}</span><span>{}</span></div>",
            v.word,
            inline(&v.line)
        );
        if let Some(c) = &v.caveat {
            self.para(Para::Callout, c);
        }
    }
}

impl Markup for Html {
    fn begin(&mut self, tool_version: &str, subject: &str) {
        self.o.reserve(64 * 1024);
        let _ = write!(
            self.o,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"generator\" content=\"leakguard {}\">\n\
<title>{}: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"wrap\">\n",
            esc(tool_version),
            super::markup::TITLE,
            esc(subject)
        );
    }

    fn header(&mut self, audited: &Inline, verdict: &Verdict, meta: &Inline) {
        let _ = writeln!(
            self.o,
            "<header>\n<p class=\"eyebrow\">leakguard · data-policy compliance report</p>\n\
<h1>Audit of {}</h1>",
            inline(audited)
        );
        self.verdict_box(verdict, " role=\"status\"");
        let _ = writeln!(self.o, "<p class=\"meta\">{}</p>\n</header>", inline(meta));
    }

    fn toc(&mut self, entries: &[TocEntry]) {
        self.o
            .push_str("<nav class=\"toc\" aria-label=\"Contents\"><ol>");
        for e in entries {
            let _ = write!(self.o, "<li><a href=\"#{}\">{}</a>", e.anchor, e.title);
            if let Some(n) = e.count {
                let _ = write!(self.o, " ({n})");
            }
            self.o.push_str("</li>");
        }
        self.o.push_str("</ol></nav>\n");
    }

    fn main_start(&mut self) {
        self.o.push_str("<main>\n");
    }

    fn main_end(&mut self) {
        self.o.push_str("</main>\n");
    }

    fn footer(&mut self, text: &Inline) {
        let _ = write!(
            self.o,
            "<footer>{}</footer>\n</div>\n</body>\n</html>\n",
            inline(text)
        );
    }

    fn finish(self) -> String {
        self.o
    }

    fn open(&mut self, c: Container, anchor: &str, heading: &Inline) {
        let a = esc_code(anchor);
        let (open, h) = match c {
            Container::Section => (format!("section id=\"{a}\" class=\"major\""), "h2"),
            Container::Chain => (format!("article class=\"chain\" id=\"{a}\""), "h3"),
            Container::Clause => (format!("div class=\"clause\" id=\"{a}\""), "h3"),
            Container::Card => (format!("article class=\"card\" id=\"{a}\""), "h3"),
        };
        let _ = writeln!(self.o, "<{open}>\n<{h}>{}</{h}>", inline(heading));
    }

    fn close(&mut self, c: Container) {
        self.o.push_str(match c {
            Container::Section => "</section>\n",
            Container::Chain | Container::Card => "</article>\n",
            Container::Clause => "</div>\n",
        });
    }

    fn card(&mut self, head: &CardHead) {
        let _ = write!(
            self.o,
            "<article class=\"card s-{}{}\" id=\"{}\">\n<div class=\"head\"><span class=\"fid\">{}</span>",
            head.severity.as_str(),
            if head.no_reason { " noreason" } else { "" },
            esc_code(&head.anchor),
            head.label,
        );
        badge(&mut self.o, head.severity);
        if head.waived {
            self.o.push_str("<span class=\"tag t-warn\">waived</span>");
        }
        let _ = writeln!(
            self.o,
            "<span class=\"rule\">{}</span><strong>{}</strong></div>",
            esc(head.rule),
            esc(head.title)
        );
    }

    fn heading(&mut self, anchor: Option<&str>, text: &Inline) {
        match anchor {
            Some(a) => {
                let _ = writeln!(self.o, "<h3 id=\"{}\">{}</h3>", esc_code(a), inline(text));
            }
            None => {
                let _ = writeln!(self.o, "<h3>{}</h3>", inline(text));
            }
        }
    }

    fn para(&mut self, role: Para, text: &Inline) {
        let (open, close) = match role {
            Para::Plain => ("<p>", "</p>"),
            Para::Small | Para::Missing => ("<p class=\"small\">", "</p>"),
            Para::Location => ("<p class=\"loc\">", "</p>"),
            Para::Quote => ("<blockquote>", "</blockquote>"),
            Para::Callout => ("<p class=\"caveat\">", "</p>"),
        };
        let _ = writeln!(self.o, "{open}{}{close}", inline(text));
    }

    fn verdict(&mut self, v: &Verdict) {
        self.verdict_box(v, "");
    }

    fn list(&mut self, role: List, items: &[Inline]) {
        self.o.push_str(match role {
            List::Plain => "<ul>\n",
            List::Refs => "<ul class=\"refs\">\n",
            List::SmallRefs => "<ul class=\"refs small\">\n",
        });
        for i in items {
            let _ = writeln!(self.o, "<li>{}</li>", inline(i));
        }
        self.o.push_str("</ul>\n");
    }

    fn facts(&mut self, rows: &[(&str, Inline)]) {
        self.o.push_str("<dl class=\"facts\">\n");
        for (k, v) in rows {
            let _ = writeln!(self.o, "<dt>{k}</dt><dd>{}</dd>", inline(v));
        }
        self.o.push_str("</dl>\n");
    }

    fn group_start(&mut self) {
        self.o.push_str("<div class=\"grid\">\n");
    }

    fn group_end(&mut self) {
        self.o.push_str("</div>\n");
    }

    fn table(&mut self, layout: Table, columns: &[(&str, Align)]) {
        self.o.push_str(match layout {
            Table::Compact => "<table><thead><tr>",
            Table::Stacked => "<table class=\"stack\"><thead><tr>",
        });
        for (name, align) in columns {
            // Stacked rows label their cells, so only compact headers align.
            let cls = match (layout, align) {
                (Table::Compact, Align::Number) => " class=\"num\"",
                _ => "",
            };
            let _ = write!(self.o, "<th{cls}>{name}</th>");
        }
        self.o.push_str("</tr></thead><tbody>\n");
        let columns = columns.iter().map(|(n, a)| (n.to_string(), *a)).collect();
        self.table = Some((layout, columns));
    }

    fn row(&mut self, anchor: Option<&str>, cells: &[Inline]) {
        match anchor {
            Some(a) => {
                let _ = write!(self.o, "<tr id=\"{}\">", esc_code(a));
            }
            None => self.o.push_str("<tr>"),
        }
        for (n, cell) in cells.iter().enumerate() {
            let (layout, col) = match &self.table {
                Some((layout, cols)) => (*layout, cols.get(n)),
                None => (Table::Compact, None),
            };
            self.o.push_str("<td");
            if let (Table::Stacked, Some((name, _))) = (layout, col) {
                let _ = write!(self.o, " data-label=\"{name}\"");
            }
            match col.map(|c| c.1) {
                Some(Align::Number) => self.o.push_str(" class=\"num\""),
                Some(Align::NoWrap) => self.o.push_str(" class=\"nw\""),
                _ => {}
            }
            let _ = write!(self.o, ">{}</td>", inline(cell));
        }
        self.o.push_str("</tr>\n");
    }

    fn table_end(&mut self) {
        self.table = None;
        self.o.push_str("</tbody></table>\n");
    }

    fn excerpt(&mut self, e: &Excerpt) {
        self.o.push_str(&excerpt_html(e));
    }

    fn advice(&mut self, label: &str, text: &Inline) {
        let _ = writeln!(
            self.o,
            "<div class=\"fix\"><strong>{label}</strong>{}</div>",
            inline(text)
        );
    }

    fn waiver(&mut self, kind: &Inline, reason: Option<&Inline>) {
        let reason = match reason {
            Some(r) => inline(r),
            None => format!("⚠ {}", super::markup::NO_REASON),
        };
        let _ = writeln!(
            self.o,
            "<p><strong>Waiver:</strong> {} · <strong>Reason:</strong> <span class=\"reason\">{reason}</span></p>",
            inline(kind)
        );
    }

    fn path_start(&mut self) {
        self.o.push_str("<ol class=\"path\">\n");
    }

    fn stage(&mut self, kind: StepKind) {
        let _ = writeln!(
            self.o,
            "<li class=\"{}\"><div class=\"kind\">{}</div>",
            kind_class(kind),
            kind.label()
        );
    }

    fn stage_absent(&mut self, kind: StepKind, note: &str) {
        let _ = writeln!(
            self.o,
            "<li class=\"{} absent\"><div class=\"kind\">{}</div><p>{note}</p></li>",
            kind_class(kind),
            kind.label()
        );
    }

    fn step(&mut self, message: &Inline, location: &Inline, excerpt: Option<&Excerpt>) {
        let _ = writeln!(
            self.o,
            "<p>{}</p>\n<p class=\"loc\">{}</p>",
            inline(message),
            inline(location)
        );
        if let Some(e) = excerpt {
            self.excerpt(e);
        }
    }

    fn stage_end(&mut self) {
        self.o.push_str("</li>\n");
    }

    fn path_end(&mut self) {
        self.o.push_str("</ol>\n");
    }
}
