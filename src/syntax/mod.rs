//! The syntax tree ([`tree`]) and typed helpers over its nodes.
//!
//! Every walk here is iterative, so deeply nested input (thousands of nested
//! expressions) cannot overflow the stack.

pub mod tree;

pub use tree::{Children, Cursor, Node, Tree};

pub mod kinds;

/// Go's predeclared type names other than the constraint `comparable`: a
/// "call" of one is a conversion.
pub const PREDECLARED_TYPES: &[&str] = &[
    "any",
    "bool",
    "byte",
    "complex128",
    "complex64",
    "error",
    "float32",
    "float64",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "rune",
    "string",
    "uint",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "uintptr",
];

/// The text of `node` in `src`.
pub fn text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// The named children of `node`, skipping comments.
pub fn named_children<'t>(node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    node.named_children().filter(|c| c.kind() != kinds::COMMENT)
}

/// The named children of `node`, comments included.
pub fn named_children_all<'t>(node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    node.named_children()
}

/// The children of `node` for the field `name`.
pub fn field_children<'t>(node: Node<'t>, name: &str) -> Vec<Node<'t>> {
    node.children_by_field_name(name).collect()
}

/// Strips any number of parentheses around an expression.
pub fn unparen(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == kinds::PARENTHESIZED_EXPRESSION {
        match named_children(node).next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The expressions of an `expression_list` (or the node itself when it is a single expression).
pub fn expressions(node: Node<'_>) -> Vec<Node<'_>> {
    if node.kind() == kinds::EXPRESSION_LIST {
        named_children(node).collect()
    } else {
        vec![node]
    }
}

/// Pre-order traversal of `root` (iterative). `visit` returns whether to descend into the node.
pub fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    let mut descend = visit(root);
    loop {
        if descend && cursor.goto_first_child() {
            descend = visit(cursor.node());
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                descend = visit(cursor.node());
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// [`walk`], handing `visit` the node's ancestors too (from `root` down to
/// its parent): the surroundings of every node, without climbing for each.
pub fn walk_with_ancestors<'t>(
    root: Node<'t>,
    mut visit: impl FnMut(Node<'t>, &[Node<'t>]) -> bool,
) {
    let mut cursor = root.walk();
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    let mut descend = visit(root, &ancestors);
    loop {
        if descend {
            let parent = cursor.node();
            if cursor.goto_first_child() {
                ancestors.push(parent);
                descend = visit(cursor.node(), &ancestors);
                continue;
            }
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                descend = visit(cursor.node(), &ancestors);
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ancestors.pop();
        }
    }
}

/// Whether a node whose ancestors are `ancestors` (outermost first) sits in
/// a loop of its own function: [`in_loop`] without walking up.
pub fn ancestors_in_loop(ancestors: &[Node<'_>]) -> bool {
    for n in ancestors.iter().rev() {
        if is_function(*n) {
            return false;
        }
        if n.kind() == kinds::FOR_STATEMENT {
            return true;
        }
    }
    false
}

/// The chain from `root` down to `node`, both included (root first).
/// Empty when `node` is not below `root`.
pub fn ancestors<'t>(root: Node<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let mut chain = vec![node];
    let mut cur = node;
    while cur != root {
        match cur.parent() {
            Some(p) => {
                chain.push(p);
                cur = p;
            }
            None => return Vec::new(),
        }
    }
    chain.reverse();
    chain
}

/// The function and method declarations of a file that have a body. One
/// without (assembly, linkname, a generated file read for its declarations)
/// does something unknown, not nothing, so summaries skip it.
pub fn function_decls<'t>(root: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    named_children(root).filter(|d| {
        matches!(
            d.kind(),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
        ) && d.child_by_field_name("body").is_some()
    })
}

/// Whether `node` is a function body owner: a declaration, method or literal.
pub fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION | kinds::FUNC_LITERAL
    )
}

/// The nearest enclosing function (declaration, method or literal) of `node`.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if is_function(n) {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// The innermost `for` statement around `node` within its own function.
pub fn enclosing_loop(node: Node<'_>) -> Option<Node<'_>> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if is_function(n) {
            return None;
        }
        if n.kind() == kinds::FOR_STATEMENT {
            return Some(n);
        }
        cur = n.parent();
    }
    None
}

/// Whether `node` sits in the body of a loop within its own function.
pub fn in_loop(node: Node<'_>) -> bool {
    enclosing_loop(node).is_some()
}

/// The assignment, short variable declaration or var spec whose only
/// right-hand side is `call`.
pub fn assignment_of(call: Node<'_>) -> Option<Node<'_>> {
    let mut parent = call.parent()?;
    while parent.kind() == kinds::PARENTHESIZED_EXPRESSION {
        parent = parent.parent()?;
    }
    if parent.kind() != kinds::EXPRESSION_LIST || named_children(parent).count() != 1 {
        return None;
    }
    let stmt = parent.parent()?;
    let is_rhs = stmt
        .child_by_field_name(if stmt.kind() == kinds::VAR_SPEC {
            "value"
        } else {
            "right"
        })
        .is_some_and(|r| r.id() == parent.id());
    let assigns = matches!(
        stmt.kind(),
        kinds::SHORT_VAR_DECLARATION | kinds::ASSIGNMENT_STATEMENT | kinds::VAR_SPEC
    );
    (is_rhs && assigns).then_some(stmt)
}

/// The names or expressions assigned by an assignment, short variable declaration or var spec.
pub fn left_side(stmt: Node<'_>) -> Vec<Node<'_>> {
    if stmt.kind() == kinds::VAR_SPEC {
        field_children(stmt, "name")
    } else {
        stmt.child_by_field_name("left")
            .map(expressions)
            .unwrap_or_default()
    }
}

/// The string value of a Go string literal node (interpreted or raw), without escapes resolved beyond the basics.
pub fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    let raw = text(node, src);
    match node.kind() {
        kinds::RAW_STRING_LITERAL => raw
            .strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .map(str::to_string),
        kinds::INTERPRETED_STRING_LITERAL => raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map(|s| s.replace("\\\\", "\\").replace("\\\"", "\"")),
        _ => None,
    }
}

/// Whether `inner` lies within `outer` (or is it).
pub fn within(inner: Node<'_>, outer: Node<'_>) -> bool {
    inner.start_byte() >= outer.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// `K` for `for i := 0; i < K; i++` with an integer literal `K`.
pub fn counted_loop(src: &str, lp: Node<'_>) -> Option<u64> {
    let clause = named_children(lp).find(|c| c.kind() == kinds::FOR_CLAUSE)?;
    let init = clause.child_by_field_name("initializer")?;
    let cond = clause.child_by_field_name("condition")?;
    let update = clause.child_by_field_name("update")?;
    let var = expressions(init.child_by_field_name("left")?);
    let zero = expressions(init.child_by_field_name("right")?);
    let ([var], [zero]) = (var.as_slice(), zero.as_slice()) else {
        return None;
    };
    let name = text(*var, src);
    if init.kind() != kinds::SHORT_VAR_DECLARATION || text(*zero, src) != "0" {
        return None;
    }
    if update.kind() != kinds::INC_STATEMENT || text(update, src) != format!("{name}++") {
        return None;
    }
    let (l, op, r) = (
        cond.child_by_field_name("left")?,
        cond.child_by_field_name("operator")?,
        cond.child_by_field_name("right")?,
    );
    if text(l, src) != name || op.kind() != "<" || r.kind() != "int_literal" {
        return None;
    }
    text(r, src).parse().ok()
}

/// Whether a name, as written, holds an error: `err`, `closeErr`, `s.err`.
pub fn is_error_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.ends_with("Err") || last.ends_with("err")
}

/// Whether `cond` compares an error to nil with `op`: `err != nil` for
/// `"!="`, `closeErr == nil` for `"=="` (see [`is_error_name`]).
pub fn compares_error_to_nil(cond: Node<'_>, op: &str, src: &str) -> bool {
    let cond = unparen(cond);
    cond.kind() == kinds::BINARY_EXPRESSION
        && cond
            .child_by_field_name("operator")
            .is_some_and(|o| text(o, src) == op)
        && cond
            .child_by_field_name("right")
            .is_some_and(|r| text(r, src) == "nil")
        && cond
            .child_by_field_name("left")
            .map(unparen)
            .is_some_and(|l| is_error_name(text(l, src)))
}

/// Whether span `inner` lies within span `outer`.
pub fn within_span(inner: crate::source::Span, outer: crate::source::Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn ancestors_handed_to_the_visitor_are_the_parent_chain() {
        let src = "package p\n\nfunc f(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { _ = x }()\n\t\tif x > 0 {\n\t\t\tprintln(x)\n\t\t}\n\t}\n\tprintln(len(xs))\n}\n";
        let file = crate::parse::parse(crate::source::SourceFile::new("a.go", src.to_string()));
        let root = file.tree.root_node();
        let mut seen = 0;
        walk_with_ancestors(root, |n, ancestors| {
            let mut expected = Vec::new();
            let mut cur = n.parent();
            while let Some(p) = cur {
                expected.push(p);
                cur = p.parent();
            }
            expected.reverse();
            assert_eq!(ancestors, expected.as_slice(), "{}", n.kind());
            assert_eq!(ancestors_in_loop(ancestors), in_loop(n), "{}", n.kind());
            seen += 1;
            true
        });
        let mut all = 0;
        walk(root, |_| {
            all += 1;
            true
        });
        assert_eq!(seen, all);
        // A pruned subtree is not entered.
        let mut calls = 0;
        walk_with_ancestors(root, |n, _| {
            calls += usize::from(n.kind() == kinds::CALL_EXPRESSION);
            n.kind() != kinds::FOR_STATEMENT
        });
        assert_eq!(calls, 2, "println(len(xs)) and len(xs) only");
    }
}
