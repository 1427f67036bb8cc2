//! What one use of a struct field does with the value it holds: releases it
//! (`t.f.Close()`, `t.f()`, `close(t.f)`), passes it on, hands it off,
//! replaces it, signals on it, or only reads it.

use crate::flow::scopes::{BindingKind, Scopes};
use crate::index::{FileImports, FuncKey};
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// Where a value assigned to a field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `nil`.
    Nil,
    /// `true`, `false`, or another constant.
    Const,
    /// `make(chan …)`, directly or through a local variable.
    MakeChan,
    /// A parameter of the function (the caller's value).
    Param,
    /// A context derived from `context.Background()`/`TODO()`: only its own
    /// cancel function ends it.
    BackgroundCtx,
    /// Anything else.
    Other,
}

/// The function a field is passed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgCallee {
    /// A function or method of the package.
    Local(FuncKey),
    /// `pkg.Name(…)` of an imported package.
    Package {
        /// The import path.
        path: String,
        /// The function's name.
        name: String,
    },
    /// Something the scan cannot name.
    Unknown,
}

/// What one use does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldUseKind {
    /// `x.f.Close()`, `x.f.Body.Close()`, `x.f[i].Close()`, or `c.Close()`
    /// on the variable of `for _, c := range x.f`: the method path.
    Method(Vec<String>),
    /// `x.f()`: the field is a function called (a stored cancel).
    Called,
    /// `close(x.f)`.
    Closed,
    /// `x.f <- v`.
    Sent,
    /// `<-x.f`, `for range x.f`.
    Received,
    /// Passed as argument `index` to a function.
    Arg {
        /// The function.
        callee: ArgCallee,
        /// The argument's position.
        index: usize,
    },
    /// Returned, stored elsewhere, put in a literal, sent as a value, its address taken.
    HandedOff,
    /// Assigned a new value.
    Assigned(Origin),
    /// `x.f == nil`, `x.f != nil`.
    NilCheck,
    /// Anything else.
    Read,
}

/// Classifies the use of the field selected by `sel` (`x.f`), whose
/// ancestors (outermost first) are `ancestors`.
pub fn classify<'a>(
    sel: Node<'a>,
    ancestors: &[Node<'a>],
    src: &str,
    scopes: &Scopes,
    root: Node<'a>,
    imports: &FileImports,
    local_callee: &dyn Fn(Node<'a>) -> Option<FuncKey>,
) -> FieldUseKind {
    let mut n = sel;
    let mut path: Vec<String> = Vec::new();
    // Expression nesting only: each step goes up one parent, and every arm
    // either climbs a selector/paren/index or returns.
    let mut up = ancestors.len();
    while up > 0 {
        up -= 1;
        let p = ancestors[up];
        let grandparent = up.checked_sub(1).map(|i| ancestors[i]);
        let is = |field: &str| {
            p.child_by_field_name(field)
                .is_some_and(|c| c.id() == n.id())
        };
        match p.kind() {
            kinds::PARENTHESIZED_EXPRESSION => n = p,
            kinds::SELECTOR_EXPRESSION if is("operand") => {
                match p.child_by_field_name("field") {
                    Some(f) => path.push(syntax::text(f, src).to_string()),
                    None => return FieldUseKind::Read,
                }
                n = p;
            }
            // An element of a slice or map of closers releases like the field.
            kinds::INDEX_EXPRESSION if is("operand") && path.is_empty() => n = p,
            kinds::CALL_EXPRESSION if is("function") => {
                return if path.is_empty() {
                    FieldUseKind::Called
                } else {
                    FieldUseKind::Method(path)
                };
            }
            kinds::ARGUMENT_LIST if path.is_empty() => {
                let Some(call) = grandparent else {
                    return FieldUseKind::HandedOff;
                };
                let index = syntax::named_children(p)
                    .position(|a| a.id() == n.id())
                    .unwrap_or(0);
                return argument(call, index, src, scopes, imports, local_callee);
            }
            kinds::SEND_STATEMENT if path.is_empty() => {
                return if is("channel") {
                    FieldUseKind::Sent
                } else {
                    FieldUseKind::HandedOff
                };
            }
            kinds::UNARY_EXPRESSION if path.is_empty() => {
                return match p.child_by_field_name("operator").map(|o| o.kind()) {
                    Some("<-") => FieldUseKind::Received,
                    Some("&") => FieldUseKind::HandedOff,
                    _ => FieldUseKind::Read,
                };
            }
            kinds::RANGE_CLAUSE if path.is_empty() && is("right") => {
                return ranged(p, grandparent, src);
            }
            kinds::BINARY_EXPRESSION if path.is_empty() => {
                let other = if is("left") {
                    p.child_by_field_name("right")
                } else {
                    p.child_by_field_name("left")
                };
                let op = p.child_by_field_name("operator").map(|o| o.kind());
                return if other.is_some_and(|o| o.kind() == "nil")
                    && matches!(op, Some("==" | "!="))
                {
                    FieldUseKind::NilCheck
                } else {
                    FieldUseKind::Read
                };
            }
            kinds::EXPRESSION_LIST if path.is_empty() => {
                let Some(stmt) = grandparent else {
                    return FieldUseKind::Read;
                };
                if stmt.kind() == kinds::RETURN_STATEMENT {
                    return FieldUseKind::HandedOff;
                }
                if !matches!(
                    stmt.kind(),
                    kinds::ASSIGNMENT_STATEMENT | kinds::SHORT_VAR_DECLARATION | kinds::VAR_SPEC
                ) {
                    return FieldUseKind::Read;
                }
                let lhs = stmt
                    .child_by_field_name("left")
                    .is_some_and(|l| l.id() == p.id());
                if !lhs {
                    return FieldUseKind::HandedOff;
                }
                let compound = stmt
                    .child_by_field_name("operator")
                    .is_some_and(|o| o.kind() != "=");
                if compound {
                    return FieldUseKind::Read;
                }
                let i = syntax::named_children(p)
                    .position(|x| x.id() == n.id())
                    .unwrap_or(0);
                let values = stmt
                    .child_by_field_name("right")
                    .map(syntax::expressions)
                    .unwrap_or_default();
                let value = if values.len() == syntax::named_children(p).count() {
                    values.get(i).copied()
                } else {
                    values.first().copied().filter(|_| values.len() == 1)
                };
                return FieldUseKind::Assigned(
                    value.map_or(Origin::Other, |v| origin(v, src, scopes, root)),
                );
            }
            kinds::RETURN_STATEMENT
            | kinds::KEYED_ELEMENT
            | kinds::LITERAL_ELEMENT
            | kinds::LITERAL_VALUE
                if path.is_empty() =>
            {
                let key = p.kind() == kinds::KEYED_ELEMENT && is("key");
                return if key {
                    FieldUseKind::Read
                } else {
                    FieldUseKind::HandedOff
                };
            }
            _ => return FieldUseKind::Read,
        }
    }
    FieldUseKind::Read
}

/// `for _, c := range x.f { c.Close() }` releases the closers `x.f` holds
/// (`Received` when the loop releases nothing); `stmt` is the clause's `for`
/// statement.
pub fn ranged(clause: Node<'_>, stmt: Option<Node<'_>>, src: &str) -> FieldUseKind {
    let var = clause
        .child_by_field_name("left")
        .map(syntax::expressions)
        .and_then(|l| l.last().copied())
        .map(|v| syntax::text(v, src));
    let body = stmt.and_then(|l| l.child_by_field_name("body"));
    let (Some(var), Some(body)) = (var, body) else {
        return FieldUseKind::Received;
    };
    let mut found = None;
    syntax::walk(body, |n| {
        if found.is_some() {
            return false;
        }
        if n.kind() == kinds::CALL_EXPRESSION {
            let f = n.child_by_field_name("function");
            let called = f
                .filter(|f| f.kind() == kinds::SELECTOR_EXPRESSION)
                .and_then(|f| {
                    let op = f.child_by_field_name("operand")?;
                    (syntax::text(op, src) == var)
                        .then(|| f.child_by_field_name("field"))
                        .flatten()
                });
            if let Some(m) = called {
                let m = syntax::text(m, src);
                if super::is_release_name(m) {
                    found = Some(FieldUseKind::Method(vec![m.to_string()]));
                }
            } else if f.is_some_and(|f| syntax::text(f, src) == var) {
                // `for _, cancel := range x.cancels { cancel() }`.
                found = Some(FieldUseKind::Called);
            }
        }
        true
    });
    found.unwrap_or(FieldUseKind::Received)
}

fn argument<'a>(
    call: Node<'a>,
    index: usize,
    src: &str,
    scopes: &Scopes,
    imports: &FileImports,
    local_callee: &dyn Fn(Node<'a>) -> Option<FuncKey>,
) -> FieldUseKind {
    let Some(f) = call.child_by_field_name("function").map(syntax::unparen) else {
        return FieldUseKind::HandedOff;
    };
    if f.kind() == kinds::IDENTIFIER && scopes.is_free(f) {
        match syntax::text(f, src) {
            "close" => return FieldUseKind::Closed,
            "len" | "cap" | "delete" | "clear" | "append" | "copy" | "print" | "println" => {
                return FieldUseKind::Read
            }
            _ => {}
        }
    }
    if let Some(key) = local_callee(call) {
        return FieldUseKind::Arg {
            callee: ArgCallee::Local(key),
            index,
        };
    }
    if f.kind() == kinds::SELECTOR_EXPRESSION {
        let op = f.child_by_field_name("operand");
        let name = f.child_by_field_name("field").map(|x| syntax::text(x, src));
        if let (Some(op), Some(name)) = (op, name) {
            if op.kind() == kinds::IDENTIFIER && scopes.is_free(op) {
                let pkg = syntax::text(op, src);
                let path = imports.path_of(pkg).or((pkg == "C").then_some("C"));
                if let Some(path) = path {
                    return FieldUseKind::Arg {
                        callee: ArgCallee::Package {
                            path: path.to_string(),
                            name: name.to_string(),
                        },
                        index,
                    };
                }
            }
        }
    }
    FieldUseKind::Arg {
        callee: ArgCallee::Unknown,
        index,
    }
}

/// Where the value `v` assigned to a field comes from.
pub fn origin<'a>(v: Node<'a>, src: &str, scopes: &Scopes, root: Node<'a>) -> Origin {
    let v = syntax::unparen(v);
    match v.kind() {
        "nil" => Origin::Nil,
        "true" | "false" | "int_literal" | "interpreted_string_literal" => Origin::Const,
        kinds::CALL_EXPRESSION => call_origin(v, src),
        kinds::IDENTIFIER => {
            let Some(b) = scopes.binding_of(v) else {
                return Origin::Other;
            };
            let binding = scopes.binding(b);
            if binding.kind == BindingKind::Param {
                return Origin::Param;
            }
            if binding.kind != BindingKind::Var {
                return Origin::Other;
            }
            // `done := make(chan struct{})`, `ctx, cancel := context.WithCancel(…)`.
            let Some(ident) = root.descendant_for_byte_range(binding.decl.start, binding.decl.end)
            else {
                return Origin::Other;
            };
            let chain = syntax::ancestors(root, ident);
            let up = |k: usize| chain.len().checked_sub(k + 1).map(|i| chain[i]);
            let stmt = up(1)
                .filter(|p| p.kind() == kinds::EXPRESSION_LIST)
                .and(up(2))
                .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION);
            let value = stmt
                .and_then(|s| s.child_by_field_name("right"))
                .map(syntax::expressions)
                .filter(|vals| vals.len() == 1)
                .and_then(|vals| vals.first().copied());
            let made = match value.map(syntax::unparen) {
                Some(c) if c.kind() == kinds::CALL_EXPRESSION => call_origin(c, src),
                _ => Origin::Other,
            };
            // `input := make(chan T); t := &T{input: input}; return input`:
            // whoever the channel is handed to may close it.
            if made == Origin::MakeChan && escapes(b, scopes, root, src) {
                Origin::Other
            } else {
                made
            }
        }
        _ => Origin::Other,
    }
}

/// Whether a local is returned, sent or passed to a call other than
/// `close`, `len` or `cap`.
fn escapes(b: crate::flow::scopes::BindingId, scopes: &Scopes, root: Node<'_>, src: &str) -> bool {
    scopes.references(b).iter().filter(|r| !r.write).any(|r| {
        let Some(n) = root.descendant_for_byte_range(r.span.start, r.span.end) else {
            return false;
        };
        let Some(p) = n.parent() else {
            return false;
        };
        match p.kind() {
            kinds::EXPRESSION_LIST => p
                .parent()
                .is_some_and(|s| s.kind() == kinds::RETURN_STATEMENT),
            kinds::RETURN_STATEMENT => true,
            kinds::SEND_STATEMENT => p
                .child_by_field_name("value")
                .is_some_and(|v| v.id() == n.id()),
            kinds::ARGUMENT_LIST => !p
                .parent()
                .and_then(|c| c.child_by_field_name("function"))
                .is_some_and(|f| {
                    f.kind() == kinds::IDENTIFIER
                        && matches!(syntax::text(f, src), "close" | "len" | "cap")
                }),
            _ => false,
        }
    })
}

fn call_origin(call: Node<'_>, src: &str) -> Origin {
    let Some(f) = call.child_by_field_name("function") else {
        return Origin::Other;
    };
    let name = syntax::text(f, src);
    let first = call
        .child_by_field_name("arguments")
        .and_then(|a| syntax::named_children(a).next());
    if name == "make" {
        return if first.is_some_and(|t| t.kind() == "channel_type") {
            Origin::MakeChan
        } else {
            Origin::Other
        };
    }
    let derives = [
        "WithCancel",
        "WithTimeout",
        "WithDeadline",
        "WithCancelCause",
    ]
    .iter()
    .any(|w| name.ends_with(&format!(".{w}")));
    let background = first.is_some_and(|a| {
        let t = syntax::text(a, src);
        t.ends_with(".Background()") || t.ends_with(".TODO()")
    });
    if derives && background {
        Origin::BackgroundCtx
    } else {
        Origin::Other
    }
}
