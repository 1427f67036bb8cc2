//! The dataflow-lite core shared by every rule: scopes and bindings, a
//! control-flow graph per function, and path questions over it.

pub mod cfg;
pub mod cgo;
pub mod channels;
pub mod command;
pub mod function;
pub mod lifetimes;
pub mod moves;
pub mod nest;
pub mod obligation;
pub mod package_maps;
pub mod paths;
pub mod returns;
pub mod scopes;
pub mod summary;
pub mod types;
