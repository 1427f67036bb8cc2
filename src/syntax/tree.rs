//! The syntax tree every pass reads: tree-sitter's tree copied once into
//! flat arrays, with the same node interface.
//!
//! Walking a tree-sitter tree is costly: each step re-derives the visible
//! node from packed subtrees, `kind()` measures and validates a C string,
//! `child_by_field_name` compares the name against every field of the
//! grammar, and `parent()` restarts from the root. The passes walk each
//! function many times, so those costs, not parsing, dominated a run. Here a
//! node is an index into one array: kinds come from a table, fields are
//! small integers, and parents, children and siblings are links.

use std::fmt;
use std::sync::OnceLock;
use tree_sitter::{Language, Point, Range};

const NONE: u32 = u32::MAX;

const NAMED: u8 = 1;
const EXTRA: u8 = 2;
const MISSING: u8 = 4;
const ERROR: u8 = 8;
const HAS_ERROR: u8 = 16;

/// tree-sitter's symbol for error nodes.
const ERROR_SYMBOL: u16 = u16::MAX;

#[derive(Clone, Copy)]
struct Data {
    start: u32,
    end: u32,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next: u32,
    prev: u32,
    kind: u16,
    field: u16,
    flags: u8,
}

/// The kind names and field names of the Go grammar, by id.
struct Grammar {
    kinds: Vec<&'static str>,
    /// `(name, id)`, sorted by name.
    fields: Vec<(&'static str, u16)>,
    /// The fields by [`slot`], open addressing: every lookup of a field by
    /// name goes through here, so it must cost a hash of a few bytes.
    slots: [(&'static str, u16); SLOTS],
}

const SLOTS: usize = 256;

fn slot(name: &str) -> usize {
    let b = name.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    let h = (b.len() as u32)
        .wrapping_mul(31)
        .wrapping_add(u32::from(first.unwrap_or(0)).wrapping_mul(131))
        .wrapping_add(u32::from(last.unwrap_or(0)).wrapping_mul(7))
        .wrapping_add(u32::from(b.get(1).copied().unwrap_or(0)));
    h as usize % SLOTS
}

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let lang: Language = tree_sitter_go::LANGUAGE.into();
        let kinds = (0..lang.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| lang.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect();
        let mut fields: Vec<(&'static str, u16)> = (1..=lang.field_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                Some((lang.field_name_for_id(id)?, id))
            })
            .collect();
        fields.sort_unstable();
        let mut slots = [("", 0); SLOTS];
        for &(name, id) in &fields {
            let mut i = slot(name);
            while slots[i].1 != 0 {
                i = (i + 1) % SLOTS;
            }
            slots[i] = (name, id);
        }
        Grammar {
            kinds,
            fields,
            slots,
        }
    })
}

/// The id of the field `name`; 0 (no field) when the grammar has none so named.
fn field_id(name: &str) -> u16 {
    let slots = &grammar().slots;
    let mut i = slot(name);
    loop {
        let (n, id) = slots[i];
        if id == 0 || n == name {
            return id;
        }
        i = (i + 1) % SLOTS;
    }
}

/// A file's syntax tree.
pub struct Tree {
    nodes: Vec<Data>,
    /// Which kind ids occur, one bit each: a pass can tell a file holds
    /// nothing it looks for without walking it.
    present: Vec<u64>,
    /// Byte offset of each line's first byte.
    lines: Vec<u32>,
}

impl Tree {
    /// Copies tree-sitter's tree (one cursor walk) of a text whose lines
    /// start at `line_starts` (the source file's own table).
    pub fn new(ts: &tree_sitter::Tree, line_starts: &[usize]) -> Tree {
        let len = ts.root_node().end_byte();
        let mut nodes: Vec<Data> = Vec::with_capacity(len / 3 + 16);
        let mut cursor = ts.walk();
        // The open nodes from the root down to the current one.
        let mut path: Vec<u32> = Vec::new();
        let add = |nodes: &mut Vec<Data>, path: &[u32], cursor: &tree_sitter::TreeCursor| {
            let n = cursor.node();
            let idx = u32::try_from(nodes.len()).unwrap_or(NONE - 1);
            let parent = path.last().copied().unwrap_or(NONE);
            let mut flags = 0;
            flags |= if n.is_named() { NAMED } else { 0 };
            flags |= if n.is_extra() { EXTRA } else { 0 };
            flags |= if n.is_missing() {
                MISSING | HAS_ERROR
            } else {
                0
            };
            let kind = n.kind_id();
            flags |= if kind == ERROR_SYMBOL {
                ERROR | HAS_ERROR
            } else {
                0
            };
            let mut prev = NONE;
            if let Some(p) = nodes.get_mut(parent as usize) {
                prev = p.last_child;
                p.last_child = idx;
                if prev == NONE {
                    p.first_child = idx;
                }
            }
            if let Some(q) = nodes.get_mut(prev as usize) {
                q.next = idx;
            }
            nodes.push(Data {
                start: clamp(n.start_byte()),
                end: clamp(n.end_byte()),
                parent,
                first_child: NONE,
                last_child: NONE,
                next: NONE,
                prev,
                kind,
                field: cursor.field_id().map_or(0, |f| f.get()),
                flags,
            });
            idx
        };
        path.push(add(&mut nodes, &path, &cursor));
        'walk: loop {
            if cursor.goto_first_child() {
                path.push(add(&mut nodes, &path, &cursor));
                continue;
            }
            loop {
                path.pop();
                if cursor.goto_next_sibling() {
                    path.push(add(&mut nodes, &path, &cursor));
                    break;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        // Children come after their parent: one backward pass carries errors up.
        let mut present = vec![0u64; grammar().kinds.len() / 64 + 2];
        for i in (1..nodes.len()).rev() {
            let Data {
                flags,
                parent,
                kind,
                ..
            } = nodes[i];
            if let Some(w) = present.get_mut(usize::from(kind >> 6)) {
                *w |= 1 << (kind & 63);
            }
            if flags & HAS_ERROR != 0 {
                if let Some(p) = nodes.get_mut(parent as usize) {
                    p.flags |= HAS_ERROR;
                }
            }
        }
        let lines = line_starts.iter().map(|&s| clamp(s)).collect();
        Tree {
            nodes,
            present,
            lines,
        }
    }

    /// Whether some node below the root is of kind `kind`.
    pub fn has_kind(&self, kind: &str) -> bool {
        kind_ids(kind).any(|id| self.has_kind_id(id))
    }

    /// Every node below the root of kind `kind`, in source order: one pass over the node
    /// array, no walk, for a pass that looks for one kind anywhere in a file.
    pub fn nodes_of_kind<'t>(&'t self, kind: &str) -> impl Iterator<Item = Node<'t>> + 't {
        let ids: Vec<u16> = kind_ids(kind).filter(|&id| self.has_kind_id(id)).collect();
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, d)| ids.contains(&d.kind))
            .map(move |(i, _)| Node {
                tree: self,
                idx: i as u32,
            })
    }

    fn has_kind_id(&self, id: u16) -> bool {
        let id = usize::from(id);
        self.present
            .get(id >> 6)
            .is_some_and(|w| w & (1 << (id & 63)) != 0)
    }

    /// The root node (`source_file`).
    pub fn root_node(&self) -> Node<'_> {
        Node { tree: self, idx: 0 }
    }

    fn point(&self, byte: u32) -> Point {
        let row = self.lines.partition_point(|&s| s <= byte).saturating_sub(1);
        Point::new(row, (byte - self.lines[row]) as usize)
    }
}

/// The ids the grammar gives the kind `kind` (an alias may share a name).
fn kind_ids(kind: &str) -> impl Iterator<Item = u16> + '_ {
    grammar()
        .kinds
        .iter()
        .enumerate()
        .filter(move |(_, k)| **k == kind)
        .filter_map(|(id, _)| u16::try_from(id).ok())
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tree({} nodes)", self.nodes.len())
    }
}

/// A node of a [`Tree`]: the interface of `tree_sitter::Node`, at the cost
/// of an array index.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    idx: u32,
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t Data {
        &self.tree.nodes[self.idx as usize]
    }

    fn at(&self, idx: u32) -> Option<Node<'t>> {
        (idx != NONE).then_some(Node {
            tree: self.tree,
            idx,
        })
    }

    /// The node's kind, as the grammar names it (`"call_expression"`, `"("`).
    pub fn kind(&self) -> &'static str {
        let kind = self.data().kind;
        if kind == ERROR_SYMBOL {
            return "ERROR";
        }
        grammar()
            .kinds
            .get(usize::from(kind))
            .copied()
            .unwrap_or("")
    }

    /// A number unique to this node among the nodes of every live tree.
    pub fn id(&self) -> usize {
        std::ptr::from_ref(self.data()) as usize
    }

    /// Whether the node is named (not punctuation or a keyword).
    pub fn is_named(&self) -> bool {
        self.data().flags & NAMED != 0
    }

    /// Whether the node may appear anywhere (comments).
    pub fn is_extra(&self) -> bool {
        self.data().flags & EXTRA != 0
    }

    /// Whether the parser inserted the node to recover from an error.
    pub fn is_missing(&self) -> bool {
        self.data().flags & MISSING != 0
    }

    /// Whether the node is a syntax error.
    pub fn is_error(&self) -> bool {
        self.data().flags & ERROR != 0
    }

    /// Whether the node is, or contains, an error or missing node.
    pub fn has_error(&self) -> bool {
        self.data().flags & HAS_ERROR != 0
    }

    /// Byte offset of the node's first byte.
    pub fn start_byte(&self) -> usize {
        self.data().start as usize
    }

    /// Byte offset one past the node's last byte.
    pub fn end_byte(&self) -> usize {
        self.data().end as usize
    }

    /// The node's bytes.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        self.start_byte()..self.end_byte()
    }

    /// The node's bytes and points.
    pub fn range(&self) -> Range {
        Range {
            start_byte: self.start_byte(),
            end_byte: self.end_byte(),
            start_point: self.start_position(),
            end_point: self.end_position(),
        }
    }

    /// 0-based row and byte column of the node's start.
    pub fn start_position(&self) -> Point {
        self.tree.point(self.data().start)
    }

    /// 0-based row and byte column of the node's end.
    pub fn end_position(&self) -> Point {
        self.tree.point(self.data().end)
    }

    /// The enclosing node.
    pub fn parent(&self) -> Option<Node<'t>> {
        self.at(self.data().parent)
    }

    /// The next node with the same parent.
    pub fn next_sibling(&self) -> Option<Node<'t>> {
        self.at(self.data().next)
    }

    /// The previous node with the same parent.
    pub fn prev_sibling(&self) -> Option<Node<'t>> {
        self.at(self.data().prev)
    }

    /// The next named node with the same parent.
    pub fn next_named_sibling(&self) -> Option<Node<'t>> {
        std::iter::successors(self.next_sibling(), Node::next_sibling).find(Node::is_named)
    }

    /// The previous named node with the same parent.
    pub fn prev_named_sibling(&self) -> Option<Node<'t>> {
        std::iter::successors(self.prev_sibling(), Node::prev_sibling).find(Node::is_named)
    }

    /// The node's children, anonymous ones included.
    pub fn children(&self) -> Children<'t> {
        Children {
            next: self.at(self.data().first_child),
            backward: false,
        }
    }

    /// The node's children, last first.
    pub fn children_rev(&self) -> Children<'t> {
        Children {
            next: self.at(self.data().last_child),
            backward: true,
        }
    }

    /// The node's named children (comments included).
    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> + 't {
        self.children().filter(Node::is_named)
    }

    /// How many children the node has.
    pub fn child_count(&self) -> usize {
        self.children().count()
    }

    /// How many named children the node has.
    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    /// The `i`-th child.
    pub fn child(&self, i: usize) -> Option<Node<'t>> {
        self.children().nth(i)
    }

    /// The `i`-th named child.
    pub fn named_child(&self, i: usize) -> Option<Node<'t>> {
        self.named_children().nth(i)
    }

    /// The first child in the field `name`.
    pub fn child_by_field_name(&self, name: &str) -> Option<Node<'t>> {
        let id = field_id(name);
        if id == 0 {
            return None;
        }
        self.children().find(|c| c.data().field == id)
    }

    /// Every child in the field `name`.
    pub fn children_by_field_name(&self, name: &str) -> impl Iterator<Item = Node<'t>> + 't {
        let id = field_id(name);
        self.children()
            .filter(move |c| id != 0 && c.data().field == id)
    }

    /// The name of the field the node fills in its parent.
    pub fn field_name(&self) -> Option<&'static str> {
        let id = self.data().field;
        grammar()
            .fields
            .iter()
            .find(|(_, f)| *f == id && id != 0)
            .map(|(n, _)| *n)
    }

    /// The smallest node within this one that spans the bytes `start..end`.
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        self.descendant_for(start, end, false)
    }

    /// The smallest named node within this one that spans the bytes `start..end`.
    pub fn named_descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        self.descendant_for(start, end, true)
    }

    /// tree-sitter's descent: into the first child that touches the range.
    fn descendant_for(&self, start: usize, end: usize, named: bool) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        let mut found = *self;
        'down: loop {
            for child in node.children() {
                let (s, e) = (child.start_byte(), child.end_byte());
                if e < end || if s == e { e < start } else { e <= start } {
                    continue;
                }
                if start < s {
                    break;
                }
                node = child;
                if !named || child.is_named() {
                    found = child;
                }
                continue 'down;
            }
            return Some(found);
        }
    }

    /// A cursor positioned on this node; it never moves above it.
    pub fn walk(&self) -> Cursor<'t> {
        Cursor {
            node: *self,
            root: self.idx,
        }
    }

    /// The node as an S-expression of its named descendants, fields labelled.
    pub fn to_sexp(&self) -> String {
        let mut out = String::new();
        // Explicit stack: (node, whether its close paren is due).
        let mut stack = vec![(*self, false)];
        while let Some((n, close)) = stack.pop() {
            if close {
                out.push(')');
                continue;
            }
            if !out.is_empty() && !out.ends_with('(') {
                out.push(' ');
            }
            if let Some(field) = n.field_name().filter(|_| n.idx != self.idx) {
                out.push_str(field);
                out.push_str(": ");
            }
            out.push('(');
            out.push_str(if n.is_missing() { "MISSING " } else { "" });
            if n.is_named() {
                out.push_str(n.kind());
            } else {
                out.push_str(&format!("{:?}", n.kind()));
            }
            stack.push((n, true));
            let kids: Vec<Node<'t>> = n
                .children()
                .filter(|k| k.is_named() || k.is_missing())
                .collect();
            stack.extend(kids.into_iter().rev().map(|k| (k, false)));
        }
        out
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.idx == other.idx
    }
}

impl Eq for Node<'_> {}

impl std::hash::Hash for Node<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{Node {} {}..{}}}",
            self.kind(),
            self.start_byte(),
            self.end_byte()
        )
    }
}

/// The children of a node, first or last first.
pub struct Children<'t> {
    next: Option<Node<'t>>,
    backward: bool,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        let n = self.next?;
        self.next = if self.backward {
            n.prev_sibling()
        } else {
            n.next_sibling()
        };
        Some(n)
    }
}

/// A position in a tree that moves between parents, children and siblings,
/// never above the node it started from.
#[derive(Clone)]
pub struct Cursor<'t> {
    node: Node<'t>,
    root: u32,
}

impl<'t> Cursor<'t> {
    /// The node the cursor is on.
    pub fn node(&self) -> Node<'t> {
        self.node
    }

    /// Moves to the first child; false when there is none.
    pub fn goto_first_child(&mut self) -> bool {
        let child = self.node.at(self.node.data().first_child);
        self.go(child)
    }

    /// Moves to the next sibling; false at the last child, or at the start node.
    pub fn goto_next_sibling(&mut self) -> bool {
        let next = (self.node.idx != self.root).then(|| self.node.next_sibling());
        self.go(next.flatten())
    }

    /// Moves to the parent; false at the start node.
    pub fn goto_parent(&mut self) -> bool {
        let parent = (self.node.idx != self.root).then(|| self.node.parent());
        self.go(parent.flatten())
    }

    fn go(&mut self, to: Option<Node<'t>>) -> bool {
        if let Some(n) = to {
            self.node = n;
        }
        to.is_some()
    }

    /// Moves to the first child that ends after `byte`; its index, or `None`
    /// (the cursor unmoved) when there is none.
    pub fn goto_first_child_for_byte(&mut self, byte: usize) -> Option<usize> {
        let (i, c) = self
            .node
            .children()
            .enumerate()
            .find(|(_, c)| c.end_byte() > byte)?;
        self.node = c;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(src: &str) -> (tree_sitter::Tree, Tree) {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_go::LANGUAGE.into())
            .unwrap();
        let ts = parser.parse(src, None).unwrap();
        let flat = Tree::new(
            &ts,
            crate::source::SourceFile::new("a.go", src.to_string()).line_starts(),
        );
        (ts, flat)
    }

    #[test]
    fn kinds_present_are_those_of_some_node() {
        let src = "package p\nfunc f() { go g(); x := []int{1} }\n";
        let (ts, flat) = both(src);
        for n in ts_nodes(&ts).iter().skip(1) {
            assert!(flat.has_kind(n.kind()), "{}", n.kind());
        }
        assert!(flat.has_kind("go_statement"));
        assert!(!flat.has_kind("select_statement"));
        assert!(!flat.has_kind("defer_statement"));
        assert!(!flat.has_kind("no such kind"));
    }

    #[test]
    fn nodes_of_a_kind_are_found_in_source_order() {
        let src = "package p\nfunc f() { a.b(); if x { c.d.e = 1 } }\nfunc g() { go h.i() }\n";
        let (ts, flat) = both(src);
        let want: Vec<(usize, usize)> = ts_nodes(&ts)
            .iter()
            .filter(|n| n.kind() == "selector_expression")
            .map(|n| (n.start_byte(), n.end_byte()))
            .collect();
        let got: Vec<(usize, usize)> = flat
            .nodes_of_kind("selector_expression")
            .map(|n| (n.start_byte(), n.end_byte()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(want.len(), 4);
        assert_eq!(flat.nodes_of_kind("select_statement").count(), 0);
        assert_eq!(flat.nodes_of_kind("no such kind").count(), 0);
    }

    /// Every node, in pre-order, through tree-sitter's own cursor.
    fn ts_nodes(ts: &tree_sitter::Tree) -> Vec<tree_sitter::Node<'_>> {
        let mut out = Vec::new();
        let mut c = ts.walk();
        loop {
            out.push(c.node());
            if c.goto_first_child() {
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    break;
                }
                if !c.goto_parent() {
                    return out;
                }
            }
        }
    }

    fn flat_nodes(t: &Tree) -> Vec<Node<'_>> {
        (0..t.nodes.len())
            .map(|i| Node {
                tree: t,
                idx: i as u32,
            })
            .collect()
    }

    const SOURCES: &[&str] = &[
        "package p\n\nimport (\n\t\"context\"\n\tfoo \"x/y\"\n)\n\n// é comment\nfunc f(ctx context.Context, xs ...int) (err error) {\n\tc, cancel := context.WithCancel(ctx) // trailing\n\tdefer cancel()\n\tfor i, x := range xs {\n\t\tif x > 0 { go func() { _ = x }() }\n\t\t_ = i\n\t}\n\tswitch v := any(c).(type) {\n\tcase nil:\n\t\treturn\n\tdefault:\n\t\t_ = v\n\t}\n\treturn c.Err()\n}\n\ntype T[K comparable] struct{ m map[K]int; foo.Bar }\n\nfunc (t *T[K]) g() int { return len(t.m) }\n",
        "package p\nfunc f() { x := ; if { }\n",
        "package p\nfunc f() { g(1, 2\n}\n",
        "package p\nvar x = []int{1,\n2}\nconst (a = iota; b)\n",
    ];

    #[test]
    fn nodes_match_tree_sitter() {
        for src in SOURCES {
            let (ts, flat) = both(src);
            let a = ts_nodes(&ts);
            let b = flat_nodes(&flat);
            assert_eq!(a.len(), b.len(), "{src}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.kind(), y.kind());
                assert_eq!(x.byte_range(), y.byte_range());
                assert_eq!(x.start_position(), y.start_position(), "{src} {:?}", y);
                assert_eq!(x.end_position(), y.end_position());
                assert_eq!(
                    (
                        x.is_named(),
                        x.is_extra(),
                        x.is_missing(),
                        x.is_error(),
                        x.has_error()
                    ),
                    (
                        y.is_named(),
                        y.is_extra(),
                        y.is_missing(),
                        y.is_error(),
                        y.has_error()
                    ),
                    "{src} {y:?}"
                );
                assert_eq!(x.child_count(), y.child_count());
                assert_eq!(x.named_child_count(), y.named_child_count());
                assert_eq!(
                    x.parent().map(|p| p.byte_range()),
                    y.parent().map(|p| p.byte_range())
                );
                // tree-sitter skips empty siblings (error recovery leaves
                // some); the links do not.
                let apart = |s: &Node<'_>| s.start_byte() < s.end_byte();
                assert_eq!(
                    x.next_named_sibling()
                        .filter(|s| s.start_byte() < s.end_byte())
                        .map(|s| (s.kind(), s.byte_range())),
                    y.next_named_sibling()
                        .filter(apart)
                        .map(|s| (s.kind(), s.byte_range())),
                    "{y:?} in {src}"
                );
                let before = |s: &Node<'_>| s.start_byte() < s.end_byte();
                assert_eq!(
                    x.prev_sibling()
                        .filter(|s| s.start_byte() < s.end_byte())
                        .map(|s| s.byte_range()),
                    y.prev_sibling().filter(before).map(|s| s.byte_range())
                );
                for field in [
                    "name",
                    "body",
                    "left",
                    "right",
                    "type",
                    "value",
                    "function",
                    "arguments",
                    "operand",
                    "field",
                    "result",
                    "parameters",
                ] {
                    assert_eq!(
                        x.child_by_field_name(field)
                            .map(|c| (c.kind(), c.byte_range())),
                        y.child_by_field_name(field)
                            .map(|c| (c.kind(), c.byte_range())),
                        "{field} of {y:?}"
                    );
                    let mut cur = x.walk();
                    let xs: Vec<_> = x
                        .children_by_field_name(field, &mut cur)
                        .map(|c| c.byte_range())
                        .collect();
                    let ys: Vec<_> = y
                        .children_by_field_name(field)
                        .map(|c| c.byte_range())
                        .collect();
                    assert_eq!(xs, ys);
                }
                assert_eq!(x.field_name_of_self(), y.field_name());
            }
            assert_eq!(
                ts.root_node().to_sexp(),
                flat.root_node().to_sexp(),
                "{src}"
            );
        }
    }

    trait FieldOfSelf {
        fn field_name_of_self(&self) -> Option<&'static str>;
    }

    impl FieldOfSelf for tree_sitter::Node<'_> {
        fn field_name_of_self(&self) -> Option<&'static str> {
            let parent = self.parent()?;
            let i = (0..parent.child_count()).find(|&i| parent.child(i) == Some(*self))?;
            parent.field_name_for_child(i as u32)
        }
    }

    #[test]
    fn descendants_for_byte_ranges_match_tree_sitter() {
        for src in SOURCES {
            let (ts, flat) = both(src);
            for start in 0..=src.len() {
                for end in [start, start + 1, start + 2, start + 7] {
                    let a = ts.root_node().descendant_for_byte_range(start, end);
                    let b = flat.root_node().descendant_for_byte_range(start, end);
                    assert_eq!(
                        a.map(|n| (n.kind(), n.byte_range())),
                        b.map(|n| (n.kind(), n.byte_range())),
                        "{start}..{end} in {src}"
                    );
                    let a = ts.root_node().named_descendant_for_byte_range(start, end);
                    let b = flat.root_node().named_descendant_for_byte_range(start, end);
                    assert_eq!(
                        a.map(|n| (n.kind(), n.byte_range())),
                        b.map(|n| (n.kind(), n.byte_range())),
                        "named {start}..{end} in {src}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_field_is_found_by_its_name() {
        let lang: Language = tree_sitter_go::LANGUAGE.into();
        for id in 1..=lang.field_count() as u16 {
            let name = lang.field_name_for_id(id).unwrap();
            assert_eq!(field_id(name), id, "{name}");
            assert_eq!(field_id(&format!("{name}x")), 0);
        }
        assert_eq!(field_id(""), 0);
        assert_eq!(field_id("no_such_field"), 0);
    }

    #[test]
    fn cursor_stays_below_its_start() {
        let (_, flat) = both(SOURCES[0]);
        let f = flat
            .root_node()
            .named_children()
            .find(|n| n.kind() == "function_declaration")
            .unwrap();
        let mut c = f.walk();
        assert!(!c.goto_parent());
        assert!(!c.goto_next_sibling());
        assert!(c.goto_first_child());
        assert_eq!(c.node().kind(), "func");
        assert!(c.goto_next_sibling());
        assert!(c.goto_parent());
        assert_eq!(c.node(), f);
        assert!(c.goto_first_child_for_byte(f.end_byte() - 1).is_some());
        assert_eq!(c.node().kind(), "block");
    }
}
