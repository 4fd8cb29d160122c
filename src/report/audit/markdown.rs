//! The auditor's report as GitHub/GitLab-flavoured Markdown. Scanned text
//! is backslash-escaped in prose ([`text`]), put in code spans whose fence
//! outgrows any backtick run ([`code`]), with `|` escaped inside tables, and
//! excerpts sit in fenced blocks longer than any fence in the source.

use std::fmt::Write;

use super::{
    AuditInput, Chain, ClauseGroup, Excerpt, Item, Model, StepKind, clean_inline, location,
    message_parts, safe_url, slug,
};
use crate::finding::Severity;

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
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') || s.ends_with(' ');
    if pad {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn code(s: &str) -> String {
    code_in(s, false)
}

fn tcode(s: &str) -> String {
    code_in(s, true)
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

fn rich(s: &str) -> String {
    rich_in(s, false)
}

fn sev(s: Severity) -> String {
    format!("**{}**", s.as_str())
}

/// A link to an http(s) URL, percent-encoding what Markdown would misread.
fn link(url: &str, label: &str) -> String {
    match safe_url(url) {
        Some(u) => {
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
            format!("[{}]({enc})", text(label))
        }
        None => text(label),
    }
}

fn anchor(id: &str) -> String {
    format!("<a id=\"{id}\"></a>")
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
    let mut longest = 0;
    for b in &body {
        let mut run = 0;
        for c in b.chars() {
            if c == '`' {
                run += 1;
                longest = longest.max(run);
            } else {
                run = 0;
            }
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let mut out = format!("{indent}{fence}text\n");
    for b in body {
        let _ = writeln!(out, "{indent}{b}");
    }
    let _ = writeln!(out, "{indent}{fence}");
    out
}

fn item_link(m: &Model, i: usize) -> String {
    let it = &m.items[i];
    format!("[{}](#{})", it.label(), it.anchor())
}

fn item_links(m: &Model, v: &[usize]) -> String {
    v.iter()
        .map(|&i| item_link(m, i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(input: &AuditInput) -> String {
    let m = Model::build(input);
    let mut o = String::with_capacity(32 * 1024);
    let (word, line) = m.verdict();
    let _ = write!(
        o,
        "# Data-policy audit report\n\n\
Audit of {} by leakguard.\n\n\
> **Verdict: {word}** — {}\n",
        input
            .paths
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", "),
        rich(&line)
    );
    caveat(&mut o, &m);
    let _ = write!(
        o,
        "\nGenerated {} · leakguard {} · {}\n\n\
**Contents:** [1. Scope and provenance](#scope) · [2. Verdict and summary](#summary) · \
[3. Exposure chains](#chains) ({}) · [4. Findings by policy clause](#findings) ({}) · \
[5. Data inventory](#inventory) ({}) · [6. Waivers](#waivers) ({}) · [Appendix: rules in force](#appendix) ({})\n",
        text(&input.generated_at),
        text(&input.tool_version),
        text(&input.git.describe()),
        m.chains.len(),
        m.active_count(),
        m.inventory.len(),
        m.waivers.len(),
        m.rules_in_force.len()
    );
    scope(&mut o, &m);
    summary(&mut o, &m);
    chains(&mut o, &m);
    clauses(&mut o, &m);
    inventory(&mut o, &m);
    waivers(&mut o, &m);
    appendix(&mut o, &m);
    let _ = write!(
        o,
        "\n---\n\nGenerated by leakguard {} on {}. Nothing in the scanned tree was executed; \
findings come from static reading of the files listed in section 1. \
Policy paraphrases are leakguard's own words; the linked documents are authoritative.\n",
        text(&input.tool_version),
        text(&input.generated_at)
    );
    o
}

fn caveat(o: &mut String, m: &Model) {
    let unread = m.unread_count();
    if m.incomplete {
        o.push_str(
            ">\n> **Incomplete scan.** An internal error stopped the analysis of some files; \
the verdict covers only what was read (see [files not analysed](#unread)).\n",
        );
    } else if unread > 0 {
        let _ = write!(
            o,
            ">\n> **{unread} file(s) could not be fully read.** The verdict does not cover them \
(see [files not analysed](#unread)).\n"
        );
    }
}

fn scope(o: &mut String, m: &Model) {
    let input = m.input;
    let r = input.result;
    let _ = write!(
        o,
        "\n## {}1. Scope and provenance\n\n| | |\n| --- | --- |\n",
        anchor("scope")
    );
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "| {k} | {v} |");
    };
    row(
        "Scanned",
        input
            .paths
            .iter()
            .map(|p| tcode(p))
            .collect::<Vec<_>>()
            .join(", "),
    );
    row("Version control", text(&input.git.describe()));
    row("Generated", text(&input.generated_at));
    row("Tool", format!("leakguard {}", text(&input.tool_version)));
    row("Rule pack digest", tcode(&r.rules_digest));
    row(
        "Fail threshold",
        format!(
            "{} (findings at or above it fail the check)",
            sev(input.threshold)
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
                .map(|(k, n)| format!("{n} {}", text(k)))
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

    let _ = write!(o, "\n### {}Files not analysed\n\n", anchor("unread"));
    if r.errors.is_empty() {
        o.push_str("Every discovered file was read and parsed.\n");
    } else {
        o.push_str(
            "The scan did not see these files, or saw them only in part. \
Findings and the inventory do not cover what they hold.\n\n\
| File | Line | Problem | Reason |\n| --- | ---: | --- | --- |\n",
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
                "| {} | {} | {} | {} |",
                tcode(&e.path),
                e.line.map(|l| l.to_string()).unwrap_or_default(),
                text(kind),
                text(&e.message)
            );
        }
    }

    o.push_str("\n### Rule configuration\n\n");
    if m.rule_changes.is_empty() {
        let _ = writeln!(
            o,
            "All {} rules of the pack are in force at their default severity.",
            m.rules_in_force.len()
        );
    } else {
        let _ = writeln!(
            o,
            "{} rule(s) in force. These differ from the pack's defaults:\n",
            m.rules_in_force.len()
        );
        for c in &m.rule_changes {
            let _ = writeln!(
                o,
                "- {} {}: **{}**",
                code(&c.id),
                text(&c.title),
                text(&c.change)
            );
        }
    }
    if !r.warnings.is_empty() {
        o.push_str("\n### Scanner warnings\n\n");
        for w in &r.warnings {
            let _ = writeln!(
                o,
                "- {} {}",
                code(&format!("{}:{}:{}", w.path, w.line, w.column)),
                rich(&w.message)
            );
        }
    }
}

fn summary(o: &mut String, m: &Model) {
    let (word, line) = m.verdict();
    let _ = write!(
        o,
        "\n## {}2. Verdict and summary\n\n> **Verdict: {word}** — {}\n",
        anchor("summary"),
        rich(&line)
    );
    caveat(o, m);
    let _ = write!(
        o,
        "\n{} finding(s) in force, {} exposure chain(s), {} stored contact field placement(s), {} waived finding(s).\n\n\
| Severity | Findings |\n| --- | ---: |\n",
        m.active_count(),
        m.chains.len(),
        m.inventory.len(),
        m.waived_count
    );
    for (s, n) in &m.by_severity {
        let _ = writeln!(o, "| {} | {n} |", s.as_str());
    }
    o.push_str("\n| Category | Findings |\n| --- | ---: |\n");
    for (c, n) in &m.by_category {
        let _ = writeln!(o, "| {} | {n} |", c.as_str());
    }
}

fn chains(o: &mut String, m: &Model) {
    let _ = write!(o, "\n## {}3. Exposure chains\n\n", anchor("chains"));
    if m.chains.is_empty() {
        o.push_str("No datastore holding contact data was found reachable from outside or without authentication.\n");
        return;
    }
    o.push_str("Each chain follows stored contact data to the datastore that holds it, and from there to how the store is reached without credentials.\n");
    for c in &m.chains {
        chain(o, m, c);
    }
}

fn chain(o: &mut String, m: &Model, c: &Chain) {
    let _ = write!(
        o,
        "\n### {}C{} · {}\n\n",
        anchor(&c.anchor()),
        c.number,
        rich(&c.title())
    );
    match c.finding {
        Some(i) => {
            let f = m.items[i].finding;
            let _ = writeln!(
                o,
                "Reported as {} ({}, {}) at {}.",
                item_link(m, i),
                sev(f.severity),
                text(&f.rule_id),
                code(&location(&f.path, f.span))
            );
        }
        None => {
            let _ = writeln!(
                o,
                "No chain rule in force reports it; shown for the record ({}).",
                code(&location(&c.path, c.span))
            );
        }
    }
    let kinds = [
        StepKind::Field,
        StepKind::Evidence,
        StepKind::Store,
        StepKind::Binding,
        StepKind::Auth,
    ];
    let mut first = true;
    for k in kinds {
        let steps: Vec<_> = c.steps.iter().filter(|s| s.kind == k).collect();
        let absent = match k {
            StepKind::Binding if steps.is_empty() && !c.store.reachable => Some(
                "No published port or public binding found: the store is not reachable from outside.",
            ),
            StepKind::Auth if steps.is_empty() && !c.store.unauthenticated => {
                Some("No missing authentication found for this store.")
            }
            _ => None,
        };
        if steps.is_empty() && absent.is_none() {
            continue;
        }
        if !first {
            o.push_str("\n↓\n");
        }
        first = false;
        let _ = write!(o, "\n**{}**\n\n", k.label());
        if let Some(a) = absent {
            let _ = writeln!(o, "- _{a}_");
            continue;
        }
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
                format!("[{loc}]({target})")
            };
            let also = if s.findings.is_empty() {
                String::new()
            } else {
                format!(" · finding {}", item_links(m, &s.findings))
            };
            let _ = writeln!(o, "- {} — {loc}{also}", rich(&s.message));
            if let Some(e) = &s.excerpt {
                o.push('\n');
                o.push_str(&excerpt_md(e, "  "));
            }
        }
    }
    for note in &c.store.inferred {
        let _ = write!(o, "\n> **Inferred link.** {}\n", rich(note));
    }
}

fn clauses(o: &mut String, m: &Model) {
    let _ = write!(
        o,
        "\n## {}4. Findings by policy clause\n\n",
        anchor("findings")
    );
    if m.items.is_empty() {
        o.push_str("No finding.\n");
        return;
    }
    o.push_str(
        "Each finding is shown in full under the first clause its rule cites, \
and listed under every other clause it cites.\n",
    );
    for g in &m.clauses {
        clause(o, m, g);
    }
}

fn clause(o: &mut String, m: &Model, g: &ClauseGroup) {
    let _ = write!(o, "\n### {}{}\n\n", anchor(&g.anchor()), rich(&g.heading()));
    if !g.summary.is_empty() {
        let _ = writeln!(o, "> {}\n", rich(&g.summary));
    }
    let src = if safe_url(&g.url).is_some() {
        format!(" · source: {}", link(&g.url, &g.url))
    } else {
        String::new()
    };
    let _ = writeln!(o, "Clause id {}{src}", code(&g.id));
    for &i in &g.primary {
        finding_full(o, m, &m.items[i], g);
    }
    if !g.also.is_empty() {
        o.push_str("\nAlso under this clause (shown in full elsewhere):\n\n");
        compact(o, m, &g.also, "");
    }
    if !g.waived.is_empty() {
        o.push_str("\nWaived under this clause:\n\n");
        compact(o, m, &g.waived, " (waived)");
    }
}

/// One line per rule: its most severe finding's severity, id, title, links.
fn compact(o: &mut String, m: &Model, list: &[usize], extra: &str) {
    for (f, v) in m.by_rule(list) {
        let _ = writeln!(
            o,
            "- {} {}{extra} {}: {}",
            sev(f.severity),
            code(&f.rule_id),
            text(&f.title),
            item_links(m, &v)
        );
    }
}

fn finding_body(o: &mut String, m: &Model, it: &Item) {
    let f = it.finding;
    let _ = write!(
        o,
        "{}\n\n{}\n\n",
        code(&location(&f.path, f.span)),
        rich(&f.message)
    );
    match &it.excerpt {
        Some(e) => o.push_str(&excerpt_md(e, "")),
        None => o.push_str("_(source not available for an excerpt)_\n"),
    }
    if !f.related.is_empty() {
        let chain = m.chains.iter().find(|c| {
            c.finding
                .is_some_and(|ci| std::ptr::eq(m.items[ci].finding, f))
        });
        match chain {
            Some(c) => {
                let _ = write!(
                    o,
                    "\n{} related location(s): see chain [C{}](#{}).\n",
                    f.related.len(),
                    c.number,
                    c.anchor()
                );
            }
            None => {
                o.push('\n');
                for r in &f.related {
                    let _ = writeln!(
                        o,
                        "- {} {}",
                        code(&format!("{}:{}:{}", r.path, r.line, r.column)),
                        rich(&r.message)
                    );
                }
            }
        }
    }
    if !f.remediation.is_empty() {
        let _ = write!(o, "\n**Remediation:** {}\n", rich(&f.remediation));
    }
}

fn finding_full(o: &mut String, m: &Model, it: &Item, under: &ClauseGroup) {
    let f = it.finding;
    let _ = write!(
        o,
        "\n#### {}{} · {} · {} · {}\n\n",
        anchor(&it.anchor()),
        it.label(),
        f.severity.as_str(),
        text(&f.rule_id),
        text(&f.title)
    );
    finding_body(o, m, it);
    let others: Vec<String> = f
        .policy
        .iter()
        .filter(|p| p.id != under.id)
        .map(|p| format!("[{}](#clause-{})", rich(&p.title), slug(&p.id)))
        .collect();
    if !others.is_empty() {
        let _ = write!(o, "\nAlso cites: {}.\n", others.join("; "));
    }
}

fn inventory(o: &mut String, m: &Model) {
    let _ = write!(o, "\n## {}5. Data inventory\n\n", anchor("inventory"));
    if m.inventory.is_empty() {
        o.push_str("No stored contact field (e-mail, phone, postal address) was found.\n");
        return;
    }
    o.push_str(
        "Every stored contact field the scan found, whether or not a rule flags it, \
with the datastore it resolves to.\n\n\
| # | Store | Table / struct | Field | Kind | Declared at | Exposure | Findings |\n\
| ---: | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (n, row) in m.inventory.iter().enumerate() {
        let p = row.placement;
        let store = row.store();
        let store = if store.is_empty() {
            "_not resolved_".to_string()
        } else {
            rich_in(&store, true)
        };
        let mut status = Vec::new();
        if p.reachable {
            status.push("**exposed**");
        }
        if p.unauthenticated {
            status.push("**unauthenticated**");
        }
        if p.inferred {
            status.push("inferred store");
        }
        if p.store.is_some() && !p.reachable && !p.unauthenticated {
            status.push("internal, authenticated");
        }
        let _ = writeln!(
            o,
            "| {}{} | {store} | {} | {} | {} | {} | {} | {} |",
            anchor(&format!("inv-{}", n + 1)),
            n + 1,
            tcode(&p.container),
            tcode(&p.name),
            text(p.kind.describe()),
            tcode(&format!("{}:{}", p.path, p.span.line)),
            status.join(", "),
            item_links(m, &row.findings)
        );
    }
}

fn waivers(o: &mut String, m: &Model) {
    let _ = write!(o, "\n## {}6. Waivers\n\n", anchor("waivers"));
    if m.waivers.is_empty() {
        o.push_str("No finding is suppressed or baselined.\n");
        return;
    }
    let no_reason = m
        .waivers
        .iter()
        .filter(|&&i| super::waiver_text(m.items[i].finding).1.is_none())
        .count();
    let _ = writeln!(
        o,
        "{} finding(s) are waived and do not count towards the verdict{}.",
        m.waivers.len(),
        if no_reason > 0 {
            format!("; **⚠ {no_reason} waiver(s) give no reason**")
        } else {
            String::new()
        }
    );
    for &i in &m.waivers {
        let it = &m.items[i];
        let f = it.finding;
        let (kind, reason) = super::waiver_text(f);
        let _ = write!(
            o,
            "\n#### {}{} · {} · {} · {} (waived)\n\n",
            anchor(&it.anchor()),
            it.label(),
            f.severity.as_str(),
            text(&f.rule_id),
            text(&f.title)
        );
        match &reason {
            Some(r) => {
                let _ = write!(
                    o,
                    "**Waiver:** {} · **Reason:** {}\n\n",
                    text(&kind),
                    rich(r)
                );
            }
            None => {
                let _ = write!(
                    o,
                    "> [!WARNING]\n> **No reason given.** Waiver: {}.\n\n",
                    text(&kind)
                );
            }
        }
        finding_body(o, m, it);
        if !f.policy.is_empty() {
            let _ = write!(
                o,
                "\nCites: {}.\n",
                f.policy
                    .iter()
                    .map(|p| format!("[{}](#clause-{})", rich(&p.title), slug(&p.id)))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
}

fn appendix(o: &mut String, m: &Model) {
    let _ = write!(
        o,
        "\n## {}Appendix: rules in force\n\n{} rule(s) were applied. Rule-pack digest {}.\n\n\
| Rule | Title | Severity | Category | Policy clauses |\n| --- | --- | --- | --- | --- |\n",
        anchor("appendix"),
        m.rules_in_force.len(),
        code(&m.input.result.rules_digest)
    );
    for r in &m.rules_in_force {
        let clauses = r
            .def
            .policies
            .iter()
            .map(|id| match m.input.rules.policies.get(id) {
                Some(p) => link(&p.url, &p.title()),
                None => text(id),
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let sev = if r.def.severity != r.default_severity {
            format!(
                "{} (default {})",
                r.def.severity.as_str(),
                r.default_severity.as_str()
            )
        } else {
            r.def.severity.as_str().to_string()
        };
        let _ = writeln!(
            o,
            "| {} | {} | {sev} | {} | {clauses} |",
            tcode(&r.def.id),
            text(&r.def.title),
            text(r.def.category.as_str()),
        );
    }
}
