//! Module-wide facts: a small, tree-free summary of each package of the
//! scanned module, so that a package's rules know what the functions and
//! types of its in-module imports do (`storage.Open()` returns a type with
//! `Close() error`; `util.CloseQuietly(c)` releases its parameter).
//!
//! A summary ([`PackageFacts`]) is computed from a package's trees just
//! before they are dropped ([`extract::summarise`]); the engine schedules
//! packages so that a package's in-module imports are summarised first
//! ([`schedule`]); `go vet -vettool` writes summaries to the go command's
//! facts files ([`VetxFile`]); the language server computes them on demand.
//! A package sees the facts of its in-module imports through a [`FactSet`].

pub mod cache;
pub mod callers;
pub mod extract;
pub mod graph;
pub mod header;
pub mod linkage;
pub mod schedule;
mod typeref;

pub use typeref::TypeRef;

use crate::catalog;
use crate::flow::returns;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Method names that release what their receiver holds.
pub const RELEASE_METHODS: &[&str] = &["Close", "Stop", "Release", "Shutdown"];

/// Whether `name` is a release method's name.
pub fn is_release_method(name: &str) -> bool {
    RELEASE_METHODS.contains(&name)
}

/// The facts of one package: what importers of the package need to know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageFacts {
    /// The import path.
    pub path: String,
    /// The package clause's name.
    pub name: String,
    /// Exported functions (`Open`) and exported methods (`Conn.Read`, by the
    /// receiver's base type name), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub funcs: BTreeMap<String, FuncFacts>,
    /// Types whose method set holds a release method, or may by embedding.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeFacts>,
    /// Exported functions with the indices of their parameters that key a
    /// package-level map that only grows otherwise (`Component(name)`
    /// storing `cache[name]`): the map is bounded when every call passes a
    /// bounded value there (see [`callers`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map_keys: BTreeMap<String, Vec<u16>>,
}

/// What a function or method of the package does, as its callers see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FuncFacts {
    /// The result types, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<TypeRef>,
    /// Indices of the parameters the function releases on every path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<u16>,
    /// Indices of the parameters the function lets go: returns (hands back
    /// to its caller), stores or passes on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<u16>,
    /// The acquisition the function's results hold, when it returns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquires: Option<Acquires>,
    /// Whether it takes a stream of its caller's (`io.Reader`, `*os.File`)
    /// or a `*testing.T`: what it returns wraps what the caller owns, or
    /// cleans up after itself, so it never acquires.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wraps: bool,
    /// For a method: whether it moves what its receiver holds out to its
    /// caller (`fd.File(name)`, `s.Release()`), which then owns it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moves: bool,
}

/// A resource a function returns to its caller, who must release it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acquires {
    /// The index of the result holding the resource.
    pub result: u16,
    /// The index of the error result, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<u16>,
    /// How the holder releases it.
    pub release: Release,
}

/// How a returned resource is released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// A method on the value: `Close`, `Stop`, `Body.Close`.
    Method(String),
    /// Calling the value itself, as for a cancel function.
    Call,
    /// Passing it to a function: `C.free`.
    Func {
        /// The function's import path.
        path: String,
        /// Its name.
        name: String,
    },
}

impl Release {
    /// The catalogue's form of this release.
    pub fn to_catalog(&self) -> catalog::Release {
        match self {
            Release::Method(path) => {
                catalog::Release::Method(path.split('.').map(str::to_string).collect())
            }
            Release::Call => catalog::Release::Call,
            Release::Func { path, name } => catalog::Release::Function {
                package: path.clone(),
                name: name.clone(),
            },
        }
    }
}

/// A type of the package, as far as releasing goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeFacts {
    /// Whether it is an interface type.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interface: bool,
    /// Its release methods (declared, or listed in the interface).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub release: Vec<MethodSig>,
    /// Embedded types (struct fields, interface elements) and an alias's
    /// target, whose release methods the type gets too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<TypeRef>,
}

/// The signature of a release method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodSig {
    /// Its name.
    pub name: String,
    /// How many parameters it takes (`Shutdown(ctx)` takes one).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub params: u16,
    /// Its result types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<TypeRef>,
    /// Whether it is declared on the pointer type (`func (c *Conn) Close()`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pointer: bool,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

impl PackageFacts {
    /// A function (`Open`) or method (`Conn.Read`) of the package.
    pub fn func(&self, name: &str) -> Option<&FuncFacts> {
        self.funcs.get(name)
    }

    /// A method of a type of the package.
    pub fn method(&self, ty: &str, name: &str) -> Option<&FuncFacts> {
        self.funcs.get(&format!("{ty}.{name}"))
    }
}

/// What releases a value of some type, as the facts show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Releaser<'f> {
    /// A release method of a module type.
    Method(&'f MethodSig),
    /// A type outside the module is embedded (`io.Closer`, `*os.File`):
    /// whether it releases is the catalogue's to say.
    Outside(&'f TypeRef),
}

/// The facts a package sees: those of the in-module packages it imports,
/// directly or not, and its own. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct FactSet {
    by_path: HashMap<String, Arc<PackageFacts>>,
    /// Acquisitions by (import path, function or `Type.Method`), built on first use.
    acquire: OnceLock<HashMap<(String, String), catalog::Acquire>>,
}

impl FactSet {
    /// A set of facts.
    pub fn new(facts: impl IntoIterator<Item = Arc<PackageFacts>>) -> FactSet {
        FactSet {
            by_path: facts.into_iter().map(|f| (f.path.clone(), f)).collect(),
            acquire: OnceLock::new(),
        }
    }

    /// Adds (or replaces) one package's facts.
    pub fn insert(&mut self, facts: Arc<PackageFacts>) {
        self.by_path.insert(facts.path.clone(), facts);
        self.acquire = OnceLock::new();
    }

    /// What calling `key` (`Open`, `Store.OpenReader`) of the module package
    /// `path` acquires: the function's facts say so, or its first result is
    /// a module type with `Close()`, found through the packages' facts.
    pub fn acquisition(&self, path: &str, key: &str) -> Option<&catalog::Acquire> {
        self.acquire
            .get_or_init(|| self.acquisitions())
            .get(&(path.to_string(), key.to_string()))
    }

    fn acquisitions(&self) -> HashMap<(String, String), catalog::Acquire> {
        let mut out = HashMap::default();
        for pkg in self.by_path.values() {
            for (key, f) in &pkg.funcs {
                let (receiver, name) = match key.split_once('.') {
                    Some((t, m)) => (Some(t), m),
                    None => (None, key.as_str()),
                };
                let opener = match receiver {
                    Some(_) => returns::opens(name),
                    None => !returns::accessor(name),
                };
                if f.wraps || !opener {
                    continue;
                }
                let last_is_error = f.results.last().is_some_and(TypeRef::is_error);
                let release = match &f.acquires {
                    Some(a) => Some((a.release.to_catalog(), "value")),
                    None => f.results.first().and_then(|t| self.closes(t)),
                };
                let Some((release, noun)) = release else {
                    continue;
                };
                let mut entry = returns::returned_entry(
                    name,
                    receiver,
                    &pkg.path,
                    f.results.len(),
                    last_is_error,
                    release,
                    noun,
                );
                if let Some(a) = &f.acquires {
                    entry.result = a.result.into();
                    entry.error_result = a.error.map(Into::into);
                }
                out.insert((pkg.path.clone(), key.clone()), entry);
            }
        }
        out
    }

    /// How a value of type `ty` is released, when it must be: a catalogue
    /// closer type, or a module type whose facts show `Close()`.
    fn closes(&self, ty: &TypeRef) -> Option<(catalog::Release, &'static str)> {
        let (path, name, pointer) = ty.named_parts()?;
        if let Some(r) = returns::closing_result(path, name, pointer) {
            return Some(r);
        }
        match self.releaser(ty)? {
            // io.Closer's signature: `reflect.Value.Close()` closes a channel.
            Releaser::Method(m)
                if m.name == "Close"
                    && m.params == 0
                    && m.results.len() == 1
                    && m.results[0].is_error() =>
            {
                Some((catalog::Release::Method(vec!["Close".to_string()]), "value"))
            }
            Releaser::Outside(t) => {
                let (p, n, ptr) = t.named_parts()?;
                returns::closing_result(p, n, ptr)
            }
            Releaser::Method(_) => None,
        }
    }

    /// The facts of the package with import path `path`.
    pub fn package(&self, path: &str) -> Option<&PackageFacts> {
        self.by_path.get(path).map(|f| &**f)
    }

    /// Whether there are no facts.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The packages, sorted by import path.
    pub fn packages(&self) -> Vec<&Arc<PackageFacts>> {
        let mut v: Vec<_> = self.by_path.values().collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    /// The function `name` of the package `path`.
    pub fn func(&self, path: &str, name: &str) -> Option<&FuncFacts> {
        self.package(path)?.func(name)
    }

    /// The method `name` of the type `ty`, declared in a package of the module.
    pub fn method(&self, ty: &TypeRef, name: &str) -> Option<&FuncFacts> {
        let (path, tname) = ty.named()?;
        self.package(path)?.method(tname, name)
    }

    /// What releases a value of type `ty`: its first release method found
    /// through the facts (embedded types followed), or the first embedded
    /// type from outside the module. `None` when the facts show neither.
    pub fn releaser<'s>(&'s self, ty: &'s TypeRef) -> Option<Releaser<'s>> {
        let mut seen: HashSet<(&str, &str)> = HashSet::default();
        let mut stack: Vec<&'s TypeRef> = vec![ty];
        let mut outside = None;
        while let Some(t) = stack.pop() {
            let Some((path, name)) = t.named() else {
                continue;
            };
            if !seen.insert((path, name)) {
                continue;
            }
            let Some(pkg) = self.package(path) else {
                // Only module packages have facts; anything else is the catalogue's.
                if outside.is_none() && !path.is_empty() {
                    outside = Some(t);
                }
                continue;
            };
            let Some(facts) = pkg.types.get(name) else {
                continue;
            };
            if let Some(m) = facts.release.first() {
                return Some(Releaser::Method(m));
            }
            stack.extend(facts.embeds.iter().rev());
        }
        outside.map(Releaser::Outside)
    }
}

/// The content of a `go vet` facts file: the vetted package's facts and
/// those of its in-module dependencies it saw, so that importers get the
/// facts of packages they do not import directly (the go command hands a
/// tool only the facts files of the direct imports).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VetxFile {
    /// The format's version: files of another version are ignored.
    pub goleaklint_facts: u32,
    /// Package facts, sorted by import path.
    pub packages: Vec<PackageFacts>,
}

impl VetxFile {
    /// The current format version.
    pub const VERSION: u32 = 1;

    /// Encodes the file.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("facts serialize")
    }

    /// Decodes a file; `None` when empty, of another version, or not ours.
    pub fn decode(bytes: &[u8]) -> Option<VetxFile> {
        let f: VetxFile = serde_json::from_slice(bytes).ok()?;
        (f.goleaklint_facts == Self::VERSION).then_some(f)
    }
}

/// The import path of the package in `dir`, a directory of the module whose
/// go.mod is at `root` with module path `module`; `None` outside the module.
pub fn import_path(module: &str, root: &Path, dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let rel = dir.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    if module.is_empty() {
        return None;
    }
    // The standard library is module `std`, whose packages have no prefix.
    Some(match (module, parts.is_empty()) {
        ("std", true) => return None,
        ("std", false) => parts.join("/"),
        (m, true) => m.to_string(),
        (m, false) => format!("{m}/{}", parts.join("/")),
    })
}

/// Whether `path` is `module` or below it.
pub fn in_module(module: &str, path: &str) -> bool {
    if module == "std" {
        // Standard library paths have no dot in their first element.
        let first = path.split('/').next().unwrap_or(path);
        return !first.contains('.') && first != "cmd";
    }
    !module.is_empty()
        && path
            .strip_prefix(module)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> TypeRef {
        s.parse().unwrap()
    }

    #[test]
    fn import_paths_follow_the_module() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        assert_eq!(
            import_path("example.com/m", &root, &root.join("a/b")).as_deref(),
            Some("example.com/m/a/b")
        );
        assert_eq!(
            import_path("example.com/m", &root, &root).as_deref(),
            Some("example.com/m")
        );
        assert_eq!(
            import_path("std", &root, &root.join("a/b")).as_deref(),
            Some("a/b")
        );
        assert_eq!(import_path("example.com/m", &root.join("a"), &root), None);
        assert!(in_module("example.com/m", "example.com/m/a"));
        assert!(!in_module("example.com/m", "example.com/mx"));
        assert!(in_module("std", "net/http"));
        assert!(!in_module("std", "golang.org/x/net/http2"));
    }

    #[test]
    fn releasers_follow_embedding_across_packages() {
        let a = PackageFacts {
            path: "m/a".into(),
            name: "a".into(),
            types: BTreeMap::from([
                (
                    "Conn".into(),
                    TypeFacts {
                        release: vec![MethodSig {
                            name: "Close".into(),
                            params: 0,
                            results: vec![ty("error")],
                            pointer: true,
                        }],
                        ..TypeFacts::default()
                    },
                ),
                (
                    "Wrapped".into(),
                    TypeFacts {
                        embeds: vec![ty("*m/b.Inner")],
                        ..TypeFacts::default()
                    },
                ),
                (
                    "File".into(),
                    TypeFacts {
                        embeds: vec![ty("*os.File")],
                        ..TypeFacts::default()
                    },
                ),
            ]),
            ..PackageFacts::default()
        };
        let b = PackageFacts {
            path: "m/b".into(),
            name: "b".into(),
            types: BTreeMap::from([(
                "Inner".into(),
                TypeFacts {
                    // A cycle through embedding must end.
                    embeds: vec![ty("m/a.Wrapped"), ty("m/a.Conn")],
                    ..TypeFacts::default()
                },
            )]),
            ..PackageFacts::default()
        };
        let set = FactSet::new([Arc::new(a), Arc::new(b)]);
        assert!(matches!(
            set.releaser(&ty("*m/a.Conn")),
            Some(Releaser::Method(m)) if m.name == "Close"
        ));
        assert!(matches!(
            set.releaser(&ty("m/a.Wrapped")),
            Some(Releaser::Method(m)) if m.name == "Close"
        ));
        assert!(matches!(
            set.releaser(&ty("m/a.File")),
            Some(Releaser::Outside(t)) if t.to_string() == "*os.File"
        ));
        assert_eq!(set.releaser(&ty("m/a.Missing")), None);
        assert_eq!(set.releaser(&ty("error")), None);
    }

    #[test]
    fn vetx_files_round_trip_and_reject_others() {
        let f = VetxFile {
            goleaklint_facts: VetxFile::VERSION,
            packages: vec![PackageFacts {
                path: "m/a".into(),
                name: "a".into(),
                ..PackageFacts::default()
            }],
        };
        assert_eq!(VetxFile::decode(&f.encode()), Some(f));
        assert_eq!(VetxFile::decode(b""), None);
        assert_eq!(
            VetxFile::decode(br#"{"goleaklint_facts":0,"packages":[]}"#),
            None
        );
    }
}
