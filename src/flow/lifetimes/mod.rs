//! Object lifetimes: what the struct types of a package hold in their fields
//! and how the package's functions treat those fields (release, hand off,
//! signal, replace), which methods release things, which goroutines the
//! types start, and where values of each type are created.
//!
//! Computed once per package over all its files (`pkg.fact::<Lifetimes>()`),
//! tree-free, so a file re-analysed alone in the editor gets the same answer
//! as a run over the whole package. The field rules judge one acquisition or
//! one goroutine loop against it.

pub mod loops;
pub mod types;
pub mod uses;

use crate::flow::scopes::{BindingKind, Scopes};
use crate::index::{func_key, var_specs, FileImports, FuncKey, PackageIndex};
use crate::parse::ParsedFile;
use crate::source::Span;
use crate::store::{PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
pub use types::{FieldInfo, Resolver, StructInfo, StructTypes};
pub use uses::{ArgCallee, FieldUseKind, Origin};

/// Method names that release what a value holds.
pub const RELEASE_NAMES: &[&str] = &[
    "Close",
    "Stop",
    "Shutdown",
    "Cancel",
    "Release",
    "Disconnect",
    "Terminate",
    "Dispose",
    "Free",
    "Quit",
    "Halt",
    "CloseSend",
    "Unsubscribe",
];

/// Whether `name` is a release method's name (`Close`, `Stop`, `Shutdown`, …;
/// a lowercase `close` or `stop` helper too).
pub fn is_release_name(name: &str) -> bool {
    RELEASE_NAMES.contains(&name)
        || RELEASE_NAMES.iter().any(|r| {
            let mut c = r.chars();
            c.next().is_some_and(|f| {
                name.len() == r.len()
                    && name.starts_with(f.to_ascii_lowercase())
                    && name[1..] == *c.as_str()
            })
        })
}

/// One use of a field.
#[derive(Debug, Clone)]
pub struct FieldUse {
    /// The struct type declaring the field, when the value's type is known.
    pub owner: Option<String>,
    /// The field's name.
    pub field: String,
    /// The top-level function or method holding the use (`None`: a package initialiser).
    pub func: Option<FuncKey>,
    /// The file.
    pub file: usize,
    /// The selector.
    pub span: Span,
    /// Whether it sits in a loop of its function.
    pub in_loop: bool,
    /// What it does.
    pub kind: FieldUseKind,
}

/// What a `go` statement starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoTarget {
    /// A func literal (in the same file as the statement).
    Literal,
    /// A function or method of the package.
    Named(FuncKey),
    /// Something else.
    Unknown,
}

/// One `go` statement of the package. A statement that hands method values
/// to a wrapper (`go withRecover(t.loop)`, `go spawn(t.loop)`) has one more
/// site per method value, at the same span, whose target is the method: the
/// wrapper runs it in the goroutine.
#[derive(Debug, Clone)]
pub struct GoSite {
    /// The file.
    pub file: usize,
    /// The statement.
    pub span: Span,
    /// What it starts.
    pub target: GoTarget,
    /// The top-level function holding it.
    pub func: Option<FuncKey>,
    /// Whether it runs in a loop (one goroutine per iteration).
    pub in_loop: bool,
    /// Whether it runs once per process (`main`, `init`, a package initialiser).
    pub process: bool,
}

/// A function or method of the package, as far as lifetimes go.
#[derive(Debug, Clone, Default)]
pub struct FuncInfo {
    /// The file.
    pub file: usize,
    /// The declaration's name.
    pub name_span: Span,
    /// Methods and functions it calls on values of package struct types:
    /// `r.flush()`, `r.base.Close()`, `closeAll(r)`.
    pub calls: Vec<FuncKey>,
    /// The struct types it creates itself (`&T{…}`, `new(T)`).
    pub creates: Vec<String>,
    /// The package functions it calls.
    pub callees: Vec<String>,
    /// Methods of package types it uses as values, not calls.
    pub method_values: Vec<FuncKey>,
    /// Whether it runs once per process (`init`, `main` of package main).
    pub process: bool,
    /// Whether it calls one of its parameters (`fn()`): a wrapper such as
    /// `withRecover(fn func())` runs the function it is given.
    pub calls_param: bool,
    /// Parameters whose elements it releases by ranging over them, with
    /// what it does to each (`for _, c := range closers { c.Close() }`).
    pub ranged_params: Vec<(usize, FieldUseKind)>,
}

/// The lifetimes fact of one package.
#[derive(Debug, Default)]
pub struct Lifetimes {
    /// The struct types.
    pub types: StructTypes,
    /// Every use of a field of them.
    pub uses: Vec<FieldUse>,
    /// Functions and methods by key.
    pub funcs: HashMap<FuncKey, FuncInfo>,
    /// `go` statements.
    pub go_sites: Vec<GoSite>,
    /// Types handed to `runtime.SetFinalizer`.
    pub finalized: HashSet<String>,
    /// Methods used as values (`go withRecover(t.loop)`, `time.AfterFunc(d, t.flush)`):
    /// they may run as goroutines or callbacks.
    pub method_values: HashSet<FuncKey>,
    /// Types created in package-level variable initialisers.
    created_in_vars: HashSet<String>,
}

impl PackageFact for Lifetimes {
    fn build(input: PackageInput<'_>) -> Self {
        Lifetimes::build(input.files, input.index, input.catalog)
    }
}

impl PackageFact for StructTypes {
    fn build(input: PackageInput<'_>) -> Self {
        StructTypes::of(input.files)
    }
}

impl StructTypes {
    /// The struct types declared in `files`.
    pub fn of(files: &[&ParsedFile]) -> StructTypes {
        StructTypes::collect(
            files
                .iter()
                .enumerate()
                .map(|(i, f)| (i, f.tree.root_node(), f.source.text.as_str())),
        )
    }
}

impl Lifetimes {
    /// Scans the files of one package.
    pub fn build(
        files: &[&ParsedFile],
        index: &PackageIndex,
        catalog: &crate::catalog::Catalog,
    ) -> Lifetimes {
        let types = StructTypes::of(files);
        let mut out = Lifetimes {
            types,
            ..Lifetimes::default()
        };
        if out.types.types.is_empty() {
            return out;
        }
        let method_names: HashSet<&str> = index.methods.keys().map(|(_, m)| m.as_str()).collect();
        // One file after another: the fact may be first asked for while the
        // package's files are checked in parallel, and a thread waiting on
        // its own pool inside the build could be handed a check that asks
        // for it again.
        let scans: Vec<FileScan> = files
            .iter()
            .enumerate()
            .map(|(fi, file)| FileScan::scan(fi, file, &out.types, index, catalog, &method_names))
            .collect();
        // A wrapped site is an index into its file's go sites.
        let mut wrapped = Vec::new();
        for scan in scans {
            let base = out.go_sites.len();
            wrapped.extend(scan.wrapped.into_iter().map(|(i, w, m)| (base + i, w, m)));
            out.uses.extend(scan.uses);
            out.go_sites.extend(scan.go_sites);
            out.finalized.extend(scan.finalized);
            out.method_values.extend(scan.method_values);
            out.created_in_vars.extend(scan.created_in_vars);
            out.funcs.extend(scan.funcs);
        }
        // A package wrapper runs the method value only when it calls a parameter.
        for (site, wrapper, method) in wrapped {
            let runs = match &wrapper {
                Some(k) => out.funcs.get(k).is_some_and(|i| i.calls_param),
                None => true,
            };
            if let (true, Some(base)) = (runs, out.go_sites.get(site)) {
                let mut extra = base.clone();
                extra.target = GoTarget::Named(method);
                out.go_sites.push(extra);
            }
        }
        out
    }

    /// The uses of field `field` of `owner`, and those through values of unknown type.
    pub fn uses_of<'s>(
        &'s self,
        owner: &'s str,
        field: &'s str,
    ) -> impl Iterator<Item = &'s FieldUse> {
        self.uses
            .iter()
            .filter(move |u| u.field == field && u.owner.as_deref().is_none_or(|o| o == owner))
    }

    /// The release methods of a value of `ty`: its own, those promoted from
    /// types it embeds, and those of package types embedding it (which may
    /// release its fields through promotion).
    pub fn release_methods(&self, index: &PackageIndex, ty: &str) -> Vec<FuncKey> {
        let mut out = Vec::new();
        for t in self.types.embedders(ty) {
            for ((recv, name), sig) in index.methods.iter() {
                if recv == t && is_exported_release(name) && releases_self(sig) {
                    out.push(FuncKey::Method(recv.clone(), name.clone()));
                }
            }
        }
        // Promoted from embedded types.
        let mut queue = vec![ty.to_string()];
        let mut seen = HashSet::default();
        while let Some(t) = queue.pop() {
            if !seen.insert(t.clone()) || seen.len() > 16 {
                continue;
            }
            if let Some(info) = self.types.types.get(&t) {
                for e in &info.embeds {
                    for ((recv, name), sig) in index.methods.iter() {
                        if *recv == e.name && is_exported_release(name) && releases_self(sig) {
                            out.push(FuncKey::Method(recv.clone(), name.clone()));
                        }
                    }
                    queue.push(e.name.clone());
                }
            }
        }
        out.sort_by_key(|k| format!("{k:?}"));
        out.dedup();
        out
    }

    /// `start` and every function it reaches through calls on package values.
    pub fn reach(&self, start: &[FuncKey]) -> HashSet<FuncKey> {
        let mut seen: HashSet<FuncKey> = HashSet::default();
        let mut stack: Vec<FuncKey> = start.to_vec();
        while let Some(k) = stack.pop() {
            if !seen.insert(k.clone()) {
                continue;
            }
            if let Some(info) = self.funcs.get(&k) {
                stack.extend(info.calls.iter().cloned());
            }
        }
        seen
    }

    /// Methods of `ty` (and of the types it embeds) started with `go`.
    pub fn goroutine_methods(&self, ty: &str) -> Vec<FuncKey> {
        self.go_sites
            .iter()
            .filter_map(|g| match &g.target {
                GoTarget::Named(k @ FuncKey::Method(t, _))
                    if self.types.embedders(t).contains(&ty) || t == ty =>
                {
                    Some(k.clone())
                }
                _ => None,
            })
            .collect()
    }

    /// Whether values of `ty` are only created once per process: every
    /// creation is in `init`, `main`, a package initialiser, or a
    /// constructor (a function returning the type) only those call.
    pub fn singleton(&self, index: &PackageIndex, ty: &str) -> bool {
        let in_vars = self.created_in_vars.contains(ty);
        let mut any = in_vars;
        for (key, info) in &self.funcs {
            if !info.creates.iter().any(|c| c == ty) {
                continue;
            }
            any = true;
            if info.process {
                continue;
            }
            let FuncKey::Func(name) = key else {
                return false;
            };
            let constructor = index
                .funcs
                .get(name)
                .and_then(|s| s.results.first())
                .is_some_and(|r| types::struct_name(&r.ty) == ty);
            if !constructor {
                return false;
            }
            let mut called = in_vars;
            for (other, oi) in &self.funcs {
                if other != key && oi.callees.contains(name) {
                    if !oi.process {
                        return false;
                    }
                    called = true;
                }
            }
            if !called {
                return false;
            }
        }
        any
    }
}

/// Whether a release-named method releases its receiver: no parameters, or
/// only a context or a timeout (`Shutdown(ctx)`). `Stop(task)` stops
/// something else.
fn releases_self(sig: &crate::index::FuncSig) -> bool {
    sig.params.iter().all(|p| {
        let t = p.ty.trim_start_matches('*');
        t.ends_with("Context") || t == "time.Duration" || t == "bool"
    })
}

/// An exported release method name (`Close`, `Stop`, …), as a type offers them to its users.
fn is_exported_release(name: &str) -> bool {
    RELEASE_NAMES.contains(&name)
}

/// Where a scan records `go` statements: every site, and the method values
/// handed to a wrapper as `(site index, wrapper if of the package, method)`.
struct Sites<'s> {
    all: &'s mut Vec<GoSite>,
    wrapped: &'s mut Vec<(usize, Option<FuncKey>, FuncKey)>,
}

/// What one file contributes to [`Lifetimes`].
#[derive(Default)]
struct FileScan {
    uses: Vec<FieldUse>,
    go_sites: Vec<GoSite>,
    /// Go sites whose target is a method value handed to a wrapper: the
    /// site's index in `go_sites`, the wrapper, the method.
    wrapped: Vec<(usize, Option<FuncKey>, FuncKey)>,
    finalized: HashSet<String>,
    method_values: HashSet<FuncKey>,
    created_in_vars: HashSet<String>,
    funcs: Vec<(FuncKey, FuncInfo)>,
}

impl FileScan {
    /// Runs `scan` over `node` (a function or a package variable), adding
    /// what it finds here.
    fn run<'a>(
        &mut self,
        scan: &Scan<'_, 'a>,
        node: Node<'a>,
        types: &StructTypes,
        info: &mut FuncInfo,
    ) {
        scan.run(
            node,
            types,
            &mut self.uses,
            &mut Sites {
                all: &mut self.go_sites,
                wrapped: &mut self.wrapped,
            },
            info,
            &mut self.finalized,
        );
    }

    fn scan(
        fi: usize,
        file: &ParsedFile,
        types: &StructTypes,
        index: &PackageIndex,
        catalog: &crate::catalog::Catalog,
        method_names: &HashSet<&str>,
    ) -> FileScan {
        let mut out = FileScan::default();
        let src = file.source.text.as_str();
        let root = file.tree.root_node();
        let imports = FileImports::read(root, src, catalog);
        let scan = |func: Option<FuncKey>, process: bool| Scan {
            parsed: file,
            src,
            file: fi,
            index,
            imports: &imports,
            func,
            process,
            method_names,
        };
        for decl in syntax::named_children(root) {
            match decl.kind() {
                kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => {
                    let Some(key) = func_key(decl, src) else {
                        continue;
                    };
                    let process = match &key {
                        FuncKey::Func(n) => n == "init" || (n == "main" && index.name == "main"),
                        FuncKey::Method(..) => false,
                    };
                    let mut info = FuncInfo {
                        file: fi,
                        name_span: decl
                            .child_by_field_name("name")
                            .map_or(Span::of(decl), Span::of),
                        process,
                        ..FuncInfo::default()
                    };
                    out.run(&scan(Some(key.clone()), process), decl, types, &mut info);
                    out.method_values.extend(info.method_values.iter().cloned());
                    out.funcs.push((key, info));
                }
                kinds::VAR_DECLARATION => {
                    for spec in var_specs(decl) {
                        let mut info = FuncInfo::default();
                        out.run(&scan(None, true), spec, types, &mut info);
                        out.created_in_vars.extend(info.creates);
                        for c in info.callees {
                            if let Some(t) = index
                                .funcs
                                .get(&c)
                                .and_then(|s| s.results.first())
                                .map(|r| types::struct_name(&r.ty).to_string())
                            {
                                out.created_in_vars.insert(t);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// One scan of a top-level function or package variable.
struct Scan<'s, 'a> {
    parsed: &'s ParsedFile,
    src: &'a str,
    file: usize,
    index: &'s PackageIndex,
    imports: &'s FileImports,
    func: Option<FuncKey>,
    process: bool,
    method_names: &'s HashSet<&'s str>,
}

impl<'a> Scan<'_, 'a> {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        decl: Node<'a>,
        types: &StructTypes,
        uses: &mut Vec<FieldUse>,
        sites: &mut Sites<'_>,
        info: &mut FuncInfo,
        finalized: &mut HashSet<String>,
    ) {
        let src = self.src;
        let scopes = Scopes::of(self.parsed, decl);
        // Bindings are looked up below `decl`, and ancestors come from the
        // walk.
        let r = Resolver {
            scopes: &scopes,
            src,
            root: decl,
            types,
            index: self.index,
        };
        let local_callee = |call: Node<'a>| self.local_callee(&r, call);
        let params: Vec<Option<Node<'a>>> = crate::index::param_idents(decl);
        syntax::walk_with_ancestors(decl, |n, ancestors| {
            match n.kind() {
                kinds::RANGE_CLAUSE => {
                    if let Some(i) = self.ranged_param(n, &scopes, &params) {
                        let kind = uses::ranged(n, ancestors.last().copied(), src);
                        if kind != FieldUseKind::Received {
                            info.ranged_params.push((i, kind));
                        }
                    }
                }
                kinds::SELECTOR_EXPRESSION => {
                    let Some(field) = n.child_by_field_name("field") else {
                        return true;
                    };
                    let name = syntax::text(field, src);
                    if let Some(key) = self.method_value(&r, n, ancestors.last().copied(), name) {
                        info.method_values.push(key);
                    }
                    if !types.field_names.contains(name) {
                        return true;
                    }
                    let Some(op) = n.child_by_field_name("operand") else {
                        return true;
                    };
                    let op = syntax::unparen(op);
                    // `pkg.Name` is not a field.
                    if op.kind() == kinds::IDENTIFIER
                        && scopes.is_free(op)
                        && self.imports.path_of(syntax::text(op, src)).is_some()
                    {
                        return true;
                    }
                    let owner = r.expr_type(op).map(|t| {
                        types
                            .field_owner(&t, name)
                            .map_or(t, |(o, _)| o.name.clone())
                    });
                    let kind = uses::classify(
                        n,
                        ancestors,
                        src,
                        &scopes,
                        decl,
                        self.imports,
                        &local_callee,
                    );
                    uses.push(FieldUse {
                        owner,
                        field: name.to_string(),
                        func: self.func.clone(),
                        file: self.file,
                        span: Span::of(n),
                        in_loop: syntax::ancestors_in_loop(ancestors),
                        kind,
                    });
                }
                kinds::COMPOSITE_LITERAL => {
                    let ty = n
                        .child_by_field_name("type")
                        .map(|t| types::struct_name(syntax::text(t, src)).to_string());
                    if let Some(ty) = ty.filter(|t| types.types.contains_key(t)) {
                        let in_loop = syntax::ancestors_in_loop(ancestors);
                        self.literal_fields(n, &ty, &scopes, decl, in_loop, uses);
                        info.creates.push(ty);
                    }
                }
                kinds::CALL_EXPRESSION => self.call(n, &r, info, finalized),
                kinds::GO_STATEMENT => {
                    let target = self.go_target(n, &r);
                    let wrapper = match &target {
                        GoTarget::Named(k) => Some(k.clone()),
                        _ => None,
                    };
                    for m in self.method_value_args(n, &r) {
                        sites.wrapped.push((sites.all.len(), wrapper.clone(), m));
                    }
                    sites.all.push(GoSite {
                        file: self.file,
                        span: Span::of(n),
                        target,
                        func: self.func.clone(),
                        in_loop: syntax::ancestors_in_loop(ancestors),
                        process: self.process,
                    });
                }
                _ => {}
            }
            true
        });
    }

    /// The position of the parameter of the scanned declaration that `clause`
    /// ranges over (`for _, c := range closers`), if it is one.
    fn ranged_param(
        &self,
        clause: Node<'a>,
        scopes: &Scopes,
        params: &[Option<Node<'a>>],
    ) -> Option<usize> {
        let right = syntax::unparen(clause.child_by_field_name("right")?);
        if right.kind() != kinds::IDENTIFIER {
            return None;
        }
        let decl = scopes.binding(scopes.binding_of(right)?).decl;
        params
            .iter()
            .position(|p| p.is_some_and(|p| p.start_byte() == decl.start))
    }

    /// `T{f: v}`: each keyed field is assigned `v`. `in_loop`: whether the
    /// literal (and so each element) is in a loop of `decl`.
    fn literal_fields(
        &self,
        lit: Node<'a>,
        ty: &str,
        scopes: &Scopes,
        decl: Node<'a>,
        in_loop: bool,
        uses: &mut Vec<FieldUse>,
    ) {
        let Some(body) = lit.child_by_field_name("body") else {
            return;
        };
        for el in syntax::named_children(body).filter(|e| e.kind() == kinds::KEYED_ELEMENT) {
            let (Some(key), Some(value)) = (
                el.child_by_field_name("key"),
                el.child_by_field_name("value"),
            ) else {
                continue;
            };
            let value = if value.kind() == kinds::LITERAL_ELEMENT {
                syntax::named_children(value).next().unwrap_or(value)
            } else {
                value
            };
            let key = syntax::text(key, self.src);
            uses.push(FieldUse {
                owner: Some(ty.to_string()),
                field: key.to_string(),
                func: self.func.clone(),
                file: self.file,
                span: Span::of(el),
                in_loop,
                kind: FieldUseKind::Assigned(uses::origin(value, self.src, scopes, decl)),
            });
        }
    }

    fn call(
        &self,
        call: Node<'a>,
        r: &Resolver<'_, 'a>,
        info: &mut FuncInfo,
        finalized: &mut HashSet<String>,
    ) {
        let Some(f) = call.child_by_field_name("function").map(syntax::unparen) else {
            return;
        };
        let args: Vec<Node<'a>> = call
            .child_by_field_name("arguments")
            .map(|a| syntax::named_children(a).collect())
            .unwrap_or_default();
        match f.kind() {
            kinds::IDENTIFIER if !r.scopes.is_free(f) => {
                let param = r
                    .scopes
                    .binding_of(f)
                    .is_some_and(|b| r.scopes.binding(b).kind == BindingKind::Param);
                info.calls_param |= param;
            }
            kinds::IDENTIFIER => {
                let name = syntax::text(f, self.src);
                if name == "new" {
                    if let Some(t) = args.first() {
                        let t = types::struct_name(syntax::text(*t, self.src)).to_string();
                        if r.types.types.contains_key(&t) {
                            info.creates.push(t);
                        }
                    }
                    return;
                }
                if self.index.funcs.contains_key(name) {
                    info.callees.push(name.to_string());
                    if args.iter().any(|a| r.expr_type(*a).is_some()) {
                        info.calls.push(FuncKey::Func(name.to_string()));
                    }
                }
            }
            kinds::SELECTOR_EXPRESSION => {
                let (Some(op), Some(name)) = (
                    f.child_by_field_name("operand").map(syntax::unparen),
                    f.child_by_field_name("field")
                        .map(|x| syntax::text(x, self.src)),
                ) else {
                    return;
                };
                if op.kind() == kinds::IDENTIFIER && r.scopes.is_free(op) {
                    let path = self.imports.path_of(syntax::text(op, self.src));
                    if path == Some("runtime") && name == "SetFinalizer" {
                        if let Some(t) = args.first().and_then(|a| r.expr_type(*a)) {
                            finalized.insert(t);
                        }
                    }
                    if path.is_some() {
                        return;
                    }
                }
                if let Some(key) = self.method_key(r, op, name) {
                    info.calls.push(key);
                }
            }
            _ => {}
        }
    }

    /// `x.m` not called (a method value) with `x` of a package struct type;
    /// `parent` is the selector's parent.
    fn method_value(
        &self,
        r: &Resolver<'_, 'a>,
        sel: Node<'a>,
        parent: Option<Node<'a>>,
        name: &str,
    ) -> Option<FuncKey> {
        let called = parent
            .and_then(|p| p.child_by_field_name("function"))
            .is_some_and(|f| f.id() == sel.id());
        if called || !self.method_names.contains(name) {
            return None;
        }
        let op = sel.child_by_field_name("operand").map(syntax::unparen)?;
        self.method_key(r, op, name)
    }

    /// `x.m` with `x` of a package struct type: the method's key.
    fn method_key(&self, r: &Resolver<'_, 'a>, op: Node<'a>, name: &str) -> Option<FuncKey> {
        // No package type has a method so named: the operand's type cannot matter.
        if !self.method_names.contains(name) {
            return None;
        }
        let ty = r.expr_type(op)?;
        let owner = r.types.method_owner(self.index, &ty, name)?;
        Some(FuncKey::Method(owner.to_string(), name.to_string()))
    }

    /// The package function or method `call` calls, when the scan can name it.
    fn local_callee(&self, r: &Resolver<'_, 'a>, call: Node<'a>) -> Option<FuncKey> {
        let f = call.child_by_field_name("function").map(syntax::unparen)?;
        match f.kind() {
            kinds::IDENTIFIER if r.scopes.is_free(f) => {
                let name = syntax::text(f, self.src);
                self.index
                    .funcs
                    .contains_key(name)
                    .then(|| FuncKey::Func(name.to_string()))
            }
            kinds::SELECTOR_EXPRESSION => {
                let op = f.child_by_field_name("operand").map(syntax::unparen)?;
                let name = syntax::text(f.child_by_field_name("field")?, self.src);
                self.method_key(r, op, name)
            }
            _ => None,
        }
    }

    /// The method values of package types among the arguments of the call a
    /// `go` statement makes: `t.loop` in `go withRecover(t.loop)`.
    fn method_value_args(&self, go: Node<'a>, r: &Resolver<'_, 'a>) -> Vec<FuncKey> {
        let Some(args) = syntax::named_children(go)
            .next()
            .map(syntax::unparen)
            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
            .and_then(|c| c.child_by_field_name("arguments"))
        else {
            return Vec::new();
        };
        syntax::named_children(args)
            .map(syntax::unparen)
            .filter(|a| a.kind() == kinds::SELECTOR_EXPRESSION)
            .filter_map(|a| {
                let name = syntax::text(a.child_by_field_name("field")?, self.src);
                self.method_value(r, a, Some(args), name)
            })
            .collect()
    }

    fn go_target(&self, go: Node<'a>, r: &Resolver<'_, 'a>) -> GoTarget {
        let Some(call) = syntax::named_children(go)
            .next()
            .map(syntax::unparen)
            .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
        else {
            return GoTarget::Unknown;
        };
        let Some(f) = call.child_by_field_name("function").map(syntax::unparen) else {
            return GoTarget::Unknown;
        };
        if f.kind() == kinds::FUNC_LITERAL {
            return GoTarget::Literal;
        }
        self.local_callee(r, call)
            .map_or(GoTarget::Unknown, GoTarget::Named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::parse;
    use crate::source::SourceFile;

    fn fact(src: &str) -> Lifetimes {
        let file = parse::parse(SourceFile::new("a.go", src.to_string()));
        let files = [&file];
        let index = PackageIndex::build(&files);
        Lifetimes::build(&files, &index, &Catalog::builtin())
    }

    #[test]
    fn release_names() {
        assert!(is_release_name("Close"));
        assert!(is_release_name("stop"));
        assert!(is_release_name("Shutdown"));
        assert!(!is_release_name("Closer"));
        assert!(!is_release_name("Reset"));
    }

    #[test]
    fn field_uses_resolve_through_receivers_locals_and_embedding() {
        let lt = fact(
            "package p\n\
             type base struct{ t *T }\n\
             type S struct{ base; done chan int; n int }\n\
             type T struct{}\n\
             func (t *T) Stop() {}\n\
             func New() *S { s := &S{done: make(chan int)}; go s.loop(); return s }\n\
             func (s *S) loop() { for { select { case <-s.done: return } } }\n\
             func (s *S) Close() { s.t.Stop(); close(s.done); s.n = 1 }\n",
        );
        let kinds: Vec<(&str, &str, &FieldUseKind)> = lt
            .uses
            .iter()
            .map(|u| (u.owner.as_deref().unwrap_or("?"), u.field.as_str(), &u.kind))
            .collect();
        assert!(kinds.contains(&("S", "done", &FieldUseKind::Assigned(Origin::MakeChan))));
        assert!(kinds.contains(&("S", "done", &FieldUseKind::Received)));
        assert!(kinds.contains(&("S", "done", &FieldUseKind::Closed)));
        assert!(kinds.contains(&("base", "t", &FieldUseKind::Method(vec!["Stop".into()]))));
        assert!(kinds.contains(&("S", "n", &FieldUseKind::Assigned(Origin::Const))));
        assert_eq!(
            lt.go_sites[0].target,
            GoTarget::Named(FuncKey::Method("S".into(), "loop".into()))
        );
        let index_src = lt.release_methods(
            &PackageIndex::build(&[&parse::parse(SourceFile::new(
                "a.go",
                "package p\ntype S struct{}\nfunc (s *S) Close() {}\n".to_string(),
            ))]),
            "S",
        );
        assert_eq!(index_src, vec![FuncKey::Method("S".into(), "Close".into())]);
        assert!(lt
            .types
            .field_owner("S", "t")
            .is_some_and(|(o, _)| o.name == "base"));
    }

    #[test]
    fn method_values_handed_to_a_wrapper_that_runs_them_are_goroutines() {
        let lt = fact(
            "package p\n\
             type S struct{ done chan int }\n\
             func run(fn func()) { defer recover(); fn() }\n\
             func keep(fn func()) { hooks = append(hooks, fn) }\n\
             var hooks []func()\n\
             func (s *S) loop() {}\n\
             func (s *S) tick() {}\n\
             func (s *S) Start(spawn func(func())) { go run(s.loop); go keep(s.tick); go spawn(s.tick) }\n",
        );
        let targets: Vec<&GoTarget> = lt.go_sites.iter().map(|g| &g.target).collect();
        let method = |m: &str| GoTarget::Named(FuncKey::Method("S".into(), m.into()));
        assert!(targets.contains(&&method("loop")));
        assert!(targets.contains(&&GoTarget::Named(FuncKey::Func("run".into()))));
        // `keep` stores the function; `spawn`, unknown, is taken to run it.
        assert_eq!(targets.iter().filter(|t| ***t == method("tick")).count(), 1);
        assert_eq!(lt.go_sites.len(), 5);
    }

    #[test]
    fn singletons_are_made_by_process_lifetime_code_only() {
        let lt = fact(
            "package p\n\
             type A struct{}\n\
             type B struct{}\n\
             var a = newA()\n\
             func newA() *A { return &A{} }\n\
             func handler() { _ = &B{} }\n",
        );
        let index = PackageIndex::build(&[&parse::parse(SourceFile::new(
            "a.go",
            "package p\ntype A struct{}\nfunc newA() *A { return &A{} }\n".to_string(),
        ))]);
        assert!(lt.singleton(&index, "A"));
        assert!(!lt.singleton(&index, "B"));
    }
}
