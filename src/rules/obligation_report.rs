//! The report shared by the rules that are a group of `[[acquire]]`
//! catalogue entries: one finding per leaking or discarded acquisition, at
//! the acquiring call, with a label on each exit that skips the release and
//! on the overwrite that drops it.

use crate::catalog::{Acquire, Release};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::flow::cfg::Exit;
use crate::flow::command;
use crate::flow::obligation::{self, Holder, Leak, Obligation, Touch, Verdict};
use crate::flow::types;
use crate::source::Span;
use crate::syntax::{self, kinds};

/// Labels beyond this many exits would only repeat themselves.
const MAX_EXIT_LABELS: usize = 3;

/// Whether `file` imports a package that some `[[acquire]]` entry of
/// `group` acquires from: the files a group's rule need look at.
pub fn imports_group(file: &FileContext<'_>, group: &str) -> bool {
    file.package
        .catalog
        .acquisitions()
        .iter()
        .any(|a| a.group == group && file.imports(&a.package))
}

/// Reports every obligation of `f` whose catalogue group is `group` and
/// that leaks or is discarded; `fixable` rules attach a `defer` fix.
pub fn report_group<'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &mut Sink<'_>,
    group: &str,
    fixable: bool,
) {
    for ob in f.obligations().iter().filter(|o| o.entry.group == group) {
        match &ob.verdict {
            Verdict::Discarded => report_discarded(f, sink, ob),
            Verdict::Leaks(leak) if leak.skips_return() => {
                report_leak(f, sink, ob, leak, fixable);
            }
            _ => {}
        }
    }
}

/// How the acquiring call reads in messages: `http.Get`, `(*sql.DB).Query`,
/// `kafka.Writer{…}`, `openBlob`.
pub fn what<'a>(f: &FunctionContext<'_, 'a>, ob: &Obligation<'a>) -> String {
    let e = ob.entry;
    let catalog = f.file.package.catalog;
    let pkg = if e.package.is_empty() {
        None
    } else {
        Some(catalog.package_name(&e.package))
    };
    if e.literal {
        return format!("{}.{}{{…}}", pkg.unwrap_or_default(), e.name);
    }
    let Some(recv) = &e.receiver else {
        return match pkg {
            Some(p) => format!("{p}.{}", e.name),
            None => e.name.clone(),
        };
    };
    let receiver = ob
        .call
        .child_by_field_name("function")
        .and_then(|s| s.child_by_field_name("operand"));
    let pointer = receiver
        .and_then(|r| types::type_of(f, r))
        .is_none_or(|t| t.pointer);
    let ty = match pkg {
        Some(p) => format!("{p}.{recv}"),
        None => recv.clone(),
    };
    if pointer {
        format!("(*{ty}).{}", e.name)
    } else {
        format!("{ty}.{}", e.name)
    }
}

/// The past participle of releasing: `closed`, `released`, `freed`.
pub fn released_word(entry: &Acquire) -> &'static str {
    match &entry.release {
        Release::Function { .. } => "freed",
        Release::Call => "called",
        Release::Method(path) => match path.last().map(String::as_str) {
            Some("Release") => "released",
            Some("RemoveAll") => "removed",
            Some("Stop") => "stopped",
            _ => "closed",
        },
    }
}

/// `is` or `are`, for the entry's noun.
fn verb(entry: &Acquire) -> &'static str {
    if entry.noun.ends_with('s') && !entry.noun.ends_with("ss") {
        "are"
    } else {
        "is"
    }
}

/// The release as code on the holder: `resp.Body.Close()`, `C.free(unsafe.Pointer(p))`.
pub fn release_code(entry: &Acquire, holder: &str) -> String {
    match &entry.release {
        Release::Function { package, name } if package == "C" && name == "free" => {
            format!("C.free(unsafe.Pointer({holder}))")
        }
        r => r.describe(holder),
    }
}

fn report_discarded<'a>(f: &FunctionContext<'_, 'a>, sink: &mut Sink<'_>, ob: &Obligation<'a>) {
    let e = ob.entry;
    let at = match ob.holder {
        Holder::Blank(n) | Holder::Unnamed(n) | Holder::Stored(n) => Span::of(n),
        Holder::Local { ident, .. } => Span::of(ident),
    };
    let (noun, done) = (&e.noun, released_word(e));
    let mut report = sink.report(
        ob.span(),
        format!(
            "the {noun} from {} is discarded without being {done}",
            what(f, ob)
        ),
    );
    let note = command_note(f, ob);
    if !note.is_empty() {
        report = report.severity(Severity::Note);
    }
    report
        .label(at, format!("the {noun} is dropped here"))
        .help(format!(
            "keep the {noun} in a variable and release it with `{}`{note}",
            release_code(e, "x"),
        ));
}

/// Leaked from a function that runs once per run of a command (`main`, a
/// CLI action), outside a loop, a value lives until the command exits: a
/// note, as for the package maps of a command.
const COMMAND_NOTE: &str =
    " (a note: it is acquired once per run of a command and lives until the command exits)";

/// [`COMMAND_NOTE`] when `ob` is acquired once per run of a command (its
/// finding is then a note); empty otherwise.
fn command_note<'a>(f: &FunctionContext<'_, 'a>, ob: &Obligation<'a>) -> &'static str {
    if runs_once_per_command(f) && !syntax::in_loop(ob.call) {
        COMMAND_NOTE
    } else {
        ""
    }
}

/// Whether `f` runs once per run of a command ([`command`]).
fn runs_once_per_command(f: &FunctionContext<'_, '_>) -> bool {
    command::runs_once_per_command(f.node, f.src(), &f.file.package.index.name)
}

fn report_leak<'a>(
    f: &FunctionContext<'_, 'a>,
    sink: &mut Sink<'_>,
    ob: &Obligation<'a>,
    leak: &Leak<'a>,
    fixable: bool,
) {
    let e = ob.entry;
    let name = match ob.binding() {
        Some(b) => f.scopes().binding(b).name.clone(),
        None => "it".to_string(),
    };
    let release = release_code(e, &name);
    let (noun, done) = (&e.noun, released_word(e));
    let mut report = sink.report(
        ob.span(),
        format!(
            "the {noun} from {} {} not {done} on every path",
            what(f, ob),
            verb(e)
        ),
    );
    for exit in leak.exits.iter().take(MAX_EXIT_LABELS) {
        let msg = match exit {
            Exit::Implicit(_) => format!("the function ends here without `{release}`"),
            _ => format!("this return skips `{release}`"),
        };
        report = report.label(exit.span(), msg);
    }
    if leak.exits.len() > MAX_EXIT_LABELS {
        let more = leak.exits.len() - MAX_EXIT_LABELS;
        report = report.label(
            leak.exits[MAX_EXIT_LABELS].span(),
            format!("and {more} more exit(s) that skip `{release}`"),
        );
    }
    if let Some(o) = &leak.overwritten {
        report = match o.in_loop {
            Some(l) => report.label(
                Span::new(l.start_byte(), l.start_byte() + 3),
                format!("the next iteration replaces `{name}` before it is {done}"),
            ),
            None => report.label(
                Span::of(o.at),
                format!("`{name}` is replaced here before it is {done}"),
            ),
        };
    }
    let note = if leak.overwritten.is_none() {
        command_note(f, ob)
    } else {
        ""
    };
    if !note.is_empty() {
        report = report.severity(Severity::Note);
    }
    report = report.help(format!(
        "`defer {release}` once the acquisition has succeeded, or hand the {noun} to its owner{note}"
    ));
    if !fixable || leak.overwritten.is_some() || !matches!(e.release, Release::Method(_)) {
        return;
    }
    let Some(site) = obligation::defer_site(f, ob) else {
        return;
    };
    let Some(stmt) = ob.stmt.filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION) else {
        return;
    };
    // After `if err != nil { return … }` only: an `else` would hold the success path.
    if site.after.id() != stmt.id() && site.after.child_by_field_name("alternative").is_some() {
        return;
    }
    // A release already on some path: a second one from `defer` is harmless
    // for these types but worth a look before it is applied.
    let releases_somewhere = ob.binding().is_some_and(|b| {
        f.scopes()
            .references(b)
            .iter()
            .filter(|r| !r.write)
            .any(|r| {
                f.body
                    .descendant_for_byte_range(r.span.start, r.span.end)
                    .is_some_and(|id| obligation::touch(f, id, &e.release) == Touch::Release)
            })
    });
    let indent = f.file.source.indent_at(stmt.start_byte());
    let end = site.after.end_byte();
    let in_block = stmt
        .parent()
        .is_some_and(|p| p.kind() == kinds::STATEMENT_LIST)
        && !syntax::in_loop(stmt);
    report.fix(
        format!("add `defer {release}`"),
        site.safe && in_block && !releases_somewhere,
        vec![(Span::new(end, end), format!("\n{indent}defer {release}"))],
    );
}
