//! Editor latency of `goleaklint lsp`: opens a generated 5,000-line Go file
//! and measures, for 20 edits, the time from sending `didChange` to
//! receiving the `publishDiagnostics` of that version. Reported twice: with
//! the debounce off (the analysis itself: re-parse the edited file, check it
//! against its package, publish) and with the default 150 ms debounce (what
//! a user typing sees once they pause).
//!
//! `cargo bench --bench lsp_latency` runs it (release build); under
//! `cargo test` it runs a 3-edit smoke version so it stays working.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const LINES: usize = 5_000;

/// A Go file of `LINES` lines: handlers, some of which leak a context.
fn generate() -> String {
    let mut s = String::from(
        "package big\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"time\"\n)\n\nvar errEmpty = errors.New(\"empty\")\n\n",
    );
    let mut i = 0;
    while s.lines().count() + 16 < LINES {
        let leak = i % 10 == 0;
        let call = if leak { "" } else { "\tdefer cancel()\n" };
        s.push_str(&format!(
            "// Handler{i} fetches item {i}.\nfunc Handler{i}(parent context.Context, id string) (string, error) {{\n\tctx, cancel := context.WithTimeout(parent, time.Second)\n{call}\tif id == \"\" {{\n\t\treturn \"\", errEmpty\n\t}}\n\tselect {{\n\tcase <-ctx.Done():\n\t\treturn \"\", ctx.Err()\n\tdefault:\n\t}}\n\treturn id, nil\n}}\n\n"
        ));
        i += 1;
    }
    while s.lines().count() < LINES {
        s.push_str("// padding\n");
    }
    s
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
}

impl Server {
    fn start(debounce_ms: Option<u64>) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_goleaklint"));
        cmd.arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(ms) = debounce_ms {
            cmd.env("GOLEAKLINT_LSP_DEBOUNCE_MS", ms.to_string());
        }
        let mut child = cmd.spawn().expect("start goleaklint lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = line.trim().strip_prefix("Content-Length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Server { child, stdin, rx }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn wait(&self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let v = self
                .rx
                .recv_timeout(Duration::from_secs(60))
                .expect("server answered");
            if pred(&v) {
                return v;
            }
        }
    }

    fn stop(mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        self.wait(|v| v["id"] == 99);
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

/// Milliseconds from each `didChange` to the diagnostics of its version.
fn measure(debounce_ms: Option<u64>, edits: usize) -> (Vec<f64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), "module big\n\ngo 1.22\n").unwrap();
    let path = dir.path().join("big.go");
    let text = generate();
    assert_eq!(text.lines().count(), LINES);
    std::fs::write(&path, &text).unwrap();
    let uri = format!("file://{}", path.display());
    let mut s = Server::start(debounce_ms);
    s.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "capabilities": {}, "rootUri": format!("file://{}", dir.path().display()),
    }}));
    s.wait(|v| v["id"] == 1);
    s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "go", "version": 1, "text": text}}}),
    );
    let first = s.wait(|v| v["method"] == "textDocument/publishDiagnostics");
    let findings = first["params"]["diagnostics"].as_array().unwrap().len();
    let mut times = Vec::new();
    for i in 0..edits {
        let version = i as i64 + 2;
        // Type into the middle of the file: a different string each time.
        let edited = text.replacen("\"empty\"", &format!("\"empty {i}\""), 1);
        let msg = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": edited}]}});
        if debounce_ms.is_none() {
            // A pause, as between a person's edits: the change is analysed at once.
            std::thread::sleep(Duration::from_millis(250));
        }
        let started = Instant::now();
        s.send(msg);
        let got = s.wait(|v| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["version"] == version
        });
        times.push(started.elapsed().as_secs_f64() * 1e3);
        assert_eq!(
            got["params"]["diagnostics"].as_array().unwrap().len(),
            findings
        );
    }
    s.stop();
    (times, findings)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let edits = if full { 20 } else { 3 };
    let (work, findings) = measure(Some(0), edits);
    let (typed, _) = measure(None, edits);
    println!(
        "lsp latency, {LINES}-line file, {findings} findings, median of {edits} edits: \
         {:.1} ms didChange -> publishDiagnostics without debounce (min {:.1}, max {:.1}); \
         {:.1} ms with the default debounce, edits 250 ms apart (the first edit after a quiet spell is analysed at once)",
        median(work.clone()),
        work.iter().cloned().fold(f64::INFINITY, f64::min),
        work.iter().cloned().fold(0.0, f64::max),
        median(typed),
    );
}
