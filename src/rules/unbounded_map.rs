//! `unbounded-map`: a package-level map that the package only ever adds to.
//!
//! ## What it does
//! Looks at every package-level map of the package (built-in maps, map
//! fields of package-level struct values, `sync.Map` values) across all its
//! files, and reports the declaration of one that functions other than
//! `init` write with keys that are not constants, while nothing in the
//! package deletes from it, clears it, or replaces it. The package-wide scan
//! is a package fact ([`crate::flow::package_maps`]), so a file analysed
//! alone in an editor gets the same answer as the whole package. A map keyed
//! only by exported functions' parameters is reported with a condition that
//! the engine settles from the module's calls once every package ran
//! ([`crate::facts::callers`]). In a command that exits, and in a library
//! only such commands link ([`crate::facts::linkage`]), the finding is a
//! note: the map lives for one run.
//!
//! ## Why is this bad?
//! A package-level variable lives as long as the process. Every entry added
//! per request, per user or per message stays reachable forever, and the
//! heap climbs until the process is killed.
//!
//! ## Example
//! ```go
//! var cache = make(map[string][]byte)
//!
//! func Get(key string) []byte {
//!     if v, ok := cache[key]; ok {
//!         return v
//!     }
//!     v := load(key)
//!     cache[key] = v // one entry per distinct key, forever
//!     return v
//! }
//! ```
//!
//! Use instead: a bounded cache (evict when `len(cache)` passes a limit, or
//! an LRU), or entries with an expiry that a janitor deletes.

use super::{Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, Sink};
use crate::diagnostic::Severity;
use crate::facts::callers::{self, Condition};
use crate::facts::linkage::InCommands;
use crate::flow::command;
use crate::flow::package_maps::program;
use crate::flow::package_maps::MapKind;
use crate::flow::package_maps::{PackageMap, PackageMaps};

/// The `unbounded-map` rule.
pub struct UnboundedMap;

static META: RuleMeta = RuleMeta {
    name: "unbounded-map",
    family: Family::Memory,
    default_severity: Severity::Warning,
    precision: Precision::Medium,
    has_fix: false,
    doc: include_str!("../../rules/unbounded-map.md"),
};

/// Writes labelled on one finding; the rest are counted.
const MAX_WRITE_LABELS: usize = 3;

impl Rule for UnboundedMap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.fact::<crate::flow::package_maps::PackageMaps>();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        // Only a file that declares package-level variables can hold the declaration.
        file.src().contains("var")
    }

    fn check_file(&self, file: &FileContext<'_>, sink: &mut Sink<'_>) {
        let pkg = file.package;
        let mut command = None;
        for m in pkg.fact::<PackageMaps>().maps.iter() {
            if m.file != file.file_index || !m.only_grows() {
                continue;
            }
            let keys = m.keyed_by_callers();
            // Writes keyed only by configuration parameters grow the map only
            // when callers say so; without a module to ask, none do.
            if pkg.path.is_none() && keys.is_some_and(|k| k.keyed.is_empty()) {
                continue;
            }
            let command = *command.get_or_insert_with(|| {
                program::runs_and_exits(pkg.files, pkg.path, &pkg.index.name)
            }) || written_per_command_run(pkg, m);
            let (what, removal) = match m.kind {
                MapKind::Builtin => ("map", format!("`delete({}, k)`", m.name)),
                MapKind::Sync => ("sync.Map", format!("`{}.Delete(k)`", m.name)),
            };
            let message = |command: bool| {
                let lifetime = if command {
                    "until the command exits (a note: it lives for one run of a command)"
                } else {
                    "for the life of the process"
                };
                let deleted = if m.rollbacks.is_empty() {
                    "never deleted"
                } else {
                    "deleted only when adding one fails"
                };
                format!(
                    "package-level {what} {} only grows: entries are added with varying keys and {deleted}, so it holds them {lifetime}",
                    m.name
                )
            };
            let mut r = sink.report(m.span, message(command));
            if command {
                r = r.severity(Severity::Note);
            } else if let Some(path) = pkg.path {
                // A library that only commands which exit link lives as long as their run.
                r = r.in_commands(InCommands {
                    path: path.to_string(),
                    message: message(true),
                });
            }
            if let (Some(params), Some(path)) = (keys, pkg.path) {
                r = r.condition(Condition {
                    path: path.to_string(),
                    params: params.keyed.to_vec(),
                    configures: params.configured.to_vec(),
                    reach: callers::reach_of(path, &pkg.index.name),
                });
            }
            for w in m.writes.iter().take(MAX_WRITE_LABELS) {
                let label = if w.by_method {
                    "this call adds an entry"
                } else {
                    "an entry is added here"
                };
                r = r.label_in(&pkg.files[w.file].source, w.span, label);
            }
            if let Some(u) = m.rollbacks.first() {
                r = r.label_in(
                    &pkg.files[u.file].source,
                    u.span,
                    "removed only here, on failure: an entry added successfully stays",
                );
            }
            if m.writes.len() > MAX_WRITE_LABELS {
                let w = m.writes[MAX_WRITE_LABELS];
                let more = m.writes.len() - MAX_WRITE_LABELS;
                r = r.label_in(
                    &pkg.files[w.file].source,
                    w.span,
                    format!("and {more} more place(s) that add entries"),
                );
            }
            r.help(format!(
                "bound it: evict entries with {removal} once it passes a size limit or when they expire, or use a bounded (LRU) cache"
            ));
        }
    }
}

/// Whether every write of `m` sits in a function that runs once per run of
/// a command (a CLI action, a subcommand's `Execute`, outside an endless
/// loop): the map then lives
/// for one run, as a command's maps do.
fn written_per_command_run(pkg: &crate::check::PackageContext<'_>, m: &PackageMap) -> bool {
    !m.writes.is_empty()
        && m.writes.iter().all(|w| {
            pkg.files.get(w.file).is_some_and(|f| {
                f.tree
                    .root_node()
                    .descendant_for_byte_range(w.span.start, w.span.end)
                    .is_some_and(|n| command::in_command_action(n, &f.source.text))
            })
        })
}
