//! The ss persona's options as a clap [`Command`]: the single source of truth for the option
//! table that [`crate::getopt`] parses with, for the man page and for the shell completions.
//!
//! Arguments are defined in the order of ss 6.1's `long_opts[]` table (misc/ss.c), because
//! glibc lists ambiguous abbreviations in table order (`ss --=x` shows them all); that is why
//! `-A`'s long name is `--socket` with `--query` as its alias (`socket` comes first in ss's
//! table). `display_order` puts them in the order of ss's usage text for the man page.
//! The short option set equals ss's optstring `dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO`
//! plus sockscope's `j` (`-v` is a hidden alias of `-V`, as in ss).
//!
//! Nothing here parses or acts on options; see [`super::args`].

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command, ValueHint};

/// Argument ids (the ss long option names; `-A` is [`id::QUERY`], `-v` folds into [`id::VERSION`]).
pub mod id {
    pub const NUMERIC: &str = "numeric";
    pub const RESOLVE: &str = "resolve";
    pub const OPTIONS: &str = "options";
    pub const EXTENDED: &str = "extended";
    pub const MEMORY: &str = "memory";
    pub const INFO: &str = "info";
    pub const PROCESSES: &str = "processes";
    pub const THREADS: &str = "threads";
    pub const BPF: &str = "bpf";
    pub const EVENTS: &str = "events";
    pub const DCCP: &str = "dccp";
    pub const TCP: &str = "tcp";
    pub const SCTP: &str = "sctp";
    pub const UDP: &str = "udp";
    pub const RAW: &str = "raw";
    pub const UNIX: &str = "unix";
    pub const TIPC: &str = "tipc";
    pub const VSOCK: &str = "vsock";
    pub const ALL: &str = "all";
    pub const LISTENING: &str = "listening";
    pub const IPV4: &str = "ipv4";
    pub const IPV6: &str = "ipv6";
    pub const PACKET: &str = "packet";
    pub const FAMILY: &str = "family";
    pub const QUERY: &str = "query";
    pub const SUMMARY: &str = "summary";
    pub const DIAG: &str = "diag";
    pub const FILTER: &str = "filter";
    pub const VERSION: &str = "version";
    pub const HELP: &str = "help";
    pub const CONTEXT: &str = "context";
    pub const CONTEXTS: &str = "contexts";
    pub const NET: &str = "net";
    pub const TIPCINFO: &str = "tipcinfo";
    pub const TOS: &str = "tos";
    pub const CGROUP: &str = "cgroup";
    pub const KILL: &str = "kill";
    pub const NO_HEADER: &str = "no-header";
    pub const XDP: &str = "xdp";
    pub const MPTCP: &str = "mptcp";
    pub const ONELINE: &str = "oneline";
    pub const INET_SOCKOPT: &str = "inet-sockopt";
    /// sockscope extension: JSON output.
    pub const JSON: &str = "json";
    /// sockscope extension: where the filter expression is applied.
    pub const FILTER_MODE: &str = "filter-mode";
    /// The positional FILTER words (state words and the filter expression).
    pub const WORDS: &str = "FILTER";
}

/// Help heading of the socket selection options.
const SELECTION: &str = "Socket selection";
/// Help heading of `-A`, `-D`, `-F`.
const QUERYING: &str = "Query and filter";
/// Help heading of the options ss does not have.
pub const BEYOND_SS: &str = "Beyond ss";

/// `--filter-mode` values.
pub const FILTER_MODES: [&str; 3] = ["auto", "kernel", "user"];

/// `-f` values as ss accepts them (`help` prints the usage text).
pub const FAMILIES: [&str; 9] = [
    "inet", "inet6", "link", "unix", "netlink", "vsock", "tipc", "xdp", "help",
];

/// `-A` table names, aliases included (each may be prefixed by `!`, several joined by `,`).
pub const QUERY_NAMES: [&str; 28] = [
    "all",
    "inet",
    "tcp",
    "mptcp",
    "udp",
    "raw",
    "unix",
    "unix_dgram",
    "unix_stream",
    "unix_seqpacket",
    "u_dgr",
    "u_str",
    "u_seq",
    "packet",
    "packet_raw",
    "packet_dgram",
    "p_raw",
    "p_dgr",
    "netlink",
    "dccp",
    "sctp",
    "vsock",
    "vsock_stream",
    "vsock_dgram",
    "v_str",
    "v_dgr",
    "tipc",
    "xdp",
];

/// A flag (no value).
fn flag(id: &'static str, short: Option<char>, help: &'static str) -> Arg {
    let arg = Arg::new(id).long(id).action(ArgAction::SetTrue).help(help);
    match short {
        Some(c) => arg.short(c),
        None => arg,
    }
}

/// An option with a required value.
fn valued(id: &'static str, short: char, name: &'static str, help: &'static str) -> Arg {
    Arg::new(id)
        .short(short)
        .long(id)
        .action(ArgAction::Set)
        .value_name(name)
        .help(help)
}

/// The ss persona's command: every ss 6.1 option plus sockscope's `-j/--json`.
pub fn ss_command() -> Command {
    Command::new("sockscope")
        .bin_name("sockscope")
        .version(env!("CARGO_PKG_VERSION"))
        .about("investigate sockets, compatible with ss from iproute2 6.1")
        .long_about(
            "sockscope lists the sockets of the running system the way ss(8) from iproute2 6.1.0 \
             does, with the same options, filter language, output bytes and exit statuses, \
             reading them over netlink sock_diag.\n\
             \n\
             Run as ss (through a link or a copy named ss) or as sockscope, it behaves as ss; \
             see PERSONAS for the netstat and ip personas.",
        )
        .override_usage("sockscope [OPTIONS] [FILTER]...")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .args([
            flag(id::NUMERIC, Some('n'), "don't resolve service names").long_help(
                "Do not resolve service names: ports, netlink protocols and owners and packet \
                 protocols are shown as numbers.",
            ),
            flag(id::RESOLVE, Some('r'), "resolve host names")
                .long_help("Resolve numeric addresses to host names."),
            flag(id::OPTIONS, Some('o'), "show timer information"),
            flag(id::EXTENDED, Some('e'), "show detailed socket information").long_help(
                "Show detailed socket information (uid, inode, cookie, ...); implies -o.",
            ),
            flag(id::MEMORY, Some('m'), "show socket memory usage"),
            flag(id::INFO, Some('i'), "show internal TCP information"),
            flag(id::PROCESSES, Some('p'), "show process using socket"),
            flag(id::THREADS, Some('T'), "show thread using socket"),
            flag(id::BPF, Some('b'), "show bpf filter socket information")
                .long_help("Show classic BPF filters of packet sockets; implies -o."),
            flag(
                id::EVENTS,
                Some('E'),
                "continually display sockets as they are destroyed",
            ),
            flag(id::DCCP, Some('d'), "display only DCCP sockets").help_heading(SELECTION),
            flag(id::TCP, Some('t'), "display only TCP sockets").help_heading(SELECTION),
            flag(id::SCTP, Some('S'), "display only SCTP sockets").help_heading(SELECTION),
            flag(id::UDP, Some('u'), "display only UDP sockets").help_heading(SELECTION),
            flag(id::RAW, Some('w'), "display only RAW sockets").help_heading(SELECTION),
            flag(id::UNIX, Some('x'), "display only Unix domain sockets").help_heading(SELECTION),
            flag(id::TIPC, None, "display only TIPC sockets").help_heading(SELECTION),
            flag(id::VSOCK, None, "display only vsock sockets").help_heading(SELECTION),
            flag(id::ALL, Some('a'), "display all sockets")
                .long_help("Display sockets in every state (the last of -a and -l wins)."),
            flag(id::LISTENING, Some('l'), "display listening sockets").long_help(
                "Display listening and unconnected sockets only (the last of -a and -l wins).",
            ),
            flag(id::IPV4, Some('4'), "display only IP version 4 sockets").help_heading(SELECTION),
            flag(id::IPV6, Some('6'), "display only IP version 6 sockets").help_heading(SELECTION),
            flag(id::PACKET, Some('0'), "display PACKET sockets").help_heading(SELECTION),
            valued(id::FAMILY, 'f', "FAMILY", "display sockets of type FAMILY")
                .long_help(
                    "Display sockets of type FAMILY: inet, inet6, link, unix, netlink, vsock, \
                     tipc or xdp; help prints the usage text. Several family options add up; the \
                     last one is the preferred family.",
                )
                .value_parser(PossibleValuesParser::new(FAMILIES))
                .hide_possible_values(true)
                .help_heading(SELECTION),
            valued(
                id::QUERY,
                'A',
                "QUERY",
                "comma-separated list of socket tables to show",
            )
            .long(QUERY_LONG)
            .visible_alias(QUERY_ALIAS)
            .long_help(
                "Comma-separated list of socket tables to show (also --query=QUERY): all (every \
                 table but tipc), inet (tcp, mptcp, udp, dccp, sctp, raw), tcp, mptcp, udp, \
                 raw, dccp, sctp, unix, unix_dgram (u_dgr), unix_stream (u_str), \
                 unix_seqpacket (u_seq), packet, packet_raw (p_raw), packet_dgram (p_dgr), \
                 netlink, vsock, vsock_stream (v_str), vsock_dgram (v_dgr), tipc, xdp. A name \
                 prefixed by ! removes its tables. The first -A discards the tables chosen \
                 before it and, without -a or -l, shows connected sockets only.",
            )
            .value_parser(PossibleValuesParser::new(QUERY_NAMES))
            .hide_possible_values(true)
            .help_heading(QUERYING),
            flag(id::SUMMARY, Some('s'), "show socket usage summary"),
            valued(
                id::DIAG,
                'D',
                "FILE",
                "Dump raw information about TCP sockets to FILE",
            )
            .long_help("Dump raw information about TCP sockets to FILE (- is stdout) and exit.")
            .value_hint(ValueHint::FilePath)
            .help_heading(QUERYING),
            valued(id::FILTER, 'F', "FILE", "read filter information from FILE")
                .long_help("Read the filter from FILE (- or anything starting with - is stdin).")
                .value_hint(ValueHint::FilePath)
                .help_heading(QUERYING),
            flag(id::VERSION, Some('V'), "output version information").short_alias('v'),
            flag(id::HELP, Some('h'), "this message"),
            flag(
                id::CONTEXT,
                Some('Z'),
                "display task SELinux security contexts",
            ),
            flag(
                id::CONTEXTS,
                Some('z'),
                "display task and socket SELinux security contexts",
            ),
            valued(
                id::NET,
                'N',
                "NAME",
                "switch to the specified network namespace name",
            )
            .long_help(
                "Switch to the network namespace NAME (/var/run/netns/NAME) before doing \
                 anything else.",
            ),
            flag(id::TIPCINFO, None, "show internal tipc socket information"),
            flag(id::TOS, None, "show tos and priority information"),
            flag(id::CGROUP, None, "show cgroup information"),
            flag(
                id::KILL,
                Some('K'),
                "forcibly close sockets, display what was closed",
            ),
            flag(id::NO_HEADER, Some('H'), "Suppress header line"),
            flag(id::XDP, None, "display only XDP sockets").help_heading(SELECTION),
            flag(id::MPTCP, Some('M'), "display only MPTCP sockets").help_heading(SELECTION),
            flag(
                id::ONELINE,
                Some('O'),
                "socket's data printed on a single line",
            ),
            flag(id::INET_SOCKOPT, None, "show various inet socket options"),
            flag(id::JSON, Some('j'), "print the sockets as JSON")
                .long_help(
                    "Print the sockets as JSON instead of ss's table (sockscope extension: ss \
                     6.1 has no -j and rejects it as an invalid option).",
                )
                .help_heading(BEYOND_SS),
            Arg::new(id::FILTER_MODE)
                .long(id::FILTER_MODE)
                .action(ArgAction::Set)
                .value_name("MODE")
                .value_parser(PossibleValuesParser::new(FILTER_MODES))
                .help("where the filter expression is applied: auto, kernel or user")
                .long_help(
                    "Where the filter expression is applied (sockscope extension). auto (the \
                     default) does what ss does: inet sockets are filtered by the kernel with \
                     ss's bytecode when the expression compiles (not with dev) and every socket \
                     is checked again in user space. user sends no bytecode and applies ss's \
                     user-space and kernel rules itself; the kernel's bind-port lock (used by \
                     autobound) is not visible there, so explicitly bound ports inside the \
                     ephemeral range count as autobound. kernel sends a program that makes the \
                     kernel apply both rule sets (dev included) and does not check inet \
                     sockets again; expressions with unix, link, netlink or vsock addresses \
                     fall back to auto. All three select the same sockets otherwise. \
                     Abbreviations of ss's own long options keep their ss meaning (--filt is \
                     --filter).",
                )
                .help_heading(BEYOND_SS),
            Arg::new(id::WORDS)
                .value_name("FILTER")
                .num_args(0..)
                .action(ArgAction::Append)
                .help("state words and a filter expression (see FILTER)"),
        ])
        .mut_args(|arg| {
            let order = USAGE_ORDER
                .iter()
                .position(|&id| id == arg.get_id().as_str())
                .unwrap_or(USAGE_ORDER.len());
            arg.display_order(order)
        })
}

/// The order of ss's usage text (§1.6), used as the man page's display order.
const USAGE_ORDER: [&str; 45] = [
    id::HELP,
    id::VERSION,
    id::NUMERIC,
    id::RESOLVE,
    id::ALL,
    id::LISTENING,
    id::OPTIONS,
    id::EXTENDED,
    id::MEMORY,
    id::PROCESSES,
    id::THREADS,
    id::INFO,
    id::TIPCINFO,
    id::SUMMARY,
    id::TOS,
    id::CGROUP,
    id::BPF,
    id::EVENTS,
    id::CONTEXT,
    id::CONTEXTS,
    id::NET,
    id::IPV4,
    id::IPV6,
    id::PACKET,
    id::TCP,
    id::MPTCP,
    id::SCTP,
    id::UDP,
    id::DCCP,
    id::RAW,
    id::UNIX,
    id::TIPC,
    id::VSOCK,
    id::XDP,
    id::FAMILY,
    id::KILL,
    id::NO_HEADER,
    id::ONELINE,
    id::INET_SOCKOPT,
    id::QUERY,
    id::DIAG,
    id::FILTER,
    id::JSON,
    id::FILTER_MODE,
    id::WORDS,
];

/// `-A`'s long name as getopt sees it first (ss's table has `socket` before `query`).
const QUERY_LONG: &str = "socket";
/// `-A`'s second long name.
const QUERY_ALIAS: &str = "query";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getopt::OptionTable;

    #[test]
    fn command_is_consistent() {
        ss_command().debug_assert();
    }

    #[test]
    fn optstring_is_ss_plus_j() {
        let table = OptionTable::from_command(&ss_command());
        let mut ours: Vec<char> = table.optstring().chars().collect();
        let mut ss: Vec<char> = "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSOj"
            .chars()
            .collect();
        // Compare as sets of "c" / "c:" tokens.
        let tokens = |v: &mut Vec<char>| {
            let mut t: Vec<String> = Vec::new();
            for c in v.drain(..) {
                if c == ':' {
                    if let Some(last) = t.last_mut() {
                        last.push(':');
                    }
                } else {
                    t.push(c.to_string());
                }
            }
            t.sort();
            t
        };
        assert_eq!(tokens(&mut ours), tokens(&mut ss));
    }

    #[test]
    fn long_names_follow_ss_long_opts_order() {
        let table = OptionTable::from_command(&ss_command());
        let names: Vec<&str> = table.long_names().collect();
        let ss = [
            "numeric",
            "resolve",
            "options",
            "extended",
            "memory",
            "info",
            "processes",
            "threads",
            "bpf",
            "events",
            "dccp",
            "tcp",
            "sctp",
            "udp",
            "raw",
            "unix",
            "tipc",
            "vsock",
            "all",
            "listening",
            "ipv4",
            "ipv6",
            "packet",
            "family",
            "socket",
            "query",
            "summary",
            "diag",
            "filter",
            "version",
            "help",
            "context",
            "contexts",
            "net",
            "tipcinfo",
            "tos",
            "cgroup",
            "kill",
            "no-header",
            "xdp",
            "mptcp",
            "oneline",
            "inet-sockopt",
            "json",
            "filter-mode",
        ];
        assert_eq!(names, ss);
    }

    #[test]
    fn usage_order_lists_every_argument_once() {
        let cmd = ss_command();
        assert_eq!(cmd.get_arguments().count(), USAGE_ORDER.len());
        for arg in cmd.get_arguments() {
            let n = USAGE_ORDER
                .iter()
                .filter(|&&i| i == arg.get_id().as_str())
                .count();
            assert_eq!(n, 1, "{}", arg.get_id());
        }
    }

    #[test]
    fn every_option_has_help() {
        for arg in ss_command().get_arguments() {
            assert!(arg.get_help().is_some(), "{}", arg.get_id());
        }
    }
}
