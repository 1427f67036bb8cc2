//! JSON-RPC framing over stdio, tolerant of bad input: a frame whose body is
//! not JSON, or not a JSON-RPC message, is answered with the matching error
//! and the stream goes on (a reader that stopped at the first bad byte would
//! leave the editor with a dead server).

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message};
use serde_json::Value;
use std::io::{BufRead, Read, Write};

/// What the reader hands the server loop.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A frame that could not be understood; the reply has already been sent.
    Malformed(String),
}

/// The largest message accepted (a 64 MiB buffer is far beyond any Go file).
const MAX_CONTENT_LENGTH: usize = 64 << 20;

/// The longest header line kept: real ones are a few dozen bytes. Past it,
/// only the line's tail is kept (where a `Content-Length:` glued to stray
/// bytes would be), so no input makes the reader buffer without bound.
const MAX_HEADER_LINE: usize = 4 << 10;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// Reads frames from `input` until end of input, sending each to `tx`;
/// replies to malformed frames through `out`.
///
/// Bytes that are not a header (a stray byte between frames, a body longer
/// than its Content-Length said) are skipped up to the next `Content-Length:`
/// header, wherever on a line it starts, and answered with one parse error:
/// one bad byte never costs the messages after it.
pub fn read_loop(mut input: impl BufRead, tx: Sender<Incoming>, out: Sender<Value>) {
    let parse_error = |why: String| {
        let _ = out.send(error_reply(Value::Null, ErrorCode::ParseError, &why));
        tx.send(Incoming::Malformed(why)).is_ok()
    };
    loop {
        let len = match read_headers(&mut input) {
            Ok(Header::Frame { len, skipped }) => {
                if let Some(why) = skipped {
                    if !parse_error(why) {
                        return;
                    }
                }
                len
            }
            Ok(Header::Garbage(why)) => {
                if !parse_error(why) {
                    return;
                }
                continue;
            }
            Ok(Header::End) | Err(_) => return,
        };
        if len > MAX_CONTENT_LENGTH {
            if !parse_error(format!("frame of {len} bytes is too large")) {
                return;
            }
            // Skip the body without holding it.
            if std::io::copy(&mut (&mut input).take(len as u64), &mut std::io::sink()).is_err() {
                return;
            }
            continue;
        }
        let mut body = vec![0; len];
        if input.read_exact(&mut body).is_err() {
            return;
        }
        let incoming = decode(&body, &out);
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if tx.send(incoming).is_err() || is_exit {
            return;
        }
    }
}

/// One header block.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    /// A usable Content-Length; `skipped` says what stray input came before it.
    Frame { len: usize, skipped: Option<String> },
    /// A block without a usable Content-Length, skipped.
    Garbage(String),
    /// End of input.
    End,
}

/// One line of input, at most [`MAX_HEADER_LINE`] bytes of it.
#[derive(Debug)]
struct Line {
    /// The line (its tail when `truncated`), without the line ending.
    bytes: Vec<u8>,
    /// Whether the line was longer and its head dropped.
    truncated: bool,
}

/// Reads up to a `\n`, keeping at most [`MAX_HEADER_LINE`] bytes (the last
/// ones); `None` at end of input.
fn read_line_bounded(input: &mut impl BufRead) -> std::io::Result<Option<Line>> {
    let mut bytes = Vec::new();
    let mut truncated = false;
    let mut read_any = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], i + 1),
            None => (buf, buf.len()),
        };
        bytes.extend_from_slice(chunk);
        let found_end = done > chunk.len();
        input.consume(done);
        if bytes.len() > MAX_HEADER_LINE {
            bytes.drain(..bytes.len() - MAX_HEADER_LINE);
            truncated = true;
        }
        if found_end {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    Ok(Some(Line { bytes, truncated }))
}

/// Where `Content-Length:` starts in `line`, in any case.
fn find_content_length(line: &[u8]) -> Option<usize> {
    line.windows(CONTENT_LENGTH.len())
        .position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// Whether `line` looks like a header: a token, a colon, a value.
fn is_header_line(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(i) if i > 0 => line[..i]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        _ => false,
    }
}

/// Reads one header block, resynchronising on the next `Content-Length:`.
fn read_headers(input: &mut impl BufRead) -> std::io::Result<Header> {
    let mut len: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut seen_any = false;
    loop {
        let Some(line) = read_line_bounded(input)? else {
            return Ok(Header::End);
        };
        let bytes = &line.bytes;
        if bytes.is_empty() && !line.truncated {
            if !seen_any {
                continue;
            }
            return Ok(match len {
                Some(len) => Header::Frame {
                    len,
                    skipped: problem,
                },
                None => Header::Garbage(
                    problem.unwrap_or_else(|| "parse error: frame without Content-Length".into()),
                ),
            });
        }
        seen_any = true;
        let note = |problem: &mut Option<String>, why: &str| {
            problem
                .get_or_insert_with(|| format!("parse error: {why}; skipped to the next header"));
        };
        if line.truncated {
            note(&mut problem, "header line too long");
        }
        match find_content_length(bytes) {
            Some(at) => {
                if at > 0 {
                    note(&mut problem, "stray bytes before a header");
                    // Whatever came before is dropped: this header starts a new block.
                    len = None;
                }
                let value = String::from_utf8_lossy(&bytes[at + CONTENT_LENGTH.len()..]);
                match value.trim().parse() {
                    Ok(n) => len = Some(n),
                    Err(_) => note(&mut problem, "invalid Content-Length"),
                }
            }
            None if is_header_line(bytes) && !line.truncated => {}
            None => note(&mut problem, "stray bytes between messages"),
        }
    }
}

fn decode(body: &[u8], out: &Sender<Value>) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let why = format!("parse error: {e}");
            let _ = out.send(error_reply(Value::Null, ErrorCode::ParseError, &why));
            return Incoming::Malformed(why);
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let is_request = value.get("method").is_some() && value.get("id").is_some();
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(e) => {
            let why = format!("invalid request: {e}");
            // Notifications get no reply, even bad ones; anything else does.
            let id = if is_request || id.is_null() {
                id
            } else {
                Value::Null
            };
            let _ = out.send(error_reply(id, ErrorCode::InvalidRequest, &why));
            Incoming::Malformed(why)
        }
    }
}

fn error_reply(id: Value, code: ErrorCode, message: &str) -> Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    })
}

/// The JSON form of a message, with the `jsonrpc` member.
pub fn to_json(msg: &Message) -> Value {
    let mut v = serde_json::to_value(msg).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("jsonrpc".into(), Value::from("2.0"));
    }
    v
}

/// Sent to [`write_loop`] to make it stop: `null` is never a message.
pub const STOP: Value = Value::Null;

/// Writes every value from `rx` to `output` as a frame, until the channel
/// closes or [`STOP`] arrives.
pub fn write_loop(mut output: impl Write, rx: Receiver<Value>) {
    for v in rx {
        if v == STOP {
            return;
        }
        let body = v.to_string();
        let ok = write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|_| output.flush());
        if ok.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> (Vec<Incoming>, Vec<Value>) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let (otx, orx) = crossbeam_channel::unbounded();
        read_loop(std::io::Cursor::new(input.as_bytes().to_vec()), tx, otx);
        (rx.try_iter().collect(), orx.try_iter().collect())
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_answered_and_skipped() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":3,"method":"x","params":null}"#),
            "X-Nothing: 1\r\n\r\n".to_string(),
            frame(r#"[1,2]"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#),
        ]
        .concat();
        let (msgs, replies) = frames(&input);
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(matches!(&msgs[1], Incoming::Message(Message::Request(r)) if r.method == "x"));
        assert!(
            matches!(&msgs[4], Incoming::Message(Message::Notification(n)) if n.method == "exit")
        );
        let codes: Vec<&Value> = replies.iter().map(|r| &r["error"]["code"]).collect();
        assert_eq!(codes, [-32700, -32700, -32600]);
    }

    fn exit_frame() -> String {
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
    }

    fn methods(msgs: &[Incoming]) -> Vec<String> {
        msgs.iter()
            .filter_map(|m| match m {
                Incoming::Message(Message::Request(r)) => Some(r.method.clone()),
                Incoming::Message(Message::Notification(n)) => Some(n.method.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bad_length_resynchronises_on_the_next_header() {
        let input = [
            "Content-Length: abc\r\n\r\n{}".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            exit_frame(),
        ]
        .concat();
        let (msgs, replies) = frames(&input);
        assert_eq!(methods(&msgs), ["shutdown", "exit"], "{msgs:?}");
        assert!(!replies.is_empty());
        assert!(
            replies.iter().all(|r| r["error"]["code"] == -32700),
            "{replies:?}"
        );
    }

    #[test]
    fn stray_bytes_between_frames_are_skipped_with_a_parse_error() {
        for stray in ["x", "\r\n\r\nxyz\n", "}\r\n", "\u{1b}[2J"] {
            let input = [
                frame(r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#),
                stray.to_string(),
                frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#),
                exit_frame(),
            ]
            .concat();
            let (msgs, replies) = frames(&input);
            assert_eq!(methods(&msgs), ["a", "b", "exit"], "{stray:?}: {msgs:?}");
            if stray.trim().is_empty() {
                continue;
            }
            assert_eq!(replies.len(), 1, "{stray:?}: {replies:?}");
            assert_eq!(replies[0]["error"]["code"], -32700);
        }
    }

    #[test]
    fn header_lines_are_bounded() {
        // A header line far longer than any real one, then a good frame.
        let long = "X".repeat(3 * MAX_HEADER_LINE + 17);
        let input = [
            format!("X-Long: {long}\r\n"),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#),
            exit_frame(),
        ]
        .concat();
        let (msgs, replies) = frames(&input);
        assert_eq!(methods(&msgs), ["b", "exit"], "{msgs:?}");
        assert_eq!(replies.len(), 1);
        let mut r = std::io::Cursor::new(long.into_bytes());
        let line = read_line_bounded(&mut r).unwrap().unwrap();
        assert!(line.bytes.len() <= MAX_HEADER_LINE);
        assert!(line.truncated);
    }
}
