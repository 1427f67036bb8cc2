//! Code actions: every fix a rule attached becomes a quick fix, and every
//! finding can be silenced with a `//goleaklint:ignore` directive. Nothing
//! here knows any rule.

use super::convert::Published;
use lsp_types as lsp;
use lsp_types::Url;
use std::collections::HashMap;

/// The code actions for the findings of `published` that touch `range`.
pub fn code_actions(
    uri: &Url,
    published: &[Published],
    range: lsp::Range,
    only: Option<&[lsp::CodeActionKind]>,
) -> Vec<lsp::CodeActionOrCommand> {
    // `only` filters by kind prefix: `quickfix` (or the empty kind) asks for ours.
    let wanted = only.is_none_or(|kinds| {
        kinds
            .iter()
            .any(|k| k.as_str().is_empty() || k.as_str() == "quickfix")
    });
    if !wanted {
        return Vec::new();
    }
    let mut fixes = Vec::new();
    let mut suppressions = Vec::new();
    for p in published
        .iter()
        .filter(|p| overlaps(p.diagnostic.range, range))
    {
        if let Some(fix) = &p.fix {
            fixes.push(action(
                uri,
                fix.title.clone(),
                p,
                fix.edits.clone(),
                fix.safe,
            ));
        }
        if p.rule != crate::rules::UNUSED_SUPPRESSION.name() {
            suppressions.push(action(
                uri,
                format!("Suppress {} with //goleaklint:ignore", p.rule),
                p,
                vec![p.suppress.clone()],
                false,
            ));
        }
    }
    fixes.extend(suppressions);
    fixes
}

fn action(
    uri: &Url,
    title: String,
    p: &Published,
    edits: Vec<lsp::TextEdit>,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![p.diagnostic.clone()]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// Whether two ranges share a position (touching counts: a cursor at the end
/// of a finding still asks about it).
fn overlaps(a: lsp::Range, b: lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
