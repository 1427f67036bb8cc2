//! The `goleaklint` command.

fn main() -> std::process::ExitCode {
    let code = goleaklint::cli::run(std::env::args_os());
    std::process::ExitCode::from(code as u8)
}
