//! The netstat persona's options: net-tools 2.10's `getopt_long` table (netstat.c `longopts[]`
//! and the optstring `A:CFMacdeghilnNoprsStuUvVWw2fx64?Z`), sockscope's additions, and the
//! same options as a clap [`Command`] for the man page and the shell completions.
//!
//! netstat's long table is parsed by [`super::args`] with glibc's rules directly (the
//! generic [`crate::getopt`] keys options by clap id and cannot reproduce two details of this
//! table: the thirteen address-family options share one `(has_arg, flag, val)` triple, so a
//! prefix matching several of them is not ambiguous and the first one wins; and `unix`
//! appears twice). A unit test keeps the two tables in step.

use clap::{Arg, ArgAction, Command};

/// What a table entry returns (glibc's `val`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    /// `1`: an address-family option (AFTRANS_OPTS); the name is the family alias.
    Family,
    /// A short option character.
    Short(u8),
    /// sockscope's `--json`.
    Json,
}

/// netstat's `longopts[]` in table order, then sockscope's `--json` (beyond net-tools).
/// (name, takes an argument, val).
pub const LONG_OPTIONS: [(&str, bool, Val); 46] = [
    ("ax25", false, Val::Family),
    ("x25", false, Val::Family),
    ("ip", false, Val::Family),
    ("ipx", false, Val::Family),
    ("appletalk", false, Val::Family),
    ("netrom", false, Val::Family),
    ("inet", false, Val::Family),
    ("inet6", false, Val::Family),
    ("ddp", false, Val::Family),
    ("rose", false, Val::Family),
    ("unix", false, Val::Family),
    ("bluetooth", false, Val::Family),
    ("tcpip", false, Val::Family),
    ("version", false, Val::Short(b'V')),
    ("interfaces", false, Val::Short(b'i')),
    ("help", false, Val::Short(b'h')),
    ("route", false, Val::Short(b'r')),
    ("masquerade", false, Val::Short(b'M')),
    ("protocol", true, Val::Short(b'A')),
    ("tcp", false, Val::Short(b't')),
    ("sctp", false, Val::Short(b'S')),
    ("udp", false, Val::Short(b'u')),
    ("udplite", false, Val::Short(b'U')),
    ("raw", false, Val::Short(b'w')),
    ("unix", false, Val::Short(b'x')),
    ("l2cap", false, Val::Short(b'2')),
    ("rfcomm", false, Val::Short(b'f')),
    ("listening", false, Val::Short(b'l')),
    ("all", false, Val::Short(b'a')),
    ("timers", false, Val::Short(b'o')),
    ("continuous", false, Val::Short(b'c')),
    ("extend", false, Val::Short(b'e')),
    ("programs", false, Val::Short(b'p')),
    ("verbose", false, Val::Short(b'v')),
    ("statistics", false, Val::Short(b's')),
    ("wide", false, Val::Short(b'W')),
    ("numeric", false, Val::Short(b'n')),
    ("numeric-hosts", false, Val::Short(b'!')),
    ("numeric-ports", false, Val::Short(b'@')),
    ("numeric-users", false, Val::Short(b'#')),
    ("symbolic", false, Val::Short(b'N')),
    ("cache", false, Val::Short(b'C')),
    ("fib", false, Val::Short(b'F')),
    ("groups", false, Val::Short(b'g')),
    ("context", false, Val::Short(b'Z')),
    ("json", false, Val::Json),
];

/// How many leading entries are address families that `case 1:` accepts (AFTRANS_CNT); the
/// 13th, `tcpip`, fails netstat's range check.
pub const AFTRANS_CNT: usize = 12;

/// netstat's optstring plus sockscope's `b` (Windows: executable owner = `-p`).
pub const SHORT_OPTIONS: &str = "A:CFMacdeghilnNoprsStuUvVWw2fx64?Zb";

/// Help heading of the socket selection options.
const SOCKETS: &str = "Socket selection";
/// Help heading of the modes.
const MODES: &str = "Modes";
/// Help heading of the address families.
const FAMILIES: &str = "Address families";
/// Help heading of the options beyond net-tools.
pub const BEYOND: &str = "Beyond net-tools";

fn flag(
    id: &'static str,
    short: Option<char>,
    long: Option<&'static str>,
    help: &'static str,
) -> Arg {
    let mut a = Arg::new(id).action(ArgAction::Count).help(help);
    if let Some(c) = short {
        a = a.short(c);
    }
    if let Some(l) = long {
        a = a.long(l);
    }
    a
}

/// The netstat persona's options as a clap command (documentation only: parsing is
/// [`super::args`]).
pub fn netstat_command() -> Command {
    Command::new("netstat")
        .bin_name("sockscope netstat")
        .about("print network connections, routing tables, interface statistics, as net-tools 2.10 netstat")
        .override_usage(
            "sockscope netstat [-vWeenNcCF] [<Af>] -r\n       \
             sockscope netstat [-vWnNcaeol] [<Socket> ...]\n       \
             sockscope netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }",
        )
        .disable_help_flag(true)
        .disable_version_flag(true)
        .args([
            flag("route", Some('r'), Some("route"), "display routing table").help_heading(MODES),
            flag("interfaces", Some('i'), Some("interfaces"), "display interface table")
                .help_heading(MODES),
            flag("groups", Some('g'), Some("groups"), "display multicast group memberships")
                .help_heading(MODES),
            flag(
                "statistics",
                Some('s'),
                Some("statistics"),
                "display networking statistics (like SNMP)",
            )
            .help_heading(MODES),
            flag("masquerade", Some('M'), Some("masquerade"), "display masqueraded connections")
                .help_heading(MODES),
            flag("verbose", Some('v'), Some("verbose"), "be verbose"),
            flag("wide", Some('W'), Some("wide"), "don't truncate IP addresses"),
            flag("numeric", Some('n'), Some("numeric"), "don't resolve names"),
            flag("numeric-hosts", None, Some("numeric-hosts"), "don't resolve host names"),
            flag("numeric-ports", None, Some("numeric-ports"), "don't resolve port names"),
            flag("numeric-users", None, Some("numeric-users"), "don't resolve user names"),
            flag("symbolic", Some('N'), Some("symbolic"), "resolve hardware names")
                .long_help("resolve hardware names (net-tools 2.10: makes -r numeric)"),
            flag("extend", Some('e'), Some("extend"), "display other/more information")
                .long_help(
                    "display other/more information: User and Inode columns; with -r, -e is the \
                     Metric/Ref/Use layout and -ee the long one; with -i, the ifconfig layout",
                ),
            flag("programs", Some('p'), Some("programs"), "display PID/Program name for sockets")
                .long_help(
                    "display PID/Program name for sockets; -p followed by a protocol word is the \
                     Windows/BSD protocol filter (see PLATFORM FORMS)",
                ),
            flag("timers", Some('o'), Some("timers"), "display timers"),
            flag("continuous", Some('c'), Some("continuous"), "continuous listing"),
            flag("listening", Some('l'), Some("listening"), "display listening server sockets"),
            flag("all", Some('a'), Some("all"), "display all sockets (default: connected)"),
            flag("fib", Some('F'), Some("fib"), "display Forwarding Information Base (default)"),
            flag("cache", Some('C'), Some("cache"), "display routing cache instead of FIB"),
            flag("context", Some('Z'), Some("context"), "display SELinux security context for sockets")
                .long_help("display SELinux security context for sockets (not supported: fails as on a system without SELinux)"),
            flag("tcp", Some('t'), Some("tcp"), "TCP sockets").help_heading(SOCKETS),
            flag("udp", Some('u'), Some("udp"), "UDP sockets").help_heading(SOCKETS),
            flag("udplite", Some('U'), Some("udplite"), "UDP-Lite sockets").help_heading(SOCKETS),
            flag("sctp", Some('S'), Some("sctp"), "SCTP sockets").help_heading(SOCKETS),
            flag("raw", Some('w'), Some("raw"), "RAW sockets").help_heading(SOCKETS),
            flag("unix-sockets", Some('x'), None, "UNIX domain sockets (also --unix)")
                .help_heading(SOCKETS),
            flag("l2cap", Some('2'), Some("l2cap"), "Bluetooth L2CAP sockets (not supported, as in Debian's build)")
                .help_heading(SOCKETS),
            flag("rfcomm", Some('f'), Some("rfcomm"), "Bluetooth RFCOMM sockets (not supported); -f FAMILY is the BSD family filter")
                .help_heading(SOCKETS),
            Arg::new("protocol")
                .short('A')
                .long("protocol")
                .action(ArgAction::Append)
                .value_name("AF[,AF...]")
                .help("address families: inet, inet6, unix, ip, ip6, tcpip, ax25, netrom, ipx, ddp, appletalk, x25, rose, econet, ash, bluetooth")
                .help_heading(FAMILIES),
            flag("ipv4", Some('4'), None, "= -A inet").help_heading(FAMILIES),
            flag("ipv6", Some('6'), None, "= -A inet6").help_heading(FAMILIES),
            flag("inet", None, Some("inet"), "= -A inet").help_heading(FAMILIES),
            flag("inet6", None, Some("inet6"), "= -A inet6").help_heading(FAMILIES),
            flag("unix", None, Some("unix"), "= -A unix").help_heading(FAMILIES),
            flag("ip", None, Some("ip"), "= -A inet").help_heading(FAMILIES),
            flag("tcpip", None, Some("tcpip"), "rejected by net-tools 2.10 (internal error message, ignored)")
                .help_heading(FAMILIES),
            flag("ax25", None, Some("ax25"), "= -A ax25").help_heading(FAMILIES),
            flag("x25", None, Some("x25"), "= -A x25").help_heading(FAMILIES),
            flag("ipx", None, Some("ipx"), "= -A ipx").help_heading(FAMILIES),
            flag("netrom", None, Some("netrom"), "= -A netrom").help_heading(FAMILIES),
            flag("rose", None, Some("rose"), "= -A rose").help_heading(FAMILIES),
            flag("ddp", None, Some("ddp"), "= -A ddp").help_heading(FAMILIES),
            flag("appletalk", None, Some("appletalk"), "= -A ddp").help_heading(FAMILIES),
            flag("bluetooth", None, Some("bluetooth"), "= -A bluetooth (not supported)")
                .help_heading(FAMILIES),
            flag("debug", Some('d'), None, "accepted, no effect"),
            flag("version", Some('V'), Some("version"), "output version information"),
            flag("help", Some('h'), Some("help"), "display this help"),
            flag("owner", Some('b'), None, "= -p (Windows)").help_heading(BEYOND),
            flag("json", None, Some("json"), "print the rows as JSON (schema in docs/json.md)")
                .help_heading(BEYOND),
            Arg::new("interval")
                .value_name("INTERVAL")
                .num_args(0..)
                .action(ArgAction::Append)
                .help("a trailing number: repeat every INTERVAL seconds (Windows/BSD); other words are ignored"),
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_is_consistent() {
        netstat_command().debug_assert();
    }

    /// Every long name and short letter of the clap command is in the parser's tables and
    /// vice versa (`--unix` is documented once).
    #[test]
    fn clap_command_matches_the_parser_tables() {
        let cmd = netstat_command();
        let mut clap_longs: Vec<&str> = cmd.get_arguments().filter_map(|a| a.get_long()).collect();
        let mut table: Vec<&str> = LONG_OPTIONS.iter().map(|o| o.0).collect();
        table.dedup_by(|a, b| a == b);
        table.sort_unstable();
        table.dedup();
        clap_longs.sort_unstable();
        assert_eq!(clap_longs, table);
        let mut shorts: Vec<char> = cmd.get_arguments().filter_map(|a| a.get_short()).collect();
        shorts.sort_unstable();
        let mut want: Vec<char> = SHORT_OPTIONS
            .chars()
            .filter(|&c| c != ':' && c != '?')
            .collect();
        want.sort_unstable();
        assert_eq!(shorts, want);
        for a in cmd.get_arguments() {
            assert!(a.get_help().is_some(), "{}", a.get_id());
        }
    }
}
