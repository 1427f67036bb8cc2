//! Package-level summaries of how functions use their channel parameters, and
//! which struct fields the package closes anywhere.
//!
//! Each is a [`PackageFact`], computed once per package on first use: rules
//! that follow a channel into `go worker(ch)` ask what `worker` does with its
//! parameter instead of walking its body again.

use super::channels::{classify, UseKind};
use super::moves::{moving_methods, Disown};
use super::obligation::ParamFate;
use super::scopes::{BindingId, Scopes};
use crate::catalog::{Catalog, Release};
use crate::index::{base_type, func_key, param_idents, FileImports, FuncKey, PackageIndex};
use crate::parse::ParsedFile;
use crate::source::Span;
use crate::store::{PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What a function does with one of its parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParamUse {
    /// `p <- v` somewhere in the body (closures included).
    pub sends: bool,
    /// `<-p` somewhere in the body.
    pub receives: bool,
    /// `for range p`.
    pub ranges: bool,
    /// `close(p)`.
    pub closes: bool,
    /// Anything else that lets the value go: stored, returned, passed on.
    pub escapes: bool,
}

/// Channel-parameter summaries of every function of a package that has one.
#[derive(Debug, Default)]
pub struct PackageSummary {
    params: HashMap<FuncKey, Vec<ParamUse>>,
}

impl PackageSummary {
    /// Summarises the functions of `files` whose parameters include a channel.
    pub fn build(files: &[&ParsedFile]) -> PackageSummary {
        let mut params = HashMap::default();
        for file in files {
            let src = file.source.text.as_str();
            for decl in syntax::function_decls(file.tree.root_node()) {
                let Some(list) = decl.child_by_field_name("parameters") else {
                    continue;
                };
                if !syntax::text(list, src).contains("chan") {
                    continue;
                }
                let Some(key) = func_key(decl, src) else {
                    continue;
                };
                let scopes = Scopes::of(file, decl);
                let uses = param_idents(decl)
                    .into_iter()
                    .map(|p| {
                        p.and_then(|ident| scopes.declared(ident))
                            .map(|b| {
                                let mut u = ParamUse::default();
                                for r in scopes.references(b).iter().filter(|r| !r.write) {
                                    let Some(id) =
                                        decl.descendant_for_byte_range(r.span.start, r.span.end)
                                    else {
                                        u.escapes = true;
                                        continue;
                                    };
                                    match classify(id, &scopes, src).0 {
                                        UseKind::Send => u.sends = true,
                                        UseKind::Receive => u.receives = true,
                                        UseKind::Range => u.ranges = true,
                                        UseKind::Close => u.closes = true,
                                        UseKind::Neutral => {}
                                        UseKind::GoArg { .. } | UseKind::Escape => u.escapes = true,
                                    }
                                }
                                u
                            })
                            .unwrap_or_default()
                    })
                    .collect();
                params.insert(key, uses);
            }
        }
        PackageSummary { params }
    }

    /// What the function `key` does with its parameter number `index`, when known.
    pub fn param(&self, key: &FuncKey, index: usize) -> Option<ParamUse> {
        self.params.get(key).and_then(|v| v.get(index)).copied()
    }
}

impl PackageFact for PackageSummary {
    fn build(input: PackageInput<'_>) -> Self {
        PackageSummary::build(input.files)
    }
}

impl PackageFact for FieldCloses {
    fn build(input: PackageInput<'_>) -> Self {
        FieldCloses::build(input.files)
    }
}

impl PackageFact for GoStarts {
    fn build(input: PackageInput<'_>) -> Self {
        GoStarts::build(input.files, input.index)
    }
}

/// Which struct fields the package passes to `close`, by the declared type of
/// the value they are selected from.
#[derive(Debug, Default)]
pub struct FieldCloses {
    /// `(type, field)` for `close(x.field)` where `x`'s type is known.
    typed: HashSet<(String, String)>,
    /// Field names closed through a value of unknown type.
    untyped: HashSet<String>,
    /// Field names read other than to send, receive, range or close
    /// (returned by a getter, passed on): whoever gets them may close them.
    shared: HashSet<String>,
}

impl FieldCloses {
    /// Scans every function of the package for `close(x.f)`.
    pub fn build(files: &[&ParsedFile]) -> FieldCloses {
        let mut out = FieldCloses::default();
        for file in files {
            let src = file.source.text.as_str();
            syntax::walk(file.tree.root_node(), |n| {
                match n.kind() {
                    kinds::CALL_EXPRESSION => out.note(n, src),
                    kinds::SELECTOR_EXPRESSION => out.note_read(n, src),
                    _ => {}
                }
                true
            });
        }
        out
    }

    fn note_read(&mut self, sel: Node<'_>, src: &str) {
        let Some(field) = sel.child_by_field_name("field") else {
            return;
        };
        let mut n = sel;
        let mut p = sel.parent();
        while let Some(pp) = p.filter(|x| x.kind() == kinds::PARENTHESIZED_EXPRESSION) {
            n = pp;
            p = pp.parent();
        }
        let Some(p) = p else {
            return;
        };
        let is = |f: &str| p.child_by_field_name(f).is_some_and(|c| c.id() == n.id());
        let channel_op = match p.kind() {
            kinds::SEND_STATEMENT => is("channel"),
            kinds::UNARY_EXPRESSION => p
                .child_by_field_name("operator")
                .is_some_and(|o| o.kind() == "<-"),
            kinds::RANGE_CLAUSE => is("right"),
            kinds::ARGUMENT_LIST => p
                .parent()
                .and_then(|c| c.child_by_field_name("function"))
                .is_some_and(|f| matches!(syntax::text(f, src), "close" | "len" | "cap")),
            kinds::SELECTOR_EXPRESSION | kinds::CALL_EXPRESSION | kinds::INDEX_EXPRESSION => true,
            kinds::EXPRESSION_LIST => p.parent().is_some_and(|s| {
                matches!(
                    s.kind(),
                    kinds::ASSIGNMENT_STATEMENT | kinds::SHORT_VAR_DECLARATION
                ) && s
                    .child_by_field_name("left")
                    .is_some_and(|l| l.id() == p.id())
            }),
            _ => false,
        };
        if !channel_op {
            self.shared.insert(syntax::text(field, src).to_string());
        }
    }

    fn note(&mut self, call: Node<'_>, src: &str) {
        let is_close = call
            .child_by_field_name("function")
            .is_some_and(|f| f.kind() == kinds::IDENTIFIER && syntax::text(f, src) == "close");
        if !is_close {
            return;
        }
        let Some(arg) = call
            .child_by_field_name("arguments")
            .and_then(|a| syntax::named_children(a).next())
            .map(syntax::unparen)
        else {
            return;
        };
        if arg.kind() != kinds::SELECTOR_EXPRESSION {
            return;
        }
        let (Some(op), Some(field)) = (
            arg.child_by_field_name("operand").map(syntax::unparen),
            arg.child_by_field_name("field"),
        ) else {
            return;
        };
        let field = syntax::text(field, src).to_string();
        match declared_type_of(op, src) {
            Some(t) => {
                self.typed.insert((t, field));
            }
            None => {
                self.untyped.insert(field);
            }
        }
    }

    /// Whether the package may close field `field` of values of type `ty`.
    pub fn may_close(&self, ty: &str, field: &str) -> bool {
        self.untyped.contains(field)
            || self.shared.contains(field)
            || self.typed.contains(&(ty.to_string(), field.to_string()))
    }
}

/// The declared base type of an identifier that is a parameter or receiver of
/// its enclosing function declaration, or declared with `var x T`.
fn declared_type_of(op: Node<'_>, src: &str) -> Option<String> {
    if op.kind() != kinds::IDENTIFIER {
        return None;
    }
    let name = syntax::text(op, src);
    let mut cur = op.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION | kinds::FUNC_LITERAL
        ) {
            for field in ["receiver", "parameters"] {
                let Some(list) = n.child_by_field_name(field) else {
                    continue;
                };
                for decl in syntax::named_children(list) {
                    let named = syntax::field_children(decl, "name")
                        .iter()
                        .any(|i| syntax::text(*i, src) == name);
                    if named {
                        let ty = syntax::text(decl.child_by_field_name("type")?, src);
                        return Some(base_type(ty).to_string());
                    }
                }
            }
            if n.kind() != kinds::FUNC_LITERAL {
                return None;
            }
        }
        cur = n.parent();
    }
    None
}

/// A `go` statement that starts a function or method of the package by name.
#[derive(Debug, Clone)]
pub struct GoStart {
    /// The file of the `go` statement.
    pub file: usize,
    /// The `go` statement.
    pub span: Span,
    /// The started function's or method's name.
    pub name: String,
    /// Whether it is called as a method (`x.name(…)`).
    pub method: bool,
}

/// The `go` statements of a package that start named functions, so a
/// goroutine function can find where it is started from in other files.
#[derive(Debug, Default)]
pub struct GoStarts {
    /// Every such statement.
    pub starts: Vec<GoStart>,
    /// Files that declare a function or method started from another file.
    declaring: HashSet<usize>,
}

impl GoStarts {
    /// Scans the files of a package that start goroutines.
    pub fn build(files: &[&ParsedFile], index: &PackageIndex) -> GoStarts {
        let mut out = GoStarts::default();
        for (fi, file) in files.iter().enumerate() {
            let src = file.source.text.as_str();
            if !super::channels::may_start_goroutines(src) {
                continue;
            }
            syntax::walk(file.tree.root_node(), |n| {
                if n.kind() != kinds::GO_STATEMENT {
                    return true;
                }
                let func = syntax::named_children(n)
                    .next()
                    .map(syntax::unparen)
                    .filter(|c| c.kind() == kinds::CALL_EXPRESSION)
                    .and_then(|c| c.child_by_field_name("function"))
                    .map(syntax::unparen);
                let (name, method) = match func {
                    Some(f) if f.kind() == kinds::IDENTIFIER => (syntax::text(f, src), false),
                    Some(f) if f.kind() == kinds::SELECTOR_EXPRESSION => {
                        match f.child_by_field_name("field") {
                            Some(x) => (syntax::text(x, src), true),
                            None => return true,
                        }
                    }
                    _ => return true,
                };
                out.starts.push(GoStart {
                    file: fi,
                    span: Span::of(n),
                    name: name.to_string(),
                    method,
                });
                true
            });
        }
        for s in &out.starts {
            if s.method {
                for ((_, m), sig) in &index.methods {
                    if *m == s.name && sig.file != s.file {
                        out.declaring.insert(sig.file);
                    }
                }
            } else if let Some(sig) = index.funcs.get(&s.name) {
                if sig.file != s.file {
                    out.declaring.insert(sig.file);
                }
            }
        }
        out
    }

    /// Whether file `file` declares a function started from another file.
    pub fn declares_started(&self, file: usize) -> bool {
        self.declaring.contains(&file)
    }
}

/// What each function of a package does with each of its parameters, for
/// the release-obligation analysis: the releases it applies (`p.Close()`,
/// `p()`, `C.free(p)`) and whether the value escapes. Tree-free, so a
/// module-wide summary can carry it across packages.
#[derive(Debug, Default, Clone)]
pub struct ReleaseSummary {
    /// Parameter fates by function, one entry per parameter.
    pub params: HashMap<FuncKey, Vec<ParamFate>>,
    /// Receiver fates by method: `func (db *DB) MustClose() { db.Close() }` releases `db`.
    pub receivers: HashMap<FuncKey, ParamFate>,
    /// How each method that might give its receiver's handle up does so, by file.
    disowns: HashMap<FuncKey, Disown>,
    /// The methods that move their receiver's handle out to their caller
    /// (see [`super::moves`]); filled for the whole package.
    pub moves: HashSet<FuncKey>,
}

impl PackageFact for ReleaseSummary {
    fn build(input: PackageInput<'_>) -> Self {
        ReleaseSummary::build(input.files, input.files, input.catalog)
    }
}

impl ReleaseSummary {
    /// Summarises every function and method of `files`. Each file's part is
    /// kept in its memo: the module facts (non-test files) and the package's
    /// own summary (every file) both ask for it.
    ///
    /// `package` is every file of the package, test files included: the
    /// receivers worth reading are decided from all of them, so both callers
    /// get the same parts.
    pub fn build(
        files: &[&ParsedFile],
        package: &[&ParsedFile],
        catalog: &Catalog,
    ) -> ReleaseSummary {
        let mut out = ReleaseSummary::default();
        let receivers = HeldTypes::of(package, catalog);
        for file in files {
            let part = file.memo.get_or_build(file.tree.root_node(), || {
                Self::of_file(file, catalog, &receivers)
            });
            out.params
                .extend(part.params.iter().map(|(k, v)| (k.clone(), v.clone())));
            out.receivers
                .extend(part.receivers.iter().map(|(k, v)| (k.clone(), v.clone())));
            out.disowns
                .extend(part.disowns.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out.moves = moving_methods(&out.disowns);
        out
    }

    fn of_file(file: &ParsedFile, catalog: &Catalog, held: &HeldTypes) -> ReleaseSummary {
        let mut params = HashMap::default();
        let mut receivers = HashMap::default();
        let mut disowns = HashMap::default();
        let src = file.source.text.as_str();
        let root = file.tree.root_node();
        let imports = FileImports::read(root, src, catalog);
        for decl in syntax::function_decls(root) {
            let Some(key) = func_key(decl, src) else {
                continue;
            };
            let mut idents = param_idents(decl);
            let count = idents.len();
            // A parameter no resource can be passed to has nothing to tell.
            for p in idents.iter_mut() {
                if p.is_some_and(|ident| !may_hold_resource(ident, src, &imports)) {
                    *p = None;
                }
            }
            let receiver_param = decl
                .child_by_field_name("receiver")
                .and_then(|r| syntax::named_children(r).next());
            let receiver = receiver_param
                .filter(|p| held.contains(*p, src))
                .and_then(|p| p.child_by_field_name("name"));
            if receiver.is_none() && idents.iter().all(Option::is_none) {
                if count > 0 {
                    params.insert(key, vec![ParamFate::default(); count]);
                }
                continue;
            }
            let scopes = Scopes::of(file, decl);
            if let Some(b) = receiver.and_then(|r| scopes.declared(r)) {
                let fate = param_fate(decl, &scopes, b, src, &imports);
                if !fate.releases.is_empty() {
                    receivers.insert(key.clone(), fate);
                }
                if let Some(d) = Disown::of(decl, &scopes, b, src) {
                    disowns.insert(key.clone(), d);
                }
            }
            if idents.is_empty() {
                continue;
            }
            let fates = idents
                .into_iter()
                .map(|p| {
                    p.and_then(|ident| scopes.declared(ident))
                        .map(|b| param_fate(decl, &scopes, b, src, &imports))
                        .unwrap_or_default()
                })
                .collect();
            params.insert(key, fates);
        }
        ReleaseSummary {
            params,
            receivers,
            disowns,
            moves: HashSet::default(),
        }
    }

    /// What method `key` does with its receiver, when it releases it.
    pub fn receiver(&self, key: &FuncKey) -> Option<&ParamFate> {
        self.receivers.get(key)
    }

    /// Whether method `key` moves its receiver's handle out to its caller.
    pub fn moves(&self, key: &FuncKey) -> bool {
        self.moves.contains(key)
    }

    /// What function `key` does with parameter `index`.
    pub fn param(&self, key: &FuncKey, index: usize) -> Option<&ParamFate> {
        self.params.get(key).and_then(|v| v.get(index))
    }
}

/// Whether a parameter declared by `ident` may be handed something to
/// release: any type but the predeclared basic ones, `error`, and slices,
/// arrays, maps and pointers of them.
fn may_hold_resource(ident: Node<'_>, src: &str, imports: &FileImports) -> bool {
    let Some(mut ty) = ident.parent().and_then(|d| d.child_by_field_name("type")) else {
        return true;
    };
    loop {
        match ty.kind() {
            kinds::TYPE_IDENTIFIER => return !basic_type(syntax::text(ty, src)),
            "qualified_type" => {
                let (Some(pkg), Some(name)) = (
                    ty.child_by_field_name("package"),
                    ty.child_by_field_name("name"),
                ) else {
                    return true;
                };
                let path = imports.path_of(syntax::text(pkg, src));
                return !path.is_some_and(|p| PLAIN_TYPES.contains(&(p, syntax::text(name, src))));
            }
            "slice_type" | "array_type" | "pointer_type" | "parenthesized_type" => {
                match ty
                    .child_by_field_name("element")
                    .or_else(|| syntax::named_children(ty).last())
                {
                    Some(t) => ty = t,
                    None => return true,
                }
            }
            "map_type" => {
                let (Some(k), Some(v)) = (
                    ty.child_by_field_name("key"),
                    ty.child_by_field_name("value"),
                ) else {
                    return true;
                };
                if matches!(k.kind(), kinds::TYPE_IDENTIFIER) && basic_type(syntax::text(k, src)) {
                    ty = v;
                } else {
                    return true;
                }
            }
            _ => return true,
        }
    }
}

/// Whether `name` is a predeclared type no resource has (`any` and
/// `uintptr` can carry one).
fn basic_type(name: &str) -> bool {
    syntax::PREDECLARED_TYPES.contains(&name) && !matches!(name, "any" | "uintptr")
}

/// Library types no resource has: the test harness's handles, contexts
/// (the cancel function is the obligation, not the context), times and
/// locks.
const PLAIN_TYPES: &[(&str, &str)] = &[
    ("testing", "T"),
    ("testing", "B"),
    ("testing", "F"),
    ("testing", "M"),
    ("testing", "TB"),
    ("testing", "PB"),
    ("context", "Context"),
    ("time", "Duration"),
    ("time", "Time"),
    ("sync", "Mutex"),
    ("sync", "RWMutex"),
    ("sync", "WaitGroup"),
    ("reflect", "Type"),
    ("reflect", "Value"),
];

/// The types of a package whose methods may release or give up their
/// receiver: a type with a release method (its own, by a release name of
/// [`crate::flow::lifetimes::RELEASE_NAMES`] or one the catalogue releases with), one embedding another (whose
/// methods it gains), and any type not declared as a struct. A value of
/// another type is never an obligation, so what its methods do with their
/// receiver is never asked.
struct HeldTypes {
    names: HashSet<String>,
}

impl HeldTypes {
    fn of(files: &[&ParsedFile], catalog: &Catalog) -> HeldTypes {
        let mut names = HashSet::default();
        for f in files {
            let src = f.source.text.as_str();
            for decl in syntax::named_children(f.tree.root_node()) {
                match decl.kind() {
                    kinds::METHOD_DECLARATION => {
                        if let Some(FuncKey::Method(ty, name)) = func_key(decl, src) {
                            if crate::flow::lifetimes::is_release_name(&name)
                                || catalog.is_release_method(&name)
                            {
                                names.insert(ty);
                            }
                        }
                    }
                    kinds::TYPE_DECLARATION => {
                        for spec in syntax::named_children(decl) {
                            let (Some(name), Some(ty)) = (
                                spec.child_by_field_name("name"),
                                spec.child_by_field_name("type"),
                            ) else {
                                continue;
                            };
                            let plain_struct = ty.kind() == "struct_type"
                                && !syntax::named_children(ty)
                                    .filter(|c| c.kind() == "field_declaration_list")
                                    .flat_map(syntax::named_children)
                                    .any(|f| {
                                        f.kind() == "field_declaration"
                                            && f.child_by_field_name("name").is_none()
                                    });
                            if !plain_struct {
                                names.insert(syntax::text(name, src).to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        HeldTypes { names }
    }

    /// Whether the receiver parameter `param` has one of the types.
    fn contains(&self, param: Node<'_>, src: &str) -> bool {
        param
            .child_by_field_name("type")
            .is_none_or(|t| self.names.contains(base_type(syntax::text(t, src))))
    }
}

fn param_fate(
    decl: Node<'_>,
    scopes: &Scopes,
    b: BindingId,
    src: &str,
    imports: &FileImports,
) -> ParamFate {
    let mut fate = ParamFate::default();
    for r in scopes.references(b).iter().filter(|r| !r.write) {
        let Some(use_) = decl.descendant_for_byte_range(r.span.start, r.span.end) else {
            fate.escapes = true;
            continue;
        };
        let chain = syntax::ancestors(decl, use_);
        let mut at = chain.len().saturating_sub(1);
        let mut path = Vec::new();
        while at > 0 {
            let n = chain[at];
            let p = chain[at - 1];
            let grandparent = at.checked_sub(2).map(|i| chain[i]);
            let is = |f: &str| p.child_by_field_name(f).is_some_and(|c| c.id() == n.id());
            match p.kind() {
                // `append(kept, files...)`, `l.(*net.TCPListener)`: the value itself goes on.
                kinds::PARENTHESIZED_EXPRESSION | kinds::VARIADIC_ARGUMENT => at -= 1,
                kinds::TYPE_ASSERTION_EXPRESSION if is("operand") => at -= 1,
                kinds::SELECTOR_EXPRESSION if is("operand") => {
                    match p.child_by_field_name("field") {
                        Some(f) => path.push(syntax::text(f, src).to_string()),
                        None => break,
                    }
                    at -= 1;
                }
                kinds::CALL_EXPRESSION if is("function") => {
                    fate.releases.push(if path.is_empty() {
                        Release::Call
                    } else {
                        Release::Method(std::mem::take(&mut path))
                    });
                    break;
                }
                kinds::ARGUMENT_LIST => {
                    let func = grandparent
                        .and_then(|c| c.child_by_field_name("function"))
                        .map(syntax::unparen);
                    let qualified = func
                        .filter(|f| f.kind() == kinds::SELECTOR_EXPRESSION)
                        .and_then(|f| {
                            let pkg = syntax::text(f.child_by_field_name("operand")?, src);
                            let name = syntax::text(f.child_by_field_name("field")?, src);
                            Some((imports.path_of(pkg).or((pkg == "C").then_some("C"))?, name))
                        });
                    match qualified {
                        Some(("unsafe", "Pointer")) => {
                            // The conversion's call stands for the value.
                            at = if at >= 2 { at - 2 } else { at - 1 };
                            continue;
                        }
                        Some((package, name)) => fate.releases.push(Release::Function {
                            package: package.to_string(),
                            name: name.to_string(),
                        }),
                        None => {}
                    }
                    if !(func.is_some_and(|f| matches!(syntax::text(f, src), "len" | "cap"))
                        || path.is_empty() && qualified.is_some_and(|(p, n)| catalog_free(p, n)))
                    {
                        fate.escapes = true;
                    }
                    break;
                }
                kinds::RETURN_STATEMENT
                | kinds::EXPRESSION_LIST
                | kinds::SEND_STATEMENT
                | kinds::KEYED_ELEMENT
                | kinds::LITERAL_ELEMENT
                | kinds::UNARY_EXPRESSION => {
                    let benign = p.kind() == kinds::UNARY_EXPRESSION
                        && p.child_by_field_name("operator").map(|o| o.kind()) != Some("&");
                    let lhs = p.kind() == kinds::EXPRESSION_LIST
                        && grandparent
                            .and_then(|s| s.child_by_field_name("left"))
                            .is_some_and(|l| l.id() == p.id());
                    fate.escapes |= !benign && !lhs;
                    break;
                }
                _ => break,
            }
        }
    }
    fate
}

/// `C.free` releases without keeping the value.
fn catalog_free(package: &str, name: &str) -> bool {
    package == "C" && name == "free"
}

#[cfg(test)]
mod release_tests {
    use super::*;
    use crate::source::SourceFile;

    fn summary(files: &[(&str, &str)]) -> ReleaseSummary {
        let parsed: Vec<ParsedFile> = files
            .iter()
            .map(|(n, t)| crate::parse::parse(SourceFile::new(*n, t.to_string())))
            .collect();
        let refs: Vec<&ParsedFile> = parsed.iter().collect();
        ReleaseSummary::build(&refs, &refs, &Catalog::builtin())
    }

    fn func(name: &str) -> FuncKey {
        FuncKey::Func(name.to_string())
    }

    #[test]
    fn parameters_no_resource_fits_read_nothing_and_keep_their_places() {
        let s = summary(&[(
            "a.go",
            "package p\nimport (\"io\"; \"testing\")\n\
             func keep(name string, c io.Closer, n []int, t *testing.T) (string, io.Closer) { return name, c }\n\
             func plain(name string, m map[string][]byte) string { return name }\n",
        )]);
        let keep = &s.params[&func("keep")];
        assert_eq!(keep.len(), 4);
        assert!(!keep[0].escapes, "a string carries no resource");
        assert!(keep[1].escapes, "the closer is returned");
        let plain = &s.params[&func("plain")];
        assert_eq!(plain.len(), 2);
        assert!(plain.iter().all(|p| !p.escapes && p.releases.is_empty()));
        // `any` and `uintptr` can carry a resource.
        let s = summary(&[(
            "a.go",
            "package p\nfunc keep(v any, p uintptr) (any, uintptr) { return v, p }\n",
        )]);
        assert!(s.params[&func("keep")].iter().all(|p| p.escapes));
    }

    #[test]
    fn receivers_are_read_for_types_that_may_hold_a_resource() {
        let files = [
            (
                "a.go",
                "package p\n\
                 type Conn struct{ c interface{ Close() error } }\n\
                 func (c *Conn) Close() error { return c.c.Close() }\n\
                 func (c *Conn) Shutdown() { c.Close() }\n\
                 type Wrapped struct{ *Conn }\n\
                 func (w *Wrapped) Done() { w.Close() }\n\
                 type Plain struct{ n int }\n\
                 func (p *Plain) Reset() { p.Close() }\n\
                 func (p *Plain) Close() {}\n",
            ),
            // A release method declared in a test file counts too.
            (
                "b_test.go",
                "package p\ntype Other struct{}\nfunc (o Other) Stop() {}\nfunc (o Other) End() { o.Stop() }\n",
            ),
        ];
        let s = summary(&files);
        let m = |t: &str, n: &str| FuncKey::Method(t.to_string(), n.to_string());
        assert!(s.receiver(&m("Conn", "Shutdown")).is_some());
        assert!(s.receiver(&m("Wrapped", "Done")).is_some(), "embedding");
        assert!(
            s.receiver(&m("Plain", "Reset")).is_some(),
            "Plain has Close"
        );
        assert!(s.receiver(&m("Other", "End")).is_some());
        let s = summary(&[(
            "a.go",
            "package p\ntype Plain struct{ n int }\nfunc (p *Plain) Reset() { p.Flush() }\nfunc (p *Plain) Flush() {}\n",
        )]);
        assert!(s.receiver(&m("Plain", "Reset")).is_none());
        assert!(s.receivers.is_empty());
    }
}
