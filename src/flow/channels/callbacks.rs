//! Closures that run where they are called: callbacks handed to a helper of
//! the package that runs them before it returns (a func parameter that the
//! body only calls, `fn()` or `defer fn()`, never stores, passes on,
//! returns, captures in a closure or starts with `go`), and local wrappers
//! (`send := func(v T) { ch <- v }`) that are only ever called. The channels
//! such a closure uses stay with whoever calls it.

use crate::flow::scopes::Scopes;
use crate::index::{func_key, param_idents, FuncKey};
use crate::parse::ParsedFile;
use crate::store::{PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashMap as HashMap;

/// For each function and method of a package with a func parameter, which
/// of its parameters it only calls.
#[derive(Debug, Default)]
pub struct CallbackParams {
    only_called: HashMap<FuncKey, Vec<bool>>,
}

impl CallbackParams {
    /// Reads every declaration of `files` that takes a func parameter.
    pub fn build(files: &[&ParsedFile]) -> CallbackParams {
        let mut only_called = HashMap::default();
        for file in files {
            let src = file.source.text.as_str();
            for decl in syntax::function_decls(file.tree.root_node()) {
                let (Some(list), Some(body)) = (
                    decl.child_by_field_name("parameters"),
                    decl.child_by_field_name("body"),
                ) else {
                    continue;
                };
                if !syntax::text(list, src).contains("func") {
                    continue;
                }
                let Some(key) = func_key(decl, src) else {
                    continue;
                };
                let types = param_types(list);
                let scopes = Scopes::of(file, decl);
                let params: Vec<bool> = param_idents(decl)
                    .into_iter()
                    .zip(types)
                    .map(|(ident, ty)| {
                        let is_func = ty.is_some_and(|t| t.kind() == kinds::FUNCTION_TYPE);
                        let Some((ident, b)) = ident.and_then(|i| Some((i, scopes.declared(i)?)))
                        else {
                            return false;
                        };
                        // Assigned again, or used other than by a call: kept, or unknown.
                        is_func
                            && scopes.references(b).iter().all(|r| {
                                if r.write {
                                    r.span.start == ident.start_byte()
                                } else {
                                    only_calls(body, r.span.start, r.span.end)
                                }
                            })
                    })
                    .collect();
                if params.iter().any(|&p| p) {
                    only_called.insert(key, params);
                }
            }
        }
        CallbackParams { only_called }
    }

    /// Whether the function `key` only calls its parameter number `index`.
    pub fn only_calls(&self, key: &FuncKey, index: usize) -> bool {
        self.only_called
            .get(key)
            .and_then(|v| v.get(index))
            .copied()
            .unwrap_or(false)
    }
}

impl PackageFact for CallbackParams {
    fn build(input: PackageInput<'_>) -> Self {
        CallbackParams::build(input.files)
    }
}

/// The type of each parameter, one per name (as [`param_idents`] counts
/// them); `None` for a variadic parameter, which is a slice.
fn param_types(list: Node<'_>) -> Vec<Option<Node<'_>>> {
    let mut out = Vec::new();
    for decl in syntax::named_children(list) {
        let ty = (decl.kind() == kinds::PARAMETER_DECLARATION)
            .then(|| decl.child_by_field_name("type"))
            .flatten();
        let names = syntax::field_children(decl, "name").len().max(1);
        out.extend(std::iter::repeat_n(ty, names));
    }
    out
}

/// Whether the reference at `start..end` in `body` is the callee of a call
/// in the body itself: `fn(…)` or `defer fn(…)`, not `go fn(…)` and not in
/// a nested func literal, which may outlive the call.
fn only_calls(body: Node<'_>, start: usize, end: usize) -> bool {
    let Some(ident) = body.descendant_for_byte_range(start, end) else {
        return false;
    };
    let mut chain = syntax::ancestors(body, ident);
    chain.pop();
    if chain.iter().any(|n| n.kind() == kinds::FUNC_LITERAL) {
        return false;
    }
    matches!(call_of_callee(&chain, ident), Some((_, None)))
}

/// The call whose callee is the identifier with these ancestors (root
/// first, its parent last), and the `go` statement that starts it, if any:
/// `name(…)`, `(name)(…)`, `go name(…)`.
pub(super) fn call_of_callee<'a>(
    chain: &[Node<'a>],
    ident: Node<'a>,
) -> Option<(Node<'a>, Option<Node<'a>>)> {
    let mut up = chain.iter().rev().copied();
    let mut callee = ident;
    let mut p = up.next()?;
    while p.kind() == kinds::PARENTHESIZED_EXPRESSION {
        callee = p;
        p = up.next()?;
    }
    let called = p.kind() == kinds::CALL_EXPRESSION
        && p.child_by_field_name("function")
            .is_some_and(|f| f.id() == callee.id());
    if !called {
        return None;
    }
    let go = up.next().filter(|s| s.kind() == kinds::GO_STATEMENT);
    Some((p, go))
}

/// One call of a local wrapper.
#[derive(Debug, Clone)]
pub struct WrapperCall<'a> {
    /// The call expression.
    pub call: Node<'a>,
    /// The `go` statement that starts it (`go work()`), if any.
    pub go: Option<Node<'a>>,
    /// The ancestors of the call from the function asked about (that
    /// function first, the call's parent last).
    pub ancestors: Vec<Node<'a>>,
}

/// The calls of a local wrapper bound to `lit`: `send := func(v T) { ch <- v }`
/// or `var work = func() {…}`, when the variable is assigned nowhere else
/// and every use of it calls it. Each call is given with its ancestors from
/// `f`'s node. `None` for any other literal.
pub fn wrapper_calls<'a>(
    f: &dyn crate::flow::function::Function<'a>,
    lit: Node<'a>,
) -> Option<Vec<WrapperCall<'a>>> {
    let stmt = syntax::assignment_of(lit)
        .filter(|s| matches!(s.kind(), kinds::SHORT_VAR_DECLARATION | kinds::VAR_SPEC))?;
    let lhs = syntax::left_side(stmt);
    let [var] = lhs.as_slice() else {
        return None;
    };
    if var.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = f.scopes().declared(*var)?;
    let mut out = Vec::new();
    for r in f.scopes().references(b) {
        if r.write {
            if r.span.start != var.start_byte() {
                return None;
            }
            continue;
        }
        let ident = f
            .node()
            .descendant_for_byte_range(r.span.start, r.span.end)?;
        let mut chain = syntax::ancestors(f.node(), ident);
        chain.pop();
        let (call, go) = call_of_callee(&chain, ident)?;
        let i = chain.iter().position(|n| n.id() == call.id())?;
        chain.truncate(i);
        out.push(WrapperCall {
            call,
            go,
            ancestors: chain,
        });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::source::SourceFile;

    #[test]
    fn params_only_called() {
        let src = "package p\n\
            var hooks []func()\n\
            type t struct{}\n\
            func locked(name string, fn func()) { fn() }\n\
            func deferred(fn func()) { defer fn() }\n\
            func keep(fn func()) { hooks = append(hooks, fn) }\n\
            func async(fn func()) { go fn() }\n\
            func captured(fn func()) { func() { fn() }() }\n\
            func swapped(fn func()) { fn = nil; fn() }\n\
            func rest(fns ...func()) { for _, f := range fns { f() } }\n\
            func (t) each(fn func(int)) { for i := 0; i < 3; i++ { fn(i) } }\n";
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let c = CallbackParams::build(&[&file]);
        let func = |n: &str| FuncKey::Func(n.to_string());
        assert!(!c.only_calls(&func("locked"), 0), "a string is no callback");
        assert!(c.only_calls(&func("locked"), 1));
        assert!(c.only_calls(&func("deferred"), 0));
        for kept in ["keep", "async", "captured", "swapped", "rest"] {
            assert!(!c.only_calls(&func(kept), 0), "{kept}");
        }
        let each = FuncKey::Method("t".to_string(), "each".to_string());
        assert!(c.only_calls(&each, 0));
    }
}
