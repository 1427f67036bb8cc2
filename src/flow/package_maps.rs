//! Package-level maps and what the package does with them: which functions
//! add entries, whether anything ever removes one, and whether the map
//! escapes where the package cannot see it.
//!
//! Computed once per package over all its files (see
//! `pkg.fact::<PackageMaps>()`), so a file re-analysed
//! alone sees the same writes and deletes in its sibling files as a run over
//! the whole package.
//!
//! A map is tracked when a package-level `var` declares it: with a map type
//! (`map[K]V`, or a map type the package declares), a `make(map…)` or map
//! literal initialiser, a `sync.Map` value or pointer, or a map-typed field
//! of a package-level struct value (`var state struct{ seen map[string]bool }`,
//! `var reg = registry{…}` with `registry` a struct type of the package).

pub mod callers;
mod closed_keys;
mod methods;
pub mod program;
mod program_keys;
mod run_once;

use super::scopes::Scopes;
use crate::facts::callers::Param;
use crate::facts::FactSet;
use crate::index::var_specs;
use crate::index::FileImports;
use crate::parse::ParsedFile;
use crate::source::Span;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use aho_corasick::AhoCorasick;
use closed_keys::{ClosedSets, Observer};
use methods::MethodWrites;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a tracked map stores its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// A built-in `map[K]V`.
    Builtin,
    /// A `sync.Map` (`Store`/`LoadOrStore`/`Swap` add, `Delete`/`LoadAndDelete` remove).
    Sync,
}

/// One place that adds entries to a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapWrite {
    /// Index of the file in the package.
    pub file: usize,
    /// The writing statement or call.
    pub span: Span,
    /// Whether the write is a call of a method that writes the map (`cache.put(k, v)`).
    pub by_method: bool,
}

/// A package-level map and the package's uses of it.
#[derive(Debug, Clone)]
pub struct PackageMap {
    /// How code names it: `cache`, or `state.seen` for a field.
    pub name: String,
    /// Built-in map or `sync.Map`.
    pub kind: MapKind,
    /// Index of the declaring file in the package.
    pub file: usize,
    /// The declaring identifier.
    pub span: Span,
    /// Writes with a key that is not a constant, outside `init`, variable
    /// initialisers and `_test.go` files, in source order per file.
    pub writes: Vec<MapWrite>,
    /// Whether any code outside `_test.go` files deletes from it, clears it,
    /// or replaces it outside initialisation.
    pub removed: bool,
    /// Whether the map (or the struct holding it) is used in a way the
    /// package scan cannot follow: its address taken, passed to a function,
    /// assigned to another variable, returned.
    pub escapes: bool,
    /// The parameters of exported functions that key writes in `writes`
    /// (`cache[name]` in `Component(name)`), sorted.
    pub keyed_by: Vec<Param>,
    /// The parameters of exported configuration functions (`AddType(ext,
    /// typ)`, see [`configures`]) that key writes in `writes`, sorted: their
    /// writes grow the map only when callers feed them varying values after
    /// initialisation.
    pub configured_by: Vec<Param>,
    /// Whether some write in `writes` has a key that is no such parameter.
    pub other_keys: bool,
    /// Whether the package's own code passes a varying value to a parameter
    /// in `configured_by` after initialisation: the map grows whatever
    /// other callers do.
    pub grows_by_own_calls: bool,
    /// Deletes that only undo, on a failure path, what the function that
    /// holds them adds (see [`rollback`]); one in a function that adds
    /// nothing counts as a removal.
    pub rollbacks: Vec<Rollback>,
}

/// A `delete` on a failure path (`if err != nil { delete(m, k); return err }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rollback {
    /// Index of the file in the package.
    pub file: usize,
    /// The `delete` call.
    pub span: Span,
    /// The function declaration holding it.
    pub func: Span,
}

impl PackageMap {
    /// Whether the map only grows: written with varying keys, never shrunk, never handed elsewhere.
    pub fn only_grows(&self) -> bool {
        !self.writes.is_empty() && !self.removed && !self.escapes
    }

    /// Counts as removals the failure-path deletes of functions that do not
    /// themselves add to the map: those bound what another function added.
    fn settle_rollbacks(&mut self) {
        let writes = &self.writes;
        self.removed |= self.rollbacks.iter().any(|r| {
            !writes
                .iter()
                .any(|w| w.file == r.file && syntax::within_span(w.span, r.func))
        });
    }

    /// For a map that only grows, the exported functions' parameters that
    /// key all of its writes: what the callers pass there decides whether
    /// it is bounded. `None` when some write has another key.
    pub fn keyed_by_callers(&self) -> Option<CallerKeys<'_>> {
        (self.only_grows()
            && !self.other_keys
            && !self.grows_by_own_calls
            && (!self.keyed_by.is_empty() || !self.configured_by.is_empty()))
        .then_some(CallerKeys {
            keyed: &self.keyed_by,
            configured: &self.configured_by,
        })
    }

    /// The parameters that key the growing maps of the package, by function:
    /// what [`crate::facts::PackageFacts::map_keys`] tells importers.
    pub fn keys_by_function(maps: &[PackageMap]) -> BTreeMap<String, Vec<u16>> {
        slots_by_function(
            maps.iter()
                .filter_map(PackageMap::keyed_by_callers)
                .flat_map(|k| k.keyed.iter().chain(k.configured)),
        )
    }
}

/// Parameters grouped by function: each function's parameter positions, sorted.
fn slots_by_function<'p>(params: impl Iterator<Item = &'p Param>) -> BTreeMap<String, Vec<u16>> {
    let mut out: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for p in params {
        let slots = out.entry(p.func.clone()).or_default();
        if !slots.contains(&p.index) {
            slots.push(p.index);
            slots.sort_unstable();
        }
    }
    out
}

/// The parameters keying every write of a map that only grows (see
/// [`PackageMap::keyed_by_callers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerKeys<'a> {
    /// Parameters of exported functions: bounded when every call passes a bounded value.
    pub keyed: &'a [Param],
    /// Parameters of configuration functions: bounded unless some call
    /// passes a varying value after initialisation.
    pub configured: &'a [Param],
}

/// Every tracked package-level map of one package.
#[derive(Debug, Default)]
pub struct PackageMaps {
    /// The maps, in declaration order per file.
    pub maps: Vec<PackageMap>,
}

impl PackageMaps {
    /// Scans the files of one package.
    pub fn build(files: &[&ParsedFile]) -> PackageMaps {
        let mut out = Self::scan(files);
        out.settle_own_configuration(files);
        out
    }

    /// A map keyed by a configuration function's parameter grows when the
    /// package's own code calls the function with a varying value after
    /// initialisation: then no caller elsewhere can bound it.
    fn settle_own_configuration(&mut self, files: &[&ParsedFile]) {
        // The package's own functions, as an importer's facts would name them.
        const OWN: &str = "";
        let keys = slots_by_function(
            self.maps
                .iter()
                .filter(|m| m.only_grows())
                .flat_map(|m| &m.configured_by),
        );
        if keys.is_empty() {
            return;
        }
        let own = crate::facts::PackageFacts {
            path: OWN.to_string(),
            map_keys: keys,
            ..Default::default()
        };
        let args = callers::key_args(files, Some(OWN), &FactSet::new([Arc::new(own)]));
        for m in &mut self.maps {
            m.grows_by_own_calls = m
                .configured_by
                .iter()
                .any(|p| args.iter().any(|a| a.param == *p && a.open_later));
        }
    }

    fn scan(files: &[&ParsedFile]) -> PackageMaps {
        let decls = Declarations::collect(files);
        let fresh: Vec<PackageMap> = decls
            .tracked
            .iter()
            .map(|t| PackageMap {
                name: match &t.field {
                    Some(f) => format!("{}.{f}", t.var),
                    None => t.var.clone(),
                },
                kind: t.kind,
                file: t.file,
                span: t.span,
                writes: Vec::new(),
                removed: false,
                keyed_by: Vec::new(),
                configured_by: Vec::new(),
                other_keys: false,
                grows_by_own_calls: false,
                rollbacks: Vec::new(),
                // Other packages can delete from an exported map, or replace it.
                escapes: t.var.starts_with(char::is_uppercase),
            })
            .collect();
        if fresh.is_empty() {
            return PackageMaps { maps: fresh };
        }
        let mut by_var: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, t) in decls.tracked.iter().enumerate() {
            by_var.entry(t.var.as_str()).or_default().push(i);
        }
        let fields: HashSet<&str> = decls
            .tracked
            .iter()
            .filter_map(|t| t.field.as_deref())
            .collect();
        // Where each file names a tracked variable or field, found in one pass
        // over its text: a file naming no variable, and a declaration naming
        // neither, holds no use of one.
        // What the methods of the values' struct types write.
        let none = MethodWrites::default();
        let methods = {
            let mut owners: HashMap<&str, Vec<(&str, MapKind)>> = HashMap::default();
            for t in &decls.tracked {
                if let (Some(o), Some(f)) = (&t.owner, &t.field) {
                    let fs = owners.entry(o.as_str()).or_default();
                    if !fs.iter().any(|(x, _)| x == f) {
                        fs.push((f.as_str(), t.kind));
                    }
                }
            }
            if owners.is_empty() {
                MethodWrites::default()
            } else {
                let empty = ClosedSets::default();
                let scans: Vec<Scan<'_>> = files
                    .iter()
                    .enumerate()
                    .map(|(fi, file)| Scan::new(file, fi, &decls, &by_var, &fields, &empty, &none))
                    .collect();
                MethodWrites::collect(&scans, &owners)
            }
        };
        let vars = by_var.len();
        let names: Vec<&str> = by_var.keys().chain(fields.iter()).copied().collect();
        let finder = AhoCorasick::new(&names).ok();
        let scan_all = |closed: &ClosedSets| {
            let mut maps = fresh.clone();
            for (fi, file) in files.iter().enumerate() {
                let src = file.source.text.as_str();
                let mut names_var = false;
                let mut mentions: Vec<usize> = match &finder {
                    Some(f) => f
                        .find_overlapping_iter(src)
                        .map(|m| {
                            names_var |= m.pattern().as_usize() < vars;
                            m.start()
                        })
                        .collect(),
                    None => {
                        names_var = true;
                        vec![0]
                    }
                };
                if !names_var {
                    continue;
                }
                mentions.sort_unstable();
                let mentions = finder.is_some().then_some(mentions.as_slice());
                Scan::new(file, fi, &decls, &by_var, &fields, closed, &methods).run(
                    file.tree.root_node(),
                    &mut maps,
                    mentions,
                );
            }
            for m in &mut maps {
                m.settle_rollbacks();
            }
            maps
        };
        let empty = ClosedSets::default();
        let maps = scan_all(&empty);
        if !maps.iter().any(PackageMap::only_grows) {
            return PackageMaps { maps };
        }
        // Keys from closed sets need every call and every use in the package:
        // worth the second pass only when a map looks unbounded without them.
        let scans: Vec<Scan<'_>> = files
            .iter()
            .enumerate()
            .map(|(fi, file)| Scan::new(file, fi, &decls, &by_var, &fields, &empty, &methods))
            .collect();
        let growing: Vec<MapWrite> = maps
            .iter()
            .filter(|m| m.only_grows())
            .flat_map(|m| m.writes.iter().copied())
            .collect();
        let mut observer = Observer::new(&scans, &growing);
        for scan in &scans {
            observer.observe(scan);
        }
        let mut closed = observer.finish();
        closed.init_only = run_once::init_only(&scans);
        if closed.is_empty() {
            return PackageMaps { maps };
        }
        PackageMaps {
            maps: scan_all(&closed),
        }
    }
}

/// A map the package declares, before its uses are known.
struct Tracked {
    var: String,
    field: Option<String>,
    kind: MapKind,
    file: usize,
    span: Span,
    /// For a field, the struct type of the package declaring it (`None` for
    /// an anonymous struct): its methods may write the field.
    owner: Option<String>,
    /// Keyed by types (`map[reflect.Type]V`), bounded by the program's types,
    /// or by a small domain (`bool`, `byte`, `reflect.Kind`, an enum type of
    /// the package with typed constants).
    type_keyed: bool,
}

/// Package-level declarations the scan needs: the tracked maps, the
/// package's constants, and its map and struct types.
struct Declarations {
    tracked: Vec<Tracked>,
    consts: HashSet<String>,
    /// Struct types of the package made of type descriptors and their
    /// qualifiers (`struct{ kind Kind; t1, t2 *rtype; extra uintptr }`): keys
    /// derived from types.
    type_keys: HashSet<String>,
    /// Functions of the package handed to a `sync.Once`'s `Do` (`once.Do(load)`): they run once.
    once_funcs: HashSet<String>,
    /// Functions of the package that turn program counters into a value
    /// (`makeStackKey(pcs []uintptr)` over `runtime.CallersFrames`).
    location_funcs: HashSet<String>,
    /// The imports of each file, by file index.
    imports: Vec<FileImports>,
}

impl Declarations {
    /// Whether the tracked map that `expr` denotes is declared with a type-descriptor key.
    fn tracked_type_keyed(&self, expr: Node<'_>, src: &str) -> bool {
        let name = match expr.kind() {
            kinds::SELECTOR_EXPRESSION => expr
                .child_by_field_name("operand")
                .map(|o| syntax::text(o, src))
                .unwrap_or(""),
            _ => syntax::text(expr, src),
        };
        self.tracked.iter().any(|t| t.var == name && t.type_keyed)
    }

    fn collect(files: &[&ParsedFile]) -> Declarations {
        let mut consts = HashSet::default();
        // Types of the package that typed constants are declared with: enums.
        let mut enums: HashSet<String> = HashSet::default();
        // Type names of the package whose underlying type is a map, and struct
        // types with their map-typed fields.
        let mut map_types: HashMap<String, MapKind> = HashMap::default();
        let mut struct_types: HashMap<String, Vec<MapField>> = HashMap::default();
        let mut type_keys: HashSet<String> = HashSet::default();
        let imports: Vec<FileImports> = files
            .iter()
            .map(|f| {
                FileImports::read(
                    f.tree.root_node(),
                    &f.source.text,
                    &crate::catalog::Catalog::default(),
                )
            })
            .collect();
        for (fi, file) in files.iter().enumerate() {
            let src = file.source.text.as_str();
            for decl in syntax::named_children(file.tree.root_node()) {
                match decl.kind() {
                    kinds::CONST_DECLARATION => syntax::walk(decl, |n| {
                        if n.kind() == kinds::CONST_SPEC {
                            for name in syntax::field_children(n, "name") {
                                consts.insert(syntax::text(name, src).to_string());
                            }
                            if let Some(ty) = n.child_by_field_name("type") {
                                if ty.kind() == kinds::TYPE_IDENTIFIER {
                                    enums.insert(syntax::text(ty, src).to_string());
                                }
                            }
                            return false;
                        }
                        true
                    }),
                    kinds::TYPE_DECLARATION => {
                        for spec in syntax::named_children(decl) {
                            let (Some(name), Some(ty)) = (
                                spec.child_by_field_name("name"),
                                spec.child_by_field_name("type"),
                            ) else {
                                continue;
                            };
                            let name = syntax::text(name, src).to_string();
                            if ty.kind() == STRUCT_TYPE && made_of_types(ty, src) {
                                type_keys.insert(name.clone());
                            }
                            if let Some(k) =
                                type_map_kind(ty, src, &imports[fi], &HashMap::default())
                            {
                                map_types.insert(name, k);
                            } else if ty.kind() == STRUCT_TYPE {
                                let f = map_fields(ty, src, &imports[fi], &HashMap::default());
                                if !f.is_empty() {
                                    struct_types.insert(name, f);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // Struct fields may use the package's map types, declared in any file.
        for (fi, file) in files.iter().enumerate() {
            let src = file.source.text.as_str();
            for decl in syntax::named_children(file.tree.root_node()) {
                if decl.kind() != kinds::TYPE_DECLARATION {
                    continue;
                }
                for spec in syntax::named_children(decl) {
                    let (Some(name), Some(ty)) = (
                        spec.child_by_field_name("name"),
                        spec.child_by_field_name("type"),
                    ) else {
                        continue;
                    };
                    if ty.kind() == STRUCT_TYPE {
                        let f = map_fields(ty, src, &imports[fi], &map_types);
                        if !f.is_empty() {
                            struct_types.insert(syntax::text(name, src).to_string(), f);
                        }
                    }
                }
            }
        }
        let ctors = constructors(files, &struct_types);
        let mut tracked = Vec::new();
        for (fi, file) in files.iter().enumerate() {
            if file.source.display.ends_with("_test.go") {
                continue;
            }
            let src = file.source.text.as_str();
            let imp = &imports[fi];
            for decl in syntax::named_children(file.tree.root_node()) {
                if decl.kind() != kinds::VAR_DECLARATION {
                    continue;
                }
                for spec in var_specs(decl) {
                    let ty = spec.child_by_field_name("type");
                    let values = spec
                        .child_by_field_name("value")
                        .map(syntax::expressions)
                        .unwrap_or_default();
                    for (i, name) in syntax::field_children(spec, "name").into_iter().enumerate() {
                        let var = syntax::text(name, src);
                        if var == "_" {
                            continue;
                        }
                        let value = values.get(i).copied();
                        let push = |tracked: &mut Vec<Tracked>,
                                    field: Option<String>,
                                    owner: Option<String>,
                                    kind| {
                            tracked.push(Tracked {
                                var: var.to_string(),
                                field,
                                owner,
                                kind,
                                file: fi,
                                span: Span::of(name),
                                type_keyed: false,
                            })
                        };
                        let kind = ty
                            .and_then(|t| type_map_kind(t, src, imp, &map_types))
                            .or_else(|| {
                                value.and_then(|v| value_map_kind(v, src, imp, &map_types))
                            });
                        if let Some(k) = kind {
                            push(&mut tracked, None, None, k);
                            let written = ty
                                .or_else(|| value.and_then(map_type_of_value))
                                .filter(|t| t.kind() == MAP_TYPE)
                                .map(|t| shape_of(t, src));
                            let shape = written.or_else(|| documented_shape(spec, src));
                            if let (Some(shape), Some(last)) = (shape, tracked.last_mut()) {
                                last.type_keyed = shape.bounded(&enums, &type_keys);
                            }
                            continue;
                        }
                        // The declared type, a literal's, or a constructor's result.
                        let of_type = |t: Node<'_>| {
                            struct_fields(t, src, imp, &map_types, &struct_types)
                                .map(|f| (struct_type_name(t, src), f))
                        };
                        let fields = ty
                            .and_then(of_type)
                            .or_else(|| value.and_then(struct_value_type).and_then(of_type))
                            .or_else(|| {
                                let made = ctors.get(value.and_then(|v| called_name(v, src))?)?;
                                Some((Some(made.clone()), struct_types.get(made)?.clone()))
                            });
                        let (owner, fields) = fields.unwrap_or_default();
                        for f in fields {
                            push(&mut tracked, Some(f.name), owner.clone(), f.kind);
                            if let (Some(shape), Some(last)) = (f.shape, tracked.last_mut()) {
                                last.type_keyed = shape.bounded(&enums, &type_keys);
                            }
                        }
                    }
                }
            }
        }
        let mut once_funcs = HashSet::default();
        let mut location_funcs = HashSet::default();
        for file in files {
            let src = file.source.text.as_str();
            if src.contains("runtime.") {
                location_funcs.extend(
                    syntax::function_decls(file.tree.root_node())
                        .filter(|d| reads_pcs(*d, src))
                        .filter_map(|d| d.child_by_field_name("name"))
                        .map(|n| syntax::text(n, src).to_string()),
                );
            }
            if !src.contains(".Do(") {
                continue;
            }
            syntax::walk(file.tree.root_node(), |n| {
                if let Some(arg) = once_argument(n, src) {
                    if arg.kind() == kinds::IDENTIFIER {
                        once_funcs.insert(syntax::text(arg, src).to_string());
                    }
                }
                true
            });
        }
        Declarations {
            tracked,
            consts,
            type_keys,
            once_funcs,
            location_funcs,
            imports,
        }
    }
}

const MAP_TYPE: &str = "map_type";
/// How deep the checks of one key go through operands, locals and origins.
const MAX_KEY_DEPTH: usize = 16;
const BINARY_EXPRESSION: &str = "binary_expression";
const STRUCT_TYPE: &str = "struct_type";
const POINTER_TYPE: &str = "pointer_type";
const FIELD_DECLARATION: &str = "field_declaration";
const FIELD_DECLARATION_LIST: &str = "field_declaration_list";

/// The map type a `make(map…)` or map literal initialiser spells out.
fn map_type_of_value(v: Node<'_>) -> Option<Node<'_>> {
    let v = syntax::unparen(v);
    match v.kind() {
        kinds::COMPOSITE_LITERAL => v.child_by_field_name("type"),
        kinds::CALL_EXPRESSION => {
            syntax::named_children(v.child_by_field_name("arguments")?).next()
        }
        _ => None,
    }
}

/// Whether a type, as written, is a type descriptor (`reflect.Type`,
/// `*types.Type`, `*rtype`): maps keyed by them are bounded by the program's types.
fn is_type_name(t: &str) -> bool {
    let t = t.trim_start_matches('*');
    // `reflect.Type`, `*rtype`, gob's `typeId`, `TypeID`.
    let last = t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
    // `protoreflect.MessageDescriptor`: a descriptor stands for one of the program's types.
    last.ends_with("type") || last.starts_with("type") || last.ends_with("descriptor")
}

/// Whether a key names a user or group id (`h.Uid`, `gid`): a cache of
/// account lookups is bounded by the system's accounts.
fn is_account_id(key: Node<'_>, src: &str) -> bool {
    let last = match key.kind() {
        kinds::IDENTIFIER => key,
        kinds::SELECTOR_EXPRESSION => match key.child_by_field_name("field") {
            Some(f) => f,
            None => return false,
        },
        _ => return false,
    };
    matches!(
        syntax::text(last, src).to_ascii_lowercase().as_str(),
        "uid" | "gid"
    )
}

/// Whether a key type, as written, has few values: `bool`, the 8-bit
/// integers, `reflect.Kind`, signals, or an enum of the package (a type its
/// typed constants are declared with). A map keyed by one holds at most that
/// many entries.
fn is_small_domain(t: &str, enums: &HashSet<String>) -> bool {
    matches!(
        t,
        "bool" | "byte" | "uint8" | "int8" | "reflect.Kind" | "os.Signal" | "syscall.Signal"
    ) || enums.contains(t)
}

/// The sole argument of `x.Do(arg)`, the shape of `sync.Once`.
fn once_argument<'t>(n: Node<'t>, src: &str) -> Option<Node<'t>> {
    if n.kind() != kinds::CALL_EXPRESSION {
        return None;
    }
    let f = n.child_by_field_name("function")?;
    if f.kind() != kinds::SELECTOR_EXPRESSION
        || f.child_by_field_name("field").map(|x| syntax::text(x, src)) != Some("Do")
    {
        return None;
    }
    let args: Vec<Node<'t>> = syntax::named_children(n.child_by_field_name("arguments")?).collect();
    match args.as_slice() {
        [one] => Some(syntax::unparen(*one)),
        _ => None,
    }
}

/// Whether a function declaration takes only program counters (`pc
/// uintptr`, `pcs []uintptr`) and reads them as code locations
/// (`runtime.CallersFrames`, `runtime.FuncForPC`): what it returns is
/// derived from places in the program's code.
fn reads_pcs(decl: Node<'_>, src: &str) -> bool {
    if decl.kind() != kinds::FUNCTION_DECLARATION {
        return false;
    }
    let Some(params) = decl.child_by_field_name("parameters") else {
        return false;
    };
    let mut any = false;
    for p in syntax::named_children(params) {
        let pcs = p.kind() == kinds::PARAMETER_DECLARATION
            && p.child_by_field_name("type")
                .is_some_and(|t| matches!(syntax::text(t, src), "uintptr" | "[]uintptr"));
        if !pcs {
            return false;
        }
        any = true;
    }
    let body = decl
        .child_by_field_name("body")
        .map(|b| syntax::text(b, src))
        .unwrap_or("");
    any && (body.contains("runtime.CallersFrames(") || body.contains("runtime.FuncForPC("))
}

/// A declaration's name without a `Must`/`must` prefix: the verb it starts with.
fn verb_name<'s>(decl: Node<'_>, src: &'s str) -> &'s str {
    let name = decl
        .child_by_field_name("name")
        .map(|n| syntax::text(n, src))
        .unwrap_or("");
    name.strip_prefix("Must")
        .or(name.strip_prefix("must"))
        .unwrap_or(name)
}

/// Whether a function declaration is the package's registration API by its
/// name or shape: `Register…`, an exported `New…` that refuses a name it
/// holds, or one that stores a callback.
fn registers(decl: Node<'_>, src: &str) -> bool {
    let name = verb_name(decl, src);
    if name.starts_with("Register") || name.starts_with("register") {
        return true;
    }
    // An exported `New…` that refuses a key it already holds creates named
    // objects, the way a metrics registry does: the program's code names them.
    if name.starts_with("New") && refuses_duplicates(decl, src) {
        return true;
    }
    stores_callback(decl, src)
}

/// Whether a function declaration is the package's configuration API by its
/// name: an exported `Add…`, `Set…`, `Bind…` or `Init…` function
/// (`mime.AddExtensionType`). The importing program decides what it adds,
/// and usually does so with names its code holds, not per request: what it
/// adds under a parameter counts only when some caller of the scan passes a
/// varying value after initialisation.
fn configures(decl: Node<'_>, src: &str) -> bool {
    let name = verb_name(decl, src);
    decl.kind() == kinds::FUNCTION_DECLARATION
        && ["Add", "Set", "Bind", "Init"].iter().any(|verb| {
            name.strip_prefix(verb)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_uppercase))
        })
}

/// Whether a function checks a map for a key and, when it is there, fails
/// with an error it makes or a panic (`if _, ok := all[name]; ok { return
/// nil, fmt.Errorf("%s already registered", name) }`).
fn refuses_duplicates(decl: Node<'_>, src: &str) -> bool {
    let Some(body) = decl.child_by_field_name("body") else {
        return false;
    };
    let mut found = false;
    syntax::walk(body, |n| {
        if found || n.kind() == kinds::FUNC_LITERAL {
            return false;
        }
        if n.kind() != kinds::IF_STATEMENT {
            return true;
        }
        let looks_up = ["initializer", "condition"].iter().any(|f| {
            n.child_by_field_name(f).is_some_and(|h| {
                let mut index = false;
                syntax::walk(h, |x| {
                    index |= x.kind() == kinds::INDEX_EXPRESSION;
                    !index
                });
                index
            })
        });
        let fails = n.child_by_field_name("consequence").is_some_and(|c| {
            let mut fails = false;
            syntax::walk(c, |x| {
                fails |= match x.kind() {
                    kinds::CALL_EXPRESSION => x
                        .child_by_field_name("function")
                        .is_some_and(|f| syntax::text(f, src) == "panic"),
                    kinds::RETURN_STATEMENT => makes_error(x, src),
                    _ => false,
                };
                !fails && x.kind() != kinds::FUNC_LITERAL
            });
            fails
        });
        found = looks_up && fails;
        true
    });
    found
}

/// Whether a return statement returns an error made on the spot
/// (`errors.New(…)`, `fmt.Errorf(…)`) or a sentinel (`ErrNameInUse`, `errExists`).
fn makes_error(ret: Node<'_>, src: &str) -> bool {
    let text = syntax::text(ret, src);
    if text.contains("errors.New(") || text.contains("fmt.Errorf(") {
        return true;
    }
    let mut sentinel = false;
    syntax::walk(ret, |x| {
        if x.kind() == kinds::IDENTIFIER || x.kind() == kinds::FIELD_IDENTIFIER {
            let name = syntax::text(x, src);
            sentinel |= ["Err", "err"].iter().any(|p| {
                name.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with(char::is_uppercase))
            });
        }
        !sentinel
    });
    sentinel
}

/// Whether a function panics or exits on failure: a duplicate registration
/// is a programming error, so a registry's callers are fixed by the code.
/// (What it calls is not registration for that: a `main` that `log.Fatal`s
/// calls the whole program.)
fn panics(decl: Node<'_>, src: &str) -> bool {
    let body = decl
        .child_by_field_name("body")
        .map(|b| syntax::text(b, src))
        .unwrap_or("");
    body.contains("panic(") || body.contains("log.Panic") || body.contains("log.Fatal")
}

/// Whether an exported function stores a func it is handed (`Handle(name,
/// fn)` appending `fn` to the handlers of `name`): a registry of callbacks,
/// filled by the code that registers them, not per request.
fn stores_callback(decl: Node<'_>, src: &str) -> bool {
    let exported = decl
        .child_by_field_name("name")
        .is_some_and(|n| syntax::text(n, src).starts_with(char::is_uppercase));
    let (Some(params), Some(body)) = (
        decl.child_by_field_name("parameters"),
        decl.child_by_field_name("body"),
    ) else {
        return false;
    };
    if decl.kind() != kinds::FUNCTION_DECLARATION || !exported {
        return false;
    }
    let callbacks: Vec<&str> = syntax::named_children(params)
        .filter(|p| {
            p.child_by_field_name("type")
                .is_some_and(|t| t.kind() == kinds::FUNCTION_TYPE)
        })
        .flat_map(|p| syntax::field_children(p, "name"))
        .map(|n| syntax::text(n, src))
        .collect();
    if callbacks.is_empty() {
        return false;
    }
    let mut stored = false;
    syntax::walk(body, |n| {
        if n.kind() == kinds::ASSIGNMENT_STATEMENT || n.kind() == kinds::SHORT_VAR_DECLARATION {
            if let Some(right) = n.child_by_field_name("right") {
                syntax::walk(right, |id| {
                    // Calling the func (`r = fetch(host)`) stores its result, not it.
                    let called = id.parent().is_some_and(|p| {
                        p.kind() == kinds::CALL_EXPRESSION
                            && p.child_by_field_name("function")
                                .is_some_and(|f| f.id() == id.id())
                    });
                    stored |= id.kind() == kinds::IDENTIFIER
                        && !called
                        && callbacks.contains(&syntax::text(id, src));
                    !stored
                });
            }
        }
        !stored && n.kind() != kinds::FUNC_LITERAL
    });
    stored
}

/// Whether a function or method takes a `*testing.T`, `*testing.B`,
/// `*testing.F`, `*testing.M`, `testing.TB`, or a `Testing…` interface
/// standing for one of them: only a test binary calls it,
/// and its writes live for one run of the tests, like a `_test.go` file's.
fn test_helper(decl: Node<'_>, src: &str) -> bool {
    let Some(params) = decl.child_by_field_name("parameters") else {
        return false;
    };
    syntax::named_children(params).any(|p| {
        p.child_by_field_name("type").is_some_and(|t| {
            let t = syntax::text(t, src).trim_start_matches('*');
            // `TestingT`, `TestingM`: the interfaces a test-support package
            // declares for what `*testing.T` and `*testing.M` implement.
            matches!(
                t,
                "testing.T" | "testing.B" | "testing.F" | "testing.M" | "testing.TB"
            ) || t
                .rsplit('.')
                .next()
                .is_some_and(|n| n.starts_with("Testing"))
        })
    })
}

/// Whether the type `ty` is a map: `map[K]V`, `sync.Map`, `*sync.Map`, or a map type of the package.
fn type_map_kind(
    ty: Node<'_>,
    src: &str,
    imports: &FileImports,
    map_types: &HashMap<String, MapKind>,
) -> Option<MapKind> {
    match ty.kind() {
        MAP_TYPE => Some(MapKind::Builtin),
        kinds::QUALIFIED_TYPE | kinds::SELECTOR_EXPRESSION => is_sync_map(ty, src, imports),
        POINTER_TYPE => {
            let inner = syntax::named_children(ty).next()?;
            is_sync_map(inner, src, imports)
        }
        kinds::TYPE_IDENTIFIER | kinds::IDENTIFIER => map_types.get(syntax::text(ty, src)).copied(),
        _ => None,
    }
}

/// `sync.Map` as a type or a selector, with `sync` resolved through the file's imports.
fn is_sync_map(n: Node<'_>, src: &str, imports: &FileImports) -> Option<MapKind> {
    let (pkg, name) = match n.kind() {
        kinds::QUALIFIED_TYPE => (
            n.child_by_field_name("package")?,
            n.child_by_field_name("name")?,
        ),
        kinds::SELECTOR_EXPRESSION => (
            n.child_by_field_name("operand")?,
            n.child_by_field_name("field")?,
        ),
        _ => return None,
    };
    (syntax::text(name, src) == "Map" && imports.path_of(syntax::text(pkg, src)) == Some("sync"))
        .then_some(MapKind::Sync)
}

/// The map kind an initialiser creates: `make(map…)`, a map literal,
/// `sync.Map{}`, `&sync.Map{}`, `new(sync.Map)`, or the same with a map type of the package.
fn value_map_kind(
    v: Node<'_>,
    src: &str,
    imports: &FileImports,
    map_types: &HashMap<String, MapKind>,
) -> Option<MapKind> {
    let v = syntax::unparen(v);
    match v.kind() {
        kinds::COMPOSITE_LITERAL => {
            type_map_kind(v.child_by_field_name("type")?, src, imports, map_types)
        }
        kinds::UNARY_EXPRESSION => {
            let op = v.child_by_field_name("operator")?;
            if syntax::text(op, src) != "&" {
                return None;
            }
            let inner = syntax::unparen(v.child_by_field_name("operand")?);
            (inner.kind() == kinds::COMPOSITE_LITERAL)
                .then(|| value_map_kind(inner, src, imports, map_types))
                .flatten()
                .filter(|k| *k == MapKind::Sync)
        }
        kinds::CALL_EXPRESSION => {
            let f = syntax::text(v.child_by_field_name("function")?, src);
            let arg = syntax::named_children(v.child_by_field_name("arguments")?).next()?;
            match f {
                "make" => {
                    type_map_kind(arg, src, imports, map_types).filter(|k| *k == MapKind::Builtin)
                }
                "new" => {
                    type_map_kind(arg, src, imports, map_types).filter(|k| *k == MapKind::Sync)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A map-typed field of a struct type.
#[derive(Debug, Clone)]
struct MapField {
    name: String,
    kind: MapKind,
    /// Its key and value types, as written or documented.
    shape: Option<Shape>,
}

/// The key and value types of a map, as its type spells them or as its
/// doc comment states them for a `sync.Map` (`var cache sync.Map // map[reflect.Type]*info`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    key: String,
    value: String,
}

impl Shape {
    /// Whether the map is bounded by its key type or holds type descriptors:
    /// keyed by types (or a struct of types and their qualifiers) or by a
    /// small domain, or caching `reflect` types themselves (`map[uint32][]*rtype`,
    /// keyed by a hash of types).
    fn bounded(&self, enums: &HashSet<String>, type_keys: &HashSet<String>) -> bool {
        let key = self.key.trim_start_matches('*');
        let value = self.value.trim_start_matches("[]").trim_start_matches('*');
        is_type_name(&self.key)
            || is_small_domain(&self.key, enums)
            || type_keys.contains(key)
            || matches!(value, "rtype" | "reflect.Type" | "Type")
    }
}

fn shape_of(map_type: Node<'_>, src: &str) -> Shape {
    let part = |f: &str| {
        map_type
            .child_by_field_name(f)
            .map(|n| syntax::text(n, src).to_string())
            .unwrap_or_default()
    };
    Shape {
        key: part("key"),
        value: part("value"),
    }
}

/// The `map[K]V` that a comment beside or right above a declaration states.
fn documented_shape(decl: Node<'_>, src: &str) -> Option<Shape> {
    let mut comments = Vec::new();
    // A lone spec's comment may belong to its `var` declaration.
    let outer = decl.parent().filter(|p| {
        p.kind() == kinds::VAR_DECLARATION
            && syntax::named_children(*p)
                .filter(|c| c.kind() != kinds::COMMENT)
                .count()
                == 1
    });
    for n in std::iter::once(decl).chain(outer) {
        if let Some(c) = n.next_sibling().filter(|c| {
            c.kind() == kinds::COMMENT && c.start_position().row == n.end_position().row
        }) {
            comments.push(c);
        }
        let mut row = n.start_position().row;
        let mut prev = n.prev_sibling();
        while let Some(c) = prev.filter(|c| c.kind() == kinds::COMMENT) {
            if c.end_position().row + 1 != row || comments.len() >= 8 {
                break;
            }
            comments.push(c);
            row = c.start_position().row;
            prev = c.prev_sibling();
        }
    }
    comments
        .iter()
        .find_map(|c| parse_map_text(syntax::text(*c, src)))
}

/// `map[K]V` in free text: K up to its matching `]`, V up to the next space.
fn parse_map_text(text: &str) -> Option<Shape> {
    let start = text.find("map[")? + 4;
    let mut depth = 1usize;
    let mut end = None;
    for (i, c) in text[start..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(start + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end?;
    let key = text[start..end].trim().to_string();
    let value = text[end + 1..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ',', ';', ')'])
        .to_string();
    (!key.is_empty() && !value.is_empty()).then_some(Shape { key, value })
}

/// Whether a struct type is made of type descriptors and their qualifiers:
/// at least one field of a type-descriptor type, and no string field (names
/// and ids are what make keys unbounded).
fn made_of_types(st: Node<'_>, src: &str) -> bool {
    let Some(list) = syntax::named_children(st).find(|c| c.kind() == FIELD_DECLARATION_LIST) else {
        return false;
    };
    let mut types = false;
    for fd in syntax::named_children(list).filter(|c| c.kind() == FIELD_DECLARATION) {
        let Some(ty) = fd.child_by_field_name("type") else {
            return false;
        };
        let ty = syntax::text(ty, src);
        if ty.contains("string") || ty.contains("[]") {
            return false;
        }
        types |= is_type_name(ty);
    }
    types
}

/// The map-typed fields of a struct type node.
fn map_fields(
    st: Node<'_>,
    src: &str,
    imports: &FileImports,
    map_types: &HashMap<String, MapKind>,
) -> Vec<MapField> {
    let mut out = Vec::new();
    let Some(list) = syntax::named_children(st).find(|c| c.kind() == FIELD_DECLARATION_LIST) else {
        return out;
    };
    for fd in syntax::named_children(list).filter(|c| c.kind() == FIELD_DECLARATION) {
        let Some(ty) = fd.child_by_field_name("type") else {
            continue;
        };
        let Some(kind) = type_map_kind(ty, src, imports, map_types) else {
            continue;
        };
        let shape = if ty.kind() == MAP_TYPE {
            Some(shape_of(ty, src))
        } else {
            documented_shape(fd, src)
        };
        for name in syntax::field_children(fd, "name") {
            out.push(MapField {
                name: syntax::text(name, src).to_string(),
                kind,
                shape: shape.clone(),
            });
        }
    }
    out
}

/// The map fields of a package-level struct value's type: an anonymous
/// struct, or a struct type of the package (by value or pointer).
fn struct_fields(
    ty: Node<'_>,
    src: &str,
    imports: &FileImports,
    map_types: &HashMap<String, MapKind>,
    struct_types: &HashMap<String, Vec<MapField>>,
) -> Option<Vec<MapField>> {
    match ty.kind() {
        STRUCT_TYPE => Some(map_fields(ty, src, imports, map_types)),
        kinds::TYPE_IDENTIFIER | kinds::IDENTIFIER => {
            struct_types.get(syntax::text(ty, src)).cloned()
        }
        POINTER_TYPE => {
            let inner = syntax::named_children(ty).next()?;
            struct_fields(inner, src, imports, map_types, struct_types)
        }
        _ => None,
    }
}

/// The name of a struct type of the package as a variable's type or
/// literal spells it: `T` or `*T`.
fn struct_type_name(ty: Node<'_>, src: &str) -> Option<String> {
    match ty.kind() {
        kinds::TYPE_IDENTIFIER | kinds::IDENTIFIER => Some(syntax::text(ty, src).to_string()),
        POINTER_TYPE => struct_type_name(syntax::named_children(ty).next()?, src),
        _ => None,
    }
}

/// The function a call of a package function names: `newCache` in `newCache(n)`.
fn called_name<'t>(v: Node<'_>, src: &'t str) -> Option<&'t str> {
    let v = syntax::unparen(v);
    let f = v
        .child_by_field_name("function")
        .filter(|_| v.kind() == kinds::CALL_EXPRESSION)?;
    (f.kind() == kinds::IDENTIFIER).then(|| syntax::text(f, src))
}

/// The package's constructors of struct types with map fields: functions
/// (outside `_test.go` files) whose first result is `T` or `*T`, by name.
fn constructors(
    files: &[&ParsedFile],
    struct_types: &HashMap<String, Vec<MapField>>,
) -> HashMap<String, String> {
    let mut out = HashMap::default();
    if struct_types.is_empty() {
        return out;
    }
    for file in files
        .iter()
        .filter(|f| !f.source.display.ends_with("_test.go"))
    {
        let src = file.source.text.as_str();
        for decl in syntax::named_children(file.tree.root_node()) {
            if decl.kind() != kinds::FUNCTION_DECLARATION {
                continue;
            }
            let (Some(name), Some(result)) = (
                decl.child_by_field_name("name"),
                decl.child_by_field_name("result"),
            ) else {
                continue;
            };
            let result = if result.kind() == kinds::PARAMETER_LIST {
                match syntax::named_children(result)
                    .next()
                    .and_then(|p| p.child_by_field_name("type"))
                {
                    Some(t) => t,
                    None => continue,
                }
            } else {
                result
            };
            if let Some(t) = struct_type_name(result, src).filter(|t| struct_types.contains_key(t))
            {
                out.insert(syntax::text(name, src).to_string(), t);
            }
        }
    }
    out
}

/// The type of a struct initialiser: `T{…}` or `&T{…}`.
fn struct_value_type(v: Node<'_>) -> Option<Node<'_>> {
    let mut v = syntax::unparen(v);
    if v.kind() == kinds::UNARY_EXPRESSION {
        v = syntax::unparen(v.child_by_field_name("operand")?);
    }
    if v.kind() != kinds::COMPOSITE_LITERAL {
        return None;
    }
    v.child_by_field_name("type")
}

/// The walk of one file for uses of the tracked maps.
struct Scan<'s> {
    parsed: &'s ParsedFile,
    src: &'s str,
    root: Node<'s>,
    file: usize,
    test: bool,
    decls: &'s Declarations,
    by_var: &'s HashMap<&'s str, Vec<usize>>,
    fields: &'s HashSet<&'s str>,
    closed: &'s ClosedSets,
    methods: &'s MethodWrites,
}

/// When code runs, as far as a map's growth goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// After initialisation, any number of times.
    Later,
    /// During initialisation, or once (see [`Scan::init_time`]).
    Init,
    /// In a configuration function (see [`configures`]): initialisation,
    /// unless its callers show otherwise.
    Configures,
}

impl When {
    fn init(self) -> bool {
        self != When::Later
    }
}

/// How an expression that denotes a tracked map is used.
enum Use {
    /// Adds an entry; `constant` when the key is a constant, `param` when it
    /// is a parameter of an exported function, `by_method` when a method
    /// called at `span` adds it.
    Write {
        span: Span,
        constant: bool,
        param: Option<Param>,
        by_method: bool,
    },
    /// `delete`, `clear`, `Delete`, or replacing the map.
    Remove,
    /// A `delete` at the first span on a failure path of the function at
    /// the second (see [`rollback`]).
    Rollback(Span, Span),
    /// Replacing the map (`m = …`): a reset outside initialisation.
    Replace,
    /// Lets the map go where the scan cannot follow.
    Escape,
    /// Reads it.
    Read,
}

impl<'s> Scan<'s> {
    fn new(
        parsed: &'s ParsedFile,
        file: usize,
        decls: &'s Declarations,
        by_var: &'s HashMap<&'s str, Vec<usize>>,
        fields: &'s HashSet<&'s str>,
        closed: &'s ClosedSets,
        methods: &'s MethodWrites,
    ) -> Scan<'s> {
        Scan {
            parsed,
            src: parsed.source.text.as_str(),
            root: parsed.tree.root_node(),
            file,
            test: parsed.source.display.ends_with("_test.go"),
            decls,
            by_var,
            fields,
            closed,
            methods,
        }
    }
}

impl Scan<'_> {
    /// Records the uses in the declarations of `root`; `mentions` (sorted)
    /// are where the file names a tracked variable or field, `None` when
    /// unknown.
    fn run(&self, root: Node<'_>, maps: &mut [PackageMap], mentions: Option<&[usize]>) {
        for decl in syntax::named_children(root) {
            if let Some(at) = mentions {
                let first = at.partition_point(|&o| o < decl.start_byte());
                if at.get(first).is_none_or(|&o| o >= decl.end_byte()) {
                    continue;
                }
            }
            let Some(when) = self.when(decl) else {
                continue;
            };
            let scopes = self.scopes_of(decl);
            self.walk(decl, when, scopes.as_deref(), maps);
        }
    }

    /// The scopes of a function or method declaration; `None` for other declarations.
    fn scopes_of(&self, decl: Node<'_>) -> Option<std::sync::Arc<Scopes>> {
        matches!(
            decl.kind(),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
        )
        .then(|| Scopes::of(self.parsed, decl))
    }

    /// Whether a top-level declaration runs once per process, or registers:
    /// `init`, variable initialisers, functions handed to `once.Do` or only
    /// called during initialisation, registration functions (and those that
    /// panic) and test helpers. `None` for a declaration without code.
    fn init_time(&self, decl: Node<'_>) -> Option<bool> {
        self.when(decl).map(When::init)
    }

    /// When a top-level declaration runs (see [`Scan::init_time`]), telling
    /// apart a configuration function that counts as initialisation by its
    /// name alone ([`configures`]).
    fn when(&self, decl: Node<'_>) -> Option<When> {
        let panicking = matches!(
            decl.kind(),
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION
        ) && panics(decl, self.src);
        let by_code = self.initialises_by_code(decl)?;
        Some(if by_code || panicking {
            When::Init
        } else if configures(decl, self.src) {
            When::Configures
        } else {
            When::Later
        })
    }

    /// [`Scan::init_time`] without the functions that only panic: what the
    /// functions it calls inherit.
    fn initialises(&self, decl: Node<'_>) -> Option<bool> {
        self.initialises_by_code(decl)
            .map(|init| init || configures(decl, self.src))
    }

    /// [`Scan::initialises`] without the configuration functions.
    fn initialises_by_code(&self, decl: Node<'_>) -> Option<bool> {
        match decl.kind() {
            kinds::FUNCTION_DECLARATION => {
                let name = decl
                    .child_by_field_name("name")
                    .map(|n| syntax::text(n, self.src))
                    .unwrap_or("");
                Some(
                    name == "init"
                        || self.decls.once_funcs.contains(name)
                        || self.closed.runs_once(name)
                        || registers(decl, self.src)
                        || test_helper(decl, self.src),
                )
            }
            kinds::METHOD_DECLARATION => {
                Some(registers(decl, self.src) || test_helper(decl, self.src))
            }
            kinds::VAR_DECLARATION => Some(true),
            _ => None,
        }
    }

    /// Whether the body of a func literal runs during initialisation, given
    /// whether the code around it does: a literal called on the spot runs
    /// when its surroundings run, one handed to `once.Do` runs once, and any
    /// other runs later, whenever it is called.
    fn literal_init(&self, lit: Node<'_>, init: bool) -> bool {
        let called_here = lit.parent().is_some_and(|p| {
            p.kind() == kinds::CALL_EXPRESSION
                && p.child_by_field_name("function")
                    .is_some_and(|f| f.id() == lit.id())
        });
        let once = lit
            .parent()
            .and_then(|args| args.parent())
            .and_then(|call| once_argument(call, self.src))
            .is_some_and(|a| a.id() == lit.id());
        once || (init && called_here)
    }

    /// Visits every identifier naming a tracked variable, knowing whether
    /// the code around it runs during initialisation.
    fn walk(&self, decl: Node<'_>, when: When, scopes: Option<&Scopes>, maps: &mut [PackageMap]) {
        // Func literals in a variable initialiser get their own scopes.
        let mut literal_scopes: Vec<Scopes> = Vec::new();
        let mut stack: Vec<(Node<'_>, When, Option<usize>)> = vec![(decl, when, None)];
        while let Some((n, init, lit)) = stack.pop() {
            let mut init = init;
            let mut lit = lit;
            if n.kind() == kinds::FUNC_LITERAL {
                init = match (self.literal_init(n, init.init()), init) {
                    (false, _) => When::Later,
                    (true, When::Configures) => When::Configures,
                    (true, _) => When::Init,
                };
                if scopes.is_none() && lit.is_none() {
                    literal_scopes.push(Scopes::build(n, self.src));
                    lit = Some(literal_scopes.len() - 1);
                }
            }
            if n.kind() == kinds::SELECTOR_EXPRESSION {
                let sc = lit.map(|i| &literal_scopes[i]).or(scopes);
                self.field_selector(n, init, sc, maps);
            }
            if n.kind() == kinds::IDENTIFIER {
                let name = syntax::text(n, self.src);
                if let Some(ids) = self.by_var.get(name) {
                    let sc = lit.map(|i| &literal_scopes[i]).or(scopes);
                    if sc.is_none_or(|s| s.is_free(n)) && !is_field_key(n) {
                        self.record(n, ids, init, sc, maps);
                    }
                }
                continue;
            }
            for c in n.children_rev().filter(Node::is_named) {
                stack.push((c, init, lit));
            }
        }
    }

    fn record(
        &self,
        ident: Node<'_>,
        ids: &[usize],
        init: When,
        scopes: Option<&Scopes>,
        maps: &mut [PackageMap],
    ) {
        for &i in ids {
            let t = &self.decls.tracked[i];
            // The declaring identifier itself is no use.
            if t.file == self.file && t.span == Span::of(ident) {
                continue;
            }
            let expr = match &t.field {
                None => Some(ident),
                Some(field) => match self.field_of(ident, field) {
                    FieldUse::Field(sel) => Some(sel),
                    FieldUse::Other => {
                        for u in self.method_call(ident, t, scopes) {
                            self.apply(&mut maps[i], u, init);
                        }
                        None
                    }
                    FieldUse::Whole(u) => {
                        self.apply(&mut maps[i], u, init);
                        continue;
                    }
                },
            };
            let Some(expr) = expr else {
                continue;
            };
            let u = self.classify(expr, t.kind, scopes);
            self.apply(&mut maps[i], u, init);
        }
    }

    /// `x.field` for a tracked field name, whatever `x` is (a method's
    /// receiver, a copy of the struct): deleting, clearing, replacing or
    /// handing on the field through any value of the type counts for every
    /// tracked map of that field name. Writes count only through the package
    /// variable itself (see [`Scan::record`]).
    fn field_selector(
        &self,
        sel: Node<'_>,
        init: When,
        scopes: Option<&Scopes>,
        maps: &mut [PackageMap],
    ) {
        let Some(field) = sel.child_by_field_name("field") else {
            return;
        };
        let field = syntax::text(field, self.src);
        if !self.fields.contains(field) {
            return;
        }
        for (i, t) in self.decls.tracked.iter().enumerate() {
            if t.field.as_deref() != Some(field) {
                continue;
            }
            match self.classify(sel, t.kind, scopes) {
                u @ (Use::Remove | Use::Rollback(..) | Use::Replace | Use::Escape) => {
                    self.apply(&mut maps[i], u, init)
                }
                Use::Write { .. } | Use::Read => {}
            }
        }
    }

    fn apply(&self, m: &mut PackageMap, u: Use, when: When) {
        if self.test {
            return;
        }
        let init = when.init();
        match u {
            Use::Write {
                span,
                constant,
                param: Some(p),
                by_method,
            } if when == When::Configures && !constant => {
                // Bounded unless callers feed the parameter varying values later.
                m.writes.push(MapWrite {
                    file: self.file,
                    span,
                    by_method,
                });
                if let Err(at) = m.configured_by.binary_search(&p) {
                    m.configured_by.insert(at, p);
                }
            }
            Use::Write {
                span,
                constant,
                param,
                by_method,
            } => {
                if !init && !constant {
                    m.writes.push(MapWrite {
                        file: self.file,
                        span,
                        by_method,
                    });
                    match param {
                        Some(p) => {
                            if let Err(at) = m.keyed_by.binary_search(&p) {
                                m.keyed_by.insert(at, p);
                            }
                        }
                        None => m.other_keys = true,
                    }
                }
            }
            Use::Remove => m.removed = true,
            Use::Rollback(span, func) => m.rollbacks.push(Rollback {
                file: self.file,
                span,
                func,
            }),
            Use::Replace => m.removed |= !init,
            Use::Escape => m.escapes = true,
            Use::Read => {}
        }
    }

    /// The writes to the tracked field `t` that a call of a method on the
    /// variable `ident` makes (`sessions.add(id, s)`), each at the call and
    /// keyed by what the call passes where the method's key comes from.
    fn method_call(&self, ident: Node<'_>, t: &Tracked, scopes: Option<&Scopes>) -> Vec<Use> {
        let (Some(owner), Some(field)) = (&t.owner, &t.field) else {
            return Vec::new();
        };
        let Some(sel) = ident.parent().filter(|p| {
            p.kind() == kinds::SELECTOR_EXPRESSION
                && p.child_by_field_name("operand")
                    .is_some_and(|o| o.id() == ident.id())
        }) else {
            return Vec::new();
        };
        let Some(method) = sel.child_by_field_name("field") else {
            return Vec::new();
        };
        let writes = self.methods.of(owner, syntax::text(method, self.src));
        if writes.is_empty() {
            return Vec::new();
        }
        let Some(arguments) = methods::called_with(sel) else {
            return Vec::new();
        };
        let Some(call) = arguments.parent() else {
            return Vec::new();
        };
        let args: Vec<Node<'_>> = syntax::named_children(arguments).collect();
        let spread = args.iter().any(|a| a.kind() == kinds::VARIADIC_ARGUMENT);
        let span = Span::of(call);
        writes
            .iter()
            .filter(|w| w.field == *field)
            .map(|w| match w.key {
                methods::Key::Param(j) if !spread => {
                    match self.write(span, sel, args.get(j).copied(), scopes) {
                        Use::Write {
                            constant, param, ..
                        } => Use::Write {
                            span,
                            constant,
                            param,
                            by_method: true,
                        },
                        other => other,
                    }
                }
                _ => Use::Write {
                    span,
                    constant: false,
                    param: None,
                    by_method: true,
                },
            })
            .collect()
    }

    /// How `ident` (naming a struct variable) reaches the field `field`.
    fn field_of<'t>(&self, ident: Node<'t>, field: &str) -> FieldUse<'t> {
        let Some(p) = ident.parent() else {
            return FieldUse::Other;
        };
        if p.kind() == kinds::SELECTOR_EXPRESSION
            && p.child_by_field_name("operand")
                .is_some_and(|o| o.id() == ident.id())
        {
            let f = p
                .child_by_field_name("field")
                .map(|f| syntax::text(f, self.src));
            return if f == Some(field) {
                FieldUse::Field(p)
            } else {
                FieldUse::Other
            };
        }
        // The struct itself: replaced, or handed on.
        match whole_use(ident, self.src) {
            Some(u) => FieldUse::Whole(u),
            None => FieldUse::Other,
        }
    }

    /// Classifies a use of the map denoted by `expr`.
    fn classify(&self, expr: Node<'_>, kind: MapKind, scopes: Option<&Scopes>) -> Use {
        let mut e = expr;
        let mut parent = e.parent();
        while let Some(p) = parent.filter(|p| p.kind() == kinds::PARENTHESIZED_EXPRESSION) {
            e = p;
            parent = p.parent();
        }
        let Some(p) = parent else {
            return Use::Read;
        };
        match p.kind() {
            kinds::INDEX_EXPRESSION
                if p.child_by_field_name("operand")
                    .is_some_and(|o| o.id() == e.id()) =>
            {
                let key = p.child_by_field_name("index");
                match written_by(p) {
                    Some(stmt) => self.write(Span::of(stmt), expr, key, scopes),
                    None => Use::Read,
                }
            }
            kinds::SELECTOR_EXPRESSION if kind == MapKind::Sync => {
                let method = p
                    .child_by_field_name("field")
                    .map(|f| syntax::text(f, self.src))
                    .unwrap_or("");
                let call = p.parent().filter(|c| {
                    c.kind() == kinds::CALL_EXPRESSION
                        && c.child_by_field_name("function")
                            .is_some_and(|f| f.id() == p.id())
                });
                match (method, call) {
                    ("Store" | "LoadOrStore" | "Swap", Some(call)) => {
                        let key = call
                            .child_by_field_name("arguments")
                            .and_then(|a| syntax::named_children(a).next());
                        self.write(Span::of(call), expr, key, scopes)
                    }
                    ("Delete" | "LoadAndDelete" | "CompareAndDelete" | "Clear", _) => Use::Remove,
                    ("Load" | "Range" | "CompareAndSwap", Some(_)) => Use::Read,
                    // A method value (`m.Store` passed on) or anything unknown.
                    _ => Use::Escape,
                }
            }
            kinds::ARGUMENT_LIST => self.argument_use(e, p),
            kinds::RANGE_CLAUSE => Use::Read,
            BINARY_EXPRESSION => Use::Read,
            kinds::EXPRESSION_LIST => {
                match p.parent() {
                    Some(stmt)
                        if stmt.kind() == kinds::ASSIGNMENT_STATEMENT
                            && stmt
                                .child_by_field_name("left")
                                .is_some_and(|l| l.id() == p.id()) =>
                    {
                        if while_empty(stmt, expr, self.src) {
                            Use::Read
                        } else {
                            Use::Replace
                        }
                    }
                    // Assigned to another variable, returned, …
                    _ => Use::Escape,
                }
            }
            kinds::EXPRESSION_STATEMENT => Use::Read,
            _ => Use::Escape,
        }
    }

    /// A write at `span` to the map `map` with the key `key`.
    fn write(
        &self,
        span: Span,
        map: Node<'_>,
        key: Option<Node<'_>>,
        scopes: Option<&Scopes>,
    ) -> Use {
        let constant = self.decls.tracked_type_keyed(map, self.src)
            || key.is_some_and(|k| while_empty(k, map, self.src))
            || key.is_some_and(|k| self.is_constant(k, scopes) || self.program_key(k, scopes, 0));
        let param = match (key, scopes) {
            (Some(k), Some(s)) if !constant => self.exported_param(k, s),
            _ => None,
        };
        Use::Write {
            span,
            constant,
            param,
            by_method: false,
        }
    }

    /// `delete(m, k)`, `clear(m)`, `len(m)`, and calls the map is passed to.
    fn argument_use(&self, e: Node<'_>, args: Node<'_>) -> Use {
        let Some(call) = args.parent() else {
            return Use::Escape;
        };
        let Some(func) = call.child_by_field_name("function").map(syntax::unparen) else {
            return Use::Escape;
        };
        let first = syntax::named_children(args)
            .next()
            .is_some_and(|a| a.id() == e.id());
        match syntax::text(func, self.src) {
            "delete" if first => match rollback(call, self.src) {
                Some(func) => Use::Rollback(Span::of(call), func),
                None => Use::Remove,
            },
            "clear" if first => Use::Remove,
            "len" => Use::Read,
            "maps.DeleteFunc" if first => Use::Remove,
            "maps.Keys" | "maps.Values" | "maps.Clone" | "maps.Equal" | "maps.EqualFunc"
            | "maps.All" => Use::Read,
            "maps.Copy" if !first => Use::Read,
            f if f.starts_with("fmt.") => Use::Read,
            _ => Use::Escape,
        }
    }

    /// Whether a key expression is a constant: a literal, a constant of the
    /// package or the function, a qualified name of another package, or an
    /// expression built only from those.
    fn is_constant(&self, key: Node<'_>, scopes: Option<&Scopes>) -> bool {
        self.is_constant_within(key, scopes, 0)
    }

    /// A literal or a named constant (of the package, the function or
    /// another package), checked without following any operand.
    fn plain_constant(&self, n: Node<'_>, scopes: Option<&Scopes>) -> bool {
        let n = syntax::unparen(n);
        match n.kind() {
            "int_literal" | "rune_literal" => true,
            kinds::IDENTIFIER => match scopes.and_then(|s| s.binding_of(n).map(|b| (s, b))) {
                Some((s, b)) => s.binding(b).kind == crate::flow::scopes::BindingKind::Const,
                None => self.decls.consts.contains(syntax::text(n, self.src)),
            },
            kinds::SELECTOR_EXPRESSION => n.child_by_field_name("operand").is_some_and(|o| {
                o.kind() == kinds::IDENTIFIER
                    && scopes.is_none_or(|s| s.is_free(o))
                    && self.decls.imports[self.file]
                        .path_of(syntax::text(o, self.src))
                        .is_some()
            }),
            _ => false,
        }
    }

    /// [`Scan::is_constant`], `depth` locals deep in the definitions of a local key.
    fn is_constant_within(&self, key: Node<'_>, scopes: Option<&Scopes>, depth: usize) -> bool {
        // Operands (`a % (b % …)`) and origins deepen it too: a bound on the recursion.
        if depth > MAX_KEY_DEPTH {
            return false;
        }
        let mut stack = vec![key];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "int_literal"
                | "float_literal"
                | "imaginary_literal"
                | "rune_literal"
                | "true"
                | "false"
                | "nil"
                | "iota"
                | kinds::INTERPRETED_STRING_LITERAL
                | kinds::RAW_STRING_LITERAL => {}
                kinds::IDENTIFIER => {
                    let name = syntax::text(n, self.src);
                    let local = scopes.and_then(|s| s.binding_of(n));
                    let ok = match (local, scopes) {
                        (Some(b), Some(s)) => {
                            self.closed_local(b, s, depth) || self.program_key(n, scopes, depth)
                        }
                        _ => self.decls.consts.contains(name),
                    };
                    if !ok {
                        return false;
                    }
                }
                kinds::SELECTOR_EXPRESSION => {
                    // `http.MethodGet`: a name another package declares.
                    let op = n.child_by_field_name("operand").map(syntax::unparen);
                    let qualified = op.is_some_and(|o| {
                        o.kind() == kinds::IDENTIFIER
                            && scopes.is_none_or(|s| s.is_free(o))
                            && !self.by_var.contains_key(syntax::text(o, self.src))
                            && !self.decls.consts.contains(syntax::text(o, self.src))
                    }) && n
                        .child_by_field_name("field")
                        .is_some_and(|f| syntax::text(f, self.src).starts_with(char::is_uppercase));
                    if !qualified && !self.program_key(n, scopes, depth) {
                        return false;
                    }
                }
                kinds::INDEX_EXPRESSION if self.table_lookup(n, scopes) => {}
                // `n % 64`, `h & mask`: fewer values than the constant, whatever `n` is.
                BINARY_EXPRESSION
                    if n.child_by_field_name("operator")
                        .is_some_and(|o| matches!(syntax::text(o, self.src), "%" | "&"))
                        && n.child_by_field_name("right")
                            .is_some_and(|r| self.plain_constant(r, scopes)) => {}
                kinds::PARENTHESIZED_EXPRESSION | BINARY_EXPRESSION | kinds::UNARY_EXPRESSION => {
                    if n.kind() == kinds::UNARY_EXPRESSION
                        && n.child_by_field_name("operator")
                            .is_some_and(|o| matches!(syntax::text(o, self.src), "<-" | "*" | "&"))
                    {
                        return false;
                    }
                    stack.extend(syntax::named_children(n));
                }
                _ if self.program_key(n, scopes, depth) => {}
                _ => return false,
            }
        }
        true
    }
}

/// How a struct variable's identifier relates to one of its map fields.
enum FieldUse<'t> {
    /// `v.field`: classify the selector as the map.
    Field(Node<'t>),
    /// The struct as a whole is replaced or handed on.
    Whole(Use),
    /// Another field, or a read.
    Other,
}

/// Whether the statement `stmt` runs only while the map `map` holds no
/// entry (`if m == nil { m = make(…); m["a"] = … }`, `if len(c.m) == 0 {
/// … }`): a first use's initialisation. Replacing the map there drops
/// nothing, and the entries it adds are added once, unless something
/// deletes them (and then the map is not reported anyway).
pub(super) fn while_empty(stmt: Node<'_>, map: Node<'_>, src: &str) -> bool {
    let name = syntax::text(map, src);
    let mut n = stmt;
    while let Some(p) = n.parent() {
        match p.kind() {
            kinds::FUNC_LITERAL | kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => {
                return false
            }
            kinds::IF_STATEMENT
                if p.child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == n.id())
                    && p.child_by_field_name("condition")
                        .is_some_and(|c| empty_test(c, name, src)) =>
            {
                return true
            }
            _ => {}
        }
        n = p;
    }
    false
}

/// Whether `cond` holds only when the map `name` is empty: `name == nil`,
/// `len(name) == 0`, or such a test joined to others by `&&`.
fn empty_test(cond: Node<'_>, name: &str, src: &str) -> bool {
    let cond = syntax::unparen(cond);
    if cond.kind() != BINARY_EXPRESSION {
        return false;
    }
    let (Some(op), Some(l), Some(r)) = (
        cond.child_by_field_name("operator"),
        cond.child_by_field_name("left"),
        cond.child_by_field_name("right"),
    ) else {
        return false;
    };
    match syntax::text(op, src) {
        "&&" => empty_test(l, name, src) || empty_test(r, name, src),
        "==" => {
            let is_map = |x: Node<'_>| syntax::text(syntax::unparen(x), src) == name;
            let is_len = |x: Node<'_>| {
                let x = syntax::unparen(x);
                x.kind() == kinds::CALL_EXPRESSION
                    && x.child_by_field_name("function")
                        .is_some_and(|f| syntax::text(f, src) == "len")
                    && x.child_by_field_name("arguments")
                        .and_then(|a| syntax::named_children(a).next())
                        .is_some_and(is_map)
            };
            let text = |x: Node<'_>| syntax::text(syntax::unparen(x), src);
            (is_map(l) && text(r) == "nil")
                || (text(l) == "nil" && is_map(r))
                || (is_len(l) && text(r) == "0")
                || (text(l) == "0" && is_len(r))
        }
        _ => false,
    }
}

/// What a use of a whole struct variable means for its fields.
fn whole_use(ident: Node<'_>, src: &str) -> Option<Use> {
    let p = ident.parent()?;
    match p.kind() {
        kinds::EXPRESSION_LIST => {
            let stmt = p.parent()?;
            if stmt.kind() == kinds::ASSIGNMENT_STATEMENT
                && stmt
                    .child_by_field_name("left")
                    .is_some_and(|l| l.id() == p.id())
            {
                Some(Use::Replace)
            } else {
                Some(Use::Escape)
            }
        }
        kinds::UNARY_EXPRESSION => {
            let op = p.child_by_field_name("operator")?;
            (syntax::text(op, src) == "&").then_some(Use::Escape)
        }
        kinds::ARGUMENT_LIST | kinds::LITERAL_ELEMENT => Some(Use::Escape),
        _ => None,
    }
}

/// The statement that writes the element `index` (an index expression):
/// `m[k] = v`, `m[k] += v`, `m[k]++`.
fn written_by(index: Node<'_>) -> Option<Node<'_>> {
    let p = index.parent()?;
    match p.kind() {
        kinds::INC_STATEMENT | kinds::DEC_STATEMENT => Some(p),
        kinds::EXPRESSION_LIST => {
            let stmt = p.parent()?;
            (stmt.kind() == kinds::ASSIGNMENT_STATEMENT
                && stmt
                    .child_by_field_name("left")
                    .is_some_and(|l| l.id() == p.id()))
            .then_some(stmt)
        }
        _ => None,
    }
}

/// For a `delete` call that only rolls back on failure, the span of the
/// function declaration holding it: the call sits in the block of an `if
/// err != nil { … return }` (or one testing `!ok`), outside any loop and any
/// func literal. `serve` deleting its connection when a read in its loop
/// fails is how the connection ends, not a rollback.
fn rollback(call: Node<'_>, src: &str) -> Option<Span> {
    let mut failure = false;
    let mut n = call;
    while let Some(p) = n.parent() {
        match p.kind() {
            kinds::FOR_STATEMENT | kinds::FUNC_LITERAL | kinds::DEFER_STATEMENT => return None,
            kinds::IF_STATEMENT => {
                let in_branch = p
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == n.id());
                if in_branch
                    && p.child_by_field_name("condition")
                        .is_some_and(|c| tests_failure(c, src))
                    && ends_in_return(n)
                {
                    failure = true;
                }
            }
            kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => {
                return failure.then(|| Span::of(p));
            }
            _ => {}
        }
        n = p;
    }
    None
}

/// Whether a block's last statement is a `return`.
fn ends_in_return(block: Node<'_>) -> bool {
    fn last(n: Node<'_>) -> Option<Node<'_>> {
        syntax::named_children(n)
            .filter(|s| s.kind() != kinds::COMMENT)
            .last()
    }
    let mut at = last(block);
    if let Some(list) = at.filter(|s| s.kind() == kinds::STATEMENT_LIST) {
        at = last(list);
    }
    at.is_some_and(|s| s.kind() == kinds::RETURN_STATEMENT)
}

/// `err != nil` (any name ending in `err`/`Err`), or `!ok`.
fn tests_failure(cond: Node<'_>, src: &str) -> bool {
    let cond = syntax::unparen(cond);
    let text = |n: Node<'_>| syntax::text(syntax::unparen(n), src);
    syntax::compares_error_to_nil(cond, "!=", src)
        || (cond.kind() == kinds::UNARY_EXPRESSION
            && cond
                .child_by_field_name("operator")
                .is_some_and(|o| text(o) == "!")
            && cond
                .child_by_field_name("operand")
                .is_some_and(|o| text(o) == "ok"))
}

/// Whether `ident` is the key of a keyed struct literal element (`T{cache: x}`).
fn is_field_key(ident: Node<'_>) -> bool {
    let Some(el) = ident
        .parent()
        .filter(|p| p.kind() == kinds::LITERAL_ELEMENT)
    else {
        return false;
    };
    el.parent().is_some_and(|k| {
        k.kind() == kinds::KEYED_ELEMENT
            && k.child_by_field_name("key")
                .is_some_and(|key| key.id() == el.id())
    })
}

impl crate::store::PackageFact for PackageMaps {
    fn build(input: crate::store::PackageInput<'_>) -> Self {
        PackageMaps::build(input.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn maps_of(files: &[(&str, &str)]) -> Vec<PackageMap> {
        let parsed: Vec<ParsedFile> = files
            .iter()
            .map(|(name, text)| crate::parse::parse(SourceFile::new(*name, text.to_string())))
            .collect();
        let refs: Vec<&ParsedFile> = parsed.iter().collect();
        PackageMaps::build(&refs).maps
    }

    #[test]
    fn delete_in_another_file_counts() {
        let m = maps_of(&[
            (
                "a.go",
                "package p\nvar cache = map[string]int{}\nfunc put(k string) { cache[k] = 1 }\n",
            ),
            (
                "b.go",
                "package p\nfunc drop(k string) { delete(cache, k) }\n",
            ),
        ]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].writes.len(), 1);
        assert!(m[0].removed);
        assert!(!m[0].only_grows());
    }

    #[test]
    fn names_inside_other_names_are_found() {
        // `cache` inside `cacheKeys`: both are uses wherever they are written.
        let m = maps_of(&[(
            "a.go",
            "package p\nvar cache = map[string]int{}\nvar cacheKeys = map[string]bool{}\n\
             func put(k string) { cacheKeys[k] = true }\nfunc add(k string) { cache[k] = 1 }\n\
             func drop(k string) { delete(cache, k) }\n",
        )]);
        let by = |n: &str| m.iter().find(|x| x.name == n).expect("map");
        assert!(by("cacheKeys").only_grows());
        assert!(!by("cache").only_grows());
        assert_eq!(by("cache").writes.len(), 1);
    }

    #[test]
    fn init_writes_and_constant_keys_are_bounded() {
        let m = maps_of(&[(
            "a.go",
            "package p\nconst k = \"x\"\nvar m = make(map[string]int)\nfunc init() { m[os()] = 1 }\nfunc f() { m[k] = 2; m[\"y\"]++ }\nfunc os() string { return \"\" }\n",
        )]);
        assert!(m[0].writes.is_empty());
    }

    #[test]
    fn shadowed_names_are_not_the_package_map() {
        let m = maps_of(&[(
            "a.go",
            "package p\nvar seen map[string]bool\nfunc f(k string) { seen := map[string]bool{}; seen[k] = true; _ = seen }\n",
        )]);
        assert!(m[0].writes.is_empty());
    }

    #[test]
    fn constant_arguments_in_every_file_bound_a_parameter_key() {
        let def = (
            "a.go",
            "package p\nvar n = map[string]int{}\nfunc name(base string) { n[base]++ }\n",
        );
        let bounded = maps_of(&[
            def,
            ("b.go", "package p\nfunc f() { name(\"x\"); name(\"y\") }\n"),
        ]);
        assert!(!bounded[0].only_grows());
        let open = maps_of(&[
            def,
            (
                "b.go",
                "package p\nfunc f(s string) { name(\"x\"); name(s) }\n",
            ),
        ]);
        assert!(open[0].only_grows());
        let as_value = maps_of(&[
            def,
            (
                "b.go",
                "package p\nvar h = name\nfunc f() { name(\"x\") }\n",
            ),
        ]);
        assert!(as_value[0].only_grows());
    }

    #[test]
    fn an_exported_function_s_parameter_keys_a_map_for_its_callers() {
        let keyed = maps_of(&[(
            "a.go",
            "package p\nvar cache = map[string]int{}\nfunc Component(depth int, name string) { cache[name] = depth }\nfunc Also(n string) { cache[(n)]++ }\n",
        )]);
        let params: Vec<(&str, u16)> = keyed[0]
            .keyed_by_callers()
            .expect("keyed by parameters")
            .keyed
            .iter()
            .map(|p| (p.func.as_str(), p.index))
            .collect();
        assert_eq!(params, [("Also", 0), ("Component", 1)]);
        let by_func = PackageMap::keys_by_function(&keyed);
        assert_eq!(by_func.get("Component"), Some(&vec![1]));
        // Another key, an unexported function's parameter, a derived key: no such fact.
        for body in [
            "func Component(name string) { cache[name] = 1 }\nfunc put(k string) { cache[k] = 2 }\nfunc f(s string) { put(s) }",
            "func component(name string) { cache[name] = 1 }\nfunc F(s string) { component(s) }",
            "func Component(name string) { cache[name+\"!\"] = 1 }",
            "func (r *R) Component(name string) { cache[name] = 1 }\ntype R struct{}",
        ] {
            let src = format!("package p\nvar cache = map[string]int{{}}\n{body}\n");
            let m = maps_of(&[("a.go", src.as_str())]);
            assert!(m[0].only_grows(), "{body}");
            assert_eq!(m[0].keyed_by_callers(), None, "{body}");
        }
    }

    #[test]
    fn a_configuration_function_grows_its_map_with_the_package_s_own_varying_calls() {
        let decl = "package p\nvar types = map[string]string{}\nfunc AddType(ext, typ string) { types[ext] = typ }\n";
        let quiet = maps_of(&[("a.go", decl)]);
        let keys = quiet[0].keyed_by_callers().expect("waits for callers");
        assert!(keys.keyed.is_empty());
        assert_eq!(keys.configured.len(), 1);
        // Constants later, or a varying value from `init`: still waiting.
        for calls in [
            "func serve() { AddType(\".json\", \"application/json\") }",
            "func init() { for _, a := range os.Args { AddType(a, a) } }",
        ] {
            let m = maps_of(&[
                ("a.go", decl),
                ("b.go", &format!("package p\nimport \"os\"\n{calls}\n")),
            ]);
            assert!(m[0].keyed_by_callers().is_some(), "{calls}");
        }
        // A handler's request value: it grows, whatever importers do.
        let grows = maps_of(&[(
            "a.go",
            &format!("{decl}func handle(r *http.Request) {{ AddType(r.URL.Path, \"x\") }}\n"),
        )]);
        assert!(grows[0].only_grows());
        assert_eq!(grows[0].keyed_by_callers(), None);
    }

    #[test]
    fn calls_record_what_they_pass_to_keying_parameters() {
        use crate::facts::{FactSet, PackageFacts};
        let facts = FactSet::new([std::sync::Arc::new(PackageFacts {
            path: "m/internal/logs".into(),
            name: "logs".into(),
            map_keys: [("Component".to_string(), vec![0])].into(),
            ..PackageFacts::default()
        })]);
        let args = |text: &str| {
            let parsed = crate::parse::parse(SourceFile::new("b.go", text.to_string()));
            callers::key_args(&[&parsed], None, &facts)
                .into_iter()
                .map(|a| (a.uses, a.open, a.later))
                .collect::<Vec<_>>()
        };
        let header = "package b\nimport l \"m/internal/logs\"\nconst name = \"b\"\n";
        assert_eq!(
            args(&format!("{header}var x = l.Component(\"b\")\n")),
            [(1, false, false)]
        );
        assert_eq!(
            args(&format!(
                "{header}func f() {{ l.Component(name); l.Component(\"c\") }}\n"
            )),
            [(2, false, true)]
        );
        assert_eq!(
            args(&format!("{header}func f(s string) {{ l.Component(s) }}\n")),
            [(1, true, true)]
        );
        assert_eq!(
            args(&format!("{header}var hook = l.Component\n")),
            [(1, true, false)]
        );
        // A local that shadows the import is not the package.
        assert_eq!(
            args(&format!(
                "{header}func f(l T, s string) {{ l.Component(s) }}\n"
            )),
            []
        );
    }

    #[test]
    fn deeply_nested_keys_are_checked_in_linear_time() {
        let n = 5000;
        let key = format!("{}x{}", "x % (".repeat(n), ")".repeat(n));
        let src = format!("package p\nvar m = map[int]int{{}}\nfunc f(x int) {{ m[{key}] = 1 }}\n");
        let m = maps_of(&[("a.go", src.as_str())]);
        assert!(m[0].only_grows());
    }

    #[test]
    fn struct_fields_and_sync_maps() {
        let m = maps_of(&[(
            "a.go",
            "package p\nimport \"sync\"\nvar state struct { mu sync.Mutex; byID map[int]string }\nvar users sync.Map\nfunc add(id int, s string) { state.byID[id] = s; users.Store(id, s) }\n",
        )]);
        let names: Vec<&str> = m.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["state.byID", "users"]);
        assert!(m.iter().all(PackageMap::only_grows));
    }

    #[test]
    fn method_calls_on_a_package_value_write_its_fields() {
        let ty = "package p\ntype store struct{ m map[string]int }\nfunc newStore() *store { return &store{m: map[string]int{}} }\nfunc (s *store) put(k string, v int) { s.m[k] = v }\nfunc (s *store) add(k string) { s.put(k, 1) }\n";
        // Through a method and through a method that calls it; a call per file.
        let m = maps_of(&[
            ("a.go", ty),
            (
                "b.go",
                "package p\nvar st = newStore()\nfunc f(k string) { st.add(k) }\n",
            ),
        ]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].name, "st.m");
        assert!(m[0].only_grows());
        assert!(m[0].writes.iter().all(|w| w.by_method && w.file == 1));
        // Constant arguments bound it; a delete through any receiver removes.
        let constant = maps_of(&[
            ("a.go", ty),
            (
                "b.go",
                "package p\nvar st = newStore()\nfunc f() { st.add(\"a\"); st.put(\"b\", 2) }\n",
            ),
        ]);
        assert!(!constant[0].only_grows());
        let evicted = maps_of(&[
            ("a.go", ty),
            ("b.go", "package p\nvar st = newStore()\nfunc f(k string) { st.add(k) }\nfunc (s *store) drop(k string) { delete(s.m, k) }\n"),
        ]);
        assert!(!evicted[0].only_grows());
        // A parameter the method reassigns no longer holds what the call passed.
        let rekeyed = maps_of(&[(
            "a.go",
            "package p\ntype store struct{ m map[string]int }\nvar st = &store{m: map[string]int{}}\nfunc (s *store) put(k string) { k = k + \"/\"; s.m[k] = 1 }\nfunc f() { st.put(\"a\") }\n",
        )]);
        assert!(rekeyed[0].only_grows());
    }

    #[test]
    fn a_map_made_on_first_use_is_no_reset() {
        let m = maps_of(&[(
            "a.go",
            "package p\nvar m map[string]int\nfunc f(k string) { if m == nil { m = map[string]int{}; m[\"x\"] = 1 }; m[k]++ }\nvar t map[string]int\nfunc g() { if t == nil { t = map[string]int{}; for _, k := range []string{\"a\"} { t[k] = 1 } } }\nvar u map[string]int\nfunc h(k string) { if u != nil { u = map[string]int{} }; u[k] = 1 }\n",
        )]);
        let grows: Vec<(&str, bool)> = m
            .iter()
            .map(|x| (x.name.as_str(), x.only_grows()))
            .collect();
        assert_eq!(grows, [("m", true), ("t", false), ("u", false)]);
        assert_eq!(m[0].writes.len(), 1);
    }
}
