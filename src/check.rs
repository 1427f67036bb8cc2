//! What rules see: the package, file and function contexts, call resolution,
//! and the sink that turns findings into diagnostics.

use crate::catalog::{Acquire, Catalog, Ending, Release};
use crate::diagnostic::RuleId;
use crate::diagnostic::{Diagnostic, Edit, Fix, Label, Location, Severity};
use crate::facts::{FactSet, FuncFacts};
use crate::flow::cfg::{Cfg, NoReturn};
use crate::flow::cgo::{self, CParamFate};
use crate::flow::channels::{goroutine_of, CallbackParams, Goroutine};
use crate::flow::function::Function;
pub use crate::flow::function::{Callee, FunctionFacts};
use crate::flow::nest::Nest;
use crate::flow::obligation::{self, ArgFate, Obligation};
use crate::flow::returns::ReturnedAcquisitions;
use crate::flow::scopes::Scopes;
use crate::flow::summary::{GoStarts, ReleaseSummary};
use crate::flow::types;
use crate::gomod::GoVersion;
use crate::index::{base_type, func_key, FileImports, FuncKey, PackageIndex};
use crate::parse::ParsedFile;
use crate::source::{SourceFile, Span};
use crate::store::{FactStore, PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashMap as HashMap;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

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
    /// The package's import path, when it is in a module.
    pub path: Option<&'a str>,
    /// The facts of the module's packages this one imports (and its own).
    pub module: &'a FactSet,
    facts: FactStore,
    imports: Vec<OnceLock<FileImports>>,
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
            path: None,
            module: no_facts(),
            facts: FactStore::default(),
            imports: files.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The same context for the package with import path `path` in a
    /// module, seeing the facts `module` of the packages it imports.
    pub fn with_module(mut self, path: Option<&'a str>, module: &'a FactSet) -> Self {
        self.path = path;
        self.module = module;
        self
    }

    /// The package fact `T`, computed on first use and shared by every file.
    pub fn fact<T: PackageFact>(&self) -> &T {
        self.facts.get(PackageInput {
            files: self.files,
            index: self.index,
            catalog: self.catalog,
        })
    }

    /// Sets the fact `T`, built by the caller from this package's files,
    /// unless it is already built.
    pub fn provide<T: PackageFact>(&self, fact: T) {
        self.facts.provide(fact);
    }

    /// The imports of file `file_index`, read once.
    pub fn imports_of(&self, file_index: usize) -> Option<&FileImports> {
        let slot = self.imports.get(file_index)?;
        let file = self.files.get(file_index)?;
        Some(slot.get_or_init(|| {
            FileImports::read(file.tree.root_node(), &file.source.text, self.catalog)
        }))
    }

    /// Builds the facts the release-obligation analysis reads (what local
    /// functions do with the values handed to them, what they return), for
    /// [`crate::rules::Rule::prepare`].
    pub fn prepare_obligations(&self) {
        self.fact::<ReleaseSummary>();
        self.fact::<ReturnedAcquisitions>();
    }

    /// The context of file `file_index`.
    pub fn file(&'a self, file_index: usize) -> Option<FileContext<'a>> {
        let parsed = self.files.get(file_index)?;
        Some(FileContext {
            package: self,
            file_index,
            source: &parsed.source,
            root: parsed.tree.root_node(),
            imports: self.imports_of(file_index)?,
            parsed,
            functions: RefCell::default(),
            nests: RefCell::default(),
        })
    }
}

fn no_facts() -> &'static FactSet {
    static NONE: OnceLock<FactSet> = OnceLock::new();
    NONE.get_or_init(FactSet::default)
}

/// What is known about one function body, built at most once per file
/// whichever rule or goroutine start asks for it.
struct FunctionData<'a> {
    facts: FunctionFacts<'a>,
    cfg: OnceCell<Option<Cfg<'a>>>,
    obligations: OnceCell<Vec<Obligation<'a>>>,
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
    pub imports: &'a FileImports,
    /// The parsed file, whose memo holds the scopes of each top-level function.
    parsed: &'a ParsedFile,
    /// Facts and graphs per function (by node id).
    functions: RefCell<HashMap<usize, Rc<FunctionData<'a>>>>,
    /// How the literals of each top-level function nest (by node id).
    nests: RefCell<HashMap<usize, Rc<Nest<'a>>>>,
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

    /// How the func literals inside top-level function `top` nest, found in
    /// one walk per top-level function.
    pub fn nest(&self, top: Node<'a>) -> Rc<Nest<'a>> {
        self.nests
            .borrow_mut()
            .entry(top.id())
            .or_insert_with(|| Rc::new(Nest::build(top)))
            .clone()
    }

    /// The context of `func` (a function declaration, method or literal)
    /// inside the top-level function `top`. Scopes are built once per
    /// top-level function and each body's facts and graph once per file.
    /// `None` when the body is missing or malformed (error recovery can
    /// reshape a broken body; rules stay silent rather than guess).
    pub fn function<'f>(
        &'f self,
        top: Node<'a>,
        func: Node<'a>,
    ) -> Option<FunctionContext<'f, 'a>> {
        let body = func
            .child_by_field_name("body")
            .filter(|b| !b.has_error())?;
        let data = self
            .functions
            .borrow_mut()
            .entry(func.id())
            .or_insert_with(|| {
                Rc::new(FunctionData {
                    facts: FunctionFacts::collect(body),
                    cfg: OnceCell::new(),
                    obligations: OnceCell::new(),
                })
            })
            .clone();
        Some(FunctionContext {
            file: self,
            top,
            node: func,
            body,
            scopes: OnceCell::new(),
            data,
        })
    }
}

const BUILTINS: &[&str] = &[
    "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max",
    "min", "new", "panic", "print", "println", "real", "recover",
];

/// A function being checked: its syntax, resolved names, facts and lazily built CFG.
pub struct FunctionContext<'f, 'a> {
    /// The file.
    pub file: &'f FileContext<'a>,
    /// The top-level function that holds it (itself for a declaration).
    pub top: Node<'a>,
    /// The `function_declaration`, `method_declaration` or `func_literal`.
    pub node: Node<'a>,
    /// Its body block.
    pub body: Node<'a>,
    /// Identifier resolution for the enclosing top-level function, built on
    /// first use: most functions hold nothing a rule asks about.
    scopes: OnceCell<Arc<Scopes>>,
    data: Rc<FunctionData<'a>>,
}

impl<'f, 'a> FunctionContext<'f, 'a> {
    /// Identifier resolution for the enclosing top-level function.
    pub fn scopes(&self) -> &Scopes {
        self.scopes
            .get_or_init(|| Scopes::of(self.file.parsed, self.top))
    }

    /// The file's text.
    pub fn src(&self) -> &'a str {
        self.file.src()
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        self.file.text(node)
    }

    /// Nodes of interest in this function's own body (not in nested literals).
    pub fn facts(&self) -> &FunctionFacts<'a> {
        &self.data.facts
    }

    /// The control-flow graph, built on first use; `None` if the body nests too deeply.
    pub fn cfg(&self) -> Option<&Cfg<'a>> {
        self.data
            .cfg
            .get_or_init(|| Cfg::build(self.body, self.src(), self))
            .as_ref()
    }

    /// The span of this function's node, which identifies it in [`Scopes`].
    pub fn span(&self) -> Span {
        Span::of(self.node)
    }

    /// The release obligations of this body (see [`crate::flow::obligation`]),
    /// computed on first use and shared by every rule.
    pub fn obligations(&self) -> &[Obligation<'a>] {
        self.data
            .obligations
            .get_or_init(|| obligation::analyse(self))
    }

    /// The context of the body goroutine `g` runs: the literal's (sharing
    /// this file's facts and graph of it), or the declaration of a named
    /// function in the same file. `None` when the body is not available or
    /// cannot be analysed.
    pub fn goroutine(&self, g: Goroutine<'a>) -> Option<FunctionContext<'f, 'a>> {
        match g {
            Goroutine::Literal { func, .. } => self.file.function(self.top, func),
            Goroutine::Named {
                decl: Some(decl), ..
            } => self.file.function(decl, decl),
            _ => None,
        }
    }

    /// Calls `k` with the context of every function in another file of the
    /// package that starts this function (a declaration) with `go`, and the
    /// `go` statement. The goroutine rules use it to judge a named goroutine
    /// from the file that declares it, where its findings belong.
    pub fn owners_elsewhere(&self, mut k: impl FnMut(&FunctionContext<'_, 'a>, Node<'a>)) {
        let pkg = self.file.package;
        let Some(key) = func_key(self.node, self.src()) else {
            return;
        };
        let (name, method) = match &key {
            FuncKey::Func(n) => (n.as_str(), false),
            FuncKey::Method(_, n) => (n.as_str(), true),
        };
        let here = self.file.file_index;
        for start in pkg.fact::<GoStarts>().starts.iter() {
            if start.file == here || start.name != name || start.method != method {
                continue;
            }
            let Some(file) = pkg.file(start.file) else {
                continue;
            };
            let Some(go) = file
                .root
                .descendant_for_byte_range(start.span.start, start.span.end)
                .filter(|g| g.kind() == kinds::GO_STATEMENT)
            else {
                continue;
            };
            let Some(owner) = syntax::enclosing_function(go) else {
                continue;
            };
            let mut top = owner;
            while let Some(p) = top.parent() {
                if p.kind() == kinds::SOURCE_FILE {
                    break;
                }
                top = p;
            }
            let Some(ocx) = file.function(top, owner) else {
                continue;
            };
            let resolved = match goroutine_of(&ocx, go) {
                Goroutine::Named { key: r, .. } => r.owned() == key,
                _ => false,
            };
            if resolved {
                k(&ocx, go);
            }
        }
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
                // The cheap tests first: most names resolve without the scopes.
                let name = self.text(f);
                let callee = if index.funcs.contains_key(name) {
                    Callee::Local { name }
                } else if index.declares(name) {
                    return Callee::Other;
                } else if BUILTINS.contains(&name) {
                    Callee::Builtin(name)
                } else if self.file.imports.dot_imports().next().is_some() {
                    Callee::DotImported { name }
                } else {
                    return Callee::Other;
                };
                if self.scopes().is_free(f) {
                    callee
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
                if op.kind() == kinds::IDENTIFIER {
                    let pkg = self.text(op);
                    if !index.declares(pkg) {
                        if let Some(path) = self.file.imports.path_of(pkg) {
                            if self.scopes().is_free(op) {
                                return Callee::Package { path, name };
                            }
                        }
                    }
                }
                Callee::Method { receiver: op, name }
            }
            _ => Callee::Other,
        }
    }

    /// What the module's facts say about the function `callee` calls, when
    /// it is declared in another package of the module.
    pub fn module_func(&self, callee: Callee<'_>) -> Option<&'a FuncFacts> {
        let module = self.file.package.module;
        match callee {
            Callee::Package { path, name } => module.func(path, name),
            Callee::DotImported { name } => self
                .file
                .imports
                .dot_imports()
                .find_map(|p| module.func(p, name)),
            _ => None,
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

impl<'a> Function<'a> for FunctionContext<'_, 'a> {
    fn node(&self) -> Node<'a> {
        self.node
    }

    fn body(&self) -> Node<'a> {
        self.body
    }

    fn root(&self) -> Node<'a> {
        self.file.root
    }

    fn src(&self) -> &'a str {
        self.file.src()
    }

    fn file_index(&self) -> usize {
        self.file.file_index
    }

    fn scopes(&self) -> &Scopes {
        FunctionContext::scopes(self)
    }

    fn facts(&self) -> &FunctionFacts<'a> {
        &self.data.facts
    }

    fn cfg(&self) -> Option<&Cfg<'a>> {
        FunctionContext::cfg(self)
    }

    fn index(&self) -> &'a PackageIndex {
        self.file.package.index
    }

    fn callee(&self, call: Node<'a>) -> Callee<'_> {
        FunctionContext::callee(self, call)
    }

    fn is_package_func(
        &self,
        callee: Callee<'_>,
        pred: &mut dyn FnMut(&str, &str) -> bool,
    ) -> bool {
        FunctionContext::is_package_func(self, callee, pred)
    }

    fn catalog(&self) -> &'a Catalog {
        self.file.package.catalog
    }

    fn import_path(&self, name: &str) -> Option<&'a str> {
        if self.file.package.index.declares(name) {
            return None;
        }
        self.file.imports.path_of(name)
    }

    fn returned_acquisition(&self, call: Node<'a>, callee: Callee<'_>) -> Option<&'a Acquire> {
        self.returned(call, callee)
    }

    fn runs_callback(&self, call: Node<'a>, index: usize) -> bool {
        let pkg = self.file.package;
        let catalog = pkg.catalog;
        let key = match FunctionContext::callee(self, call) {
            Callee::Local { name } => FuncKey::Func(name.to_string()),
            Callee::Method { name, .. } => {
                let Some(ty) = types::type_of(self, receiver_node(call)) else {
                    return false;
                };
                match ty.package {
                    Some(path) => return catalog.is_sync_callback_method(path, ty.name, name),
                    None => FuncKey::Method(ty.name.to_string(), name.to_string()),
                }
            }
            callee @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
                return self.is_package_func(callee, |p, n| catalog.is_sync_callback(p, n));
            }
            _ => return false,
        };
        pkg.fact::<CallbackParams>().only_calls(&key, index)
    }

    /// Any cgo file of the package may define the helper (`callback.go`
    /// declares what `sqlite3.go` defines).
    fn cgo_param_fate(&self, name: &str, index: usize) -> Option<CParamFate> {
        self.file
            .package
            .files
            .iter()
            .find_map(|p| cgo::param_fate(p.tree.root_node(), &p.source.text, name, index))
    }

    fn method_releases(&self, call: Node<'a>, release: &Release) -> bool {
        let Callee::Method { name, .. } = FunctionContext::callee(self, call) else {
            return false;
        };
        let pkg = self.file.package;
        let summary = pkg.fact::<ReleaseSummary>();
        let releases = |ty: &str| {
            summary
                .receiver(&FuncKey::Method(ty.to_string(), name.to_string()))
                .is_some_and(|p| p.releases.contains(release))
        };
        let receiver = receiver_node(call);
        let ty = types::type_of(self, receiver)
            .filter(|t| t.package.is_none())
            .map(|t| t.name)
            .or_else(|| crate::flow::function::declared_type(self, receiver).map(base_type));
        match ty.filter(|t| pkg.index.types.contains(*t)) {
            Some(ty) => releases(ty),
            // The type is not written down (`s := mustSession()`): every method
            // of the package by that name must release its receiver.
            None => {
                let mut owners = pkg
                    .index
                    .methods
                    .keys()
                    .filter(|(_, m)| m == name)
                    .peekable();
                owners.peek().is_some() && owners.all(|(t, _)| releases(t))
            }
        }
    }

    fn method_moves(&self, call: Node<'a>) -> bool {
        let Callee::Method { name, .. } = FunctionContext::callee(self, call) else {
            return false;
        };
        let pkg = self.file.package;
        let receiver = receiver_node(call);
        let here = |ty: &str| {
            pkg.fact::<ReleaseSummary>()
                .moves(&FuncKey::Method(ty.to_string(), name.to_string()))
        };
        let there = |path: &str, ty: &str| {
            pkg.module
                .func(path, &format!("{ty}.{name}"))
                .is_some_and(|f| f.moves)
        };
        if let Some(t) = types::type_of(self, receiver) {
            return match t.package {
                None => here(t.name),
                Some(path) => there(path, t.name),
            };
        }
        match self.initialised_type(receiver) {
            Some(InitType::Here(ty)) => here(ty),
            Some(InitType::Module(path, ty)) => there(path, ty),
            None => false,
        }
    }

    fn arg_fate(&self, call: Node<'a>, index: usize, release: &Release) -> ArgFate {
        let key = match FunctionContext::callee(self, call) {
            Callee::Local { name } => FuncKey::Func(name.to_string()),
            Callee::Method { receiver, name } => {
                let Some(ty) = crate::flow::function::declared_type(self, receiver_node(call))
                    .map(base_type)
                    .filter(|t| self.file.package.index.types.contains(*t))
                else {
                    return ArgFate::Takes;
                };
                let _ = receiver;
                FuncKey::Method(ty.to_string(), name.to_string())
            }
            callee @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
                return self.module_arg_fate(callee, index, release);
            }
            _ => return ArgFate::Takes,
        };
        self.file
            .package
            .fact::<ReleaseSummary>()
            .param(&key, index)
            .map_or(ArgFate::Takes, |p| p.for_release(release))
    }
}

/// The type of a variable as the declared result of the call that
/// initialised it says.
enum InitType<'t> {
    /// A type of the package being checked.
    Here(&'t str),
    /// A type of another package of the module: import path and name.
    Module(&'t str, &'t str),
}

impl<'a> FunctionContext<'_, 'a> {
    /// The type of the variable `x` from the declared results of the call
    /// that declared it (`fd, err := sys.IterCreate(attr)`): a function of
    /// the package, or of another package of the module.
    fn initialised_type(&self, x: Node<'a>) -> Option<InitType<'a>> {
        if x.kind() != kinds::IDENTIFIER {
            return None;
        }
        let b = self.scopes().binding_of(x)?;
        let decl = self.scopes().binding(b).decl;
        let ident = self
            .file
            .root
            .descendant_for_byte_range(decl.start, decl.end)?;
        let left = ident
            .parent()
            .filter(|l| l.kind() == kinds::EXPRESSION_LIST)?;
        let stmt = left
            .parent()
            .filter(|s| s.kind() == kinds::SHORT_VAR_DECLARATION)?;
        let index = syntax::named_children(left).position(|l| l.id() == ident.id())?;
        let mut right = syntax::named_children(stmt.child_by_field_name("right")?);
        let call = right.next().map(syntax::unparen)?;
        if right.next().is_some() || call.kind() != kinds::CALL_EXPRESSION {
            return None;
        }
        let pkg = self.file.package;
        match FunctionContext::callee(self, call) {
            Callee::Local { name } => {
                let ty = &pkg.index.funcs.get(name)?.results.get(index)?.ty;
                Some(InitType::Here(base_type(ty)))
            }
            callee @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
                let (path, name) = self.module_func(callee)?.results.get(index)?.named()?;
                Some(InitType::Module(path, name))
            }
            _ => None,
        }
    }

    /// What a function of another package of the module does with argument
    /// `index`, as its facts say: it releases it (`util.CloseQuietly(c)`),
    /// lets it go, or only reads it. Unknown functions take it.
    fn module_arg_fate(&self, callee: Callee<'_>, index: usize, release: &Release) -> ArgFate {
        let Some(facts) = self.module_func(callee) else {
            return ArgFate::Takes;
        };
        let Ok(i) = u16::try_from(index) else {
            return ArgFate::Takes;
        };
        // Facts record releases by a method of the parameter itself (`c.Close()`).
        let own = matches!(release, Release::Method(m) if m.len() == 1);
        if facts.releases.contains(&i) && own {
            ArgFate::Releases(release.clone())
        } else if facts.releases.contains(&i) || facts.returns.contains(&i) {
            ArgFate::Takes
        } else {
            ArgFate::Reads
        }
    }

    /// The acquisition made by calling a function or method of this package
    /// or of another package of the module that returns what it opened
    /// (see [`crate::flow::returns`]).
    fn returned(&self, call: Node<'a>, callee: Callee<'_>) -> Option<&'a Acquire> {
        let pkg = self.file.package;
        match callee {
            Callee::Local { name } => pkg.fact::<ReturnedAcquisitions>().funcs.get(name),
            _ if pkg.module.is_empty() && pkg.index.funcs.is_empty() => None,
            Callee::Package { path, name } => pkg.module.acquisition(path, name),
            Callee::DotImported { name } => self
                .file
                .imports
                .dot_imports()
                .find_map(|p| pkg.module.acquisition(p, name)),
            // Only methods named for opening acquire: the name is checked before the type.
            Callee::Method { name, .. } if crate::flow::returns::opens(name) => {
                let ty = types::type_of(self, receiver_node(call))?;
                match ty.package {
                    None => pkg
                        .fact::<ReturnedAcquisitions>()
                        .methods
                        .get(&(ty.name.to_string(), name.to_string())),
                    Some(path) => pkg.module.acquisition(path, &format!("{}.{name}", ty.name)),
                }
            }
            _ => None,
        }
    }
}

/// The operand of a method call's selector (`x` in `x.m(…)`).
fn receiver_node(call: Node<'_>) -> Node<'_> {
    call.child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("operand"))
        .map(syntax::unparen)
        .unwrap_or(call)
}

impl<'a> NoReturn<'a> for FunctionContext<'_, 'a> {
    fn ending(&self, call: Node<'a>) -> Option<Ending> {
        let catalog = self.file.package.catalog;
        match self.callee(call) {
            Callee::Builtin("panic") => Some(Ending::Process),
            c @ (Callee::Package { .. } | Callee::DotImported { .. }) => {
                if self.is_package_func(c, |p, n| catalog.is_goroutine_exit(p, n)) {
                    Some(Ending::Goroutine)
                } else if self.is_package_func(c, |p, n| catalog.is_no_return(p, n)) {
                    Some(Ending::Process)
                } else {
                    None
                }
            }
            Callee::Method { name, .. } => {
                let receiver = call
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("operand"))
                    .map(syntax::unparen);
                let ty = receiver.and_then(|r| self.declared_type(r));
                let goroutine = ty.and_then(|t| {
                    let (pkg, ty) = self.qualified_type(t)?;
                    catalog
                        .is_goroutine_exit_method(pkg, ty, name)
                        .then_some(Ending::Goroutine)
                });
                goroutine.or_else(|| {
                    catalog
                        .is_no_return_method(name, |p| self.file.imports(p))
                        .then_some(Ending::Process)
                })
            }
            _ => None,
        }
    }
}

impl<'f, 'a> FunctionContext<'f, 'a> {
    /// The type written in the declaration of `x` when `x` is an identifier
    /// declared as a parameter or with `var x T`: `*testing.T`, `http.Client`.
    pub fn declared_type(&self, x: Node<'a>) -> Option<&'a str> {
        crate::flow::function::declared_type(self, x)
    }

    /// `(import path, type name)` for a type written `pkg.T` or `*pkg.T` in this file.
    pub fn qualified_type(&self, ty: &'a str) -> Option<(&'a str, &'a str)> {
        crate::flow::function::qualified_type(self.file.imports, ty)
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
            condition: None,
            in_commands: None,
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

    /// Makes the finding wait for the callers in other packages (see [`crate::facts::callers`]).
    pub fn condition(self, condition: crate::facts::callers::Condition) -> Self {
        self.diag.condition = Some(condition);
        self
    }

    /// Makes the finding wait for its package's importers: it becomes the
    /// note `in_commands` says when only commands that exit link the package
    /// (see [`crate::facts::linkage`]).
    pub fn in_commands(self, in_commands: crate::facts::linkage::InCommands) -> Self {
        self.diag.in_commands = Some(in_commands);
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
