//! Project tasks: `cargo xtask man`, `cargo xtask completions`, `cargo xtask bench`.
fn main() {}
