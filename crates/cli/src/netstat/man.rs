//! The man page's NETSTAT PERSONA section (rendered by [`crate::gen`]): every option of
//! [`super::options::netstat_command`], the forms taken from the other platforms' netstat
//! (one table: option, platform, what sockscope does) and the exit statuses.

use clap_mangen::roff::{bold, italic, roman, Roff};

use super::options::netstat_command;

fn item(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

fn para(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

/// The tag of an option as the man page shows it (`-t, --tcp`, `-A, --protocol AF[,AF...]`).
fn tag(arg: &clap::Arg) -> String {
    let mut t = String::new();
    if let Some(c) = arg.get_short() {
        t.push('-');
        t.push(c);
    }
    if let Some(l) = arg.get_long() {
        if !t.is_empty() {
            t.push_str(", ");
        }
        t.push_str("--");
        t.push_str(l);
    }
    if arg.get_action().takes_values() {
        if let Some(v) = arg.get_value_names().and_then(|v| v.first()) {
            t.push(' ');
            t.push_str(v.as_str());
        }
    }
    t
}

/// The forms of Windows and BSD/macOS netstat that sockscope accepts: (option, platform, what
/// sockscope does).
pub const PLATFORM_FORMS: [(&str, &str, &str); 6] = [
    (
        "N (a trailing number)",
        "Windows (interval), BSD (-w wait)",
        "repeats the listing every N seconds until interrupted, like -c with N seconds; \
         also repeats -s (net-tools 2.10 ignores the word)",
    ),
    (
        "-p PROTO",
        "Windows (-p proto), BSD/macOS (-p protocol)",
        "when -p ends its word and the next word is tcp, udp, tcpv6/tcp6, udpv6/udp6, raw, \
         ip, icmp, ipv6/ip6, icmpv6/icmp6, udplite or sctp (any case): selects that protocol \
         (-t, -u, -w, -U, -S; the v6 and ip/icmp words also add -6 or -4) instead of the \
         PID/Program name column; with -s it restricts the statistics; any other -p is 2.10's",
    ),
    (
        "-f inet|inet6|unix",
        "BSD/macOS (-f address_family)",
        "when -f ends its word and the next word is one of these: -A inet, -A inet6, -A unix; \
         any other -f is 2.10's (Bluetooth RFCOMM, not supported)",
    ),
    (
        "-b",
        "Windows (owning executable)",
        "the same as -p (PID/Program name)",
    ),
    (
        "/?",
        "Windows",
        "the same as -h (usage on standard output, status 0)",
    ),
    (
        "-?",
        "Windows, BSD",
        "kept as in net-tools 2.10: the usage text on standard error, status 3",
    ),
];

/// Appends the section.
pub fn section(r: &mut Roff) {
    r.control("SH", ["NETSTAT PERSONA"]);
    r.text([
        bold("netstat"),
        roman(" ["),
        italic("OPTIONS"),
        roman(
            "] writes what net-tools 2.10's netstat writes for the same arguments on the same \
             kernel state, byte for byte, with the same messages and exit status: the socket \
             tables (tcp, udp, udplite and raw from sock_diag; unix from unix_diag with RefCnt \
             and not-yet-accepted connections from /proc/net/unix), -r (IPv4 over rtnetlink; \
             IPv6 from /proc/net/ipv6_route, or built from rtnetlink above 5,000 routes, where \
             the file would take minutes to read and Ref then shows 1), -i (rtnetlink link \
             statistics and addresses, IPv6 lines from /proc/net/if_inet6), -g \
             (/proc/net/igmp, igmp6), -s (/proc/net/snmp, netstat, snmp6) and -c. Options are \
             parsed as glibc getopt_long parses netstat's table (abbreviations, permutation, \
             glibc's messages).",
        ),
    ]);
    for arg in netstat_command().get_arguments() {
        if arg.is_positional() {
            continue;
        }
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        item(r, &tag(arg), &help);
    }
    r.control("SS", ["Platform forms"]);
    para(
        r,
        "Forms of the Windows and BSD/macOS netstat that do not collide with a meaning in \
         net-tools 2.10 (elsewhere the Linux meaning wins):",
    );
    r.control("TS", []);
    r.text([roman("tab(@);\nlw(12) lw(18) lw(34).")]);
    r.text([bold("option@platform@what sockscope does")]);
    for (opt, platform, what) in PLATFORM_FORMS {
        r.text([roman(format!(
            "T{{\n{opt}\nT}}@T{{\n{platform}\nT}}@T{{\n{what}\nT}}"
        ))]);
    }
    r.control("TE", []);
    para(
        r,
        "Beyond net-tools: --json prints the rows as JSON (see docs/json.md). Names are looked \
         up in the files of /etc (hosts, networks, services, protocols, passwd) with the C \
         library's rules; DNS is not queried. Not reproduced: SCTP rows (only the presence of \
         /proc/net/sctp is checked), the AX.25, NET/ROM, IPX, X.25 and ROSE tables (their \
         /proc files no longer exist), SELinux contexts (-Z fails as on a system without \
         SELinux), and the garbage net-tools prints for -g from the second -c round on.",
    );
    para(
        r,
        "Exit statuses: 0 success (also -h, -V and --tcpip, which only prints an internal \
         error); 1 unknown address family, an explicitly requested family or protocol this \
         system lacks, -s with a family other than inet or inet6, -M, -Z; 3 option errors, \
         several of -r, -i, -s, -M, and -r with a family that has no routing table.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_lists_options_and_the_platform_table() {
        let mut r = Roff::new();
        section(&mut r);
        let text = r.render();
        assert!(text.contains(".SH \"NETSTAT PERSONA\""));
        assert!(text.contains("\\-A, \\-\\-protocol AF[,AF...]"));
        assert!(text.contains("\\-\\-numeric\\-users"));
        assert!(text.contains(".TS"));
        assert!(text.contains("Windows (owning executable)"));
    }
}
