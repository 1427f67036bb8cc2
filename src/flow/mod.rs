//! The dataflow-lite core shared by every rule: scopes and bindings, a
//! control-flow graph per function, and path questions over it.

pub mod cfg;
pub mod channels;
pub mod function;
pub mod obligation;
pub mod package_maps;
pub mod paths;
pub mod scopes;
pub mod summary;
