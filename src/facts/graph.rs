//! The in-module import graph of the packages to analyse, from their files'
//! headers: what [`super::schedule::Plan`] orders.

use super::header;
use super::schedule::Node;
use crate::discover::PackageInput;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

/// The packages' import paths and in-module imports.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    /// One node per package, in input order.
    pub nodes: Vec<Node>,
    /// Each package's import path; `None` outside a module.
    pub paths: Vec<Option<String>>,
}

impl ModuleGraph {
    /// Reads the headers of every package's files (in parallel) and links
    /// each package to the packages of its own module it imports. Imports of
    /// packages that are not among `packages` are left out: their facts are
    /// unknown, which rules treat as knowing nothing.
    pub fn build(packages: &[PackageInput]) -> ModuleGraph {
        struct Read {
            root: Option<PathBuf>,
            path: Option<String>,
            imports: Vec<String>,
            test_imports: Vec<String>,
        }
        let read: Vec<Read> = packages
            .par_iter()
            .map(|p| {
                let module = p.module.as_deref();
                let path = module.and_then(|m| super::import_path(&m.path, &m.root, &p.dir));
                let (mut imports, mut test_imports) = (Vec::new(), Vec::new());
                if let (Some(m), Some(_)) = (module, &path) {
                    for f in &p.files {
                        let found = match &f.overlay {
                            Some(text) => header::imports(text.as_bytes()),
                            None => header::file_imports(&f.path),
                        };
                        let test = f.path.to_string_lossy().ends_with("_test.go");
                        let into = if test {
                            &mut test_imports
                        } else {
                            &mut imports
                        };
                        into.extend(found.into_iter().filter(|i| super::in_module(&m.path, i)));
                    }
                }
                Read {
                    root: module.map(|m| m.root.clone()),
                    path,
                    imports,
                    test_imports,
                }
            })
            .collect();
        let mut index: HashMap<(&PathBuf, &str), usize> = HashMap::default();
        for (i, r) in read.iter().enumerate() {
            if let (Some(root), Some(path)) = (&r.root, &r.path) {
                index.entry((root, path.as_str())).or_insert(i);
            }
        }
        let resolve = |r: &Read, imports: &[String]| -> Vec<usize> {
            let Some(root) = &r.root else {
                return Vec::new();
            };
            let mut v: Vec<usize> = imports
                .iter()
                .filter_map(|i| index.get(&(root, i.as_str())).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let nodes = read
            .iter()
            .zip(packages)
            .map(|(r, p)| Node {
                deps: resolve(r, &r.imports),
                test_deps: resolve(r, &r.test_imports),
                weight: p.files.len(),
            })
            .collect();
        ModuleGraph {
            nodes,
            paths: read.into_iter().map(|r| r.path).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{discover, DiscoverOptions};

    #[test]
    fn links_packages_of_one_module() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let write = |p: &str, text: &str| {
            let p = d.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("go.mod", "module example.com/m\n\ngo 1.21\n");
        write("a/a.go", "package a\n\nimport \"io\"\n");
        write(
            "b/b.go",
            "package b\n\nimport (\n\t\"example.com/m/a\"\n\t\"example.com/m/gone\"\n)\n",
        );
        write(
            "b/b_test.go",
            "package b_test\n\nimport \"example.com/m/b\"\nimport \"example.com/m/c\"\n",
        );
        write("c/c.go", "package c\n\nimport \"example.com/m/b\"\n");
        write("other/go.mod", "module example.com/other\n");
        write("other/o.go", "package o\n\nimport \"example.com/m/a\"\n");
        let found = discover(d, &["./...".into()], &DiscoverOptions::default()).unwrap();
        let g = ModuleGraph::build(&found.packages);
        let paths: Vec<_> = g.paths.iter().map(|p| p.as_deref().unwrap()).collect();
        assert_eq!(
            paths,
            [
                "example.com/m/a",
                "example.com/m/b",
                "example.com/m/c",
                "example.com/other"
            ]
        );
        assert_eq!(g.nodes[1].deps, [0]);
        // b's own path is a self-edge, which the plan ignores.
        assert_eq!(g.nodes[1].test_deps, [1, 2]);
        assert_eq!(g.nodes[2].deps, [1]);
        // Another module's import of example.com/m/a is not an in-module edge.
        assert!(g.nodes[3].deps.is_empty());
    }
}
