//! The catalogue of library knowledge: which calls create a context with a
//! cancel function, which calls never return, and package names that differ
//! from their import path. Loaded from `rules/catalog.toml` (embedded) and
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
}

/// The catalogue as lookup tables.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    cancel: HashSet<(String, String)>,
    no_return: HashSet<(String, String)>,
    no_return_methods: HashSet<String>,
    no_return_methods_when: Vec<(String, HashSet<String>)>,
    package_names: HashMap<String, String>,
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

    /// Every entry in a stable order, one per line: what the catalogue knows,
    /// for keying stored results.
    pub fn canonical(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        lines.extend(self.cancel.iter().map(|(p, f)| format!("cancel {p} {f}")));
        lines.extend(
            self.no_return
                .iter()
                .map(|(p, f)| format!("no-return {p} {f}")),
        );
        lines.extend(
            self.no_return_methods
                .iter()
                .map(|m| format!("no-return-method {m}")),
        );
        for (pkg, methods) in &self.no_return_methods_when {
            let mut ms: Vec<&str> = methods.iter().map(String::as_str).collect();
            ms.sort_unstable();
            lines.push(format!("no-return-method-when {pkg} {}", ms.join(" ")));
        }
        lines.extend(
            self.package_names
                .iter()
                .map(|(p, n)| format!("package-name {p} {n}")),
        );
        lines.sort_unstable();
        lines.join("\n")
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
    }

    #[test]
    fn default_names() {
        assert_eq!(default_package_name("github.com/jackc/pgx/v5"), "pgx");
        assert_eq!(default_package_name("gopkg.in/yaml.v3"), "yaml");
        assert_eq!(default_package_name("net/http"), "http");
    }
}
