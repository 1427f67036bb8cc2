//! Output formats. Each is a pure function of a sorted [`Outcome`].

pub mod github;
pub mod json;
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
}

/// Options shared by the reporters.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours (text only).
    pub color: bool,
}

/// Writes `outcome` in `format` to `out`.
pub fn render(
    format: Format,
    outcome: &Outcome,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(outcome, opts, out),
        Format::Json => json::render(outcome, out),
        Format::Sarif => sarif::render(outcome, out),
        Format::Github => github::render(outcome, out),
    }
}
