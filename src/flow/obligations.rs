//! Ownership of acquired resources: for each call (or literal) of a
//! function that the catalogue's `[[acquire]]` entries or the package's own
//! signatures say acquires something, where the value goes and whether every
//! path to a return releases it.
//!
//! A value is released by its catalogue release (`f.Close()`,
//! `resp.Body.Close()`, `C.free(unsafe.Pointer(p))`), directly, deferred or
//! inside a deferred closure, and handed off when it is returned, stored,
//! sent, or passed to a function that is not a catalogued pure reader. The
//! error path of the acquisition (`if err != nil`) and the holder's own nil
//! checks are excluded, as are paths that end in a call that never returns.

use crate::catalog::{Acquire, Release};
use crate::check::{Callee, FunctionContext};
use crate::flow::cfg::{BlockId, Cfg, Exit};
use crate::flow::scopes::{BindingId, BindingKind};
use crate::flow::types;
use crate::source::Span;
use crate::syntax::{self, kinds};
use std::borrow::Cow;
use tree_sitter::Node;

/// One acquisition in a function and what becomes of it.
#[derive(Debug, Clone)]
pub struct Obligation<'t> {
    /// The acquiring call or composite literal: where findings point.
    pub site: Node<'t>,
    /// The catalogue entry (or one made from a package function's signature).
    pub entry: Cow<'t, Acquire>,
    /// How the acquiring call reads in messages: `http.Get`, `(*sql.DB).Query`.
    pub what: String,
    /// The statement that binds the value, if any.
    pub stmt: Option<Node<'t>>,
    /// The local variable holding the value, if any.
    pub holder: Option<BindingId>,
    /// The returns that hand the value to the caller, with the result index.
    pub returned_at: Vec<(Node<'t>, usize)>,
    /// What becomes of it.
    pub verdict: Verdict<'t>,
}

/// The outcome of following one acquisition.
#[derive(Debug, Clone)]
pub enum Verdict<'t> {
    /// Released on every path.
    Released,
    /// Someone else owns it now (returned, stored, sent, passed on).
    HandedOff,
    /// Dropped at the acquisition: assigned to `_` or never bound.
    Discarded(Span),
    /// Some paths reach a return without releasing it.
    Leaks {
        /// The exits that skip the release, in source order.
        exits: Vec<Exit<'t>>,
        /// The loop whose next iteration acquires again before the release.
        looped: Option<Node<'t>>,
    },
    /// The code does not show enough to judge.
    Unsure,
}

impl Obligation<'_> {
    /// The verb for releasing it, as past participle: `closed`, `released`.
    pub fn released_word(&self) -> &'static str {
        match &self.entry.release {
            Release::Function { .. } => "freed",
            Release::Method(path) => match path.last().map(String::as_str) {
                Some("Release") => "released",
                Some("RemoveAll") => "removed",
                _ => "closed",
            },
        }
    }

    /// `is` or `are`, for the noun.
    pub fn verb(&self) -> &'static str {
        if self.entry.noun.ends_with('s') && !self.entry.noun.ends_with("ss") {
            "are"
        } else {
            "is"
        }
    }

    /// The release as code on the holder: `resp.Body.Close()`, `C.free(…)`.
    pub fn release_code(&self, holder: &str) -> String {
        match &self.entry.release {
            Release::Method(path) => format!("{holder}.{}()", path.join(".")),
            Release::Function { package, name } => format!("{package}.{name}({holder})"),
        }
    }
}

/// What a reference to the holder does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Release,
    HandOff,
    Other,
}

/// Declared result types that make a package function acquire.
const CLOSING_RESULTS: &[&str] = &[
    "io.ReadCloser",
    "io.ReadWriteCloser",
    "io.ReadSeekCloser",
    "io.WriteCloser",
    "*os.File",
    "*sql.Rows",
];

/// Parameter types that make a package function a wrapper or a test helper.
fn wraps_or_cleans_up(ty: &str) -> bool {
    let ty = ty.trim_start_matches("...").trim_start_matches('*');
    ty.starts_with("testing.")
        || ty.starts_with("io.")
        || matches!(ty, "net.Conn" | "os.File" | "bufio.Reader" | "bufio.Writer")
}

/// Every acquisition in `f`'s own body (not in nested func literals).
pub fn collect<'t>(f: &FunctionContext<'_, 't>) -> Vec<Obligation<'t>> {
    let mut out = Vec::new();
    for &call in &f.facts.calls {
        if let Some((entry, what)) = acquisition_of_call(f, call) {
            out.push(follow(f, call, entry, what, true));
        }
    }
    if f.file.package.catalog.has_literals() {
        syntax::walk(f.body, |n| {
            if n.kind() == kinds::FUNC_LITERAL {
                return false;
            }
            if n.kind() == kinds::COMPOSITE_LITERAL {
                if let Some((entry, what)) = acquisition_of_literal(f, n) {
                    out.push(follow(f, n, entry, what, false));
                }
            }
            true
        });
    }
    out
}

fn acquisition_of_call<'t>(
    f: &FunctionContext<'_, 't>,
    call: Node<'t>,
) -> Option<(Cow<'t, Acquire>, String)> {
    let catalog: &'t crate::catalog::Catalog = f.file.package.catalog;
    match f.callee(call) {
        Callee::Package { path, name } => {
            let e = catalog.acquire_function(path, name)?;
            Some((
                Cow::Borrowed(e),
                format!("{}.{name}", catalog.package_name(path)),
            ))
        }
        Callee::DotImported { name } => {
            let path = f
                .file
                .imports
                .dot_imports()
                .find(|p| catalog.acquire_function(p, name).is_some())?;
            let e = catalog.acquire_function(path, name)?;
            Some((
                Cow::Borrowed(e),
                format!("{}.{name}", catalog.package_name(path)),
            ))
        }
        Callee::Method { receiver, name } => {
            if !catalog.has_acquire_method(name) {
                return None;
            }
            let ty = types::type_of(f, receiver)?;
            let path = ty.package.as_deref()?;
            let e = catalog.acquire_method(path, &ty.name, name)?;
            let pkg = catalog.package_name(path);
            let what = if ty.pointer {
                format!("(*{pkg}.{}).{name}", ty.name)
            } else {
                format!("{pkg}.{}.{name}", ty.name)
            };
            Some((Cow::Borrowed(e), what))
        }
        Callee::Local { name } => {
            let sig = f.file.package.index.funcs.get(name)?;
            if sig.params.iter().any(|p| wraps_or_cleans_up(&p.ty)) {
                // A constructor that takes a stream wraps it (the caller owns the
                // stream); a test helper registers its own cleanup.
                return None;
            }
            let ty = sig.results.first()?.ty.trim();
            let release = if ty == "*http.Response" {
                "Body.Close"
            } else if CLOSING_RESULTS.contains(&ty)
                || f.file
                    .package
                    .index
                    .closers
                    .contains(ty.trim_start_matches('*'))
            {
                "Close"
            } else {
                return None;
            };
            Some((
                Cow::Owned(Acquire::local(release, sig.results.len())),
                name.to_string(),
            ))
        }
        _ => None,
    }
}

fn acquisition_of_literal<'t>(
    f: &FunctionContext<'_, 't>,
    lit: Node<'t>,
) -> Option<(Cow<'t, Acquire>, String)> {
    let catalog: &'t crate::catalog::Catalog = f.file.package.catalog;
    let ty = lit.child_by_field_name("type")?;
    if ty.kind() != kinds::QUALIFIED_TYPE {
        return None;
    }
    let named = types::NamedType::parse(f, f.text(ty))?;
    let path = named.package.as_deref()?;
    let e = catalog.acquire_literal(path, &named.name)?;
    Some((
        Cow::Borrowed(e),
        format!("{}.{}{{…}}", catalog.package_name(path), named.name),
    ))
}

/// Where the acquired value goes from the acquiring expression.
fn follow<'t>(
    f: &FunctionContext<'_, 't>,
    site: Node<'t>,
    entry: Cow<'t, Acquire>,
    what: String,
    is_call: bool,
) -> Obligation<'t> {
    let mut ob = Obligation {
        site,
        entry,
        what,
        stmt: None,
        holder: None,
        returned_at: Vec::new(),
        verdict: Verdict::Unsure,
    };
    // Climb through parentheses, `&T{…}` and pass-through wrappers (`lo.Must(os.Open(p))`).
    let mut expr = site;
    let mut result = if is_call { ob.entry.result } else { 0 };
    let mut error_index = ob.entry.error_result;
    loop {
        let Some(p) = expr.parent() else { break };
        match p.kind() {
            kinds::PARENTHESIZED_EXPRESSION => expr = p,
            kinds::UNARY_EXPRESSION if !is_call && f.text(p).starts_with('&') => expr = p,
            kinds::ARGUMENT_LIST => {
                let Some(call) = p.parent() else { break };
                let first = syntax::named_children(p)
                    .next()
                    .is_some_and(|a| a.id() == expr.id());
                if first && is_pass_through(f, call) {
                    expr = call;
                    result = 0;
                    error_index = None;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    let Some(parent) = expr.parent() else {
        return ob;
    };
    match parent.kind() {
        kinds::EXPRESSION_LIST => {
            let Some(stmt) = parent.parent() else {
                return ob;
            };
            match stmt.kind() {
                kinds::RETURN_STATEMENT => {
                    let values = syntax::expressions(parent);
                    let index = if values.len() == 1 {
                        result
                    } else {
                        values.iter().position(|v| v.id() == expr.id()).unwrap_or(0)
                    };
                    ob.returned_at.push((stmt, index));
                    ob.verdict = Verdict::HandedOff;
                }
                kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT | kinds::VAR_SPEC => {
                    bind(f, &mut ob, stmt, parent, expr, result, error_index);
                }
                _ => {}
            }
        }
        kinds::ARGUMENT_LIST => {
            ob.verdict = match parent.parent().map(|c| passing_use(f, c)) {
                Some(Use::Other) => Verdict::Discarded(Span::of(expr)),
                _ => Verdict::HandedOff,
            };
        }
        kinds::KEYED_ELEMENT | kinds::LITERAL_ELEMENT | kinds::SEND_STATEMENT => {
            ob.verdict = Verdict::HandedOff;
        }
        kinds::EXPRESSION_STATEMENT => ob.verdict = Verdict::Discarded(Span::of(expr)),
        _ => {}
    }
    ob
}

fn bind<'t>(
    f: &FunctionContext<'_, 't>,
    ob: &mut Obligation<'t>,
    stmt: Node<'t>,
    right: Node<'t>,
    expr: Node<'t>,
    result: usize,
    error_index: Option<usize>,
) {
    let is_rhs = stmt
        .child_by_field_name(if stmt.kind() == kinds::VAR_SPEC {
            "value"
        } else {
            "right"
        })
        .is_some_and(|r| r.id() == right.id());
    if !is_rhs {
        return;
    }
    if stmt.kind() == kinds::ASSIGNMENT_STATEMENT
        && stmt
            .child_by_field_name("operator")
            .is_some_and(|o| f.text(o) != "=")
    {
        return;
    }
    let left = syntax::left_side(stmt);
    let values = syntax::expressions(right);
    let (index, error_index) = if values.len() == 1 {
        let err = error_index.or_else(|| (left.len() > 1).then(|| left.len() - 1));
        (result, err.filter(|&e| e != result))
    } else {
        let at = values.iter().position(|v| v.id() == expr.id()).unwrap_or(0);
        (at, None)
    };
    let Some(target) = left.get(index).map(|n| syntax::unparen(*n)) else {
        return;
    };
    ob.stmt = Some(stmt);
    match target.kind() {
        kinds::BLANK_IDENTIFIER => ob.verdict = Verdict::Discarded(Span::of(target)),
        kinds::IDENTIFIER if f.text(target) == "_" => {
            ob.verdict = Verdict::Discarded(Span::of(target))
        }
        kinds::IDENTIFIER => {
            let Some(b) = f.scopes.binding_of(target) else {
                // A package variable: stored for the package.
                ob.verdict = Verdict::HandedOff;
                return;
            };
            let binding = f.scopes.binding(b);
            if binding.func != f.span() {
                // A variable of an enclosing function: that function owns it.
                ob.verdict = Verdict::HandedOff;
                return;
            }
            match binding.kind {
                BindingKind::Result => ob.verdict = Verdict::HandedOff,
                BindingKind::Var => {
                    ob.holder = Some(b);
                    let err = error_index
                        .and_then(|i| left.get(i))
                        .and_then(|n| f.scopes.binding_of(syntax::unparen(*n)));
                    ob.verdict = paths(f, ob, stmt, b, err);
                }
                _ => {}
            }
        }
        // A field, index or dereference: stored.
        _ => ob.verdict = Verdict::HandedOff,
    }
}

/// Follows the holder `b` from `stmt` to the function's exits.
fn paths<'t>(
    f: &FunctionContext<'_, 't>,
    ob: &mut Obligation<'t>,
    stmt: Node<'t>,
    b: BindingId,
    err: Option<BindingId>,
) -> Verdict<'t> {
    let mut stops: Vec<Span> = Vec::new();
    let mut handed_off = false;
    let mut released = false;
    for r in f.scopes.references(b).iter().filter(|r| !r.write) {
        let Some(ident) = f.body.descendant_for_byte_range(r.span.start, r.span.end) else {
            continue;
        };
        match classify(f, &ob.entry.release, ident, &mut ob.returned_at) {
            Use::Release => {
                released = true;
                stops.push(r.span);
            }
            Use::HandOff => {
                handed_off = true;
                stops.push(r.span);
            }
            Use::Other => {}
        }
    }
    let Some(cfg) = f.cfg() else {
        return Verdict::Unsure;
    };
    let Some(pos) = cfg.enclosing_position(stmt) else {
        return Verdict::Unsure;
    };
    let err_checked_until = err.map(|e| first_write_after(f, e, stmt));
    let walk = Walk {
        f,
        cfg,
        def: cfg.blocks[pos.0].nodes[pos.1],
        stops: &stops,
        holder: b,
        err: err.zip(err_checked_until),
    };
    let (exits, looped) = walk.run(pos);
    if exits.is_empty() && !looped {
        return if released || !handed_off {
            Verdict::Released
        } else {
            Verdict::HandedOff
        };
    }
    Verdict::Leaks {
        exits,
        looped: looped.then(|| syntax::enclosing_loop(stmt)).flatten(),
    }
}

/// The byte offset of the first write to `b` after `stmt`, or the end of the file.
fn first_write_after(f: &FunctionContext<'_, '_>, b: BindingId, stmt: Node<'_>) -> usize {
    f.scopes
        .references(b)
        .iter()
        .filter(|r| r.write && r.span.start >= stmt.end_byte())
        .map(|r| r.span.start)
        .min()
        .unwrap_or(usize::MAX)
}

struct Walk<'w, 'f, 't> {
    f: &'w FunctionContext<'f, 't>,
    cfg: &'w Cfg<'t>,
    def: Node<'t>,
    stops: &'w [Span],
    holder: BindingId,
    /// The acquisition's error variable, checkable before this offset.
    err: Option<(BindingId, usize)>,
}

impl<'t> Walk<'_, '_, 't> {
    fn stops_at(&self, n: Node<'t>) -> bool {
        let span = Span::of(n);
        self.stops.iter().any(|s| span.contains(*s))
    }

    /// The exits reachable without a stop, and whether a loop comes back to the acquisition.
    fn run(&self, (start, index): (BlockId, usize)) -> (Vec<Exit<'t>>, bool) {
        let mut exits = Vec::new();
        let mut looped = false;
        let mut seen = vec![false; self.cfg.blocks.len()];
        let mut stack = Vec::new();
        self.visit(start, index + 1, &mut stack, &mut exits, &mut looped);
        while let Some(b) = stack.pop() {
            if std::mem::replace(&mut seen[b], true) {
                continue;
            }
            self.visit(b, 0, &mut stack, &mut exits, &mut looped);
        }
        exits.sort_by_key(|e: &Exit<'_>| e.span());
        exits.dedup_by_key(|e| e.span());
        (exits, looped)
    }

    fn visit(
        &self,
        b: BlockId,
        from: usize,
        stack: &mut Vec<BlockId>,
        exits: &mut Vec<Exit<'t>>,
        looped: &mut bool,
    ) {
        let block = &self.cfg.blocks[b];
        for &n in block.nodes.iter().skip(from) {
            if n.id() == self.def.id() {
                *looped = true;
                return;
            }
            if self.stops_at(n) {
                return;
            }
        }
        match block.exit {
            Some(exit) if exit.returns() => exits.push(exit),
            Some(_) => {}
            None => {
                let pruned = block.branch.and_then(|br| {
                    self.impossible(br.cond).map(|then_impossible| {
                        if then_impossible {
                            br.then
                        } else {
                            br.otherwise
                        }
                    })
                });
                stack.extend(
                    block
                        .succs
                        .iter()
                        .rev()
                        .copied()
                        .filter(|s| Some(*s) != pruned),
                );
            }
        }
    }

    /// For a condition that tests the acquisition's error or the holder
    /// against nil: `Some(true)` when its then-branch cannot hold the
    /// resource (`err != nil`, `x == nil`), `Some(false)` for the else-branch.
    fn impossible(&self, cond: Node<'t>) -> Option<bool> {
        let cond = syntax::unparen(cond);
        if cond.kind() == kinds::CALL_EXPRESSION {
            // `os.IsExist(err)`, `errors.Is(err, fs.ErrNotExist)`: true only for a non-nil error.
            return self.error_predicate(cond).then_some(true);
        }
        if cond.kind() != "binary_expression" {
            return None;
        }
        let op = self.f.text(cond.child_by_field_name("operator")?);
        if op == "&&" {
            // `err != nil && …` in the then-branch still means err != nil.
            let left = self.impossible(cond.child_by_field_name("left")?);
            let right = self.impossible(cond.child_by_field_name("right")?);
            return left.filter(|t| *t).or(right.filter(|t| *t));
        }
        let (l, r) = (
            syntax::unparen(cond.child_by_field_name("left")?),
            syntax::unparen(cond.child_by_field_name("right")?),
        );
        let other = if self.f.text(r) == "nil" {
            l
        } else if self.f.text(l) == "nil" {
            r
        } else {
            return None;
        };
        if other.kind() != kinds::IDENTIFIER {
            return None;
        }
        let b = self.f.scopes.binding_of(other)?;
        let is_err = self
            .err
            .is_some_and(|(e, until)| e == b && cond.start_byte() < until);
        match (op, is_err, b == self.holder) {
            ("!=", true, _) | ("==", _, true) => Some(true),
            ("==", true, _) | ("!=", _, true) => Some(false),
            _ => None,
        }
    }
}

impl<'t> Walk<'_, '_, 't> {
    /// Whether `call` is an `Is…`/`As…` predicate on the acquisition's error.
    fn error_predicate(&self, call: Node<'t>) -> bool {
        let Some((err, until)) = self.err else {
            return false;
        };
        let name = call
            .child_by_field_name("function")
            .map(|fun| self.f.text(fun).rsplit('.').next().unwrap_or(""))
            .unwrap_or("");
        let first = call
            .child_by_field_name("arguments")
            .and_then(|a| syntax::named_children(a).next())
            .map(syntax::unparen);
        (name.starts_with("Is") || name == "As")
            && call.start_byte() < until
            && first.is_some_and(|a| {
                a.kind() == kinds::IDENTIFIER && self.f.scopes.binding_of(a) == Some(err)
            })
    }
}

/// What the reference `ident` to the holder does with the resource.
fn classify<'t>(
    f: &FunctionContext<'_, 't>,
    release: &Release,
    ident: Node<'t>,
    returned: &mut Vec<(Node<'t>, usize)>,
) -> Use {
    let mut cur = ident;
    match release {
        Release::Method(path) => {
            let mut consumed = 0;
            loop {
                let Some(p) = parent_skipping_parens(cur) else {
                    return Use::Other;
                };
                let is_operand = p.kind() == kinds::SELECTOR_EXPRESSION
                    && p.child_by_field_name("operand")
                        .is_some_and(|o| syntax::unparen(o).id() == cur.id());
                if !is_operand {
                    break;
                }
                let field = p.child_by_field_name("field").map(|x| f.text(x));
                if consumed < path.len() && field == Some(path[consumed].as_str()) {
                    consumed += 1;
                    cur = p;
                    if consumed == path.len() {
                        let called = parent_skipping_parens(p).is_some_and(|c| {
                            c.kind() == kinds::CALL_EXPRESSION
                                && c.child_by_field_name("function")
                                    .is_some_and(|fun| syntax::unparen(fun).id() == p.id())
                        });
                        return if called { Use::Release } else { Use::Other };
                    }
                    continue;
                }
                // A field read or another method: not the resource itself.
                return Use::Other;
            }
            if consumed + 1 < path.len() && consumed != 0 {
                return Use::Other;
            }
        }
        Release::Function { package, name } => {
            // Through conversions: `unsafe.Pointer(p)`, `(*C.char)(p)`.
            while let Some(call) = argument_of(cur) {
                if is_release_function(f, call, package, name) {
                    return Use::Release;
                }
                if is_conversion(f, call) {
                    cur = call;
                } else {
                    break;
                }
            }
        }
    }
    value_use(f, cur, returned)
}

fn parent_skipping_parens(n: Node<'_>) -> Option<Node<'_>> {
    let mut p = n.parent()?;
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        p = p.parent()?;
    }
    Some(p)
}

/// The call whose argument `n` is.
fn argument_of(n: Node<'_>) -> Option<Node<'_>> {
    let p = parent_skipping_parens(n)?;
    (p.kind() == kinds::ARGUMENT_LIST)
        .then(|| p.parent())
        .flatten()
}

fn is_release_function(
    f: &FunctionContext<'_, '_>,
    call: Node<'_>,
    package: &str,
    name: &str,
) -> bool {
    call.child_by_field_name("function")
        .is_some_and(|fun| f.text(fun) == format!("{package}.{name}"))
}

/// `unsafe.Pointer(x)`, `uintptr(x)`, `(*C.char)(x)`, `C.size_t(x)`: a conversion, not a call.
fn is_conversion(f: &FunctionContext<'_, '_>, call: Node<'_>) -> bool {
    let Some(fun) = call.child_by_field_name("function") else {
        return false;
    };
    let text = f.text(fun);
    fun.kind() == kinds::PARENTHESIZED_EXPRESSION
        || text == "unsafe.Pointer"
        || text == "uintptr"
        || (text.starts_with("C.") && f.file.imports.path_of("C").is_some() && {
            let name = &text[2..];
            name.starts_with(|c: char| c.is_ascii_lowercase()) && name.contains('_')
                || matches!(name, "char" | "uchar" | "int" | "uint" | "long" | "ulong")
        })
}

/// What using the resource as a value at `cur` does with it.
fn value_use<'t>(
    f: &FunctionContext<'_, 't>,
    mut cur: Node<'t>,
    returned: &mut Vec<(Node<'t>, usize)>,
) -> Use {
    loop {
        let Some(p) = cur.parent() else {
            return Use::Other;
        };
        match p.kind() {
            kinds::PARENTHESIZED_EXPRESSION => cur = p,
            kinds::UNARY_EXPRESSION if f.text(p).starts_with('&') => cur = p,
            kinds::EXPRESSION_LIST => {
                let Some(stmt) = p.parent() else {
                    return Use::Other;
                };
                let values = syntax::expressions(p);
                let at = values.iter().position(|v| v.id() == cur.id()).unwrap_or(0);
                return match stmt.kind() {
                    kinds::RETURN_STATEMENT => {
                        returned.push((stmt, at));
                        Use::HandOff
                    }
                    kinds::SHORT_VAR_DECLARATION
                    | kinds::ASSIGNMENT_STATEMENT
                    | kinds::VAR_SPEC => {
                        let on_right = stmt
                            .child_by_field_name(if stmt.kind() == kinds::VAR_SPEC {
                                "value"
                            } else {
                                "right"
                            })
                            .is_some_and(|r| r.id() == p.id());
                        let blank = syntax::left_side(stmt)
                            .get(at)
                            .is_some_and(|l| f.text(*l) == "_");
                        if on_right && !blank {
                            Use::HandOff
                        } else {
                            Use::Other
                        }
                    }
                    _ => Use::Other,
                };
            }
            kinds::ARGUMENT_LIST => {
                return p.parent().map_or(Use::Other, |call| passing_use(f, call));
            }
            kinds::KEYED_ELEMENT | kinds::LITERAL_ELEMENT => return Use::HandOff,
            kinds::SEND_STATEMENT => {
                let is_value = p
                    .child_by_field_name("value")
                    .is_some_and(|v| v.id() == cur.id());
                return if is_value { Use::HandOff } else { Use::Other };
            }
            _ => return Use::Other,
        }
    }
}

/// What passing a resource to `call` does: pure readers and most builtins
/// leave it with the caller; anything else may take it over.
fn passing_use<'t>(f: &FunctionContext<'_, 't>, call: Node<'t>) -> Use {
    let catalog = f.file.package.catalog;
    match f.callee(call) {
        Callee::Builtin("append") => Use::HandOff,
        Callee::Builtin(_) => Use::Other,
        c @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
            if f.is_package_func(c, |p, n| catalog.is_pure_reader(p, n)) {
                Use::Other
            } else {
                Use::HandOff
            }
        }
        _ => {
            if is_conversion(f, call) {
                Use::Other
            } else {
                Use::HandOff
            }
        }
    }
}

fn is_pass_through<'t>(f: &FunctionContext<'_, 't>, call: Node<'t>) -> bool {
    let catalog = f.file.package.catalog;
    let callee = f.callee(call);
    f.is_package_func(callee, |p, n| catalog.is_pass_through(p, n))
}

/// Where `defer x.Close()` can go so that adding it changes nothing but the
/// leak: the value is bound by `:=` directly in a block outside any loop, is
/// never released, handed off or used in a closure, and the statement is
/// followed by its `if err != nil { … }` check when the call has an error.
/// Returns the insertion point and the text.
pub fn safe_defer_fix(f: &FunctionContext<'_, '_>, ob: &Obligation<'_>) -> Option<(Span, String)> {
    let stmt = ob.stmt?;
    let holder = ob.holder?;
    if !matches!(ob.verdict, Verdict::Leaks { looped: None, .. })
        || stmt.kind() != kinds::SHORT_VAR_DECLARATION
        || !matches!(ob.entry.release, Release::Method(_))
        || syntax::in_loop(stmt)
        || stmt
            .parent()
            .is_none_or(|p| p.kind() != kinds::STATEMENT_LIST)
    {
        return None;
    }
    let mut scratch = Vec::new();
    for r in f.scopes.references(holder).iter().filter(|r| !r.write) {
        let ident = f.body.descendant_for_byte_range(r.span.start, r.span.end)?;
        if classify(f, &ob.entry.release, ident, &mut scratch) != Use::Other
            || syntax::enclosing_function(ident).is_none_or(|fun| fun.id() != f.node.id())
        {
            return None;
        }
    }
    let left = syntax::left_side(stmt);
    let mut after = stmt;
    if left.len() > 1 {
        let err = left.last().map(|n| f.text(*n))?;
        let next = stmt.next_named_sibling()?;
        let cond = next.child_by_field_name("condition")?;
        let checks = next.kind() == kinds::IF_STATEMENT
            && next.child_by_field_name("initializer").is_none()
            && next.child_by_field_name("alternative").is_none()
            && f.text(cond).split_whitespace().collect::<Vec<_>>() == [err, "!=", "nil"];
        if !checks {
            return None;
        }
        after = next;
    }
    let name = &f.scopes.binding(holder).name;
    let indent = f.file.source.indent_at(stmt.start_byte());
    let end = after.end_byte();
    Some((
        Span::new(end, end),
        format!("\n{indent}defer {}", ob.release_code(name)),
    ))
}
