//! Output formats. Each is a pure function of a sorted [`Outcome`].

pub mod escape;
pub mod github;
pub mod json;
pub mod rdjson;
pub mod sarif;
pub mod text;

use crate::engine::Outcome;
use std::io::{self, Write};

/// The formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics with source snippets.
    #[default]
    Text,
    /// One JSON object (schema in the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (pull request annotations).
    Github,
    /// reviewdog's Diagnostic Format, for `reviewdog -f=rdjson`.
    Rdjson,
}

/// Options shared by the reporters.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Use ANSI colours (text only).
    pub color: bool,
    /// The directory paths are relative to, for SARIF's `%SRCROOT%`
    /// (default: the working directory).
    pub srcroot: Option<&'a std::path::Path>,
}

/// Writes `outcome` in `format` to `out`.
pub fn render(
    format: Format,
    outcome: &Outcome,
    opts: RenderOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(outcome, opts, out),
        Format::Json => json::render(outcome, out),
        Format::Sarif => match opts.srcroot {
            Some(root) => sarif::render_with_root(outcome, root, out),
            None => sarif::render(outcome, out),
        },
        Format::Github => github::render(outcome, out),
        Format::Rdjson => rdjson::render(outcome, out),
    }
}
