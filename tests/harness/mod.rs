//! Shared plumbing of the `ss` compatibility harness: which binaries are compared, the root
//! requirement, unique names, temporary directories and the process-wide lock that keeps
//! machine-global counters (`/proc/net/sockstat`) still while `-s` is compared.
//!
//! The harness compares the binary under test (`sockscope`, or whatever `SOCKSCOPE_TEST_BIN`
//! names) with the live reference `/usr/bin/ss` (iproute2 6.1.0) on the same kernel state.
//! `SOCKSCOPE_TEST_BIN=/usr/bin/ss cargo test --test integration` compares ss with itself and
//! must pass: that proves the fixture and the runner are deterministic.

mod child;
pub mod diff;
pub mod fixture;
pub mod mask;
pub mod netns;
pub mod owners;
pub mod runner;
pub mod sys;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The reference implementation (iproute2 6.1.0, Debian 6.1.0-3 on the CI image).
pub const REFERENCE_SS: &str = "/usr/bin/ss";

/// Environment variable that replaces the binary under test (e.g. with `/usr/bin/ss`).
pub const TEST_BIN_ENV: &str = "SOCKSCOPE_TEST_BIN";

/// Path of the binary under test: `$SOCKSCOPE_TEST_BIN` if set, else the `sockscope` binary
/// Cargo built for this test target. Made absolute so that it survives `ip netns exec`.
pub fn bin_under_test() -> PathBuf {
    let raw = match std::env::var_os(TEST_BIN_ENV) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_sockscope")),
    };
    let abs = std::fs::canonicalize(&raw).unwrap_or_else(|e| {
        panic!("binary under test {} is not usable: {e}", raw.display());
    });
    assert!(
        abs.is_file(),
        "binary under test {} is not a file",
        abs.display()
    );
    abs
}

/// Fails the calling test with a clear message unless we run as root with the tools we need.
/// Never returns early: a harness that silently skips would pass vacuously.
pub fn require_root_and_tools() {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    assert!(
        euid == 0,
        "the ss compatibility tests must run as root (they create network namespaces, \
         /etc/netns entries and packet/raw sockets); effective uid is {euid}. \
         Run them as root, e.g. `sudo -E cargo test --test integration`."
    );
    for tool in [REFERENCE_SS, "/usr/bin/unshare"] {
        assert!(Path::new(tool).is_file(), "required tool {tool} is missing");
    }
    assert!(
        find_in_path("ip").is_some(),
        "required tool `ip` (iproute2) is not in PATH"
    );
}

/// Looks a program up in `$PATH` (or the usual sbin directories, which root's PATH has).
pub fn find_in_path(prog: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    for dir in path
        .split(':')
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    {
        let candidate = Path::new(dir).join(prog);
        if !dir.is_empty() && candidate.is_file() {
            return Some(candidate);
        }
    }
    None
}

/// The `PATH` given to every compared run (the environment is otherwise cleared).
pub fn child_path_env() -> String {
    std::env::var("PATH")
        .unwrap_or_else(|_| "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// `<pid>-<n>`: unique among all harness objects of this process and of concurrent runs.
pub fn unique_suffix() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Prefix of every namespace and temporary directory the harness creates.
pub const NAME_PREFIX: &str = "sockscope-t-";

/// A directory under /tmp removed (recursively) on drop, also when the test panics.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `/tmp/sockscope-t-<pid>-<n><tag>`; mode 0755 so that every helper can enter it.
    pub fn new(tag: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{NAME_PREFIX}{}{tag}", unique_suffix()));
        if let Err(e) = std::fs::create_dir(&path) {
            panic!("cannot create temporary directory {}: {e}", path.display());
        }
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Fixture set-up/teardown holds this shared; comparisons that read machine-global counters
/// (`-s` reads the global TCP `alloc`/`orphan`/`mem` numbers of /proc/net/sockstat) hold it
/// exclusively, so that no other test group of this process creates or destroys sockets
/// between the reference run and the run under test.
static SOCKET_CHURN: RwLock<()> = RwLock::new(());

/// Taken while creating or destroying fixture sockets.
pub fn churn_guard() -> RwLockReadGuard<'static, ()> {
    SOCKET_CHURN.read().unwrap_or_else(|e| e.into_inner())
}

/// Taken while comparing output that depends on machine-global socket counters.
pub fn quiet_guard() -> RwLockWriteGuard<'static, ()> {
    SOCKET_CHURN.write().unwrap_or_else(|e| e.into_inner())
}
