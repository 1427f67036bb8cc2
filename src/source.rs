//! Source files as the engine sees them: text, display path and a line index.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A byte range in one source file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span of a syntax node.
    pub fn of(node: tree_sitter::Node<'_>) -> Self {
        Span::new(node.start_byte(), node.end_byte())
    }

    /// Whether `other` lies within this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A 1-based line and column; the column counts bytes, as `go vet` does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
}

/// One Go source file loaded in memory.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to users: relative to the working directory, `/`-separated.
    pub display: Arc<str>,
    /// The file's text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps `text` read from the file shown as `display`.
    pub fn new(display: impl Into<Arc<str>>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            display: display.into(),
            text,
            line_starts,
        }
    }

    /// Number of lines in the file (a trailing newline does not start a new one).
    pub fn line_count(&self) -> usize {
        if self.text.is_empty() {
            0
        } else if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        Position {
            line: line + 1,
            column: offset - self.line_starts[line] + 1,
        }
    }

    /// The byte offset where a 0-based line starts, if the line exists.
    pub fn line_start(&self, line0: usize) -> Option<usize> {
        self.line_starts.get(line0).copied()
    }

    /// The text of the 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(start) = self.line_start(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_start(line)
            .unwrap_or(self.text.len())
            .min(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The leading whitespace of the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> &str {
        let line = self.line_text(self.position(offset).line);
        let trimmed = line.trim_start_matches([' ', '\t']);
        &line[..line.len() - trimmed.len()]
    }

    /// The text under `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_bytes() {
        let f = SourceFile::new("a.go", "ab\ncd\n".to_string());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(4), Position { line: 2, column: 2 });
        assert_eq!(f.line_count(), 2);
        assert_eq!(f.line_text(2), "cd");
    }
}
