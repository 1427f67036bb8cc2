//! `field-not-released`: a struct field holds something that must be
//! released, and the type never releases it.
//!
//! ## What it does
//! Finds acquisitions (every `[[acquire]]` and `[[cancel]]` entry of the
//! catalogue, and functions of the package or module returning a type with
//! a `Close` method) stored in a field of a struct type of the package, in a
//! constructor or method: `t.ticker = time.NewTicker(d)`, `&T{cancel: cancel}`,
//! `s.conn, err = net.Dial(…)`, `h.w = kafka.NewWriter(…)`. It reports the
//! acquisition when the type's release methods (`Close`, `Stop`, `Shutdown`,
//! …, the helpers they call, and the goroutines the type starts) never
//! release the field, or, when the type has no release method, when nothing
//! in the package does. Handing the field off (a getter returning it, passing
//! it to a function that keeps it, copying it elsewhere) counts as released.
//! A method that replaces the field's value while the old one may be live
//! (a redial, a rotation) without releasing it first is reported too.
//! The package-wide view is a package fact ([`crate::flow::lifetimes`]).
//!
//! ## Why is this bad?
//! A field lives as long as its object. Every object created per request,
//! per connection or per test and then closed keeps the ticker ticking, the
//! context's timer and goroutine alive, and the connection open.
//!
//! ## Example
//! ```go
//! func NewPoller(d time.Duration) *Poller {
//!     return &Poller{ticker: time.NewTicker(d), done: make(chan struct{})}
//! }
//!
//! func (p *Poller) Stop() { close(p.done) } // p.ticker keeps ticking
//! ```
//!
//! Use instead: release every field in the release method:
//! `func (p *Poller) Stop() { p.ticker.Stop(); close(p.done) }`.

use super::{Family, Precision, Rule, RuleMeta};
use crate::catalog::Release;
use crate::check::{Callee, FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;
use crate::facts::Releaser;
use crate::flow::lifetimes::{
    is_release_name, ArgCallee, FieldUse, FieldUseKind, Lifetimes, Origin, Resolver, StructTypes,
};
use crate::flow::obligation::{ArgFate, Holder, Touch, Verdict};
use crate::flow::summary::ReleaseSummary;
use crate::index::{func_key, FuncKey};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashSet as HashSet;

/// The `field-not-released` rule.
pub struct FieldNotReleased;

static META: RuleMeta = RuleMeta {
    name: "field-not-released",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::Medium,
    has_fix: false,
    doc: include_str!("../../rules/field-not-released.md"),
};

/// Release methods labelled on one finding.
const MAX_METHOD_LABELS: usize = 3;

impl Rule for FieldNotReleased {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
        pkg.fact::<StructTypes>();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        !file.package.index.types.is_empty() && file.src().contains('.')
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        let types = f.file.package.fact::<StructTypes>();
        if types.types.is_empty() {
            return;
        }
        let r = Resolver {
            scopes: f.scopes(),
            src: f.src(),
            root: f.top,
            types,
            index: f.file.package.index,
        };
        let stored = stored(f, &r);
        if stored.is_empty() {
            return;
        }
        // The package-wide uses of fields, scanned only once a field holds something.
        let lt = f.file.package.fact::<Lifetimes>();
        for s in stored {
            judge(f, lt, &s, sink);
        }
    }
}

/// An acquisition stored in a field.
struct Stored<'a> {
    /// The acquiring call or literal.
    call: Node<'a>,
    release: Release,
    owner: String,
    field: String,
    /// How the finding names what was acquired.
    what: String,
    /// Other fields the same value is stored in (`c.Stdin = pr` and
    /// `c.closers = append(c.closers, pr)`): releasing any of them releases it.
    also: Vec<(String, String)>,
}

/// Every acquisition of `f`'s body that ends up in a field of a package struct.
fn stored<'a>(f: &FunctionContext<'_, 'a>, r: &Resolver<'_, 'a>) -> Vec<Stored<'a>> {
    let mut out = Vec::new();
    let mut seen = HashSet::default();
    for ob in f.obligations() {
        seen.insert(ob.call.id());
        let mut targets = match ob.holder {
            Holder::Stored(h) => r
                .field_of(element_of(h))
                .map(|(o, fi)| vec![(o.name.clone(), fi.name.clone())])
                .unwrap_or_default(),
            Holder::Local { binding, .. }
                if !matches!(ob.verdict, Verdict::Leaks(_) | Verdict::Discarded) =>
            {
                let released = matches!(ob.verdict, Verdict::Released);
                stored_local(f, r, binding, &ob.entry.release, released)
            }
            Holder::Unnamed(v) => field_target(r, v).into_iter().collect(),
            _ => Vec::new(),
        };
        if targets.is_empty() {
            continue;
        }
        let (owner, field) = targets.remove(0);
        out.push(Stored {
            call: ob.call,
            release: ob.entry.release.clone(),
            owner,
            field,
            what: describe(f, ob.call, &ob.entry.release),
            also: targets,
        });
    }
    for &call in &f.facts().calls {
        if seen.contains(&call.id()) {
            continue;
        }
        let Some(release) = returned_closer(f, call) else {
            continue;
        };
        if wraps_value(f, call) {
            continue;
        }
        let Some(stmt) = syntax::assignment_of(call) else {
            if let Some((owner, field)) = field_target(r, call) {
                let what = describe(f, call, &release);
                out.push(Stored {
                    call,
                    release,
                    owner,
                    field,
                    what,
                    also: Vec::new(),
                });
            }
            continue;
        };
        let Some(lhs) = syntax::left_side(stmt).first().copied() else {
            continue;
        };
        if let Some((o, fi)) = r.field_of(element_of(lhs)) {
            let what = describe(f, call, &release);
            out.push(Stored {
                call,
                release,
                owner: o.name.clone(),
                field: fi.name.clone(),
                what,
                also: Vec::new(),
            });
        }
    }
    out
}

/// The fields a local holding an acquisition is stored into (the first
/// one first), unless the function also hands the local off elsewhere or
/// releases it in a `defer` or, when `released` (on every path), anywhere:
/// then the fields only borrow it.
fn stored_local<'a>(
    f: &FunctionContext<'_, 'a>,
    r: &Resolver<'_, 'a>,
    binding: crate::flow::scopes::BindingId,
    release: &Release,
    released: bool,
) -> Vec<(String, String)> {
    let reads: Vec<Node<'a>> = f
        .scopes()
        .references(binding)
        .iter()
        .filter(|x| !x.write)
        .filter_map(|x| f.body.descendant_for_byte_range(x.span.start, x.span.end))
        .collect();
    let mut targets: Vec<(String, String)> = Vec::new();
    for t in reads.iter().filter_map(|id| field_target(r, *id)) {
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    if targets.is_empty() {
        return targets;
    }
    let deferred = |n: Node<'_>| f.facts().defers.iter().any(|d| syntax::within(n, *d));
    let elsewhere = reads
        .iter()
        .any(|n| match crate::flow::obligation::touch(f, *n, release) {
            Touch::HandOff => field_target(r, *n).is_none(),
            Touch::Release => released || deferred(*n),
            _ => false,
        });
    if elsewhere {
        Vec::new()
    } else {
        targets
    }
}

/// Whether a call wraps a value the function already holds (`bufio`-like
/// `NewReader(f)`, `gzip.NewReader(resp.Body)`): its `Close` is the
/// wrapped value's owner's business. Arguments of basic types do not count.
fn wraps_value<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> bool {
    let Some(args) = call.child_by_field_name("arguments") else {
        return false;
    };
    syntax::named_children(args).any(|a| {
        let mut a = syntax::unparen(a);
        if a.kind() == kinds::UNARY_EXPRESSION {
            a = a.child_by_field_name("operand").map_or(a, syntax::unparen);
        }
        match a.kind() {
            kinds::SELECTOR_EXPRESSION => true,
            kinds::IDENTIFIER if f.scopes().is_free(a) => false,
            kinds::IDENTIFIER => f.declared_type(a).is_none_or(|t| !basic_type(t)),
            _ => false,
        }
    })
}

/// Strings, numbers, booleans, byte slices, durations.
fn basic_type(t: &str) -> bool {
    let t = t.trim().trim_start_matches("...").trim_start_matches("[]");
    matches!(
        t,
        "string"
            | "bool"
            | "byte"
            | "rune"
            | "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "uintptr"
            | "float32"
            | "float64"
            | "time.Duration"
    )
}

/// How a call of a package or module function returning a closer is released.
fn returned_closer<'a>(f: &FunctionContext<'_, 'a>, call: Node<'a>) -> Option<Release> {
    let index = f.file.package.index;
    let callee = f.callee(call);
    if let Callee::Local { name } = callee {
        let sig = index.funcs.get(name)?;
        let ty = crate::index::base_type(&sig.results.first()?.ty);
        return index
            .closers
            .contains(ty)
            .then(|| Release::Method(vec!["Close".to_string()]));
    }
    let facts = f.module_func(callee)?;
    if let Some(a) = &facts.acquires {
        if a.result != 0 {
            return None;
        }
        return Some(match &a.release {
            crate::facts::Release::Method(m) => {
                Release::Method(m.split('.').map(str::to_string).collect())
            }
            crate::facts::Release::Call => Release::Call,
            crate::facts::Release::Func { path, name } => Release::Function {
                package: path.clone(),
                name: name.clone(),
            },
        });
    }
    let ty = facts.results.first()?;
    match f.file.package.module.releaser(ty)? {
        Releaser::Method(m) if m.params == 0 => Some(Release::Method(vec![m.name.clone()])),
        _ => None,
    }
}

/// `x.f` for an element `x.f[i]` of a slice or map field, else the node itself.
fn element_of(n: Node<'_>) -> Node<'_> {
    let n = syntax::unparen(n);
    if n.kind() == kinds::INDEX_EXPRESSION {
        n.child_by_field_name("operand").unwrap_or(n)
    } else {
        n
    }
}

/// The field a value node is stored into: `x.f = v` or `T{f: v}`.
fn field_target<'a>(r: &Resolver<'_, 'a>, v: Node<'a>) -> Option<(String, String)> {
    let mut n = v;
    while let Some(p) = n.parent() {
        if p.kind() == kinds::PARENTHESIZED_EXPRESSION
            || (p.kind() == kinds::UNARY_EXPRESSION && v.kind() == kinds::COMPOSITE_LITERAL)
        {
            n = p;
        } else {
            break;
        }
    }
    let p = n.parent()?;
    match p.kind() {
        kinds::ARGUMENT_LIST => appended_to(r, p, n),
        kinds::EXPRESSION_LIST => {
            let stmt = p
                .parent()
                .filter(|s| s.kind() == kinds::ASSIGNMENT_STATEMENT)?;
            if stmt.child_by_field_name("right")?.id() != p.id() {
                return None;
            }
            let i = syntax::named_children(p).position(|x| x.id() == n.id())?;
            let lhs = syntax::left_side(stmt);
            if lhs.len() != syntax::named_children(p).count() {
                return None;
            }
            let (o, fi) = r.field_of(element_of(*lhs.get(i)?))?;
            Some((o.name.clone(), fi.name.clone()))
        }
        kinds::LITERAL_ELEMENT => {
            let keyed = p.parent().filter(|k| k.kind() == kinds::KEYED_ELEMENT)?;
            if keyed.child_by_field_name("value")?.id() != p.id() {
                return None;
            }
            let key = syntax::text(keyed.child_by_field_name("key")?, r.src);
            let lit = keyed.parent()?.parent()?;
            if lit.kind() != kinds::COMPOSITE_LITERAL {
                return None;
            }
            let ty = crate::flow::lifetimes::types::struct_name(syntax::text(
                lit.child_by_field_name("type")?,
                r.src,
            ));
            let info = r.types.types.get(ty)?;
            // An embedded field is keyed by its type's name (`T{Conn: c}`).
            let fi = info
                .fields
                .iter()
                .chain(&info.embeds)
                .find(|f| f.name == key)?;
            Some((info.name.clone(), fi.name.clone()))
        }
        _ => None,
    }
}

/// The field `v` is appended to: `x.f = append(x.f, v)` stores `v` in `x.f`
/// as surely as `x.f[i] = v` does (`args` is the call's argument list).
fn appended_to<'a>(r: &Resolver<'_, 'a>, args: Node<'a>, v: Node<'a>) -> Option<(String, String)> {
    let call = args
        .parent()
        .filter(|c| c.kind() == kinds::CALL_EXPRESSION)?;
    let f = call.child_by_field_name("function").map(syntax::unparen)?;
    if f.kind() != kinds::IDENTIFIER || syntax::text(f, r.src) != "append" || !r.scopes.is_free(f) {
        return None;
    }
    let mut list = syntax::named_children(args);
    let slice = syntax::unparen(list.next()?);
    if slice.id() == v.id() || !list.any(|a| a.id() == v.id()) {
        return None;
    }
    let stmt = syntax::assignment_of(call).filter(|s| s.kind() == kinds::ASSIGNMENT_STATEMENT)?;
    let [target] = syntax::left_side(stmt)[..] else {
        return None;
    };
    let target = syntax::unparen(target);
    if syntax::text(target, r.src) != syntax::text(slice, r.src) {
        return None;
    }
    let (o, fi) = r.field_of(target)?;
    Some((o.name.clone(), fi.name.clone()))
}

/// `time.NewTicker(…)`, `&kafka.Writer{…}`, the cancel func of `context.WithCancel(…)`.
fn describe(f: &FunctionContext<'_, '_>, call: Node<'_>, release: &Release) -> String {
    if call.kind() == kinds::COMPOSITE_LITERAL {
        let ty = call.child_by_field_name("type").map_or("", |t| f.text(t));
        return format!("&{ty}{{…}}");
    }
    let func = call
        .child_by_field_name("function")
        .map_or("", |c| f.text(c));
    match release {
        Release::Call => format!("the cancel func of {func}(…)"),
        _ => format!("{func}(…)"),
    }
}

/// What a field use does to a value released by `release`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Releases,
    HandsOff,
    None,
}

fn effect(f: &FunctionContext<'_, '_>, u: &FieldUse, release: &Release) -> Effect {
    effect_of(f, &u.kind, release)
}

fn effect_of(f: &FunctionContext<'_, '_>, kind: &FieldUseKind, release: &Release) -> Effect {
    match (kind, release) {
        (FieldUseKind::Method(path), Release::Method(want)) if path == want => Effect::Releases,
        (FieldUseKind::Method(path), _) if path.len() == 1 && is_release_name(&path[0]) => {
            Effect::Releases
        }
        (FieldUseKind::Called, Release::Call) => Effect::Releases,
        (FieldUseKind::HandedOff, _) => Effect::HandsOff,
        (FieldUseKind::Arg { callee, index }, _) => match callee {
            ArgCallee::Local(key) => {
                let fate = f
                    .file
                    .package
                    .fact::<ReleaseSummary>()
                    .param(key, *index)
                    .map_or(ArgFate::Takes, |p| p.for_release(release));
                // `c.closeAll(c.closers)` ranging over its parameter and closing each.
                let ranged = f
                    .file
                    .package
                    .fact::<Lifetimes>()
                    .funcs
                    .get(key)
                    .and_then(|i| i.ranged_params.iter().find(|(p, _)| p == index))
                    .map(|(_, k)| effect_of(f, k, release));
                match fate {
                    ArgFate::Releases(_) => Effect::Releases,
                    _ if ranged == Some(Effect::Releases) => Effect::Releases,
                    ArgFate::Takes => Effect::HandsOff,
                    ArgFate::Reads => Effect::None,
                }
            }
            ArgCallee::Package { path, name } => {
                let catalog = f.file.package.catalog;
                match release {
                    Release::Function { package, name: n } if package == path && n == name => {
                        Effect::Releases
                    }
                    _ if catalog.is_pure_reader(path, name) => Effect::None,
                    _ => Effect::HandsOff,
                }
            }
            ArgCallee::Unknown => Effect::HandsOff,
        },
        _ => Effect::None,
    }
}

/// The verb a release takes in a message: `closes`, `stops`, `calls`, `frees`.
fn verb(release: &Release) -> (&'static str, &'static str) {
    match release {
        Release::Method(p) => match p.last().map(String::as_str) {
            Some("Stop") => ("stops", "stop"),
            Some("Close") => ("closes", "close"),
            _ => ("releases", "release"),
        },
        Release::Call => ("calls", "call"),
        Release::Function { .. } => ("frees", "free"),
    }
}

fn method_name(key: &FuncKey) -> &str {
    match key {
        FuncKey::Func(n) | FuncKey::Method(_, n) => n,
    }
}

/// Whether the value sits in an embedded field whose release method the
/// owner does not declare itself: `type countedConn struct{ net.Conn }`
/// promotes `Close`, so closing the owner closes the field.
fn promoted(
    index: &crate::index::PackageIndex,
    owner: &crate::flow::lifetimes::StructInfo,
    field: &str,
    release: &Release,
) -> bool {
    let Release::Method(path) = release else {
        return false;
    };
    let [method] = path.as_slice() else {
        return false;
    };
    owner.embeds.iter().any(|e| e.name == field)
        && !index
            .methods
            .contains_key(&(owner.name.clone(), method.clone()))
}

/// Whether the type `owner` releases (or hands off) what its field `field`
/// holds where it releases things: its release methods, what they call and
/// its goroutines, or anywhere in the package when it has no release method.
fn released(
    f: &FunctionContext<'_, '_>,
    lt: &Lifetimes,
    owner: &str,
    field: &str,
    release: &Release,
    here: Option<&FuncKey>,
) -> bool {
    let rms = lt.release_methods(f.file.package.index, owner);
    let mut sites = rms.clone();
    sites.extend(lt.goroutine_methods(owner));
    sites.extend(here.cloned());
    let reach = lt.reach(&sites);
    lt.uses_of(owner, field)
        .any(|u| match effect(f, u, release) {
            Effect::HandsOff => true,
            Effect::Releases => rms.is_empty() || u.func.as_ref().is_none_or(|k| reach.contains(k)),
            Effect::None => false,
        })
}

fn judge(f: &FunctionContext<'_, '_>, lt: &Lifetimes, s: &Stored<'_>, sink: &mut Sink<'_>) {
    let pkg = f.file.package;
    let index = pkg.index;
    let Some((owner, fi)) = lt.types.field_owner(&s.owner, &s.field) else {
        return;
    };
    if promoted(index, owner, &s.field, &s.release) {
        return;
    }
    let here = func_key(f.top, f.src());
    let rms = lt.release_methods(index, &s.owner);
    let uses: Vec<&FieldUse> = lt.uses_of(&s.owner, &s.field).collect();
    if released(f, lt, &s.owner, &s.field, &s.release, here.as_ref()) {
        replaced(f, lt, s, &rms, &uses, here.as_ref(), sink);
        return;
    }
    if s.also
        .iter()
        .any(|(o, fl)| released(f, lt, o, fl, &s.release, here.as_ref()))
    {
        return;
    }
    let (verbs, verb_inf) = verb(&s.release);
    let t = &s.owner;
    let recv = t
        .chars()
        .next()
        .map(|c| c.to_ascii_lowercase().to_string())
        .unwrap_or_default();
    let value = format!("{recv}.{}", s.field);
    let message = if rms.is_empty() {
        format!(
            "{} is stored in {t}.{}, but {t} has no Close or Stop method and nothing in the package {verbs} it",
            s.what, s.field
        )
    } else {
        // Promoted and embedding types' methods can share a name: say it once.
        let mut names: Vec<String> = Vec::new();
        for k in &rms {
            let n = format!("{t}.{}", method_name(k));
            if !names.contains(&n) {
                names.push(n);
            }
        }
        format!(
            "{} is stored in {t}.{}, but {} never {verbs} it",
            s.what,
            s.field,
            names.join(" or ")
        )
    };
    let low = fi.exported() || lt.singleton(index, t) || lt.finalized.contains(t.as_str());
    let mut rep = sink.report(Span::of(s.call), message).label_in(
        &pkg.files[fi.file].source,
        fi.span,
        format!("{t}.{} is declared here", s.field),
    );
    for k in rms.iter().take(MAX_METHOD_LABELS) {
        let Some(info) = lt.funcs.get(k) else {
            continue;
        };
        let within = lt.reach(std::slice::from_ref(k));
        let mut others: Vec<&str> = lt
            .uses
            .iter()
            .filter(|u| u.owner.as_deref() == Some(t.as_str()) && u.field != s.field)
            .filter(|u| u.func.as_ref().is_some_and(|x| within.contains(x)))
            .filter(|u| {
                matches!(&u.kind, FieldUseKind::Method(p) if p.len() == 1 && is_release_name(&p[0]))
                    || matches!(u.kind, FieldUseKind::Called | FieldUseKind::Closed)
            })
            .map(|u| u.field.as_str())
            .collect();
        others.sort_unstable();
        others.dedup();
        let nils = uses.iter().any(|u| {
            u.kind == FieldUseKind::Assigned(Origin::Nil)
                && u.func.as_ref().is_some_and(|x| within.contains(x))
        });
        let name = method_name(k);
        let text = if nils {
            format!("`{name}` only sets {value} to nil, which does not {verb_inf} it")
        } else if others.is_empty() {
            format!("`{name}` never {verbs} {value}")
        } else {
            let list: Vec<String> = others.iter().map(|o| format!("{recv}.{o}")).collect();
            format!("`{name}` releases {} but never {value}", list.join(", "))
        };
        rep = rep.label_in(&pkg.files[info.file].source, info.name_span, text);
    }
    let call = s.release.describe(&value);
    let help = match rms.first() {
        Some(k) => format!("call `{call}` in `{}`", method_name(k)),
        None => format!(
            "add a `Close` (or `Stop`) method to {t} that calls `{call}`, and call it when the {t} is done"
        ),
    };
    let help = if low {
        format!("{help} (a note only: the field is exported, the {t} lives for the whole process, or a finalizer releases it)")
    } else {
        help
    };
    rep = rep.help(help);
    if low {
        let _ = rep.severity(Severity::Note);
    }
}

/// A method that puts a new value in a field the type does release, while
/// the old value may still be live and nothing releases it first.
fn replaced(
    f: &FunctionContext<'_, '_>,
    lt: &Lifetimes,
    s: &Stored<'_>,
    rms: &[FuncKey],
    uses: &[&FieldUse],
    here: Option<&FuncKey>,
    sink: &mut Sink<'_>,
) {
    let Some(here @ FuncKey::Method(..)) = here else {
        return;
    };
    if rms.contains(here) {
        return;
    }
    let Some(info) = lt.funcs.get(here) else {
        return;
    };
    if info.creates.contains(&s.owner) {
        return;
    }
    // The constructor fills the field: the old value is live when this runs.
    let Some(first) = uses.iter().find(|u| {
        matches!(u.kind, FieldUseKind::Assigned(o) if o != Origin::Nil)
            && u.func.as_ref().is_some_and(|k| {
                k != here
                    && lt
                        .funcs
                        .get(k)
                        .is_some_and(|i| i.creates.contains(&s.owner))
            })
    }) else {
        return;
    };
    let settles = |k: &FuncKey| {
        let within = lt.reach(std::slice::from_ref(k));
        uses.iter().any(|u| {
            u.func.as_ref().is_some_and(|x| within.contains(x))
                && (u.kind == FieldUseKind::NilCheck || effect(f, u, &s.release) != Effect::None)
        })
    };
    if settles(here) {
        return;
    }
    // Its callers may release the old value (or be the constructor).
    for (k, caller) in &lt.funcs {
        if caller.calls.contains(here) && (caller.creates.contains(&s.owner) || settles(k)) {
            return;
        }
    }
    let (_, verb_inf) = verb(&s.release);
    let pkg = f.file.package;
    sink.report(
        Span::of(s.call),
        format!(
            "{} replaces {}.{} without releasing the old value: the previous one is never {}",
            s.what,
            s.owner,
            s.field,
            match verb_inf {
                "stop" => "stopped",
                "close" => "closed",
                "call" => "called",
                "free" => "freed",
                _ => "released",
            }
        ),
    )
    .label_in(
        &pkg.files[first.file].source,
        first.span,
        format!("{}.{} is first assigned here", s.owner, s.field),
    )
    .help(format!(
        "{verb_inf} the old value before replacing it (`if x.{f} != nil {{ {} }}`)",
        s.release.describe(&format!("x.{}", s.field)),
        f = s.field
    ));
}
