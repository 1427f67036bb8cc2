//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF
//! viewers.
//!
//! One run whose `tool.driver` lists every registered rule with its
//! documentation, results whose locations are relative to `%SRCROOT%` (the
//! working directory), fingerprints that survive unrelated edits (see
//! [`crate::fingerprint`]), fixes as replacements, and one tool notification
//! per file that could not be analysed. Columns are UTF-16 code units, as
//! SARIF's default `columnKind` says, counted from the source text.

use crate::diagnostic::{Diagnostic, FileError, Location, Severity};
use crate::engine::Outcome;
use crate::fingerprint;
use crate::rules::{RuleId, RuleMeta};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// The schema the output declares.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// goleaklint's home page.
pub const INFORMATION_URI: &str = "https://github.com/goleaklint/goleaklint";
/// The base id every result location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where a rule's documentation is published.
pub fn help_uri(rule: RuleId) -> String {
    format!("{INFORMATION_URI}/blob/main/rules/{}.md", rule.name())
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation<'a>; 1],
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct TextMarkdown<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text<'static>,
    full_description: Text<'static>,
    help: TextMarkdown<'static>,
    help_uri: String,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    precision: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    locations: Vec<LocationOnly>,
}

#[derive(Serialize)]
struct LocationOnly {
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

/// SARIF's name for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Note => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// `lost-cancel` → `LostCancel`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// The body of the `## <heading>` section of a rule doc, trimmed.
fn section(doc: &'static str, heading: &str) -> Option<&'static str> {
    let marker = format!("\n## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

fn rule(meta: &'static RuleMeta, id: RuleId) -> Rule {
    let summary = meta.summary();
    Rule {
        id: meta.name,
        name: pascal_case(meta.name),
        short_description: Text { text: summary },
        full_description: Text {
            text: section(meta.doc, "What it does").unwrap_or(summary),
        },
        help: TextMarkdown {
            text: meta.doc,
            markdown: meta.doc,
        },
        help_uri: help_uri(id),
        default_configuration: DefaultConfiguration {
            level: level(meta.default_severity),
        },
        properties: RuleProperties {
            tags: [meta.family.as_str(), "leak"],
            precision: meta.precision.as_str(),
        },
    }
}

/// Percent-encodes a path for a URI: every byte but the unreserved ones and `/`.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file://` URI of a directory, with a trailing slash.
pub fn dir_uri(dir: &Path) -> String {
    let mut p = dir.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", uri_path(&p))
}

/// A display path as an artifact location: relative to `%SRCROOT%`, or an
/// absolute `file://` URI for a file outside the working directory.
fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", uri_path(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: uri_path(path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Converts the byte column `column` of a position at byte `offset` into a
/// UTF-16 column, when the file's text is known (GitHub counts columns so).
pub fn utf16_column(text: Option<&str>, offset: usize, column: usize) -> usize {
    let Some(text) = text else {
        return column;
    };
    let end = offset.min(text.len());
    let start = end.saturating_sub(column - 1);
    match text.get(start..end) {
        Some(prefix) => prefix.encode_utf16().count() + 1,
        None => column,
    }
}

fn region(outcome: &Outcome, l: &Location) -> Region {
    let text = outcome.sources.get(&l.path).map(|t| &**t);
    Region {
        start_line: l.start.line,
        start_column: utf16_column(text, l.span.start, l.start.column),
        end_line: l.end.line,
        end_column: utf16_column(text, l.span.end, l.end.column),
    }
}

fn physical(outcome: &Outcome, l: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(&l.path),
        region: Some(region(outcome, l)),
    }
}

fn result<'a>(outcome: &'a Outcome, d: &'a Diagnostic, fp: String) -> SarifResult<'a> {
    let related_locations = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| SarifLocation {
            id: Some(i + 1),
            physical_location: physical(outcome, &l.location),
            message: Some(Text { text: &l.message }),
        })
        .collect();
    let fixes = d
        .fix
        .iter()
        .map(|f| {
            // Edits grouped per file, in order.
            let mut changes: Vec<ArtifactChange<'a>> = Vec::new();
            for e in &f.edits {
                let rep = Replacement {
                    deleted_region: region(outcome, &e.location),
                    inserted_content: Text { text: &e.new_text },
                };
                let uri = artifact(&e.location.path).uri;
                match changes.iter_mut().find(|c| c.artifact_location.uri == uri) {
                    Some(c) => c.replacements.push(rep),
                    None => changes.push(ArtifactChange {
                        artifact_location: artifact(&e.location.path),
                        replacements: vec![rep],
                    }),
                }
            }
            SarifFix {
                description: Text {
                    text: &f.description,
                },
                artifact_changes: changes,
            }
        })
        .collect();
    SarifResult {
        rule_id: d.rule.name(),
        rule_index: d.rule.index(),
        level: level(d.severity),
        message: Text { text: &d.message },
        locations: [SarifLocation {
            id: None,
            physical_location: physical(outcome, &d.location),
            message: None,
        }],
        related_locations,
        partial_fingerprints: BTreeMap::from([(fingerprint::SARIF_KEY, fp)]),
        fixes,
    }
}

fn notification(e: &FileError) -> Notification<'_> {
    let region = e.line.map(|line| {
        let column = e.column.unwrap_or(1);
        Region {
            start_line: line,
            start_column: column,
            end_line: line,
            end_column: column,
        }
    });
    Notification {
        level: "error",
        message: Text { text: &e.message },
        locations: vec![LocationOnly {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&e.path),
                region,
            },
        }],
    }
}

/// Writes the SARIF log of `outcome`, whose relative paths are relative to
/// `srcroot`, pretty-printed with a trailing newline.
pub fn render_with_root(outcome: &Outcome, srcroot: &Path, out: &mut dyn Write) -> io::Result<()> {
    let fps = outcome.fingerprints();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "goleaklint",
                    version: crate::VERSION,
                    semantic_version: crate::VERSION,
                    information_uri: INFORMATION_URI,
                    rules: RuleId::all().map(|r| rule(r.meta(), r)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: outcome.errors.is_empty(),
                tool_execution_notifications: outcome.errors.iter().map(notification).collect(),
            }],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                ArtifactLocation {
                    uri: dir_uri(srcroot),
                    uri_base_id: None,
                },
            )]),
            column_kind: "utf16CodeUnits",
            results: outcome
                .diagnostics
                .iter()
                .zip(fps.iter())
                .map(|(d, fp)| result(outcome, d, fp.clone()))
                .collect(),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// Writes the SARIF log of `outcome`, relative to the working directory.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let cwd = std::env::current_dir()?;
    render_with_root(outcome, &cwd, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("lost-cancel"), "LostCancel");
        assert_eq!(uri_path("a b/c%.go"), "a%20b/c%25.go");
        assert_eq!(dir_uri(Path::new("/w/x y")), "file:///w/x%20y/");
        assert_eq!(dir_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn columns_count_utf16_units() {
        let text = "s := \"é😀\"; x\n";
        // `x` is at byte 15 (column 16); in UTF-16 units it is column 13.
        let off = text.find('x').unwrap();
        assert_eq!(utf16_column(Some(text), off, off + 1), 13);
        assert_eq!(utf16_column(None, off, off + 1), off + 1);
    }

    #[test]
    fn every_rule_doc_has_a_what_it_does_section() {
        for r in RuleId::all() {
            assert!(section(r.meta().doc, "What it does").is_some(), "{r}");
        }
    }
}
