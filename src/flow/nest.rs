//! How the functions of one top-level declaration nest: for every func
//! literal, the function whose body holds it and the two nodes above it
//! (the argument list and call of `once.Do(func(){…})`, the call and `go`
//! statement of `go func(){…}()`).
//!
//! Built with one cursor walk down, so asking about every literal of a
//! declaration costs time linear in its size.

use crate::syntax;
use crate::syntax::Node;
use rustc_hash::FxHashMap as HashMap;

/// Where one func literal sits.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The function (declaration or literal) whose body holds the literal.
    pub outer: Node<'a>,
    /// The literal's parent.
    pub parent: Node<'a>,
    /// Its grandparent, when the parent is not the outer function itself.
    pub grandparent: Option<Node<'a>>,
}

/// The sites of every func literal inside one top-level function.
#[derive(Debug, Default)]
pub struct Nest<'a> {
    sites: HashMap<usize, Site<'a>>,
}

impl<'a> Nest<'a> {
    /// Walks `top` once.
    pub fn build(top: Node<'a>) -> Nest<'a> {
        let mut sites = HashMap::default();
        // The ancestors of the cursor's node, and the functions among them.
        let mut chain: Vec<Node<'a>> = Vec::new();
        let mut funcs: Vec<(usize, Node<'a>)> = Vec::new();
        let mut cursor = top.walk();
        loop {
            let n = cursor.node();
            if syntax::is_function(n) && n.id() != top.id() {
                if let (Some(&(_, outer)), Some(&parent)) = (funcs.last(), chain.last()) {
                    let grandparent = chain.len().checked_sub(2).map(|i| chain[i]);
                    sites.insert(
                        n.id(),
                        Site {
                            outer,
                            parent,
                            grandparent,
                        },
                    );
                }
            }
            if syntax::is_function(n) {
                funcs.push((chain.len(), n));
            }
            if cursor.goto_first_child() {
                chain.push(n);
                continue;
            }
            // Leave finished nodes (and the functions they were) until one
            // has a next sibling.
            loop {
                while funcs.last().is_some_and(|&(d, _)| d >= chain.len()) {
                    funcs.pop();
                }
                if cursor.node().id() == top.id() {
                    return Nest { sites };
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return Nest { sites };
                }
                chain.pop();
            }
        }
    }

    /// Where literal `lit` sits; `None` for the top-level function itself.
    pub fn site(&self, lit: Node<'_>) -> Option<&Site<'a>> {
        self.sites.get(&lit.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::source::SourceFile;
    use crate::syntax::kinds;

    #[test]
    fn literals_know_their_outer_function_and_call() {
        let src = "package p\nfunc f() {\n\tgo func() {\n\t\tonce.Do(func() {})\n\t}()\n\tg(func() {})\n}\n";
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let top = syntax::named_children(file.tree.root_node())
            .find(|n| n.kind() == kinds::FUNCTION_DECLARATION)
            .unwrap();
        let nest = Nest::build(top);
        let mut lits = Vec::new();
        syntax::walk(top, |n| {
            if n.kind() == kinds::FUNC_LITERAL {
                lits.push(n);
            }
            true
        });
        assert_eq!(lits.len(), 3);
        let go = nest.site(lits[0]).unwrap();
        assert_eq!(go.outer.id(), top.id());
        assert_eq!(go.parent.kind(), kinds::CALL_EXPRESSION);
        assert_eq!(go.grandparent.unwrap().kind(), kinds::GO_STATEMENT);
        let once = nest.site(lits[1]).unwrap();
        assert_eq!(once.outer.id(), lits[0].id());
        assert_eq!(once.parent.kind(), kinds::ARGUMENT_LIST);
        let passed = nest.site(lits[2]).unwrap();
        assert_eq!(passed.outer.id(), top.id());
        assert!(nest.site(top).is_none());
    }
}
