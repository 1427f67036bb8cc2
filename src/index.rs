//! The package index: what a rule needs to know beyond one function.
//! Import aliases per file, the package's functions and methods with their
//! signatures, package-level variables, and types with a `Close` method.

use crate::catalog::Catalog;
use crate::parse::ParsedFile;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How an import binds its package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import "net/http"`: known by the package's own name.
    Default,
    /// `import h "net/http"`.
    Named,
    /// `import . "net/http"`.
    Dot,
    /// `import _ "net/http/pprof"`.
    Blank,
}

/// One import spec.
#[derive(Debug, Clone)]
pub struct Import {
    /// The name the file uses for the package.
    pub name: String,
    /// The import path.
    pub path: String,
    /// How it is bound.
    pub kind: ImportKind,
}

/// The imports of one file.
#[derive(Debug, Clone, Default)]
pub struct FileImports {
    /// All import specs, in order.
    pub imports: Vec<Import>,
}

impl FileImports {
    /// Reads the import declarations of a parsed file.
    pub fn read(root: Node<'_>, src: &str, catalog: &Catalog) -> FileImports {
        let mut imports = Vec::new();
        for decl in syntax::named_children(root).filter(|c| c.kind() == kinds::IMPORT_DECLARATION) {
            let mut specs = Vec::new();
            for c in syntax::named_children(decl) {
                match c.kind() {
                    kinds::IMPORT_SPEC => specs.push(c),
                    kinds::IMPORT_SPEC_LIST => specs.extend(
                        syntax::named_children(c).filter(|s| s.kind() == kinds::IMPORT_SPEC),
                    ),
                    _ => {}
                }
            }
            for spec in specs {
                let Some(path) = spec
                    .child_by_field_name("path")
                    .and_then(|p| syntax::string_value(p, src))
                else {
                    continue;
                };
                let (name, kind) = match spec.child_by_field_name("name") {
                    Some(n) if n.kind() == kinds::DOT => (".".to_string(), ImportKind::Dot),
                    Some(n) if n.kind() == kinds::BLANK_IDENTIFIER => {
                        ("_".to_string(), ImportKind::Blank)
                    }
                    Some(n) => (syntax::text(n, src).to_string(), ImportKind::Named),
                    None => (catalog.package_name(&path).to_string(), ImportKind::Default),
                };
                imports.push(Import { name, path, kind });
            }
        }
        FileImports { imports }
    }

    /// The import path bound to `name` in this file.
    pub fn path_of(&self, name: &str) -> Option<&str> {
        self.imports
            .iter()
            .find(|i| i.name == name && matches!(i.kind, ImportKind::Default | ImportKind::Named))
            .map(|i| i.path.as_str())
    }

    /// The paths imported with `.`.
    pub fn dot_imports(&self) -> impl Iterator<Item = &str> {
        self.imports
            .iter()
            .filter(|i| i.kind == ImportKind::Dot)
            .map(|i| i.path.as_str())
    }

    /// Whether the file imports `path` in any way but `_`.
    pub fn imports(&self, path: &str) -> bool {
        self.imports
            .iter()
            .any(|i| i.path == path && i.kind != ImportKind::Blank)
    }
}

/// A parameter or result of a declared function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name, when named.
    pub name: Option<String>,
    /// Its type as written.
    pub ty: String,
}

/// A function or method declared in the package.
#[derive(Debug, Clone)]
pub struct FuncSig {
    /// The function's name.
    pub name: String,
    /// The receiver's base type name, for methods.
    pub receiver: Option<String>,
    /// Parameters in order.
    pub params: Vec<Param>,
    /// Results in order.
    pub results: Vec<Param>,
    /// Index of the file in the package.
    pub file: usize,
    /// The declaration's span.
    pub span: Span,
}

/// A package-level variable.
#[derive(Debug, Clone)]
pub struct PackageVar {
    /// Its name.
    pub name: String,
    /// Its declared type as written, if any.
    pub ty: Option<String>,
    /// Index of the file in the package.
    pub file: usize,
    /// The declaring identifier.
    pub span: Span,
}

/// Facts about one package, joined across its files.
#[derive(Debug, Default)]
pub struct PackageIndex {
    /// The package clause's name.
    pub name: String,
    /// Functions by name.
    pub funcs: HashMap<String, FuncSig>,
    /// Methods by (receiver base type, name).
    pub methods: HashMap<(String, String), FuncSig>,
    /// Package-level variables by name.
    pub vars: HashMap<String, PackageVar>,
    /// Declared type names.
    pub types: HashSet<String>,
    /// Declared type names that have a `Close` method.
    pub closers: HashSet<String>,
    /// Field types of the package's struct types, as written: (type, field) → type.
    pub fields: HashMap<(String, String), String>,
}

impl PackageIndex {
    /// Builds the index over the files of one package.
    pub fn build(files: &[&ParsedFile]) -> PackageIndex {
        let mut idx = PackageIndex {
            name: files.first().map(|f| f.package.clone()).unwrap_or_default(),
            ..PackageIndex::default()
        };
        for (fi, file) in files.iter().enumerate() {
            let src = file.source.text.as_str();
            for decl in syntax::named_children(file.tree.root_node()) {
                match decl.kind() {
                    kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => {
                        if let Some(sig) = signature(decl, src, fi) {
                            match &sig.receiver {
                                Some(r) => {
                                    if sig.name == "Close" {
                                        idx.closers.insert(r.clone());
                                    }
                                    idx.methods.insert((r.clone(), sig.name.clone()), sig);
                                }
                                None => {
                                    idx.funcs.insert(sig.name.clone(), sig);
                                }
                            }
                        }
                    }
                    kinds::VAR_DECLARATION => {
                        for spec in var_specs(decl) {
                            let ty = spec
                                .child_by_field_name("type")
                                .map(|t| syntax::text(t, src).to_string());
                            for name in syntax::field_children(spec, "name") {
                                let n = syntax::text(name, src);
                                if n != "_" {
                                    idx.vars.insert(
                                        n.to_string(),
                                        PackageVar {
                                            name: n.to_string(),
                                            ty: ty.clone(),
                                            file: fi,
                                            span: Span::of(name),
                                        },
                                    );
                                }
                            }
                        }
                    }
                    kinds::TYPE_DECLARATION => {
                        for spec in syntax::named_children(decl) {
                            if let Some(name) = spec.child_by_field_name("name") {
                                let name = syntax::text(name, src);
                                idx.types.insert(name.to_string());
                                if let Some(ty) = spec.child_by_field_name("type") {
                                    struct_fields(ty, src, name, &mut idx.fields);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        idx
    }

    /// Whether `name` is declared at package level (function, variable or type).
    pub fn declares(&self, name: &str) -> bool {
        self.funcs.contains_key(name) || self.vars.contains_key(name) || self.types.contains(name)
    }
}

/// Records the named fields of a struct type `name`.
fn struct_fields(ty: Node<'_>, src: &str, name: &str, out: &mut HashMap<(String, String), String>) {
    if ty.kind() != "struct_type" {
        return;
    }
    let Some(list) = syntax::named_children(ty).find(|c| c.kind() == "field_declaration_list")
    else {
        return;
    };
    for fd in syntax::named_children(list).filter(|c| c.kind() == "field_declaration") {
        let Some(t) = fd.child_by_field_name("type") else {
            continue;
        };
        for n in syntax::field_children(fd, "name") {
            out.insert(
                (name.to_string(), syntax::text(n, src).to_string()),
                syntax::text(t, src).to_string(),
            );
        }
    }
}

/// The `var_spec`s of a `var` declaration, grouped or not.
pub fn var_specs(decl: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    for c in syntax::named_children(decl) {
        match c.kind() {
            kinds::VAR_SPEC => out.push(c),
            kinds::VAR_SPEC_LIST => {
                out.extend(syntax::named_children(c).filter(|s| s.kind() == kinds::VAR_SPEC))
            }
            _ => {}
        }
    }
    out
}

fn params(list: Option<Node<'_>>, src: &str) -> Vec<Param> {
    let Some(list) = list else {
        return Vec::new();
    };
    if list.kind() != kinds::PARAMETER_LIST {
        // A single unnamed result type: `func f() error`.
        return vec![Param {
            name: None,
            ty: syntax::text(list, src).to_string(),
        }];
    }
    let mut out = Vec::new();
    for decl in syntax::named_children(list) {
        let ty = decl
            .child_by_field_name("type")
            .map(|t| syntax::text(t, src).to_string())
            .unwrap_or_default();
        let ty = if decl.kind() == kinds::VARIADIC_PARAMETER_DECLARATION {
            format!("...{ty}")
        } else {
            ty
        };
        let names = syntax::field_children(decl, "name");
        if names.is_empty() {
            out.push(Param { name: None, ty });
        } else {
            for n in names {
                out.push(Param {
                    name: Some(syntax::text(n, src).to_string()),
                    ty: ty.clone(),
                });
            }
        }
    }
    out
}

fn signature(decl: Node<'_>, src: &str, file: usize) -> Option<FuncSig> {
    let name = syntax::text(decl.child_by_field_name("name")?, src).to_string();
    let receiver = decl.child_by_field_name("receiver").and_then(|r| {
        let p = params(Some(r), src).into_iter().next()?;
        Some(base_type(&p.ty).to_string())
    });
    Some(FuncSig {
        name,
        receiver,
        params: params(decl.child_by_field_name("parameters"), src),
        results: params(decl.child_by_field_name("result"), src),
        file,
        span: Span::of(decl),
    })
}

/// A function or method of the package, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FuncKey {
    /// A function.
    Func(String),
    /// A method: receiver base type, method name.
    Method(String, String),
}

/// The key of a function or method declaration.
pub fn func_key(decl: Node<'_>, src: &str) -> Option<FuncKey> {
    let name = syntax::text(decl.child_by_field_name("name")?, src).to_string();
    match decl.child_by_field_name("receiver") {
        None => Some(FuncKey::Func(name)),
        Some(r) => {
            let p = syntax::named_children(r).next()?;
            let ty = syntax::text(p.child_by_field_name("type")?, src);
            Some(FuncKey::Method(base_type(ty).to_string(), name))
        }
    }
}

/// `*T`, `T[K]` and `T` all name `T`.
pub fn base_type(ty: &str) -> &str {
    let t = ty.trim().trim_start_matches('*').trim();
    t.split('[').next().unwrap_or(t).trim()
}

/// The parameter identifiers of a function, one entry per parameter (`None`
/// for unnamed ones), variadic last.
pub fn param_idents(func: Node<'_>) -> Vec<Option<Node<'_>>> {
    let mut out = Vec::new();
    let Some(list) = func.child_by_field_name("parameters") else {
        return out;
    };
    for decl in syntax::named_children(list) {
        let names = syntax::field_children(decl, "name");
        if names.is_empty() {
            out.push(None);
        } else {
            out.extend(names.into_iter().map(Some));
        }
    }
    out
}
