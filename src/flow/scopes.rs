//! Scopes and bindings: every identifier of a function resolved to its local
//! declaration, with Go's shadowing rules.
//!
//! One `Scopes` covers a whole top-level function including its nested func
//! literals, so a closure's use of an outer variable resolves to the outer
//! binding. Identifiers that resolve to nothing local are package-level names,
//! imports or predeclared identifiers.

use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashMap as HashMap;

/// Index of a binding in [`Scopes::bindings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId(pub u32);

/// What declared a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingKind {
    /// A parameter or receiver.
    Param,
    /// A named result.
    Result,
    /// A local variable (`:=`, `var`, range key/value, select receive).
    Var,
    /// A local constant.
    Const,
    /// A local type name.
    Type,
    /// The variable of a type switch clause.
    TypeSwitch,
}

/// A declared name.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name as written.
    pub name: String,
    /// The declaring identifier.
    pub decl: Span,
    /// The function (declaration or literal) whose scope holds it.
    pub func: Span,
    /// What declared it.
    pub kind: BindingKind,
}

/// One identifier that refers to a local binding.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    /// The identifier.
    pub span: Span,
    /// The binding it refers to.
    pub binding: BindingId,
    /// Whether the identifier is only assigned to (`x = …`), not read.
    pub write: bool,
}

/// The resolution of every identifier in one top-level function.
#[derive(Debug, Default)]
pub struct Scopes {
    /// All bindings, in declaration order.
    pub bindings: Vec<Binding>,
    refs: HashMap<usize, Reference>,
    decls: HashMap<usize, BindingId>,
    by_binding: Vec<Vec<Reference>>,
}

enum Task<'t> {
    Visit(Node<'t>),
    Write(Node<'t>),
    Push,
    Pop,
    Declare(Node<'t>, BindingKind),
    DeclareShort(Node<'t>),
    Func(Option<Span>),
}

impl Scopes {
    /// Resolves every identifier under `root` (a function declaration, method or literal).
    pub fn build(root: Node<'_>, src: &str) -> Scopes {
        let mut b = ScopeBuilder {
            src,
            out: Scopes::default(),
            names: HashMap::default(),
            undo: Vec::new(),
            funcs: Vec::new(),
        };
        b.run(root);
        b.out
    }

    /// The scopes of `root` (a function or literal of `file`), built once and
    /// shared by every pass over the file's package.
    pub fn of(file: &crate::parse::ParsedFile, root: Node<'_>) -> std::sync::Arc<Scopes> {
        file.memo
            .get_or_build(root, || Scopes::build(root, &file.source.text))
    }

    /// The binding an identifier refers to, if it is a local use.
    pub fn reference(&self, ident: Node<'_>) -> Option<Reference> {
        self.refs
            .get(&ident.start_byte())
            .filter(|r| r.span.end == ident.end_byte())
            .copied()
    }

    /// The binding an identifier declares, if it is a declaration site.
    pub fn declared(&self, ident: Node<'_>) -> Option<BindingId> {
        self.decls.get(&ident.start_byte()).copied()
    }

    /// The binding an identifier declares or refers to.
    pub fn binding_of(&self, ident: Node<'_>) -> Option<BindingId> {
        self.declared(ident)
            .or_else(|| self.reference(ident).map(|r| r.binding))
    }

    /// The binding's data.
    pub fn binding(&self, id: BindingId) -> &Binding {
        &self.bindings[id.0 as usize]
    }

    /// Every reference to a binding (reads and writes), in source order.
    pub fn references(&self, id: BindingId) -> &[Reference] {
        &self.by_binding[id.0 as usize]
    }

    /// Whether `span` contains a read of the binding.
    pub fn reads_within(&self, id: BindingId, span: Span) -> bool {
        self.references(id)
            .iter()
            .any(|r| !r.write && span.contains(r.span))
    }

    /// Whether any identifier named `name` is declared in the function.
    pub fn declares_name(&self, name: &str) -> bool {
        self.bindings.iter().any(|b| b.name == name)
    }

    /// Whether `ident` is a free name here: not declared in any enclosing local scope.
    pub fn is_free(&self, ident: Node<'_>) -> bool {
        self.binding_of(ident).is_none()
    }
}

struct ScopeBuilder<'s> {
    src: &'s str,
    out: Scopes,
    names: HashMap<&'s str, Vec<(BindingId, usize)>>,
    undo: Vec<Vec<&'s str>>,
    funcs: Vec<Span>,
}

impl<'s> ScopeBuilder<'s> {
    fn run<'t>(&mut self, root: Node<'t>) {
        let mut stack = vec![Task::Visit(root)];
        while let Some(task) = stack.pop() {
            match task {
                Task::Push => self.undo.push(Vec::new()),
                Task::Pop => {
                    if let Some(names) = self.undo.pop() {
                        for n in names {
                            if let Some(v) = self.names.get_mut(n) {
                                v.pop();
                            }
                        }
                    }
                }
                Task::Func(Some(span)) => self.funcs.push(span),
                Task::Func(None) => {
                    self.funcs.pop();
                }
                Task::Declare(ident, kind) => self.declare(ident, kind),
                Task::DeclareShort(ident) => {
                    let name = syntax::text(ident, self.src);
                    let depth = self.undo.len();
                    let existing = self
                        .names
                        .get(name)
                        .and_then(|v| v.last())
                        .filter(|&&(_, d)| d == depth)
                        .map(|&(id, _)| id);
                    match existing {
                        Some(id) => self.reference(ident, id, true),
                        None => self.declare(ident, BindingKind::Var),
                    }
                }
                Task::Write(node) => {
                    let node = syntax::unparen(node);
                    if node.kind() == kinds::IDENTIFIER {
                        self.resolve(node, true);
                    } else {
                        stack.push(Task::Visit(node));
                    }
                }
                Task::Visit(node) => self.visit(node, &mut stack),
            }
        }
    }

    fn visit<'t>(&mut self, node: Node<'t>, stack: &mut Vec<Task<'t>>) {
        // Tasks are pushed in reverse order of execution.
        match node.kind() {
            kinds::IDENTIFIER => self.resolve(node, false),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION | kinds::FUNC_LITERAL => {
                stack.push(Task::Func(None));
                stack.push(Task::Pop);
                if let Some(body) = node.child_by_field_name("body") {
                    // The body block shares the parameters' scope in Go; a nested
                    // scope is equivalent since parameters cannot be redeclared there.
                    stack.push(Task::Visit(body));
                }
                for field in ["result", "parameters", "receiver"] {
                    if let Some(list) = node.child_by_field_name(field) {
                        let kind = if field == "result" {
                            BindingKind::Result
                        } else {
                            BindingKind::Param
                        };
                        for decl in syntax::named_children(list) {
                            for name in syntax::field_children(decl, "name") {
                                stack.push(Task::Declare(name, kind));
                            }
                        }
                    }
                }
                stack.push(Task::Push);
                stack.push(Task::Func(Some(Span::of(node))));
            }
            kinds::BLOCK => self.scoped(node, stack, |n, s| children_rev(n, s)),
            kinds::SHORT_VAR_DECLARATION => {
                if let Some(left) = node.child_by_field_name("left") {
                    for id in syntax::expressions(left).into_iter().rev() {
                        stack.push(Task::DeclareShort(id));
                    }
                }
                if let Some(right) = node.child_by_field_name("right") {
                    stack.push(Task::Visit(right));
                }
            }
            kinds::ASSIGNMENT_STATEMENT => {
                let plain = node
                    .child_by_field_name("operator")
                    .is_some_and(|op| syntax::text(op, self.src) == "=");
                if let Some(right) = node.child_by_field_name("right") {
                    stack.push(Task::Visit(right));
                }
                if let Some(left) = node.child_by_field_name("left") {
                    for e in syntax::expressions(left).into_iter().rev() {
                        stack.push(if plain {
                            Task::Write(e)
                        } else {
                            Task::Visit(e)
                        });
                    }
                }
            }
            kinds::VAR_SPEC | kinds::CONST_SPEC => {
                let kind = if node.kind() == kinds::VAR_SPEC {
                    BindingKind::Var
                } else {
                    BindingKind::Const
                };
                for name in syntax::field_children(node, "name").into_iter().rev() {
                    stack.push(Task::Declare(name, kind));
                }
                if let Some(value) = node.child_by_field_name("value") {
                    stack.push(Task::Visit(value));
                }
            }
            kinds::TYPE_SPEC | kinds::TYPE_ALIAS => {
                if let Some(name) = node.child_by_field_name("name") {
                    stack.push(Task::Declare(name, BindingKind::Type));
                }
            }
            kinds::IF_STATEMENT => self.scoped(node, stack, |n, s| {
                for field in ["alternative", "consequence", "condition", "initializer"] {
                    if let Some(c) = n.child_by_field_name(field) {
                        s.push(Task::Visit(c));
                    }
                }
            }),
            kinds::FOR_STATEMENT => self.scoped(node, stack, |n, s| {
                if let Some(body) = n.child_by_field_name("body") {
                    s.push(Task::Visit(body));
                }
                for c in syntax::named_children(n)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    if c.kind() == kinds::RANGE_CLAUSE {
                        let short = has_token(c, ":=");
                        if let Some(left) = c.child_by_field_name("left") {
                            for id in syntax::expressions(left).into_iter().rev() {
                                s.push(if short {
                                    Task::Declare(id, BindingKind::Var)
                                } else {
                                    Task::Write(id)
                                });
                            }
                        }
                        if let Some(right) = c.child_by_field_name("right") {
                            s.push(Task::Visit(right));
                        }
                    } else if c.kind() == kinds::FOR_CLAUSE {
                        for field in ["update", "condition", "initializer"] {
                            if let Some(x) = c.child_by_field_name(field) {
                                s.push(Task::Visit(x));
                            }
                        }
                    } else if c.kind() != kinds::BLOCK {
                        s.push(Task::Visit(c));
                    }
                }
            }),
            kinds::EXPRESSION_SWITCH_STATEMENT | kinds::SELECT_STATEMENT => {
                self.scoped(node, stack, |n, s| children_rev(n, s))
            }
            // A type switch's clauses are walked by `type_switch`, never visited here.
            kinds::EXPRESSION_CASE | kinds::DEFAULT_CASE => {
                self.scoped(node, stack, |n, s| children_rev(n, s))
            }
            kinds::TYPE_SWITCH_STATEMENT => self.type_switch(node, stack),
            kinds::COMMUNICATION_CASE => self.scoped(node, stack, |n, s| {
                for c in syntax::named_children(n)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    if c.kind() == kinds::RECEIVE_STATEMENT && has_token(c, ":=") {
                        if let Some(left) = c.child_by_field_name("left") {
                            for id in syntax::expressions(left).into_iter().rev() {
                                s.push(Task::Declare(id, BindingKind::Var));
                            }
                        }
                        if let Some(right) = c.child_by_field_name("right") {
                            s.push(Task::Visit(right));
                        }
                    } else {
                        s.push(Task::Visit(c));
                    }
                }
            }),
            kinds::RECEIVE_STATEMENT => {
                if let Some(right) = node.child_by_field_name("right") {
                    stack.push(Task::Visit(right));
                }
                if let Some(left) = node.child_by_field_name("left") {
                    for e in syntax::expressions(left) {
                        stack.push(Task::Write(e));
                    }
                }
            }
            kinds::SELECTOR_EXPRESSION => {
                if let Some(op) = node.child_by_field_name("operand") {
                    stack.push(Task::Visit(op));
                }
            }
            // `T{cancel: cancel}`: in a literal of a named or struct type a
            // bare-identifier key is a field name, not a use of the local.
            kinds::COMPOSITE_LITERAL if struct_like(node) => {
                let body = node.child_by_field_name("body");
                for c in syntax::named_children(node)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    if body.is_some_and(|b| b.id() == c.id()) {
                        for e in syntax::named_children(c)
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                        {
                            match field_key_value(e) {
                                Some(value) => stack.push(Task::Visit(value)),
                                None => stack.push(Task::Visit(e)),
                            }
                        }
                    } else {
                        stack.push(Task::Visit(c));
                    }
                }
            }
            kinds::LABELED_STATEMENT => {
                for c in syntax::named_children(node) {
                    if c.kind() != kinds::LABEL_NAME {
                        stack.push(Task::Visit(c));
                    }
                }
            }
            kinds::BREAK_STATEMENT
            | kinds::CONTINUE_STATEMENT
            | kinds::GOTO_STATEMENT
            | kinds::COMMENT => {}
            _ => children_rev(node, stack),
        }
    }

    fn scoped<'t>(
        &mut self,
        node: Node<'t>,
        stack: &mut Vec<Task<'t>>,
        inner: impl FnOnce(Node<'t>, &mut Vec<Task<'t>>),
    ) {
        stack.push(Task::Pop);
        inner(node, stack);
        stack.push(Task::Push);
    }

    fn type_switch<'t>(&mut self, node: Node<'t>, stack: &mut Vec<Task<'t>>) {
        let aliases: Vec<Node<'t>> = node
            .child_by_field_name("alias")
            .map(syntax::expressions)
            .unwrap_or_default();
        stack.push(Task::Pop);
        let clauses: Vec<Node<'t>> = syntax::named_children(node)
            .filter(|c| matches!(c.kind(), kinds::TYPE_CASE | kinds::DEFAULT_CASE))
            .collect();
        for clause in clauses.into_iter().rev() {
            stack.push(Task::Pop);
            for c in syntax::named_children(clause)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                if c.kind() == kinds::STATEMENT_LIST {
                    stack.push(Task::Visit(c));
                }
            }
            for a in aliases.iter().rev() {
                stack.push(Task::Declare(*a, BindingKind::TypeSwitch));
            }
            stack.push(Task::Push);
        }
        if let Some(v) = node.child_by_field_name("value") {
            stack.push(Task::Visit(v));
        }
        if let Some(init) = node.child_by_field_name("initializer") {
            stack.push(Task::Visit(init));
        }
        stack.push(Task::Push);
    }

    fn declare(&mut self, ident: Node<'_>, kind: BindingKind) {
        let name = syntax::text(ident, self.src);
        if name == "_" || name.is_empty() {
            return;
        }
        let id = BindingId(self.out.bindings.len() as u32);
        self.out.bindings.push(Binding {
            name: name.to_string(),
            decl: Span::of(ident),
            func: self.funcs.last().copied().unwrap_or_default(),
            kind,
        });
        self.out.by_binding.push(Vec::new());
        self.out.decls.insert(ident.start_byte(), id);
        let depth = self.undo.len();
        self.names.entry(name).or_default().push((id, depth));
        if let Some(top) = self.undo.last_mut() {
            top.push(name);
        }
    }

    fn resolve(&mut self, ident: Node<'_>, write: bool) {
        let name = syntax::text(ident, self.src);
        if let Some(&(id, _)) = self.names.get(name).and_then(|v| v.last()) {
            self.reference(ident, id, write);
        }
    }

    fn reference(&mut self, ident: Node<'_>, id: BindingId, write: bool) {
        let r = Reference {
            span: Span::of(ident),
            binding: id,
            write,
        };
        self.out.refs.insert(ident.start_byte(), r);
        self.out.by_binding[id.0 as usize].push(r);
    }
}

/// Whether a composite literal's type names a struct or a named type (whose
/// keys are field names), not a map, slice or array (whose keys are values).
fn struct_like(lit: Node<'_>) -> bool {
    lit.child_by_field_name("type").is_some_and(|t| {
        !matches!(
            t.kind(),
            "map_type" | "slice_type" | "array_type" | "implicit_length_array_type"
        )
    })
}

/// The value of a keyed element whose key is a bare identifier (a field
/// name in a struct literal).
fn field_key_value(e: Node<'_>) -> Option<Node<'_>> {
    if e.kind() != kinds::KEYED_ELEMENT {
        return None;
    }
    let key = e.child_by_field_name("key")?;
    let bare = key.kind() == kinds::IDENTIFIER
        || key.kind() == "field_identifier"
        || (key.kind() == kinds::LITERAL_ELEMENT
            && key.named_child_count() == 1
            && key.named_child(0)?.kind() == kinds::IDENTIFIER);
    bare.then(|| e.child_by_field_name("value")).flatten()
}

fn children_rev<'t>(node: Node<'t>, stack: &mut Vec<Task<'t>>) {
    for c in node.children_rev().filter(Node::is_named) {
        stack.push(Task::Visit(c));
    }
}

/// Whether `node` has an anonymous child token `tok` (e.g. `:=`).
pub fn has_token(node: Node<'_>, tok: &str) -> bool {
    node.children().any(|c| !c.is_named() && c.kind() == tok)
}
