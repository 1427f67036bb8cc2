//! The function being analysed, as the flow core sees it: its syntax, its
//! scopes, the nodes of interest in its body, its control-flow graph, and how
//! its calls resolve. The rule-level context implements [`Function`]; the flow
//! core never builds one itself.

use super::cfg::{Cfg, NoReturn};
use super::obligation::ArgFate;
use super::scopes::Scopes;
use crate::catalog::{Acquire, Catalog, Release};
use crate::index::{FileImports, PackageIndex};
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};

/// What a call expression calls.
#[derive(Debug, Clone, Copy)]
pub enum Callee<'a> {
    /// `pkg.Name(…)` where `pkg` is an import of `path`.
    Package {
        /// The import path.
        path: &'a str,
        /// The function's name.
        name: &'a str,
    },
    /// `Name(…)` where `Name` may come from a dot import (and is not declared in the package).
    DotImported {
        /// The function's name.
        name: &'a str,
    },
    /// A function declared in this package.
    Local {
        /// Its name.
        name: &'a str,
    },
    /// `x.Name(…)` on a value.
    Method {
        /// The receiver expression.
        receiver: Node<'a>,
        /// The method's name.
        name: &'a str,
    },
    /// A predeclared function: `panic`, `make`, `close`, …
    Builtin(&'a str),
    /// Anything else: a local func value, a call of a call, a conversion.
    Other,
}

/// Nodes of one function body, gathered in one walk that stops at nested func literals.
#[derive(Debug, Default)]
pub struct FunctionFacts<'a> {
    /// Call expressions.
    pub calls: Vec<Node<'a>>,
    /// `go` statements.
    pub go_stmts: Vec<Node<'a>>,
    /// `defer` statements.
    pub defers: Vec<Node<'a>>,
    /// Send statements.
    pub sends: Vec<Node<'a>>,
    /// Select statements.
    pub selects: Vec<Node<'a>>,
    /// For statements.
    pub loops: Vec<Node<'a>>,
    /// Return statements.
    pub returns: Vec<Node<'a>>,
    /// Nested func literals (directly in this body).
    pub func_literals: Vec<Node<'a>>,
}

impl<'a> FunctionFacts<'a> {
    /// Walks `body` once.
    pub fn collect(body: Node<'a>) -> Self {
        let mut f = FunctionFacts::default();
        syntax::walk(body, |n| {
            match n.kind() {
                kinds::CALL_EXPRESSION => f.calls.push(n),
                kinds::GO_STATEMENT => f.go_stmts.push(n),
                kinds::DEFER_STATEMENT => f.defers.push(n),
                kinds::SEND_STATEMENT => f.sends.push(n),
                kinds::SELECT_STATEMENT => f.selects.push(n),
                kinds::FOR_STATEMENT => f.loops.push(n),
                kinds::RETURN_STATEMENT => f.returns.push(n),
                kinds::FUNC_LITERAL => {
                    f.func_literals.push(n);
                    return false;
                }
                _ => {}
            }
            true
        });
        f
    }
}

/// One function under analysis and the resolution of its names and calls.
pub trait Function<'a>: NoReturn<'a> {
    /// The `function_declaration`, `method_declaration` or `func_literal`.
    fn node(&self) -> Node<'a>;
    /// Its body block.
    fn body(&self) -> Node<'a>;
    /// The root of the file's syntax tree.
    fn root(&self) -> Node<'a>;
    /// The text of the file.
    fn src(&self) -> &'a str;
    /// The index of the file within its package.
    fn file_index(&self) -> usize;
    /// Identifier resolution for the enclosing top-level function.
    fn scopes(&self) -> &Scopes;
    /// Nodes of interest in the body.
    fn facts(&self) -> &FunctionFacts<'a>;
    /// The control-flow graph; `None` if the body nests too deeply.
    fn cfg(&self) -> Option<&Cfg<'a>>;
    /// The package's declarations.
    fn index(&self) -> &'a PackageIndex;
    /// What a call expression calls.
    fn callee(&self, call: Node<'a>) -> Callee<'_>;
    /// Whether `callee` is a package-level function of an import path for
    /// which `pred(path, name)` holds, called by import name or dot import.
    fn is_package_func(&self, callee: Callee<'_>, pred: &mut dyn FnMut(&str, &str) -> bool)
        -> bool;

    /// Library knowledge.
    fn catalog(&self) -> &'a Catalog;
    /// The import path a package name stands for in this file.
    fn import_path(&self, name: &str) -> Option<&'a str>;
    /// What the callee of `call` (a function of this package or of another
    /// package of the module) does with argument `index`, for a value
    /// released by `release`. Unknown callees take the value.
    fn arg_fate(&self, call: Node<'a>, index: usize, release: &Release) -> ArgFate;
    /// Whether the method that `call` invokes on a held value releases its
    /// receiver by `release` (`db.MustClose()` calling `db.Close()`), as
    /// the package's summaries say.
    fn method_releases(&self, _call: Node<'a>, _release: &Release) -> bool {
        false
    }
    /// Whether the method that `call` invokes on a held value moves what
    /// the value holds out to its caller (see [`super::moves`]): the value
    /// is handed off to whoever gets the result.
    fn method_moves(&self, _call: Node<'a>) -> bool {
        false
    }
    /// The acquisition a call of a function outside the catalogue returns
    /// (a helper of the package or the module that returns an opened
    /// resource), when the resolution knows one. `callee` is what
    /// [`Function::callee`] said of `call`, so it is not resolved twice.
    fn returned_acquisition(&self, _call: Node<'a>, _callee: Callee<'_>) -> Option<&'a Acquire> {
        None
    }

    /// Whether `call` runs its func argument number `index` before it
    /// returns and keeps it nowhere (`sort.Slice`, `once.Do`, a helper of the
    /// package that only calls its parameter). Unknown calls may keep it.
    fn runs_callback(&self, _call: Node<'a>, _index: usize) -> bool {
        false
    }

    /// What the C function `name` of a cgo preamble does with its parameter
    /// `index` (see [`super::cgo`]): the file's own preamble by default.
    fn cgo_param_fate(&self, name: &str, index: usize) -> Option<super::cgo::CParamFate> {
        super::cgo::param_fate(self.root(), self.src(), name, index)
    }

    /// The text of a node.
    fn text(&self, node: Node<'_>) -> &'a str {
        syntax::text(node, self.src())
    }

    /// The span of the function's node, which identifies it in [`Scopes`].
    fn span(&self) -> Span {
        Span::of(self.node())
    }
}

/// The type written in the declaration of identifier `x`, when `x` is a
/// parameter, a receiver or a variable declared `var x T`.
pub fn declared_type<'a>(f: &dyn Function<'a>, x: Node<'a>) -> Option<&'a str> {
    if x.kind() != kinds::IDENTIFIER {
        return None;
    }
    let b = f.scopes().binding_of(x)?;
    let decl = f.scopes().binding(b).decl;
    let ident = f.root().descendant_for_byte_range(decl.start, decl.end)?;
    let p = ident.parent()?;
    if !matches!(p.kind(), kinds::PARAMETER_DECLARATION | kinds::VAR_SPEC) {
        return None;
    }
    Some(f.text(p.child_by_field_name("type")?))
}

/// `(import path, type name)` for a type written `pkg.T` or `*pkg.T`, with
/// `pkg` an import of the file.
pub fn qualified_type<'a>(imports: &'a FileImports, ty: &'a str) -> Option<(&'a str, &'a str)> {
    let t = ty.trim().trim_start_matches('*').trim();
    let (pkg, name) = t.split_once('.')?;
    Some((imports.path_of(pkg)?, name))
}
