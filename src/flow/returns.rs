//! Functions that return what they opened: a function of the package (or,
//! through module facts, of another package of the module) whose declared
//! first result is `io.ReadCloser`, `*os.File`, `*sql.Rows`,
//! `*http.Response` or a type of its own with `Close()` acquires in its
//! caller, who must release it as if it had called `os.Open` itself.
//!
//! A function that takes a stream (`func NewDecoder(r io.Reader) io.ReadCloser`)
//! wraps what its caller owns rather than opening something new, and a test
//! helper (`func open(t *testing.T) *os.File`) registers its own cleanup:
//! neither acquires. Methods acquire only when their name says they open
//! something ([`opens`]): the rest are mostly accessors.

use crate::catalog::{Acquire, Release};
use crate::flow::scopes::Scopes;
use crate::index::{base_type, FileImports, FuncSig};
use crate::store::{PackageFact, PackageInput};
use crate::syntax::Node;
use crate::syntax::{self, kinds};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The rule that reports what a module function returns unreleased.
pub const RETURNED_GROUP: &str = "unclosed-resource";

/// A result type whose value must be released, and how messages name it:
/// `None` unless the type is one the catalogue of closers knows.
pub fn closing_result(path: &str, name: &str, pointer: bool) -> Option<(Release, &'static str)> {
    let close = || Release::Method(vec!["Close".to_string()]);
    match (path, name, pointer) {
        ("io", "ReadCloser" | "ReadWriteCloser" | "ReadSeekCloser" | "WriteCloser", false) => {
            Some((close(), "value"))
        }
        ("os", "File", true) => Some((close(), "file")),
        ("database/sql", "Rows", true) => Some((close(), "rows")),
        ("net/http", "Response", true) => Some((
            Release::Method(vec!["Body".to_string(), "Close".to_string()]),
            "response",
        )),
        _ => None,
    }
}

/// Whether a parameter of the named type `path.name` makes a function a
/// wrapper of its caller's stream or a test helper, not an opener.
pub fn wraps_stream_type(path: &str, name: &str) -> bool {
    matches!(path, "testing" | "io")
        || matches!(
            (path, name),
            ("net", "Conn")
                | ("os", "File")
                | ("bufio", "Reader" | "Writer")
                | ("net/http", "Response")
        )
}

/// [`wraps_stream_type`] for a parameter type as written in a file with
/// `imports` (`io.Reader`, `...io.Reader`, `*os.File`). An unqualified name
/// is a type of the package itself, whose import path is `own` when known:
/// inside package `io`, `Reader` is `io.Reader`.
pub fn wraps_stream(ty: &str, imports: &FileImports, own: Option<&str>) -> bool {
    let ty = ty
        .trim()
        .trim_start_matches("...")
        .trim_start_matches('*')
        .trim();
    match ty.split_once('.') {
        Some((pkg, name)) => imports
            .path_of(pkg)
            .is_some_and(|path| wraps_stream_type(path, name)),
        None => own.is_some_and(|path| wraps_stream_type(path, ty)),
    }
}

/// Whether a method's name says it opens something (`OpenReader`,
/// `NewWriter`, `Dial`): other methods returning a closer are mostly
/// accessors of something their receiver keeps (`Body()`, `Conn()`).
pub fn opens(name: &str) -> bool {
    const VERBS: &[&str] = &[
        "Open", "New", "Dial", "Create", "Connect", "Query", "Fetch", "Download", "Acquire",
    ];
    VERBS.iter().any(|v| name.starts_with(v))
}

/// Whether a function's name says it hands out something that already
/// exists (`FromContext`, `GetDefault`, `Current`): an accessor, not an opener.
/// Unexported names count too when the prefix ends a word (`getInstance`, not `getaway`).
pub fn accessor(name: &str) -> bool {
    const PREFIXES: &[&str] = &["From", "Get", "Current", "Default", "Global", "Shared"];
    PREFIXES.iter().any(|p| {
        name.starts_with(p) || {
            let lower = p.to_ascii_lowercase();
            name.strip_prefix(lower.as_str()).is_some_and(|rest| {
                rest.chars()
                    .next()
                    .is_none_or(|c| c.is_ascii_uppercase() || c == '_')
            })
        }
    })
}

/// Verbs that open a descriptor beside those of [`opens`], for bodies only:
/// `sl.listenTCP(ctx, laddr)`, `io.Pipe()`, `syscall.Socket(…)`.
const OPENS_TOO: &[&str] = &["Listen", "Accept", "Pipe", "Socket", "Mmap"];

/// Whether a function body whose result is a closer type of the package
/// shows it hands out something new that holds a resource: it starts a
/// goroutine or calls something that opens (`net.Listen`, `newConn`,
/// `OpenFile`, a catalogue acquisition), and it does not only return
/// package variables (`return std`, a singleton made once). A constructor
/// that only fills in a struct (`&notifySocket{socket: nil, path: p}`)
/// holds nothing until a later method opens it.
pub fn opens_something(
    body: Node<'_>,
    src: &str,
    acquires: &dyn Fn(&str) -> bool,
    is_package_var: &dyn Fn(Node<'_>) -> bool,
) -> bool {
    let mut opens_here = false;
    syntax::walk(body, |n| {
        match n.kind() {
            kinds::GO_STATEMENT => opens_here = true,
            kinds::CALL_EXPRESSION => {
                let name = n
                    .child_by_field_name("function")
                    .map(|f| {
                        let f = syntax::unparen(f);
                        let f = f.child_by_field_name("field").unwrap_or(f);
                        syntax::text(f, src)
                    })
                    .unwrap_or_default();
                // `newConn` opens as `NewConn` does, `MustOpenWithOption` as `OpenWithOption`.
                let bare = name
                    .strip_prefix("Must")
                    .or_else(|| name.strip_prefix("must"))
                    .unwrap_or(name);
                let exported = bare
                    .get(..1)
                    .map(str::to_ascii_uppercase)
                    .unwrap_or_default()
                    + bare.get(1..).unwrap_or_default();
                opens_here |= opens(&exported)
                    || OPENS_TOO.iter().any(|v| exported.starts_with(v))
                    || acquires(name);
            }
            _ => {}
        }
        !opens_here
    });
    if !opens_here {
        return false;
    }
    let mut returns_new = false;
    let mut returns_any = false;
    syntax::walk(body, |n| match n.kind() {
        // Results of a nested literal are not this function's.
        kinds::FUNC_LITERAL => false,
        kinds::RETURN_STATEMENT => {
            returns_any = true;
            let first = syntax::named_children(n)
                .next()
                .map(|e| syntax::expressions(e).first().copied().unwrap_or(e))
                .map(syntax::unparen);
            // A naked return hands out the named result, whatever it holds.
            returns_new |= first.is_none_or(|e| {
                !(e.kind() == kinds::IDENTIFIER && is_package_var(e)) && e.kind() != "nil"
            });
            false
        }
        _ => true,
    });
    returns_new || !returns_any
}

/// Whether a `Close` method's body releases something: it calls a function
/// or method whose name says so (`f.Close()`, `syscall.Close(fd)`,
/// `cancel()`, `close(ch)`, `t.Stop()`). A `Close` that only checks state
/// (`if !done { return io.ErrUnexpectedEOF }`) holds nothing to leak.
pub fn releases_something(body: Node<'_>, src: &str) -> bool {
    const WORDS: &[&str] = &[
        "close",
        "stop",
        "release",
        "shutdown",
        "cancel",
        "free",
        "remove",
        "unlock",
        "done",
        "put",
        "unmap",
        "kill",
        "destroy",
        "disconnect",
        "flush",
        "wait",
        "detach",
        "drain",
    ];
    let mut found = false;
    syntax::walk(body, |n| {
        if found {
            return false;
        }
        if n.kind() == kinds::CALL_EXPRESSION {
            let name = n
                .child_by_field_name("function")
                .map(|f| {
                    let f = syntax::unparen(f);
                    let f = f.child_by_field_name("field").unwrap_or(f);
                    syntax::text(f, src).to_ascii_lowercase()
                })
                .unwrap_or_default();
            found = WORDS.iter().any(|w| name.contains(w));
        }
        !found
    });
    found
}

/// The entry for a function whose results are `results` (import path, name,
/// pointer for each; `None` for other types), released by `release`.
pub fn returned_entry(
    name: &str,
    receiver: Option<&str>,
    package: &str,
    results: usize,
    last_is_error: bool,
    release: Release,
    noun: &str,
) -> Acquire {
    Acquire {
        package: package.to_string(),
        name: name.to_string(),
        receiver: receiver.map(str::to_string),
        literal: false,
        result: 0,
        error_result: (results > 1 && last_is_error).then(|| results - 1),
        release,
        group: RETURNED_GROUP.to_string(),
        noun: noun.to_string(),
    }
}

/// The package's own functions and methods that return an acquired value.
#[derive(Debug, Default)]
pub struct ReturnedAcquisitions {
    /// Functions by name.
    pub funcs: HashMap<String, Acquire>,
    /// Methods by (receiver base type, name).
    pub methods: HashMap<(String, String), Acquire>,
}

impl PackageFact for ReturnedAcquisitions {
    fn build(input: PackageInput<'_>) -> Self {
        let imports: Vec<FileImports> = input
            .files
            .iter()
            .map(|f| FileImports::read(f.tree.root_node(), &f.source.text, input.catalog))
            .collect();
        // Types whose `Close` releases something.
        let closers: HashSet<&str> = input
            .index
            .methods
            .iter()
            // io.Closer's signature: a `Close()` without an error closes a channel or the like.
            .filter(|((_, m), sig)| {
                m == "Close"
                    && sig.params.is_empty()
                    && sig.results.len() == 1
                    && sig.results[0].ty.trim() == "error"
            })
            .filter(|(_, sig)| {
                let Some(file) = input.files.get(sig.file) else {
                    return false;
                };
                file.tree
                    .root_node()
                    .descendant_for_byte_range(sig.span.start, sig.span.end)
                    .and_then(|d| d.child_by_field_name("body"))
                    .is_some_and(|b| releases_something(b, &file.source.text))
            })
            .map(|((t, _), _)| t.as_str())
            .collect();
        let acquires = |name: &str| {
            input
                .catalog
                .acquisitions()
                .iter()
                .any(|a| !a.literal && a.name == name)
        };
        // A function returning a closer of the package opens it, or hands out one that exists.
        let constructs = |sig: &FuncSig| {
            let Some(file) = input.files.get(sig.file) else {
                return false;
            };
            let Some(decl) = file
                .tree
                .root_node()
                .descendant_for_byte_range(sig.span.start, sig.span.end)
            else {
                return false;
            };
            let Some(body) = decl.child_by_field_name("body") else {
                return true;
            };
            let scopes = Scopes::of(file, decl);
            let is_package_var = |ident: Node<'_>| {
                scopes.is_free(ident)
                    && input
                        .index
                        .vars
                        .contains_key(syntax::text(ident, &file.source.text))
            };
            opens_something(body, &file.source.text, &acquires, &is_package_var)
        };
        let entry = |sig: &FuncSig| -> Option<Acquire> {
            let file_imports = imports.get(sig.file)?;
            // A parameter of a closer type of the package is wrapped, not opened:
            // `newWriter(c *conn, …) *bufWriter` writes a record stream on `c`.
            if sig.params.iter().any(|p| {
                wraps_stream(&p.ty, file_imports, None)
                    || closers.contains(base_type(
                        p.ty.trim()
                            .trim_start_matches("...")
                            .trim_start_matches('*'),
                    ))
            }) || (sig.receiver.is_none() && accessor(&sig.name))
            {
                return None;
            }
            let first = sig.results.first()?.ty.trim();
            let pointer = first.starts_with('*');
            let bare = first.trim_start_matches('*').trim();
            let (release, noun) = match bare.split_once('.') {
                Some((pkg, name)) => {
                    let path = file_imports.path_of(pkg)?;
                    closing_result(path, name, pointer)?
                }
                None if closers.contains(base_type(bare)) && constructs(sig) => {
                    (Release::Method(vec!["Close".to_string()]), "value")
                }
                None => return None,
            };
            let last_is_error = sig.results.last().is_some_and(|r| r.ty.trim() == "error");
            Some(returned_entry(
                &sig.name,
                sig.receiver.as_deref(),
                "",
                sig.results.len(),
                last_is_error,
                release,
                noun,
            ))
        };
        ReturnedAcquisitions {
            funcs: input
                .index
                .funcs
                .iter()
                .filter_map(|(n, s)| Some((n.clone(), entry(s)?)))
                .collect(),
            methods: input
                .index
                .methods
                .iter()
                .filter(|((_, name), _)| opens(name))
                .filter_map(|(k, s)| Some((k.clone(), entry(s)?)))
                .collect(),
        }
    }
}
