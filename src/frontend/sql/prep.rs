//! Dialect detection and vendor-syntax preprocessing for `.sql` files.
//!
//! Preprocessing never shifts a position: a region that sqlparser cannot
//! read (mysqldump versioned comments, `DELIMITER` blocks, pg_dump `COPY …
//! FROM stdin` data, psql meta-commands) is blanked with spaces, one space
//! per character, keeping every newline, so line and code-point column of
//! everything else stay what they were in the original text.

use std::borrow::Cow;

/// The SQL dialect a file is written in, as far as its text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Postgres,
    MySql,
    Sqlite,
    Unknown,
}

impl Flavor {
    pub fn engine(self) -> Option<&'static str> {
        match self {
            Flavor::Postgres => Some("postgres"),
            Flavor::MySql => Some("mysql"),
            Flavor::Sqlite => Some("sqlite"),
            Flavor::Unknown => None,
        }
    }
}

/// Non-overlapping occurrences of `needle` (as `str::matches` counts them;
/// memchr's search is many times faster over a whole file).
fn count(hay: &str, needle: &str) -> usize {
    memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes()).count()
}

/// Occurrences of `word` as a whole word (ASCII identifier boundaries).
fn count_word(hay: &str, word: &str) -> usize {
    let bytes = hay.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, word.as_bytes())
        .filter(|i| {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
            let after = bytes.get(i + word.len()).copied();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .count()
}

/// Guesses the dialect from the text and the path. Only clear evidence
/// counts; otherwise [`Flavor::Unknown`].
pub fn detect(text: &str, path: &str) -> Flavor {
    // Bounded work: the head of a large dump says enough.
    let mut end = text.len().min(512 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let t = text[..end].to_ascii_lowercase();
    let p = path.to_ascii_lowercase();

    let mut mysql = 0usize;
    mysql +=
        3 * count(&t, "mysql dump") + 3 * count(&t, "mysqldump") + 3 * count(&t, "mariadb dump");
    mysql += 2 * count(&t, "/*!4") + 2 * count(&t, "/*!5") + 2 * count(&t, "/*!8");
    mysql += 2 * count_word(&t, "auto_increment");
    mysql += 2 * (count(&t, "engine=") + count(&t, "engine ="));
    mysql += count_word(&t, "unsigned") + count(&t, "charset=") + count(&t, "\ndelimiter ");
    mysql += count(&t, "`").min(4) / 2;

    let mut sqlite = 0usize;
    sqlite += 3 * count_word(&t, "autoincrement");
    sqlite += 3 * (count(&t, "sqlite_master") + count(&t, "sqlite_sequence"));
    sqlite += 2 * count(&t, "without rowid") + count_word(&t, "pragma");
    if p.contains("sqlite") || p.ends_with(".db.sql") {
        sqlite += 3;
    }

    let mut pg = 0usize;
    pg += 3 * count(&t, "postgresql database dump") + 2 * count(&t, "pg_catalog");
    for w in [
        "bigserial",
        "smallserial",
        "serial",
        "timestamptz",
        "jsonb",
        "bytea",
        "citext",
        "tsvector",
        "plpgsql",
        "gen_random_uuid",
        "uuid_generate_v4",
    ] {
        pg += 2 * count_word(&t, w);
    }
    pg += 2 * count(&t, "create extension") + count(&t, "::") + count(&t, "$$");
    pg += count(&t, "with time zone") + count(&t, "[]") + count(&t, "owner to");
    if p.contains("postgres") || p.split('/').any(|s| s == "pg" || s == "psql") {
        pg += 3;
    }

    let best = mysql.max(sqlite).max(pg);
    if best < 2 {
        return Flavor::Unknown;
    }
    let winners = [mysql == best, sqlite == best, pg == best]
        .iter()
        .filter(|b| **b)
        .count();
    if winners > 1 {
        return Flavor::Unknown;
    }
    if pg == best {
        Flavor::Postgres
    } else if mysql == best {
        Flavor::MySql
    } else {
        Flavor::Sqlite
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character starting at byte `i`, if `i` starts one.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// Whether the bytes at `at` spell the ASCII `word`, ignoring case.
fn starts_with_ci(bytes: &[u8], at: usize, word: &[u8]) -> bool {
    bytes
        .get(at..at + word.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(word))
}

/// Index of the `\n` ending the line that byte `i` is on, or the end.
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map_or(bytes.len(), |k| i + k)
}

/// Where `needle` next occurs at or after byte `from`.
fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|k| from + k)
}

/// A dollar-quote opening tag at byte `i` (`$$`, `$body$`): its length in
/// bytes.
fn dollar_tag(text: &str, i: usize) -> Option<usize> {
    if text.as_bytes().get(i) != Some(&b'$') {
        return None;
    }
    if text
        .get(..i)
        .and_then(|before| before.chars().next_back())
        .is_some_and(is_ident_char)
    {
        return None;
    }
    let rest = text.get(i + 1..)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    for (k, c) in rest.char_indices() {
        if c == '$' {
            return Some(k + 2);
        }
        if !is_ident_char(c) {
            return None;
        }
    }
    None
}

/// Where the quoted run starting at byte `i` (a quote) ends (exclusive).
/// Bytes are compared only with ASCII quotes and backslashes, which never
/// occur inside a multi-byte character, so stepping by bytes is exact.
fn skip_quoted(bytes: &[u8], i: usize, backslash: bool) -> usize {
    let q = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        let c = bytes[j];
        if backslash && c == b'\\' && q == b'\'' {
            j += 2;
            continue;
        }
        if c == q {
            return j + 1;
        }
        j += 1;
    }
    bytes.len()
}

/// The first word of a statement text (after whitespace and comments),
/// upper-cased, with the following words.
fn leading_words(text: &str, from: usize, to: usize, n: usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = from;
    while i < to && words.len() < n {
        let Some(c) = char_at(text, i) else { break };
        if c.is_whitespace() {
            i += c.len_utf8();
        } else if c == '-' && bytes.get(i + 1) == Some(&b'-') {
            i = line_end(bytes, i);
        } else if c == '/' && bytes.get(i + 1) == Some(&b'*') {
            i = find_from(bytes, i + 2, b"*/").map_or(to, |k| k + 2);
        } else if is_ident_char(c) {
            let s = i;
            while i < to
                && let Some(c) = char_at(text, i)
                && is_ident_char(c)
            {
                i += c.len_utf8();
            }
            words.push(text[s..i].to_ascii_uppercase());
        } else {
            break;
        }
    }
    words
}

/// Whether a statement in a custom-`DELIMITER` block defines table columns
/// (kept) rather than a routine or trigger body (blanked).
fn defines_table(words: &[String]) -> bool {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["CREATE", "TABLE", ..]
            | ["CREATE", "TEMPORARY", "TABLE", ..]
            | ["ALTER", "TABLE", ..]
            | ["ALTER", "IGNORE", "TABLE", ..]
    )
}

/// A change to the text, by byte range: blanked (one space per character,
/// line breaks kept), or its one character made a `;`.
#[derive(Clone, Copy, PartialEq)]
enum Edit {
    Blank,
    Semicolon,
}

/// Blanks vendor syntax the SQL parser cannot read; see the module docs.
/// The text is scanned by bytes (everything the scan looks for is ASCII)
/// and the edits applied in one pass at the end; a file without vendor
/// syntax comes back as it is.
pub fn preprocess(text: &str, flavor: Flavor) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mysql = flavor == Flavor::MySql;
    let mut edits: Vec<(usize, usize, Edit)> = Vec::new();
    let mut i = 0usize;
    let mut line_start = true;
    let mut at_stmt_start = true;
    // A custom statement delimiter (`DELIMITER ;;`) and where the current
    // statement under it began.
    let mut delimiter: Option<&str> = None;
    let mut piece_start = 0usize;

    while i < n {
        let c = bytes[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        // The character here: its length, and whether it is whitespace.
        let (step, space) = if c.is_ascii() {
            (1, matches!(c, b' ' | b'\t' | 0x0b | 0x0c | b'\r'))
        } else {
            char_at(text, i).map_or((1, false), |ch| (ch.len_utf8(), ch.is_whitespace()))
        };
        if space {
            i += step;
            continue;
        }
        if line_start {
            line_start = false;
            // psql meta-commands (`\connect`, `\restrict`, a stray `\.`).
            if c == b'\\' {
                let e = line_end(bytes, i);
                edits.push((i, e, Edit::Blank));
                i = e;
                continue;
            }
            if starts_with_ci(bytes, i, b"delimiter")
                && matches!(bytes.get(i + 9), Some(b' ' | b'\t'))
            {
                let e = line_end(bytes, i);
                let d = text.get(i + 9..e).unwrap_or("").trim();
                edits.push((i, e, Edit::Blank));
                delimiter = if d.is_empty() || d == ";" {
                    None
                } else {
                    Some(d)
                };
                piece_start = e;
                at_stmt_start = true;
                i = e;
                continue;
            }
        }
        if let Some(d) = delimiter
            && bytes[i..].starts_with(d.as_bytes())
        {
            let end = i + d.len();
            if defines_table(&leading_words(text, piece_start, i, 4)) {
                let first = d.chars().next().map_or(1, char::len_utf8);
                edits.push((i, i + first, Edit::Semicolon));
                edits.push((i + first, end, Edit::Blank));
            } else {
                edits.push((piece_start, end, Edit::Blank));
            }
            piece_start = end;
            at_stmt_start = true;
            i = end;
            continue;
        }
        match c {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = line_end(bytes, i);
                continue;
            }
            b'#' if mysql => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let e = find_from(bytes, i + 2, b"*/").map_or(n, |k| k + 2);
                if bytes.get(i + 2) == Some(&b'!') {
                    // mysqldump versioned comment: conditional settings and
                    // table options, never column definitions.
                    edits.push((i, e, Edit::Blank));
                }
                i = e;
                continue;
            }
            b'\'' | b'"' | b'`' => {
                at_stmt_start = false;
                i = skip_quoted(bytes, i, mysql);
                continue;
            }
            b'$' if !mysql => {
                if let Some(len) = dollar_tag(text, i) {
                    let tag = &bytes[i..i + len];
                    i = find_from(bytes, i + len, tag).map_or(n, |k| k + len);
                    at_stmt_start = false;
                    continue;
                }
            }
            b';' => {
                at_stmt_start = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        if at_stmt_start
            && starts_with_ci(bytes, i, b"copy")
            && !char_at(text, i + 4).is_some_and(is_ident_char)
        {
            // `COPY … FROM stdin;` followed by data lines up to `\.`.
            let mut j = i;
            while j < n && bytes[j] != b';' {
                if bytes[j] == b'\'' {
                    j = skip_quoted(bytes, j, mysql);
                } else {
                    j += 1;
                }
            }
            let stmt = text.get(i..j.min(n)).unwrap_or("").to_ascii_lowercase();
            if count_word(&stmt, "stdin") > 0 {
                let mut k = (j + 1).min(n);
                let mut data_end = n;
                while k < n {
                    let e = line_end(bytes, k);
                    if text.get(k..e).is_some_and(|line| line.trim() == "\\.") {
                        data_end = e;
                        break;
                    }
                    k = e + 1;
                }
                edits.push((i, data_end, Edit::Blank));
                i = data_end;
                at_stmt_start = true;
                continue;
            }
        }
        at_stmt_start = false;
        i += step;
    }
    if delimiter.is_some() && piece_start < n {
        // An unterminated custom-delimiter block: keep table statements only.
        if !defines_table(&leading_words(text, piece_start, n, 4)) {
            edits.push((piece_start, n, Edit::Blank));
        }
    }
    apply_edits(text, edits)
}

/// The text with its edits made. A statement blanked as a whole may cover
/// edits made inside it before, so ranges are merged.
fn apply_edits(text: &str, mut edits: Vec<(usize, usize, Edit)>) -> Cow<'_, str> {
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    edits.sort_by_key(|&(start, _, _)| start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0usize;
    for (start, end, edit) in edits {
        let end = end.min(text.len());
        if end <= done {
            continue;
        }
        let start = start.max(done);
        let (Some(kept), Some(changed)) = (text.get(done..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(kept);
        match edit {
            Edit::Semicolon => out.push(';'),
            Edit::Blank => out.extend(
                changed
                    .chars()
                    .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
            ),
        }
        done = end;
    }
    out.push_str(text.get(done..).unwrap_or(""));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `preprocess` as first written, over a copy of the text as chars.
    mod reference {
        use super::super::{Flavor, count_word};

        fn blank(out: &mut [char], from: usize, to: usize) {
            let to = to.min(out.len());
            for c in out.iter_mut().take(to).skip(from) {
                if *c != '\n' && *c != '\r' {
                    *c = ' ';
                }
            }
        }

        fn starts_with_ci(chars: &[char], at: usize, word: &str) -> bool {
            let mut i = at;
            for w in word.chars() {
                match chars.get(i) {
                    Some(c) if c.eq_ignore_ascii_case(&w) => i += 1,
                    _ => return false,
                }
            }
            true
        }

        fn is_ident_char(c: char) -> bool {
            c.is_alphanumeric() || c == '_'
        }

        /// Index just past the end of the line that `i` is on (the `\n` itself
        /// stays, so the returned index points at it or at the end).
        fn line_end(chars: &[char], i: usize) -> usize {
            let mut j = i;
            while j < chars.len() && chars[j] != '\n' {
                j += 1;
            }
            j
        }

        /// A dollar-quote opening tag at `i` (`$$`, `$body$`): its length.
        fn dollar_tag(chars: &[char], i: usize) -> Option<usize> {
            if chars.get(i) != Some(&'$') {
                return None;
            }
            if i > 0 && is_ident_char(chars[i - 1]) {
                return None;
            }
            let mut j = i + 1;
            if let Some(&c) = chars.get(j)
                && c.is_ascii_digit()
            {
                return None;
            }
            while let Some(&c) = chars.get(j) {
                if c == '$' {
                    return Some(j + 1 - i);
                }
                if !is_ident_char(c) {
                    return None;
                }
                j += 1;
            }
            None
        }

        fn find_seq(chars: &[char], from: usize, needle: &[char]) -> Option<usize> {
            if needle.is_empty() || chars.len() < needle.len() {
                return None;
            }
            (from..=chars.len() - needle.len()).find(|&k| chars[k..k + needle.len()] == *needle)
        }

        /// Where the quoted run starting at `i` (a quote char) ends (exclusive).
        fn skip_quoted(chars: &[char], i: usize, backslash: bool) -> usize {
            let q = chars[i];
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j];
                if backslash && c == '\\' && q == '\'' {
                    j += 2;
                    continue;
                }
                if c == q {
                    return j + 1;
                }
                j += 1;
            }
            chars.len()
        }

        /// The first word of a statement text (after whitespace and comments),
        /// upper-cased, with the following words.
        fn leading_words(chars: &[char], from: usize, to: usize, n: usize) -> Vec<String> {
            let mut words = Vec::new();
            let mut i = from;
            while i < to && words.len() < n {
                let c = chars[i];
                if c.is_whitespace() {
                    i += 1;
                } else if c == '-' && chars.get(i + 1) == Some(&'-') {
                    i = line_end(chars, i);
                } else if c == '/' && chars.get(i + 1) == Some(&'*') {
                    i = find_seq(chars, i + 2, &['*', '/']).map_or(to, |k| k + 2);
                } else if is_ident_char(c) {
                    let s = i;
                    while i < to && is_ident_char(chars[i]) {
                        i += 1;
                    }
                    words.push(chars[s..i].iter().collect::<String>().to_ascii_uppercase());
                } else {
                    break;
                }
            }
            words
        }

        /// Whether a statement in a custom-`DELIMITER` block defines table columns
        /// (kept) rather than a routine or trigger body (blanked).
        fn defines_table(words: &[String]) -> bool {
            let w: Vec<&str> = words.iter().map(String::as_str).collect();
            matches!(
                w.as_slice(),
                ["CREATE", "TABLE", ..]
                    | ["CREATE", "TEMPORARY", "TABLE", ..]
                    | ["ALTER", "TABLE", ..]
                    | ["ALTER", "IGNORE", "TABLE", ..]
            )
        }

        /// Blanks vendor syntax the SQL parser cannot read; see the module docs.
        pub fn preprocess(text: &str, flavor: Flavor) -> String {
            let chars: Vec<char> = text.chars().collect();
            let mut out = chars.clone();
            let mysql = flavor == Flavor::MySql;
            let n = chars.len();
            let mut i = 0usize;
            let mut line_start = true;
            let mut at_stmt_start = true;
            // A custom statement delimiter (`DELIMITER ;;`) and where the current
            // statement under it began.
            let mut delimiter: Option<Vec<char>> = None;
            let mut piece_start = 0usize;

            while i < n {
                let c = chars[i];
                if c == '\n' {
                    line_start = true;
                    i += 1;
                    continue;
                }
                if c.is_whitespace() {
                    i += 1;
                    continue;
                }
                if line_start {
                    line_start = false;
                    // psql meta-commands (`\connect`, `\restrict`, a stray `\.`).
                    if c == '\\' {
                        let e = line_end(&chars, i);
                        blank(&mut out, i, e);
                        i = e;
                        continue;
                    }
                    if starts_with_ci(&chars, i, "delimiter")
                        && chars.get(i + 9).is_some_and(|c| *c == ' ' || *c == '\t')
                    {
                        let e = line_end(&chars, i);
                        let d: String = chars[i + 9..e].iter().collect();
                        let d = d.trim();
                        blank(&mut out, i, e);
                        delimiter = if d.is_empty() || d == ";" {
                            None
                        } else {
                            Some(d.chars().collect())
                        };
                        piece_start = e;
                        at_stmt_start = true;
                        i = e;
                        continue;
                    }
                }
                if let Some(d) = &delimiter
                    && chars[i..].starts_with(d)
                {
                    let end = i + d.len();
                    if defines_table(&leading_words(&chars, piece_start, i, 4)) {
                        out[i] = ';';
                        blank(&mut out, i + 1, end);
                    } else {
                        blank(&mut out, piece_start, end);
                    }
                    piece_start = end;
                    at_stmt_start = true;
                    i = end;
                    continue;
                }
                match c {
                    '-' if chars.get(i + 1) == Some(&'-') => {
                        i = line_end(&chars, i);
                        continue;
                    }
                    '#' if mysql => {
                        i = line_end(&chars, i);
                        continue;
                    }
                    '/' if chars.get(i + 1) == Some(&'*') => {
                        let e = find_seq(&chars, i + 2, &['*', '/']).map_or(n, |k| k + 2);
                        if chars.get(i + 2) == Some(&'!') {
                            // mysqldump versioned comment: conditional settings and
                            // table options, never column definitions.
                            blank(&mut out, i, e);
                        }
                        i = e;
                        continue;
                    }
                    '\'' | '"' | '`' => {
                        at_stmt_start = false;
                        i = skip_quoted(&chars, i, mysql);
                        continue;
                    }
                    '$' if !mysql => {
                        if let Some(len) = dollar_tag(&chars, i) {
                            let tag = &chars[i..i + len];
                            i = find_seq(&chars, i + len, tag).map_or(n, |k| k + len);
                            at_stmt_start = false;
                            continue;
                        }
                    }
                    ';' => {
                        at_stmt_start = true;
                        i += 1;
                        continue;
                    }
                    _ => {}
                }
                if at_stmt_start
                    && starts_with_ci(&chars, i, "copy")
                    && !chars.get(i + 4).is_some_and(|c| is_ident_char(*c))
                {
                    // `COPY … FROM stdin;` followed by data lines up to `\.`.
                    let mut j = i;
                    while j < n && chars[j] != ';' {
                        if chars[j] == '\'' {
                            j = skip_quoted(&chars, j, mysql);
                        } else {
                            j += 1;
                        }
                    }
                    let stmt: String = chars[i..j.min(n)]
                        .iter()
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if count_word(&stmt, "stdin") > 0 {
                        let mut k = (j + 1).min(n);
                        let mut data_end = n;
                        while k < n {
                            let e = line_end(&chars, k);
                            let line: String = chars[k..e].iter().collect();
                            if line.trim() == "\\." {
                                data_end = e;
                                break;
                            }
                            k = e + 1;
                        }
                        blank(&mut out, i, data_end);
                        i = data_end;
                        at_stmt_start = true;
                        continue;
                    }
                }
                at_stmt_start = false;
                i += 1;
            }
            if delimiter.is_some() && piece_start < n {
                // An unterminated custom-delimiter block: keep table statements only.
                if !defines_table(&leading_words(&chars, piece_start, n, 4)) {
                    blank(&mut out, piece_start, n);
                }
            }
            out.into_iter().collect()
        }
    }

    /// Pieces of vendor syntax, and ordinary text around them.
    const PIECES: &[&str] = &[
        "\n",
        "\r\n",
        "  ",
        "\t",
        "\u{a0}",
        "é",
        "x",
        ";",
        ";;",
        "\\connect db",
        "\\.",
        "DELIMITER ;;",
        "DELIMITER §",
        "DELIMITER ;",
        "delimiter $$",
        "§",
        "--c\n",
        "#c\n",
        "/*c*/",
        "/*!40101 SET x=1 */",
        "/*",
        "*/",
        "'a''b'",
        "'a\\'b'",
        "'",
        "\"q\"",
        "`q`",
        "$$",
        "$t$",
        "$é$",
        "$1",
        "COPY t (a) FROM stdin;\n1\té\n\\.\n",
        "copy",
        "COPY x",
        "stdin",
        "CREATE TABLE t (a INT)",
        "ALTER TABLE u ADD b TEXT",
        "CREATE TRIGGER x BEGIN END",
        "SELECT 1",
    ];

    proptest::proptest! {
        #[test]
        fn preprocess_matches_reference(
            parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..24),
            flavor in proptest::sample::select(vec![
                Flavor::Postgres,
                Flavor::MySql,
                Flavor::Sqlite,
                Flavor::Unknown,
            ]),
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(
                preprocess(&text, flavor).into_owned(),
                reference::preprocess(&text, flavor)
            );
        }
    }

    #[test]
    fn positions_survive() {
        let src = "/*!40101 SET x=1 */;\nCREATE TABLE t (é INT);\n\\connect db\nCOPY t (a) FROM stdin;\n1\n\\.\nSELECT 1;";
        let out = preprocess(src, Flavor::MySql);
        assert_eq!(out.chars().count(), src.chars().count());
        assert_eq!(out.lines().count(), src.lines().count());
        assert!(out.contains("CREATE TABLE t (é INT);"));
        assert!(!out.contains("SET"));
        assert!(!out.contains("COPY"));
        assert!(out.ends_with("SELECT 1;"));
    }

    #[test]
    fn delimiter_blocks() {
        let src = "DELIMITER ;;\nCREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END ;;\nCREATE TABLE u (email TEXT);;\nDELIMITER ;\nSELECT 1;";
        let out = preprocess(src, Flavor::MySql);
        assert!(!out.contains("TRIGGER"));
        assert!(out.contains("CREATE TABLE u (email TEXT); "));
        assert!(out.contains("SELECT 1;"));
    }

    #[test]
    fn detects_dialects() {
        assert_eq!(
            detect(
                "CREATE TABLE `a` (id INT AUTO_INCREMENT) ENGINE=InnoDB;",
                "x.sql"
            ),
            Flavor::MySql
        );
        assert_eq!(
            detect(
                "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);",
                "x.sql"
            ),
            Flavor::Sqlite
        );
        assert_eq!(
            detect("CREATE TABLE a (id BIGSERIAL, t TIMESTAMPTZ);", "x.sql"),
            Flavor::Postgres
        );
        assert_eq!(detect("CREATE TABLE a (id INT);", "x.sql"), Flavor::Unknown);
    }
}
