//! Source excerpts: the flagged lines with context, read again from disk,
//! split into plain and highlighted pieces. Bounded: each file is read once,
//! long lines are cut to a window around the span, long spans are elided.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::engine::ScannedFile;
use crate::span::Span;

use super::clean_code;

/// Bytes of a source file read at most (the file may have changed since
/// the scan).
const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;
/// Characters of one source line shown at most.
const MAX_LINE_CHARS: usize = 160;
/// Characters shown before the span when a long line is cut.
const LEAD_CHARS: usize = 40;
/// Lines of a multi-line span shown before it is elided.
const MAX_SPAN_LINES: u32 = 8;

#[derive(Debug, Clone, PartialEq)]
pub struct ExcerptLine {
    pub number: u32,
    /// `(text, highlighted)` pieces, already cleaned (not escaped).
    pub pieces: Vec<(String, bool)>,
    /// Part of the flagged span.
    pub flagged: bool,
    /// Characters cut at the start (the text begins with `…`).
    pub cut_start: bool,
}

impl ExcerptLine {
    /// The character range highlighted (for caret lines).
    pub fn highlight_range(&self) -> Option<(usize, usize)> {
        let mut pos = 0;
        let mut range: Option<(usize, usize)> = None;
        for (t, h) in &self.pieces {
            let n = t.chars().count();
            if *h {
                range = Some(match range {
                    Some((s, _)) => (s, pos + n),
                    None => (pos, pos + n),
                });
            }
            pos += n;
        }
        range
    }
}

/// `None` in `lines` marks elided lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    pub lines: Vec<Option<ExcerptLine>>,
}

impl Excerpt {
    pub fn width(&self) -> usize {
        self.lines
            .iter()
            .flatten()
            .map(|l| l.number.to_string().len())
            .max()
            .unwrap_or(1)
    }
}

struct Text {
    text: String,
    /// Byte ranges of each line, without the line break.
    lines: Vec<(usize, usize)>,
}

pub struct Sources {
    fs_paths: BTreeMap<String, PathBuf>,
    texts: BTreeMap<String, Option<Text>>,
}

impl Sources {
    pub fn new(files: &[ScannedFile]) -> Self {
        Sources {
            fs_paths: files
                .iter()
                .map(|f| (f.path.clone(), f.fs_path.clone()))
                .collect(),
            texts: BTreeMap::new(),
        }
    }

    fn text(&mut self, path: &str) -> Option<&Text> {
        if !self.texts.contains_key(path) {
            let t = self
                .fs_paths
                .get(path)
                .and_then(|p| read_capped(p))
                .map(|bytes| {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let mut lines = Vec::new();
                    let mut start = 0;
                    for (i, b) in text.bytes().enumerate() {
                        if b == b'\n' {
                            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                                i - 1
                            } else {
                                i
                            };
                            lines.push((start, end));
                            start = i + 1;
                        }
                    }
                    if start < text.len() {
                        lines.push((start, text.len()));
                    }
                    Text { text, lines }
                });
            self.texts.insert(path.to_string(), t);
        }
        self.texts.get(path).and_then(|t| t.as_ref())
    }

    /// The lines of `span` with `context` lines either side.
    pub fn excerpt(&mut self, path: &str, span: Span, context: u32) -> Option<Excerpt> {
        let t = self.text(path)?;
        let count = t.lines.len() as u32;
        if span.line == 0 || span.line > count {
            return None;
        }
        let end_line = span.end_line.clamp(span.line, count);
        let first = span.line.saturating_sub(context).max(1);
        let last = end_line.saturating_add(context).min(count);
        // Common indentation of the shown lines is dropped (narrow screens).
        let dedent = (first..=last)
            .filter_map(|n| {
                let (s, e) = t.lines[(n - 1) as usize];
                let line = &t.text[s..e];
                let indent = line.chars().take_while(|c| *c == ' ').count();
                (indent < line.chars().count()).then_some(indent)
            })
            .min()
            .unwrap_or(0);
        let mut lines = Vec::new();
        let mut n = first;
        while n <= last {
            let in_span = n >= span.line && n <= end_line;
            if in_span
                && end_line - span.line >= MAX_SPAN_LINES
                && n == span.line + MAX_SPAN_LINES - 2
            {
                lines.push(None);
                n = end_line;
                continue;
            }
            let (s, e) = t.lines[(n - 1) as usize];
            let line = &t.text[s..e];
            lines.push(Some(cut_line(line, n, span, end_line, in_span, dedent)));
            n += 1;
        }
        Some(Excerpt { lines })
    }
}

fn cut_line(
    line: &str,
    n: u32,
    span: Span,
    end_line: u32,
    in_span: bool,
    dedent: usize,
) -> ExcerptLine {
    let chars: Vec<char> = line.chars().collect();
    let len = chars.len();
    let (mut hs, mut he) = (0usize, 0usize);
    if in_span {
        hs = if n == span.line {
            (span.column.max(1) - 1) as usize
        } else {
            // A continuation line: from its first non-blank character.
            chars.iter().take_while(|c| c.is_whitespace()).count()
        };
        he = if n == end_line && end_line == span.end_line {
            (span.end_column.max(1) - 1) as usize
        } else {
            len
        };
        hs = hs.min(len);
        he = he.min(len);
        if he <= hs {
            // A point span: mark the rest of the line's text.
            let trimmed = line.trim_end().chars().count();
            he = trimmed.max(hs);
            if he == hs && hs < len {
                he = hs + 1;
            }
        }
    }
    // The window shown; `base` is the common indentation, not shown.
    let base = dedent.min(len);
    let (ws, we) = if len - base <= MAX_LINE_CHARS {
        (base, len)
    } else if in_span && hs > base + LEAD_CHARS {
        let ws = hs - LEAD_CHARS;
        (ws, (ws + MAX_LINE_CHARS).min(len))
    } else {
        (base, base + MAX_LINE_CHARS)
    };
    let piece = |a: usize, b: usize| -> String {
        let (a, b) = (a.clamp(ws, we), b.clamp(ws, we));
        if a >= b {
            String::new()
        } else {
            clean_code(&chars[a..b].iter().collect::<String>())
        }
    };
    let mut pieces = Vec::new();
    let cut_start = ws > base;
    let mut before = piece(0, if in_span { hs } else { len });
    if cut_start {
        before.insert(0, '…');
    }
    if !before.is_empty() {
        pieces.push((before, false));
    }
    if in_span {
        let mid = piece(hs, he);
        if !mid.is_empty() {
            pieces.push((mid, true));
        }
        let after = piece(he, len);
        if !after.is_empty() {
            pieces.push((after, false));
        }
    }
    if we < len {
        pieces.push(("…".to_string(), false));
    }
    ExcerptLine {
        number: n,
        pieces,
        flagged: in_span,
        cut_start,
    }
}

/// Reads a regular file, at most [`MAX_SOURCE_BYTES`]; `None` otherwise.
fn read_capped(p: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .ok()?
        .take(MAX_SOURCE_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}
