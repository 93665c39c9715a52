//! The filter language against the live ss: every expression of `ss_compat::FILTERS` in each
//! `--filter-mode` of sockscope (auto, kernel, user; the option is appended for sockscope only,
//! the reference is always plain ss). One fixture serves all modes.
//!
//! Besides the fixture, the namespace gets a few name-database entries the expressions use:
//! `/etc/netns/<ns>/hosts` gains `multi.sockscope.test`/`multi` with three addresses (two IPv4,
//! one IPv6) and `/etc/netns/<ns>/services` is the system's file plus `sockscope-amb` with
//! different tcp and udp ports, as its last entry (see `host::parse_port` in the query crate
//! for what ss makes of that). `{FILTERS}` is a
//! directory of `-F` files: `ok` (comments, a `0` line, blank lines, an expression over
//! several lines), `long` (a line too long for ss's buffer), `nul` (a line starting with NUL).

use std::path::Path;

use crate::harness::fixture::Fixture;
use crate::harness::runner::{Place, Runner};
use crate::harness::TempDir;

/// Extra hosts lines (appended to the namespace's hosts file).
const EXTRA_HOSTS: &str = "\
198.18.0.2\tmulti.sockscope.test multi
2001:db8::1\tmulti.sockscope.test multi
127.0.0.1\tmulti.sockscope.test multi
";

/// Extra services lines.
const EXTRA_SERVICES: &str = "sockscope-amb\t7001/tcp\nsockscope-amb\t5000/udp\n";

fn write(path: &Path, data: &[u8]) {
    if let Err(e) = std::fs::write(path, data) {
        panic!("cannot write {}: {e}", path.display());
    }
}

/// Runs `sets` in the three modes (plus the default, which must equal auto); reports every
/// differing set of every mode, then fails.
pub fn filter_modes(sets: &[&str]) {
    let fx = Fixture::new();
    let etc = Path::new("/etc/netns").join(fx.ns().name());
    let hosts = std::fs::read_to_string(etc.join("hosts")).unwrap_or_default();
    write(
        &etc.join("hosts"),
        format!("{hosts}{EXTRA_HOSTS}").as_bytes(),
    );
    let services = std::fs::read("/etc/services").unwrap_or_default();
    let mut services = services;
    services.extend_from_slice(EXTRA_SERVICES.as_bytes());
    write(&etc.join("services"), &services);

    let files = TempDir::new("-filters");
    write(
        &files.path().join("ok"),
        b"# a comment\n\n0 this line is skipped (ss's bug)\n  sport = :22\n\tor\n dport = :9000 \\\n or dport = :ssh\n",
    );
    let mut long = b"sport = :22 ".repeat(90);
    long.push(b'\n');
    write(&files.path().join("long"), &long);
    write(
        &files.path().join("nul"),
        b"sport = :22\n\0 or dport = :1\n",
    );
    write(&files.path().join("empty"), b"");

    let mut failures = Vec::new();
    for mode in [None, Some("auto"), Some("kernel"), Some("user")] {
        let mut runner = Runner::new(Place::Netns {
            ns: fx.ns(),
            pidns: true,
        })
        .var("{DIR}", fx.dir().to_string_lossy().into_owned())
        .var("{FILTERS}", files.path().to_string_lossy().into_owned());
        let name = match mode {
            Some(m) => {
                runner = runner.sut_args(&["--filter-mode", m]);
                format!("filters/{m}")
            }
            None => "filters/default".to_owned(),
        };
        runner.preflight(&[
            ("-Htn state syn-recv", "127.0.0.1:7001"),
            ("-Hxa", "stream.sock"),
            ("-Htan dst multi", "198.18.0.1:8080"),
            ("-Htan dport = :sockscope-amb", "7001"),
        ]);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runner.check_group(&name, sets)
        }));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(msg);
        }
        drop(runner);
    }
    drop(fx);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
