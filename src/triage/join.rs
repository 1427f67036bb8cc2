//! Joining a group to the static findings that explain it.
//!
//! The join knows no rule by name. A finding explains a group when it points
//! at the group's code: its line is a frame of the stack (the blocking line
//! first) or the `go` statement that started it, or one of its labels is. A
//! finding of a rule whose report is not itself a blocking line (a context
//! never cancelled, a resource never closed: every family but the goroutine
//! one) also explains a group whose code lies in the function it reports in,
//! since that is where the goroutine's reason to end was lost.

use super::group::Group;
use super::map::{Origin, SourceIndex};
use super::parse::Frame;
use crate::diagnostic::Diagnostic;
use crate::rules::Family;
use serde::Serialize;

/// How a finding meets a group, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Match {
    /// The finding's line is a frame of the stack.
    StackLine,
    /// One of the finding's labels is on a frame of the stack.
    LabelLine,
    /// The finding is at the `go` statement that started the goroutines.
    GoStatement,
    /// The finding is in the function that holds the goroutine's code.
    SameFunction,
}

impl Match {
    /// How the text report says it.
    pub fn describe(self) -> &'static str {
        match self {
            Match::StackLine => "reported at this line",
            Match::LabelLine => "its explanation points at this line",
            Match::GoStatement => "reported at the go statement",
            Match::SameFunction => "reported in the function that starts it",
        }
    }
}

/// A finding that explains a group.
#[derive(Debug, Clone)]
pub struct Explanation<'d> {
    /// The finding.
    pub diagnostic: &'d Diagnostic,
    /// How it meets the group.
    pub how: Match,
    /// The stack frame it meets (0 is innermost), when it meets one.
    pub frame: Option<usize>,
}

/// A place of the group in the user's code.
struct Place {
    file: usize,
    line: u32,
    frame: Option<usize>,
}

/// The findings that explain `group`, strongest first.
pub fn explain<'d>(
    group: &Group,
    index: &mut SourceIndex,
    diagnostics: &'d [Diagnostic],
) -> Vec<Explanation<'d>> {
    let mut places = Vec::new();
    for (i, f) in group.stack.iter().enumerate() {
        if let Some(p) = place(index, f, Some(i)) {
            places.push(p);
        }
    }
    let created: Vec<Place> = group
        .created_by
        .iter()
        .filter_map(|(f, _)| place(index, f, None))
        .collect();
    // The declarations holding the innermost user frame and the go statement.
    let mut decls = Vec::new();
    for p in places.iter().take(1).chain(created.iter()) {
        if let Some(d) = index.declaration_lines(p.file, p.line) {
            decls.push((p.file, d));
        }
    }
    let mut out: Vec<Explanation<'d>> = Vec::new();
    for d in diagnostics {
        if d.rule.meta().family == Family::Meta {
            continue;
        }
        let Some(file) = index.by_display(&d.location.path) else {
            continue;
        };
        let line = d.location.start.line as u32;
        let on = |p: &Place, l: u32| p.file == file && p.line == l;
        let found = if let Some(p) = places.iter().find(|p| on(p, line)) {
            Some((Match::StackLine, p.frame))
        } else if let Some(p) = places.iter().find(|p| {
            d.labels.iter().any(|l| {
                index.by_display(&l.location.path) == Some(p.file)
                    && p.line == l.location.start.line as u32
            })
        }) {
            Some((Match::LabelLine, p.frame))
        } else if created.iter().any(|p| on(p, line)) {
            Some((Match::GoStatement, None))
        } else if d.rule.meta().family != Family::Goroutine
            && decls
                .iter()
                .any(|&(f, (a, b))| f == file && (a..=b).contains(&(line as usize)))
        {
            Some((Match::SameFunction, None))
        } else {
            None
        };
        if let Some((how, frame)) = found {
            out.push(Explanation {
                diagnostic: d,
                how,
                frame,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.how, a.frame, a.diagnostic.sort_key()).cmp(&(b.how, b.frame, b.diagnostic.sort_key()))
    });
    out
}

fn place(index: &mut SourceIndex, f: &Frame, frame: Option<usize>) -> Option<Place> {
    match index.origin(f) {
        Origin::User(file) if f.line > 0 => Some(Place {
            file,
            line: f.line,
            frame,
        }),
        _ => None,
    }
}
