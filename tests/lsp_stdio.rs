//! The language server spoken to over its real stdio, in JSON-RPC: the
//! lifecycle, malformed input, unknown methods, non-Go documents, edits that
//! break the syntax, code actions and the exit status.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/workspace")
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_goleaklint"))
            .arg("lsp")
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start goleaklint lsp");
        let stdout = child.stdout.take().unwrap();
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
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
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
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
        }
    }

    fn raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn raw_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.raw(&msg.to_string());
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params});
        self.raw(&msg.to_string());
        self.next_id
    }

    /// The next message matching `pred`, skipping others.
    fn wait(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.rx.recv_timeout(Duration::from_secs(20)) {
                Ok(v) if pred(&v) => return v,
                Ok(_) => {}
                Err(_) => panic!("timed out waiting for {what}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait(method, |v| v["id"] == id && v.get("method").is_none())
    }

    fn diagnostics_for(&mut self, uri: &str) -> Value {
        let uri = uri.to_string();
        self.wait("publishDiagnostics", |v| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn initialize(&mut self, options: Value) -> Value {
        let root = uri(&workspace());
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": {},
                "workspaceFolders": [{"uri": root, "name": "workspace"}],
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn exit_status(mut self) -> i32 {
        drop(self.stdin.take());
        self.child.wait().unwrap().code().unwrap()
    }

    /// No message arrives for a while.
    fn quiet(&mut self, what: &str) {
        if let Ok(v) = self.rx.recv_timeout(Duration::from_millis(600)) {
            panic!("expected nothing after {what}, got {v}");
        }
    }
}

fn fetch_go() -> (PathBuf, String) {
    let path = workspace().join("service/fetch.go");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

#[test]
fn lifecycle_malformed_input_and_unknown_methods() {
    let mut c = Client::start();
    // Before initialize: requests are refused, the server lives on.
    let r = c.request("textDocument/codeAction", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    // Not JSON at all.
    c.raw("{this is not json");
    let r = c.wait("parse error", |v| v.get("error").is_some());
    assert_eq!(r["error"]["code"], -32700, "{r}");
    assert_eq!(r["id"], Value::Null);
    // JSON, but not a message.
    c.raw("[1, 2, 3]");
    let r = c.wait("invalid request", |v| v.get("error").is_some());
    assert_eq!(r["error"]["code"], -32600, "{r}");

    let init = c.initialize(json!(null));
    let caps = &init["result"]["capabilities"];
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "goleaklint");
    // A second initialize is an error.
    let r = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(r["error"]["code"], -32600, "{r}");

    // Unknown request: MethodNotFound. Unknown notification: ignored.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("$/setTrace", json!({"value": "off"}));
    c.notify("textDocument/didOpen", json!({"bogus": true}));
    c.notify("textDocument/didChange", json!(42));
    // Bad parameters of a known request.
    let r = c.request("textDocument/codeAction", json!({"textDocument": 3}));
    assert_eq!(r["error"]["code"], -32602, "{r}");

    // A document that is not Go gets no diagnostics.
    let txt = workspace().join("notes.txt");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&txt), "languageId": "plaintext", "version": 1, "text": "hello"}}),
    );
    c.quiet("opening a text file");

    let r = c.request("shutdown", json!(null));
    assert_eq!(r["result"], Value::Null, "{r}");
    assert!(r.get("error").is_none());
    let r = c.request("textDocument/codeAction", json!({}));
    assert_eq!(r["error"]["code"], -32600, "requests after shutdown: {r}");
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut c = Client::start();
    c.initialize(json!({}));
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 1);
    // Input closed without exit.
    let mut c = Client::start();
    c.initialize(json!({}));
    assert_eq!(c.exit_status(), 1);
}

#[test]
fn diagnostics_edits_code_actions_and_close() {
    let (path, text) = fetch_go();
    let u = uri(&path);
    let mut c = Client::start();
    c.initialize(json!({"goleaklint": {"tests": true}}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "go", "version": 1, "text": text}}),
    );
    let p = c.diagnostics_for(&u);
    let diags = p["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{p}");
    let d = &diags[0];
    assert_eq!(d["code"], "lost-cancel");
    assert_eq!(d["source"], "goleaklint");
    assert_eq!(d["severity"], 2);
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/goleaklint/goleaklint/blob/main/rules/lost-cancel.md"
    );
    // Line 14: `\tctxÉté, cancel := context.WithTimeout(...)`: the call starts at
    // byte column 21 but UTF-16 column 19 (0-based).
    assert_eq!(
        d["range"]["start"],
        json!({"line": 13, "character": 19}),
        "{d}"
    );
    let related = d["relatedInformation"].as_array().unwrap();
    assert_eq!(related[0]["location"]["uri"], u);
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 16);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("\ncall `defer cancel()`"),
        "{d}"
    );

    // Mid-typing: a broken function elsewhere does not hide the finding.
    let broken = format!("{text}\nfunc Broken( {{\n\tif x := \n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let p = c.diagnostics_for(&u);
    assert_eq!(p["version"], 2);
    assert_eq!(p["diagnostics"].as_array().unwrap().len(), 1, "{p}");

    // Fixed by hand: the finding goes away.
    let fixed = text
        .replace("\tcancel()\n", "")
        .replace("time.Second)\n", "time.Second)\n\tdefer cancel()\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    let p = c.diagnostics_for(&u);
    assert_eq!(p["diagnostics"], json!([]), "{p}");

    // A burst of edits (typing): analysed once, for the last version.
    for (v, t) in [(4, &broken), (5, &fixed), (6, &text)] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [{"text": t}]}),
        );
    }
    // The first edit may be analysed at once (leading edge); the rest of the
    // burst is coalesced: the middle version is never published.
    let mut p = c.diagnostics_for(&u);
    if p["version"] == 4 {
        p = c.diagnostics_for(&u);
    }
    assert_eq!(p["version"], 6, "the settled text is analysed: {p}");
    // Ask for code actions on the finding.
    let d = p["diagnostics"][0].clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().unwrap();
    assert_eq!(actions.len(), 2, "{r}");
    assert_eq!(actions[0]["title"], "add `defer cancel()`");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[0]["diagnostics"][0]["code"], "lost-cancel");
    let edits = &actions[0]["edit"]["changes"][&u];
    assert_eq!(edits[0]["newText"], "\n\tdefer cancel()");
    assert_eq!(
        actions[1]["title"],
        "Suppress lost-cancel with //goleaklint:ignore"
    );
    let edit = &actions[1]["edit"]["changes"][&u][0];
    assert_eq!(edit["range"]["start"], json!({"line": 13, "character": 0}));
    assert!(edit["newText"]
        .as_str()
        .unwrap()
        .starts_with("\t//goleaklint:ignore lost-cancel "));
    // Only other kinds asked for: nothing.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    assert_eq!(r["result"], json!([]));

    // Settings change: the rule disabled, the finding gone.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"goleaklint": {"disable": ["lost-cancel"]}}}),
    );
    let p = c.diagnostics_for(&u);
    assert_eq!(p["diagnostics"], json!([]), "{p}");
    // An unknown rule name: one warning, the name ignored, diagnostics go on with the rest.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"disable": ["no-such-rule"]}}),
    );
    let m = c.wait("showMessage", |v| v["method"] == "window/showMessage");
    assert_eq!(m["params"]["type"], 2, "a warning: {m}");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("`no-such-rule`"),
        "{m}"
    );
    let p = c.diagnostics_for(&u);
    assert_eq!(p["diagnostics"][0]["code"], "lost-cancel", "{p}");
    // The same name again is not reported again; the valid names still apply.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"disable": ["no-such-rule", "lost-cancel"]}}),
    );
    let next = c.wait("the next message", |_| true);
    assert_eq!(next["method"], "textDocument/publishDiagnostics", "{next}");
    assert_eq!(next["params"]["diagnostics"], json!([]), "{next}");

    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    let p = c.diagnostics_for(&u);
    assert_eq!(p["diagnostics"], json!([]));

    c.request("shutdown", json!(null));
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
}

#[test]
fn initialization_options_survive_an_empty_configuration_change() {
    let (path, text) = fetch_go();
    let u = uri(&path);
    let mut c = Client::start();
    c.initialize(json!({"disable": ["lost-cancel"]}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "go", "version": 1, "text": text}}),
    );
    assert_eq!(c.diagnostics_for(&u)["diagnostics"], json!([]));
    // Neovim sends this right after start-up.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let p = c.diagnostics_for(&u);
    assert_eq!(p["version"], 2);
    assert_eq!(p["diagnostics"], json!([]), "{p}");
    c.request("shutdown", json!(null));
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
}

/// `depth` nested `go func() { … }()` literals: slow for an analysis that is
/// not linear in nesting depth.
fn nested_goroutines(depth: usize) -> String {
    format!(
        "package slow\n\nfunc Deep() {{\n\tch := make(chan int)\n{}ch <- 1\n{}<-ch\n}}\n",
        "go func() {\n".repeat(depth),
        "}()\n".repeat(depth)
    )
}

#[test]
fn a_slow_document_blocks_neither_others_nor_shutdown() {
    let tmp = tempfile::tempdir().unwrap();
    let slow = tmp.path().join("slow.go");
    let text = nested_goroutines(600);
    std::fs::write(&slow, &text).unwrap();
    let mut c = Client::start();
    c.initialize(json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&slow), "languageId": "go", "version": 1, "text": text}}),
    );
    // Give the slow analysis time to start.
    std::thread::sleep(Duration::from_millis(300));
    let (path, text) = fetch_go();
    let fetch = uri(&path);
    let opened = std::time::Instant::now();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": fetch, "languageId": "go", "version": 1, "text": text}}),
    );
    let d = c.diagnostics_for(&fetch);
    assert!(!d["diagnostics"].as_array().unwrap().is_empty(), "{d}");
    assert!(
        opened.elapsed() < Duration::from_secs(8),
        "another document's analysis waited {:?}",
        opened.elapsed()
    );
    let started = std::time::Instant::now();
    let r = c.request("shutdown", json!(null));
    assert!(r.get("error").is_none(), "{r}");
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "shutdown and exit took {:?}",
        started.elapsed()
    );
}

#[test]
fn stray_bytes_between_messages_lose_nothing() {
    let mut c = Client::start();
    c.initialize(json!({}));
    // The stray byte is known to be stray once the next header arrives.
    c.raw_bytes(b"x");
    let id = c.send_request("textDocument/hover", json!({}));
    let r = c.wait("parse error", |v| v.get("error").is_some());
    assert_eq!(r["error"]["code"], -32700, "{r}");
    let r = c.wait("hover", |v| v["id"] == id);
    assert_eq!(
        r["error"]["code"], -32601,
        "the request after it is answered: {r}"
    );
    c.raw_bytes(b"Content-Length: abc\r\n\r\n{}");
    let r = c.request("shutdown", json!(null));
    assert!(r.get("error").is_none(), "{r}");
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
}
