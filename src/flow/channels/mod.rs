//! Channels a function makes and what happens to them: the `make` and its
//! capacity, every use classified (send, receive, range, close, hand-off to a
//! goroutine, escape) with the place it runs (the function itself, a goroutine
//! it starts, a deferred call, a callback a helper runs at its call, another
//! closure), the goroutines a `go`
//! statement starts, and path counts of receives and sends.
//!
//! The goroutine rules ask these questions; they never walk raw trees for them.

mod callbacks;
mod counts;
mod goroutines;
mod local;
mod loops;
mod uses;

pub use callbacks::*;
pub use counts::*;
pub use goroutines::*;
pub use local::*;
pub use loops::*;
pub use uses::*;
