//! Compiler-grade text output via codespan-reporting: the snippet, primary
//! and secondary labels, a `= help:` line, and `= fix:` (applied by `--fix`) or
//! `= suggestion:` (left to the reader) when the finding carries a fix.

use super::RenderOptions;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Outcome;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

/// Renders every diagnostic with its source snippet, then the file errors.
pub fn render(outcome: &Outcome, opts: RenderOptions<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<Arc<str>, usize> = HashMap::new();
    for (path, text) in &outcome.sources {
        ids.insert(path.clone(), files.add(path.clone(), text.clone()));
    }
    let config = term::Config::default();
    let mut buf = if opts.color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in &outcome.diagnostics {
        let Some(&file) = ids.get(&d.location.path) else {
            writeln!(out, "{}", plain(d))?;
            continue;
        };
        let cs = convert(d, file, &ids);
        term::emit_to_write_style(&mut buf, &config, &files, &cs)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
    out.write_all(buf.as_slice())?;
    for e in &outcome.errors {
        writeln!(out, "error: {e}")?;
    }
    Ok(())
}

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Note => CsSeverity::Note,
        Severity::Warning => CsSeverity::Warning,
        Severity::Error => CsSeverity::Error,
    }
}

fn convert(d: &Diagnostic, file: usize, ids: &HashMap<Arc<str>, usize>) -> CsDiagnostic<usize> {
    let mut labels = vec![Label::new(
        LabelStyle::Primary,
        file,
        d.location.span.start..d.location.span.end,
    )];
    for l in &d.labels {
        if let Some(&f) = ids.get(&l.location.path) {
            labels.push(
                Label::new(
                    LabelStyle::Secondary,
                    f,
                    l.location.span.start..l.location.span.end,
                )
                .with_message(&l.message),
            );
        }
    }
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    // `fix:` is what `--fix` applies; a `suggestion:` needs a person to judge it.
    if let Some(fix) = &d.fix {
        let kind = if fix.safe { "fix" } else { "suggestion" };
        notes.push(format!("{kind}: {}", fix.description));
    }
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.rule.name())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// A one-line form, `path:line:col: message [rule]`, for when no source is at hand.
pub fn plain(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}: {} [{}]",
        d.location.path,
        d.location.start.line,
        d.location.start.column,
        d.severity,
        d.message,
        d.rule
    )
}
