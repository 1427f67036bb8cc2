//! `--format github`: GitHub Actions workflow commands, one per finding,
//! which GitHub shows as annotations on the pull request:
//!
//! ```text
//! ::warning file=a.go,line=3,col=2,endLine=3,endColumn=9,title=goleaklint (lost-cancel)::message
//! ```
//!
//! Errors become `::error`, warnings `::warning`, notes `::notice`; files that
//! could not be analysed are `::error` lines. Columns count UTF-16 code
//! units, as in SARIF.

use crate::diagnostic::{Diagnostic, FileError, Severity};
use crate::engine::Outcome;
use crate::report::sarif::utf16_column;
use std::io::{self, Write};

/// The workflow command for a severity.
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Escapes a command's message (`%`, `\r`, `\n`).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (as data, and also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One finding as a workflow command (without the newline); `text` is the
/// file's text, to count columns in UTF-16 code units.
pub fn annotation(d: &Diagnostic, text: Option<&str>) -> String {
    let l = &d.location;
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command(d.severity),
        escape_property(&l.path),
        l.start.line,
        utf16_column(text, l.span.start, l.start.column),
        l.end.line,
        utf16_column(text, l.span.end, l.end.column),
        escape_property(&format!("goleaklint ({})", d.rule)),
        escape_data(&message)
    )
}

/// One file error as an `::error` command.
pub fn error_annotation(e: &FileError) -> String {
    let mut props = format!("file={}", escape_property(&e.path));
    if let Some(line) = e.line {
        props.push_str(&format!(",line={line}"));
        if let Some(col) = e.column {
            props.push_str(&format!(",col={col}"));
        }
    }
    format!(
        "::error {props},title=goleaklint::{}",
        escape_data(&e.message)
    )
}

/// Writes one command per finding, then one per file error.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for d in &outcome.diagnostics {
        let text = outcome.sources.get(&d.location.path).map(|t| &**t);
        writeln!(out, "{}", annotation(d, text))?;
    }
    for e in &outcome.errors {
        writeln!(out, "{}", error_annotation(e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab%3A c%2C d"
        );
    }

    #[test]
    fn file_errors_are_error_commands() {
        let e = FileError {
            path: "dir,x/a:b.go".into(),
            line: Some(3),
            column: Some(7),
            message: "expected `}`\nfound EOF".into(),
        };
        assert_eq!(
            error_annotation(&e),
            "::error file=dir%2Cx/a%3Ab.go,line=3,col=7,title=goleaklint::expected `}`%0Afound EOF"
        );
        let e = FileError {
            line: None,
            column: None,
            ..e
        };
        assert!(error_annotation(&e).starts_with("::error file=dir%2Cx/a%3Ab.go,title="));
    }
}
