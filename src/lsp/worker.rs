//! The analysis worker: a thread that waits for documents to settle
//! (edits arrive in bursts while typing), analyses each once, and publishes
//! the findings unless the document changed or closed meanwhile.

use super::state::{Analysis, Caches, Job, Shared};
use super::transport;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Message, Notification};
use lsp_types::{self as lsp, Url};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a document must stay unchanged before it is analysed again.
/// The first edit after a quiet spell is analysed at once (leading edge), so
/// a single change shows its findings within the analysis time; the edits of
/// a typing burst that follow are coalesced into one analysis of the last.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The debounce in force: [`DEBOUNCE`], unless `GOLEAKLINT_LSP_DEBOUNCE_MS`
/// sets another (the latency benchmark measures the analysis alone with 0).
pub fn debounce() -> Duration {
    std::env::var("GOLEAKLINT_LSP_DEBOUNCE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEBOUNCE)
}

/// What the message loop asks of the worker.
#[derive(Debug)]
pub enum Request {
    /// Analyse this document after `delay`.
    Analyse(Url, Duration),
    /// Analyse every open document now (settings or files on disk changed).
    AnalyseAll,
}

/// Runs until the request channel closes.
pub fn run(shared: Arc<Mutex<Shared>>, rx: Receiver<Request>, out: Sender<Value>) {
    let mut caches = Caches::default();
    let mut pending: HashMap<Url, Instant> = HashMap::new();
    let mut last_run: HashMap<Url, Instant> = HashMap::new();
    let mut last_error: Option<String> = None;
    loop {
        let next = pending.values().min().copied();
        let req = match next {
            Some(due) => rx.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match req {
            Ok(Request::Analyse(uri, delay)) => {
                let now = Instant::now();
                let quiet = !pending.contains_key(&uri)
                    && last_run
                        .get(&uri)
                        .is_none_or(|t| now.duration_since(*t) >= delay);
                pending.insert(uri, if quiet { now } else { now + delay });
            }
            Ok(Request::AnalyseAll) => {
                let now = Instant::now();
                let docs = lock(&shared).docs.keys().cloned().collect::<Vec<_>>();
                for uri in docs {
                    pending.insert(uri, now);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let due: Vec<Url> = pending
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            pending.remove(&uri);
            analyse(&shared, &mut caches, &uri, &out, &mut last_error);
            last_run.insert(uri, Instant::now());
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

fn analyse(
    shared: &Mutex<Shared>,
    caches: &mut Caches,
    uri: &Url,
    out: &Sender<Value>,
    last_error: &mut Option<String>,
) {
    let job = {
        let s = lock(shared);
        let Some(doc) = s.docs.get(uri) else {
            return;
        };
        let dir = doc.path.parent();
        Job {
            uri: uri.clone(),
            doc: doc.clone(),
            neighbours: s
                .docs
                .iter()
                .filter(|(u, d)| *u != uri && d.path.parent() == dir)
                .map(|(_, d)| d.clone())
                .collect(),
            elsewhere: s
                .docs
                .values()
                .filter(|d| d.path.parent() != dir)
                .cloned()
                .collect(),
            settings: s.settings.clone(),
            generation: s.settings_generation,
            root: s.root_for(&doc.path),
        }
    };
    // An engine bug must not take the editor's server down with it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| caches.analyse(&job)));
    let items = match result {
        Ok(Analysis::Findings(items)) => {
            *last_error = None;
            items
        }
        Ok(Analysis::ConfigError(e)) => {
            if last_error.as_deref() != Some(e.as_str()) {
                show_error(out, &format!("goleaklint: {e}"));
                *last_error = Some(e);
            }
            Vec::new()
        }
        Err(_) => {
            eprintln!("goleaklint: internal error while analysing {uri}");
            *caches = Caches::default();
            return;
        }
    };
    let mut s = lock(shared);
    // Publish only for the text analysed: a newer version is already queued.
    if s.docs.get(uri).is_none_or(|d| d.version != job.doc.version) {
        return;
    }
    let diagnostics = items.iter().map(|p| p.diagnostic.clone()).collect();
    publish(out, uri.clone(), diagnostics, Some(job.doc.version));
    s.findings.insert(
        uri.clone(),
        super::state::Findings {
            version: job.doc.version,
            items,
        },
    );
}

/// Sends `textDocument/publishDiagnostics`.
pub fn publish(
    out: &Sender<Value>,
    uri: Url,
    diagnostics: Vec<lsp::Diagnostic>,
    version: Option<i32>,
) {
    let params = lsp::PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    let n = Notification::new("textDocument/publishDiagnostics".into(), params);
    let _ = out.send(transport::to_json(&Message::Notification(n)));
}

/// Sends `window/showMessage` with an error.
pub fn show_error(out: &Sender<Value>, message: &str) {
    let params = lsp::ShowMessageParams {
        typ: lsp::MessageType::ERROR,
        message: message.to_string(),
    };
    let n = Notification::new("window/showMessage".into(), params);
    let _ = out.send(transport::to_json(&Message::Notification(n)));
}
