//! A light control-flow graph per function body, in the manner of
//! `golang.org/x/tools/go/cfg`: blocks hold the simple statements and
//! expressions evaluated in order; compound statements become edges.
//!
//! Calls that never return (`panic`, `os.Exit`, `log.Fatal`, `t.FailNow`, …)
//! end their block with no successor, so no path runs past them.

pub use crate::catalog::Ending;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashMap as HashMap;

/// Index of a block in [`Cfg::blocks`].
pub type BlockId = usize;

/// How a block leaves the function, if it does.
#[derive(Debug, Clone, Copy)]
pub enum Exit<'t> {
    /// An explicit `return` statement.
    Return(Node<'t>),
    /// Falling off the end of the body; the span is the closing brace.
    Implicit(Span),
    /// A call that never returns (panic, os.Exit, runtime.Goexit, …): the
    /// path ends without leaving normally, ending the process or only the
    /// goroutine.
    NoReturn(Node<'t>, Ending),
}

impl Exit<'_> {
    /// The span to point at for this exit.
    pub fn span(&self) -> Span {
        match self {
            Exit::Return(n) | Exit::NoReturn(n, _) => Span::of(*n),
            Exit::Implicit(s) => *s,
        }
    }

    /// How a path through a call that never returns ends; `None` for exits
    /// that return to the caller.
    pub fn ending(&self) -> Option<Ending> {
        match self {
            Exit::NoReturn(_, e) => Some(*e),
            _ => None,
        }
    }

    /// Whether this exit returns to the caller (as opposed to panicking or exiting).
    pub fn returns(&self) -> bool {
        !matches!(self, Exit::NoReturn(..))
    }
}

/// A two-way branch on a condition.
#[derive(Debug, Clone, Copy)]
pub struct Branch<'t> {
    /// The condition expression.
    pub cond: Node<'t>,
    /// Taken when the condition is true.
    pub then: BlockId,
    /// Taken when the condition is false.
    pub otherwise: BlockId,
}

/// A straight-line sequence of nodes.
#[derive(Debug, Default)]
pub struct Block<'t> {
    /// Statements and expressions evaluated in order.
    pub nodes: Vec<Node<'t>>,
    /// Successor blocks.
    pub succs: Vec<BlockId>,
    /// How the block leaves the function, if it does.
    pub exit: Option<Exit<'t>>,
    /// The condition this block ends with, if it ends with an `if`.
    pub branch: Option<Branch<'t>>,
}

/// The control-flow graph of one function body.
#[derive(Debug)]
pub struct Cfg<'t> {
    /// All blocks; block 0 is the entry.
    pub blocks: Vec<Block<'t>>,
    position: HashMap<usize, (BlockId, usize)>,
}

/// Decides whether a call expression never returns, and what ends then.
pub trait NoReturn<'t> {
    /// How `call` (a `call_expression`) ends things if it never returns to
    /// its caller: the whole process, or only the calling goroutine.
    fn ending(&self, call: Node<'t>) -> Option<Ending>;

    /// Whether `call` never returns to its caller.
    fn never_returns(&self, call: Node<'t>) -> bool {
        self.ending(call).is_some()
    }
}

/// Statement nesting beyond which a function is not analysed (it keeps the stack bounded).
pub const MAX_NESTING: usize = 400;

impl<'t> Cfg<'t> {
    /// Builds the graph of `body` (a `block`). `None` when the body nests too deeply.
    pub fn build(body: Node<'t>, src: &str, noreturn: &dyn NoReturn<'t>) -> Option<Cfg<'t>> {
        let mut b = Builder {
            src,
            noreturn,
            blocks: vec![Block::default()],
            current: 0,
            targets: Vec::new(),
            labels: HashMap::default(),
            depth: 0,
            too_deep: false,
        };
        b.stmt(body, None);
        let end = body.end_byte();
        let cur = b.current;
        b.blocks[cur].exit = Some(Exit::Implicit(Span::new(end.saturating_sub(1), end)));
        if b.too_deep {
            return None;
        }
        let mut position = HashMap::default();
        for (id, block) in b.blocks.iter().enumerate() {
            for (i, n) in block.nodes.iter().enumerate() {
                position.entry(n.id()).or_insert((id, i));
            }
        }
        Some(Cfg {
            blocks: b.blocks,
            position,
        })
    }

    /// The block and index of a node placed in the graph.
    pub fn position_of(&self, node: Node<'_>) -> Option<(BlockId, usize)> {
        self.position.get(&node.id()).copied()
    }

    /// The graph position of the statement that holds `node` (walking up to a placed ancestor).
    pub fn enclosing_position(&self, node: Node<'_>) -> Option<(BlockId, usize)> {
        let mut cur = Some(node);
        while let Some(n) = cur {
            if let Some(p) = self.position_of(n) {
                return Some(p);
            }
            if syntax::is_function(n) {
                return None;
            }
            cur = n.parent();
        }
        None
    }
}

/// `[]T{a, b}` or `map[K]V{k: v}`: a composite literal with at least one element.
fn non_empty_literal(n: Node<'_>) -> bool {
    let n = syntax::unparen(n);
    n.kind() == kinds::COMPOSITE_LITERAL
        && n.child_by_field_name("body")
            .is_some_and(|b| syntax::named_children(b).any(|c| c.kind() != kinds::COMMENT))
}

#[derive(Clone, Copy)]
struct Targets {
    label: Option<usize>,
    brk: Option<BlockId>,
    cont: Option<BlockId>,
    fallthrough: Option<BlockId>,
}

struct Builder<'t, 'a> {
    src: &'a str,
    noreturn: &'a dyn NoReturn<'t>,
    blocks: Vec<Block<'t>>,
    current: BlockId,
    targets: Vec<Targets>,
    labels: HashMap<&'a str, BlockId>,
    depth: usize,
    too_deep: bool,
}

impl<'t, 'a> Builder<'t, 'a> {
    fn new_block(&mut self) -> BlockId {
        self.blocks.push(Block::default());
        self.blocks.len() - 1
    }

    fn add(&mut self, node: Node<'t>) {
        let cur = self.current;
        self.blocks[cur].nodes.push(node);
    }

    fn edge(&mut self, from: BlockId, to: BlockId) {
        if !self.blocks[from].succs.contains(&to) {
            self.blocks[from].succs.push(to);
        }
    }

    /// Ends the current block with a jump to `to`; what follows is unreachable.
    fn jump(&mut self, to: BlockId) {
        let cur = self.current;
        self.edge(cur, to);
        self.current = self.new_block();
    }

    fn label_block(&mut self, name: &'a str) -> BlockId {
        if let Some(&b) = self.labels.get(name) {
            return b;
        }
        let b = self.new_block();
        self.labels.insert(name, b);
        b
    }

    fn stmt(&mut self, node: Node<'t>, label: Option<&'a str>) {
        if self.too_deep {
            return;
        }
        self.depth += 1;
        if self.depth > MAX_NESTING {
            self.too_deep = true;
        } else {
            self.stmt_inner(node, label);
        }
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, node: Node<'t>, label: Option<&'a str>) {
        match node.kind() {
            kinds::BLOCK | kinds::STATEMENT_LIST => {
                for c in syntax::named_children(node) {
                    self.stmt(c, None);
                }
            }
            kinds::EXPRESSION_STATEMENT => {
                self.add(node);
                let call = syntax::named_children(node).next().map(syntax::unparen);
                if let Some(call) = call.filter(|c| c.kind() == kinds::CALL_EXPRESSION) {
                    if let Some(ending) = self.noreturn.ending(call) {
                        let cur = self.current;
                        self.blocks[cur].exit = Some(Exit::NoReturn(node, ending));
                        self.current = self.new_block();
                    }
                }
            }
            kinds::RETURN_STATEMENT => {
                self.add(node);
                let cur = self.current;
                self.blocks[cur].exit = Some(Exit::Return(node));
                self.current = self.new_block();
            }
            kinds::LABELED_STATEMENT => {
                let name = node
                    .child_by_field_name("label")
                    .map(|l| syntax::text(l, self.src))
                    .unwrap_or("");
                let b = self.label_block(name);
                self.jump(b);
                self.current = b;
                if let Some(inner) =
                    syntax::named_children(node).find(|c| c.kind() != kinds::LABEL_NAME)
                {
                    self.stmt(inner, Some(name));
                }
            }
            kinds::BREAK_STATEMENT | kinds::CONTINUE_STATEMENT => {
                self.add(node);
                let wanted = self.label_of(node);
                let is_break = node.kind() == kinds::BREAK_STATEMENT;
                let target = self.targets.iter().rev().find_map(|t| {
                    if let Some(w) = wanted {
                        if t.label != Some(w) {
                            return None;
                        }
                    }
                    if is_break {
                        t.brk
                    } else {
                        t.cont
                    }
                });
                match target {
                    Some(t) => self.jump(t),
                    None => self.current = self.new_block(),
                }
            }
            kinds::GOTO_STATEMENT => {
                self.add(node);
                let name = syntax::named_children(node)
                    .find(|c| c.kind() == kinds::LABEL_NAME)
                    .map(|l| syntax::text(l, self.src))
                    .unwrap_or("");
                let b = self.label_block(name);
                self.jump(b);
            }
            kinds::FALLTHROUGH_STATEMENT => {
                self.add(node);
                match self.targets.iter().rev().find_map(|t| t.fallthrough) {
                    Some(t) => self.jump(t),
                    None => self.current = self.new_block(),
                }
            }
            kinds::IF_STATEMENT => self.if_stmt(node),
            kinds::FOR_STATEMENT => self.for_stmt(node, label),
            kinds::EXPRESSION_SWITCH_STATEMENT | kinds::TYPE_SWITCH_STATEMENT => {
                self.switch_stmt(node, label)
            }
            kinds::SELECT_STATEMENT => self.select_stmt(node, label),
            kinds::COMMENT | kinds::EMPTY_STATEMENT => {}
            _ => self.add(node),
        }
    }

    fn label_of(&self, node: Node<'t>) -> Option<usize> {
        let name = syntax::named_children(node)
            .find(|c| c.kind() == kinds::LABEL_NAME)
            .map(|l| syntax::text(l, self.src))?;
        Some(self.labels.get(name).copied().unwrap_or(usize::MAX))
    }

    fn label_id(&self, label: Option<&'a str>) -> Option<usize> {
        label.and_then(|l| self.labels.get(l).copied())
    }

    fn if_stmt(&mut self, node: Node<'t>) {
        if let Some(init) = node.child_by_field_name("initializer") {
            self.stmt(init, None);
        }
        let then = self.new_block();
        let done = self.new_block();
        let otherwise = if node.child_by_field_name("alternative").is_some() {
            self.new_block()
        } else {
            done
        };
        if let Some(cond) = node.child_by_field_name("condition") {
            self.add(cond);
            let cur = self.current;
            self.blocks[cur].branch = Some(Branch {
                cond,
                then,
                otherwise,
            });
        }
        let cur = self.current;
        self.edge(cur, then);
        self.edge(cur, otherwise);
        self.current = then;
        if let Some(c) = node.child_by_field_name("consequence") {
            self.stmt(c, None);
        }
        self.jump(done);
        if let Some(alt) = node.child_by_field_name("alternative") {
            self.current = otherwise;
            self.stmt(alt, None);
            self.jump(done);
        }
        self.current = done;
    }

    fn for_stmt(&mut self, node: Node<'t>, label: Option<&'a str>) {
        let head = self.new_block();
        let body = self.new_block();
        let done = self.new_block();
        let mut cont = head;
        let mut endless = true;
        let clause = syntax::named_children(node).find(|c| c.kind() != kinds::BLOCK);
        let mut update = None;
        match clause {
            Some(c) if c.kind() == kinds::FOR_CLAUSE => {
                if let Some(init) = c.child_by_field_name("initializer") {
                    self.stmt(init, None);
                }
                self.jump(head);
                self.current = head;
                if let Some(cond) = c.child_by_field_name("condition") {
                    self.add(cond);
                    endless = false;
                }
                update = c.child_by_field_name("update");
                if update.is_some() {
                    cont = self.new_block();
                }
            }
            Some(c) if c.kind() == kinds::RANGE_CLAUSE => {
                // The range expression is evaluated once, before the loop.
                let right = c.child_by_field_name("right");
                if let Some(right) = right {
                    self.add(right);
                }
                // A literal with elements runs the body at least once: the
                // first entry skips the head's exit edge.
                if right.is_some_and(non_empty_literal) {
                    self.jump(body);
                } else {
                    self.jump(head);
                }
                self.current = head;
                self.add(c);
                endless = false;
            }
            Some(cond) => {
                self.jump(head);
                self.current = head;
                self.add(cond);
                endless = false;
            }
            None => {
                self.jump(head);
                self.current = head;
            }
        }
        self.edge(head, body);
        if !endless {
            self.edge(head, done);
        }
        self.current = body;
        self.targets.push(Targets {
            label: self.label_id(label),
            brk: Some(done),
            cont: Some(cont),
            fallthrough: None,
        });
        if let Some(b) = node.child_by_field_name("body") {
            self.stmt(b, None);
        }
        self.targets.pop();
        self.jump(cont);
        if let Some(u) = update {
            self.current = cont;
            self.stmt(u, None);
            self.jump(head);
        }
        self.current = done;
    }

    fn switch_stmt(&mut self, node: Node<'t>, label: Option<&'a str>) {
        if let Some(init) = node.child_by_field_name("initializer") {
            self.stmt(init, None);
        }
        if let Some(v) = node.child_by_field_name("value") {
            self.add(v);
        }
        let head = self.current;
        let done = self.new_block();
        let clauses: Vec<Node<'t>> = syntax::named_children(node)
            .filter(|c| {
                matches!(
                    c.kind(),
                    kinds::EXPRESSION_CASE | kinds::TYPE_CASE | kinds::DEFAULT_CASE
                )
            })
            .collect();
        let bodies: Vec<BlockId> = clauses.iter().map(|_| self.new_block()).collect();
        let mut has_default = false;
        for (i, clause) in clauses.iter().enumerate() {
            has_default |= clause.kind() == kinds::DEFAULT_CASE;
            self.edge(head, bodies[i]);
            self.current = bodies[i];
            if let Some(v) = clause.child_by_field_name("value") {
                self.add(v);
            }
            self.targets.push(Targets {
                label: self.label_id(label),
                brk: Some(done),
                cont: None,
                fallthrough: bodies.get(i + 1).copied(),
            });
            for s in syntax::named_children(*clause).filter(|c| c.kind() == kinds::STATEMENT_LIST) {
                self.stmt(s, None);
            }
            self.targets.pop();
            self.jump(done);
        }
        if !has_default {
            self.edge(head, done);
        }
        self.current = done;
    }

    fn select_stmt(&mut self, node: Node<'t>, label: Option<&'a str>) {
        let head = self.current;
        let done = self.new_block();
        let clauses: Vec<Node<'t>> = syntax::named_children(node)
            .filter(|c| matches!(c.kind(), kinds::COMMUNICATION_CASE | kinds::DEFAULT_CASE))
            .collect();
        for clause in clauses {
            let body = self.new_block();
            self.edge(head, body);
            self.current = body;
            if let Some(comm) = clause.child_by_field_name("communication") {
                self.add(comm);
            }
            self.targets.push(Targets {
                label: self.label_id(label),
                brk: Some(done),
                cont: None,
                fallthrough: None,
            });
            for s in syntax::named_children(clause).filter(|c| c.kind() == kinds::STATEMENT_LIST) {
                self.stmt(s, None);
            }
            self.targets.pop();
            self.jump(done);
        }
        // A select with no case blocks forever: `done` is reached only through the cases.
        self.current = done;
    }
}
