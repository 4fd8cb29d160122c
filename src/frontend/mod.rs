//! Front ends: one per input language. Each turns one file's text into
//! [`FileFacts`]; none knows any rule. This module reads the file, refuses
//! binary and non-UTF-8 input, dispatches by kind, isolates panics, and adds
//! what every kind shares: suppression comments and fingerprint anchors.

pub mod dotenv;
pub mod json;
pub mod redisconf;
pub mod rust;
pub mod sql;
pub mod yaml;

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::discover::FileKind;
use crate::facts::{FileError, FileFacts, Suppression};
use crate::span::{self, LineWalker, Span};
use crate::vocab::Vocabulary;

/// What a front end may consult besides the text.
pub struct Ctx<'a> {
    pub vocab: &'a Vocabulary,
    /// The reported path (`/` separators), for kind detection by name.
    pub path: &'a str,
}

pub const SUPPRESSION_MARKER: &str = "leakguard-ignore";

/// With `LEAKGUARD_TEST_PANIC=1` in the environment, a file containing this
/// marker makes its front end panic: the hostile-input tests use it to prove
/// that one file's panic is isolated. Inert otherwise.
pub const TEST_PANIC_MARKER: &str = "leakguard-test-panic-5b7e2c";

/// Analyses one file's bytes. Never panics: a panic inside a front end is
/// caught and reported as an internal error for this file.
pub fn analyze_bytes(bytes: &[u8], kind: FileKind, ctx: &Ctx) -> FileFacts {
    if bytes.contains(&0) {
        let mut f = FileFacts::default();
        f.error(None, "binary file (contains NUL bytes); not scanned");
        return f;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
                + 1;
            let mut f = FileFacts::default();
            f.error(
                Some(line),
                format!(
                    "not valid UTF-8 (invalid byte at offset {}); not scanned",
                    e.valid_up_to()
                ),
            );
            return f;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match catch_unwind(AssertUnwindSafe(|| analyze_text(text, kind, ctx))) {
        Ok(f) => f,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let mut f = FileFacts::default();
            f.errors.push(FileError {
                line: None,
                message: format!(
                    "internal error while analysing this file ({what}); please report it as a leakguard bug with this file attached"
                ),
                internal: true,
            });
            f
        }
    }
}

/// syn recurses once per nesting level and overflows even a 64 MiB stack
/// somewhere past 5,000 levels; no real code nests a tenth of that. Files
/// beyond this are refused before parsing.
pub const MAX_RUST_NESTING: usize = 1_000;

/// A cheap upper bound of how deep syn would recurse on this text: open
/// brackets, generic angle brackets right after a name, and runs of prefix
/// operators (`!!!x`, `& & & x`, `|| || 1`). Returns the line where the bound
/// first exceeds `limit`.
pub fn rust_nesting_exceeds(text: &str, limit: usize) -> Option<u32> {
    let bytes = text.as_bytes();
    // The bracket bound never exceeds the number of opening bytes, nor the
    // operator run the number of operator bytes: when both counts stay
    // within the limit (as in any ordinary file), the exact walk below
    // cannot exceed it either. The counting loop vectorises.
    if !may_exceed(bytes, limit) {
        return None;
    }
    nesting_walk(bytes, limit)
}

/// Whether the text holds more than `limit` opening bytes (`([{<`) or
/// more than `limit` prefix-operator bytes (`!-*&|`).
fn may_exceed(bytes: &[u8], limit: usize) -> bool {
    let (mut opens, mut ops) = (0usize, 0usize);
    // Per-chunk u8 counters keep the loop vectorisable (a chunk of 255
    // bytes cannot overflow them).
    for chunk in bytes.chunks(255) {
        let (mut o, mut p) = (0u8, 0u8);
        for &b in chunk {
            o += u8::from(matches!(b, b'(' | b'[' | b'{' | b'<'));
            p += u8::from(matches!(b, b'!' | b'-' | b'*' | b'&' | b'|'));
        }
        opens += usize::from(o);
        ops += usize::from(p);
        if opens > limit || ops > limit {
            return true;
        }
    }
    false
}

/// Byte classes of [`nesting_walk`]: bytes that reset an operator run and
/// change nothing else, whitespace (changes nothing), and the rest.
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const SPECIAL: u8 = 2;

static NESTING_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let special = b"()[]{};<>!-*&|";
    let mut i = 0;
    while i < special.len() {
        t[special[i] as usize] = SPECIAL;
        i += 1;
    }
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t
};

/// The exact walk of [`rust_nesting_exceeds`]: ordinary bytes take one
/// table lookup; lines are counted only when the bound is exceeded.
fn nesting_walk(bytes: &[u8], limit: usize) -> Option<u32> {
    let mut depth = 0usize;
    // Generic arguments never span `;` or braces, so a stray `a<b`
    // comparison cannot accumulate.
    let mut generics = 0usize;
    let mut run = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match NESTING_CLASS[usize::from(b)] {
            PLAIN => run = 0,
            SPACE => {}
            _ => {
                match b {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => depth = depth.saturating_sub(1),
                    b'{' => {
                        depth += 1;
                        generics = 0;
                    }
                    b'}' => {
                        depth = depth.saturating_sub(1);
                        generics = 0;
                    }
                    b';' => generics = 0,
                    b'<' if i > 0 && follows_name(bytes, i - 1) => generics += 1,
                    b'>' => generics = generics.saturating_sub(1),
                    _ => {}
                }
                if matches!(b, b'!' | b'-' | b'*' | b'&' | b'|') {
                    run += 1;
                } else {
                    run = 0;
                }
                if depth + generics > limit || run > limit {
                    let line = bytes[..i].iter().filter(|&&c| c == b'\n').count();
                    return Some(line as u32 + 1);
                }
            }
        }
    }
    None
}

/// Whether the byte at `at` ends a name: an identifier character or the
/// second colon of `::` (`Vec::<u8>`).
fn follows_name(bytes: &[u8], at: usize) -> bool {
    let b = bytes[at];
    b.is_ascii_alphanumeric() || b == b'_' || (b == b':' && at > 0 && bytes[at - 1] == b':')
}

/// Errors listed per file; the rest are counted in one last entry.
pub const MAX_ERRORS_PER_FILE: usize = 100;

pub fn analyze_text(text: &str, kind: FileKind, ctx: &Ctx) -> FileFacts {
    if kind == FileKind::Rust
        && let Some(line) = rust_nesting_exceeds(text, MAX_RUST_NESTING)
    {
        let mut f = FileFacts::default();
        f.error(
            Some(line),
            format!("Rust nesting deeper than {MAX_RUST_NESTING} levels; not parsed (syn would overflow its stack)"),
        );
        return f;
    }
    if text.contains(TEST_PANIC_MARKER)
        && std::env::var_os("LEAKGUARD_TEST_PANIC").is_some_and(|v| v == "1")
    {
        panic!("test panic requested by {TEST_PANIC_MARKER}");
    }
    let mut facts = match kind {
        FileKind::Rust => rust::analyze(text, ctx),
        FileKind::Sql => sql::analyze(text, ctx),
        FileKind::Json => json::analyze(text, ctx),
        FileKind::Yaml => yaml::analyze(text, ctx),
        FileKind::RedisConf => redisconf::analyze(text, ctx),
        FileKind::DotEnv => dotenv::analyze(text, ctx),
        FileKind::CargoManifest => rust::manifest::analyze(text, ctx),
    };
    // A parser's end-of-input marker (or a lone CR, which YAML counts as a
    // line break) may lie past the last line: keep every position inside
    // the file, as reports and editors require.
    let end = span::end_position(text);
    let last_line = end.0;
    for fact in &mut facts.facts {
        let s = &mut fact.span;
        if (s.end_line, s.end_column) > end {
            (s.end_line, s.end_column) = end;
        }
        if (s.line, s.column) > end {
            (s.line, s.column) = end;
        }
    }
    // Each fact's anchor is its line's text: visit the facts in line order
    // so one forward walk finds every line (no index of the whole file).
    let mut order: Vec<usize> = (0..facts.facts.len()).collect();
    order.sort_by_key(|&i| facts.facts[i].span.line);
    let mut lines = LineWalker::new(text);
    for i in order {
        let fact = &mut facts.facts[i];
        fact.anchor = normalise(lines.line_text(fact.span.line));
    }
    for e in &mut facts.errors {
        e.line = e.line.map(|l| l.clamp(1, last_line));
    }
    if facts.errors.len() > MAX_ERRORS_PER_FILE {
        // A file of 200,000 broken statements must not flood every report.
        let more = facts.errors.len() - MAX_ERRORS_PER_FILE;
        facts.errors.truncate(MAX_ERRORS_PER_FILE);
        facts.error(None, format!("{more} more errors in this file not listed"));
    }
    facts.suppressions = suppressions(text, kind);
    facts
}

/// Whitespace-collapsed, trimmed text (capped), so fingerprints survive
/// re-indentation.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(256));
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > 240 {
            break;
        }
    }
    out
}

/// Finds `leakguard-ignore RULE[, RULE]: reason` comments. A comment alone
/// on its line applies to the next line; after code, to its own line.
pub fn suppressions(text: &str, kind: FileKind) -> Vec<Suppression> {
    // Most files hold no marker: one fast search settles them.
    if memchr::memmem::find(text.as_bytes(), SUPPRESSION_MARKER.as_bytes()).is_none() {
        return Vec::new();
    }
    let prefixes = kind.comment_prefixes();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(marker_at) = line.find(SUPPRESSION_MARKER) else {
            continue;
        };
        let Some((comment_at, prefix)) = prefixes
            .iter()
            .filter_map(|p| line[..marker_at].rfind(p).map(|at| (at, *p)))
            .max_by_key(|(at, _)| *at)
        else {
            continue;
        };
        let between = &line[comment_at + prefix.len()..marker_at];
        if !between.trim().is_empty() {
            continue;
        }
        let rest = &line[marker_at + SUPPRESSION_MARKER.len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-') {
            continue;
        }
        let (ids, reason) = match rest.split_once(':') {
            Some((ids, reason)) => (ids, Some(reason.trim().to_string())),
            None => (rest, None),
        };
        let rules: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let reason = reason.filter(|r| !r.is_empty());
        let line_no = i as u32 + 1;
        let code_before = !line[..comment_at].trim().is_empty();
        let col = line[..comment_at].chars().count() as u32 + 1;
        out.push(Suppression {
            line: line_no,
            target_line: if code_before { line_no } else { line_no + 1 },
            rules,
            reason,
            span: Span::new(line_no, col, line_no, line.chars().count() as u32 + 1),
        });
    }
    out
}

/// Puts the facts a resolution step derived (`new`, each with the position
/// it takes among the file's own facts) in place of those the previous
/// resolution inserted (at `resolved_at`, e.g. facts reloaded from the
/// cache), and records where the new ones went: resolving is idempotent.
pub fn replace_resolved(
    facts: &mut Vec<crate::facts::Fact>,
    resolved_at: &mut Vec<usize>,
    mut new: Vec<(usize, crate::facts::Fact)>,
) {
    let mut old = std::mem::take(resolved_at);
    old.sort_unstable();
    if !old.is_empty() {
        let mut i = 0usize;
        facts.retain(|_| {
            let keep = old.binary_search(&i).is_err();
            i += 1;
            keep
        });
    }
    new.sort_by_key(|(at, _)| *at);
    let own = std::mem::take(facts);
    let mut merged = Vec::with_capacity(own.len() + new.len());
    let mut pending = new.into_iter().peekable();
    for (i, f) in own.into_iter().enumerate() {
        while let Some((_, nf)) = pending.next_if(|(at, _)| *at <= i) {
            resolved_at.push(merged.len());
            merged.push(nf);
        }
        merged.push(f);
    }
    for (_, nf) in pending {
        resolved_at.push(merged.len());
        merged.push(nf);
    }
    *facts = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_bound() {
        assert_eq!(
            rust_nesting_exceeds(
                "fn f() { let v: Vec<Vec<u8>> = vec![vec![1]]; if a < b && !c {} }",
                50
            ),
            None
        );
        assert_eq!(rust_nesting_exceeds(&"(".repeat(60), 50), Some(1));
        assert_eq!(
            rust_nesting_exceeds(&format!("x\n{}", "! ".repeat(60)), 50),
            Some(2)
        );
        assert_eq!(rust_nesting_exceeds(&"Vec<".repeat(60), 50), Some(1));
        // Comparisons do not accumulate.
        assert_eq!(
            rust_nesting_exceeds(&"if a < b {}\nlet c = a<b;\n".repeat(500), 50),
            None
        );
    }

    /// The byte-at-a-time walk `rust_nesting_exceeds` was first written as.
    fn nesting_reference(text: &str, limit: usize) -> Option<u32> {
        let bytes = text.as_bytes();
        let mut line = 1u32;
        let mut depth = 0usize;
        let mut generics = 0usize;
        let mut run = 0usize;
        let mut prev_ident = false;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => line += 1,
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                b'{' => {
                    depth += 1;
                    generics = 0;
                }
                b'}' => {
                    depth = depth.saturating_sub(1);
                    generics = 0;
                }
                b';' => generics = 0,
                b'<' if prev_ident => generics += 1,
                b'>' => generics = generics.saturating_sub(1),
                _ => {}
            }
            match b {
                b'!' | b'-' | b'*' | b'&' | b'|' => run += 1,
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => run = 0,
            }
            prev_ident = b.is_ascii_alphanumeric()
                || b == b'_'
                || (b == b':' && i > 0 && bytes[i - 1] == b':');
            if depth + generics > limit || run > limit {
                return Some(line);
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn nesting_bound_matches_reference(
            text in "[a-z_:;<>()\\[\\]{}!*&|\\- \t\r\né]{0,300}",
            limit in 0usize..12,
        ) {
            proptest::prop_assert_eq!(
                rust_nesting_exceeds(&text, limit),
                nesting_reference(&text, limit)
            );
            proptest::prop_assert_eq!(
                nesting_walk(text.as_bytes(), limit),
                nesting_reference(&text, limit)
            );
        }
    }

    #[test]
    fn suppression_comments() {
        let s = suppressions(
            "a: 1 # leakguard-ignore LG-1: reviewed\n# leakguard-ignore LG-2, LG-3\nb: 2\nc: \"leakguard-ignore\"\n",
            FileKind::Yaml,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].target_line, 1);
        assert_eq!(s[0].reason.as_deref(), Some("reviewed"));
        assert_eq!(s[1].target_line, 3);
        assert_eq!(s[1].rules, ["LG-2", "LG-3"]);
        assert_eq!(s[1].reason, None);
    }
}
