//! From the engine's diagnostics (byte offsets, 1-based lines) to the
//! protocol's (0-based lines, columns in UTF-16 code units).

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, Span};
use lsp_types as lsp;
use lsp_types::Url;

/// Where rule documentation is published.
pub const RULE_DOCS: &str = "https://github.com/goleaklint/goleaklint/blob/main/rules/";

/// The protocol position of a byte offset.
pub fn position(src: &SourceFile, offset: usize) -> lsp::Position {
    let mut offset = offset.min(src.text.len());
    while !src.text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = src.position(offset).line - 1;
    let start = src.line_start(line).unwrap_or(0);
    let character = src.text[start..offset].encode_utf16().count();
    lsp::Position::new(line as u32, character as u32)
}

/// The protocol range of a byte span.
pub fn range(src: &SourceFile, span: Span) -> lsp::Range {
    lsp::Range::new(position(src, span.start), position(src, span.end))
}

/// A quick fix, ready to offer as a code action.
#[derive(Debug, Clone)]
pub struct QuickFix {
    /// The action's title.
    pub title: String,
    /// Whether the fix is safe (the preferred action).
    pub safe: bool,
    /// Its edits, all in the diagnostic's file.
    pub edits: Vec<lsp::TextEdit>,
}

/// A published diagnostic with what code actions need to know about it.
#[derive(Debug, Clone)]
pub struct Published {
    /// The protocol diagnostic.
    pub diagnostic: lsp::Diagnostic,
    /// The rule's name.
    pub rule: &'static str,
    /// The rule's fix, if any.
    pub fix: Option<QuickFix>,
    /// The edit that silences this finding with a directive.
    pub suppress: lsp::TextEdit,
}

/// Converts one engine diagnostic found in `src`, the file at `uri`.
pub fn diagnostic(d: &Diagnostic, src: &SourceFile, uri: &Url) -> Published {
    let rule = d.rule.name();
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(src, l.location.span)),
            message: l.message.clone(),
        })
        .collect();
    let message = match &d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message.clone(),
    };
    let diagnostic = lsp::Diagnostic {
        range: range(src, d.location.span),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(rule.to_string())),
        code_description: Url::parse(&format!("{RULE_DOCS}{rule}.md"))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("goleaklint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    };
    let fix = d.fix.as_ref().map(|f| QuickFix {
        title: f.description.clone(),
        safe: f.safe,
        edits: f
            .edits
            .iter()
            .map(|e| lsp::TextEdit::new(range(src, e.location.span), e.new_text.clone()))
            .collect(),
    });
    Published {
        diagnostic,
        rule,
        fix,
        suppress: suppress_edit(src, d),
    }
}

/// Inserts `//goleaklint:ignore <rule> <reason>` alone on the line above the
/// finding, at that line's indentation.
fn suppress_edit(src: &SourceFile, d: &Diagnostic) -> lsp::TextEdit {
    let line = d.location.start.line;
    let start = src.line_start(line - 1).unwrap_or(0);
    let indent = src.indent_at(start);
    let at = lsp::Position::new((line - 1) as u32, 0);
    lsp::TextEdit::new(
        lsp::Range::new(at, at),
        format!(
            "{indent}//goleaklint:ignore {} TODO: say why this is not a leak\n",
            d.rule.name()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // `é` is 2 bytes and 1 unit; `𝄞` is 4 bytes and 2 units.
        let text = "package p\n\nvar s = \"é𝄞\" + x\n".to_string();
        let src = SourceFile::new("a.go", text.clone());
        let x = text.find("x\n").unwrap();
        assert_eq!(position(&src, x), lsp::Position::new(2, 16));
        assert_eq!(position(&src, 0), lsp::Position::new(0, 0));
        assert_eq!(position(&src, text.len()), lsp::Position::new(3, 0));
        // Inside a multi-byte character: the start of that character.
        let e = text.find('é').unwrap();
        assert_eq!(position(&src, e + 1), lsp::Position::new(2, 9));
    }
}
