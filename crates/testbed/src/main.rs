//! `sockscope-testbed`: fixtures and the dump floor for sockscope's benchmarks
//! (`cargo xtask bench` runs it; it is never shipped).
//!
//! Subcommands (each holder prints `ready N` on stdout once everything is open, then holds it
//! until stdin closes, so a parent that dies takes the fixture with it):
//! * `hold-tcp --pairs N --port P [--v6]`: one loopback listener on port P and N established
//!   client/server pairs (2N+1 descriptors).
//! * `hold-udp --count N [--v6]`: N UDP sockets bound to loopback, ephemeral ports.
//! * `hold-unix --pairs N --path PATH`: a unix stream listener at PATH and N accepted
//!   connections (2N+1 descriptors); PATH is removed on exit.
//! * `floor-dump inet|unix|route|link [...]`: one minimal netlink dump, every reply discarded
//!   (see [`floor`]); prints the message count.
//! * `time --out PATH --err PATH [--timeout SECS] -- CMD...`: runs CMD and prints its wall time, user and system
//!   time and peak RSS (see [`timer`] for why the harness does not measure by itself).
//!
//! One process may hold at most 20,000 descriptors on the benchmark machines (a hard limit), so
//! the holders refuse more than 9,900 pairs/sockets; big fixtures use several processes.
//! Only loopback is used. Run holders inside a private network namespace.
#![forbid(unsafe_code)]

mod floor;
mod hold;
mod timer;

use std::process::ExitCode;

const USAGE: &str = "usage: sockscope-testbed hold-tcp --pairs N --port P [--v6]\n\
    \x20      sockscope-testbed hold-udp --count N [--v6]\n\
    \x20      sockscope-testbed hold-unix --pairs N --path PATH\n\
    \x20      sockscope-testbed floor-dump inet [--family 4|6|46] [--states MASK] [--ext BITS]\n\
    \x20                                       [--dport P | --dport-range A B]\n\
    \x20      sockscope-testbed floor-dump unix [--states MASK] [--show BITS]\n\
    \x20      sockscope-testbed floor-dump route --family 4|6\n\
    \x20      sockscope-testbed floor-dump link [--ext-mask BITS]\n\
    \x20      sockscope-testbed time --out PATH --err PATH [--timeout SECS] -- CMD [ARGS...]\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("hold-tcp") => hold::tcp(rest),
        Some("hold-udp") => hold::udp(rest),
        Some("hold-unix") => hold::unix(rest),
        Some("floor-dump") => floor::run(rest),
        Some("time") => timer::run(rest),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sockscope-testbed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the value after option `name` (decimal, or hex with `0x`).
pub(crate) fn parse_num<T: TryFrom<u64>>(v: Option<&String>, name: &str) -> Result<T, String> {
    let s = v.ok_or_else(|| format!("{name} needs a value"))?;
    let n = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse::<u64>(),
    }
    .map_err(|_| format!("{name}: {s:?} is not a number"))?;
    T::try_from(n).map_err(|_| format!("{name}: {s} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_in_decimal_and_hex() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(parse_num::<u32>(s("0xfff").as_ref(), "--states"), Ok(0xfff));
        assert_eq!(parse_num::<u8>(s("14").as_ref(), "--ext"), Ok(14));
        assert!(parse_num::<u8>(s("256").as_ref(), "--ext").is_err());
        assert!(parse_num::<u16>(s("x").as_ref(), "--port").is_err());
        assert!(parse_num::<u16>(None, "--port").is_err());
    }
}
