//! Suppression directives: `//nolint:goleaklint`, `//goleaklint:ignore <rule> <reason>`
//! and `//goleaklint:file-ignore <rule> <reason>`. Directives that suppress
//! nothing, or that cannot be understood, are reported themselves.

use crate::diagnostic::Diagnostic;
use crate::rules::RuleId;
use crate::source::{SourceFile, Span};
use crate::syntax::kinds;
use crate::syntax::Node;

/// What a directive silences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Findings on the directive's own line, or on the next line when the comment stands alone.
    Line(usize),
    /// The whole file.
    File,
}

/// Which rules a directive silences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every rule (`//nolint`, `//nolint:goleaklint`).
    All,
    /// The listed rules.
    Rules(Vec<RuleId>),
}

/// One directive found in a file.
#[derive(Debug, Clone)]
pub struct Directive {
    /// The comment's span.
    pub span: Span,
    /// Where it applies.
    pub scope: Scope,
    /// What it silences.
    pub target: Target,
    /// Whether goleaklint is named explicitly (only those are reported when unused).
    pub explicit: bool,
    /// A reason the directive cannot be used, if malformed.
    pub malformed: Option<String>,
    /// Whether it silenced something.
    pub used: bool,
}

/// Finds the directives of a file: a text scan confirmed by the syntax tree
/// (so a directive inside a string literal is not one).
pub fn directives(source: &SourceFile, root: Node<'_>) -> Vec<Directive> {
    let text = &source.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("//") {
        let start = from + found;
        from = start + 2;
        let rest = &text[start + 2..];
        let body = rest.trim_start();
        if !(body.starts_with("nolint") || body.starts_with("goleaklint:")) {
            continue;
        }
        let Some(comment) = root.descendant_for_byte_range(start, start + 2) else {
            continue;
        };
        if comment.kind() != kinds::COMMENT || comment.start_byte() != start {
            continue;
        }
        from = comment.end_byte();
        if let Some(d) = parse_directive(source, comment) {
            out.push(d);
        }
    }
    out
}

fn parse_directive(source: &SourceFile, comment: Node<'_>) -> Option<Directive> {
    let span = Span::of(comment);
    let text = source.slice(span);
    let body = text.trim_start_matches('/').trim_start();
    let pos = source.position(span.start);
    let alone = source.line_text(pos.line)[..pos.column - 1]
        .trim()
        .is_empty();
    let line = if alone { pos.line + 1 } else { pos.line };
    let mut d = Directive {
        span,
        scope: Scope::Line(line),
        target: Target::All,
        explicit: false,
        malformed: None,
        used: false,
    };
    if let Some(rest) = body.strip_prefix("nolint") {
        // golangci-lint convention: `//nolint`, `//nolint:a,b`, `//nolint:a // reason`.
        let list = rest.split("//").next().unwrap_or("").trim();
        if list.is_empty() {
            return Some(d);
        }
        let names = list.strip_prefix(':')?;
        let names: Vec<&str> = names.split(',').map(str::trim).collect();
        if names.contains(&"goleaklint") {
            d.explicit = true;
            return Some(d);
        }
        if names.contains(&"all") {
            return Some(d);
        }
        return None;
    }
    let rest = body.strip_prefix("goleaklint:")?;
    d.explicit = true;
    // A further `//` starts an ordinary comment, not the reason.
    let rest = rest.split("//").next().unwrap_or("");
    let mut words = rest.split_whitespace();
    let verb = words.next().unwrap_or("");
    match verb {
        "ignore" => {}
        "file-ignore" => d.scope = Scope::File,
        _ => {
            d.malformed = Some(format!(
                "unknown directive `goleaklint:{verb}`; use `goleaklint:ignore <rule> <reason>` or `goleaklint:file-ignore <rule> <reason>`"
            ));
            return Some(d);
        }
    }
    let Some(rule_list) = words.next() else {
        d.malformed = Some(format!(
            "`goleaklint:{verb}` needs a rule name and a reason"
        ));
        return Some(d);
    };
    let mut rules = Vec::new();
    for name in rule_list.split(',').filter(|s| !s.is_empty()) {
        match RuleId::from_name(name) {
            Some(r) => rules.push(r),
            None => {
                d.malformed = Some(format!("unknown rule `{name}` in `goleaklint:{verb}`"));
                return Some(d);
            }
        }
    }
    if words.next().is_none() {
        d.malformed = Some(format!(
            "`goleaklint:{verb} {rule_list}` needs a reason after the rule name"
        ));
    }
    d.target = Target::Rules(rules);
    Some(d)
}

impl Directive {
    fn covers(&self, diag: &Diagnostic) -> bool {
        if self.malformed.is_some() {
            return false;
        }
        let here = match self.scope {
            Scope::File => true,
            Scope::Line(l) => diag.location.start.line == l,
        };
        here && match &self.target {
            Target::All => true,
            Target::Rules(r) => r.contains(&diag.rule),
        }
    }
}

/// Which diagnostics directives silence, marking those directives used.
pub fn silenced(directives: &mut [Directive], diagnostics: &[Diagnostic]) -> Vec<bool> {
    diagnostics
        .iter()
        .map(|diag| {
            let mut silenced = false;
            for d in directives.iter_mut() {
                if d.covers(diag) {
                    d.used = true;
                    silenced = true;
                }
            }
            silenced
        })
        .collect()
}
