//! The catalogue of library knowledge: which calls acquire something that
//! must be released (and how), which calls create a context with a cancel
//! function, which calls never return (and whether they end the process or
//! only the goroutine), which calls only read a value passed to them, and
//! package names that differ from their import path. Loaded from `rules/catalog.toml` (embedded) and
//! extended by the user's configuration.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The catalogue shipped with goleaklint.
pub const BUILTIN: &str = include_str!("../rules/catalog.toml");

/// The group of the acquisitions listed under `[[cancel]]`.
pub const CANCEL_GROUP: &str = "lost-cancel";

/// A set of functions of one package.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuncGroup {
    /// Import path, e.g. `context`.
    pub package: String,
    /// Function names.
    pub functions: Vec<String>,
}

/// Methods that never return, by name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoReturnMethods {
    /// Method names that never return whatever the receiver.
    #[serde(default)]
    pub always: Vec<String>,
    /// Method names that never return when the file imports the given package
    /// (ordered, so the catalogue's text form is stable).
    #[serde(default)]
    pub when_imported: BTreeMap<String, Vec<String>>,
}

/// A package whose name is not the last element of its import path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageName {
    /// Import path.
    pub path: String,
    /// The name declared by its package clause.
    pub name: String,
}

/// How an acquired value is released.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Release {
    /// A method path on the value: `Close`, `Body.Close`, `Stop`.
    Method(Vec<String>),
    /// Calling the value itself (a cancel function).
    Call,
    /// A function taking the value: `C.free(p)`.
    Function {
        /// The import path (`C` for cgo).
        package: String,
        /// The function's name.
        name: String,
    },
}

impl Release {
    /// How the release reads in a message: `Close()`, `Body.Close()`, `cancel()`, `C.free`.
    pub fn describe(&self, value: &str) -> String {
        match self {
            Release::Method(path) => format!("{value}.{}()", path.join(".")),
            Release::Call => format!("{value}()"),
            Release::Function { package, name } => {
                format!("{}.{name}({value})", default_package_name(package))
            }
        }
    }
}

/// An `[[acquire]]` entry as written: calls (or struct literals) whose result
/// must be released.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcquireGroup {
    /// Import path, e.g. `os`.
    pub package: String,
    /// Package-level functions that acquire.
    #[serde(default)]
    pub functions: Vec<String>,
    /// Methods that acquire, on values of `receiver`.
    #[serde(default)]
    pub methods: Vec<String>,
    /// The type (of `package`) whose methods `methods` are: the code must show
    /// that the receiver has it (a declaration, a literal, a package variable).
    #[serde(default)]
    pub receiver: Option<String>,
    /// Struct types whose literals (`&kafka.Writer{…}`) acquire.
    #[serde(default)]
    pub types: Vec<String>,
    /// Which result holds the resource (0 unless given).
    #[serde(default)]
    pub result: usize,
    /// Which result is the error, if any.
    #[serde(default)]
    pub error_result: Option<usize>,
    /// A method path on the value that releases it: `Close`, `Body.Close`.
    #[serde(default)]
    pub release: Option<String>,
    /// `"call"`: calling the value releases it (a cancel function).
    #[serde(default)]
    pub release_by: Option<String>,
    /// A function that releases the value passed to it, as `path.Name` (`C.free`).
    #[serde(default)]
    pub release_function: Option<String>,
    /// The rule that reports what this entry acquires (`unclosed-resource`, `lost-cancel`, …).
    pub group: String,
    /// How messages name what is acquired (`response`, `file`, `rows`).
    #[serde(default)]
    pub noun: Option<String>,
}

/// One acquisition the catalogue knows: a call or a struct literal type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquire {
    /// The import path.
    pub package: String,
    /// The function, method or type name.
    pub name: String,
    /// For methods: the receiver type the code must give evidence for.
    pub receiver: Option<String>,
    /// Whether `name` is a struct type acquired by a literal.
    pub literal: bool,
    /// Which result holds the resource.
    pub result: usize,
    /// Which result is the error.
    pub error_result: Option<usize>,
    /// How it is released.
    pub release: Release,
    /// The rule that reports it.
    pub group: String,
    /// How messages name it (`response`, `file`); `value` unless the entry says.
    pub noun: String,
}

/// The catalogue file's shape.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Calls returning `(ctx, cancel)`.
    #[serde(default)]
    pub cancel: Vec<FuncGroup>,
    /// Calls that never return.
    #[serde(default)]
    pub no_return: Vec<FuncGroup>,
    /// Methods that never return.
    #[serde(default)]
    pub no_return_methods: NoReturnMethods,
    /// Package names differing from their path.
    #[serde(default)]
    pub package_name: Vec<PackageName>,
    /// Calls and literals that acquire something to release.
    #[serde(default)]
    pub acquire: Vec<AcquireGroup>,
    /// Functions that only read the value passed to them (not a hand-off).
    #[serde(default)]
    pub pure_reader: Vec<FuncGroup>,
    /// Functions whose first result is their first argument (`lo.Must`).
    #[serde(default)]
    pub pass_through: Vec<FuncGroup>,
    /// Calls that end only the current goroutine (`runtime.Goexit`).
    #[serde(default)]
    pub goroutine_exit: Vec<FuncGroup>,
    /// Methods that end only the current goroutine, by receiver type.
    #[serde(default)]
    pub goroutine_exit_methods: Vec<TypeMethods>,
    /// Calls that run a func argument before they return and keep it
    /// nowhere (`sort.Slice`, `filepath.WalkDir`): a closure passed there runs
    /// at the call.
    #[serde(default)]
    pub sync_callback: Vec<FuncGroup>,
    /// Methods that run a func argument before they return, by receiver type
    /// (`sync.Once.Do`).
    #[serde(default)]
    pub sync_callback_methods: Vec<TypeMethods>,
}

/// Methods of given types of one package (which end the calling goroutine,
/// or which run their callback at the call).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeMethods {
    /// Import path of the types.
    pub package: String,
    /// Type names (`T`, `B`, `TB`).
    pub types: Vec<String>,
    /// Method names.
    pub methods: Vec<String>,
}

/// How a call that never returns ends things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// The process ends (`os.Exit`, `log.Fatal`) or crashes (`panic`).
    Process,
    /// Only the calling goroutine ends (`runtime.Goexit`, `t.FailNow`).
    Goroutine,
}

/// The catalogue as lookup tables.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    cancel: HashSet<(String, String)>,
    no_return: HashSet<(String, String)>,
    no_return_methods: HashSet<String>,
    no_return_methods_when: Vec<(String, HashSet<String>)>,
    package_names: HashMap<String, String>,
    acquire: Vec<Acquire>,
    /// Name → indices into `acquire`: calls are looked up by name first.
    acquire_by_name: HashMap<String, Vec<usize>>,
    /// The last method of every release path (`Close` of `Body.Close`).
    release_methods: HashSet<String>,
    pure_readers: HashSet<(String, String)>,
    pass_through: HashSet<(String, String)>,
    goroutine_exit: HashSet<(String, String)>,
    goroutine_exit_methods: Vec<(String, HashSet<String>, HashSet<String>)>,
    sync_callback: HashSet<(String, String)>,
    sync_callback_methods: Vec<(String, HashSet<String>, HashSet<String>)>,
    /// Each file added, as its `Debug` form (fields in declaration order, lists in file order).
    added: Vec<String>,
}

impl Catalog {
    /// The built-in catalogue.
    pub fn builtin() -> Catalog {
        let mut c = Catalog::default();
        let file: CatalogFile = toml::from_str(BUILTIN).expect("the built-in catalogue parses");
        c.extend(file);
        c
    }

    /// Adds entries (from the user's configuration).
    pub fn extend(&mut self, file: CatalogFile) {
        self.added.push(format!("{file:?}"));
        for g in file.cancel {
            // A cancel constructor is an acquisition released by calling its second result.
            self.add_acquire(AcquireGroup {
                package: g.package.clone(),
                functions: g.functions.clone(),
                methods: Vec::new(),
                receiver: None,
                types: Vec::new(),
                result: 1,
                error_result: None,
                release: None,
                release_by: Some("call".to_string()),
                release_function: None,
                group: CANCEL_GROUP.to_string(),
                noun: Some("cancel function".to_string()),
            });
            for f in g.functions {
                self.cancel.insert((g.package.clone(), f));
            }
        }
        for g in file.no_return {
            for f in g.functions {
                self.no_return.insert((g.package.clone(), f));
            }
        }
        self.no_return_methods.extend(file.no_return_methods.always);
        for (pkg, methods) in file.no_return_methods.when_imported {
            self.no_return_methods_when
                .push((pkg, methods.into_iter().collect()));
        }
        for p in file.package_name {
            self.package_names.insert(p.path, p.name);
        }
        for g in file.acquire {
            self.add_acquire(g);
        }
        for (groups, set) in [
            (file.pure_reader, &mut self.pure_readers),
            (file.pass_through, &mut self.pass_through),
            (file.goroutine_exit, &mut self.goroutine_exit),
            (file.sync_callback, &mut self.sync_callback),
        ] {
            for g in groups {
                for f in g.functions {
                    set.insert((g.package.clone(), f));
                }
            }
        }
        for (groups, list) in [
            (
                file.goroutine_exit_methods,
                &mut self.goroutine_exit_methods,
            ),
            (file.sync_callback_methods, &mut self.sync_callback_methods),
        ] {
            for m in groups {
                list.push((
                    m.package,
                    m.types.into_iter().collect(),
                    m.methods.into_iter().collect(),
                ));
            }
        }
    }

    fn add_acquire(&mut self, g: AcquireGroup) {
        let release = match (&g.release, g.release_by.as_deref(), &g.release_function) {
            (Some(path), None, None) => {
                Release::Method(path.split('.').map(str::to_string).collect())
            }
            (None, Some("call"), None) => Release::Call,
            (None, None, Some(f)) => match f.rsplit_once('.') {
                Some((package, name)) => Release::Function {
                    package: package.to_string(),
                    name: name.to_string(),
                },
                None => return,
            },
            // Exactly one release form; a malformed entry acquires nothing.
            _ => return,
        };
        let entry = |name: &str, receiver: Option<String>, literal: bool| Acquire {
            package: g.package.clone(),
            name: name.to_string(),
            receiver,
            literal,
            result: g.result,
            error_result: g.error_result,
            release: release.clone(),
            group: g.group.clone(),
            noun: g.noun.clone().unwrap_or_else(|| "value".to_string()),
        };
        let mut entries: Vec<Acquire> = g.functions.iter().map(|f| entry(f, None, false)).collect();
        if let Some(r) = &g.receiver {
            entries.extend(g.methods.iter().map(|m| entry(m, Some(r.clone()), false)));
        }
        entries.extend(g.types.iter().map(|t| entry(t, None, true)));
        if let Release::Method(path) = &release {
            self.release_methods.extend(path.last().cloned());
        }
        for e in entries {
            self.acquire_by_name
                .entry(e.name.clone())
                .or_default()
                .push(self.acquire.len());
            self.acquire.push(e);
        }
    }

    /// Whether some entry is released by a method called `name`.
    pub fn is_release_method(&self, name: &str) -> bool {
        self.release_methods.contains(name)
    }

    /// The entries acquiring by a function, method or type called `name`.
    pub fn acquisitions_named<'c>(&'c self, name: &str) -> impl Iterator<Item = &'c Acquire> {
        self.acquire_by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.acquire[i])
    }

    /// The acquisition made by calling `package.function`, if any.
    pub fn acquire_func(&self, package: &str, function: &str) -> Option<&Acquire> {
        self.acquisitions_named(function)
            .find(|a| !a.literal && a.receiver.is_none() && a.package == package)
    }

    /// The acquisition made by a literal of `package.ty`, if any.
    pub fn acquire_literal(&self, package: &str, ty: &str) -> Option<&Acquire> {
        self.acquisitions_named(ty)
            .find(|a| a.literal && a.package == package)
    }

    /// Every acquisition entry.
    pub fn acquisitions(&self) -> &[Acquire] {
        &self.acquire
    }

    /// The import paths with acquisition entries of `group`.
    pub fn acquire_packages<'c>(&'c self, group: &'c str) -> impl Iterator<Item = &'c str> {
        self.acquire
            .iter()
            .filter(move |a| a.group == group)
            .map(|a| a.package.as_str())
    }

    /// Whether `package.function` only reads the value passed to it.
    /// `functions = ["*"]` covers a whole package (cgo's `C`).
    pub fn is_pure_reader(&self, package: &str, function: &str) -> bool {
        self.pure_readers
            .contains(&(package.to_string(), function.to_string()))
            || self
                .pure_readers
                .contains(&(package.to_string(), "*".to_string()))
    }

    /// Whether `package.function` returns its first argument (`lo.Must`).
    pub fn is_pass_through(&self, package: &str, function: &str) -> bool {
        self.pass_through
            .contains(&(package.to_string(), function.to_string()))
    }

    /// Whether `package.function` ends only the calling goroutine.
    pub fn is_goroutine_exit(&self, package: &str, function: &str) -> bool {
        self.goroutine_exit
            .contains(&(package.to_string(), function.to_string()))
    }

    /// Whether method `name` on a value of `package.ty` ends only the calling goroutine.
    pub fn is_goroutine_exit_method(&self, package: &str, ty: &str, name: &str) -> bool {
        self.goroutine_exit_methods
            .iter()
            .any(|(p, types, methods)| p == package && types.contains(ty) && methods.contains(name))
    }

    /// Whether `package.function` runs its func arguments before it returns
    /// and keeps none of them.
    pub fn is_sync_callback(&self, package: &str, function: &str) -> bool {
        self.sync_callback
            .contains(&(package.to_string(), function.to_string()))
    }

    /// Whether method `name` on a value of `package.ty` runs its func
    /// arguments before it returns and keeps none of them.
    pub fn is_sync_callback_method(&self, package: &str, ty: &str, name: &str) -> bool {
        self.sync_callback_methods
            .iter()
            .any(|(p, types, methods)| p == package && types.contains(ty) && methods.contains(name))
    }

    /// Whether `package.function` returns a context and its cancel function.
    pub fn is_cancel_constructor(&self, package: &str, function: &str) -> bool {
        self.cancel
            .contains(&(package.to_string(), function.to_string()))
    }

    /// The import paths that have cancel constructors.
    pub fn cancel_packages(&self) -> impl Iterator<Item = &str> {
        self.cancel.iter().map(|(p, _)| p.as_str())
    }

    /// Whether `package.function` never returns.
    pub fn is_no_return(&self, package: &str, function: &str) -> bool {
        self.no_return
            .contains(&(package.to_string(), function.to_string()))
    }

    /// Whether a method called `name` never returns in a file importing `imports`.
    pub fn is_no_return_method(&self, name: &str, mut imports: impl FnMut(&str) -> bool) -> bool {
        self.no_return_methods.contains(name)
            || self
                .no_return_methods_when
                .iter()
                .any(|(pkg, methods)| methods.contains(name) && imports(pkg))
    }

    /// What the catalogue was built from, in a stable text form: every
    /// file added, in order, for keying stored results. Recorded as added
    /// rather than rebuilt from the tables, so no new kind of entry can be
    /// left out of it.
    pub fn canonical(&self) -> String {
        self.added.join("\n")
    }

    /// The name a package is known by when imported without a name.
    pub fn package_name<'p>(&'p self, path: &'p str) -> &'p str {
        if let Some(n) = self.package_names.get(path) {
            return n;
        }
        default_package_name(path)
    }
}

/// The usual package name of an import path: its last element, skipping a
/// major-version suffix (`/v2`) and dropping `go-`/`-go` and `.vN` decorations.
pub fn default_package_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let mut last = parts.next().unwrap_or(path);
    if last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit()) {
        if let Some(prev) = parts.next() {
            last = prev;
        }
    }
    if let Some(i) = last.find(".v") {
        if last[i + 2..].bytes().all(|b| b.is_ascii_digit()) {
            last = &last[..i];
        }
    }
    let last = last.strip_prefix("go-").unwrap_or(last);
    last.strip_suffix("-go").unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_loads() {
        let c = Catalog::builtin();
        assert!(c.is_cancel_constructor("context", "WithTimeout"));
        assert!(c.is_no_return("os", "Exit"));
        assert_eq!(c.package_name("github.com/segmentio/kafka-go"), "kafka");
        let open = c.acquire_func("os", "Open").expect("os.Open acquires");
        assert_eq!(open.release, Release::Method(vec!["Close".to_string()]));
        assert_eq!(open.error_result, Some(1));
        let cancel = c
            .acquire_func("context", "WithTimeout")
            .expect("cancel entry");
        assert_eq!((cancel.result, &cancel.release), (1, &Release::Call));
        assert_eq!(cancel.group, "lost-cancel");
        assert!(c
            .acquisitions()
            .iter()
            .any(|a| a.name == "Do" && a.receiver.as_deref() == Some("Client")));
        assert!(c.is_pure_reader("io", "ReadAll"));
        assert!(c.is_goroutine_exit("runtime", "Goexit"));
        assert!(c.is_goroutine_exit_method("testing", "T", "FailNow"));
        assert!(c.is_sync_callback("sort", "Slice"));
        assert!(c.is_sync_callback_method("sync", "Once", "Do"));
        assert!(!c.is_sync_callback("golang.org/x/sync/errgroup", "Go"));
    }

    #[test]
    fn default_names() {
        assert_eq!(default_package_name("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(default_package_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(default_package_name("net/http"), "http");
    }
}
