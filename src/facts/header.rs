//! The import paths of a Go file, read from its header without parsing it,
//! the way the go command reads imports (`go/build` stops at the first
//! declaration): enough to order packages before any tree exists.

use std::io::Read;
use std::path::Path;

/// The import paths of a file's header, in order; what cannot be read as a
/// header ends the scan (the parser reports the file's syntax errors later).
pub fn imports(src: &[u8]) -> Vec<String> {
    let mut s = Scanner { src, at: 0 };
    let mut out = Vec::new();
    if s.word() != Some(b"package".as_slice()) || s.word().is_none() {
        return out;
    }
    s.semicolon();
    while s.word() == Some(b"import".as_slice()) {
        if s.punct(b'(') {
            loop {
                if s.punct(b')') {
                    break;
                }
                match s.spec() {
                    Some(p) => out.push(p),
                    None => return out,
                }
                s.semicolon();
            }
        } else {
            match s.spec() {
                Some(p) => out.push(p),
                None => return out,
            }
        }
        s.semicolon();
    }
    out
}

/// How much of a file to read first: headers are rarely longer.
const HEAD: u64 = 16 << 10;

/// The import paths of the file at `path` (empty when it cannot be read, or
/// is not a regular file: a FIFO named like a Go file must not block).
pub fn file_imports(path: &Path) -> Vec<String> {
    let Ok(mut f) = crate::source::open_regular(path, crate::source::MAX_SOURCE_BYTES) else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    if (&mut f).take(HEAD).read_to_end(&mut buf).is_err() {
        return Vec::new();
    }
    if buf.len() as u64 == HEAD && !header_ends_within(&buf) {
        let _ = f.read_to_end(&mut buf);
    }
    imports(&buf)
}

/// Whether the header visibly ends in `buf`: a declaration keyword follows it.
pub fn header_ends_within(buf: &[u8]) -> bool {
    [&b"\nfunc "[..], b"\ntype ", b"\nvar ", b"\nconst "]
        .iter()
        .any(|k| buf.windows(k.len()).any(|w| w == *k))
}

struct Scanner<'s> {
    src: &'s [u8],
    at: usize,
}

impl<'s> Scanner<'s> {
    /// Skips white space and comments; a newline counts as a `;` in Go, but
    /// the header grammar never needs to tell them apart here.
    fn skip(&mut self) {
        loop {
            while self.at < self.src.len() && self.src[self.at].is_ascii_whitespace() {
                self.at += 1;
            }
            let rest = &self.src[self.at..];
            if rest.starts_with(b"//") {
                self.at += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            } else if rest.starts_with(b"/*") {
                self.at += rest[2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(rest.len(), |p| p + 4);
            } else {
                return;
            }
        }
    }

    fn word(&mut self) -> Option<&'s [u8]> {
        self.skip();
        let start = self.at;
        while self.at < self.src.len()
            && (self.src[self.at].is_ascii_alphanumeric()
                || self.src[self.at] == b'_'
                || self.src[self.at] >= 0x80)
        {
            self.at += 1;
        }
        (self.at > start).then(|| &self.src[start..self.at])
    }

    fn punct(&mut self, c: u8) -> bool {
        self.skip();
        if self.src.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn semicolon(&mut self) {
        self.punct(b';');
    }

    /// `[name | . | _] "path"`.
    fn spec(&mut self) -> Option<String> {
        self.skip();
        if !self.punct(b'.') {
            self.word();
        }
        self.skip();
        let quote = *self.src.get(self.at)?;
        if quote != b'"' && quote != b'`' {
            return None;
        }
        let start = self.at + 1;
        let len = self.src[start..]
            .iter()
            .position(|&c| c == quote || c == b'\n')?;
        self.at = start + len + 1;
        if self.src[start + len] != quote {
            return None;
        }
        let path = std::str::from_utf8(&self.src[start..start + len]).ok()?;
        // Import paths hold no escapes in practice; one that does is left out.
        (!path.contains('\\')).then(|| path.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_import_form() {
        let src = br#"// Copyright
/* block
   comment */
package a // trailing

import "fmt"
import h "net/http"; import _ "embed"

import (
	"io"
	. "strings" // dot
	/* c */ x `example.com/m/x`
)

import "after"

func f() {}

import "never"
"#;
        assert_eq!(
            imports(src),
            [
                "fmt",
                "net/http",
                "embed",
                "io",
                "strings",
                "example.com/m/x",
                "after"
            ]
        );
    }

    #[test]
    fn stops_at_what_is_not_a_header() {
        assert!(imports(b"").is_empty());
        assert!(imports(b"import \"fmt\"").is_empty());
        assert_eq!(
            imports(b"package a\nimport (\n\"fmt\"\n\"unterminated"),
            ["fmt"]
        );
        assert_eq!(imports(b"package a\nimport (\n\"io\"\nfunc"), ["io"]);
        assert!(imports(b"package a\nimport /* never closed").is_empty());
    }

    #[test]
    fn long_headers_are_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.go");
        let comment = "// x\n".repeat(5000);
        std::fs::write(&p, format!("package a\n{comment}import \"late\"\n")).unwrap();
        assert_eq!(file_imports(&p), ["late"]);
        assert!(file_imports(&tmp.path().join("missing.go")).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_not_opened() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.go");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening it for reading would block until a writer comes.
            assert!(file_imports(&p).is_empty());
        }
    }
}
