//! `--format rdjson`: reviewdog's Diagnostic Format (`DiagnosticResult` as one JSON object), for
//! `goleaklint --format rdjson ./... | reviewdog -f=rdjson -reporter=github-pr-review`.
//!
//! Each finding carries its rule as `code` (with the rule page as `url`), its severity
//! (`ERROR`, `WARNING`, `INFO`), a range whose end is exclusive and whose columns count UTF-8
//! bytes, as reviewdog's do, and its fix's edits as `suggestions` (reviewdog offers them as
//! suggested changes on the pull request, safe or not: a person applies them). Files that could
//! not be analysed are `ERROR` diagnostics without a code.

use crate::diagnostic::{Diagnostic, FileError, Severity};
use crate::engine::Outcome;
use crate::report::sarif::{help_uri, INFORMATION_URI};
use crate::source::Position;
use serde_json::{json, Value};
use std::io::{self, Write};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Note => "INFO",
    }
}

fn position(p: Position) -> Value {
    json!({ "line": p.line, "column": p.column })
}

fn diagnostic(d: &Diagnostic) -> Value {
    let l = &d.location;
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut out = json!({
        "message": message,
        "location": {
            "path": &*l.path,
            "range": { "start": position(l.start), "end": position(l.end) },
        },
        "severity": severity(d.severity),
        "code": { "value": d.rule.name(), "url": help_uri(d.rule) },
    });
    if let Some(fix) = &d.fix {
        // reviewdog suggests edits in the reported file only.
        let suggestions: Vec<Value> = fix
            .edits
            .iter()
            .filter(|e| e.location.path == l.path)
            .map(|e| {
                json!({
                    "range": {
                        "start": position(e.location.start),
                        "end": position(e.location.end),
                    },
                    "text": e.new_text,
                })
            })
            .collect();
        if !suggestions.is_empty() {
            out["suggestions"] = Value::Array(suggestions);
        }
    }
    out
}

fn file_error(e: &FileError) -> Value {
    let mut location = json!({ "path": e.path });
    if let Some(line) = e.line {
        let mut start = json!({ "line": line });
        if let Some(column) = e.column {
            start["column"] = json!(column);
        }
        location["range"] = json!({ "start": start });
    }
    json!({ "message": e.message, "location": location, "severity": "ERROR" })
}

/// The rdjson document for `outcome`.
pub fn document(outcome: &Outcome) -> Value {
    let diagnostics: Vec<Value> = outcome
        .diagnostics
        .iter()
        .map(diagnostic)
        .chain(outcome.errors.iter().map(file_error))
        .collect();
    json!({
        "source": { "name": "goleaklint", "url": INFORMATION_URI },
        "diagnostics": diagnostics,
    })
}

/// Writes `outcome` as rdjson.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(outcome))?;
    writeln!(out)
}
