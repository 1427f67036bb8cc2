//! The report shared by the rules that are a group of `[[acquire]]`
//! catalogue entries: one finding per leaking or discarded acquisition, at
//! the acquiring call, with a label on each exit that skips the release.

use crate::check::{FunctionContext, Sink};
use crate::flow::cfg::Exit;
use crate::flow::obligations::{self, Obligation, Verdict};
use crate::source::Span;
use crate::syntax::enclosing_loop;

/// Labels beyond this many exits would only repeat themselves.
const MAX_EXIT_LABELS: usize = 3;

/// Reports every obligation of `f` whose catalogue group is `group` and
/// that leaks or is discarded.
pub fn report_group(f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>, group: &str, fixable: bool) {
    for ob in f.obligations().iter().filter(|o| o.entry.group == group) {
        match &ob.verdict {
            Verdict::Discarded(at) => report_discarded(sink, ob, *at),
            Verdict::Leaks { exits, looped } => {
                report_leak(f, sink, ob, exits, looped.is_some(), fixable)
            }
            _ => {}
        }
    }
}

fn report_discarded(sink: &mut Sink<'_>, ob: &Obligation<'_>, at: Span) {
    let (noun, what, done) = (&ob.entry.noun, &ob.what, ob.released_word());
    sink.report(
        Span::of(ob.site),
        format!("the {noun} from {what} is discarded without being {done}"),
    )
    .label(at, format!("the {noun} is dropped here"))
    .help(format!(
        "keep the {noun} in a variable and release it with `{}`",
        ob.entry.release.display()
    ));
}

fn report_leak(
    f: &FunctionContext<'_, '_>,
    sink: &mut Sink<'_>,
    ob: &Obligation<'_>,
    exits: &[Exit<'_>],
    looped: bool,
    fixable: bool,
) {
    let name = ob
        .holder
        .map(|b| f.scopes.binding(b).name.clone())
        .unwrap_or_else(|| "it".into());
    let release = ob.release_code(&name);
    let (noun, what, verb, done) = (&ob.entry.noun, &ob.what, ob.verb(), ob.released_word());
    let mut report = sink.report(
        Span::of(ob.site),
        format!("the {noun} from {what} {verb} not {done} on every path"),
    );
    for exit in exits.iter().take(MAX_EXIT_LABELS) {
        let msg = match exit {
            Exit::Implicit(_) => format!("the function ends here without `{release}`"),
            _ => format!("this return skips `{release}`"),
        };
        report = report.label(exit.span(), msg);
    }
    if exits.len() > MAX_EXIT_LABELS {
        let more = exits.len() - MAX_EXIT_LABELS;
        report = report.label(
            exits[MAX_EXIT_LABELS].span(),
            format!("and {more} more exit(s) that skip `{release}`"),
        );
    }
    if looped {
        if let Some(l) = ob.stmt.and_then(enclosing_loop) {
            report = report.label(
                Span::new(l.start_byte(), l.start_byte() + 3),
                format!("the next iteration replaces `{name}` before it is {done}"),
            );
        }
    }
    report = report.help(format!(
        "`defer {release}` once the acquisition has succeeded, or hand the {noun} to its owner"
    ));
    if fixable {
        if let Some(edit) = obligations::safe_defer_fix(f, ob) {
            report.fix(format!("add `defer {release}`"), true, vec![edit]);
        }
    }
}
