//! Source files as the engine sees them: text, display path and a line index;
//! and the one way files are read from disk ([`read_regular`]): only regular
//! files, never more than a size limit, so a named pipe, a link to a device
//! or an endless file cannot stall a run.

use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The largest Go source file read: far beyond hand-written code (the largest
/// generated files of big Go trees are a few MB), small enough that parsing and
/// indexing it stays well under a gigabyte of memory.
pub const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// The largest go.mod, configuration or baseline file read.
pub const MAX_SMALL_FILE_BYTES: u64 = 4 << 20;

/// Why [`read_regular`] read nothing.
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system refused.
    Io(std::io::Error),
    /// The path (after following links) is not a regular file; what it is.
    NotRegular(&'static str),
    /// The file is larger than the limit.
    TooLarge {
        /// Its size (at least), in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::Io(e) => f.write_str(&io_reason(e)),
            ReadFailure::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadFailure::TooLarge { size, limit } => write!(
                f,
                "file too large ({} MiB; the limit is {} MiB): skipped",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
        }
    }
}

/// What a file that is not a regular file is, for messages.
pub fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Reads the regular file at `path` (links followed), at most `limit` bytes.
///
/// The type is checked before opening (opening a named pipe blocks until a
/// writer comes) and again on the opened file, which is opened non-blocking
/// in case the path was swapped meanwhile; the read itself stops past the
/// limit, so a file that grows while read cannot exhaust memory.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let file = open_regular(path, limit)?;
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Opens the regular file at `path` (links followed) if it is at most
/// `limit` bytes long, with [`read_regular`]'s checks, for a caller that
/// reads only part of it.
pub fn open_regular(path: &Path, limit: u64) -> Result<std::fs::File, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
    check_regular(&meta, limit)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    check_regular(&meta, limit)?;
    Ok(file)
}

fn check_regular(meta: &std::fs::Metadata, limit: u64) -> Result<(), ReadFailure> {
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(file_kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

/// Reads a small regular text file (go.mod, configuration, baseline).
pub fn read_small_text(path: &Path) -> Result<String, String> {
    let bytes = read_regular(path, MAX_SMALL_FILE_BYTES).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A short, stable wording of an I/O error for messages.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        // ELOOP: a symbolic link that points (eventually) at itself.
        Some(40) => "too many levels of symbolic links".to_string(),
        _ => match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
            _ => e.to_string(),
        },
    }
}

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
    pub fn of(node: crate::syntax::Node<'_>) -> Self {
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
    /// Byte offset of each line's first byte.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

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
