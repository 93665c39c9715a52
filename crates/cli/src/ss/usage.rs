//! The ss 6.1 usage text (spec §1.6) and version line, byte for byte.
//!
//! `ss -h` and `ss -f help` print [`USAGE`] on stdout (exit 0); every usage error prints it on
//! stderr after its message (exit 255). The text is fixed: it always says `ss`, whatever
//! `argv[0]` is, because ss's `_usage()` has the name written into the string.

/// The usage text (ends with a newline, no trailing blank line).
pub const USAGE: &str = concat!(
    "Usage: ss [ OPTIONS ]\n",
    "       ss [ OPTIONS ] [ FILTER ]\n",
    "   -h, --help          this message\n",
    "   -V, --version       output version information\n",
    "   -n, --numeric       don't resolve service names\n",
    "   -r, --resolve       resolve host names\n",
    "   -a, --all           display all sockets\n",
    "   -l, --listening     display listening sockets\n",
    "   -o, --options       show timer information\n",
    "   -e, --extended      show detailed socket information\n",
    "   -m, --memory        show socket memory usage\n",
    "   -p, --processes     show process using socket\n",
    "   -T, --threads       show thread using socket\n",
    "   -i, --info          show internal TCP information\n",
    "       --tipcinfo      show internal tipc socket information\n",
    "   -s, --summary       show socket usage summary\n",
    "       --tos           show tos and priority information\n",
    "       --cgroup        show cgroup information\n",
    "   -b, --bpf           show bpf filter socket information\n",
    "   -E, --events        continually display sockets as they are destroyed\n",
    "   -Z, --context       display task SELinux security contexts\n",
    "   -z, --contexts      display task and socket SELinux security contexts\n",
    "   -N, --net           switch to the specified network namespace name\n",
    "\n",
    "   -4, --ipv4          display only IP version 4 sockets\n",
    "   -6, --ipv6          display only IP version 6 sockets\n",
    "   -0, --packet        display PACKET sockets\n",
    "   -t, --tcp           display only TCP sockets\n",
    "   -M, --mptcp         display only MPTCP sockets\n",
    "   -S, --sctp          display only SCTP sockets\n",
    "   -u, --udp           display only UDP sockets\n",
    "   -d, --dccp          display only DCCP sockets\n",
    "   -w, --raw           display only RAW sockets\n",
    "   -x, --unix          display only Unix domain sockets\n",
    "       --tipc          display only TIPC sockets\n",
    "       --vsock         display only vsock sockets\n",
    "       --xdp           display only XDP sockets\n",
    "   -f, --family=FAMILY display sockets of type FAMILY\n",
    "       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n",
    "\n",
    "   -K, --kill          forcibly close sockets, display what was closed\n",
    "   -H, --no-header     Suppress header line\n",
    "   -O, --oneline       socket's data printed on a single line\n",
    "       --inet-sockopt  show various inet socket options\n",
    "\n",
    "   -A, --query=QUERY, --socket=QUERY\n",
    "       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]\n",
    "\n",
    "   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n",
    "   -F, --filter=FILE   read filter information from FILE\n",
    "       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]\n",
    "       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n",
    "         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}\n",
    "          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n",
    "       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n",
    "             bucket := {syn-recv|time-wait}\n",
    "                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n",
);

/// `ss -V` / `ss -v` / `ss --version` output.
pub const VERSION: &str = "ss utility, iproute2-6.1.0\n";

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a 64 of the bytes, to pin the text without a copy of the capture.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }

    #[test]
    fn usage_matches_the_capture() {
        // FNV-1a of samples/ss/77.out (`ss -h` on the reference machine), 3144 bytes.
        assert_eq!(fnv1a(USAGE.as_bytes()), 0x8d81d94791ebd68f);
    }

    #[test]
    fn usage_matches_the_spec_text_when_available() {
        // The spec's §1.6 block; the shared/ folder sits beside the repository.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/spec/ss-6.1.md"
        );
        let Ok(spec) = std::fs::read_to_string(path) else {
            return; // covered by usage_matches_the_capture
        };
        let start = spec.find("```\nUsage: ss [ OPTIONS ]").map(|i| i + 4);
        let block = start.and_then(|s| spec[s..].find("```").map(|e| &spec[s..s + e]));
        assert_eq!(block, Some(USAGE));
    }

    #[test]
    fn usage_shape() {
        assert!(USAGE.starts_with("Usage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n"));
        assert!(USAGE.ends_with("listening|closing}\n"));
        assert_eq!(USAGE.len(), 3144);
        assert_eq!(USAGE.lines().count(), 57);
    }
}
