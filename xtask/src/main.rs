//! Project tasks: `cargo xtask man` (writes `man/sockscope.1`) and `cargo xtask completions`
//! (writes `man/completions/{sockscope.bash,_sockscope,sockscope.fish}`), each with `--check`
//! to fail instead of writing when a file is stale. The contents come from
//! `sockscope_cli::gen`, which derives them from the ss persona's clap definition; a unit test
//! there fails when the committed files are stale, so plain `cargo test` catches a forgotten
//! regeneration.
//!
//! `cargo xtask bench [...]` times sockscope against iproute2 and net-tools on large fixtures in
//! private network namespaces (see the [`bench`] module).
//!
//! Usage: `cargo xtask <man|completions|all> [--check]`, `cargo xtask bench [--help]`.

mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use sockscope_cli::gen;

/// Which generated files a task covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Task {
    Man,
    Completions,
    All,
}

impl Task {
    fn covers(self, path: &str) -> bool {
        match self {
            Task::Man => path == gen::MAN_PAGE,
            Task::Completions => path.starts_with("completions/"),
            Task::All => true,
        }
    }
}

const USAGE: &str = "usage: cargo xtask <man|completions|all> [--check]\n\
    \x20      cargo xtask bench [--quick | --huge] [...]   (see cargo xtask bench --help)\n\
    \n  man          write man/sockscope.1\
    \n  completions  write man/completions/{sockscope.bash,_sockscope,sockscope.fish}\
    \n  all          both\
    \n  --check      do not write; fail if a file differs from what would be written\n";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    if args.first().map(String::as_str) == Some("bench") {
        return bench::main(&workspace_root(), args.get(1..).unwrap_or_default());
    }
    let mut task = None;
    let mut check = false;
    for arg in &args {
        match arg.as_str() {
            "man" => task = Some(Task::Man),
            "completions" => task = Some(Task::Completions),
            "all" => task = Some(Task::All),
            "--check" => check = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let Some(task) = task else {
        bail!("no task given\n{USAGE}");
    };
    let man_dir = workspace_root().join("man");
    let mut stale = Vec::new();
    for (path, contents) in gen::generated_files() {
        if !task.covers(&path) {
            continue;
        }
        let file = man_dir.join(&path);
        let current = std::fs::read(&file).ok();
        if current.as_deref() == Some(&contents[..]) {
            continue;
        }
        if check {
            stale.push(path);
            continue;
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&file, &contents).with_context(|| format!("writing {}", file.display()))?;
        println!("wrote man/{path}");
    }
    if !stale.is_empty() {
        bail!(
            "stale generated files: {}; run `cargo xtask all`",
            stale
                .iter()
                .map(|p| format!("man/{p}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_cover_their_files() {
        assert!(Task::Man.covers("sockscope.1"));
        assert!(!Task::Man.covers("completions/_sockscope"));
        assert!(Task::Completions.covers("completions/_sockscope"));
        assert!(!Task::Completions.covers("sockscope.1"));
        assert!(Task::All.covers("sockscope.1"));
    }

    #[test]
    fn bad_arguments_are_refused() {
        assert!(run(vec![]).is_err());
        assert!(run(vec!["bogus".into()]).is_err());
    }

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        assert!(workspace_root().join("Cargo.toml").is_file());
    }
}
