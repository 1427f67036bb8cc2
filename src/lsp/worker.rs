//! The analysis worker: a thread that waits for documents to settle
//! (edits arrive in bursts while typing), analyses each once, and publishes
//! the findings unless the document changed or closed meanwhile.

use super::state::{Analysis, Caches, Job, Shared};
use super::transport;
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification};
use lsp_types::{self as lsp, Url};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
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

/// Runs until the request channel closes. Each document's analysis runs on
/// its own thread, one at a time per document: a document that is slow to
/// analyse delays only its own findings, never other documents' nor the
/// message loop (`shutdown` and `exit` are answered at once).
pub fn run(shared: Arc<Mutex<Shared>>, rx: Receiver<Request>, out: Sender<Value>) {
    let ctx = Arc::new(Context {
        shared,
        caches: Caches::default(),
        out,
        last_error: Mutex::new(None),
    });
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Url>();
    let mut pending: HashMap<Url, Instant> = HashMap::new();
    let mut last_run: HashMap<Url, Instant> = HashMap::new();
    let mut in_flight: HashSet<Url> = HashSet::new();
    loop {
        // Documents already being analysed wait for their run to end.
        let next = pending
            .iter()
            .filter(|(u, _)| !in_flight.contains(*u))
            .map(|(_, t)| *t)
            .min();
        let timer = match next {
            Some(due) => crossbeam_channel::at(due),
            None => crossbeam_channel::never(),
        };
        crossbeam_channel::select! {
            recv(rx) -> req => match req {
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
                    let docs = lock(&ctx.shared).docs.keys().cloned().collect::<Vec<_>>();
                    for uri in docs {
                        pending.insert(uri, now);
                    }
                }
                // Runs in flight finish on their own; their results are
                // published if the writer still listens.
                Err(_) => return,
            },
            recv(done_rx) -> uri => {
                if let Ok(uri) = uri {
                    in_flight.remove(&uri);
                    last_run.insert(uri, Instant::now());
                }
            },
            recv(timer) -> _ => {},
        }
        let now = Instant::now();
        let due: Vec<Url> = pending
            .iter()
            .filter(|(u, t)| **t <= now && !in_flight.contains(*u))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            pending.remove(&uri);
            in_flight.insert(uri.clone());
            let (run_ctx, done) = (ctx.clone(), done_tx.clone());
            let job = uri.clone();
            let spawned = std::thread::Builder::new()
                .name("lsp-analysis".into())
                .stack_size(16 << 20)
                .spawn(move || {
                    analyse(&run_ctx, &job);
                    let _ = done.send(job);
                });
            if spawned.is_err() {
                // No thread to be had: analyse here rather than not at all.
                analyse(&ctx, &uri);
                in_flight.remove(&uri);
                last_run.insert(uri, Instant::now());
            }
        }
    }
}

/// What every analysis shares.
struct Context {
    shared: Arc<Mutex<Shared>>,
    caches: Caches,
    out: Sender<Value>,
    /// The configuration error last shown, so it is shown once.
    last_error: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn analyse(ctx: &Context, uri: &Url) {
    let (shared, out) = (&ctx.shared, &ctx.out);
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
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ctx.caches.analyse(&job)));
    let items = match result {
        Ok(Analysis::Findings(items)) => {
            *lock(&ctx.last_error) = None;
            items
        }
        Ok(Analysis::ConfigError(e)) => {
            let mut last = lock(&ctx.last_error);
            if last.as_deref() != Some(e.as_str()) {
                show_error(out, &format!("goleaklint: {e}"));
                *last = Some(e);
            }
            Vec::new()
        }
        Err(_) => {
            eprintln!("goleaklint: internal error while analysing {uri}");
            ctx.caches.clear();
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
    show_message(out, lsp::MessageType::ERROR, message);
}

/// Sends `window/showMessage`.
pub fn show_message(out: &Sender<Value>, typ: lsp::MessageType, message: &str) {
    let params = lsp::ShowMessageParams {
        typ,
        message: message.to_string(),
    };
    let n = Notification::new("window/showMessage".into(), params);
    let _ = out.send(transport::to_json(&Message::Notification(n)));
}
