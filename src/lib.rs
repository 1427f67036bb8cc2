//! goleaklint: a static analyzer that finds the leaks that take Go services
//! down — goroutines blocked forever, bodies and files never closed, contexts
//! never cancelled.
//!
//! The library serves three front ends: the command line (walk patterns with
//! [`discover::discover`], then [`engine::Engine::check_packages`]), `go vet
//! -vettool` (the go command names each package's files: build a
//! [`discover::PackageInput`] from them) and the language server (one package
//! whose edited file carries an unsaved overlay).
#![warn(missing_docs)]

pub mod baseline;
pub mod budget;
pub mod buildctx;
pub mod cache;
pub mod catalog;
pub mod changed_lines;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod fingerprint;
pub mod fix;
pub mod flow;
pub mod gomod;
pub mod index;
pub mod lsp;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod store;
pub mod suppress;
pub mod syntax;
pub mod triage;
pub mod vettool;

/// goleaklint's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
