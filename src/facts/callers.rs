//! Facts that flow the reverse way of [`super::PackageFacts`]: from a
//! package to the packages it imports. A package whose map is keyed by a
//! parameter of one of its exported functions (`Component(name)` storing
//! `cache[name]`) names that parameter in its facts
//! ([`super::PackageFacts::map_keys`]); every package of the scan records
//! what its calls pass there ([`KeyArgs`]); the finding on the map waits
//! for all of them ([`Condition`]) and is settled once every package has
//! run ([`resolve`]).

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};

/// One parameter of an exported function: `Component`'s parameter 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Param {
    /// The function's name.
    pub func: String,
    /// The parameter's position.
    pub index: u16,
}

/// What one package's code passes to one keying parameter of a module
/// function: all its calls (and other uses of the function) together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyArgs {
    /// The import path of the function's package.
    pub path: String,
    /// The parameter.
    pub param: Param,
    /// How many uses of the function there are.
    pub uses: u32,
    /// Whether some use passes a value that is not bounded by the code, or
    /// uses the function as a value (called where no one sees the argument).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// Whether some call runs after initialisation (outside `init`,
    /// variable initialisers and what only they call).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub later: bool,
    /// Whether one use is both: a value not bounded by the code, passed
    /// after initialisation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_later: bool,
}

/// Who may call the functions a condition names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Only the module: an internal package, or a command's `main`.
    Module,
    /// Any importer of a public package, inside the module or not.
    Anyone,
}

/// What silences a finding once every package has run: every named
/// parameter is passed only bounded values by the module's calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The import path of the package declaring the functions.
    pub path: String,
    /// The parameters keying the map's writes.
    pub params: Vec<Param>,
    /// Who may call them.
    pub reach: Reach,
    /// Parameters of configuration functions (`AddType(ext, typ)`) keying
    /// the other writes: bounded unless some call passes a varying value
    /// after initialisation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configures: Vec<Param>,
}

impl Condition {
    /// Whether only callers in other packages can make the finding: every
    /// write is keyed by a configuration function's parameter, bounded until
    /// some caller feeds it varying values (the package's own calls are
    /// already counted, see [`crate::flow::package_maps`]). A front end that
    /// sees no importers drops it.
    pub fn needs_callers(&self) -> bool {
        self.params.is_empty()
    }

    /// Whether `args` (every package's records) show the map bounded: each
    /// parameter has at least one use, and none passes an open value. The
    /// exported API of a public package may be called from outside the
    /// module too: the module's calls stand for those only when they all run
    /// during initialisation, the way a registration API is used
    /// (`var logger = grpclog.Component("core")`).
    ///
    /// A configuration function's parameter is bounded unless a call passes
    /// a varying value after initialisation: a package that is configured
    /// by code (or by no caller in the scan) keeps its names.
    pub fn holds(&self, args: &[KeyArgs]) -> bool {
        let configured = self
            .configures
            .iter()
            .all(|p| !uses_of(args, &self.path, p).any(|a| a.open_later));
        configured
            && self.params.iter().all(|p| {
                let mut uses = 0;
                for a in uses_of(args, &self.path, p) {
                    if a.open || (self.reach == Reach::Anyone && a.later) {
                        return false;
                    }
                    uses += a.uses;
                }
                uses > 0
            })
    }
}

/// The records of `args` for the parameter `param` of a function of `path`.
fn uses_of<'a>(
    args: &'a [KeyArgs],
    path: &'a str,
    param: &'a Param,
) -> impl Iterator<Item = &'a KeyArgs> {
    args.iter()
        .filter(move |a| a.path == path && a.param == *param)
}

/// Drops the findings among `diags` that only callers in other packages
/// can make (see [`Condition::needs_callers`]), for a front end that sees no
/// importers; the other conditional findings stay as they are.
pub fn resolve_alone(diags: &mut Vec<Diagnostic>) {
    diags.retain(|d| !d.condition.as_ref().is_some_and(Condition::needs_callers));
}

/// Settles the conditional findings among `diags` with every package's
/// records `args`: drops those whose condition holds, and makes the others
/// plain findings.
pub fn resolve(diags: &mut Vec<Diagnostic>, args: &[KeyArgs]) {
    diags.retain_mut(|d| match d.condition.take() {
        Some(c) => !c.holds(args),
        None => true,
    });
}

/// Whether a package of import path `path` and clause name `name` can be
/// imported only from inside its module: an internal package (its callers
/// are below the directory that holds `internal`) or a command.
pub fn reach_of(path: &str, name: &str) -> Reach {
    if path.split('/').any(|segment| segment == "internal") || name == "main" {
        Reach::Module
    } else {
        Reach::Anyone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(func: &str, index: u16) -> Param {
        Param {
            func: func.into(),
            index,
        }
    }

    fn args(param: Param, uses: u32, open: bool, later: bool) -> KeyArgs {
        KeyArgs {
            path: "m/internal/logs".into(),
            param,
            uses,
            open,
            later,
            open_later: open && later,
        }
    }

    #[test]
    fn a_condition_needs_a_use_and_no_open_value_for_every_parameter() {
        let c = Condition {
            path: "m/internal/logs".into(),
            params: vec![param("Component", 0), param("Named", 1)],
            reach: Reach::Module,
            configures: Vec::new(),
        };
        let both = [
            args(param("Component", 0), 2, false, true),
            args(param("Named", 1), 1, false, false),
        ];
        assert!(c.holds(&both));
        // No call of Named: its callers may be anywhere.
        assert!(!c.holds(&both[..1]));
        // One package passes a request value.
        let mut open = both.to_vec();
        open.push(args(param("Named", 1), 1, true, true));
        assert!(!c.holds(&open));
        // Another package's function of the same name is not this one.
        let mut elsewhere = both.to_vec();
        elsewhere[1].path = "m/other".into();
        assert!(!c.holds(&elsewhere));
        // A public API: the module's calls must all run during initialisation.
        let public = Condition {
            reach: Reach::Anyone,
            ..c.clone()
        };
        assert!(!public.holds(&both));
        let at_init = [
            args(param("Component", 0), 2, false, false),
            args(param("Named", 1), 1, false, false),
        ];
        assert!(public.holds(&at_init));
    }

    #[test]
    fn a_configuration_parameter_grows_only_with_a_varying_value_passed_later() {
        let c = Condition {
            path: "m/internal/logs".into(),
            params: Vec::new(),
            reach: Reach::Anyone,
            configures: vec![param("AddSink", 0)],
        };
        assert!(c.needs_callers());
        // No caller in the scan, constants at any time, a varying value at start-up.
        assert!(c.holds(&[]));
        assert!(c.holds(&[args(param("AddSink", 0), 3, false, true)]));
        assert!(c.holds(&[args(param("AddSink", 0), 1, true, false)]));
        // A request handler adds what the request names.
        let per_request = args(param("AddSink", 0), 1, true, true);
        assert!(!c.holds(std::slice::from_ref(&per_request)));
        // A constant later and a varying value at start-up are not one such call.
        let mut apart = per_request;
        apart.open_later = false;
        assert!(c.holds(&[apart]));
    }

    #[test]
    fn internal_packages_and_commands_are_the_module_s_own() {
        assert_eq!(
            reach_of("example.com/m/internal/logs", "logs"),
            Reach::Module
        );
        assert_eq!(
            reach_of("example.com/m/internal", "internal"),
            Reach::Module
        );
        assert_eq!(reach_of("example.com/m/cmd/tool", "main"), Reach::Module);
        assert_eq!(reach_of("example.com/m/grpclog", "grpclog"), Reach::Anyone);
        assert_eq!(
            reach_of("example.com/m/internals", "internals"),
            Reach::Anyone
        );
    }
}
