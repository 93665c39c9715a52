//! `netstat -s` as net-tools 2.10 prints it (statistics.c; spec 2.6): the known counters with
//! their texts, found by a binary search over tables that are not all sorted (so some present
//! counters are never found and fall back to `Key: N`), and the indentation state machine.

use sockscope_query::netstat::procnet::SnmpSection;

/// The kind of a table entry (statistics.c `enum State`; I_TITLE entries are histograms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Number,
    OptNumber,
    InHist,
    OutHist,
    /// I_STATIC entries: never printed (no switch enables them).
    Static,
}

use Kind::*;

type Entry = (&'static str, &'static str, Kind);

/// Which sections `-t -u -w -S` enable (spec 2.6.1); unknown sections always print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatSwitches {
    pub raw: bool,
    pub tcp: bool,
    pub udp: bool,
    pub sctp: bool,
}

const IPTAB: &[Entry] = &[
    ("DefaultTTL", "Default TTL is %llu", Static),
    ("Forwarding", "Forwarding is %s", Static),
    ("ForwDatagrams", "%llu forwarded", Number),
    ("FragCreates", "%llu fragments created", OptNumber),
    (
        "FragFails",
        "%llu outgoing packets failed fragmentation",
        OptNumber,
    ),
    ("FragOKs", "%llu outgoing packets fragmented ok", OptNumber),
    ("InAddrErrors", "%llu with invalid addresses", OptNumber),
    ("InDelivers", "%llu incoming packets delivered", Number),
    ("InDiscards", "%llu incoming packets discarded", Number),
    ("InHdrErrors", "%llu with invalid headers", OptNumber),
    ("InReceives", "%llu total packets received", Number),
    ("InUnknownProtos", "%llu with unknown protocol", OptNumber),
    ("OutDiscards", "%llu outgoing packets dropped", OptNumber),
    (
        "OutNoRoutes",
        "%llu dropped because of missing route",
        OptNumber,
    ),
    ("OutRequests", "%llu requests sent out", Number),
    ("ReasmFails", "%llu packet reassemblies failed", OptNumber),
    ("ReasmOKs", "%llu packets reassembled ok", OptNumber),
    ("ReasmReqds", "%llu reassemblies required", OptNumber),
    (
        "ReasmTimeout",
        "%llu fragments dropped after timeout",
        OptNumber,
    ),
];

const IP6TAB: &[Entry] = &[
    ("Ip6FragCreates", "%llu fragments created", OptNumber),
    (
        "Ip6FragFails",
        "%llu outgoing packets failed fragmentation",
        OptNumber,
    ),
    (
        "Ip6FragOKs",
        "%llu outgoing packets fragmented ok",
        OptNumber,
    ),
    ("Ip6InAddrErrors", "%llu with invalid addresses", OptNumber),
    ("Ip6InDelivers", "%llu incoming packets delivered", Number),
    ("Ip6InDiscards", "%llu incoming packets discarded", Number),
    ("Ip6InHdrErrors", "%llu with invalid headers", OptNumber),
    (
        "Ip6InMcastPkts",
        "%llu incoming multicast packets",
        OptNumber,
    ),
    (
        "Ip6InNoRoutes",
        "%llu incoming packets with no route",
        OptNumber,
    ),
    ("Ip6InReceives", "%llu total packets received", Number),
    ("Ip6InTooBigErrors", "%llu with packets too big", OptNumber),
    (
        "Ip6InTruncatedPkts",
        "%llu with truncated packets",
        OptNumber,
    ),
    (
        "Ip6InUnknownProtos",
        "%llu with unknown protocol",
        OptNumber,
    ),
    ("Ip6OutDiscards", "%llu outgoing packets dropped", OptNumber),
    ("Ip6OutForwDatagrams", "%llu forwarded", Number),
    (
        "Ip6OutMcastPkts",
        "%llu outgoing multicast packets",
        OptNumber,
    ),
    (
        "Ip6OutNoRoutes",
        "%llu dropped because of missing route",
        OptNumber,
    ),
    ("Ip6OutRequests", "%llu requests sent out", Number),
    (
        "Ip6ReasmFails",
        "%llu packet reassemblies failed",
        OptNumber,
    ),
    ("Ip6ReasmOKs", "%llu packets reassembled ok", OptNumber),
    ("Ip6ReasmReqds", "%llu reassemblies required", OptNumber),
    (
        "Ip6ReasmTimeout",
        "%llu fragments dropped after timeout",
        OptNumber,
    ),
];

const ICMPTAB: &[Entry] = &[
    ("InAddrMaskReps", "address mask replies: %llu", InHist),
    ("InAddrMasks", "address mask request: %llu", InHist),
    ("InDestUnreachs", "destination unreachable: %llu", InHist),
    ("InEchoReps", "echo replies: %llu", InHist),
    ("InEchos", "echo requests: %llu", InHist),
    ("InErrors", "%llu input ICMP message failed", Number),
    ("InMsgs", "%llu ICMP messages received", Number),
    ("InParmProbs", "wrong parameters: %llu", InHist),
    ("InRedirects", "redirects: %llu", InHist),
    ("InSrcQuenchs", "source quenches: %llu", InHist),
    ("InTimeExcds", "timeout in transit: %llu", InHist),
    ("InTimestampReps", "timestamp reply: %llu", InHist),
    ("InTimestamps", "timestamp request: %llu", InHist),
    ("OutAddrMaskReps", "address mask replies: %llu", OutHist),
    ("OutAddrMasks", "address mask requests: %llu", OutHist),
    ("OutDestUnreachs", "destination unreachable: %llu", OutHist),
    ("OutEchoReps", "echo replies: %llu", OutHist),
    ("OutEchos", "echo requests: %llu", OutHist),
    ("OutErrors", "%llu ICMP messages failed", Number),
    ("OutMsgs", "%llu ICMP messages sent", Number),
    ("OutParmProbs", "wrong parameters: %llu", OutHist),
    ("OutRedirects", "redirect: %llu", OutHist),
    ("OutSrcQuenchs", "source quench: %llu", OutHist),
    ("OutTimeExcds", "time exceeded: %llu", OutHist),
    ("OutTimestampReps", "timestamp replies: %llu", OutHist),
    ("OutTimestamps", "timestamp requests: %llu", OutHist),
];

const ICMP6TAB: &[Entry] = &[
    (
        "Icmp6InDestUnreachs",
        "destination unreachable: %llu",
        InHist,
    ),
    ("Icmp6InEchoReplies", "echo replies: %llu", InHist),
    ("Icmp6InEchos", "echo requests: %llu", InHist),
    ("Icmp6InErrors", "%llu input ICMP message failed", Number),
    (
        "Icmp6InGroupMembQueries",
        "group member queries: %llu",
        InHist,
    ),
    (
        "Icmp6InGroupMembReductions",
        "group member reductions: %llu",
        InHist,
    ),
    (
        "Icmp6InGroupMembResponses",
        "group member responses: %llu",
        InHist,
    ),
    ("Icmp6InMsgs", "%llu ICMP messages received", Number),
    (
        "Icmp6InNeighborAdvertisements",
        "neighbour advertisement: %llu",
        InHist,
    ),
    (
        "Icmp6InNeighborSolicits",
        "neighbour solicits: %llu",
        InHist,
    ),
    ("Icmp6InParmProblems", "parameter problem: %llu", InHist),
    ("Icmp6InPktTooBigs", "packets too big: %llu", InHist),
    ("Icmp6InRedirects", "redirects: %llu", InHist),
    (
        "Icmp6InRouterAdvertisements",
        "router advertisement: %llu",
        InHist,
    ),
    ("Icmp6InRouterSolicits", "router solicits: %llu", InHist),
    (
        "Icmp6InTimeExcds",
        "received ICMPv6 time exceeded: %llu",
        InHist,
    ),
    (
        "Icmp6OutDestUnreachs",
        "destination unreachable: %llu",
        OutHist,
    ),
    ("Icmp6OutEchoReplies", "echo replies: %llu", OutHist),
    ("Icmp6OutEchos", "echo requests: %llu", OutHist),
    (
        "Icmp6OutGroupMembQueries",
        "group member queries: %llu",
        OutHist,
    ),
    (
        "Icmp6OutGroupMembReductions",
        "group member reductions: %llu",
        OutHist,
    ),
    (
        "Icmp6OutGroupMembResponses",
        "group member responses: %llu",
        OutHist,
    ),
    ("Icmp6OutMsgs", "%llu ICMP messages sent", Number),
    (
        "Icmp6OutNeighborAdvertisements",
        "neighbor advertisements: %llu",
        OutHist,
    ),
    (
        "Icmp6OutNeighborSolicits",
        "neighbor solicits: %llu",
        OutHist,
    ),
    ("Icmp6OutParmProblems", "parameter problem: %llu", OutHist),
    ("Icmp6OutPktTooBigs", "packets too big: %llu", OutHist),
    ("Icmp6OutRedirects", "redirects: %llu", OutHist),
    // The table key really ends with a blank, so the kernel's key never matches it.
    (
        "Icmp6OutRouterAdvertisements ",
        "router advertisement: %llu",
        OutHist,
    ),
    ("Icmp6OutRouterSolicits", "router solicits: %llu", OutHist),
    (
        "Icmp6OutTimeExcds",
        "sent ICMPv6 time exceeded: %llu",
        OutHist,
    ),
];

const TCPTAB: &[Entry] = &[
    ("ActiveOpens", "%llu active connection openings", Number),
    ("AttemptFails", "%llu failed connection attempts", Number),
    ("CurrEstab", "%llu connections established", Number),
    ("EstabResets", "%llu connection resets received", Number),
    ("InErrs", "%llu bad segments received", Number),
    ("InSegs", "%llu segments received", Number),
    ("MaxConn", "", Number),
    ("OutRsts", "%llu resets sent", Number),
    ("OutSegs", "%llu segments sent out", Number),
    ("PassiveOpens", "%llu passive connection openings", Number),
    ("RetransSegs", "%llu segments retransmitted", Number),
    ("RtoAlgorithm", "RTO algorithm is %s", Static),
    ("RtoMax", "", Number),
    ("RtoMin", "", Number),
];

const UDPTAB: &[Entry] = &[
    ("InDatagrams", "%llu packets received", Number),
    ("InErrors", "%llu packet receive errors", Number),
    ("NoPorts", "%llu packets to unknown port received", Number),
    ("OutDatagrams", "%llu packets sent", Number),
    ("RcvbufErrors", "%llu receive buffer errors", Number),
    ("SndbufErrors", "%llu send buffer errors", Number),
];

const UDP6TAB: &[Entry] = &[
    ("Udp6InDatagrams", "%llu packets received", Number),
    ("Udp6InErrors", "%llu packet receive errors", Number),
    (
        "Udp6NoPorts",
        "%llu packets to unknown port received",
        Number,
    ),
    ("Udp6OutDatagrams", "%llu packets sent", Number),
];

const TCPEXTTAB: &[Entry] = &[
    (
        "DelayedACKLocked",
        "%llu delayed acks further delayed because of locked socket",
        OptNumber,
    ),
    (
        "DelayedACKLost",
        "Quick ack mode was activated %llu times",
        OptNumber,
    ),
    ("DelayedACKs", "%llu delayed acks sent", OptNumber),
    (
        "EmbryonicRsts",
        "%llu resets received for embryonic SYN_RECV sockets",
        OptNumber,
    ),
    (
        "ListenDrops",
        "%llu SYNs to LISTEN sockets dropped",
        OptNumber,
    ),
    (
        "ListenOverflows",
        "%llu times the listen queue of a socket overflowed",
        OptNumber,
    ),
    (
        "LockDroppedIcmps",
        "%llu ICMP packets dropped because socket was locked",
        OptNumber,
    ),
    (
        "OfoPruned",
        "%llu packets dropped from out-of-order queue because of socket buffer overrun",
        OptNumber,
    ),
    (
        "OutOfWindowIcmps",
        "%llu ICMP packets dropped because they were out-of-window",
        OptNumber,
    ),
    (
        "PAWSActive",
        "%llu active connections rejected because of time stamp",
        OptNumber,
    ),
    (
        "PAWSEstab",
        "%llu packets rejected in established connections because of timestamp",
        OptNumber,
    ),
    (
        "PAWSPassive",
        "%llu passive connections rejected because of time stamp",
        OptNumber,
    ),
    (
        "PruneCalled",
        "%llu packets pruned from receive queue because of socket buffer overrun",
        OptNumber,
    ),
    (
        "RcvPruned",
        "%llu packets pruned from receive queue",
        OptNumber,
    ),
    (
        "SockMallocOOM",
        "Ran %llu times out of system memory during packet sending",
        OptNumber,
    ),
    (
        "SyncookiesFailed",
        "%llu invalid SYN cookies received",
        OptNumber,
    ),
    ("SyncookiesRecv", "%llu SYN cookies received", OptNumber),
    ("SyncookiesSent", "%llu SYN cookies sent", OptNumber),
    (
        "TCPAbortFailed",
        "%llu times unable to send RST due to no memory",
        OptNumber,
    ),
    (
        "TCPAbortOnClose",
        "%llu connections reset due to early user close",
        OptNumber,
    ),
    (
        "TCPAbortOnData",
        "%llu connections reset due to unexpected data",
        OptNumber,
    ),
    (
        "TCPAbortOnLinger",
        "%llu connections aborted after user close in linger timeout",
        OptNumber,
    ),
    (
        "TCPAbortOnMemory",
        "%llu connections aborted due to memory pressure",
        OptNumber,
    ),
    (
        "TCPAbortOnSyn",
        "%llu connections reset due to unexpected SYN",
        OptNumber,
    ),
    (
        "TCPAbortOnTimeout",
        "%llu connections aborted due to timeout",
        OptNumber,
    ),
    (
        "TCPDirectCopyFromBacklog",
        "%llu bytes directly in process context from backlog",
        OptNumber,
    ),
    (
        "TCPDirectCopyFromPrequeue",
        "%llu bytes directly received in process context from prequeue",
        OptNumber,
    ),
    (
        "TCPDSACKOfoRecv",
        "%llu DSACKs for out of order packets received",
        OptNumber,
    ),
    (
        "TCPDSACKOfoSent",
        "%llu DSACKs sent for out of order packets",
        OptNumber,
    ),
    (
        "TCPDSACKOldSent",
        "%llu DSACKs sent for old packets",
        OptNumber,
    ),
    ("TCPDSACKRecv", "%llu DSACKs received", OptNumber),
    (
        "TCPDSackUndo",
        "%llu congestion window recovered without slow start using DSACK",
        OptNumber,
    ),
    (
        "TCPDSACKUndo",
        "%llu congestion windows recovered without slow start by DSACK",
        OptNumber,
    ),
    (
        "TCPFACKReorder",
        "Detected reordering %llu times using FACK",
        OptNumber,
    ),
    ("TCPFastRetrans", "%llu fast retransmits", OptNumber),
    ("TCPForwardRetrans", "%llu forward retransmits", OptNumber),
    (
        "TCPFullUndo",
        "%llu congestion windows fully recovered without slow start",
        OptNumber,
    ),
    ("TCPHPAcks", "%llu predicted acknowledgments", OptNumber),
    ("TCPHPHits", "%llu packet headers predicted", Number),
    (
        "TCPHPHitsToUser",
        "%llu packet headers predicted and directly queued to user",
        OptNumber,
    ),
    ("TCPLossFailures", "%llu timeouts in loss state", OptNumber),
    ("TCPLoss", "%llu TCP data loss events", OptNumber),
    (
        "TCPLossUndo",
        "%llu congestion windows recovered without slow start after partial ack",
        OptNumber,
    ),
    ("TCPLostRetransmits", "%llu retransmits lost", OptNumber),
    (
        "TCPMemoryPressures",
        "TCP ran low on memory %llu times",
        OptNumber,
    ),
    (
        "TCPPartialUndo",
        "%llu congestion windows partially recovered using Hoe heuristic",
        OptNumber,
    ),
    (
        "TCPPrequeued",
        "%llu packets directly queued to recvmsg prequeue",
        OptNumber,
    ),
    (
        "TCPPrequeueDropped",
        "%llu packets dropped from prequeue",
        OptNumber,
    ),
    (
        "TCPPureAcks",
        "%llu acknowledgments not containing data payload received",
        OptNumber,
    ),
    (
        "TCPRcvCollapsed",
        "%llu packets collapsed in receive queue due to low socket buffer",
        OptNumber,
    ),
    (
        "TCPRenoFailures",
        "%llu timeouts after reno fast retransmit",
        OptNumber,
    ),
    (
        "TCPRenoRecoveryFailed",
        "%llu reno fast retransmits failed",
        OptNumber,
    ),
    (
        "TCPRenoRecoveryFail",
        "%llu classic Reno fast retransmits failed",
        OptNumber,
    ),
    (
        "TCPRenoRecovery",
        "%llu times recovered from packet loss due to fast retransmit",
        OptNumber,
    ),
    (
        "TCPRenoReorder",
        "Detected reordering %llu times using reno fast retransmit",
        OptNumber,
    ),
    (
        "TCPSackFailures",
        "%llu timeouts after SACK recovery",
        OptNumber,
    ),
    (
        "TCPSackRecoveryFail",
        "%llu SACK retransmits failed",
        OptNumber,
    ),
    (
        "TCPSackRecovery",
        "%llu times recovered from packet loss by selective acknowledgements",
        OptNumber,
    ),
    (
        "TCPSACKReneging",
        "%llu bad SACK blocks received",
        OptNumber,
    ),
    (
        "TCPSACKReorder",
        "Detected reordering %llu times using SACK",
        OptNumber,
    ),
    (
        "TCPSchedulerFailed",
        "%llu times receiver scheduled too late for direct processing",
        OptNumber,
    ),
    (
        "TCPSlowStartRetrans",
        "%llu retransmits in slow start",
        OptNumber,
    ),
    ("TCPTimeouts", "%llu other TCP timeouts", OptNumber),
    (
        "TCPTSReorder",
        "Detected reordering %llu times using time stamp",
        OptNumber,
    ),
    (
        "TWKilled",
        "%llu TCP sockets finished time wait in slow timer",
        OptNumber,
    ),
    (
        "TW",
        "%llu TCP sockets finished time wait in fast timer",
        OptNumber,
    ),
    (
        "TWRecycled",
        "%llu time wait sockets recycled by time stamp",
        OptNumber,
    ),
];

const SCTPTAB: &[Entry] = &[
    ("SctpAborteds", "%llu Number of Aborteds ", Number),
    ("SctpActiveEstabs", "%llu Active Associations", Number),
    (
        "SctpChecksumErrors",
        "%llu Number of Packets with invalid Checksum",
        Number,
    ),
    ("SctpCurrEstab", "%llu Current Associations", Number),
    (
        "SctpFragUsrMsgs",
        "%llu Number of messages fragmented",
        Number,
    ),
    (
        "SctpInCtrlChunks",
        "%llu Number of control chunks received",
        Number,
    ),
    (
        "SctpInOrderChunks",
        "%llu Number of ordered chunks received",
        Number,
    ),
    (
        "SctpInSCTPPacks",
        "%llu Number of SCTP packets received",
        Number,
    ),
    (
        "SctpInUnorderChunks",
        "%llu Number of Unordered chunks received",
        Number,
    ),
    (
        "SctpOutCtrlChunks",
        "%llu Number of control chunks sent",
        Number,
    ),
    (
        "SctpOutOfBlues",
        "%llu Number of Out of Blue packets",
        Number,
    ),
    (
        "SctpOutOrderChunks",
        "%llu Number of ordered chunks sent",
        Number,
    ),
    (
        "SctpOutSCTPPacks",
        "%llu Number of SCTP packets sent",
        Number,
    ),
    (
        "SctpOutUnorderChunks",
        "%llu Number of Unordered chunks sent",
        Number,
    ),
    ("SctpPassiveEstabs", "%llu Passive Associations", Number),
    (
        "SctpReasmUsrMsgs",
        "%llu Number of messages reassembled ",
        Number,
    ),
    (
        "SctpShutdowns",
        "%llu Number of Graceful Terminations",
        Number,
    ),
];

/// Which file a section comes from (the table set differs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatFile {
    /// /proc/net/snmp, /proc/net/netstat, /proc/net/sctp/snmp.
    V4,
    /// /proc/net/snmp6.
    V6,
}

/// A known section: its table and the switch that enables it.
fn table(file: StatFile, name: &[u8], sw: StatSwitches) -> Option<(&'static [Entry], bool)> {
    Some(match (file, name) {
        (StatFile::V4, b"Ip") => (IPTAB, sw.raw),
        (StatFile::V4, b"Icmp") => (ICMPTAB, sw.raw),
        (StatFile::V4, b"Tcp") => (TCPTAB, sw.tcp),
        (StatFile::V4, b"Udp") => (UDPTAB, sw.udp),
        (StatFile::V4, b"Sctp") => (SCTPTAB, sw.sctp),
        (StatFile::V4, b"TcpExt") => (TCPEXTTAB, sw.tcp),
        (StatFile::V6, b"Ip6") => (IP6TAB, sw.raw),
        (StatFile::V6, b"Icmp6") => (ICMP6TAB, sw.raw),
        (StatFile::V6, b"Udp6") => (UDP6TAB, sw.udp),
        (StatFile::V6, b"Tcp6") => (TCPTAB, sw.tcp),
        _ => return None,
    })
}

/// glibc `bsearch` with `strcmp` over the table as it is (sorted or not).
fn bsearch(tab: &'static [Entry], key: &[u8]) -> Option<&'static Entry> {
    let (mut lo, mut hi) = (0usize, tab.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        let e = &tab[mid];
        match key.cmp(e.0.as_bytes()) {
            std::cmp::Ordering::Less => hi = mid,
            std::cmp::Ordering::Greater => lo = mid + 1,
            std::cmp::Ordering::Equal => return Some(e),
        }
    }
    None
}

/// The printing state (statistics.c's static `state`): it survives sections and files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatPrinter {
    state: Kind,
    pub switches: StatSwitches,
}

fn indent(k: Kind) -> &'static [u8] {
    match k {
        InHist | OutHist => b"        ",
        _ => b"    ",
    }
}

fn title_of(k: Kind) -> &'static [u8] {
    match k {
        InHist => b"ICMP input histogram:",
        OutHist => b"ICMP output histogram:",
        _ => b"",
    }
}

impl StatPrinter {
    pub fn new(switches: StatSwitches) -> StatPrinter {
        StatPrinter {
            state: Number,
            switches,
        }
    }

    /// Prints one section (`newtable` then `printval` for each counter).
    pub fn section(&mut self, out: &mut Vec<u8>, file: StatFile, s: &SnmpSection) {
        let (tab, enabled) = match table(file, &s.name, self.switches) {
            Some((t, on)) => {
                if on {
                    out.extend_from_slice(&s.name);
                    out.extend_from_slice(b":\n");
                }
                self.state = Number;
                (Some(t), on)
            }
            None => {
                out.extend_from_slice(&s.name);
                out.extend_from_slice(b":\n");
                (None, true)
            }
        };
        if !enabled {
            return;
        }
        for (key, val) in &s.values {
            self.value(out, tab, key, *val);
        }
    }

    fn value(&mut self, out: &mut Vec<u8>, tab: Option<&'static [Entry]>, key: &[u8], val: u64) {
        let Some(&(_, text, kind)) = tab.and_then(|t| bsearch(t, key)) else {
            if val != 0 {
                out.extend_from_slice(indent(self.state));
                out.extend_from_slice(key);
                out.extend_from_slice(b": ");
                crate::cfmt::u64_dec(out, val);
                out.push(b'\n');
            }
            return;
        };
        if kind == Static || text.is_empty() {
            return;
        }
        if matches!(kind, InHist | OutHist) && self.state != kind {
            out.extend_from_slice(indent(self.state));
            out.extend_from_slice(title_of(kind));
            out.push(b'\n');
        }
        let print = match kind {
            OptNumber => val != 0,
            Number => true,
            InHist | OutHist => val > 0,
            Static => false,
        };
        if print {
            out.extend_from_slice(indent(kind));
            let (a, b) = text.split_once("%llu").unwrap_or((text, ""));
            out.extend_from_slice(a.as_bytes());
            crate::cfmt::u64_dec(out, val);
            out.extend_from_slice(b.as_bytes());
            out.push(b'\n');
        }
        self.state = kind;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sec(name: &str, kv: &[(&str, u64)]) -> SnmpSection {
        SnmpSection {
            name: name.as_bytes().to_vec(),
            values: kv
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), *v))
                .collect(),
        }
    }

    fn all() -> StatSwitches {
        StatSwitches {
            raw: true,
            tcp: true,
            udp: true,
            sctp: true,
        }
    }

    #[test]
    fn unsorted_tables_miss_some_keys() {
        assert!(bsearch(IPTAB, b"Forwarding").is_none());
        assert!(bsearch(IPTAB, b"InReceives").is_some());
        assert!(bsearch(TCPEXTTAB, b"TCPTimeouts").is_none());
        assert!(bsearch(TCPEXTTAB, b"TW").is_some());
        assert!(bsearch(ICMP6TAB, b"Icmp6OutRouterAdvertisements").is_none());
        // The 18 entries the spec lists as never found.
        let misses = [
            IPTAB, ICMPTAB, ICMP6TAB, TCPTAB, UDPTAB, UDP6TAB, TCPEXTTAB, SCTPTAB,
        ]
        .iter()
        .flat_map(|t| t.iter().filter(|e| bsearch(t, e.0.as_bytes()).is_none()))
        .count();
        assert_eq!(misses, 18);
    }

    #[test]
    fn ipv4_sections_like_the_capture() {
        let mut p = StatPrinter::new(all());
        let mut o = Vec::new();
        p.section(
            &mut o,
            StatFile::V4,
            &sec(
                "Ip",
                &[
                    ("Forwarding", 2),
                    ("DefaultTTL", 64),
                    ("InReceives", 10162164),
                    ("InHdrErrors", 10161539),
                    ("InAddrErrors", 0),
                    ("ForwDatagrams", 0),
                    ("OutTransmits", 635),
                ],
            ),
        );
        p.section(
            &mut o,
            StatFile::V4,
            &sec(
                "Icmp",
                &[
                    ("InMsgs", 322),
                    ("InErrors", 0),
                    ("InCsumErrors", 0),
                    ("InDestUnreachs", 257),
                    ("InEchoReps", 65),
                    ("OutMsgs", 322),
                    ("OutDestUnreachs", 257),
                ],
            ),
        );
        p.section(&mut o, StatFile::V4, &sec("IcmpMsg", &[("InType0", 65)]));
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "Ip:\n    Forwarding: 2\n    10162164 total packets received\n    10161539 with invalid headers\n    0 forwarded\n    OutTransmits: 635\n\
Icmp:\n    322 ICMP messages received\n    0 input ICMP message failed\n    ICMP input histogram:\n        destination unreachable: 257\n        echo replies: 65\n    322 ICMP messages sent\n    ICMP output histogram:\n        destination unreachable: 257\n\
IcmpMsg:\n        InType0: 65\n"
        );
    }

    #[test]
    fn switches_and_unknown_sections() {
        let mut p = StatPrinter::new(StatSwitches {
            tcp: true,
            ..StatSwitches::default()
        });
        let mut o = Vec::new();
        p.section(&mut o, StatFile::V4, &sec("Ip", &[("InReceives", 1)]));
        p.section(&mut o, StatFile::V4, &sec("IcmpMsg", &[("InType0", 5)]));
        p.section(
            &mut o,
            StatFile::V4,
            &sec(
                "Tcp",
                &[
                    ("RtoAlgorithm", 1),
                    ("MaxConn", u64::MAX),
                    ("ActiveOpens", 11),
                ],
            ),
        );
        p.section(&mut o, StatFile::V4, &sec("UdpLite", &[("InDatagrams", 0)]));
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "IcmpMsg:\n    InType0: 5\nTcp:\n    11 active connection openings\nUdpLite:\n"
        );
    }

    #[test]
    fn ipv6_histogram_indentation_quirk() {
        let mut p = StatPrinter::new(all());
        let mut o = Vec::new();
        p.section(
            &mut o,
            StatFile::V6,
            &sec(
                "Icmp6",
                &[
                    ("Icmp6InMsgs", 6),
                    ("Icmp6InEchoReplies", 2),
                    ("Icmp6OutEchos", 2),
                    ("Icmp6OutMLDv2Reports", 18),
                ],
            ),
        );
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "Icmp6:\n    6 ICMP messages received\n    ICMP input histogram:\n        echo replies: 2\n        ICMP output histogram:\n        echo requests: 2\n        Icmp6OutMLDv2Reports: 18\n"
        );
    }
}
