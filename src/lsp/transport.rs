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

/// Reads frames from `input` until end of input, sending each to `tx`;
/// replies to malformed frames through `out`.
pub fn read_loop(mut input: impl BufRead, tx: Sender<Incoming>, out: Sender<Value>) {
    loop {
        let len = match read_headers(&mut input) {
            Ok(Some(Some(len))) => len,
            Ok(Some(None)) => {
                let _ = tx.send(Incoming::Malformed("frame without Content-Length".into()));
                continue;
            }
            Ok(None) | Err(_) => return,
        };
        if len > MAX_CONTENT_LENGTH {
            let _ = tx.send(Incoming::Malformed(format!(
                "frame of {len} bytes is too large"
            )));
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

/// Reads one header block: `None` at end of input, `Some(None)` when it has no
/// usable Content-Length.
fn read_headers(input: &mut impl BufRead) -> std::io::Result<Option<Option<usize>>> {
    let mut len = None;
    let mut seen_any = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if seen_any {
                return Ok(Some(len));
            }
            continue;
        }
        seen_any = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().ok();
            }
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

/// Writes every value from `rx` to `output` as a frame, until the channel closes.
pub fn write_loop(mut output: impl Write, rx: Receiver<Value>) {
    for v in rx {
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
        assert_eq!(replies.len(), 2);
        assert_eq!(replies[0]["error"]["code"], -32700);
        assert_eq!(replies[1]["error"]["code"], -32600);
    }
}
