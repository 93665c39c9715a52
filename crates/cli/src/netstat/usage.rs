//! net-tools 2.10 netstat's fixed texts: the usage (netstat.c `usage`), whose last part, the
//! routable address families (lib/af.c `print_aflist`), always goes to stderr; the version
//! (`-V`); and the messages of its option handling.

/// The usage text up to `List of possible address families (which support routing):`.
pub const USAGE: &str = "\
usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface table
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)
        -M, --masquerade         display masqueraded connections

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB
        -Z, --context            display SELinux security context for sockets

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
";

/// The routable families, always printed on stderr.
pub const AF_LIST: &str = "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n    ddp (Appletalk DDP) x25 (CCITT X.25) \n";

/// `netstat -V`.
pub const VERSION: &str = "net-tools 2.10\n\
Fred Baumgarten, Alan Cox, Bernd Eckenfels, Phil Blundell, Tuan Hoang, Brian Micek and others\n\
+NEW_ADDRT +RTF_IRTT +RTF_REJECT +FW_MASQUERADE +I18N +SELINUX\n\
AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\n\
HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 \n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_32_lines_and_matches_the_capture_shape() {
        assert_eq!(USAGE.lines().count(), 32);
        assert!(USAGE.contains("-M, --masquerade         display masqueraded connections\n\n"));
        assert!(USAGE.contains("-c, --continuous         continuous listing\n\n"));
        assert!(AF_LIST.lines().all(|l| l.ends_with(' ')));
        assert_eq!(VERSION.lines().count(), 5);
        assert!(VERSION.ends_with("+EUI64 \n"));
    }
}
