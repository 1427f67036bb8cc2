//! Computing a package's [`PackageFacts`] from its trees: exported
//! functions and methods with their result types resolved to import paths,
//! and the types whose method set holds a release method. Test files are
//! left out: importers never see them.

use super::{
    is_release_method, Acquires, FuncFacts, MethodSig, PackageFacts, Release, TypeFacts, TypeRef,
};
use crate::catalog::{Catalog, Release as CatalogRelease};
use crate::flow::package_maps::{PackageMap, PackageMaps};
use crate::flow::returns;
use crate::flow::summary::ReleaseSummary;
use crate::index::{func_key, FileImports};
use crate::parse::ParsedFile;
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;

/// Whether a file is a test file, invisible to importers.
pub fn is_test_file(file: &ParsedFile) -> bool {
    file.source.display.ends_with("_test.go")
}

/// Summarises the non-test files of one package whose import path is `path`.
///
/// `maps` is the package's maps over all its files, when the run settles
/// maps through their callers: only then, and only when one of them grows,
/// are the parameters keying growing maps named (from the non-test files).
pub fn summarise(
    package: &[&ParsedFile],
    path: &str,
    catalog: &Catalog,
    maps: Option<&PackageMaps>,
) -> PackageFacts {
    let files: Vec<&ParsedFile> = package
        .iter()
        .copied()
        .filter(|f| !is_test_file(f))
        .collect();
    let mut local: HashSet<&str> = HashSet::default();
    for f in &files {
        for spec in type_specs(f.tree.root_node()) {
            if let Some(n) = spec.child_by_field_name("name") {
                local.insert(syntax::text(n, &f.source.text));
            }
        }
    }
    let mut facts = PackageFacts {
        path: path.to_string(),
        name: files.first().map(|f| f.package.clone()).unwrap_or_default(),
        ..PackageFacts::default()
    };
    let mut types: BTreeMap<String, TypeFacts> = BTreeMap::new();
    let summary = ReleaseSummary::build(&files, package, catalog);
    for f in &files {
        let root = f.tree.root_node();
        let src = f.source.text.as_str();
        let r = Resolver {
            src,
            path,
            imports: FileImports::read(root, src, catalog),
            local: &local,
            summary: &summary,
        };
        for decl in syntax::named_children(root) {
            match decl.kind() {
                kinds::FUNCTION_DECLARATION | kinds::METHOD_DECLARATION => {
                    r.function(decl, &mut facts.funcs, &mut types);
                }
                kinds::TYPE_DECLARATION => {
                    for spec in syntax::named_children(decl) {
                        r.type_spec(spec, &mut types);
                    }
                }
                _ => {}
            }
        }
    }
    types.retain(|_, t| !t.release.is_empty() || !t.embeds.is_empty());
    if maps.is_some_and(|m| m.maps.iter().any(PackageMap::only_grows)) {
        facts.map_keys = PackageMap::keys_by_function(&PackageMaps::build(&files).maps);
    }
    // Functions returning a type of this package with `Close()` acquire.
    for (key, f) in facts.funcs.iter_mut() {
        let opener = match key.split_once('.') {
            Some((_, m)) => returns::opens(m),
            None => !returns::accessor(key),
        };
        if f.wraps || f.acquires.is_some() || !opener {
            continue;
        }
        let own_closer = f.results.first().is_some_and(|t| {
            t.named_parts().is_some_and(|(p, n, _)| {
                p == path
                    && types.get(n).is_some_and(|t| {
                        t.release.iter().any(|m| {
                            m.name == "Close"
                                && m.params == 0
                                && m.results.len() == 1
                                && m.results[0].is_error()
                        })
                    })
            })
        });
        if own_closer {
            f.acquires = Some(Acquires {
                result: 0,
                error: error_index(&f.results),
                release: Release::Method("Close".to_string()),
            });
        }
    }
    facts.types = types;
    facts
}

/// The files of a directory by package clause name: a directory may hold
/// several packages (`p` and `p_test`, or a `//go:build ignore` main).
pub fn group_by_package<'f>(
    files: impl IntoIterator<Item = &'f ParsedFile>,
) -> BTreeMap<&'f str, Vec<&'f ParsedFile>> {
    let mut groups: BTreeMap<&str, Vec<&ParsedFile>> = BTreeMap::new();
    for f in files {
        groups.entry(f.package.as_str()).or_default().push(f);
    }
    groups
}

/// The facts of a directory whose files may belong to several packages
/// (`p` and `p_test`, a `//go:build ignore` main): those of the package with
/// the most non-test files, the one importers get; `None` with no such file.
pub fn summarise_dir(
    groups: &BTreeMap<&str, Vec<&ParsedFile>>,
    path: &str,
    catalog: &Catalog,
) -> Option<PackageFacts> {
    summary_group(groups).map(|(_, files)| summarise(files, path, catalog, None))
}

/// The package of a directory whose facts importers get: the one with the
/// most non-test files, by name; `None` with no such file.
pub fn summary_group<'g, 'f>(
    groups: &'g BTreeMap<&'f str, Vec<&'f ParsedFile>>,
) -> Option<(&'f str, &'g [&'f ParsedFile])> {
    let mut best: Option<(&'f str, &'g [&'f ParsedFile], usize)> = None;
    for (name, files) in groups {
        let n = files.iter().filter(|f| !is_test_file(f)).count();
        if n > best.map_or(0, |b| b.2) {
            best = Some((name, files, n));
        }
    }
    best.map(|(name, files, _)| (name, files))
}

fn type_specs(root: Node<'_>) -> Vec<Node<'_>> {
    syntax::named_children(root)
        .filter(|d| d.kind() == kinds::TYPE_DECLARATION)
        .flat_map(syntax::named_children)
        .filter(|s| matches!(s.kind(), "type_spec" | "type_alias"))
        .collect()
}

/// Resolves the types written in one file.
struct Resolver<'r> {
    src: &'r str,
    path: &'r str,
    imports: FileImports,
    local: &'r HashSet<&'r str>,
    summary: &'r ReleaseSummary,
}

/// The index of a trailing `error` result among several.
fn error_index(results: &[TypeRef]) -> Option<u16> {
    (results.len() > 1 && results.last().is_some_and(TypeRef::is_error))
        .then(|| u16::try_from(results.len() - 1).unwrap_or(u16::MAX))
}

impl Resolver<'_> {
    fn text(&self, n: Node<'_>) -> &str {
        syntax::text(n, self.src)
    }

    /// The type a type node names.
    fn resolve(&self, mut n: Node<'_>) -> TypeRef {
        let mut pointer = false;
        loop {
            match n.kind() {
                "parenthesized_type" => match n.named_child(0) {
                    Some(c) => n = c,
                    None => return TypeRef::Other,
                },
                "pointer_type" if !pointer => match n.named_child(0) {
                    Some(c) => {
                        pointer = true;
                        n = c;
                    }
                    None => return TypeRef::Other,
                },
                "generic_type" => match n.child_by_field_name("type") {
                    Some(c) => n = c,
                    None => return TypeRef::Other,
                },
                kinds::TYPE_IDENTIFIER => {
                    let name = self.text(n);
                    return if self.local.contains(name) {
                        TypeRef::new(pointer, self.path, name)
                    } else if name == "comparable" || syntax::PREDECLARED_TYPES.contains(&name) {
                        TypeRef::new(pointer, "", name)
                    } else {
                        // A type parameter, or a name from a dot import.
                        TypeRef::Other
                    };
                }
                "qualified_type" => {
                    let (Some(pkg), Some(name)) = (
                        n.child_by_field_name("package"),
                        n.child_by_field_name("name"),
                    ) else {
                        return TypeRef::Other;
                    };
                    return match self.imports.path_of(self.text(pkg)) {
                        Some(p) => TypeRef::new(pointer, p, self.text(name)),
                        None => TypeRef::Other,
                    };
                }
                _ => return TypeRef::Other,
            }
        }
    }

    /// The result types of a function, method or method element.
    fn results(&self, decl: Node<'_>) -> Vec<TypeRef> {
        let Some(r) = decl.child_by_field_name("result") else {
            return Vec::new();
        };
        if r.kind() != kinds::PARAMETER_LIST {
            return vec![self.resolve(r)];
        }
        let mut out = Vec::new();
        for p in syntax::named_children(r) {
            let Some(t) = p.child_by_field_name("type") else {
                continue;
            };
            let t = self.resolve(t);
            let n = syntax::field_children(p, "name").len().max(1);
            out.extend(std::iter::repeat_n(t, n));
        }
        out
    }

    fn function(
        &self,
        decl: Node<'_>,
        funcs: &mut BTreeMap<String, FuncFacts>,
        types: &mut BTreeMap<String, TypeFacts>,
    ) {
        let Some(name) = decl.child_by_field_name("name").map(|n| self.text(n)) else {
            return;
        };
        let receiver = decl
            .child_by_field_name("receiver")
            .and_then(|r| syntax::named_children(r).next())
            .and_then(|p| p.child_by_field_name("type"));
        let key = match receiver {
            Some(t) => match self.resolve(t) {
                TypeRef::Named {
                    pointer,
                    path,
                    name: ty,
                } if path == self.path => {
                    let body = decl.child_by_field_name("body");
                    // A `Close` that only checks state releases nothing.
                    let inert = name == "Close"
                        && body.is_some_and(|b| !returns::releases_something(b, self.src));
                    if is_release_method(name) && !inert {
                        types
                            .entry(ty.clone())
                            .or_default()
                            .release
                            .push(MethodSig {
                                name: name.to_string(),
                                params: param_count(decl),
                                results: self.results(decl),
                                pointer,
                            });
                    }
                    format!("{ty}.{name}")
                }
                _ => return,
            },
            None => name.to_string(),
        };
        if !is_exported(name) {
            return;
        }
        let results = self.results(decl);
        let mut facts = FuncFacts {
            wraps: self.takes_stream(decl),
            ..FuncFacts::default()
        };
        let own_key = func_key(decl, self.src);
        facts.moves = own_key.as_ref().is_some_and(|k| self.summary.moves(k));
        let fates = own_key.and_then(|k| self.summary.params.get(&k));
        for (i, fate) in fates.into_iter().flatten().enumerate() {
            let Ok(i) = u16::try_from(i) else {
                break;
            };
            let closes = fate.releases.iter().any(|r| {
                matches!(r, CatalogRelease::Method(m) if m.len() == 1 && is_release_method(&m[0]))
            });
            if closes {
                facts.releases.push(i);
            } else if fate.escapes {
                facts.returns.push(i);
            }
        }
        if decl.child_by_field_name("body").is_none() {
            // No body to read (a generated file's, blanked; assembly;
            // `go:linkname`): it may keep every argument, as a generated
            // `NewFooClient(cc)` keeps its connection.
            facts.returns = (0..param_count(decl)).collect();
        }
        // Methods acquire only when named for opening; the rest are mostly accessors.
        let opener = if receiver.is_some() {
            returns::opens(name)
        } else {
            !returns::accessor(name)
        };
        if !facts.wraps && opener {
            facts.acquires = results.first().and_then(|t| {
                let (p, n, ptr) = t.named_parts()?;
                let (release, _) = returns::closing_result(p, n, ptr)?;
                let CatalogRelease::Method(m) = release else {
                    return None;
                };
                Some(Acquires {
                    result: 0,
                    error: error_index(&results),
                    release: Release::Method(m.join(".")),
                })
            });
        }
        facts.results = results;
        // Results of predeclared types alone say nothing an importer needs,
        // unless the function releases a parameter.
        let named = facts
            .results
            .iter()
            .any(|t| t.named().is_some_and(|(p, _)| !p.is_empty()));
        if named || !facts.releases.is_empty() || facts.moves {
            funcs.insert(key, facts);
        }
    }

    /// Whether a parameter's type makes the function a wrapper of its
    /// caller's stream or a test helper ([`returns::wraps_stream_type`]).
    fn takes_stream(&self, decl: Node<'_>) -> bool {
        let Some(params) = decl.child_by_field_name("parameters") else {
            return false;
        };
        syntax::named_children(params).any(|p| {
            // Resolved, so that inside package `io` itself `Reader` is `io.Reader`.
            p.child_by_field_name("type").is_some_and(|t| {
                self.resolve(t)
                    .named()
                    .is_some_and(|(path, name)| returns::wraps_stream_type(path, name))
            })
        })
    }

    fn type_spec(&self, spec: Node<'_>, types: &mut BTreeMap<String, TypeFacts>) {
        let (Some(name), Some(ty)) = (
            spec.child_by_field_name("name"),
            spec.child_by_field_name("type"),
        ) else {
            return;
        };
        let alias = spec.kind() == "type_alias";
        let name = self.text(name).to_string();
        let mut facts = TypeFacts::default();
        match ty.kind() {
            "struct_type" => {
                let fields = syntax::named_children(ty)
                    .filter(|c| c.kind() == "field_declaration_list")
                    .flat_map(syntax::named_children)
                    .filter(|f| f.kind() == "field_declaration");
                for f in fields {
                    if f.child_by_field_name("name").is_none() {
                        if let Some(t) = f.child_by_field_name("type") {
                            // An embedded `*T` keeps its star outside the type field.
                            let star = f.child(0).is_some_and(|c| c.kind() == "*");
                            facts.embeds.push(match self.resolve(t) {
                                TypeRef::Named { path, name, .. } if star => {
                                    TypeRef::new(true, path, name)
                                }
                                t => t,
                            });
                        }
                    }
                }
            }
            "interface_type" => {
                facts.interface = true;
                for e in syntax::named_children(ty) {
                    match e.kind() {
                        "method_elem" => {
                            let Some(m) = e.child_by_field_name("name") else {
                                continue;
                            };
                            let m = self.text(m);
                            if is_release_method(m) {
                                facts.release.push(MethodSig {
                                    name: m.to_string(),
                                    params: param_count(e),
                                    results: self.results(e),
                                    pointer: false,
                                });
                            }
                        }
                        // One type embeds it; a union (`A | B`) is a constraint.
                        "type_elem" if e.named_child_count() == 1 => {
                            if let Some(t) = e.named_child(0) {
                                facts.embeds.push(self.resolve(t));
                            }
                        }
                        _ => {}
                    }
                }
            }
            // `type A = B` has B's method set. `type A B` keeps it only for an
            // interface B, which cannot be told for a B outside the module:
            // left out rather than guessed.
            _ if alias => facts.embeds.push(self.resolve(ty)),
            _ => {}
        }
        facts
            .embeds
            .retain(|t| t.named().is_some_and(|(p, _)| !p.is_empty()));
        let entry = types.entry(name).or_default();
        entry.interface |= facts.interface;
        entry.release.extend(facts.release);
        entry.embeds.extend(facts.embeds);
    }
}

/// Whether a Go identifier is exported.
pub fn is_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// The number of parameters of a declaration or method element.
fn param_count(decl: Node<'_>) -> u16 {
    let Some(list) = decl.child_by_field_name("parameters") else {
        return 0;
    };
    let n: usize = syntax::named_children(list)
        .filter(|p| {
            matches!(
                p.kind(),
                kinds::PARAMETER_DECLARATION | kinds::VARIADIC_PARAMETER_DECLARATION
            )
        })
        .map(|p| syntax::field_children(p, "name").len().max(1))
        .sum();
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn facts(files: &[(&str, &str)]) -> PackageFacts {
        let parsed: Vec<ParsedFile> = files
            .iter()
            .map(|(name, text)| crate::parse::parse(SourceFile::new(*name, text.to_string())))
            .collect();
        let refs: Vec<&ParsedFile> = parsed.iter().collect();
        let maps = PackageMaps::build(&refs);
        summarise(&refs, "example.com/m/a", &Catalog::builtin(), Some(&maps))
    }

    #[test]
    fn parameters_keying_a_growing_map_are_named_for_importers() {
        let f = facts(&[
            (
                "a.go",
                "package a\nvar cache = map[string]int{}\nvar done = map[string]bool{}\nfunc Component(n int, name string) { cache[name] = n }\nfunc Finish(id string) { done[id] = true }\nfunc Forget(id string) { delete(done, id) }\n",
            ),
            // A test's writes are not the package's.
            (
                "a_test.go",
                "package a\nfunc Helper(k string) { cache[k] = 0 }\n",
            ),
        ]);
        // `done` is deleted from: nothing for its callers to settle.
        assert_eq!(
            f.map_keys.into_iter().collect::<Vec<_>>(),
            [("Component".to_string(), vec![1])]
        );
    }

    #[test]
    fn records_results_and_release_methods() {
        let f = facts(&[
            (
                "a.go",
                r#"package a

import (
	"io"
	osx "os"
)

type Conn struct{ fd int }

func (c *Conn) Close() error { return closeFD(c.fd) }
func (c *Conn) Read(p []byte) (n int, err error) { return 0, nil }
func (c *Conn) Dup() (*Conn, error) { return c, nil }

type Server struct{}

func (s Server) Shutdown(ctx interface{}) error { stopAll(); return nil }

type Store interface {
	io.Closer
	Get(k string) string
}

type Handle interface{ Release() }

type Wrapped struct {
	*Conn
	name string
}

type File = osx.File
type Reader io.ReadCloser

func Open(name string) (*Conn, error) { return nil, nil }
func OpenBody() (io.ReadCloser, error) { return nil, nil }
func Name() string { return "" }
func open() *Conn { return nil }
func Generic[T any]() (T, *Conn) { var t T; return t, nil }
"#,
            ),
            (
                "a_test.go",
                "package a\n\nfunc OpenTest() *Conn { return nil }\n",
            ),
        ]);
        let json = serde_json::to_string_pretty(&f).unwrap();
        insta::assert_snapshot!(json);
        let back: PackageFacts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
    }
}
