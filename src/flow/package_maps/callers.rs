//! The calling side of [`crate::facts::callers`]: what a package's code
//! passes to the parameters that key another module package's maps (or its
//! own, for an exported function it calls itself). An argument is bounded
//! the way a key is (a constant, or a key the program's code bounds); a
//! spread, a missing argument, or the function used as a value is open.

use super::run_once;
use super::{ClosedSets, Declarations, MethodWrites, Scan};
use crate::facts::callers::{KeyArgs, Param};
use crate::facts::FactSet;
use crate::flow::scopes::{has_token, Scopes};
use crate::parse::ParsedFile;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The keying parameters of one function, by the package that declares it.
type Targets<'f> = HashMap<(&'f str, &'f str), &'f [u16]>;

/// What the non-test files of one package pass to the keying parameters
/// that `facts` name; `own` is the package's import path when `files` are
/// its own (so that unqualified calls of its exported functions count).
pub fn key_args(files: &[&ParsedFile], own: Option<&str>, facts: &FactSet) -> Vec<KeyArgs> {
    let targets: Targets<'_> = facts
        .packages()
        .into_iter()
        .flat_map(|p| {
            p.map_keys
                .iter()
                .map(|(f, slots)| ((p.path.as_str(), f.as_str()), slots.as_slice()))
        })
        .collect();
    // A file can use a target only if it names the function, and imports
    // its package or is that package.
    let quoted: HashMap<&str, String> = targets
        .keys()
        .map(|(path, _)| (*path, format!("\"{path}\"")))
        .collect();
    let uses_any = |f: &ParsedFile| {
        let src = f.source.text.as_str();
        !crate::facts::extract::is_test_file(f)
            && targets.keys().any(|(path, func)| {
                src.contains(func) && (own == Some(*path) || src.contains(quoted[path].as_str()))
            })
    };
    if !files.iter().any(|f| uses_any(f)) {
        return Vec::new();
    }
    let decls = Declarations::collect(files);
    let by_var = HashMap::default();
    let fields = HashSet::default();
    let empty = ClosedSets::default();
    let methods = MethodWrites::default();
    let scans: Vec<Scan<'_>> = files
        .iter()
        .enumerate()
        .map(|(fi, f)| Scan::new(f, fi, &decls, &by_var, &fields, &empty, &methods))
        .collect();
    let mut closed = ClosedSets::default();
    closed.init_only = run_once::init_only(&scans);
    let mut out: BTreeMap<(String, Param), KeyArgs> = BTreeMap::new();
    for (fi, f) in files.iter().enumerate() {
        if !uses_any(f) {
            continue;
        }
        let scan = Scan::new(f, fi, &decls, &by_var, &fields, &closed, &methods);
        Uses {
            scan: &scan,
            own,
            targets: &targets,
            out: &mut out,
        }
        .file();
    }
    out.into_values().collect()
}

/// The walk of one file for uses of the target functions.
struct Uses<'u, 's> {
    scan: &'u Scan<'s>,
    own: Option<&'u str>,
    targets: &'u Targets<'u>,
    out: &'u mut BTreeMap<(String, Param), KeyArgs>,
}

impl Uses<'_, '_> {
    fn file(&mut self) {
        let scan = self.scan;
        for decl in syntax::named_children(scan.root) {
            let text = syntax::text(decl, scan.src);
            if !self.targets.keys().any(|(_, func)| text.contains(func)) {
                continue;
            }
            let Some(init) = scan.init_time(decl) else {
                continue;
            };
            let scopes = scan.scopes_of(decl);
            let scopes = scopes.as_deref();
            let declared = decl.child_by_field_name("name").map(|n| n.id());
            syntax::walk(decl, |n| {
                let free = |id: Node<'_>| scopes.is_none_or(|s| s.is_free(id));
                let target = match n.kind() {
                    kinds::IDENTIFIER
                        if Some(n.id()) != declared && free(n) && !super::is_field_key(n) =>
                    {
                        self.own.map(|p| (p, syntax::text(n, scan.src)))
                    }
                    kinds::SELECTOR_EXPRESSION => n
                        .child_by_field_name("operand")
                        .filter(|o| o.kind() == kinds::IDENTIFIER && free(*o))
                        .and_then(|o| {
                            scan.decls.imports[scan.file].path_of(syntax::text(o, scan.src))
                        })
                        .zip(
                            n.child_by_field_name("field")
                                .map(|f| syntax::text(f, scan.src)),
                        ),
                    _ => None,
                };
                let Some(slots) = target.and_then(|t| self.targets.get(&t).copied()) else {
                    return true;
                };
                let (path, func) = target.expect("a target was found");
                // A call in a func literal runs whenever the literal is called.
                let later = !init || in_literal(n, decl);
                for &index in slots {
                    let open = !bounded_argument(scan, n, index, scopes);
                    let param = Param {
                        func: func.to_string(),
                        index,
                    };
                    let a = self
                        .out
                        .entry((path.to_string(), param.clone()))
                        .or_insert_with(|| KeyArgs {
                            path: path.to_string(),
                            param,
                            uses: 0,
                            open: false,
                            later: false,
                            open_later: false,
                        });
                    a.uses += 1;
                    a.open |= open;
                    a.later |= later;
                    a.open_later |= open && later;
                }
                false
            });
        }
    }
}

/// Whether `callee` is called with a bounded argument at `index`.
fn bounded_argument(
    scan: &Scan<'_>,
    callee: Node<'_>,
    index: u16,
    scopes: Option<&Scopes>,
) -> bool {
    let Some(list) = callee
        .parent()
        .filter(|c| {
            c.kind() == kinds::CALL_EXPRESSION
                && c.child_by_field_name("function")
                    .is_some_and(|f| f.id() == callee.id())
        })
        .and_then(|c| c.child_by_field_name("arguments"))
    else {
        // Used as a value: called where its arguments cannot be seen.
        return false;
    };
    if has_token(list, "...") {
        return false;
    }
    syntax::named_children(list)
        .nth(usize::from(index))
        .is_some_and(|a| scan.is_constant(a, scopes) || scan.program_key(a, scopes, 0))
}

/// Whether `n` is inside a func literal within `decl`.
fn in_literal(n: Node<'_>, decl: Node<'_>) -> bool {
    let mut at = n.parent();
    while let Some(p) = at.filter(|p| p.id() != decl.id()) {
        if p.kind() == kinds::FUNC_LITERAL {
            return true;
        }
        at = p.parent();
    }
    false
}
