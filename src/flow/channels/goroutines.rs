//! What a `go` statement starts: a func literal, a function or method of the
//! package, or something unknown.

use super::callbacks::wrapper_calls;
use crate::flow::function::{declared_type, Callee, Function};
use crate::index::{base_type, param_idents, FuncKey};
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// A cheap text pre-filter: whether some line of `src` starts with a `go`
/// statement (gofmt puts each statement on its own line).
pub fn may_start_goroutines(src: &str) -> bool {
    let b = src.as_bytes();
    memchr::memmem::find_iter(b, b"go").any(|at| {
        matches!(b.get(at + 2), Some(b' ' | b'\t'))
            && b[..at]
                .iter()
                .rev()
                .take_while(|c| **c != b'\n')
                .all(|c| c.is_ascii_whitespace())
    })
}

/// What a `go` statement starts.
#[derive(Debug, Clone, Copy)]
pub enum Goroutine<'a> {
    /// `go func(…){…}(…)`.
    Literal {
        /// The literal.
        func: Node<'a>,
        /// The call.
        call: Node<'a>,
    },
    /// `go f(…)` or `go x.m(…)` for a function or method declared in the package.
    Named {
        /// The declaration, when it is in the same file as the `go` statement.
        decl: Option<Node<'a>>,
        /// Its key.
        key: FuncRef<'a>,
        /// The call.
        call: Node<'a>,
    },
    /// Anything else.
    Unknown,
}

/// A borrowed [`FuncKey`].
#[derive(Debug, Clone, Copy)]
pub enum FuncRef<'a> {
    /// A function.
    Func(&'a str),
    /// A method: receiver base type, name.
    Method(&'a str, &'a str),
}

impl FuncRef<'_> {
    /// The owned key.
    pub fn owned(self) -> FuncKey {
        match self {
            FuncRef::Func(n) => FuncKey::Func(n.to_string()),
            FuncRef::Method(t, n) => FuncKey::Method(t.to_string(), n.to_string()),
        }
    }
}

/// Resolves what `go_stmt` (a `go` statement of `f`) starts.
pub fn goroutine_of<'a>(f: &dyn Function<'a>, go_stmt: Node<'a>) -> Goroutine<'a> {
    let Some(call) = syntax::named_children(go_stmt)
        .next()
        .map(syntax::unparen)
        .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
    else {
        return Goroutine::Unknown;
    };
    let Some(func) = call.child_by_field_name("function").map(syntax::unparen) else {
        return Goroutine::Unknown;
    };
    if func.kind() == kinds::FUNC_LITERAL {
        return Goroutine::Literal { func, call };
    }
    if let Some(func) = wrapper_literal(f, func) {
        // `work := func() {…}` then `go work()`: the literal runs.
        return Goroutine::Literal { func, call };
    }
    let index = f.index();
    let sig = match f.callee(call) {
        Callee::Local { name } => index
            .funcs
            .get_key_value(name)
            .map(|(k, s)| (FuncRef::Func(k.as_str()), s)),
        Callee::Method { name, .. } => {
            let ty = func
                .child_by_field_name("operand")
                .and_then(|op| receiver_type(f, syntax::unparen(op)));
            ty.and_then(|t| {
                index
                    .methods
                    .get_key_value(&(t.to_string(), name.to_string()))
                    .map(|((t, n), s)| (FuncRef::Method(t.as_str(), n.as_str()), s))
            })
        }
        _ => None,
    };
    let Some((key, sig)) = sig else {
        return Goroutine::Unknown;
    };
    let decl = (sig.file == f.file_index())
        .then(|| {
            // Declarations are children of the file: one step down, no climb.
            let mut cursor = f.root().walk();
            cursor.goto_first_child_for_byte(sig.span.start)?;
            let n = cursor.node();
            (matches!(
                n.kind(),
                kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
            ) && n.end_byte() >= sig.span.end)
                .then_some(n)
        })
        .flatten();
    Goroutine::Named { decl, key, call }
}

/// The literal a local wrapper named by `x` is bound to (`work := func()
/// {…}`, assigned nowhere else and only ever called).
fn wrapper_literal<'a>(f: &dyn Function<'a>, x: Node<'a>) -> Option<Node<'a>> {
    if x.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = f.scopes().binding_of(x)?;
    let decl = f.scopes().binding(b).decl;
    let var = f.node().descendant_for_byte_range(decl.start, decl.end)?;
    // A step or two up from the declaring identifier: bounded, not a climb.
    let up = var.parent()?;
    let stmt = match up.kind() {
        kinds::VAR_SPEC => up,
        _ => up
            .parent()
            .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION)?,
    };
    let field = if stmt.kind() == kinds::VAR_SPEC {
        "value"
    } else {
        "right"
    };
    let lit = syntax::unparen(syntax::named_children(stmt.child_by_field_name(field)?).next()?);
    if lit.kind() != kinds::FUNC_LITERAL {
        return None;
    }
    wrapper_calls(f, lit).map(|_| lit)
}

/// The base type of `x` in `x.m(…)`: a parameter, receiver or variable with
/// a type written as `T` or `*T`, or a variable made by `x := T{…}` or
/// `x := &T{…}`, `T` declared in the package.
fn receiver_type<'a>(f: &dyn Function<'a>, x: Node<'a>) -> Option<&'a str> {
    let ty = base_type(declared_type(f, x).or_else(|| literal_type(f, x))?);
    f.index().types.contains(ty).then_some(ty)
}

/// The type of the composite literal `x` is declared with (`x := &T{…}`),
/// when it is the only variable of its declaration.
fn literal_type<'a>(f: &dyn Function<'a>, x: Node<'a>) -> Option<&'a str> {
    if x.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = f.scopes().binding_of(x)?;
    let decl = f.scopes().binding(b).decl;
    let ident = f.root().descendant_for_byte_range(decl.start, decl.end)?;
    // A few steps up from the declaring identifier: bounded, not a climb.
    let list = ident.parent()?;
    let stmt = list.parent()?;
    if stmt.kind() != kinds::SHORT_VAR_DECLARATION || syntax::named_children(list).count() != 1 {
        return None;
    }
    let value = syntax::unparen(syntax::named_children(stmt.child_by_field_name("right")?).next()?);
    let lit = match value.kind() {
        kinds::UNARY_EXPRESSION => syntax::unparen(value.child_by_field_name("operand")?),
        _ => value,
    };
    if lit.kind() != kinds::COMPOSITE_LITERAL {
        return None;
    }
    Some(f.text(lit.child_by_field_name("type")?))
}

/// The parameter of the started function that receives argument `index`.
pub fn param_for_arg(func: Node<'_>, index: usize) -> Option<Node<'_>> {
    let params = param_idents(func);
    // A variadic parameter takes the rest: not a single channel.
    let variadic = func
        .child_by_field_name("parameters")
        .and_then(|l| syntax::named_children(l).last())
        .is_some_and(|d| d.kind() == kinds::VARIADIC_PARAMETER_DECLARATION);
    if variadic && index + 1 >= params.len() {
        return None;
    }
    params.get(index).copied().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_statement_prefilter() {
        assert!(may_start_goroutines("package p\nfunc f() {\n\tgo g()\n}\n"));
        assert!(!may_start_goroutines(
            "package p\n// we go on\nfunc f() { g() }\n"
        ));
    }
}
