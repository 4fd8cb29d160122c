//! The auditor's report as one self-contained HTML file: inline CSS, no
//! script, no external resource (the only URLs are policy links), a print
//! stylesheet and a layout that reads on a phone. Every piece of scanned
//! text goes through [`esc`] (or [`esc_code`] for cleaned source text).

use std::fmt::Write;

use super::{
    AuditInput, Chain, ClauseGroup, Excerpt, Item, Model, StepKind, clean_inline, location,
    message_parts, safe_url,
};
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
fn rich(s: &str) -> String {
    let mut out = String::new();
    for (code, part) in message_parts(s) {
        if code {
            let _ = write!(out, "<code>{}</code>", esc(&part));
        } else {
            out.push_str(&esc(&part));
        }
    }
    out
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", esc(s))
}

fn sev_badge(s: Severity) -> String {
    format!("<span class=\"badge b-{0}\">{0}</span>", s.as_str())
}

/// A policy link, only for http(s) URLs.
fn ext_link(url: &str, text: &str) -> String {
    match safe_url(url) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
            esc(u),
            esc(text)
        ),
        None => esc(text),
    }
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

fn item_link(m: &Model, i: usize) -> String {
    let it = &m.items[i];
    format!("<a href=\"#{}\">{}</a>", it.anchor(), it.label())
}

fn item_links(m: &Model, v: &[usize]) -> String {
    v.iter()
        .map(|&i| item_link(m, i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(input: &AuditInput) -> String {
    let m = Model::build(input);
    let mut o = String::with_capacity(64 * 1024);
    let roots = input.paths.join(", ");
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"generator\" content=\"leakguard {}\">\n\
<title>Data-policy audit report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"wrap\">\n",
        esc(&input.tool_version),
        esc(&roots)
    );
    header(&mut o, &m);
    toc(&mut o, &m);
    o.push_str("<main>\n");
    scope(&mut o, &m);
    summary(&mut o, &m);
    chains(&mut o, &m);
    clauses(&mut o, &m);
    inventory(&mut o, &m);
    waivers(&mut o, &m);
    appendix(&mut o, &m);
    o.push_str("</main>\n");
    let _ = write!(
        o,
        "<footer>Generated by leakguard {} on {}. Nothing in the scanned tree was executed; \
findings come from static reading of the files listed in section 1. \
Policy paraphrases are leakguard's own words; the linked documents are authoritative.</footer>\n\
</div>\n</body>\n</html>\n",
        esc(&input.tool_version),
        esc(&input.generated_at)
    );
    o
}

fn header(o: &mut String, m: &Model) {
    let input = m.input;
    let (word, line) = m.verdict();
    let cls = if word == "FAIL" { "fail" } else { "pass" };
    let _ = write!(
        o,
        "<header>\n<p class=\"eyebrow\">leakguard · data-policy compliance report</p>\n\
<h1>Audit of {}</h1>\n\
<div class=\"verdict {cls}\" role=\"status\"><span class=\"word\">{word}</span><span>{}</span></div>\n",
        input
            .paths
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", "),
        rich(&line)
    );
    caveat(o, m);
    let _ = write!(
        o,
        "<p class=\"meta\">Generated {} · leakguard {} · {}</p>\n</header>\n",
        esc(&input.generated_at),
        esc(&input.tool_version),
        esc(&input.git.describe())
    );
}

fn caveat(o: &mut String, m: &Model) {
    let unread = m.unread_count();
    if m.incomplete {
        o.push_str(
            "<p class=\"caveat\"><strong>Incomplete scan.</strong> An internal error stopped the analysis of some files; \
the verdict covers only what was read. See <a href=\"#unread\">files not analysed</a>.</p>\n",
        );
    } else if unread > 0 {
        let _ = writeln!(
            o,
            "<p class=\"caveat\"><strong>{unread} file(s) could not be fully read.</strong> \
The verdict does not cover them; see <a href=\"#unread\">files not analysed</a>.</p>"
        );
    }
}

fn toc(o: &mut String, m: &Model) {
    let _ = writeln!(
        o,
        "<nav class=\"toc\" aria-label=\"Contents\"><ol>\
<li><a href=\"#scope\">Scope and provenance</a></li>\
<li><a href=\"#summary\">Verdict and summary</a></li>\
<li><a href=\"#chains\">Exposure chains</a> ({})</li>\
<li><a href=\"#findings\">Findings by policy clause</a> ({})</li>\
<li><a href=\"#inventory\">Data inventory</a> ({})</li>\
<li><a href=\"#waivers\">Waivers</a> ({})</li>\
<li><a href=\"#appendix\">Appendix: rules in force</a> ({})</li>\
</ol></nav>",
        m.chains.len(),
        m.active_count(),
        m.inventory.len(),
        m.waivers.len(),
        m.rules_in_force.len()
    );
}

fn scope(o: &mut String, m: &Model) {
    let input = m.input;
    let r = input.result;
    o.push_str("<section id=\"scope\" class=\"major\">\n<h2>1. Scope and provenance</h2>\n<dl class=\"facts\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row(
        "Scanned",
        input
            .paths
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", "),
    );
    row("Version control", esc(&input.git.describe()));
    row("Generated", esc(&input.generated_at));
    row("Tool", format!("leakguard {}", esc(&input.tool_version)));
    row("Rule pack digest", code(&r.rules_digest));
    row(
        "Fail threshold",
        format!(
            "{} (findings at or above it fail the check)",
            sev_badge(input.threshold)
        ),
    );
    let kinds = r.files_by_kind();
    let kinds_text = if kinds.is_empty() {
        String::new()
    } else {
        format!(
            ": {}",
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {}", esc(k)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    row(
        "Files analysed",
        format!("{}{kinds_text}", r.files_scanned()),
    );
    if r.baselined > 0 || r.baseline_fixed > 0 {
        row(
            "Baseline",
            format!(
                "{} finding(s) accepted by the baseline; {} baseline entr(ies) no longer found",
                r.baselined, r.baseline_fixed
            ),
        );
    }
    o.push_str("</dl>\n");

    o.push_str("<h3 id=\"unread\">Files not analysed</h3>\n");
    if r.errors.is_empty() {
        o.push_str("<p>Every discovered file was read and parsed.</p>\n");
    } else {
        o.push_str(
            "<p>The scan did not see these files, or saw them only in part. \
Findings and the inventory do not cover what they hold.</p>\n\
<table class=\"stack\"><thead><tr><th>File</th><th>Line</th><th>Problem</th><th>Reason</th></tr></thead><tbody>\n",
        );
        for e in &r.errors {
            let kind = match e.kind.as_str() {
                "parse" => "could not be parsed",
                "skipped" => "skipped",
                "internal" => "internal error",
                other => other,
            };
            let _ = writeln!(
                o,
                "<tr><td data-label=\"File\">{}</td><td data-label=\"Line\" class=\"num\">{}</td>\
<td data-label=\"Problem\">{}</td><td data-label=\"Reason\">{}</td></tr>",
                code(&e.path),
                e.line.map(|l| l.to_string()).unwrap_or_default(),
                esc(kind),
                esc(&e.message)
            );
        }
        o.push_str("</tbody></table>\n");
    }

    o.push_str("<h3>Rule configuration</h3>\n");
    if m.rule_changes.is_empty() {
        let _ = writeln!(
            o,
            "<p>All {} rules of the pack are in force at their default severity.</p>",
            m.rules_in_force.len()
        );
    } else {
        let _ = writeln!(
            o,
            "<p>{} rule(s) in force. These differ from the pack's defaults:</p>\n<ul>",
            m.rules_in_force.len()
        );
        for c in &m.rule_changes {
            let _ = writeln!(
                o,
                "<li>{} {}: <strong>{}</strong></li>",
                code(&c.id),
                esc(&c.title),
                esc(&c.change)
            );
        }
        o.push_str("</ul>\n");
    }
    if !r.warnings.is_empty() {
        o.push_str("<h3 id=\"warnings\">Scanner warnings</h3>\n<ul>\n");
        for w in &r.warnings {
            let _ = writeln!(
                o,
                "<li>{} {}</li>",
                code(&format!("{}:{}:{}", w.path, w.line, w.column)),
                rich(&w.message)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn summary(o: &mut String, m: &Model) {
    let (word, line) = m.verdict();
    let cls = if word == "FAIL" { "fail" } else { "pass" };
    let _ = write!(
        o,
        "<section id=\"summary\" class=\"major\">\n<h2>2. Verdict and summary</h2>\n\
<div class=\"verdict {cls}\"><span class=\"word\">{word}</span><span>{}</span></div>\n",
        rich(&line)
    );
    caveat(o, m);
    let _ = writeln!(
        o,
        "<p>{} finding(s) in force, {} exposure chain(s), {} stored contact field placement(s), {} waived finding(s).</p>",
        m.active_count(),
        m.chains.len(),
        m.inventory.len(),
        m.waived_count
    );
    o.push_str("<div class=\"grid\">\n<table><thead><tr><th>Severity</th><th class=\"num\">Findings</th></tr></thead><tbody>\n");
    for (s, n) in &m.by_severity {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{n}</td></tr>",
            sev_badge(*s)
        );
    }
    o.push_str("</tbody></table>\n<table><thead><tr><th>Category</th><th class=\"num\">Findings</th></tr></thead><tbody>\n");
    for (c, n) in &m.by_category {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{n}</td></tr>",
            esc(c.as_str())
        );
    }
    o.push_str("</tbody></table>\n</div>\n</section>\n");
}

fn chains(o: &mut String, m: &Model) {
    o.push_str("<section id=\"chains\" class=\"major\">\n<h2>3. Exposure chains</h2>\n");
    if m.chains.is_empty() {
        o.push_str("<p>No datastore holding contact data was found reachable from outside or without authentication.</p>\n</section>\n");
        return;
    }
    o.push_str("<p>Each chain follows stored contact data to the datastore that holds it, and from there to how the store is reached without credentials.</p>\n");
    for c in &m.chains {
        chain(o, m, c);
    }
    o.push_str("</section>\n");
}

fn chain(o: &mut String, m: &Model, c: &Chain) {
    let _ = write!(
        o,
        "<article class=\"chain\" id=\"{}\">\n<h3>C{} · {}</h3>\n",
        c.anchor(),
        c.number,
        rich(&c.title())
    );
    match c.finding {
        Some(i) => {
            let it = &m.items[i];
            let _ = writeln!(
                o,
                "<p class=\"small\">Reported as {} {} ({}) at {}.</p>",
                item_link(m, i),
                sev_badge(it.finding.severity),
                esc(&it.finding.rule_id),
                code(&location(&it.finding.path, it.finding.span))
            );
        }
        None => {
            let _ = writeln!(
                o,
                "<p class=\"small\">No chain rule in force reports it; shown for the record ({}).</p>",
                code(&location(&c.path, c.span))
            );
        }
    }
    o.push_str("<ol class=\"path\">\n");
    let kinds = [
        StepKind::Field,
        StepKind::Evidence,
        StepKind::Store,
        StepKind::Binding,
        StepKind::Auth,
    ];
    for k in kinds {
        let steps: Vec<_> = c.steps.iter().filter(|s| s.kind == k).collect();
        let cls = match k {
            StepKind::Field => "k-field",
            StepKind::Evidence => "k-evidence",
            StepKind::Store => "k-store",
            StepKind::Binding => "k-binding",
            StepKind::Auth => "k-auth",
        };
        if steps.is_empty() {
            let absent = match k {
                StepKind::Binding if !c.store.reachable => {
                    "No published port or public binding found: the store is not reachable from outside."
                }
                StepKind::Auth if !c.store.unauthenticated => {
                    "No missing authentication found for this store."
                }
                _ => continue,
            };
            let _ = writeln!(
                o,
                "<li class=\"{cls} absent\"><div class=\"kind\">{}</div><p>{absent}</p></li>",
                k.label()
            );
            continue;
        }
        let _ = writeln!(
            o,
            "<li class=\"{cls}\"><div class=\"kind\">{}</div>",
            k.label()
        );
        for s in steps {
            let target = if let Some(&inv) = s.inventory.first() {
                format!("#inv-{}", inv + 1)
            } else if let Some(&i) = s.findings.first() {
                format!("#{}", m.items[i].anchor())
            } else {
                String::new()
            };
            let loc = code(&location(&s.path, s.span));
            let loc = if target.is_empty() {
                loc
            } else {
                format!("<a href=\"{target}\">{loc}</a>")
            };
            let also = if s.findings.is_empty() {
                String::new()
            } else {
                format!(" · finding {}", item_links(m, &s.findings))
            };
            let _ = writeln!(
                o,
                "<p>{}</p>\n<p class=\"loc\">{loc}{also}</p>",
                rich(&s.message)
            );
            if let Some(e) = &s.excerpt {
                o.push_str(&excerpt_html(e));
            }
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ol>\n");
    for note in &c.store.inferred {
        let _ = writeln!(
            o,
            "<p class=\"caveat\"><strong>Inferred link.</strong> {}</p>",
            rich(note)
        );
    }
    o.push_str("</article>\n");
}

fn clauses(o: &mut String, m: &Model) {
    o.push_str(
        "<section id=\"findings\" class=\"major\">\n<h2>4. Findings by policy clause</h2>\n",
    );
    if m.items.is_empty() {
        o.push_str("<p>No finding.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<p>Each finding is shown in full under the first clause its rule cites, \
and listed under every other clause it cites.</p>\n",
    );
    for g in &m.clauses {
        clause(o, m, g);
    }
    o.push_str("</section>\n");
}

fn clause(o: &mut String, m: &Model, g: &ClauseGroup) {
    let _ = write!(
        o,
        "<div class=\"clause\" id=\"{}\">\n<h3>{}</h3>\n",
        g.anchor(),
        rich(&g.heading())
    );
    if !g.summary.is_empty() {
        let _ = writeln!(o, "<blockquote>{}</blockquote>", rich(&g.summary));
    }
    let _ = writeln!(
        o,
        "<p class=\"small\">Clause id {}{}</p>",
        code(&g.id),
        if safe_url(&g.url).is_some() {
            format!(" · source: {}", ext_link(&g.url, &g.url))
        } else {
            String::new()
        }
    );
    for &i in &g.primary {
        finding_card(o, m, &m.items[i], g);
    }
    if !g.also.is_empty() {
        o.push_str("<p><strong>Also under this clause</strong> (shown in full elsewhere):</p>\n<ul class=\"refs\">\n");
        compact(o, m, &g.also, "");
        o.push_str("</ul>\n");
    }
    if !g.waived.is_empty() {
        o.push_str("<p><strong>Waived under this clause</strong>:</p>\n<ul class=\"refs\">\n");
        compact(o, m, &g.waived, " <span class=\"tag t-warn\">waived</span>");
        o.push_str("</ul>\n");
    }
    o.push_str("</div>\n");
}

/// One line per rule: its most severe finding's badge, id, title, links.
fn compact(o: &mut String, m: &Model, list: &[usize], extra: &str) {
    for (f, v) in m.by_rule(list) {
        let _ = writeln!(
            o,
            "<li>{} {}{extra} {}: {}</li>",
            sev_badge(f.severity),
            code(&f.rule_id),
            esc(&f.title),
            item_links(m, &v)
        );
    }
}

fn finding_body(o: &mut String, m: &Model, it: &Item) {
    let f = it.finding;
    let _ = writeln!(
        o,
        "<p class=\"loc\">{}</p>\n<p>{}</p>",
        code(&location(&f.path, f.span)),
        rich(&f.message)
    );
    match &it.excerpt {
        Some(e) => o.push_str(&excerpt_html(e)),
        None => o.push_str("<p class=\"small\">(source not available for an excerpt)</p>\n"),
    }
    if !f.related.is_empty() {
        let chain = m.chains.iter().find(|c| {
            c.finding
                .is_some_and(|ci| std::ptr::eq(m.items[ci].finding, f))
        });
        match chain {
            Some(c) => {
                let _ = writeln!(
                    o,
                    "<p class=\"small\">{} related location(s): see chain <a href=\"#{}\">C{}</a>.</p>",
                    f.related.len(),
                    c.anchor(),
                    c.number
                );
            }
            None => {
                o.push_str("<ul class=\"refs small\">\n");
                for r in &f.related {
                    let _ = writeln!(
                        o,
                        "<li>{} {}</li>",
                        code(&format!("{}:{}:{}", r.path, r.line, r.column)),
                        rich(&r.message)
                    );
                }
                o.push_str("</ul>\n");
            }
        }
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(
            o,
            "<div class=\"fix\"><strong>Remediation</strong>{}</div>",
            rich(&f.remediation)
        );
    }
}

fn finding_card(o: &mut String, m: &Model, it: &Item, under: &ClauseGroup) {
    let f = it.finding;
    let _ = write!(
        o,
        "<article class=\"card s-{}\" id=\"{}\">\n<div class=\"head\"><span class=\"fid\">{}</span>{}<span class=\"rule\">{}</span><strong>{}</strong></div>\n",
        f.severity.as_str(),
        it.anchor(),
        it.label(),
        sev_badge(f.severity),
        esc(&f.rule_id),
        esc(&f.title)
    );
    finding_body(o, m, it);
    let others: Vec<String> = f
        .policy
        .iter()
        .filter(|p| p.id != under.id)
        .map(|p| {
            format!(
                "<a href=\"#clause-{}\">{}</a>",
                super::slug(&p.id),
                rich(&p.title)
            )
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"small\">Also cites: {}.</p>",
            others.join("; ")
        );
    }
    o.push_str("</article>\n");
}

fn inventory(o: &mut String, m: &Model) {
    o.push_str("<section id=\"inventory\" class=\"major\">\n<h2>5. Data inventory</h2>\n");
    if m.inventory.is_empty() {
        o.push_str("<p>No stored contact field (e-mail, phone, postal address) was found.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<p>Every stored contact field the scan found, whether or not a rule flags it, \
with the datastore it resolves to.</p>\n\
<table class=\"stack\"><thead><tr><th>#</th><th>Store</th><th>Table / struct</th><th>Field</th><th>Kind</th>\
<th>Declared at</th><th>Exposure</th><th>Findings</th></tr></thead><tbody>\n",
    );
    for (n, row) in m.inventory.iter().enumerate() {
        let p = row.placement;
        let store = row.store();
        let store = if store.is_empty() {
            "<span class=\"t-muted\">not resolved</span>".to_string()
        } else {
            rich(&store)
        };
        let mut status = Vec::new();
        if p.reachable {
            status.push("<span class=\"tag t-bad\">exposed</span>");
        }
        if p.unauthenticated {
            status.push("<span class=\"tag t-bad\">unauthenticated</span>");
        }
        if p.inferred {
            status.push("<span class=\"tag t-warn\">inferred store</span>");
        }
        if p.store.is_some() && !p.reachable && !p.unauthenticated {
            status.push("<span class=\"tag t-ok\">internal, authenticated</span>");
        }
        let _ = writeln!(
            o,
            "<tr id=\"inv-{}\"><td data-label=\"#\" class=\"num\">{}</td><td data-label=\"Store\">{store}</td>\
<td data-label=\"Table / struct\">{}</td><td data-label=\"Field\">{}</td><td data-label=\"Kind\">{}</td>\
<td data-label=\"Declared at\">{}</td><td data-label=\"Exposure\">{}</td><td data-label=\"Findings\">{}</td></tr>",
            n + 1,
            n + 1,
            code(&p.container),
            code(&p.name),
            esc(p.kind.describe()),
            code(&format!("{}:{}", p.path, p.span.line)),
            status.join(" "),
            item_links(m, &row.findings)
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}

fn waivers(o: &mut String, m: &Model) {
    o.push_str("<section id=\"waivers\" class=\"major\">\n<h2>6. Waivers</h2>\n");
    if m.waivers.is_empty() {
        o.push_str("<p>No finding is suppressed or baselined.</p>\n</section>\n");
        return;
    }
    let no_reason = m
        .waivers
        .iter()
        .filter(|&&i| super::waiver_text(m.items[i].finding).1.is_none())
        .count();
    let _ = writeln!(
        o,
        "<p>{} finding(s) are waived and do not count towards the verdict{}.</p>",
        m.waivers.len(),
        if no_reason > 0 {
            format!("; <strong class=\"t-bad\">{no_reason} waiver(s) give no reason</strong>")
        } else {
            String::new()
        }
    );
    for &i in &m.waivers {
        let it = &m.items[i];
        let f = it.finding;
        let (kind, reason) = super::waiver_text(f);
        let cls = if reason.is_none() { " noreason" } else { "" };
        let _ = write!(
            o,
            "<article class=\"card s-{}{cls}\" id=\"{}\">\n<div class=\"head\"><span class=\"fid\">{}</span>{}<span class=\"tag t-warn\">waived</span><span class=\"rule\">{}</span><strong>{}</strong></div>\n",
            f.severity.as_str(),
            it.anchor(),
            it.label(),
            sev_badge(f.severity),
            esc(&f.rule_id),
            esc(&f.title)
        );
        let reason_html = match &reason {
            Some(r) => format!("<span class=\"reason\">{}</span>", rich(r)),
            None => "<span class=\"reason\">⚠ No reason given</span>".to_string(),
        };
        let _ = writeln!(
            o,
            "<p><strong>Waiver:</strong> {} · <strong>Reason:</strong> {reason_html}</p>",
            esc(&kind)
        );
        finding_body(o, m, it);
        if !f.policy.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"small\">Cites: {}.</p>",
                f.policy
                    .iter()
                    .map(|p| format!(
                        "<a href=\"#clause-{}\">{}</a>",
                        super::slug(&p.id),
                        rich(&p.title)
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        o.push_str("</article>\n");
    }
    o.push_str("</section>\n");
}

fn appendix(o: &mut String, m: &Model) {
    o.push_str("<section id=\"appendix\" class=\"major\">\n<h2>Appendix: rules in force</h2>\n");
    let _ = writeln!(
        o,
        "<p>{} rule(s) were applied. Rule-pack digest {}.</p>",
        m.rules_in_force.len(),
        code(&m.input.result.rules_digest)
    );
    o.push_str(
        "<table class=\"stack\"><thead><tr><th>Rule</th><th>Title</th><th>Severity</th><th>Category</th><th>Policy clauses</th></tr></thead><tbody>\n",
    );
    for r in &m.rules_in_force {
        let clauses = r
            .def
            .policies
            .iter()
            .map(|id| match m.input.rules.policies.get(id) {
                Some(p) => format!(
                    "<li>{} <span class=\"small\">({})</span></li>",
                    ext_link(&p.url, &p.title()),
                    esc(id)
                ),
                None => format!("<li>{}</li>", esc(id)),
            })
            .collect::<String>();
        let sev = if r.def.severity != r.default_severity {
            format!(
                "{} <span class=\"small\">(default {})</span>",
                sev_badge(r.def.severity),
                r.default_severity.as_str()
            )
        } else {
            sev_badge(r.def.severity)
        };
        let _ = writeln!(
            o,
            "<tr><td data-label=\"Rule\" class=\"nw\">{}</td><td data-label=\"Title\">{}</td><td data-label=\"Severity\">{sev}</td>\
<td data-label=\"Category\">{}</td><td data-label=\"Policy clauses\"><ul class=\"refs\">{clauses}</ul></td></tr>",
            code(&r.def.id),
            esc(&r.def.title),
            esc(r.def.category.as_str()),
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}
