//! `unclosed-kafka`: a Kafka client (kafka-go writer or reader, sarama
//! producer or consumer, confluent-kafka-go or franz-go client) is created
//! and not closed on every path, nor handed off.
//!
//! ## What it does
//! The catalogue's `[[acquire]]` entries with `group = "unclosed-kafka"`
//! (constructors and the `&kafka.Writer{…}` literal), followed by the shared
//! ownership core like `unclosed-resource`. A client created and closed in
//! one function, or stored in a struct that owns it, is not reported.
//!
//! ## Why is this bad?
//! Each client owns broker connections, buffers and background goroutines; a
//! writer created per request and never closed grows the process per request.
//!
//! ## Example
//! ```go
//! w := kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: "events"})
//! return w.WriteMessages(ctx, msg) // w is never closed
//! ```
//!
//! Use instead: `defer w.Close()` after creating it, or one shared writer.

use super::{obligation_report, Family, Precision, Rule, RuleMeta};
use crate::check::{FileContext, FunctionContext, Sink};
use crate::diagnostic::Severity;

/// The `unclosed-kafka` rule.
pub struct UnclosedKafka;

static META: RuleMeta = RuleMeta {
    name: "unclosed-kafka",
    family: Family::Resource,
    default_severity: Severity::Warning,
    precision: Precision::High,
    has_fix: true,
    doc: include_str!("../../rules/unclosed-kafka.md"),
};

impl Rule for UnclosedKafka {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn prepare(&self, pkg: &crate::check::PackageContext<'_>) {
        pkg.prepare_obligations();
    }

    fn wants_file(&self, file: &FileContext<'_>) -> bool {
        obligation_report::imports_group(file, META.name)
    }

    fn check_function(&self, f: &FunctionContext<'_, '_>, sink: &mut Sink<'_>) {
        obligation_report::report_group(f, sink, META.name, true);
    }
}
