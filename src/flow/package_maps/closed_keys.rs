//! Keys drawn from a closed set, though no constant is written at the write:
//! a parameter of an unexported function that every call in the package
//! passes a constant (`newLoggingConn("server", c)` keying a counter by
//! `baseName`), or a local variable built only from constants and lookups in
//! a constant table (`flags |= flagNames[s]` with `flagNames` a map literal of
//! constants that nothing writes). A map keyed by one holds at most as many
//! entries as the set has values.

use super::{MapWrite, Scan, MAP_TYPE};
use crate::facts::callers::Param;
use crate::flow::scopes::{has_token, BindingId, BindingKind, Scopes};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How far a local's definitions are followed through other locals.
const MAX_DEPTH: usize = 3;

/// The unexported functions whose parameters are closed sets, and the
/// package's constant tables.
#[derive(Debug, Default)]
pub(super) struct ClosedSets {
    /// Unexported function → per parameter position, whether every call in
    /// the package passes a constant there.
    params: HashMap<String, Vec<bool>>,
    /// Package-level maps initialised with a literal of constant values that
    /// nothing writes, deletes from or hands on.
    tables: HashSet<String>,
    /// Unexported functions that only initialisation calls (see [`super::run_once`]).
    pub(super) init_only: HashSet<String>,
}

/// A function being observed: its parameters and its calls so far.
struct Candidate {
    constant: Vec<bool>,
    /// Index of a variadic parameter: it and later positions are no closed set.
    variadic: Option<usize>,
    calls: usize,
    /// Used other than as the callee of a call: called where the scan cannot see.
    escapes: bool,
}

/// Collects [`ClosedSets`] over the non-test files of a package.
pub(super) struct Observer {
    funcs: HashMap<String, Candidate>,
    tables: HashSet<String>,
}

impl Observer {
    /// The candidates that could bound the writes `growing`: the unexported
    /// functions that make them (their parameters may be closed sets), and
    /// the candidate tables those functions name.
    pub(super) fn new(scans: &[Scan<'_>], growing: &[MapWrite]) -> Observer {
        let mut funcs = HashMap::default();
        let mut tables = HashSet::default();
        // The top-level declarations that hold the writes.
        let writers: Vec<(usize, Node<'_>)> = growing
            .iter()
            .filter_map(|w| {
                let scan = &scans[w.file];
                syntax::named_children(scan.root)
                    .find(|d| Span::of(*d).contains(w.span))
                    .map(|d| (w.file, d))
            })
            .collect();
        let writes_in = |fi: usize, decl: Node<'_>| {
            writers.iter().any(|(f, d)| *f == fi && d.id() == decl.id())
        };
        let named_by_writers = |name: &str| {
            writers
                .iter()
                .any(|(f, d)| syntax::text(*d, scans[*f].src).contains(name))
        };
        for (fi, scan) in scans.iter().enumerate().filter(|(_, s)| !s.test) {
            for decl in syntax::named_children(scan.root) {
                match decl.kind() {
                    kinds::FUNCTION_DECLARATION => {
                        let Some(name) = decl.child_by_field_name("name") else {
                            continue;
                        };
                        let name = syntax::text(name, scan.src);
                        if name.starts_with(|c: char| c.is_uppercase())
                            || name == "init"
                            || !writes_in(fi, decl)
                        {
                            continue;
                        }
                        let (arity, variadic) = decl
                            .child_by_field_name("parameters")
                            .map(parameter_shape)
                            .unwrap_or((0, None));
                        funcs.insert(
                            name.to_string(),
                            Candidate {
                                constant: vec![true; arity],
                                variadic,
                                calls: 0,
                                escapes: false,
                            },
                        );
                    }
                    kinds::VAR_DECLARATION => {
                        for spec in crate::index::var_specs(decl) {
                            let values = spec
                                .child_by_field_name("value")
                                .map(syntax::expressions)
                                .unwrap_or_default();
                            for (i, name) in
                                syntax::field_children(spec, "name").into_iter().enumerate()
                            {
                                let name = syntax::text(name, scan.src);
                                if named_by_writers(name)
                                    && values.get(i).is_some_and(|v| scan.constant_table(*v))
                                {
                                    tables.insert(name.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Observer { funcs, tables }
    }

    /// Records the calls of the candidate functions and the uses of the
    /// candidate tables in one file.
    pub(super) fn observe(&mut self, scan: &Scan<'_>) {
        if scan.test || (self.funcs.is_empty() && self.tables.is_empty()) {
            return;
        }
        let names: Vec<String> = self
            .funcs
            .keys()
            .chain(self.tables.iter())
            .cloned()
            .collect();
        for decl in syntax::named_children(scan.root) {
            let text = syntax::text(decl, scan.src);
            if !names.iter().any(|n| text.contains(n.as_str())) {
                continue;
            }
            let scopes = scan.scopes_of(decl);
            let scopes = scopes.as_deref();
            let declared = decl.child_by_field_name("name").map(|n| n.id());
            syntax::walk(decl, |n| {
                if n.kind() != kinds::IDENTIFIER
                    || Some(n.id()) == declared
                    || scopes.is_some_and(|s| !s.is_free(n))
                {
                    return true;
                }
                let name = syntax::text(n, scan.src);
                if let Some(c) = self.funcs.get_mut(name) {
                    c.note_use(n, scan, scopes);
                }
                if self.tables.contains(name) && !read_only(n, scan.src) && !is_declared_here(n) {
                    self.tables.remove(name);
                }
                true
            });
        }
    }

    pub(super) fn finish(self) -> ClosedSets {
        let params = self
            .funcs
            .into_iter()
            .filter(|(_, c)| c.calls > 0 && !c.escapes)
            .map(|(name, c)| (name, c.constant))
            .collect();
        ClosedSets {
            params,
            tables: self.tables,
            init_only: HashSet::default(),
        }
    }
}

impl Candidate {
    /// One use of the function's name: a call whose arguments are checked, or anything else.
    fn note_use(&mut self, ident: Node<'_>, scan: &Scan<'_>, scopes: Option<&Scopes>) {
        let call = ident.parent().filter(|p| {
            p.kind() == kinds::CALL_EXPRESSION
                && p.child_by_field_name("function")
                    .is_some_and(|f| f.id() == ident.id())
        });
        let Some(list) = call.and_then(|c| c.child_by_field_name("arguments")) else {
            self.escapes = true;
            return;
        };
        self.calls += 1;
        let args: Vec<Node<'_>> = syntax::named_children(list).collect();
        // `f(g())` spreads results; `f(xs...)` spreads a slice.
        let spread = args.len() != self.constant.len() || has_token(list, "...");
        for (i, slot) in self.constant.iter_mut().enumerate() {
            let closed = !spread
                && self.variadic.is_none_or(|v| i < v)
                && args.get(i).is_some_and(|a| scan.is_constant(*a, scopes));
            *slot &= closed;
        }
    }
}

/// The number of parameters a parameter list declares, and the position of a variadic one.
fn parameter_shape(list: Node<'_>) -> (usize, Option<usize>) {
    let mut n = 0;
    let mut variadic = None;
    for p in syntax::named_children(list) {
        match p.kind() {
            kinds::PARAMETER_DECLARATION => n += syntax::field_children(p, "name").len().max(1),
            kinds::VARIADIC_PARAMETER_DECLARATION => {
                variadic = Some(n);
                n += 1;
            }
            _ => {}
        }
    }
    (n, variadic)
}

/// Whether a use of a table only reads it: `t[k]` read, `len(t)`, a range over it.
fn read_only(ident: Node<'_>, src: &str) -> bool {
    let Some(p) = ident.parent() else {
        return false;
    };
    match p.kind() {
        kinds::INDEX_EXPRESSION => {
            p.child_by_field_name("operand")
                .is_some_and(|o| o.id() == ident.id())
                && super::written_by(p).is_none()
        }
        kinds::RANGE_CLAUSE => true,
        kinds::ARGUMENT_LIST => p
            .parent()
            .and_then(|c| c.child_by_field_name("function"))
            .is_some_and(|f| syntax::text(f, src) == "len"),
        _ => false,
    }
}

/// Whether `ident` is the name a `var` spec declares.
fn is_declared_here(ident: Node<'_>) -> bool {
    ident.parent().is_some_and(|p| {
        p.kind() == kinds::VAR_SPEC
            && syntax::field_children(p, "name")
                .iter()
                .any(|n| n.id() == ident.id())
    })
}

impl ClosedSets {
    /// Whether there is no closed set to consult.
    pub(super) fn is_empty(&self) -> bool {
        self.params.values().all(|p| !p.contains(&true))
            && self.tables.is_empty()
            && self.init_only.is_empty()
    }

    /// Whether the function `name` runs only during initialisation.
    pub(super) fn runs_once(&self, name: &str) -> bool {
        self.init_only.contains(name)
    }

    /// Whether the parameter `b` of the function declaration around it is
    /// passed a constant by every call in the package.
    fn param_closed(&self, scan: &Scan<'_>, scopes: &Scopes, b: BindingId) -> bool {
        if self.params.is_empty() {
            return false;
        }
        let Some((func, at)) = scan.param_slot(scopes, b) else {
            return false;
        };
        func.child_by_field_name("name")
            .and_then(|n| self.params.get(syntax::text(n, scan.src)))
            .and_then(|slots| slots.get(at).copied())
            .unwrap_or(false)
    }
}

impl Scan<'_> {
    /// The function declaration whose parameter `b` is, and its position
    /// among the parameters; `None` for any other binding.
    fn param_slot<'t>(&'t self, scopes: &Scopes, b: BindingId) -> Option<(Node<'t>, usize)> {
        let decl = scopes.binding(b).decl;
        let id = self.root.descendant_for_byte_range(decl.start, decl.end)?;
        let pd = id
            .parent()
            .filter(|p| p.kind() == kinds::PARAMETER_DECLARATION)?;
        let list = pd.parent()?;
        let func = list.parent().filter(|f| {
            f.kind() == kinds::FUNCTION_DECLARATION
                && f.child_by_field_name("parameters")
                    .is_some_and(|p| p.id() == list.id())
        })?;
        let mut at = 0;
        for p in syntax::named_children(list) {
            if p.id() == pd.id() {
                let within = syntax::field_children(p, "name")
                    .iter()
                    .position(|n| n.id() == id.id())
                    .unwrap_or(0);
                return Some((func, at + within));
            }
            at += match p.kind() {
                kinds::PARAMETER_DECLARATION => syntax::field_children(p, "name").len().max(1),
                kinds::VARIADIC_PARAMETER_DECLARATION => 1,
                _ => 0,
            };
        }
        None
    }

    /// The parameter of an exported function (outside `_test.go` files)
    /// that `key` names: its callers, in this package or others, decide
    /// what the key holds.
    pub(super) fn exported_param(&self, key: Node<'_>, scopes: &Scopes) -> Option<Param> {
        let key = syntax::unparen(key);
        if self.test || key.kind() != kinds::IDENTIFIER {
            return None;
        }
        let b = scopes.binding_of(key)?;
        if scopes.binding(b).kind != BindingKind::Param {
            return None;
        }
        let (func, at) = self.param_slot(scopes, b)?;
        let name = syntax::text(func.child_by_field_name("name")?, self.src);
        let index = u16::try_from(at).ok()?;
        name.starts_with(char::is_uppercase).then(|| Param {
            func: name.to_string(),
            index,
        })
    }

    /// Whether a local binding holds only values of a closed set: a constant
    /// parameter (see [`ClosedSets`]), or a variable every definition of
    /// which is one (its zero value, constants, table lookups, other such locals).
    pub(super) fn closed_local(&self, b: BindingId, scopes: &Scopes, depth: usize) -> bool {
        match scopes.binding(b).kind {
            BindingKind::Const => true,
            BindingKind::Param => self.closed.param_closed(self, scopes, b),
            BindingKind::Var if depth < MAX_DEPTH => {
                let decl = scopes.binding(b).decl;
                let defs = std::iter::once(decl).chain(scopes.references(b).iter().map(|r| r.span));
                for span in defs {
                    let Some(id) = self.root.descendant_for_byte_range(span.start, span.end) else {
                        return false;
                    };
                    match self.definition(id) {
                        Definition::Read => {}
                        Definition::Zero => {}
                        Definition::Value(v) => {
                            if !self.is_constant_within(v, Some(scopes), depth + 1)
                                && !self.clamped(id, scopes, depth)
                            {
                                return false;
                            }
                        }
                        Definition::Open => return false,
                    }
                }
                true
            }
            _ => false,
        }
    }

    /// What an occurrence of a local variable does to its value.
    pub(super) fn definition<'t>(&self, id: Node<'t>) -> Definition<'t> {
        let Some(p) = id.parent() else {
            return Definition::Open;
        };
        match p.kind() {
            kinds::VAR_SPEC => {
                let names = syntax::field_children(p, "name");
                let Some(i) = names.iter().position(|n| n.id() == id.id()) else {
                    // Its type, or a use in the value.
                    return Definition::Read;
                };
                match p.child_by_field_name("value").map(syntax::expressions) {
                    None => Definition::Zero,
                    Some(values) if values.len() == names.len() => Definition::Value(values[i]),
                    Some(_) => Definition::Open,
                }
            }
            kinds::EXPRESSION_LIST => {
                let Some(stmt) = p.parent() else {
                    return Definition::Open;
                };
                let left = stmt.child_by_field_name("left");
                let on_left = left.is_some_and(|l| l.id() == p.id());
                if !on_left {
                    // A value somewhere (`return x`, `y := x`) reads it.
                    return Definition::Read;
                }
                if !matches!(
                    stmt.kind(),
                    kinds::ASSIGNMENT_STATEMENT | kinds::SHORT_VAR_DECLARATION
                ) {
                    // A range variable, a select receive.
                    return Definition::Open;
                }
                // `x += c`, `x *= 2`, `x <<= 1` step through values however
                // constant `c` is; or-ing and and-ing constants stay among their combinations.
                let op = stmt
                    .child_by_field_name("operator")
                    .map(|o| syntax::text(o, self.src));
                if !matches!(op, None | Some("=" | ":=" | "|=" | "&=" | "&^=")) {
                    return Definition::Open;
                }
                let lhs: Vec<Node<'_>> = syntax::named_children(p).collect();
                let rhs = stmt
                    .child_by_field_name("right")
                    .map(syntax::expressions)
                    .unwrap_or_default();
                match lhs.iter().position(|n| n.id() == id.id()) {
                    Some(i) if rhs.len() == lhs.len() => Definition::Value(rhs[i]),
                    _ => Definition::Open,
                }
            }
            kinds::INC_STATEMENT | kinds::DEC_STATEMENT => Definition::Open,
            kinds::UNARY_EXPRESSION => {
                let addr = p
                    .child_by_field_name("operator")
                    .is_some_and(|o| syntax::text(o, self.src) == "&");
                if addr {
                    Definition::Open
                } else {
                    Definition::Read
                }
            }
            _ => Definition::Read,
        }
    }

    /// Whether `v` is a map literal of the package's kind of constant table:
    /// `map[K]V{…}` whose every value is a constant.
    fn constant_table(&self, v: Node<'_>) -> bool {
        let v = syntax::unparen(v);
        if v.kind() != kinds::COMPOSITE_LITERAL
            || v.child_by_field_name("type")
                .is_none_or(|t| t.kind() != MAP_TYPE)
        {
            return false;
        }
        let Some(body) = v.child_by_field_name("body") else {
            return false;
        };
        let mut any = false;
        for el in syntax::named_children(body) {
            if el.kind() != kinds::KEYED_ELEMENT {
                continue;
            }
            let Some(value) = el
                .child_by_field_name("value")
                .and_then(|e| syntax::named_children(e).next())
            else {
                return false;
            };
            if !self.is_constant_within(value, None, MAX_DEPTH) {
                return false;
            }
            any = true;
        }
        any
    }

    /// Whether `t[k]` looks up a constant table of the package.
    pub(super) fn table_lookup(&self, index: Node<'_>, scopes: Option<&Scopes>) -> bool {
        index
            .child_by_field_name("operand")
            .map(syntax::unparen)
            .is_some_and(|o| {
                o.kind() == kinds::IDENTIFIER
                    && scopes.is_none_or(|s| s.is_free(o))
                    && self.closed.tables.contains(syntax::text(o, self.src))
            })
    }
}

/// How an occurrence of a local variable bears on its values.
pub(super) enum Definition<'t> {
    /// It is read, not set.
    Read,
    /// Declared without a value: its zero value.
    Zero,
    /// Set to this expression (`=`, `:=`, `|=`, …).
    Value(Node<'t>),
    /// Set in a way that is no closed set: `++`, a range, its address taken.
    Open,
}
