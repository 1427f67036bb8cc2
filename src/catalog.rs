//! The catalogue of library knowledge: which calls create a context with a
//! cancel function, which calls never return, which calls acquire a resource
//! and what releases it, which calls only read a resource or pass it
//! through, and package names that differ from their import path. Loaded from `rules/catalog.toml` (embedded) and
//! extended by the user's configuration.

use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The catalogue shipped with goleaklint.
pub const BUILTIN: &str = include_str!("../rules/catalog.toml");

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
    /// Method names that never return when the file imports the given package.
    #[serde(default)]
    pub when_imported: HashMap<String, Vec<String>>,
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

/// Calls (or struct literals) that acquire something the caller must release.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcquireGroup {
    /// Import path, e.g. `net/http`; `C` for cgo.
    pub package: String,
    /// Package functions that acquire.
    #[serde(default)]
    pub functions: Vec<String>,
    /// The type whose `methods` acquire (`Client` for `(*http.Client).Do`).
    #[serde(default)]
    pub receiver: Option<String>,
    /// Methods of `receiver` that acquire.
    #[serde(default)]
    pub methods: Vec<String>,
    /// Struct types whose composite literal is the resource (`&kafka.Writer{…}`).
    #[serde(default)]
    pub literals: Vec<String>,
    /// Index of the result holding the resource.
    #[serde(default)]
    pub result: usize,
    /// Index of the error result, non-nil when nothing was acquired; the
    /// last result when omitted and there are several.
    #[serde(default)]
    pub error_result: Option<usize>,
    /// What releases it: a method path on the value (`Body.Close`) or a
    /// package function that takes it (`C.free`).
    pub release: String,
    /// How messages name the resource (`response`, `file`).
    pub noun: String,
    /// The rule that reports it.
    pub group: String,
}

/// What releases an acquired value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// A method reached through fields of the value: `["Body", "Close"]`.
    Method(Vec<String>),
    /// A function of the package named by the first element: `C.free`.
    Function {
        /// The package name as written at the call (`C`).
        package: String,
        /// The function.
        name: String,
    },
}

impl Release {
    /// `pkg.func` is a function when `pkg` reads as a package name (lowercase,
    /// or cgo's `C`); otherwise the path is fields then a method (`Body.Close`).
    fn parse(text: &str) -> Release {
        let parts: Vec<String> = text.split('.').map(str::to_string).collect();
        match parts.as_slice() {
            [pkg, name] if pkg == "C" || pkg.starts_with(|c: char| c.is_ascii_lowercase()) => {
                Release::Function {
                    package: pkg.clone(),
                    name: name.clone(),
                }
            }
            _ => Release::Method(parts),
        }
    }

    /// How the release reads in advice: `Body.Close()`, `C.free(…)`.
    pub fn display(&self) -> String {
        match self {
            Release::Method(path) => format!("{}()", path.join(".")),
            Release::Function { package, name } => format!("{package}.{name}(…)"),
        }
    }
}

/// One acquiring API, as looked up by the rules.
#[derive(Debug, Clone)]
pub struct Acquire {
    /// Import path of the package.
    pub package: String,
    /// The receiver type for a method, `None` for a function or literal.
    pub receiver: Option<String>,
    /// Index of the result holding the resource.
    pub result: usize,
    /// Index of the error result, if one is declared explicitly.
    pub error_result: Option<usize>,
    /// What releases it.
    pub release: Release,
    /// How messages name it.
    pub noun: String,
    /// The reporting rule's name.
    pub group: String,
}

impl Acquire {
    /// The entry for a function of the package being checked whose declared
    /// first result must be released by `release` (`Close`, `Body.Close`).
    pub fn local(release: &str, results: usize) -> Acquire {
        Acquire {
            package: String::new(),
            receiver: None,
            result: 0,
            error_result: (results > 1).then(|| results - 1),
            release: Release::parse(release),
            noun: "value".into(),
            group: "unclosed-resource".into(),
        }
    }
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
    /// Calls that acquire a resource.
    #[serde(default)]
    pub acquire: Vec<AcquireGroup>,
    /// Calls that read a resource without taking it over (`io.Copy`);
    /// `functions = ["*"]` covers the whole package.
    #[serde(default)]
    pub pure_reader: Vec<FuncGroup>,
    /// Calls that return their argument (`lo.Must`).
    #[serde(default)]
    pub pass_through: Vec<FuncGroup>,
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
    /// (package, function) or (package, receiver, method) → index into `acquire`.
    acquire_funcs: HashMap<(String, String), usize>,
    acquire_methods: HashMap<(String, String, String), usize>,
    acquire_method_names: HashSet<String>,
    acquire_literals: HashMap<(String, String), usize>,
    pure_readers: HashSet<(String, String)>,
    pass_through: HashSet<(String, String)>,
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
        for g in file.cancel {
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
            let at = self.acquire.len();
            self.acquire.push(Acquire {
                package: g.package.clone(),
                receiver: g.receiver.clone(),
                result: g.result,
                error_result: g.error_result,
                release: Release::parse(&g.release),
                noun: g.noun,
                group: g.group,
            });
            for f in g.functions {
                self.acquire_funcs.insert((g.package.clone(), f), at);
            }
            if let Some(recv) = &g.receiver {
                for m in g.methods {
                    self.acquire_method_names.insert(m.clone());
                    self.acquire_methods
                        .insert((g.package.clone(), recv.clone(), m), at);
                }
            }
            for t in g.literals {
                self.acquire_literals.insert((g.package.clone(), t), at);
            }
        }
        for g in file.pure_reader {
            for f in g.functions {
                self.pure_readers.insert((g.package.clone(), f));
            }
        }
        for g in file.pass_through {
            for f in g.functions {
                self.pass_through.insert((g.package.clone(), f));
            }
        }
    }

    /// The acquisition made by calling `package.function`.
    pub fn acquire_function(&self, package: &str, function: &str) -> Option<&Acquire> {
        let at = self
            .acquire_funcs
            .get(&(package.to_string(), function.to_string()))?;
        Some(&self.acquire[*at])
    }

    /// The acquisition made by calling `method` on a `package.receiver`.
    pub fn acquire_method(&self, package: &str, receiver: &str, method: &str) -> Option<&Acquire> {
        let key = (
            package.to_string(),
            receiver.to_string(),
            method.to_string(),
        );
        Some(&self.acquire[*self.acquire_methods.get(&key)?])
    }

    /// The acquisition made by a composite literal of `package.type_name`.
    pub fn acquire_literal(&self, package: &str, type_name: &str) -> Option<&Acquire> {
        let at = self
            .acquire_literals
            .get(&(package.to_string(), type_name.to_string()))?;
        Some(&self.acquire[*at])
    }

    /// Whether some acquiring method is called `name` (a cheap pre-filter
    /// before the receiver's type is looked up).
    pub fn has_acquire_method(&self, name: &str) -> bool {
        self.acquire_method_names.contains(name)
    }

    /// Whether any entry acquires by composite literal.
    pub fn has_literals(&self) -> bool {
        !self.acquire_literals.is_empty()
    }

    /// Every acquiring entry.
    pub fn acquisitions(&self) -> &[Acquire] {
        &self.acquire
    }

    /// Whether passing a resource to `package.function` leaves it with the caller.
    pub fn is_pure_reader(&self, package: &str, function: &str) -> bool {
        self.pure_readers
            .contains(&(package.to_string(), function.to_string()))
            || self
                .pure_readers
                .contains(&(package.to_string(), "*".to_string()))
    }

    /// Whether `package.function` returns (the first value of) its argument.
    pub fn is_pass_through(&self, package: &str, function: &str) -> bool {
        self.pass_through
            .contains(&(package.to_string(), function.to_string()))
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
        let get = c.acquire_function("net/http", "Get").unwrap();
        assert_eq!(
            get.release,
            Release::Method(vec!["Body".into(), "Close".into()])
        );
        assert_eq!(get.group, "unclosed-resource");
        let acquire = c.acquire_method("github.com/jackc/pgx/v5/pgxpool", "Pool", "Acquire");
        assert_eq!(acquire.unwrap().release.display(), "Release()");
        let form_file = c.acquire_method("net/http", "Request", "FormFile").unwrap();
        assert_eq!(form_file.error_result, Some(2));
        let writer = c.acquire_literal("github.com/segmentio/kafka-go", "Writer");
        assert_eq!(writer.unwrap().group, "unclosed-kafka");
        assert_eq!(
            c.acquire_function("C", "CString").unwrap().release,
            Release::Function {
                package: "C".into(),
                name: "free".into()
            }
        );
        assert!(c.is_pure_reader("io", "Copy"));
        assert!(c.is_pure_reader("C", "puts"));
        assert!(!c.is_pure_reader("os", "Open"));
        assert!(c.is_pass_through("github.com/samber/lo", "Must"));
    }

    #[test]
    fn default_names() {
        assert_eq!(default_package_name("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(default_package_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(default_package_name("net/http"), "http");
    }
}
