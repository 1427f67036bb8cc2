//! `--format json`: one object with every diagnostic, every file error and
//! the run's counts. The schema is documented in the README.

use crate::diagnostic::{Diagnostic, FileError, Location};
use crate::engine::{Outcome, Stats};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The version of the JSON schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: &'a [FileError],
    stats: JsonStats<'a>,
}

#[derive(Serialize)]
struct JsonStats<'a> {
    #[serde(flatten)]
    counts: &'a Stats,
    findings: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Range<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> Range<'a> {
    fn of(l: &'a Location) -> Self {
        Range {
            path: &l.path,
            line: l.start.line,
            column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
        }
    }
}

#[derive(Serialize)]
struct Related<'a> {
    #[serde(flatten)]
    range: Range<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    range: Range<'a>,
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    #[serde(flatten)]
    range: Range<'a>,
    message: &'a str,
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

fn convert(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        rule: d.rule.name(),
        severity: d.severity.as_str(),
        range: Range::of(&d.location),
        message: &d.message,
        related: d
            .labels
            .iter()
            .map(|l| Related {
                range: Range::of(&l.location),
                message: &l.message,
            })
            .collect(),
        help: d.help.as_deref(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            description: &f.description,
            safe: f.safe,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: Range::of(&e.location),
                    new_text: &e.new_text,
                })
                .collect(),
        }),
    }
}

/// Findings per rule name.
pub fn findings_by_rule(outcome: &Outcome) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for d in &outcome.diagnostics {
        *m.entry(d.rule.name()).or_insert(0) += 1;
    }
    m
}

/// Writes the JSON document, pretty-printed, with a trailing newline.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: SCHEMA_VERSION,
        diagnostics: outcome.diagnostics.iter().map(convert).collect(),
        errors: &outcome.errors,
        stats: JsonStats {
            counts: &outcome.stats,
            findings: findings_by_rule(outcome),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
