//! Compiler-grade text output via codespan-reporting: the snippet, primary
//! and secondary labels, a `= help:` line, and `= fix:` (applied by `--fix`) or
//! `= suggestion:` (left to the reader) when the finding carries a fix.

use super::{escape, RenderOptions};
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
    let mut ids: HashMap<Arc<str>, File> = HashMap::new();
    for (path, text) in &outcome.sources {
        let source = escape::Source::new(text);
        let id = files.add(escape::line(path).into_owned(), source.text.clone());
        ids.insert(path.clone(), File { id, source });
    }
    let config = term::Config::default();
    let mut buf = if opts.color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in &outcome.diagnostics {
        let Some(file) = ids.get(&d.location.path) else {
            writeln!(out, "{}", plain(d))?;
            continue;
        };
        let cs = convert(d, file, &ids);
        term::emit_to_write_style(&mut buf, &config, &files, &cs)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
    out.write_all(buf.as_slice())?;
    for e in &outcome.errors {
        writeln!(out, "error: {}", escape::line(&e.to_string()))?;
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

/// A file given to codespan: its id and its escaped text.
struct File {
    id: usize,
    source: escape::Source,
}

impl File {
    fn range(&self, span: crate::source::Span) -> std::ops::Range<usize> {
        self.source.map(span.start)..self.source.map(span.end)
    }
}

fn convert(d: &Diagnostic, file: &File, ids: &HashMap<Arc<str>, File>) -> CsDiagnostic<usize> {
    let mut labels = vec![Label::new(
        LabelStyle::Primary,
        file.id,
        file.range(d.location.span),
    )];
    for l in &d.labels {
        if let Some(f) = ids.get(&l.location.path) {
            labels.push(
                Label::new(LabelStyle::Secondary, f.id, f.range(l.location.span))
                    .with_message(escape::line(&l.message)),
            );
        }
    }
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {}", escape::line(h)));
    }
    // `fix:` is what `--fix` applies; a `suggestion:` needs a person to judge it.
    if let Some(fix) = &d.fix {
        let kind = if fix.safe { "fix" } else { "suggestion" };
        notes.push(format!("{kind}: {}", escape::line(&fix.description)));
    }
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.rule.name())
        .with_message(escape::line(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// A one-line form, `path:line:col: message [rule]`, for when no source is at hand.
pub fn plain(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}: {} [{}]",
        escape::line(&d.location.path),
        d.location.start.line,
        d.location.start.column,
        d.severity,
        escape::line(&d.message),
        d.rule
    )
}
