//! Opening a dump: a file or stdin, plain or gzip-compressed, read one bounded
//! line at a time so that memory never grows with the dump.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Lines longer than this are cut: no line of a goroutine dump comes close
/// (label sets are the longest), and a dump of garbage must not need a
/// buffer the size of the file.
pub const MAX_LINE: usize = 64 * 1024;

/// The most decompressed text read from one dump: far beyond any real
/// service's dump, and a bound on the time a gzip bomb can take.
pub const MAX_TEXT: u64 = 8 << 30;

/// The first bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A dump opened for reading, line by line.
pub struct DumpReader {
    inner: Box<dyn BufRead>,
    compressed: bool,
    read: u64,
    line: u64,
    /// Lines cut at [`MAX_LINE`].
    pub long_lines: u64,
    /// The stream stopped at [`MAX_TEXT`].
    pub hit_limit: bool,
    buf: Vec<u8>,
}

/// Why a dump cannot be read at all, or stopped early.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be opened.
    Open(io::Error),
    /// Reading failed after `after` bytes of text.
    Read {
        /// The I/O error (for gzip: a corrupt or truncated stream).
        error: io::Error,
        /// Whether the dump is gzip-compressed.
        compressed: bool,
        /// Bytes of text read before the failure.
        after: u64,
    },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Open(e) => write!(f, "cannot open: {e}"),
            InputError::Read {
                error,
                compressed: true,
                after,
            } => write!(
                f,
                "the gzip stream is corrupt or truncated after {after} byte(s) of text: {error}"
            ),
            InputError::Read { error, after, .. } => {
                write!(f, "read failed after {after} byte(s): {error}")
            }
        }
    }
}

impl DumpReader {
    /// Opens `path`, or stdin for `-`.
    pub fn open(path: &Path) -> Result<DumpReader, InputError> {
        let raw: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin())
        } else {
            Box::new(File::open(path).map_err(InputError::Open)?)
        };
        DumpReader::new(raw).map_err(InputError::Open)
    }

    /// Reads from `raw`, decompressing it when it starts as gzip does.
    pub fn new(raw: impl Read + 'static) -> io::Result<DumpReader> {
        let mut raw = BufReader::with_capacity(256 * 1024, raw);
        let head = loop {
            match raw.fill_buf() {
                Ok(b) => break b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let compressed = head.starts_with(&GZIP_MAGIC);
        let inner: Box<dyn BufRead> = if compressed {
            Box::new(BufReader::with_capacity(
                256 * 1024,
                MultiGzDecoder::new(raw).take(MAX_TEXT),
            ))
        } else {
            Box::new(raw.take(MAX_TEXT))
        };
        Ok(DumpReader {
            inner,
            compressed,
            read: 0,
            line: 0,
            long_lines: 0,
            hit_limit: false,
            buf: Vec::with_capacity(1024),
        })
    }

    /// Whether the dump was gzip-compressed.
    pub fn compressed(&self) -> bool {
        self.compressed
    }

    /// Bytes of text read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The 1-based number of the line last returned.
    pub fn line_number(&self) -> u64 {
        self.line
    }

    /// The next line without its line ending, cut at [`MAX_LINE`] bytes;
    /// `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, InputError> {
        self.buf.clear();
        let mut cut = false;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    return Err(InputError::Read {
                        error,
                        compressed: self.compressed,
                        after: self.read,
                    })
                }
            };
            if chunk.is_empty() {
                if self.read >= MAX_TEXT {
                    self.hit_limit = true;
                }
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            let keep = if done { take - 1 } else { take };
            if keep > room {
                cut = true;
            }
            self.buf.extend_from_slice(&chunk[..keep.min(room)]);
            self.inner.consume(take);
            self.read += take as u64;
            if done {
                break;
            }
        }
        if cut {
            self.long_lines += 1;
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.line += 1;
        Ok(Some(&self.buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn lines(r: &mut DumpReader) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(String::from_utf8_lossy(l).into_owned());
        }
        out
    }

    #[test]
    fn plain_lines_with_crlf_and_no_final_newline() {
        let mut r = DumpReader::new(io::Cursor::new(b"a\r\nb\n\nc".to_vec())).unwrap();
        assert_eq!(lines(&mut r), ["a", "b", "", "c"]);
        assert!(!r.compressed());
    }

    #[test]
    fn gzip_is_detected_and_decoded() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"goroutine 1 [running]:\nmain.main()\n")
            .unwrap();
        let bytes = gz.finish().unwrap();
        let mut r = DumpReader::new(io::Cursor::new(bytes)).unwrap();
        assert_eq!(lines(&mut r), ["goroutine 1 [running]:", "main.main()"]);
        assert!(r.compressed());
    }

    #[test]
    fn long_lines_are_cut() {
        let mut text = vec![b'x'; MAX_LINE * 3];
        text.extend_from_slice(b"\nend\n");
        let mut r = DumpReader::new(io::Cursor::new(text)).unwrap();
        let got = lines(&mut r);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].len(), MAX_LINE);
        assert_eq!(got[1], "end");
        assert_eq!(r.long_lines, 1);
    }

    #[test]
    fn truncated_gzip_is_an_error_not_a_panic() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&b"goroutine 1 [running]:\n".repeat(1000))
            .unwrap();
        let mut bytes = gz.finish().unwrap();
        bytes.truncate(bytes.len() / 2);
        let mut r = DumpReader::new(io::Cursor::new(bytes)).unwrap();
        let mut err = None;
        loop {
            match r.next_line() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        let msg = err.expect("a truncated stream fails").to_string();
        assert!(msg.contains("gzip stream is corrupt or truncated"), "{msg}");
    }
}
