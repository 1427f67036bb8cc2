//! Build constraints, applied as `go build` applies them: which files of a
//! directory belong to the package for one target.
//!
//! A file is left out when its name ends in another platform's suffix
//! (`_windows.go`, `_linux_arm64.go`, also before `_test.go`), when its
//! `//go:build` line (or, without one, its `// +build` lines) does not hold,
//! or when it imports "C" and cgo is off. Tags that hold: GOOS and GOARCH
//! (with `unix` for Unix systems, `linux` on android, `solaris` on illumos,
//! `darwin` on ios), `gc`, `cgo` when enabled, `go1.1` … up to the newest
//! release this goleaklint knows or the module's `go` line if newer, the
//! `-tags` given, `goexperiment.*` from GOEXPERIMENT, and the architecture
//! levels (`amd64.v2` under GOAMD64=v2, …). Nothing else holds: `ignore`
//! is never set unless asked for.
//!
//! GOOS, GOARCH, CGO_ENABLED, GOFLAGS (`-tags=…`), GOEXPERIMENT and the
//! architecture variables come from the environment or the go env file, as
//! `go env` reports them ([`env`]); goleaklint never runs `go`.

pub mod env;
pub mod expr;
pub mod header;
pub mod platforms;

use crate::gomod::GoVersion;
use env::GoEnv;
use std::path::Path;

/// The newest Go release this goleaklint knows: release tags up to
/// `go1.27` hold (or up to the module's `go` line, when newer).
pub const CURRENT_RELEASE: GoVersion = GoVersion::new(1, 27);

/// The target a run analyses for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildContext {
    /// GOOS.
    pub goos: String,
    /// GOARCH.
    pub goarch: String,
    /// Whether cgo is enabled.
    pub cgo: bool,
    /// The tags given with `-tags`.
    pub tags: Vec<String>,
    /// Tags the toolchain sets: `goexperiment.*` and architecture levels.
    pub tool_tags: Vec<String>,
    /// The newest release whose tag holds, unless a module asks for newer.
    pub release: GoVersion,
}

/// A constraint that cannot be read, which the go command reports too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintError {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Whether a file is part of its package for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It is built.
    Build,
    /// A constraint, its name or its use of cgo leaves it out.
    Excluded,
    /// Its constraint does not parse: the go command refuses the package.
    Invalid(ConstraintError),
}

impl BuildContext {
    /// The context `go env` would describe: the environment, then the go
    /// env file, then the host. `tags` (the `--tags` value) replaces the
    /// tags of GOFLAGS, as a command-line `-tags` does for the go command.
    pub fn from_env(tags: Option<&str>) -> Result<BuildContext, String> {
        BuildContext::from_go_env(&GoEnv::from_process(), tags, platforms::host(), &in_path)
    }

    /// The context from `env`, for a machine that is `host`, where
    /// `has_program(name)` tells whether a C compiler of that name is found.
    pub fn from_go_env(
        env: &GoEnv,
        tags: Option<&str>,
        host: Option<(&str, &str)>,
        has_program: &dyn Fn(&str) -> bool,
    ) -> Result<BuildContext, String> {
        let goos = env.get("GOOS").or_else(|| host.map(|h| h.0.to_string()));
        let goarch = env.get("GOARCH").or_else(|| host.map(|h| h.1.to_string()));
        let (Some(goos), Some(goarch)) = (goos, goarch) else {
            return Err(
                "this platform is not one Go builds for: set GOOS and GOARCH, \
                        or pass --all-platforms"
                    .into(),
            );
        };
        let Some(port) = platforms::port_of(&goos, &goarch) else {
            return Err(format!(
                "unsupported GOOS/GOARCH pair {goos}/{goarch} \
                 (see `go tool dist list`; --all-platforms ignores build constraints)"
            ));
        };
        let cross = host != Some((goos.as_str(), goarch.as_str()));
        let cgo = match env.get("CGO_ENABLED").as_deref() {
            Some("1") => true,
            Some("0") => false,
            // Cross builds need cgo asked for; host builds have it where a C compiler is.
            _ if cross => false,
            _ => port.cgo && (env.get("CC").is_some() || has_program(default_c_compiler(&goos))),
        };
        let tags = match tags {
            Some(t) => env::split_tags(t).map_err(|e| format!("--tags: {e}"))?,
            None => match env.get("GOFLAGS") {
                Some(flags) => env::goflags_tags(&flags)?.unwrap_or_default(),
                None => Vec::new(),
            },
        };
        let mut tool_tags = experiment_tags(env.get("GOEXPERIMENT").as_deref());
        tool_tags.extend(arch_tags(&goarch, env)?);
        Ok(BuildContext {
            goos,
            goarch,
            cgo,
            tags,
            tool_tags,
            release: CURRENT_RELEASE,
        })
    }

    /// Everything the context decides, for cache keys.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}/{} cgo={} tags={:?} tool={:?} release={}",
            self.goos, self.goarch, self.cgo, self.tags, self.tool_tags, self.release
        )
    }

    /// Whether `tag` holds in a package whose module says `go module_go`.
    pub fn matches_tag(&self, tag: &str, module_go: Option<GoVersion>) -> bool {
        if (self.cgo && tag == "cgo") || tag == self.goos || tag == self.goarch || tag == "gc" {
            return true;
        }
        let implied = matches!(
            (self.goos.as_str(), tag),
            ("android", "linux") | ("illumos", "solaris") | ("ios", "darwin")
        );
        if implied || (tag == "unix" && platforms::is_unix(&self.goos)) {
            return true;
        }
        // The old name of the experiment.
        let tag = if tag == "boringcrypto" {
            "goexperiment.boringcrypto"
        } else {
            tag
        };
        let newest = module_go.map_or(self.release, |m| m.max(self.release));
        self.tags.iter().chain(&self.tool_tags).any(|t| t == tag) || is_release_tag(tag, newest)
    }

    /// Whether a file named `name` may be built here: a `_GOOS`, `_GOARCH` or
    /// `_GOOS_GOARCH` suffix (before `.go`, or before `_test.go`) must name
    /// this target. A name that is only a suffix (`linux.go`) has none.
    pub fn matches_file_name(&self, name: &str) -> bool {
        let stem = name.split('.').next().unwrap_or(name);
        let Some(i) = stem.find('_') else {
            return true;
        };
        let mut parts: Vec<&str> = stem[i..].split('_').collect();
        if parts.last() == Some(&"test") {
            parts.pop();
        }
        let n = parts.len();
        if n >= 2 && platforms::is_known_os(parts[n - 2]) && platforms::is_known_arch(parts[n - 1])
        {
            return self.matches_tag(parts[n - 1], None) && self.matches_tag(parts[n - 2], None);
        }
        match parts.last() {
            Some(last) if platforms::is_known_os(last) || platforms::is_known_arch(last) => {
                self.matches_tag(last, None)
            }
            _ => true,
        }
    }

    /// Whether the constraints in the header of `content` hold.
    pub fn matches_header(
        &self,
        content: &str,
        module_go: Option<GoVersion>,
    ) -> Result<bool, ConstraintError> {
        let content = content.strip_prefix('\u{feff}').unwrap_or(content);
        let header = header::scan(content).map_err(|e| ConstraintError {
            line: e.line,
            column: 1,
            message: "multiple //go:build comments".into(),
        })?;
        let mut holds = |t: &str| self.matches_tag(t, module_go);
        if let Some(line) = header.go_build {
            let x = expr::parse_go_build(line.expr).map_err(|e| ConstraintError {
                line: line.line,
                column: line.column + e.offset,
                message: format!("parsing //go:build line: {}", e.message),
            })?;
            return Ok(x.eval(&mut holds));
        }
        Ok(header
            .plus_build
            .iter()
            .all(|l| expr::parse_plus_build(l.expr).eval(&mut holds)))
    }

    /// Whether the file `name`, whose text begins with `head` (through its
    /// imports), is part of its package here.
    pub fn judge(&self, name: &str, head: &str, module_go: Option<GoVersion>) -> Verdict {
        let head = head.strip_prefix('\u{feff}').unwrap_or(head);
        if !self.matches_file_name(name) {
            return Verdict::Excluded;
        }
        match self.matches_header(head, module_go) {
            Err(e) => Verdict::Invalid(e),
            Ok(false) => Verdict::Excluded,
            Ok(true) if !self.cgo && imports_c(head) => Verdict::Excluded,
            Ok(true) => Verdict::Build,
        }
    }

    /// [`BuildContext::judge`] for the file at `path`, reading as much of it
    /// as the decision needs. A file that cannot be read is kept: the
    /// engine reports why when it reads it.
    pub fn judge_path(&self, path: &Path, module_go: Option<GoVersion>) -> Verdict {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if !self.matches_file_name(&name) {
            return Verdict::Excluded;
        }
        match read_head(path) {
            Some(head) => self.judge(&name, &String::from_utf8_lossy(&head), module_go),
            None => Verdict::Build,
        }
    }
}

/// `go1.N` for 1 ≤ N ≤ the minor version of `newest`.
fn is_release_tag(tag: &str, newest: GoVersion) -> bool {
    let Some(minor) = tag.strip_prefix("go1.") else {
        return false;
    };
    let canonical =
        !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()) && !minor.starts_with('0');
    canonical
        && newest.major == 1
        && minor
            .parse::<u32>()
            .is_ok_and(|m| m >= 1 && m <= newest.minor)
}

fn imports_c(head: &str) -> bool {
    crate::facts::header::imports(head.as_bytes())
        .iter()
        .any(|i| i == "C")
}

/// `goexperiment.<name>` for each experiment GOEXPERIMENT turns on (`noX`
/// turns one off, `none` all before it). The toolchain's default
/// experiments are not known without the toolchain and are not set.
fn experiment_tags(goexperiment: Option<&str>) -> Vec<String> {
    let mut on: Vec<String> = Vec::new();
    for name in goexperiment.unwrap_or("").split(',').map(str::trim) {
        let name = name.to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if name == "none" {
            on.clear();
        } else if let Some(off) = name.strip_prefix("no") {
            on.retain(|n| n != off);
        } else if !on.contains(&name) {
            on.push(name);
        }
    }
    on.into_iter()
        .map(|n| format!("goexperiment.{n}"))
        .collect()
}

/// The architecture level tags: `amd64.v1` … `amd64.vN` for GOAMD64=vN, and
/// the like for GO386, GOARM, GOARM64, GOMIPS, GOMIPS64, GOPPC64 and GORISCV64.
fn arch_tags(goarch: &str, env: &GoEnv) -> Result<Vec<String>, String> {
    let var = |name: &str, default: &str| env.get(name).unwrap_or_else(|| default.to_string());
    let invalid =
        |name: &str, value: &str, want: &str| format!("invalid {name}={value:?}: must be {want}");
    let range = |prefix: &str, from: u32, to: u32| -> Vec<String> {
        (from..=to)
            .map(|i| format!("{goarch}.{prefix}{i}"))
            .collect()
    };
    Ok(match goarch {
        "amd64" => {
            let v = var("GOAMD64", "v1");
            match v.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) {
                Some(n @ 1..=4) => range("v", 1, n),
                _ => return Err(invalid("GOAMD64", &v, "v1, v2, v3 or v4")),
            }
        }
        "386" => {
            let v = var("GO386", "sse2");
            match v.as_str() {
                "sse2" | "softfloat" => vec![format!("386.{v}")],
                _ => return Err(invalid("GO386", &v, "sse2 or softfloat")),
            }
        }
        "arm" => {
            let v = var("GOARM", "7");
            let level = v.split(',').next().unwrap_or("");
            match level.parse::<u32>() {
                Ok(n @ 5..=7) => range("", 5, n),
                _ => return Err(invalid("GOARM", &v, "5, 6 or 7")),
            }
        }
        "arm64" => {
            let v = var("GOARM64", "v8.0");
            let level = v.split(',').next().unwrap_or("");
            let parsed = level
                .strip_prefix('v')
                .and_then(|l| l.split_once('.'))
                .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
            match parsed {
                Some((8, minor @ 0..=9)) => range("v8.", 0, minor),
                Some((9, minor @ 0..=5)) => {
                    let mut tags = range("v9.", 0, minor);
                    tags.extend(range("v8.", 0, (minor + 5).min(9)));
                    tags
                }
                _ => return Err(invalid("GOARM64", &v, "v8.0 to v8.9 or v9.0 to v9.5")),
            }
        }
        "mips" | "mipsle" | "mips64" | "mips64le" => {
            let name = if goarch.starts_with("mips64") {
                "GOMIPS64"
            } else {
                "GOMIPS"
            };
            let v = var(name, "hardfloat");
            match v.as_str() {
                "hardfloat" | "softfloat" => vec![format!("{goarch}.{v}")],
                _ => return Err(invalid(name, &v, "hardfloat or softfloat")),
            }
        }
        "ppc64" | "ppc64le" => {
            let v = var("GOPPC64", "power8");
            match v.strip_prefix("power").and_then(|n| n.parse::<u32>().ok()) {
                Some(n @ 8..=10) => range("power", 8, n),
                _ => return Err(invalid("GOPPC64", &v, "power8, power9 or power10")),
            }
        }
        "riscv64" => {
            let v = var("GORISCV64", "rva20u64");
            let levels = ["rva20u64", "rva22u64", "rva23u64"];
            match levels.iter().position(|l| *l == v) {
                Some(i) => levels[..=i]
                    .iter()
                    .map(|l| format!("riscv64.{l}"))
                    .collect(),
                None => return Err(invalid("GORISCV64", &v, "rva20u64, rva22u64 or rva23u64")),
            }
        }
        _ => Vec::new(),
    })
}

/// The C compiler the go command looks for when CC is not set.
fn default_c_compiler(goos: &str) -> &'static str {
    match goos {
        "darwin" | "ios" | "freebsd" | "openbsd" => "clang",
        _ => "gcc",
    }
}

/// Whether an executable `name` is on PATH.
fn in_path(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let p = dir.join(name);
        p.is_file() || (cfg!(windows) && p.with_extension("exe").is_file())
    })
}

/// How much of a file is read first: headers are rarely longer.
const HEAD_BYTES: u64 = 16 << 10;

/// The start of the file at `path`, through its header and imports: the
/// first 16 KiB, or the whole file when its header runs past them. `None`
/// when it cannot be read (not a regular file, too large, …).
pub fn read_head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = crate::source::open_regular(path, crate::source::MAX_SOURCE_BYTES).ok()?;
    let mut head = Vec::new();
    (&mut file).take(HEAD_BYTES).read_to_end(&mut head).ok()?;
    if head.len() as u64 == HEAD_BYTES && !header_within(&head) {
        file.take(crate::source::MAX_SOURCE_BYTES)
            .read_to_end(&mut head)
            .ok()?;
    }
    Some(head)
}

/// Whether `head` holds the whole header: the constraint lines end and the
/// declarations (after the imports) start within it.
fn header_within(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    header::scan(&text).is_ok_and(|h| h.complete) && crate::facts::header::header_ends_within(head)
}

#[cfg(test)]
mod tests;
