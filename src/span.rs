//! Source positions. Every fact and finding carries a [`Span`]: 1-based lines
//! and 1-based columns counted in Unicode code points, as the output contract
//! and all three parsers count them.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    pub fn new(line: u32, column: u32, end_line: u32, end_column: u32) -> Self {
        let (end_line, end_column) = if (end_line, end_column) < (line, column) {
            (line, column)
        } else {
            (end_line, end_column)
        };
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// A span covering a whole line (column 1 to `width`+1).
    pub fn line(line: u32) -> Self {
        Span::new(line, 1, line, 1)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        let start = (self.line, self.column).min((other.line, other.column));
        let end = (self.end_line, self.end_column).max((other.end_line, other.end_column));
        Span::new(start.0, start.1, end.0, end.1)
    }
}

/// Maps between byte offsets, character offsets and (line, column) for one
/// file's text. Built once per file; lookups are binary searches.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        // Room for lines of ordinary length up front; memchr finds the
        // line breaks many bytes at a time.
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { text, starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based (line, column in code points) of a byte offset.
    pub fn position(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.text.len());
        let line = match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = self
            .text
            .get(start..byte)
            .map(|s| s.chars().count())
            .unwrap_or(byte - start);
        (line as u32 + 1, col as u32 + 1)
    }

    pub fn span_of_bytes(&self, start: usize, end: usize) -> Span {
        let (l, c) = self.position(start);
        let (el, ec) = self.position(end);
        Span::new(l, c, el, ec)
    }

    /// Byte offset of a 1-based (line, code-point column); clamps to the line.
    pub fn byte_offset(&self, line: u32, column: u32) -> usize {
        let li = (line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[li];
        let end = self.starts.get(li + 1).copied().unwrap_or(self.text.len());
        let line_text = &self.text[start..end];
        let mut off = start;
        for (n, (i, _)) in line_text.char_indices().enumerate() {
            if n + 1 == column as usize {
                return start + i;
            }
            off = start + i;
        }
        if column <= 1 { start } else { end.max(off) }
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: u32) -> &'a str {
        let li = line.max(1) as usize - 1;
        let Some(&start) = self.starts.get(li) else {
            return "";
        };
        let end = self.starts.get(li + 1).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The last line's number and the column just past its end.
    pub fn end_position(&self) -> (u32, u32) {
        self.position(self.text.len())
    }
}

/// How many times `needle` occurs in `bytes`. Counting into per-chunk u8
/// lanes lets the loop vectorise (a chunk of 255 cannot overflow them).
pub fn count_byte(bytes: &[u8], needle: u8) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == needle))))
        .sum()
}

/// The number of lines of a text, as [`LineIndex::line_count`] counts them.
pub fn line_count(text: &str) -> usize {
    count_byte(text.as_bytes(), b'\n') + 1
}

/// The last line's number and the column just past its end, as
/// [`LineIndex::end_position`] gives them, without building an index.
pub fn end_position(text: &str) -> (u32, u32) {
    let last_start = memchr::memrchr(b'\n', text.as_bytes()).map_or(0, |i| i + 1);
    let col = text.get(last_start..).map_or(0, |s| s.chars().count());
    (line_count(text) as u32, col as u32 + 1)
}

/// Line texts looked up in ascending line order, each found by scanning on
/// from the previous one: cheaper than a [`LineIndex`] when a few lines
/// are wanted and the rest of the file never is.
pub struct LineWalker<'a> {
    text: &'a str,
    /// 1-based number of the line starting at `start`.
    line: u32,
    /// Byte offset of that line's start; None past the last line.
    start: Option<usize>,
}

impl<'a> LineWalker<'a> {
    pub fn new(text: &'a str) -> Self {
        LineWalker {
            text,
            line: 1,
            start: Some(0),
        }
    }

    /// As [`LineIndex::line_text`]; `line` must not be below an earlier one
    /// (an earlier line yields the current one's text).
    pub fn line_text(&mut self, line: u32) -> &'a str {
        let bytes = self.text.as_bytes();
        while self.line < line.max(1) {
            let Some(start) = self.start else {
                return "";
            };
            self.start = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i + 1);
            self.line += 1;
        }
        let Some(start) = self.start else {
            return "";
        };
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points() {
        let idx = LineIndex::new("ab\nçé x\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        // 'x' sits after two 2-byte chars and a space
        assert_eq!(idx.position(8), (2, 4));
        assert_eq!(idx.byte_offset(2, 4), 8);
        assert_eq!(idx.line_text(2), "çé x");
    }

    #[test]
    fn index_free_helpers_agree_with_the_index() {
        for text in [
            "",
            "\n",
            "a",
            "ab\r\n\r\ncd\n",
            "x\ry\nçé\n\nlast\r",
            "one\ntwo\nthree",
        ] {
            let idx = LineIndex::new(text);
            assert_eq!(line_count(text), idx.line_count(), "{text:?}");
            assert_eq!(end_position(text), idx.end_position(), "{text:?}");
            let mut w = LineWalker::new(text);
            for line in [0, 1, 1, 2, 3, 3, 4, 5, 9] {
                assert_eq!(w.line_text(line), idx.line_text(line), "{text:?} {line}");
            }
        }
        assert_eq!(count_byte(&[b'a'; 1000], b'a'), 1000);
    }
}
