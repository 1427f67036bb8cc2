//! What rules see: the package, file and function contexts, call resolution,
//! and the sink that turns findings into diagnostics.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Edit, Fix, Label, Location, Severity};
use crate::flow::cfg::{Cfg, NoReturn};
use crate::flow::obligations::{self, Obligation};
use crate::flow::scopes::Scopes;
use crate::flow::summary::{FieldCloses, GoStarts, PackageSummary};
use crate::gomod::GoVersion;
use crate::index::{FileImports, PackageIndex};
use crate::parse::ParsedFile;
use crate::rules::RuleId;
use crate::source::{SourceFile, Span};
use crate::syntax::{self, kinds};
use std::cell::OnceCell;
use std::sync::OnceLock;
use tree_sitter::Node;

/// The package being checked.
pub struct PackageContext<'a> {
    /// The parsed files of the package (one package clause name).
    pub files: &'a [&'a ParsedFile],
    /// The package index.
    pub index: &'a PackageIndex,
    /// Library knowledge.
    pub catalog: &'a Catalog,
    /// The Go language version in force (`None`: unknown, treated as old).
    pub go_version: Option<GoVersion>,
    summary: OnceLock<PackageSummary>,
    field_closes: OnceLock<FieldCloses>,
    go_starts: OnceLock<GoStarts>,
}

impl<'a> PackageContext<'a> {
    /// The context of one package.
    pub fn new(
        files: &'a [&'a ParsedFile],
        index: &'a PackageIndex,
        catalog: &'a Catalog,
        go_version: Option<GoVersion>,
    ) -> Self {
        PackageContext {
            files,
            index,
            catalog,
            go_version,
            summary: OnceLock::new(),
            field_closes: OnceLock::new(),
            go_starts: OnceLock::new(),
        }
    }

    /// What the package's functions do with their channel parameters, computed on first use.
    pub fn summary(&self) -> &PackageSummary {
        self.summary
            .get_or_init(|| PackageSummary::build(self.files))
    }

    /// The `go` statements of the package that start a named function, computed on first use.
    pub fn go_starts(&self) -> &GoStarts {
        self.go_starts
            .get_or_init(|| GoStarts::build(self.files, self.index))
    }

    /// Which struct fields the package closes, computed on first use.
    pub fn field_closes(&self) -> &FieldCloses {
        self.field_closes
            .get_or_init(|| FieldCloses::build(self.files))
    }
}

/// One file of the package.
pub struct FileContext<'a> {
    /// The package.
    pub package: &'a PackageContext<'a>,
    /// The file's index within the package.
    pub file_index: usize,
    /// The source.
    pub source: &'a SourceFile,
    /// The root of its syntax tree.
    pub root: Node<'a>,
    /// Its imports.
    pub imports: FileImports,
}

impl<'a> FileContext<'a> {
    /// The file's text.
    pub fn src(&self) -> &'a str {
        &self.source.text
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        syntax::text(node, self.src())
    }

    /// Whether the file imports `path` (by name or with `.`).
    pub fn imports(&self, path: &str) -> bool {
        self.imports.imports(path)
    }
}

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

const BUILTINS: &[&str] = &[
    "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max",
    "min", "new", "panic", "print", "println", "real", "recover",
];

/// A function being checked: its syntax, resolved names, facts and lazily built CFG.
pub struct FunctionContext<'f, 'a> {
    /// The file.
    pub file: &'f FileContext<'a>,
    /// The `function_declaration`, `method_declaration` or `func_literal`.
    pub node: Node<'a>,
    /// Its body block.
    pub body: Node<'a>,
    /// Identifier resolution for the enclosing top-level function.
    pub scopes: &'f Scopes,
    /// Nodes of interest in this function's own body (not in nested literals).
    pub facts: FunctionFacts<'a>,
    cfg: OnceCell<Option<Cfg<'a>>>,
    obligations: OnceCell<Vec<Obligation<'a>>>,
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
    fn collect(body: Node<'a>) -> Self {
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

impl<'f, 'a> FunctionContext<'f, 'a> {
    /// Prepares the context of `node`, whose body is `body`.
    pub fn new(
        file: &'f FileContext<'a>,
        node: Node<'a>,
        body: Node<'a>,
        scopes: &'f Scopes,
    ) -> Self {
        FunctionContext {
            file,
            node,
            body,
            scopes,
            facts: FunctionFacts::collect(body),
            cfg: OnceCell::new(),
            obligations: OnceCell::new(),
        }
    }

    /// The file's text.
    pub fn src(&self) -> &'a str {
        self.file.src()
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        self.file.text(node)
    }

    /// The control-flow graph, built on first use; `None` if the body nests too deeply.
    pub fn cfg(&self) -> Option<&Cfg<'a>> {
        self.cfg
            .get_or_init(|| Cfg::build(self.body, self.src(), self))
            .as_ref()
    }

    /// Every acquisition in this function's own body and what becomes of it,
    /// computed on first use and shared by the resource rules.
    pub fn obligations(&self) -> &[Obligation<'a>] {
        self.obligations.get_or_init(|| obligations::collect(self))
    }

    /// The span of this function's node, which identifies it in [`Scopes`].
    pub fn span(&self) -> Span {
        Span::of(self.node)
    }

    /// What a call expression calls.
    pub fn callee(&self, call: Node<'a>) -> Callee<'_> {
        let Some(mut f) = call.child_by_field_name("function").map(syntax::unparen) else {
            return Callee::Other;
        };
        if f.kind() == kinds::INDEX_EXPRESSION {
            // A generic instantiation: `F[T](…)`.
            if let Some(op) = f.child_by_field_name("operand") {
                f = syntax::unparen(op);
            }
        }
        let index = self.file.package.index;
        match f.kind() {
            kinds::IDENTIFIER => {
                if !self.scopes.is_free(f) {
                    return Callee::Other;
                }
                let name = self.text(f);
                if index.funcs.contains_key(name) {
                    Callee::Local { name }
                } else if index.declares(name) {
                    Callee::Other
                } else if BUILTINS.contains(&name) {
                    Callee::Builtin(name)
                } else if self.file.imports.dot_imports().next().is_some() {
                    Callee::DotImported { name }
                } else {
                    Callee::Other
                }
            }
            kinds::SELECTOR_EXPRESSION => {
                let (Some(op), Some(field)) = (
                    f.child_by_field_name("operand"),
                    f.child_by_field_name("field"),
                ) else {
                    return Callee::Other;
                };
                let op = syntax::unparen(op);
                let name = self.text(field);
                if op.kind() == kinds::IDENTIFIER && self.scopes.is_free(op) {
                    let pkg = self.text(op);
                    if !index.declares(pkg) {
                        if let Some(path) = self.file.imports.path_of(pkg) {
                            return Callee::Package { path, name };
                        }
                    }
                }
                Callee::Method { receiver: op, name }
            }
            _ => Callee::Other,
        }
    }

    /// Whether `callee` is a package-level function of `path` for which `pred(name)` holds,
    /// called through an import name or a dot import.
    pub fn is_package_func(
        &self,
        callee: Callee<'_>,
        mut pred: impl FnMut(&str, &str) -> bool,
    ) -> bool {
        match callee {
            Callee::Package { path, name } => pred(path, name),
            Callee::DotImported { name } => self.file.imports.dot_imports().any(|p| pred(p, name)),
            _ => false,
        }
    }
}

impl<'a> NoReturn<'a> for FunctionContext<'_, 'a> {
    fn never_returns(&self, call: Node<'a>) -> bool {
        let catalog = self.file.package.catalog;
        match self.callee(call) {
            Callee::Builtin("panic") => true,
            c @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
                self.is_package_func(c, |p, n| catalog.is_no_return(p, n))
            }
            Callee::Method { name, .. } => {
                catalog.is_no_return_method(name, |p| self.file.imports(p))
            }
            _ => false,
        }
    }
}

/// Collects one rule's findings in one file.
pub struct Sink<'a> {
    rule: RuleId,
    severity: Severity,
    source: &'a SourceFile,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for `rule` in `source`.
    pub fn new(
        rule: RuleId,
        severity: Severity,
        source: &'a SourceFile,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Sink {
            rule,
            severity,
            source,
            out,
        }
    }

    /// Whether findings go to `file`.
    pub fn is_file(&self, file: &SourceFile) -> bool {
        std::ptr::eq(self.source, file)
    }

    /// Whether this rule already reported a finding at `span` in this file
    /// (a goroutine function started from several places is reported once).
    pub fn reported_at(&self, span: Span) -> bool {
        self.out
            .iter()
            .any(|d| d.rule == self.rule && d.location.span == span)
    }

    /// Reports a finding at `span`; refine it with the returned builder.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity: self.severity,
            location: Location::new(self.source, span),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
        });
        Report {
            source: self.source,
            diag: self.out.last_mut().expect("just pushed"),
        }
    }
}

/// A finding being built.
pub struct Report<'a> {
    source: &'a SourceFile,
    diag: &'a mut Diagnostic,
}

impl Report<'_> {
    /// Adds a secondary label.
    pub fn label(self, span: Span, message: impl Into<String>) -> Self {
        self.diag.labels.push(Label {
            location: Location::new(self.source, span),
            message: message.into(),
        });
        self
    }

    /// Adds a secondary label in `file`, which may be another file of the package.
    pub fn label_in(self, file: &SourceFile, span: Span, message: impl Into<String>) -> Self {
        self.diag.labels.push(Label {
            location: Location::new(file, span),
            message: message.into(),
        });
        self
    }

    /// Sets the help text.
    pub fn help(self, help: impl Into<String>) -> Self {
        self.diag.help = Some(help.into());
        self
    }

    /// Lowers the severity (e.g. for a finding at reduced confidence).
    pub fn severity(self, severity: Severity) -> Self {
        self.diag.severity = self.diag.severity.min(severity);
        self
    }

    /// Attaches a fix made of `(span, replacement)` edits in this file.
    pub fn fix(
        self,
        description: impl Into<String>,
        safe: bool,
        edits: Vec<(Span, String)>,
    ) -> Self {
        let edits = edits
            .into_iter()
            .map(|(span, new_text)| Edit {
                location: Location::new(self.source, span),
                new_text,
            })
            .collect();
        self.diag.fix = Some(Fix {
            description: description.into(),
            safe,
            edits,
        });
        self
    }
}
