//! `goleaklint lsp`: a language server on stdio.
//!
//! The message loop ([`server`]) keeps the open documents; an analysis worker
//! ([`worker`]) debounces edits, re-parses only the files that changed
//! ([`state::Caches`]) and publishes findings ([`convert`]); code actions
//! ([`actions`]) turn the fixes rules attach, and suppression directives,
//! into edits. Settings ([`settings`]) combine with `.goleaklint.toml`
//! exactly as command-line options do.

pub mod actions;
pub mod convert;
pub mod server;
pub mod settings;
pub mod state;
pub mod transport;
pub mod worker;

/// Runs the server on stdin and stdout; returns the process exit status:
/// 0 after `shutdown` then `exit`, 1 when the client exits (or goes away)
/// without asking for a shutdown first.
pub fn run() -> i32 {
    // Large stacks for deeply nested code, as on the command line.
    crate::engine::init_threads(0);
    let (in_tx, in_rx) = crossbeam_channel::unbounded();
    let (out_tx, out_rx) = crossbeam_channel::unbounded();
    let reply = out_tx.clone();
    let stop = out_tx.clone();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || transport::read_loop(std::io::stdin().lock(), in_tx, reply))
        .expect("spawning a thread");
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || transport::write_loop(std::io::stdout().lock(), out_rx))
        .expect("spawning a thread");
    let code = server::Server::new(out_tx).run(in_rx);
    // Analyses still running hold senders too: tell the writer to stop after
    // what the server sent, rather than wait for them.
    let _ = stop.send(transport::STOP);
    let _ = writer.join();
    code
}
