//! The `goleaklint` command.

/// mimalloc, overriding malloc for the C parser too: tree-sitter allocates and
/// frees a node per token, and glibc's allocator contends across threads.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let code = goleaklint::cli::run(std::env::args_os());
    std::process::ExitCode::from(code as u8)
}
