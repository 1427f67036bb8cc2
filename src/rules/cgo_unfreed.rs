//! `cgo-unfreed`: memory from `C.CString`, `C.CBytes`, `C.malloc` or
//! `C.calloc` is not passed to `C.free` on every path, nor handed off.
//!
//! ## What it does
//! The catalogue's `[[acquire]]` entries of package `C` (`group =
//! "cgo-unfreed"`, released by `C.free`), followed by the shared ownership
//! core. `C.free(unsafe.Pointer(p))` counts, deferred or not; passing the
//! pointer to another C function is a use, not a hand-off (`C` is a pure
//! reader in the catalogue), unless the preamble's definition or the call
//! site shows it takes ownership (`free` passed as the destructor, a
//! CoreFoundation `…NoCopy` constructor given a deallocator).
//!
//! ## Why is this bad?
//! The Go garbage collector never frees C memory: every call leaks it for the
//! life of the process, invisible to Go's heap profile.
//!
//! ## Example
//! ```go
//! cs := C.CString(name)
//! C.greet(cs) // cs is never freed
//! ```
//!
//! Use instead: `defer C.free(unsafe.Pointer(cs))` after the allocation.

use super::{obligation_report, Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;

/// The `cgo-unfreed` rule.
pub struct CgoUnfreed;

static META: RuleMeta = RuleMeta {
    name: "cgo-unfreed",
    family: Family::Memory,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: false,
    doc: include_str!("../../rules/cgo-unfreed.md"),
};

impl Rule for CgoUnfreed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        file.imports("C")
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        obligation_report::report_group(f, sink, META.name, false);
    }
}
