//! The SQL front end: contact columns that `.sql` files define (CREATE
//! TABLE, ALTER TABLE … ADD / RENAME COLUMN), and contact columns that SQL
//! embedded in code creates, inserts or updates.
//!
//! The text is tokenized once with locations (after vendor syntax has been
//! blanked, see [`prep`]); statements are split at top-level `;` and parsed
//! one by one, so a statement sqlparser cannot read is reported with its line
//! and every other statement still counts. A CREATE TABLE that fails to
//! parse still yields its column list from the tokens.

mod prep;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use sqlparser::ast::{
    AlterTableOperation, AssignmentTarget, DataType, Ident, ObjectName, ObjectNamePart, Statement,
    TableFactor, TableObject,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::Ctx;
use crate::facts::{ContactField, DataKind, FactData, FieldOrigin, FileFacts};
use crate::span::Span;
use crate::vocab::Vocabulary;

pub use prep::Flavor;

/// Nesting sqlparser may descend into before it gives up on a statement.
const RECURSION_LIMIT: usize = 64;
/// Tokenizer errors recovered from per file before the rest is given up.
const MAX_TOKENIZE_RETRIES: usize = 64;
/// Embedded SQL longer than this is not a query literal worth parsing.
const MAX_EMBEDDED_LEN: usize = 256 * 1024;

/// A contact column that SQL embedded in code creates, inserts or updates.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedColumn {
    pub table: String,
    pub column: String,
    pub kind: DataKind,
    /// Every column name the statement defines or writes, for platform signals.
    pub sibling_columns: Vec<String>,
}

/// One column a statement names.
#[derive(Debug, Clone)]
struct ColRef {
    name: String,
    ty: Option<String>,
    /// 1-based (line, column, end line, end column); line 0 when unknown.
    span: Span,
}

/// The columns one statement defines (or, for embedded SQL, writes) in
/// one table.
#[derive(Debug, Clone)]
struct TableCols {
    table: String,
    cols: Vec<ColRef>,
}

fn dialects_for(flavor: Flavor) -> Vec<Box<dyn Dialect>> {
    match flavor {
        Flavor::Postgres => vec![Box::new(PostgreSqlDialect {}), Box::new(GenericDialect {})],
        Flavor::MySql => vec![Box::new(MySqlDialect {}), Box::new(GenericDialect {})],
        Flavor::Sqlite => vec![Box::new(SQLiteDialect {}), Box::new(GenericDialect {})],
        Flavor::Unknown => vec![
            Box::new(GenericDialect {}),
            Box::new(PostgreSqlDialect {}),
            Box::new(MySqlDialect {}),
            Box::new(SQLiteDialect {}),
        ],
    }
}

fn span_of(s: &sqlparser::tokenizer::Span) -> Span {
    Span::new(
        s.start.line as u32,
        s.start.column as u32,
        s.end.line as u32,
        s.end.column as u32,
    )
}

/// Tokenizes with locations. A tokenizer error (an unterminated string or
/// quote) is reported, the rest of its line blanked, and tokenizing retried,
/// so one bad literal does not hide the file.
fn tokenize_recovering(
    text: &str,
    dialect: &dyn Dialect,
    errors: &mut Vec<(u32, String)>,
) -> Vec<TokenWithSpan> {
    let mut chars: Option<Vec<char>> = None;
    let mut owned: Option<String> = None;
    // Every retry tokenizes the whole text again: fewer for large files.
    let retries = if text.len() > 1024 * 1024 {
        4
    } else {
        MAX_TOKENIZE_RETRIES
    };
    for _ in 0..retries {
        let cur = owned.as_deref().unwrap_or(text);
        match Tokenizer::new(dialect, cur).tokenize_with_location() {
            Ok(tokens) => return tokens,
            Err(e) => {
                let line = e.location.line.max(1) as u32;
                let col = e.location.column.max(1) as usize;
                errors.push((line, e.message.clone()));
                let cs = chars.get_or_insert_with(|| cur.chars().collect());
                // Char index of (line, col).
                let mut l = 1u32;
                let mut at = None;
                let mut c = 1usize;
                for (i, ch) in cs.iter().enumerate() {
                    if l == line && c == col {
                        at = Some(i);
                        break;
                    }
                    if *ch == '\n' {
                        l += 1;
                        c = 1;
                    } else {
                        c += 1;
                    }
                }
                // Blank the offending character (an opening quote that
                // never closes) so the rest of the line reads as code; when
                // the error points past the text, blank the line it names.
                let start = match at {
                    Some(i) if i + 1 < cs.len() && cs[i] != ' ' => {
                        cs[i] = ' ';
                        owned = Some(cs.iter().collect());
                        continue;
                    }
                    _ => {
                        let mut l = 1u32;
                        let mut start = cs.len();
                        for (i, ch) in cs.iter().enumerate() {
                            if l == line {
                                start = i;
                                break;
                            }
                            if *ch == '\n' {
                                l += 1;
                            }
                        }
                        start
                    }
                };
                let mut changed = false;
                for ch in cs.iter_mut().skip(start) {
                    if *ch == '\n' {
                        break;
                    }
                    if *ch != ' ' {
                        *ch = ' ';
                        changed = true;
                    }
                }
                if !changed {
                    return Vec::new();
                }
                owned = Some(cs.iter().collect());
            }
        }
    }
    Vec::new()
}

fn is_ws(t: &TokenWithSpan) -> bool {
    matches!(t.token, Token::Whitespace(_))
}

fn word_kw(t: &TokenWithSpan) -> Option<Keyword> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    }
}

fn next_sig(tokens: &[TokenWithSpan], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&i| !is_ws(&tokens[i]))
}

/// Splits a token stream into statements at top-level `;`. Inside a
/// routine or trigger body (`BEGIN … END`) and `CASE … END`, a `;` does not
/// end the statement.
fn split_statements(tokens: &[TokenWithSpan]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut first: Option<Keyword> = None;
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < tokens.len() {
        let t = &tokens[i];
        if is_ws(t) {
            i += 1;
            continue;
        }
        match &t.token {
            Token::SemiColon if depth == 0 => {
                out.push(start..i);
                start = i + 1;
                first = None;
                i += 1;
                continue;
            }
            Token::EOF => break,
            _ => {}
        }
        let kw = word_kw(t);
        if first.is_none() {
            first = Some(kw.unwrap_or(Keyword::NoKeyword));
        } else if let Some(kw) = kw {
            match kw {
                Keyword::BEGIN if first == Some(Keyword::CREATE) => depth += 1,
                Keyword::CASE => depth += 1,
                Keyword::END if depth > 0 => {
                    let next = next_sig(tokens, i + 1);
                    let next_word = next
                        .and_then(|n| word_value(&tokens[n]))
                        .map(str::to_ascii_uppercase);
                    match next_word.as_deref() {
                        Some("IF" | "LOOP" | "WHILE" | "REPEAT" | "FOR") => {}
                        Some("CASE") => {
                            depth -= 1;
                            i = next.unwrap_or(i) + 1;
                            continue;
                        }
                        _ => depth -= 1,
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    if tokens[start.min(tokens.len())..]
        .iter()
        .any(|t| !is_ws(t) && t.token != Token::EOF)
    {
        out.push(start..tokens.len());
    }
    out
}

fn last_ident(name: &ObjectName) -> Option<&Ident> {
    match name.0.last()? {
        ObjectNamePart::Identifier(i) => Some(i),
        ObjectNamePart::Function(_) => None,
    }
}

fn col(ident: &Ident, ty: Option<&DataType>) -> ColRef {
    let ty = ty
        .filter(|t| !matches!(t, DataType::Unspecified))
        .map(|t| t.to_string())
        .filter(|t| !t.is_empty());
    ColRef {
        name: ident.value.clone(),
        ty,
        span: span_of(&ident.span),
    }
}

/// The columns a parsed statement defines (and, with `writes`, inserts or
/// updates).
fn columns_of(stmt: &Statement, writes: bool) -> Option<TableCols> {
    match stmt {
        Statement::CreateTable(ct) => Some(TableCols {
            table: last_ident(&ct.name)?.value.clone(),
            cols: ct
                .columns
                .iter()
                .map(|c| col(&c.name, Some(&c.data_type)))
                .collect(),
        }),
        Statement::AlterTable(at) => {
            let mut cols = Vec::new();
            for op in &at.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        cols.push(col(&column_def.name, Some(&column_def.data_type)));
                    }
                    AlterTableOperation::RenameColumn {
                        new_column_name, ..
                    } => cols.push(col(new_column_name, None)),
                    AlterTableOperation::ChangeColumn {
                        new_name,
                        data_type,
                        ..
                    } => cols.push(col(new_name, Some(data_type))),
                    _ => {}
                }
            }
            Some(TableCols {
                table: last_ident(&at.name)?.value.clone(),
                cols,
            })
        }
        Statement::Insert(ins) if writes => {
            let TableObject::TableName(name) = &ins.table else {
                return None;
            };
            Some(TableCols {
                table: last_ident(name)?.value.clone(),
                cols: ins
                    .columns
                    .iter()
                    .filter_map(last_ident)
                    .map(|i| col(i, None))
                    .collect(),
            })
        }
        Statement::Update(up) if writes => {
            let table = match &up.table.relation {
                TableFactor::Table { name, .. } => last_ident(name)?.value.clone(),
                _ => String::new(),
            };
            let mut cols = Vec::new();
            for a in &up.assignments {
                match &a.target {
                    AssignmentTarget::ColumnName(n) => {
                        cols.extend(last_ident(n).map(|i| col(i, None)))
                    }
                    AssignmentTarget::Tuple(ns) => {
                        cols.extend(ns.iter().filter_map(last_ident).map(|i| col(i, None)))
                    }
                }
            }
            Some(TableCols { table, cols })
        }
        _ => None,
    }
}

/// MySQL and SQLite read `ADD COLUMN IF NOT EXISTS x` as a column named
/// `IF`: such a result must be parsed again with another dialect.
fn fell_into_if_trap(stmt: &Statement) -> bool {
    let Statement::AlterTable(at) = stmt else {
        return false;
    };
    at.operations.iter().any(|op| {
        matches!(op, AlterTableOperation::AddColumn { column_def, .. }
            if column_def.name.quote_style.is_none() && column_def.name.value.eq_ignore_ascii_case("if"))
    })
}

fn parser_message(e: &ParserError) -> String {
    match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "nesting too deep".to_string(),
    }
}

/// Parses one statement's tokens with each dialect in turn; the first that
/// reads the whole statement wins, else the first partial read. The parser
/// never changes its tokens, so each attempt hands them on to the next
/// instead of copying them; they come back with the result.
fn parse_one(
    mut tokens: Vec<TokenWithSpan>,
    dialects: &[Box<dyn Dialect>],
) -> (Result<Statement, String>, Vec<TokenWithSpan>) {
    let mut first_err: Option<String> = None;
    let mut partial: Option<Statement> = None;
    for d in dialects {
        let mut p = Parser::new(d.as_ref())
            .with_recursion_limit(RECURSION_LIMIT)
            .with_tokens_with_locations(tokens);
        let result = p.parse_statement();
        let complete = matches!(p.peek_token_ref().token, Token::EOF | Token::SemiColon);
        tokens = p.into_tokens();
        match result {
            Ok(stmt) => {
                if fell_into_if_trap(&stmt) {
                    continue;
                }
                if complete {
                    return (Ok(stmt), tokens);
                }
                if partial.is_none() {
                    partial = Some(stmt);
                }
            }
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(parser_message(&e));
                }
            }
        }
    }
    let result =
        partial.ok_or_else(|| first_err.unwrap_or_else(|| "unreadable statement".to_string()));
    (result, tokens)
}

fn sig_tokens(tokens: &[TokenWithSpan]) -> Vec<&TokenWithSpan> {
    tokens.iter().filter(|t| !is_ws(t)).collect()
}

fn word_value(t: &TokenWithSpan) -> Option<&str> {
    match &t.token {
        Token::Word(w) => Some(&w.value),
        _ => None,
    }
}

fn is_kw(t: &TokenWithSpan, kw: Keyword) -> bool {
    word_kw(t) == Some(kw)
}

/// Table name tokens starting at `i` (`schema.table`, quoted parts): the
/// last part and the index after the name.
fn read_name(sig: &[&TokenWithSpan], mut i: usize) -> Option<(String, usize)> {
    let mut name = word_value(sig.get(i)?)?.to_string();
    i += 1;
    while sig.get(i).is_some_and(|t| t.token == Token::Period) {
        name = word_value(sig.get(i + 1)?)?.to_string();
        i += 2;
    }
    Some((name, i))
}

/// Splits the tokens between a `(` at `open` and its matching `)` into
/// top-level comma-separated items; None when the parenthesis never closes.
fn paren_items<'a>(
    sig: &[&'a TokenWithSpan],
    open: usize,
) -> Option<(Vec<Vec<&'a TokenWithSpan>>, usize)> {
    if sig.get(open)?.token != Token::LParen {
        return None;
    }
    let mut depth = 0usize;
    let mut items = vec![Vec::new()];
    for (k, t) in sig.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some((items, k + 1));
                }
            }
            Token::Comma if depth == 1 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = items.last_mut() {
            last.push(*t);
        }
    }
    None
}

/// Token-level reading of a statement the parser rejected: the column list
/// of a CREATE TABLE, and (with `writes`) INSERT column lists and UPDATE
/// SET targets.
fn fallback_columns(tokens: &[TokenWithSpan], writes: bool) -> Option<TableCols> {
    let sig = sig_tokens(tokens);
    let first = word_kw(sig.first()?)?;
    match first {
        Keyword::CREATE => {
            let mut i = 1;
            while sig.get(i).is_some_and(|t| {
                matches!(
                    word_kw(t),
                    Some(
                        Keyword::OR
                            | Keyword::REPLACE
                            | Keyword::TEMP
                            | Keyword::TEMPORARY
                            | Keyword::UNLOGGED
                            | Keyword::GLOBAL
                            | Keyword::LOCAL
                    )
                )
            }) {
                i += 1;
            }
            if !is_kw(sig.get(i)?, Keyword::TABLE) {
                return None;
            }
            i += 1;
            if is_kw(sig.get(i)?, Keyword::IF) {
                i += 3;
            }
            let (table, i) = read_name(&sig, i)?;
            let (items, _) = paren_items(&sig, i)?;
            let mut cols = Vec::new();
            for item in items {
                let Some(head) = item.first() else { continue };
                let Token::Word(w) = &head.token else {
                    continue;
                };
                if w.quote_style.is_none()
                    && matches!(
                        w.keyword,
                        Keyword::CONSTRAINT
                            | Keyword::PRIMARY
                            | Keyword::UNIQUE
                            | Keyword::KEY
                            | Keyword::INDEX
                            | Keyword::FOREIGN
                            | Keyword::CHECK
                            | Keyword::EXCLUDE
                            | Keyword::LIKE
                            | Keyword::FULLTEXT
                            | Keyword::SPATIAL
                            | Keyword::PERIOD
                    )
                {
                    continue;
                }
                let ty = item.get(1).and_then(|t| word_value(t)).map(str::to_string);
                cols.push(ColRef {
                    name: w.value.clone(),
                    ty,
                    span: span_of(&head.span),
                });
            }
            Some(TableCols { table, cols })
        }
        // `ALTER TABLE t ADD (a TEXT, b TEXT)` (MySQL, Oracle) and other ADD
        // clauses sqlparser rejects: the added columns' names and types.
        Keyword::ALTER => {
            if !is_kw(sig.get(1)?, Keyword::TABLE) {
                return None;
            }
            let mut i = 2;
            while sig.get(i).is_some_and(|t| {
                matches!(
                    word_kw(t),
                    Some(Keyword::ONLY | Keyword::IF | Keyword::EXISTS)
                )
            }) {
                i += 1;
            }
            let (table, mut i) = read_name(&sig, i)?;
            let mut cols = Vec::new();
            let mut depth = 0usize;
            let mut clause_start = true;
            while i < sig.len() {
                let t = sig[i];
                match t.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth = depth.saturating_sub(1),
                    Token::Comma if depth == 0 => clause_start = true,
                    _ if depth == 0 && clause_start => {
                        clause_start = false;
                        if is_kw(t, Keyword::ADD) {
                            let mut j = i + 1;
                            while sig.get(j).is_some_and(|t| {
                                matches!(
                                    word_kw(t),
                                    Some(
                                        Keyword::COLUMN
                                            | Keyword::IF
                                            | Keyword::NOT
                                            | Keyword::EXISTS
                                    )
                                )
                            }) {
                                j += 1;
                            }
                            match sig.get(j).map(|t| &t.token) {
                                Some(Token::LParen) => {
                                    if let Some((items, end)) = paren_items(&sig, j) {
                                        for item in items {
                                            cols.extend(added_column(&item));
                                        }
                                        i = end;
                                        continue;
                                    }
                                }
                                Some(_) => {
                                    // Not a constraint or index being added.
                                    let rest: Vec<&TokenWithSpan> = sig[j..]
                                        .iter()
                                        .take_while(|t| !matches!(t.token, Token::Comma))
                                        .copied()
                                        .collect();
                                    cols.extend(added_column(&rest));
                                }
                                None => {}
                            }
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            Some(TableCols { table, cols })
        }
        Keyword::INSERT | Keyword::REPLACE if writes => {
            let mut i = 1;
            while sig.get(i).is_some_and(|t| {
                matches!(
                    word_kw(t),
                    Some(Keyword::INTO | Keyword::IGNORE | Keyword::OR | Keyword::REPLACE)
                )
            }) {
                i += 1;
            }
            let (table, i) = read_name(&sig, i)?;
            let (items, _) = paren_items(&sig, i)?;
            let cols = items
                .iter()
                .filter_map(|item| {
                    let t = item.last()?;
                    let name = word_value(t)?;
                    Some(ColRef {
                        name: name.to_string(),
                        ty: None,
                        span: span_of(&t.span),
                    })
                })
                .collect();
            Some(TableCols { table, cols })
        }
        Keyword::UPDATE if writes => {
            let (table, mut i) = read_name(&sig, 1).unwrap_or_default();
            while i < sig.len() && !is_kw(sig[i], Keyword::SET) {
                i += 1;
            }
            let mut cols = Vec::new();
            let mut depth = 0usize;
            let mut expect_target = true;
            for k in i + 1..sig.len() {
                let t = sig[k];
                match t.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth = depth.saturating_sub(1),
                    Token::Comma if depth == 0 => expect_target = true,
                    Token::Eq if depth == 0 && expect_target => {
                        // The target is the word just before `=`.
                        if let Some(prev) = k.checked_sub(1).map(|p| sig[p])
                            && let Some(name) = word_value(prev)
                        {
                            cols.push(ColRef {
                                name: name.to_string(),
                                ty: None,
                                span: span_of(&prev.span),
                            });
                        }
                        expect_target = false;
                    }
                    _ => {
                        if depth == 0
                            && matches!(
                                word_kw(t),
                                Some(Keyword::WHERE | Keyword::FROM | Keyword::RETURNING)
                            )
                        {
                            break;
                        }
                    }
                }
            }
            Some(TableCols { table, cols })
        }
        _ => None,
    }
}

/// The column a `name type …` item of an ADD clause defines; none for
/// constraints, keys and indexes.
fn added_column(item: &[&TokenWithSpan]) -> Option<ColRef> {
    let head = item.first()?;
    let Token::Word(w) = &head.token else {
        return None;
    };
    if w.quote_style.is_none()
        && matches!(
            w.keyword,
            Keyword::CONSTRAINT
                | Keyword::PRIMARY
                | Keyword::UNIQUE
                | Keyword::KEY
                | Keyword::INDEX
                | Keyword::FOREIGN
                | Keyword::CHECK
                | Keyword::FULLTEXT
                | Keyword::SPATIAL
                | Keyword::PARTITION
        )
    {
        return None;
    }
    // A column definition has a type after its name.
    let ty = item.get(1).and_then(|t| word_value(t))?;
    Some(ColRef {
        name: w.value.clone(),
        ty: Some(ty.to_string()),
        span: span_of(&head.span),
    })
}

fn first_word(tokens: &[TokenWithSpan]) -> Option<(Keyword, u32)> {
    let t = tokens.iter().find(|t| !is_ws(t))?;
    Some((
        word_kw(t).unwrap_or(Keyword::NoKeyword),
        t.span.start.line as u32,
    ))
}

/// Statement kinds that never define columns and that sqlparser 0.64 does
/// not know (`DO $$ … $$`) or reads only in part (engine pragmas and
/// maintenance): skipped without an error.
const SKIPPED_STATEMENTS: &[&str] = &[
    "DO",
    "PRAGMA",
    "VACUUM",
    "REINDEX",
    "CHECKPOINT",
    "CLUSTER",
    "LOCK",
    "UNLOCK",
    "USE",
];

fn skip_silently(tokens: &[TokenWithSpan]) -> bool {
    match tokens.iter().find(|t| !is_ws(t)) {
        Some(t) => match &t.token {
            Token::Word(w) if w.quote_style.is_none() => SKIPPED_STATEMENTS
                .iter()
                .any(|s| w.value.eq_ignore_ascii_case(s)),
            Token::Backslash => true,
            _ => false,
        },
        None => true,
    }
}

/// Data statements (`INSERT`, `REPLACE`) in a `.sql` file define nothing;
/// in a large dump they are most of the text, so they are not parsed.
fn is_data_statement(tokens: &[TokenWithSpan]) -> bool {
    tokens
        .iter()
        .find(|t| !is_ws(t))
        .is_some_and(|t| matches!(word_kw(t), Some(Keyword::INSERT | Keyword::REPLACE)))
}

struct Reading {
    tables: Vec<TableCols>,
    errors: Vec<(u32, String)>,
}

fn read_sql(text: &str, flavor: Flavor, writes: bool) -> Reading {
    let dialects = dialects_for(flavor);
    let mut errors = Vec::new();
    let tokens = match dialects.first() {
        Some(d) => tokenize_recovering(text, d.as_ref(), &mut errors),
        None => Vec::new(),
    };
    let mut errors: Vec<(u32, String)> = errors
        .into_iter()
        .map(|(l, m)| (l, format!("could not read SQL at line {l}: {m}")))
        .collect();
    let mut tables = Vec::new();
    let ranges = split_statements(&tokens);
    // The statements' tokens are moved out of the file's, not copied: the
    // ranges are ascending and disjoint.
    let mut rest = tokens.into_iter();
    let mut at = 0usize;
    for range in ranges {
        if range.start > at {
            rest.nth(range.start - at - 1);
        }
        let stmt_tokens: Vec<TokenWithSpan> = rest
            .by_ref()
            .take(range.end.saturating_sub(range.start))
            .collect();
        at = range.end.max(at);
        let Some((_, line)) = first_word(&stmt_tokens) else {
            continue;
        };
        if skip_silently(&stmt_tokens) || (!writes && is_data_statement(&stmt_tokens)) {
            continue;
        }
        match parse_one(stmt_tokens, &dialects) {
            (Ok(stmt), _) => tables.extend(columns_of(&stmt, writes)),
            (Err(msg), stmt_tokens) => {
                errors.push((
                    line,
                    format!("could not parse statement at line {line}: {msg}"),
                ));
                tables.extend(fallback_columns(&stmt_tokens, writes));
            }
        }
    }
    // One error per line: a bad literal is reported once, not again by the
    // statement it broke.
    let mut seen = BTreeSet::new();
    errors.retain(|(l, _)| seen.insert(*l));
    Reading { tables, errors }
}

/// Analyses a `.sql` file: one [`ContactField`] per contact column defined.
pub fn analyze(text: &str, ctx: &Ctx) -> FileFacts {
    let mut facts = FileFacts::default();
    let flavor = prep::detect(text, ctx.path);
    let prepared = prep::preprocess(text, flavor);
    let reading = read_sql(&prepared, flavor, false);
    for (line, msg) in reading.errors {
        facts.error(Some(line), msg);
    }
    let classifier = &ctx.vocab.classifier;
    // Every column the file names per table, for platform signals.
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &reading.tables {
        let entry = names.entry(t.table.to_lowercase()).or_default();
        entry.insert(t.table.clone());
        entry.extend(t.cols.iter().map(|c| c.name.clone()));
    }
    // A table's signals, computed once however many contact columns it has.
    let mut signals_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &reading.tables {
        for c in &t.cols {
            let Some(kind) = classifier.classify(&c.name, c.ty.as_deref()) else {
                continue;
            };
            if c.span.line == 0 {
                continue;
            }
            let table = t.table.to_lowercase();
            let signals = match signals_of.get(&table) {
                Some(s) => s.clone(),
                None => {
                    let s = names
                        .get(&table)
                        .map(|n| classifier.platform_signals(n.iter().map(String::as_str)))
                        .unwrap_or_default();
                    signals_of.insert(table, s.clone());
                    s
                }
            };
            facts.push(
                c.span,
                FactData::ContactField(ContactField {
                    container: t.table.clone(),
                    name: c.name.clone(),
                    kind,
                    origin: FieldOrigin::SqlColumn,
                    platform_signals: signals,
                    store_family: Some("relational".into()),
                    store_engine: flavor.engine().map(str::to_string),
                }),
            );
        }
    }
    facts
}

/// Replaces `format!`-style holes (`{}`, `{table}`) outside quotes with an
/// identifier so the SQL around them still parses.
fn fill_format_holes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' || c == '`' {
            quote = Some(c);
        }
        if c == '{' {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | ':' | '?' | '.'))
            {
                j += 1;
            }
            if chars.get(j) == Some(&'}') {
                out.push_str("fmt_hole");
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Contact columns written by SQL found in a string literal (CREATE TABLE,
/// ALTER TABLE ADD, INSERT, UPDATE; never SELECT/DELETE/WHERE).
pub fn embedded_contact_columns(sql: &str, vocab: &Vocabulary) -> Vec<EmbeddedColumn> {
    if sql.len() > MAX_EMBEDDED_LEN {
        return Vec::new();
    }
    let lower = sql.to_ascii_lowercase();
    if !["create", "alter", "insert", "update", "replace"]
        .iter()
        .any(|k| lower.contains(k))
    {
        return Vec::new();
    }
    let text = fill_format_holes(sql);
    let reading = read_sql(&text, Flavor::Unknown, true);
    let mut out = Vec::new();
    for t in reading.tables {
        let siblings: Vec<String> = t.cols.iter().map(|c| c.name.clone()).collect();
        for c in &t.cols {
            if let Some(kind) = vocab.classifier.classify(&c.name, c.ty.as_deref()) {
                out.push(EmbeddedColumn {
                    table: t.table.clone(),
                    column: c.name.clone(),
                    kind,
                    sibling_columns: siblings.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(sql: &str) -> Vec<(String, String)> {
        embedded_contact_columns(sql, &Vocabulary::builtin())
            .into_iter()
            .map(|c| (c.table, c.column))
            .collect()
    }

    #[test]
    fn embedded_writes_only() {
        assert_eq!(
            cols("INSERT INTO creators (handle, email) VALUES ($1, $2)"),
            [("creators".to_string(), "email".to_string())]
        );
        assert_eq!(
            cols("UPDATE creators SET phone = ?, updated_at = now() WHERE email = ?"),
            [("creators".to_string(), "phone".to_string())]
        );
        assert!(cols("SELECT email, phone FROM creators WHERE email = $1").is_empty());
        assert!(cols("DELETE FROM creators WHERE phone = :phone").is_empty());
        assert_eq!(cols("INSERT INTO {} (email) VALUES (:email)").len(), 1);
    }
}
