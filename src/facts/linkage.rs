//! Which packages of the scan only commands link: a library package that
//! the module's packages import only on the way to commands that do their
//! job and exit (a code generator's parser, a tester's harness) lives as
//! long as one run of such a command, as the command's own package does.
//!
//! Every package of the scan records what it imports and, for a command,
//! whether it runs and exits ([`Link`]); a finding that holds only for a
//! long-running process carries the note it becomes in a command
//! ([`InCommands`]) and is settled once every package has run
//! ([`resolve`]). Front ends that see no importers report it as it is.

use crate::diagnostic::{Diagnostic, Severity};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};

/// How long a command's process lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Run {
    /// It does its job and exits.
    Exits,
    /// It serves, or waits for a signal, until it is stopped.
    Serves,
}

/// How one package of the scan is linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The import path.
    pub path: String,
    /// What its non-test files import.
    pub imports: Vec<String>,
    /// For package `main`: how long it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Run>,
}

/// What a finding becomes when only commands that exit link its package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InCommands {
    /// The import path of the finding's package.
    pub path: String,
    /// The message of the note it becomes.
    pub message: String,
}

/// Settles the findings among `diags` that wait for their package's
/// importers: one whose package only exiting commands link becomes a note
/// with its command message; the others stay as they are.
pub fn resolve(diags: &mut [Diagnostic], links: &[Link]) {
    if diags.iter().all(|d| d.in_commands.is_none()) {
        return;
    }
    let graph = Importers::new(links);
    for d in diags.iter_mut() {
        if let Some(c) = d.in_commands.take() {
            if graph.only_exiting_commands(&c.path) {
                d.severity = d.severity.min(Severity::Note);
                d.message = c.message;
            }
        }
    }
}

/// The reverse import graph of the scan.
struct Importers<'a> {
    of: HashMap<&'a str, Vec<&'a Link>>,
}

impl<'a> Importers<'a> {
    fn new(links: &'a [Link]) -> Self {
        let mut of: HashMap<&str, Vec<&Link>> = HashMap::default();
        for l in links {
            for i in &l.imports {
                of.entry(i.as_str()).or_default().push(l);
            }
        }
        Importers { of }
    }

    /// Whether `path` is imported, directly or through libraries of the
    /// scan, by at least one command and by commands that exit alone: no
    /// serving command links it, and no library on the way is left without
    /// importers (whose users the scan does not see).
    fn only_exiting_commands(&self, path: &str) -> bool {
        let mut seen: HashSet<&str> = HashSet::default();
        let mut todo = vec![path];
        let mut commands = 0;
        while let Some(p) = todo.pop() {
            let Some(importers) = self.of.get(p) else {
                return false;
            };
            for l in importers {
                if !seen.insert(l.path.as_str()) {
                    continue;
                }
                match l.command {
                    Some(Run::Exits) => commands += 1,
                    Some(Run::Serves) => return false,
                    None => todo.push(&l.path),
                }
            }
        }
        commands > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(path: &str, imports: &[&str], command: Option<Run>) -> Link {
        Link {
            path: path.into(),
            imports: imports.iter().map(|s| s.to_string()).collect(),
            command,
        }
    }

    #[test]
    fn a_library_of_an_exiting_command_lives_for_its_run() {
        let links = [
            link("m/parser", &["fmt"], None),
            link("m/gen", &["m/parser"], None),
            link("m/cmd/gen", &["m/gen", "m/parser"], Some(Run::Exits)),
        ];
        let g = Importers::new(&links);
        assert!(g.only_exiting_commands("m/parser"));
        assert!(g.only_exiting_commands("m/gen"));
    }

    #[test]
    fn a_server_or_an_unseen_user_keeps_the_finding() {
        let served = [
            link("m/cache", &[], None),
            link("m/cmd/tool", &["m/cache"], Some(Run::Exits)),
            link("m/cmd/server", &["m/cache"], Some(Run::Serves)),
        ];
        assert!(!Importers::new(&served).only_exiting_commands("m/cache"));
        // `m` is the module's API: importers outside the scan may serve.
        let api = [
            link("m/cache", &[], None),
            link("m", &["m/cache"], None),
            link("m/cmd/tool", &["m/cache"], Some(Run::Exits)),
        ];
        assert!(!Importers::new(&api).only_exiting_commands("m/cache"));
        let unused = [link("m/cache", &[], None)];
        assert!(!Importers::new(&unused).only_exiting_commands("m/cache"));
    }

    #[test]
    fn cycles_end() {
        let links = [
            link("m/a", &["m/b"], None),
            link("m/b", &["m/a"], None),
            link("m/cmd", &["m/a"], Some(Run::Exits)),
        ];
        assert!(Importers::new(&links).only_exiting_commands("m/a"));
    }
}
