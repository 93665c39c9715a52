//! The `sockscope` binary: everything lives in `sockscope-cli`.
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(sockscope_cli::main());
}
