//! The message loop: lifecycle (initialize, shutdown, exit), document
//! synchronisation, settings and code actions. Requests it does not know get
//! `MethodNotFound`; notifications it does not know are ignored; bad
//! parameters get `InvalidParams`. Nothing a client sends makes it panic.

use super::settings::LspSettings;
use super::state::{go_path, Document, Shared};
use super::transport::{self, Incoming};
use super::worker::{self, Request as Work};
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{self as lsp, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `ServerNotInitialized`, from the protocol.
const SERVER_NOT_INITIALIZED: i32 = -32002;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// The server's message loop.
pub struct Server {
    out: Sender<Value>,
    shared: Arc<Mutex<Shared>>,
    phase: Phase,
    work: Option<Sender<Work>>,
    worker: Option<std::thread::JoinHandle<()>>,
    debounce: Duration,
    /// Unknown rule names already reported to the user: each is reported once.
    reported_unknown_rules: std::collections::BTreeSet<String>,
}

impl Server {
    /// A server writing its messages to `out`.
    pub fn new(out: Sender<Value>) -> Server {
        Server {
            out,
            shared: Arc::default(),
            phase: Phase::Uninitialized,
            work: None,
            worker: None,
            debounce: worker::debounce(),
            reported_unknown_rules: Default::default(),
        }
    }

    /// Handles messages until `exit` (or the end of input); returns the exit status.
    pub fn run(mut self, rx: Receiver<Incoming>) -> i32 {
        let code = loop {
            let Ok(incoming) = rx.recv() else {
                // The client went away without `exit`.
                break 1;
            };
            let Incoming::Message(msg) = incoming else {
                continue;
            };
            match msg {
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == "exit" => {
                    break if self.phase == Phase::ShutDown { 0 } else { 1 };
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        };
        self.stop_worker();
        code
    }

    /// Stops scheduling analyses. The worker is not waited for: an analysis
    /// in flight must not delay the reply to `shutdown` or the exit.
    fn stop_worker(&mut self) {
        self.work = None;
        self.worker = None;
    }

    fn send(&self, msg: Message) {
        let _ = self.out.send(transport::to_json(&msg));
    }

    fn reply_err(&self, id: RequestId, code: i32, message: impl Into<String>) {
        self.send(Message::Response(Response::new_err(
            id,
            code,
            message.into(),
        )));
    }

    fn reply<T: serde::Serialize>(&self, id: RequestId, result: T) {
        self.send(Message::Response(Response::new_ok(id, result)));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn schedule(&self, req: Work) {
        if let Some(w) = &self.work {
            let _ = w.send(req);
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        match (self.phase, req.method.as_str()) {
            // Read leniently: a client capability this crate's types do not
            // know must not cost the user their server.
            (Phase::Uninitialized, "initialize") => {
                let result = self.initialize(&req.params);
                self.reply(id, result);
            }
            (Phase::Uninitialized, _) => {
                self.reply_err(id, SERVER_NOT_INITIALIZED, "the server is not initialized")
            }
            (_, "initialize") => self.reply_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "initialize was already received",
            ),
            (Phase::ShutDown, _) => self.reply_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down",
            ),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                self.stop_worker();
                self.reply(id, ());
            }
            (Phase::Running, "textDocument/codeAction") => {
                match params::<lsp::CodeActionParams>(req.params) {
                    Ok(p) => {
                        let actions = self.code_actions(&p);
                        self.reply(id, actions);
                    }
                    Err(e) => self.reply_err(id, ErrorCode::InvalidParams as i32, e),
                }
            }
            (Phase::Running, method) => self.reply_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {method}"),
            ),
        }
    }

    fn initialize(&mut self, p: &Value) -> lsp::InitializeResult {
        let path_of = |uri: &Value| {
            uri.as_str()
                .and_then(|u| Url::parse(u).ok())
                .and_then(|u| u.to_file_path().ok())
        };
        let mut roots: Vec<PathBuf> = match p.get("workspaceFolders") {
            Some(Value::Array(folders)) => folders
                .iter()
                .filter_map(|f| f.get("uri").and_then(path_of))
                .collect(),
            _ => Vec::new(),
        };
        if roots.is_empty() {
            let root = p
                .get("rootUri")
                .and_then(path_of)
                .or_else(|| p.get("rootPath").and_then(Value::as_str).map(PathBuf::from));
            roots.extend(root);
        }
        let settings = p
            .get("initializationOptions")
            .map(|opts| self.accept(LspSettings::from_value(opts)));
        {
            let mut s = self.lock();
            s.roots = roots;
            if let Some(settings) = settings {
                s.settings = settings;
            }
        }
        let (tx, rx) = crossbeam_channel::unbounded();
        let shared = self.shared.clone();
        let out = self.out.clone();
        self.worker = std::thread::Builder::new()
            .name("lsp-worker".into())
            .stack_size(16 << 20)
            .spawn(move || worker::run(shared, rx, out))
            .ok();
        self.work = Some(tx);
        self.phase = Phase::Running;
        lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::FULL),
                        save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                workspace: Some(lsp::WorkspaceServerCapabilities {
                    workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(lsp::OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "goleaklint".into(),
                version: Some(crate::VERSION.into()),
            }),
        }
    }

    fn notification(&mut self, n: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        // Malformed parameters of a notification cannot be answered: ignore them.
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.update(d.uri, true, d.version, d.text, Duration::ZERO);
                }
            }
            "textDocument/didChange" => {
                if let Ok(mut p) = params::<lsp::DidChangeTextDocumentParams>(n.params) {
                    // Full synchronisation: the last change holds the whole text.
                    if let Some(c) = p.content_changes.pop().filter(|c| c.range.is_none()) {
                        let d = p.text_document;
                        self.update(d.uri, false, d.version, c.text, self.debounce);
                    }
                }
            }
            // Other open files of the package may depend on what was saved.
            "textDocument/didSave" => self.schedule(Work::AnalyseAll),
            "textDocument/didClose" => {
                if let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let mut s = self.lock();
                    let was_open = s.docs.remove(&uri).is_some();
                    s.findings.remove(&uri);
                    if was_open {
                        worker::publish(&self.out, uri, Vec::new(), None);
                    }
                }
            }
            "workspace/didChangeConfiguration" => {
                let change = params::<lsp::DidChangeConfigurationParams>(n.params)
                    .ok()
                    .and_then(|p| LspSettings::from_change(&p.settings));
                if let Some(settings) = change {
                    let settings = self.accept(settings);
                    let mut s = self.lock();
                    s.settings = settings;
                    s.settings_generation += 1;
                    drop(s);
                    self.schedule(Work::AnalyseAll);
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                if let Ok(p) = params::<lsp::DidChangeWorkspaceFoldersParams>(n.params) {
                    let mut s = self.lock();
                    for f in &p.event.removed {
                        if let Ok(path) = f.uri.to_file_path() {
                            s.roots.retain(|r| *r != path);
                        }
                    }
                    for f in &p.event.added {
                        if let Ok(path) = f.uri.to_file_path() {
                            s.roots.push(path);
                        }
                    }
                    s.settings_generation += 1;
                    drop(s);
                    self.schedule(Work::AnalyseAll);
                }
            }
            _ => {}
        }
    }

    fn update(&mut self, uri: Url, opening: bool, version: i32, text: String, delay: Duration) {
        let mut s = self.lock();
        let path = match s.docs.get(&uri) {
            Some(d) => d.path.clone(),
            None if opening => match go_path(&uri) {
                Some(p) => p,
                None => return,
            },
            // A change to a document that was never opened (or is not Go).
            None => return,
        };
        // The other open files of the package see this one's declarations:
        // their findings may change too.
        let dir = path.parent().map(PathBuf::from);
        let neighbours: Vec<Url> = s
            .docs
            .iter()
            .filter(|(u, d)| **u != uri && d.path.parent() == dir.as_deref())
            .map(|(u, _)| u.clone())
            .collect();
        s.docs.insert(
            uri.clone(),
            Document {
                path,
                version,
                text: text.into(),
            },
        );
        drop(s);
        self.schedule(Work::Analyse(uri, delay));
        for n in neighbours {
            self.schedule(Work::Analyse(n, delay));
        }
    }

    /// `settings` without the rule names goleaklint does not know; each such name is reported
    /// once, as a warning, and the valid settings apply.
    fn accept(&mut self, mut settings: LspSettings) -> LspSettings {
        let unknown = settings.drop_unknown_rules();
        let new: Vec<String> = unknown
            .into_iter()
            .filter(|n| self.reported_unknown_rules.insert(n.clone()))
            .collect();
        if !new.is_empty() {
            let names: Vec<String> = new.iter().map(|n| format!("`{n}`")).collect();
            worker::show_message(
                &self.out,
                lsp::MessageType::WARNING,
                &format!(
                    "goleaklint: ignoring unknown rule name(s) {} in the enable/disable settings (known rules: {})",
                    names.join(", "),
                    crate::rules::known_names()
                ),
            );
        }
        settings
    }

    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let s = self.lock();
        let (Some(doc), Some(found)) = (s.docs.get(uri), s.findings.get(uri)) else {
            return Vec::new();
        };
        // Edits computed on an older text would land in the wrong place.
        if doc.version != found.version {
            return Vec::new();
        }
        super::actions::code_actions(uri, &found.items, p.range, p.context.only.as_deref())
    }
}

fn params<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| format!("invalid parameters: {e}"))
}
