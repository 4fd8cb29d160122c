//! Errors in our own YAML inputs (rule files, config): exit 2 with a miette
//! diagnostic that points at the exact line and column.

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::span::LineIndex;

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}:{column}: {message}")]
#[diagnostic(code(leakguard::input))]
pub struct InputError {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{message}")]
    pub at: SourceSpan,
}

impl InputError {
    pub fn new(path: &str, text: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        let idx = LineIndex::new(text);
        let (line, column) = (line.max(1), column.max(1));
        let offset = idx.byte_offset(line, column);
        let len = text[offset..]
            .find(['\n', '\r'])
            .unwrap_or(text.len() - offset)
            .clamp(1, 80)
            .min(text.len().saturating_sub(offset));
        InputError {
            path: path.to_string(),
            line,
            column,
            message: message.into(),
            src: NamedSource::new(path, text.to_string()),
            at: (offset, len).into(),
        }
    }

    /// From a serde_yaml error, with its location when it has one.
    pub fn from_serde(path: &str, text: &str, err: &serde_yaml::Error) -> Self {
        let (line, col) = err
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((1, 1));
        // serde_yaml appends "at line N column M"; the diagnostic says it.
        let msg = err.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        InputError::new(path, text, line, col, msg)
    }

    /// Finds the node at `keys` in YAML document `doc` of `text` for an error
    /// about a value that parsed but is wrong (an unknown policy id).
    pub fn at_path(
        path: &str,
        text: &str,
        doc: usize,
        keys: &[PathKey],
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = locate(text, doc, keys).unwrap_or((1, 1));
        InputError::new(path, text, line, col, message)
    }
}

#[derive(Debug, Clone)]
pub enum PathKey<'a> {
    Key(&'a str),
    Index(usize),
}

fn locate(text: &str, doc: usize, keys: &[PathKey]) -> Option<(u32, u32)> {
    use crate::frontend::yaml::tree::{NodeKind, parse};
    let docs = parse(text).ok()?;
    let mut node = docs.get(doc)?;
    let mut best = (node.span.line, node.span.column);
    for k in keys {
        let next = match k {
            PathKey::Key(k) => node.get(k),
            PathKey::Index(i) => match &node.kind {
                NodeKind::Seq(items) => items.get(*i),
                _ => None,
            },
        };
        match next {
            Some(n) => {
                node = n;
                best = (n.span.line, n.span.column);
            }
            None => break,
        }
    }
    Some(best)
}
