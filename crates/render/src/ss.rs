//! The ss line printer: turns [`Sock`] values into table cells exactly as iproute2 6.1's `ss`
//! does (spec §4.4–4.9, §4.11, §4.12; misc/ss.c `sock_state_print`, `inet_show_sock`,
//! `tcp_show_info`, `tcp_stats_print`, `unix_show_sock`, `packet_show_sock`,
//! `netlink_show_one`, `vsock_stats_print`, `xdp_show_sock`, and the /proc line printers
//! `tcp_show_line` / `dgram_show_line` / `unix_show` / `packet_show_line`).
//!
//! Every C `out()` call maps to exactly one [`Table::out_with`] call, because the table's chunk
//! accounting (and so batching on huge outputs) depends on the size of each call.
//!
//! Names come from the caller's [`Resolver`]; nothing here does I/O except writing rendered
//! batches (and the MD5 key quirk, §4.11) to the caller's `Write`.
//!
//! What the printer expects from the model (as the query crate fills it):
//! * `InetSock::expires` is in milliseconds and `retrans` is the value ss shows, for netlink and
//!   /proc records alike (the /proc parser converts ticks and picks probes/retransmits).
//! * /proc TCP records carry the raw tick values in [`ProcInetExtra`] (rto, ato, qack, cwnd,
//!   ssthresh, hz); they are converted here exactly as `tcp_show_line` does.
//! * /proc udp/raw records print nothing after the addresses (ss's `opt:` check can never
//!   succeed); their Netid comes from the current service protocol (`udp`, else `raw`).
//! * Unix peers are always printed as `*` (netlink never names them; /proc only would with a
//!   non-standard "Peer" column format).
//!
//! [`ProcInetExtra`]: sockscope_query::model::ProcInetExtra

use std::io::{self, Write};

use sockscope_query::model::{
    family, state, InetSock, NetlinkSock, PacketSock, Sock, Source, Table as Db, UnixSock,
    VsockSock, XdpSock,
};
use sockscope_query::names::Resolver;
use sockscope_query::tcp_info::{opt, TcpInfo};

use crate::addr;
use crate::cfmt;
use crate::kstructs::{self, BbrInfo, DctcpInfo, MptcpInfo, SctpInfo};
use crate::table::{self, Table};

const IPPROTO_TCP: u16 = 6;
const IPPROTO_UDP: u16 = 17;
const IPPROTO_DCCP: u16 = 33;
const IPPROTO_ICMPV6: u16 = 58;
const IPPROTO_SCTP: u16 = 132;
const IPPROTO_MPTCP: u16 = 262;

const SOCK_STREAM: u8 = 1;
const SOCK_DGRAM: u8 = 2;
const SOCK_RAW: u8 = 3;
const SOCK_SEQPACKET: u8 = 5;

/// Print options (the ss flags that change the text). `Copy` so the printer can hand them
/// around freely.
#[derive(Clone, Copy, Debug)]
pub struct SsOptions {
    /// `-n`: no service names, numeric protocol/ifname-less forms.
    pub numeric: bool,
    /// `-r`: resolve host names.
    pub resolve: bool,
    /// `-o`: timers. `-e` and `-b` imply it (see [`SsOptions::show_timers`]).
    pub timers: bool,
    /// `-e`.
    pub extended: bool,
    /// `-m`.
    pub memory: bool,
    /// `-i`.
    pub info: bool,
    /// `--tos`.
    pub tos: bool,
    /// `--cgroup`.
    pub cgroup: bool,
    /// `-b`.
    pub bpf: bool,
    /// `-O`.
    pub oneline: bool,
    /// `--inet-sockopt`.
    pub inet_sockopt: bool,
    /// The header line is printed (false with `-H`).
    pub header: bool,
    /// The Netid column is shown (ss hides it when at most one table is selected).
    pub netid_column: bool,
    /// The State column is shown (ss hides it when at most one state is selected).
    pub state_column: bool,
    /// `Some(columns)` when stdout is a terminal (TIOCGWINSZ `ws_col` > 0), else `None`.
    pub screen_width: Option<usize>,
    /// Clock ticks per second for /proc TCP values when the record does not say
    /// ([`ProcInetExtra::hz`](sockscope_query::model::ProcInetExtra) 0).
    pub user_hz: u32,
    /// `-E`: render after every socket.
    pub follow: bool,
}

impl Default for SsOptions {
    fn default() -> Self {
        SsOptions {
            numeric: false,
            resolve: false,
            timers: false,
            extended: false,
            memory: false,
            info: false,
            tos: false,
            cgroup: false,
            bpf: false,
            oneline: false,
            inet_sockopt: false,
            header: true,
            netid_column: true,
            state_column: true,
            screen_width: None,
            user_hz: 100,
            follow: false,
        }
    }
}

impl SsOptions {
    /// ss's `show_options`: set by `-o`, `-e` and `-b`.
    pub fn show_timers(&self) -> bool {
        self.timers || self.extended || self.bpf
    }
}

/// ss's "current protocol string" for service lookups (`dg_proto`): set when the raw, udp and
/// tcp dumps start and reused by every later dump (spec §4.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServiceProto {
    /// Never set (getservbyport with a NULL protocol: any).
    #[default]
    Unset,
    Raw,
    Udp,
    Tcp,
}

impl ServiceProto {
    /// The protocol string handed to [`Resolver::service`].
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceProto::Unset => "",
            ServiceProto::Raw => "raw",
            ServiceProto::Udp => "udp",
            ServiceProto::Tcp => "tcp",
        }
    }
}

/// The ss text printer: owns the token table and the little state ss keeps between sockets.
pub struct SsPrinter {
    opts: SsOptions,
    table: Table,
    proto: ServiceProto,
    /// Inode of the last inet socket printed from netlink (`sctp_ino`).
    sctp_ino: u32,
    addrs: AddrCellCache,
}

/// The table, the writer early batches go to, and the address cells written last.
struct Cells<'a, W: Write + ?Sized> {
    t: &'a mut Table,
    w: &'a mut W,
    addrs: &'a mut AddrCellCache,
}

/// Which address cell of an inet line: its own slot in [`AddrCellCache`].
#[derive(Clone, Copy)]
enum AddrSlot {
    Local = 0,
    Peer = 1,
}

/// What decides an address cell's text, besides the options fixed for the run.
#[derive(Clone, Copy, PartialEq, Eq)]
struct AddrKey {
    af: u8,
    addr: [u8; 16],
    ifindex: u32,
    v6only: bool,
}

/// The text of the last local and the last peer address cell. Neighbouring sockets often
/// share an address (a server's own address, loopback, one busy peer), and copying the cell
/// costs a fraction of formatting an IPv6 address again. Numeric hosts only: with `-r` the
/// text is the resolver's to give.
#[derive(Default)]
struct AddrCellCache {
    slots: [Option<(AddrKey, Vec<u8>)>; 2],
}

impl<W: Write + ?Sized> Cells<'_, W> {
    fn set(&mut self, col: usize) -> io::Result<()> {
        self.t.set(col, self.w)
    }
    fn next(&mut self) -> io::Result<()> {
        self.t.next(self.w)
    }
    fn out(&mut self, s: &[u8]) {
        self.t.out(s);
    }
    fn with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        self.t.out_with(f);
    }
}

impl SsPrinter {
    pub fn new(opts: SsOptions) -> SsPrinter {
        let mut table = Table::new(opts.screen_width);
        table.set_disabled(table::COL_NETID, !opts.netid_column);
        table.set_disabled(table::COL_STATE, !opts.state_column);
        SsPrinter {
            opts,
            table,
            proto: ServiceProto::Unset,
            sctp_ino: 0,
            addrs: AddrCellCache::default(),
        }
    }

    pub fn options(&self) -> &SsOptions {
        &self.opts
    }

    /// The underlying table (widths, measured lengths, pending state).
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The current service-lookup protocol.
    pub fn service_proto(&self) -> ServiceProto {
        self.proto
    }

    /// Buffers the header line unless `-H` (call once, before the first socket, as ss does).
    pub fn header<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        if self.opts.header {
            self.table.header(w)?;
        }
        Ok(())
    }

    /// To be called from [`sockscope_query::plan::Visitor::dump_started`]: ss sets its
    /// service-lookup protocol when the raw, udp and tcp dumps start.
    pub fn dump_started(&mut self, db: Db) {
        match db {
            Db::Raw => self.proto = ServiceProto::Raw,
            Db::Udp => self.proto = ServiceProto::Udp,
            Db::Tcp => self.proto = ServiceProto::Tcp,
            _ => {}
        }
    }

    /// Sets the service-lookup protocol directly.
    pub fn set_service_proto(&mut self, p: ServiceProto) {
        self.proto = p;
    }

    /// Prints one socket. `users` is the text between `users:(` and `)` for `-p`/`-T`/`-Z`/`-z`
    /// (None when the socket's inode has no owner or no such option was given).
    /// Early batches (5-chunk rule) and the MD5 key bytes are written to `w`.
    pub fn print<W: Write + ?Sized>(
        &mut self,
        sock: Sock<'_>,
        users: Option<&[u8]>,
        res: &mut dyn Resolver,
        w: &mut W,
    ) -> io::Result<()> {
        let o = self.opts;
        let proto = self.proto;
        let mut c = Cells {
            t: &mut self.table,
            w,
            addrs: &mut self.addrs,
        };
        match sock {
            Sock::Inet(s) => match s.source {
                Source::Netlink | Source::Replay => {
                    inet_netlink(&mut c, &o, proto, self.sctp_ino, res, s, users)?;
                    self.sctp_ino = s.inode;
                }
                Source::Proc => inet_proc(&mut c, &o, proto, res, s, users)?,
            },
            Sock::Unix(s) => unix(&mut c, &o, s, users)?,
            Sock::Packet(s) => packet(&mut c, &o, res, s, users)?,
            Sock::Netlink(s) => netlink(&mut c, &o, res, s)?,
            Sock::Vsock(s) => vsock(&mut c, s, users)?,
            Sock::Xdp(s) => xdp(&mut c, &o, res, s, users)?,
        }
        if o.follow {
            self.table.render(w)?;
        }
        Ok(())
    }

    /// Renders whatever is buffered (ss's `render()`): at the end, and in `-E` mode after
    /// every event.
    pub fn finish<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.table.render(w)
    }
}

// ---------------------------------------------------------------------------------------------
// Names

/// `sstate_name[]`.
pub fn state_name(st: u8) -> &'static [u8] {
    match st {
        state::ESTABLISHED => b"ESTAB",
        state::SYN_SENT => b"SYN-SENT",
        state::SYN_RECV => b"SYN-RECV",
        state::FIN_WAIT1 => b"FIN-WAIT-1",
        state::FIN_WAIT2 => b"FIN-WAIT-2",
        state::TIME_WAIT => b"TIME-WAIT",
        state::CLOSE => b"UNCONN",
        state::CLOSE_WAIT => b"CLOSE-WAIT",
        state::LAST_ACK => b"LAST-ACK",
        state::LISTEN => b"LISTEN",
        state::CLOSING => b"CLOSING",
        _ => b"UNKNOWN",
    }
}

/// `sctp_sstate_name[]` (include/uapi/linux/sctp.h `SCTP_STATE_*` order).
pub fn sctp_state_name(st: u32) -> &'static [u8] {
    match st {
        0 => b"CLOSED",
        1 => b"COOKIE_WAIT",
        2 => b"COOKIE_ECHOED",
        3 => b"ESTAB",
        4 => b"SHUTDOWN_PENDING",
        5 => b"SHUTDOWN_SENT",
        6 => b"SHUTDOWN_RECEIVED",
        7 => b"ACK_SENT",
        _ => b"",
    }
}

/// Netid of an inet socket by protocol number (`proto_name`).
pub fn inet_netid(protocol: u16) -> &'static [u8] {
    match protocol {
        0 => b"raw",
        IPPROTO_UDP => b"udp",
        IPPROTO_TCP => b"tcp",
        IPPROTO_MPTCP => b"mptcp",
        IPPROTO_SCTP => b"sctp",
        IPPROTO_DCCP => b"dccp",
        IPPROTO_ICMPV6 => b"icmp6",
        _ => b"???",
    }
}

/// `unix_netid_name`.
pub fn unix_netid(sock_type: u8) -> &'static [u8] {
    match sock_type {
        SOCK_STREAM => b"u_str",
        SOCK_SEQPACKET => b"u_seq",
        _ => b"u_dgr",
    }
}

/// `vsock_netid_name`.
pub fn vsock_netid(sock_type: u8) -> &'static [u8] {
    match sock_type {
        SOCK_STREAM => b"v_str",
        SOCK_DGRAM => b"v_dgr",
        _ => b"???",
    }
}

/// Netlink protocol names (lib/rt_names.c `nl_proto_tab`, identical to the shipped
/// /etc/iproute2/nl_protos).
pub fn nl_proto_name(p: u8) -> Option<&'static [u8]> {
    Some(match p {
        0 => b"rtnl",
        1 => b"unused",
        2 => b"usersock",
        3 => b"fw",
        4 => b"tcpdiag",
        5 => b"nflog",
        6 => b"xfrm",
        7 => b"selinux",
        8 => b"iscsi",
        9 => b"audit",
        10 => b"fiblookup",
        11 => b"connector",
        12 => b"nft",
        13 => b"ip6fw",
        14 => b"dec-rt",
        15 => b"uevent",
        16 => b"genl",
        18 => b"scsi-trans",
        19 => b"ecryptfs",
        20 => b"rdma",
        21 => b"crypto",
        _ => return None,
    })
}

/// Link-layer protocol names (lib/ll_proto.c `llproto_names`, first match wins).
const LL_PROTOS: [(u16, &[u8]); 54] = [
    (0x0060, b"loop"),
    (0x0200, b"pup"),
    (0x0201, b"pupat"),
    (0x0800, b"ip"),
    (0x0805, b"x25"),
    (0x0806, b"arp"),
    (0x08FF, b"bpq"),
    (0x0a00, b"ieeepup"),
    (0x0a01, b"ieeepupat"),
    (0x6000, b"dec"),
    (0x6001, b"dna_dl"),
    (0x6002, b"dna_rc"),
    (0x6003, b"dna_rt"),
    (0x6004, b"lat"),
    (0x6005, b"diag"),
    (0x6006, b"cust"),
    (0x6007, b"sca"),
    (0x8035, b"rarp"),
    (0x809B, b"atalk"),
    (0x80F3, b"aarp"),
    (0x8137, b"ipx"),
    (0x86DD, b"ipv6"),
    (0x8863, b"ppp_disc"),
    (0x8864, b"ppp_ses"),
    (0x884c, b"atmmpoa"),
    (0x8884, b"atmfate"),
    (0x0001, b"802_3"),
    (0x0002, b"ax25"),
    (0x0003, b"all"),
    (0x0004, b"802_2"),
    (0x0005, b"snap"),
    (0x0006, b"ddcmp"),
    (0x0007, b"wan_ppp"),
    (0x0008, b"ppp_mp"),
    (0x0009, b"localtalk"),
    (0x000C, b"can"),
    (0x0010, b"ppptalk"),
    (0x0011, b"tr_802_2"),
    (0x0015, b"mobitex"),
    (0x0016, b"control"),
    (0x0017, b"irda"),
    (0x0018, b"econet"),
    (0x88CA, b"tipc"),
    (0x8892, b"profinet"),
    (0x88A2, b"aoe"),
    (0x88A4, b"ethercat"),
    (0x8100, b"802.1Q"),
    (0x88A8, b"802.1ad"),
    (0x8847, b"mpls_uc"),
    (0x8848, b"mpls_mc"),
    (0x6558, b"teb"),
    (0x8100, b"802.1Q"),
    (0x88cc, b"LLDP"),
    (0x0800, b"ipv4"),
];

/// `ll_proto_n2a`: name, or `[N]` when unknown or with `-n`.
fn ll_proto(b: &mut Vec<u8>, numeric: bool, p: u16) {
    if !numeric {
        if let Some((_, n)) = LL_PROTOS.iter().find(|(id, _)| *id == p) {
            b.extend_from_slice(n);
            return;
        }
    }
    b.push(b'[');
    cfmt::u64_dec(b, u64::from(p));
    b.push(b']');
}

// ---------------------------------------------------------------------------------------------
// Shared cell helpers

/// `sock_state_print`: Netid, State, Recv-Q, Send-Q, then moves to the local address column.
fn state_cells<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    netid: &[u8],
    st: &[u8],
    sctp_assoc: bool,
    rq: i32,
    wq: i32,
) -> io::Result<()> {
    if sctp_assoc {
        c.set(table::COL_STATE)?; // empty Netid cell
        c.with(|b| {
            b.extend_from_slice(b"`- ");
            b.extend_from_slice(st);
        });
    } else {
        c.set(table::COL_NETID)?;
        c.out(netid);
        c.set(table::COL_STATE)?;
        c.out(st);
    }
    c.set(table::COL_RECVQ)?;
    queue_cell(c, rq);
    c.set(table::COL_SENDQ)?;
    queue_cell(c, wq);
    c.set(table::COL_ADDR)
}

/// A `%-6d` queue cell (stored without its padding, see [`Table::out_left_padded`]).
fn queue_cell<W: Write + ?Sized>(c: &mut Cells<'_, W>, v: i32) {
    // Decimal digits of v, right to left into a stack buffer (a sign for negatives).
    let mut buf = [0u8; 12];
    let mut at = buf.len();
    let mut m = i64::from(v).unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if v < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    c.t.out_left_padded(&buf[at..], 6);
}

/// `sock_addr_print`: one address cell (text + delimiter) and one port cell.
fn addr_cells<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    addr: impl FnOnce(&mut Vec<u8>),
    port: impl FnOnce(&mut Vec<u8>),
) -> io::Result<()> {
    c.with(addr);
    c.next()?;
    c.with(port);
    c.next()
}

/// `proc_ctx_print` with the users text supplied by the caller.
fn users_cell<W: Write + ?Sized>(c: &mut Cells<'_, W>, users: Option<&[u8]>) {
    if let Some(u) = users {
        c.with(|b| {
            b.extend_from_slice(b" users:(");
            b.extend_from_slice(u);
            b.push(b')');
        });
    }
}

/// `format_host`: a resolved name with `-r` (v4-mapped addresses looked up as IPv4), else the
/// numeric form (`rt_addr_n2a`).
fn format_host(b: &mut Vec<u8>, resolve: bool, res: &mut dyn Resolver, af: u8, a: &[u8]) {
    if resolve {
        let (qaf, qa) = match <&[u8; 16]>::try_from(a) {
            Ok(a16) if af == family::INET6 && addr::is_v4_mapped(a16) => (family::INET, &a[12..16]),
            _ => (af, a),
        };
        if let Some(name) = res.host(qaf, qa) {
            b.extend_from_slice(name);
            return;
        }
    }
    match af {
        family::INET => {
            let mut v4 = [0u8; 4];
            let n = a.len().min(4);
            v4[..n].copy_from_slice(&a[..n]);
            addr::ntop4(b, v4);
        }
        family::INET6 => {
            let mut v6 = [0u8; 16];
            let n = a.len().min(16);
            v6[..n].copy_from_slice(&a[..n]);
            addr::ntop6(b, &v6);
        }
        _ => b.extend_from_slice(b"???"),
    }
}

/// `resolve_service`: `*`, a number, a protocol name (raw), an RPC or service name.
fn service(b: &mut Vec<u8>, numeric: bool, proto: ServiceProto, res: &mut dyn Resolver, port: u16) {
    if port == 0 {
        b.push(b'*');
        return;
    }
    if numeric {
        cfmt::u64_dec(b, u64::from(port));
        return;
    }
    if proto == ServiceProto::Raw {
        // inet_proto_n2a: getprotobynumber, else ipproto-N.
        if let Ok(p) = u8::try_from(port) {
            if let Some(n) = res.protocol(p) {
                b.extend_from_slice(n);
                return;
            }
        }
        b.extend_from_slice(b"ipproto-");
        cfmt::u64_dec(b, u64::from(port));
        return;
    }
    let ps = proto.as_str();
    if matches!(proto, ServiceProto::Tcp | ServiceProto::Udp) {
        if let Some(n) = res.rpc_service(port, ps) {
            b.extend_from_slice(n);
            return;
        }
    }
    let (lo, hi) = res.ephemeral_range();
    let ephemeral = u32::from(port) >= lo && u32::from(port) <= hi;
    if !ephemeral {
        if let Some(n) = res.service(port, ps) {
            b.extend_from_slice(n);
            return;
        }
    }
    cfmt::u64_dec(b, u64::from(port));
}

/// `print_ms_timer`.
pub fn ms_timer(b: &mut Vec<u8>, timeout: u32) {
    let mut secs = timeout / 1000;
    let minutes = secs / 60;
    secs %= 60;
    let mut msecs = timeout % 1000;
    if minutes > 0 {
        msecs = 0;
        cfmt::u64_dec(b, u64::from(minutes));
        b.extend_from_slice(b"min");
        if minutes > 9 {
            secs = 0;
        }
    }
    if secs > 0 {
        if secs > 9 {
            msecs = 0;
        }
        cfmt::u64_dec(b, u64::from(secs));
        b.extend_from_slice(if msecs > 0 { b"." } else { b"sec" });
    }
    if msecs > 0 {
        cfmt::u64_zero(b, u64::from(msecs), 3);
        b.extend_from_slice(b"ms");
    }
}

/// `tcp_timer_print` / `sctp_timer_print`.
fn timer_cell<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    sctp: bool,
    timer: u8,
    expires: u32,
    retrans: u8,
) {
    if timer == 0 {
        return;
    }
    c.with(|b| {
        b.extend_from_slice(b" timer:(");
        b.extend_from_slice(if sctp {
            b"T3_RTX"
        } else {
            match timer {
                1 => b"on",
                2 => b"keepalive",
                3 => b"timewait",
                4 => b"persist",
                _ => b"unknown",
            }
        });
        b.push(b',');
        ms_timer(b, expires);
        b.push(b',');
        cfmt::i64_dec(b, i64::from(retrans));
        b.push(b')');
    });
}

/// `cg_id_to_path`.
fn cgroup_path(b: &mut Vec<u8>, res: &mut dyn Resolver, id: u64) {
    match res.cgroup_path(id) {
        Some(p) => b.extend_from_slice(p),
        None => {
            b.extend_from_slice(b"unreachable:");
            cfmt::hex(b, id);
        }
    }
}

/// `sock_details_print`.
fn details_cells<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    res: &mut dyn Resolver,
    uid: u32,
    ino: u32,
    sk: u64,
    mark: u32,
    cgroup: u64,
) {
    if uid != 0 {
        c.with(|b| {
            b.extend_from_slice(b" uid:");
            cfmt::u64_dec(b, u64::from(uid));
        });
    }
    c.with(|b| {
        b.extend_from_slice(b" ino:");
        cfmt::u64_dec(b, u64::from(ino));
    });
    c.with(|b| {
        b.extend_from_slice(b" sk:");
        cfmt::hex(b, sk);
    });
    if mark != 0 {
        c.with(|b| {
            b.extend_from_slice(b" fwmark:0x");
            cfmt::hex(b, u64::from(mark));
        });
    }
    if cgroup != 0 {
        c.with(|b| {
            b.extend_from_slice(b" cgroup:");
            cgroup_path(b, res, cgroup);
        });
    }
}

/// ` %c-%c` shutdown mask.
fn shutdown_cell<W: Write + ?Sized>(c: &mut Cells<'_, W>, mask: u8) {
    c.with(|b| {
        b.push(b' ');
        b.push(if mask & 1 != 0 { b'-' } else { b'<' });
        b.push(b'-');
        b.push(if mask & 2 != 0 { b'-' } else { b'>' });
    });
}

/// `print_skmeminfo`: ` skmem:(…)` from an SK_MEMINFO array; for inet sockets without it the
/// old ` mem:(…)` from INET_DIAG_MEMINFO.
fn skmem_cells<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    skmem: Option<&[u8]>,
    old: Option<[u32; 4]>,
) {
    let Some(m) = skmem else {
        if let Some([r, w, f, t]) = old {
            c.with(|b| {
                b.extend_from_slice(b" mem:(r");
                cfmt::u64_dec(b, u64::from(r));
                b.extend_from_slice(b",w");
                cfmt::u64_dec(b, u64::from(w));
                b.extend_from_slice(b",f");
                cfmt::u64_dec(b, u64::from(f));
                b.extend_from_slice(b",t");
                cfmt::u64_dec(b, u64::from(t));
                b.push(b')');
            });
        }
        return;
    };
    let v = |i: usize| u64::from(sockscope_query::model::u32_at(m, i).unwrap_or(0));
    c.with(|b| {
        for (i, label) in [
            &b" skmem:(r"[..],
            b",rb",
            b",t",
            b",tb",
            b",f",
            b",w",
            b",o",
        ]
        .iter()
        .enumerate()
        {
            b.extend_from_slice(label);
            cfmt::u64_dec(b, v(i));
        }
    });
    // SK_MEMINFO_BACKLOG (7) and SK_MEMINFO_DROPS (8) only when the array is long enough.
    if m.len() >= 8 * 4 {
        c.with(|b| {
            b.extend_from_slice(b",bl");
            cfmt::u64_dec(b, v(7));
        });
    }
    if m.len() >= 9 * 4 {
        c.with(|b| {
            b.extend_from_slice(b",d");
            cfmt::u64_dec(b, v(8));
        });
    }
    c.out(b")");
}

/// `sprint_bw`: bits per second with `%.0f` (-n) or `%.3g` and a k/M/G/T suffix.
fn bw(b: &mut Vec<u8>, numeric: bool, v: f64) {
    if numeric {
        cfmt::f_prec(b, v, 0);
    } else if v >= 1e12 {
        cfmt::g_prec(b, v / 1e12, 3);
        b.push(b'T');
    } else if v >= 1e9 {
        cfmt::g_prec(b, v / 1e9, 3);
        b.push(b'G');
    } else if v >= 1e6 {
        cfmt::g_prec(b, v / 1e6, 3);
        b.push(b'M');
    } else if v >= 1e3 {
        cfmt::g_prec(b, v / 1e3, 3);
        b.push(b'k');
    } else {
        cfmt::g(b, v);
    }
}

// ---------------------------------------------------------------------------------------------
// Inet

/// `inet_addr_print`: address cell (`ADDR[%IF]:`) and port cell.
#[allow(clippy::too_many_arguments)]
fn inet_addr_cells<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    proto: ServiceProto,
    res: &mut dyn Resolver,
    slot: AddrSlot,
    key: AddrKey,
    port: u16,
) -> io::Result<()> {
    let cached = &mut c.addrs.slots[slot as usize];
    match cached {
        Some((k, text)) if *k == key && !o.resolve => c.t.out(text),
        _ => c.t.out_with(|b| {
            let start = b.len();
            addr_cell(b, o.resolve, res, key);
            if !o.resolve {
                let (k, text) = cached.get_or_insert_with(|| (key, Vec::new()));
                *k = key;
                text.clear();
                text.extend_from_slice(&b[start..]);
            }
        }),
    }
    c.next()?;
    c.with(|b| service(b, o.numeric, proto, res, port));
    c.next()
}

/// The text of an address cell: the host (`*` for an unspecified address of a dual-stack
/// socket, IPv6 text in brackets), `%` and the interface for a scoped socket, `:`.
fn addr_cell(b: &mut Vec<u8>, resolve: bool, res: &mut dyn Resolver, key: AddrKey) {
    let a = &key.addr;
    if key.af == family::INET {
        format_host(b, resolve, res, family::INET, &a[..4]);
    } else if !key.v6only && a.iter().all(|&x| x == 0) {
        b.push(b'*');
    } else if !resolve && key.af == family::INET6 {
        // Numeric IPv6 text always has a colon: bracket it without looking.
        b.push(b'[');
        addr::ntop6(b, a);
        b.push(b']');
    } else {
        let start = b.len();
        format_host(b, resolve, res, key.af, a);
        if b[start..].contains(&b':') {
            b.insert(start, b'[');
            b.push(b']');
        }
    }
    if key.ifindex != 0 {
        b.push(b'%');
        b.extend_from_slice(res.ifname(key.ifindex));
    }
    b.push(b':');
}

/// `inet_stats_print`: state cells, both addresses, users.
#[allow(clippy::too_many_arguments)]
fn inet_stats<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    proto: ServiceProto,
    res: &mut dyn Resolver,
    s: &InetSock<'_>,
    netid: &[u8],
    sctp_assoc: bool,
    ifindex: u32,
    v6only: bool,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let st = if sctp_assoc {
        sctp_state_name(u32::from(s.state))
    } else {
        state_name(s.state)
    };
    state_cells(c, netid, st, sctp_assoc, s.rqueue as i32, s.wqueue as i32)?;
    let key = |addr: [u8; 16], ifindex: u32| AddrKey {
        af: s.family,
        addr,
        ifindex,
        v6only,
    };
    inet_addr_cells(
        c,
        o,
        proto,
        res,
        AddrSlot::Local,
        key(s.src, ifindex),
        s.sport,
    )?;
    inet_addr_cells(c, o, proto, res, AddrSlot::Peer, key(s.dst, 0), s.dport)?;
    users_cell(c, users);
    Ok(())
}

/// `inet_show_sock` (netlink mode).
fn inet_netlink<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    proto: ServiceProto,
    sctp_ino: u32,
    res: &mut dyn Resolver,
    s: &InetSock<'_>,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let a = &s.attrs;
    let netid = inet_netid(s.protocol);
    let sctp_assoc = s.protocol == IPPROTO_SCTP && sctp_ino != 0 && sctp_ino == s.inode;
    let v6only_attr = if s.family == family::INET6 {
        a.v6only
    } else {
        None
    };
    let v6only = v6only_attr.unwrap_or(0);
    inet_stats(
        c,
        o,
        proto,
        res,
        s,
        netid,
        sctp_assoc,
        s.ifindex,
        v6only != 0,
        users,
    )?;

    if o.show_timers() {
        timer_cell(c, s.protocol == IPPROTO_SCTP, s.timer, s.expires, s.retrans);
    }
    if o.extended {
        details_cells(
            c,
            res,
            s.uid,
            s.inode,
            s.cookie,
            a.mark.unwrap_or(0),
            a.cgroup_id.unwrap_or(0),
        );
        if let Some(v) = v6only_attr {
            c.with(|b| {
                b.extend_from_slice(b" v6only:");
                cfmt::u64_dec(b, u64::from(v));
            });
        }
        if let Some(m) = a.shutdown {
            shutdown_cell(c, m);
        }
    }
    if o.tos {
        for (label, v) in [
            (&b" tos:"[..], a.tos.map(u32::from)),
            (b" tclass:", a.tclass.map(u32::from)),
            (b" class_id:", a.class_id),
        ] {
            if let Some(v) = v {
                c.with(|b| {
                    b.extend_from_slice(label);
                    cfmt::alt_hex(b, u64::from(v));
                });
            }
        }
    }
    if o.cgroup {
        if let Some(id) = a.cgroup_id {
            c.with(|b| {
                b.extend_from_slice(b" cgroup:");
                cgroup_path(b, res, id);
            });
        }
    }
    if o.inet_sockopt {
        if let Some(so) = a.sockopt.filter(|so| so.len() >= 2) {
            c.out(if o.oneline {
                b" inet-sockopt: ("
            } else {
                b"\n\tinet-sockopt: ("
            });
            for (name, byte, bit) in kstructs::SOCKOPT_FLAGS {
                if kstructs::sockopt_flag(so, byte, bit) {
                    c.with(|b| {
                        b.push(b' ');
                        b.extend_from_slice(name.as_bytes());
                    });
                }
            }
            c.out(b")");
        }
    }
    if o.memory || (o.info && s.protocol != IPPROTO_UDP) {
        if !o.oneline {
            c.out(b"\n\t");
        }
        match s.protocol {
            IPPROTO_SCTP => sctp_info(c, o, res, s),
            IPPROTO_MPTCP => {
                skmem_cells(c, a.skmeminfo, a.meminfo);
                if let Some(i) = a.info {
                    mptcp_stats(c, &MptcpInfo::from_bytes(i));
                }
            }
            _ => tcp_info(c, o, res, s)?,
        }
    }
    Ok(())
}

/// `tcp_show_line` (/proc/net/tcp) and `dgram_show_line` (/proc/net/udp, raw).
fn inet_proc<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    proto: ServiceProto,
    res: &mut dyn Resolver,
    s: &InetSock<'_>,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let is_tcp = s.table == Some(Db::Tcp) || (s.table.is_none() && s.protocol == IPPROTO_TCP);
    let netid: &[u8] = if is_tcp {
        b"tcp"
    } else if proto == ServiceProto::Udp {
        b"udp"
    } else {
        b"raw"
    };
    // /proc lines carry no interface and no v6only flag.
    inet_stats(c, o, proto, res, s, netid, false, 0, false, users)?;
    if !is_tcp {
        // dgram_show_line: its `opt:` check can never succeed, so nothing else is printed.
        return Ok(());
    }
    let px = s.proc_extra.unwrap_or_default();
    if o.show_timers() {
        timer_cell(c, false, s.timer, s.expires, s.retrans);
    }
    if o.extended {
        details_cells(c, res, s.uid, s.inode, px.sk, 0, 0);
        if !px.opt.is_empty() {
            c.with(|b| {
                b.extend_from_slice(b" opt:\"");
                b.extend_from_slice(px.opt);
                b.push(b'"');
            });
        }
    }
    if o.info {
        // The query side records the tick rate the values were read with; fall back to the
        // option for records that lack it.
        let hz = f64::from(if px.hz != 0 { px.hz } else { o.user_hz.max(1) });
        let rto = f64::from(px.rto);
        let mut t = TcpStat {
            rto: if rto != 3.0 * hz { rto / hz } else { 0.0 },
            ato: f64::from(px.ato) / hz,
            qack: (px.qack as i32) / 2,
            cwnd: px.cwnd,
            ssthresh: if px.ssthresh == -1 { 0 } else { px.ssthresh },
            // ss prints the line's retransmit/probe count as ` retrans:N/0` (tcp_show_line
            // fills the same struct tcpstat that tcp_stats_print reads).
            retrans: u32::from(s.retrans),
            ..TcpStat::default()
        };
        // Fields /proc does not have stay 0, including reordering (so ` reordering:0` prints).
        t.reordering = 0;
        tcp_stats(c, o, &t);
    }
    Ok(())
}

/// `struct tcpstat`: what `tcp_stats_print` prints, filled from tcp_info or /proc.
#[derive(Default)]
struct TcpStat<'a> {
    state: u8,
    has_ts: bool,
    has_sack: bool,
    has_ecn: bool,
    has_ecnseen: bool,
    has_fastopen: bool,
    cong: &'a [u8],
    has_wscale: bool,
    snd_wscale: u8,
    rcv_wscale: u8,
    rto: f64,
    backoff: u32,
    rtt: f64,
    rttvar: f64,
    ato: f64,
    qack: i32,
    mss: i32,
    pmtu: u32,
    rcv_mss: i32,
    advmss: i32,
    cwnd: u32,
    ssthresh: i32,
    bytes_sent: u64,
    bytes_retrans: u64,
    bytes_acked: u64,
    bytes_received: u64,
    segs_out: u32,
    segs_in: u32,
    data_segs_out: u32,
    data_segs_in: u32,
    dctcp: Option<DctcpInfo>,
    bbr: Option<BbrInfo>,
    send_bps: f64,
    lastsnd: u32,
    lastrcv: u32,
    lastack: u32,
    pacing_rate: f64,
    pacing_rate_max: f64,
    delivery_rate: f64,
    delivered: u32,
    delivered_ce: u32,
    app_limited: bool,
    busy_time: u64,
    rwnd_limited: u64,
    sndbuf_limited: u64,
    unacked: u32,
    retrans: u32,
    retrans_total: u32,
    lost: u32,
    sacked: u32,
    dsack_dups: u32,
    fackets: u32,
    reordering: u32,
    reord_seen: u32,
    rcv_rtt: f64,
    rcv_space: i32,
    rcv_ssthresh: u32,
    not_sent: u32,
    min_rtt: f64,
    rcv_ooopack: u32,
    snd_wnd: u32,
}

/// Appends `label` + decimal as one `out()` call.
fn out_u<W: Write + ?Sized>(c: &mut Cells<'_, W>, label: &[u8], v: u64) {
    c.with(|b| {
        b.extend_from_slice(label);
        cfmt::u64_dec(b, v);
    });
}

fn out_i<W: Write + ?Sized>(c: &mut Cells<'_, W>, label: &[u8], v: i64) {
    c.with(|b| {
        b.extend_from_slice(label);
        cfmt::i64_dec(b, v);
    });
}

fn out_g<W: Write + ?Sized>(c: &mut Cells<'_, W>, label: &[u8], v: f64) {
    c.with(|b| {
        b.extend_from_slice(label);
        cfmt::g(b, v);
    });
}

/// `tcp_stats_print`.
fn tcp_stats<W: Write + ?Sized>(c: &mut Cells<'_, W>, o: &SsOptions, s: &TcpStat<'_>) {
    for (on, text) in [
        (s.has_ts, &b" ts"[..]),
        (s.has_sack, b" sack"),
        (s.has_ecn, b" ecn"),
        (s.has_ecnseen, b" ecnseen"),
        (s.has_fastopen, b" fastopen"),
    ] {
        if on {
            c.out(text);
        }
    }
    if !s.cong.is_empty() {
        c.with(|b| {
            b.push(b' ');
            b.extend_from_slice(s.cong);
        });
    }
    if s.has_wscale {
        c.with(|b| {
            b.extend_from_slice(b" wscale:");
            cfmt::i64_dec(b, i64::from(s.snd_wscale));
            b.push(b',');
            cfmt::i64_dec(b, i64::from(s.rcv_wscale));
        });
    }
    if s.rto != 0.0 {
        out_g(c, b" rto:", s.rto);
    }
    if s.backoff != 0 {
        out_u(c, b" backoff:", u64::from(s.backoff));
    }
    if s.rtt != 0.0 {
        c.with(|b| {
            b.extend_from_slice(b" rtt:");
            cfmt::g(b, s.rtt);
            b.push(b'/');
            cfmt::g(b, s.rttvar);
        });
    }
    if s.ato != 0.0 {
        out_g(c, b" ato:", s.ato);
    }
    if s.qack != 0 {
        out_i(c, b" qack:", i64::from(s.qack));
    }
    if s.qack & 1 != 0 {
        c.out(b" bidir");
    }
    if s.mss != 0 {
        out_i(c, b" mss:", i64::from(s.mss));
    }
    if s.pmtu != 0 {
        out_u(c, b" pmtu:", u64::from(s.pmtu));
    }
    if s.rcv_mss != 0 {
        out_i(c, b" rcvmss:", i64::from(s.rcv_mss));
    }
    if s.advmss != 0 {
        out_i(c, b" advmss:", i64::from(s.advmss));
    }
    if s.cwnd != 0 {
        out_u(c, b" cwnd:", u64::from(s.cwnd));
    }
    if s.ssthresh != 0 {
        out_i(c, b" ssthresh:", i64::from(s.ssthresh));
    }
    for (label, v) in [
        (&b" bytes_sent:"[..], s.bytes_sent),
        (b" bytes_retrans:", s.bytes_retrans),
        (b" bytes_acked:", s.bytes_acked),
        (b" bytes_received:", s.bytes_received),
        (b" segs_out:", u64::from(s.segs_out)),
        (b" segs_in:", u64::from(s.segs_in)),
        (b" data_segs_out:", u64::from(s.data_segs_out)),
        (b" data_segs_in:", u64::from(s.data_segs_in)),
    ] {
        if v != 0 {
            out_u(c, label, v);
        }
    }
    if let Some(d) = s.dctcp {
        if d.enabled != 0 {
            c.with(|b| {
                b.extend_from_slice(b" dctcp:(ce_state:");
                cfmt::u64_dec(b, u64::from(d.ce_state));
                b.extend_from_slice(b",alpha:");
                cfmt::u64_dec(b, u64::from(d.alpha));
                b.extend_from_slice(b",ab_ecn:");
                cfmt::u64_dec(b, u64::from(d.ab_ecn));
                b.extend_from_slice(b",ab_tot:");
                cfmt::u64_dec(b, u64::from(d.ab_tot));
                b.push(b')');
            });
        } else {
            c.out(b" dctcp:fallback_mode");
        }
    }
    if let Some(bbr) = s.bbr {
        c.with(|b| {
            b.extend_from_slice(b" bbr:(bw:");
            bw(b, o.numeric, bbr.bw() as f64 * 8.0);
            b.extend_from_slice(b"bps,mrtt:");
            cfmt::g(b, f64::from(bbr.min_rtt) / 1000.0);
        });
        if bbr.pacing_gain != 0 {
            out_g(c, b",pacing_gain:", f64::from(bbr.pacing_gain) / 256.0);
        }
        if bbr.cwnd_gain != 0 {
            out_g(c, b",cwnd_gain:", f64::from(bbr.cwnd_gain) / 256.0);
        }
        c.out(b")");
    }
    if s.send_bps != 0.0 {
        c.with(|b| {
            b.extend_from_slice(b" send ");
            bw(b, o.numeric, s.send_bps);
            b.extend_from_slice(b"bps");
        });
    }
    for (label, v) in [
        (&b" lastsnd:"[..], s.lastsnd),
        (b" lastrcv:", s.lastrcv),
        (b" lastack:", s.lastack),
    ] {
        if v != 0 {
            out_u(c, label, u64::from(v));
        }
    }
    if s.pacing_rate != 0.0 {
        c.with(|b| {
            b.extend_from_slice(b" pacing_rate ");
            bw(b, o.numeric, s.pacing_rate);
            b.extend_from_slice(b"bps");
        });
        if s.pacing_rate_max != 0.0 {
            c.with(|b| {
                b.push(b'/');
                bw(b, o.numeric, s.pacing_rate_max);
                b.extend_from_slice(b"bps");
            });
        }
    }
    if s.delivery_rate != 0.0 {
        c.with(|b| {
            b.extend_from_slice(b" delivery_rate ");
            bw(b, o.numeric, s.delivery_rate);
            b.extend_from_slice(b"bps");
        });
    }
    if s.delivered != 0 {
        out_u(c, b" delivered:", u64::from(s.delivered));
    }
    if s.delivered_ce != 0 {
        out_u(c, b" delivered_ce:", u64::from(s.delivered_ce));
    }
    if s.app_limited {
        c.out(b" app_limited");
    }
    if s.busy_time != 0 {
        c.with(|b| {
            b.extend_from_slice(b" busy:");
            cfmt::u64_dec(b, s.busy_time / 1000);
            b.extend_from_slice(b"ms");
        });
        for (label, v) in [
            (&b" rwnd_limited:"[..], s.rwnd_limited),
            (b" sndbuf_limited:", s.sndbuf_limited),
        ] {
            if v != 0 {
                c.with(|b| {
                    b.extend_from_slice(label);
                    cfmt::u64_dec(b, v / 1000);
                    b.extend_from_slice(b"ms(");
                    cfmt::f_prec(b, 100.0 * v as f64 / s.busy_time as f64, 1);
                    b.extend_from_slice(b"%)");
                });
            }
        }
    }
    if s.unacked != 0 {
        out_u(c, b" unacked:", u64::from(s.unacked));
    }
    if s.retrans != 0 || s.retrans_total != 0 {
        c.with(|b| {
            b.extend_from_slice(b" retrans:");
            cfmt::u64_dec(b, u64::from(s.retrans));
            b.push(b'/');
            cfmt::u64_dec(b, u64::from(s.retrans_total));
        });
    }
    if s.lost != 0 {
        out_u(c, b" lost:", u64::from(s.lost));
    }
    if s.sacked != 0 && s.state != state::LISTEN {
        out_u(c, b" sacked:", u64::from(s.sacked));
    }
    if s.dsack_dups != 0 {
        out_u(c, b" dsack_dups:", u64::from(s.dsack_dups));
    }
    if s.fackets != 0 {
        out_u(c, b" fackets:", u64::from(s.fackets));
    }
    if s.reordering != 3 {
        out_i(c, b" reordering:", i64::from(s.reordering as i32));
    }
    if s.reord_seen != 0 {
        out_i(c, b" reord_seen:", i64::from(s.reord_seen as i32));
    }
    if s.rcv_rtt != 0.0 {
        out_g(c, b" rcv_rtt:", s.rcv_rtt);
    }
    if s.rcv_space != 0 {
        out_i(c, b" rcv_space:", i64::from(s.rcv_space));
    }
    if s.rcv_ssthresh != 0 {
        out_u(c, b" rcv_ssthresh:", u64::from(s.rcv_ssthresh));
    }
    if s.not_sent != 0 {
        out_u(c, b" notsent:", u64::from(s.not_sent));
    }
    if s.min_rtt != 0.0 {
        out_g(c, b" minrtt:", s.min_rtt);
    }
    if s.rcv_ooopack != 0 {
        out_u(c, b" rcv_ooopack:", u64::from(s.rcv_ooopack));
    }
    if s.snd_wnd != 0 {
        out_u(c, b" snd_wnd:", u64::from(s.snd_wnd));
    }
}

/// Fills a [`TcpStat`] from tcp_info and the optional congestion-control attributes
/// (`tcp_show_info`).
fn tcp_stat_from_info<'a>(o: &SsOptions, s: &'a InetSock<'_>, i: &TcpInfo) -> TcpStat<'a> {
    let a = &s.attrs;
    let mut t = TcpStat {
        state: s.state,
        ..TcpStat::default()
    };
    if o.show_timers() {
        t.has_ts = i.has_opt(opt::TIMESTAMPS);
        t.has_sack = i.has_opt(opt::SACK);
        t.has_ecn = i.has_opt(opt::ECN);
        t.has_ecnseen = i.has_opt(opt::ECN_SEEN);
        t.has_fastopen = i.has_opt(opt::SYN_DATA);
    }
    if let Some(cong) = a.cong {
        // strncpy into char[16] keeping a terminator: at most 15 bytes, up to the first NUL.
        let name = kstructs::c_str(cong);
        t.cong = &name[..name.len().min(15)];
    }
    if i.has_opt(opt::WSCALE) {
        t.has_wscale = true;
        t.snd_wscale = i.snd_wscale;
        t.rcv_wscale = i.rcv_wscale;
    }
    if i.rto != 0 && i.rto != 3_000_000 {
        t.rto = f64::from(i.rto) / 1000.0;
    }
    t.backoff = u32::from(i.backoff);
    t.rtt = f64::from(i.rtt) / 1000.0;
    t.rttvar = f64::from(i.rttvar) / 1000.0;
    t.ato = f64::from(i.ato) / 1000.0;
    t.mss = i.snd_mss as i32;
    t.rcv_mss = i.rcv_mss as i32;
    t.advmss = i.advmss as i32;
    t.rcv_space = i.rcv_space as i32;
    t.rcv_rtt = f64::from(i.rcv_rtt) / 1000.0;
    t.lastsnd = i.last_data_sent;
    t.lastrcv = i.last_data_recv;
    t.lastack = i.last_ack_recv;
    t.unacked = i.unacked;
    t.retrans = i.retrans;
    t.retrans_total = i.total_retrans;
    t.lost = i.lost;
    t.sacked = i.sacked;
    t.fackets = i.fackets;
    t.reordering = i.reordering;
    t.rcv_ssthresh = i.rcv_ssthresh;
    t.cwnd = i.snd_cwnd;
    t.pmtu = i.pmtu;
    if i.snd_ssthresh < 0xFFFF {
        t.ssthresh = i.snd_ssthresh as i32;
    }
    let mut rtt = f64::from(i.rtt);
    if let Some([enabled, _rttcnt, vrtt, _minrtt]) = a.vegas {
        if enabled != 0 && vrtt != 0 && vrtt != 0x7fff_ffff {
            rtt = f64::from(vrtt);
        }
    }
    t.dctcp = a.dctcp.map(DctcpInfo::from_bytes);
    t.bbr = a.bbr.map(BbrInfo::from_bytes);
    if rtt > 0.0 && i.snd_mss != 0 && i.snd_cwnd != 0 {
        t.send_bps = f64::from(i.snd_cwnd) * f64::from(i.snd_mss) * 8_000_000.0 / rtt;
    }
    if i.pacing_rate != 0 && i.pacing_rate != u64::MAX {
        t.pacing_rate = i.pacing_rate as f64 * 8.0;
        if i.max_pacing_rate != 0 && i.max_pacing_rate != u64::MAX {
            t.pacing_rate_max = i.max_pacing_rate as f64 * 8.0;
        }
    }
    t.bytes_acked = i.bytes_acked;
    t.bytes_received = i.bytes_received;
    t.segs_out = i.segs_out;
    t.segs_in = i.segs_in;
    t.data_segs_out = i.data_segs_out;
    t.data_segs_in = i.data_segs_in;
    t.not_sent = i.notsent_bytes;
    if i.min_rtt != 0 && i.min_rtt != u32::MAX {
        t.min_rtt = f64::from(i.min_rtt) / 1000.0;
    }
    t.delivery_rate = i.delivery_rate as f64 * 8.0;
    t.app_limited = i.delivery_rate_app_limited;
    t.busy_time = i.busy_time;
    t.rwnd_limited = i.rwnd_limited;
    t.sndbuf_limited = i.sndbuf_limited;
    t.delivered = i.delivered;
    t.delivered_ce = i.delivered_ce;
    t.dsack_dups = i.dsack_dups;
    t.reord_seen = i.reord_seen;
    t.bytes_sent = i.bytes_sent;
    t.bytes_retrans = i.bytes_retrans;
    t.rcv_ooopack = i.rcv_ooopack;
    t.snd_wnd = i.snd_wnd;
    t
}

/// `tcp_show_info`: skmem, TCP info, MD5 keys, ULP.
fn tcp_info<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    res: &mut dyn Resolver,
    s: &InetSock<'_>,
) -> io::Result<()> {
    let a = &s.attrs;
    skmem_cells(c, a.skmeminfo, a.meminfo);
    if let Some(info) = a.info {
        let i = TcpInfo::from_bytes(info);
        let t = tcp_stat_from_info(o, s, &i);
        tcp_stats(c, o, &t);
    }
    if let Some(m) = a.md5sig {
        c.out(b" md5keys:");
        for (n, sig) in kstructs::md5sigs(m).enumerate() {
            if n > 0 {
                c.out(b",");
            }
            c.with(|b| {
                let len = if sig.family == family::INET6 { 16 } else { 4 };
                format_host(b, o.resolve, res, sig.family, &sig.addr[..len]);
                b.push(b'/');
                cfmt::i64_dec(b, i64::from(sig.prefixlen));
                b.push(b'=');
            });
            // ss writes the key with printf, straight to stdout, bypassing the table (§4.11).
            write_escaped_key(c.w, sig.key())?;
        }
    }
    if let Some(ulp) = a.ulp {
        ulp_info(c, ulp);
    }
    Ok(())
}

/// `print_escape_buf(key, len, " ,")`: printable bytes except `\`, space and `,` as is,
/// everything else as `\ooo`.
fn write_escaped_key<W: Write + ?Sized>(w: &mut W, key: &[u8]) -> io::Result<()> {
    let mut buf = [0u8; kstructs::MD5_MAXKEYLEN * 4];
    let mut n = 0;
    for &k in key.iter().take(kstructs::MD5_MAXKEYLEN) {
        if (0x20..0x7f).contains(&k) && k != b'\\' && k != b' ' && k != b',' {
            buf[n] = k;
            n += 1;
        } else {
            buf[n] = b'\\';
            buf[n + 1] = b'0' + (k >> 6);
            buf[n + 2] = b'0' + ((k >> 3) & 7);
            buf[n + 3] = b'0' + (k & 7);
            n += 4;
        }
    }
    w.write_all(&buf[..n])
}

/// INET_DIAG_ULP_INFO: ` tcp-ulp-NAME`, TLS details, MPTCP subflow details.
fn ulp_info<W: Write + ?Sized>(c: &mut Cells<'_, W>, ulp: &[u8]) {
    use kstructs::{c_str, nla_find, Bytes};
    // include/uapi/linux/inet_diag.h INET_ULP_INFO_{NAME=1, TLS=2, MPTCP=3}.
    if let Some(name) = nla_find(ulp, 1) {
        c.with(|b| {
            b.extend_from_slice(b" tcp-ulp-");
            b.extend_from_slice(c_str(name));
        });
    }
    if let Some(tls) = nla_find(ulp, 2) {
        // include/uapi/linux/tls.h TLS_INFO_{VERSION=1, CIPHER=2, TXCONF=3, RXCONF=4, ZC_RO_TX=5}.
        if let Some(v) = nla_find(tls, 1) {
            let v = Bytes(v).u16(0);
            match v {
                0x0303 => c.out(b" version: 1.2"),
                0x0304 => c.out(b" version: 1.3"),
                _ => c.with(|b| {
                    b.extend_from_slice(b" version: unknown(");
                    cfmt::u64_dec(b, u64::from(v));
                    b.push(b')');
                }),
            }
        }
        if let Some(v) = nla_find(tls, 2) {
            match Bytes(v).u16(0) {
                51 => c.out(b" cipher: aes-gcm-128"),
                52 => c.out(b" cipher: aes-gcm-256"),
                _ => {}
            }
        }
        for (name, ty) in [(&b"rxconf"[..], 4u16), (b"txconf", 3)] {
            if let Some(v) = nla_find(tls, ty) {
                let v = Bytes(v).u16(0);
                c.with(|b| {
                    b.push(b' ');
                    b.extend_from_slice(name);
                    b.extend_from_slice(b": ");
                    match v {
                        1 => b.extend_from_slice(b"none"),
                        2 => b.extend_from_slice(b"sw"),
                        3 => b.extend_from_slice(b"hw"),
                        4 => b.extend_from_slice(b"hw-record"),
                        _ => {
                            b.extend_from_slice(b"unknown(");
                            cfmt::u64_dec(b, u64::from(v));
                            b.push(b')');
                        }
                    }
                });
            }
        }
        if nla_find(tls, 5).is_some() {
            c.out(b" zc_ro_tx");
        }
    }
    if let Some(sf) = nla_find(ulp, 3) {
        mptcp_subflow(c, sf);
    }
}

/// `mptcp_subflow_info` (include/uapi/linux/mptcp.h MPTCP_SUBFLOW_ATTR_*).
fn mptcp_subflow<W: Write + ?Sized>(c: &mut Cells<'_, W>, sf: &[u8]) {
    use kstructs::{nla_find, Bytes};
    const TOKEN_REM: u16 = 1;
    const TOKEN_LOC: u16 = 2;
    const MAP_SEQ: u16 = 4;
    const MAP_SFSEQ: u16 = 5;
    const SSN_OFFSET: u16 = 6;
    const MAP_DATALEN: u16 = 7;
    const FLAGS: u16 = 8;
    const ID_REM: u16 = 9;
    const ID_LOC: u16 = 10;
    if let Some(f) = nla_find(sf, FLAGS) {
        let flags = Bytes(f).u32(0);
        if flags != 0 {
            c.with(|b| {
                b.extend_from_slice(b" flags:");
                for (bit, ch) in b"MmJjBbecv".iter().enumerate() {
                    if flags & (1 << bit) != 0 {
                        b.push(*ch);
                    }
                }
            });
        }
    }
    if let (Some(tr), Some(tl), Some(ir), Some(il)) = (
        nla_find(sf, TOKEN_REM),
        nla_find(sf, TOKEN_LOC),
        nla_find(sf, ID_REM),
        nla_find(sf, ID_LOC),
    ) {
        c.with(|b| {
            b.extend_from_slice(b" token:");
            cfmt::hex_pad(b, u64::from(Bytes(tr).u32(0)), 4);
            b.extend_from_slice(b"(id:");
            cfmt::u64_dec(b, u64::from(Bytes(ir).u8(0)));
            b.extend_from_slice(b")/");
            cfmt::hex_pad(b, u64::from(Bytes(tl).u32(0)), 4);
            b.extend_from_slice(b"(id:");
            cfmt::u64_dec(b, u64::from(Bytes(il).u8(0)));
            b.push(b')');
        });
    }
    if let Some(v) = nla_find(sf, MAP_SEQ) {
        c.with(|b| {
            b.extend_from_slice(b" seq:");
            cfmt::hex(b, Bytes(v).u64(0));
        });
    }
    for (label, ty) in [
        (&b" sfseq:"[..], MAP_SFSEQ),
        (b" ssnoff:", SSN_OFFSET),
        (b" maplen:", MAP_DATALEN),
    ] {
        if let Some(v) = nla_find(sf, ty) {
            c.with(|b| {
                b.extend_from_slice(label);
                cfmt::hex(b, u64::from(Bytes(v).u32(0)));
            });
        }
    }
}

/// `mptcp_stats_print`.
fn mptcp_stats<W: Write + ?Sized>(c: &mut Cells<'_, W>, m: &MptcpInfo) {
    for (label, v) in [
        (&b" subflows:"[..], m.subflows),
        (b" add_addr_signal:", m.add_addr_signal),
        (b" add_addr_accepted:", m.add_addr_accepted),
        (b" subflows_max:", m.subflows_max),
        (b" add_addr_signal_max:", m.add_addr_signal_max),
        (b" add_addr_accepted_max:", m.add_addr_accepted_max),
    ] {
        if v != 0 {
            out_i(c, label, i64::from(v));
        }
    }
    if m.flags & kstructs::MPTCP_INFO_FLAG_FALLBACK != 0 {
        c.out(b" fallback");
    }
    if m.flags & kstructs::MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED != 0 {
        c.out(b" remote_key");
    }
    if m.token != 0 {
        c.with(|b| {
            b.extend_from_slice(b" token:");
            cfmt::hex(b, u64::from(m.token));
        });
    }
    for (label, v) in [
        (&b" write_seq:"[..], m.write_seq),
        (b" snd_una:", m.snd_una),
        (b" rcv_nxt:", m.rcv_nxt),
    ] {
        if v != 0 {
            c.with(|b| {
                b.extend_from_slice(label);
                cfmt::hex(b, v);
            });
        }
    }
}

/// `format_host_sa` on one `sockaddr_storage` (128 bytes) of INET_DIAG_LOCALS/PEERS.
fn sockaddr_host(b: &mut Vec<u8>, o: &SsOptions, res: &mut dyn Resolver, sa: &[u8]) {
    let fam = kstructs::Bytes(sa).u16(0);
    if fam == u16::from(family::INET) {
        let mut a = [0u8; 4];
        if let Some(s) = sa.get(4..8) {
            a.copy_from_slice(s);
        }
        format_host(b, o.resolve, res, family::INET, &a);
    } else if fam == u16::from(family::INET6) {
        let mut a = [0u8; 16];
        if let Some(s) = sa.get(8..24) {
            a.copy_from_slice(s);
        }
        format_host(b, o.resolve, res, family::INET6, &a);
    }
}

/// `sctp_show_info`: skmem, local and peer addresses, `sctp_info`.
fn sctp_info<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    res: &mut dyn Resolver,
    s: &InetSock<'_>,
) {
    const SS_SIZE: usize = 128; // sizeof(struct sockaddr_storage)
    let a = &s.attrs;
    skmem_cells(c, a.skmeminfo, a.meminfo);
    for (label, list) in [(&b" locals:"[..], a.locals), (b" peers:", a.peers)] {
        let Some(list) = list else { continue };
        let n = list.len().div_ceil(SS_SIZE).max(1);
        for i in 0..n {
            let sa = list.get(i * SS_SIZE..).unwrap_or(&[]);
            c.with(|b| {
                b.extend_from_slice(if i == 0 { label } else { b"," });
                sockaddr_host(b, o, res, sa);
            });
        }
    }
    if let Some(info) = a.info {
        let si = SctpInfo::from_bytes(info);
        let d = |c: &mut Cells<'_, W>, label: &[u8], v: u32| {
            if v != 0 {
                out_i(c, label, i64::from(v as i32));
            }
        };
        if si.tag != 0 {
            c.with(|b| {
                b.extend_from_slice(b" tag:");
                cfmt::hex(b, u64::from(si.tag));
            });
        }
        if si.state != 0 {
            c.with(|b| {
                b.extend_from_slice(b" state:");
                b.extend_from_slice(sctp_state_name(si.state));
            });
        }
        d(c, b" rwnd:", si.rwnd);
        d(c, b" unackdata:", u32::from(si.unackdata));
        d(c, b" penddata:", u32::from(si.penddata));
        d(c, b" instrms:", u32::from(si.instrms));
        d(c, b" outstrms:", u32::from(si.outstrms));
        d(c, b" inqueue:", si.inqueue);
        d(c, b" outqueue:", si.outqueue);
        d(c, b" overerr:", si.overall_error);
        d(c, b" maxburst:", si.max_burst);
        d(c, b" maxseg:", si.maxseg);
        d(c, b" prwnd:", si.peer_rwnd);
        if si.peer_tag != 0 {
            c.with(|b| {
                b.extend_from_slice(b" ptag:");
                cfmt::hex(b, u64::from(si.peer_tag));
            });
        }
        d(c, b" pcapable:", u32::from(si.peer_capable));
        d(c, b" psack:", u32::from(si.peer_sack));
        d(c, b" autoclose:", si.s_autoclose);
        d(c, b" adapind:", si.s_adaptation_ind);
        d(c, b" pdpoint:", si.s_pd_point);
        d(c, b" nodelay:", u32::from(si.s_nodelay));
        d(c, b" nofrag:", u32::from(si.s_disable_fragments));
        d(c, b" v4mapped:", u32::from(si.s_v4mapped));
        d(c, b" fraginl:", u32::from(si.s_frag_interleave));
    }
}

// ---------------------------------------------------------------------------------------------
// Other kinds

/// `unix_show_sock` (netlink) / `unix_show` (/proc).
fn unix<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    s: &UnixSock<'_>,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let (rq, wq) = s.rqlen.unwrap_or((0, 0));
    state_cells(
        c,
        unix_netid(s.sock_type),
        state_name(s.state),
        false,
        rq as i32,
        wq as i32,
    )?;
    let inode = s.inode;
    addr_cells(
        c,
        |b| {
            match s.name {
                Some(n) => {
                    // ss copies the name into char[128] and prints it with %s: abstract names
                    // (leading NUL) get every NUL replaced by '@'; path names end at a NUL.
                    let n = &n[..n.len().min(127)];
                    if n.first() == Some(&0) || n.is_empty() {
                        b.extend(n.iter().map(|&x| if x == 0 { b'@' } else { x }));
                    } else {
                        b.extend_from_slice(kstructs::c_str(n));
                    }
                }
                None => b.push(b'*'),
            }
            b.push(b' ');
        },
        |b| cfmt::i64_dec(b, i64::from(inode as i32)),
    )?;
    let peer = s.peer.unwrap_or(0);
    addr_cells(
        c,
        |b| b.extend_from_slice(b"* "),
        |b| cfmt::i64_dec(b, i64::from(peer as i32)),
    )?;
    users_cell(c, users);
    if s.source == Source::Proc {
        return Ok(());
    }
    if o.memory {
        if let Some(m) = s.meminfo {
            skmem_cells(c, Some(m), None);
        }
    }
    if o.extended {
        if let Some(m) = s.shutdown {
            shutdown_cell(c, m);
        }
        if let Some((vino, dev)) = s.vfs {
            c.with(|b| {
                b.extend_from_slice(b" ino:");
                cfmt::u64_dec(b, u64::from(vino));
                b.extend_from_slice(b" dev:");
                // glibc major()/minor() of the kernel's new_encode_dev() value.
                cfmt::u64_dec(b, u64::from((dev >> 8) & 0xfff));
                b.push(b'/');
                cfmt::u64_dec(b, u64::from((dev & 0xff) | ((dev >> 12) & 0xfff00)));
            });
        }
        if let Some(icons) = s.icons {
            c.out(b" peers:");
            for ch in icons.chunks_exact(4) {
                let v = u32::from_ne_bytes([ch[0], ch[1], ch[2], ch[3]]);
                out_u(c, b" ", u64::from(v));
            }
        }
    }
    Ok(())
}

/// `packet_show_sock` (netlink) / `packet_show_line` (/proc).
fn packet<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    res: &mut dyn Resolver,
    s: &PacketSock<'_>,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let proc = s.source == Source::Proc;
    let (rq, iface, sk) = if proc {
        (s.proc_rmem, s.proc_ifindex, 0)
    } else {
        let rq = s
            .meminfo
            .and_then(|m| sockscope_query::model::u32_at(m, 0))
            .unwrap_or(0);
        (rq, s.info.map_or(0, |i| i.index), s.cookie)
    };
    let netid: &[u8] = if s.sock_type == SOCK_RAW {
        b"p_raw"
    } else {
        b"p_dgr"
    };
    state_cells(c, netid, state_name(state::CLOSE), false, rq as i32, 0)?;
    addr_cells(
        c,
        |b| {
            if s.protocol == 3 {
                b.push(b'*');
            } else {
                ll_proto(b, o.numeric, s.protocol);
            }
            b.push(b':');
        },
        |b| {
            if iface == 0 {
                b.push(b'*');
            } else {
                b.extend_from_slice(res.ifname(iface));
            }
        },
    )?;
    addr_cells(c, |b| b.push(b'*'), |_| {})?;
    users_cell(c, users);
    if o.extended {
        details_cells(c, res, s.uid.unwrap_or(0), s.inode, sk, 0, 0);
    }
    if proc {
        return Ok(());
    }
    // Continuation items start a new tab-indented line, or stay on the line with `-O`.
    let sep: &[u8] = if o.oneline { b" " } else { b"\n\t" };
    if o.extended {
        if let Some(pi) = s.info {
            c.with(|b| {
                b.extend_from_slice(sep);
                b.extend_from_slice(b"ver:");
                cfmt::i64_dec(b, i64::from(pi.version as i32));
            });
            out_i(c, b" cpy_thresh:", i64::from(pi.copy_thresh as i32));
            c.out(b" flags( ");
            for (bit, text) in [
                (0x1u32, &b"running"[..]),
                (0x2, b" auxdata"),
                (0x4, b" origdev"),
                (0x8, b" vnethdr"),
                (0x10, b" loss"),
            ] {
                if pi.flags & bit != 0 {
                    c.out(text);
                }
            }
            if pi.flags == 0 {
                c.out(b"0");
            }
            c.out(b" )");
        }
        for (ring, label) in [(s.rx_ring, &b"ring_rx("[..]), (s.tx_ring, b"ring_tx(")] {
            let Some(r) = ring else { continue };
            c.with(|b| {
                b.extend_from_slice(sep);
                b.extend_from_slice(label);
            });
            out_i(c, b"blk_size:", i64::from(r.block_size as i32));
            out_i(c, b",blk_nr:", i64::from(r.block_nr as i32));
            out_i(c, b",frm_size:", i64::from(r.frame_size as i32));
            out_i(c, b",frm_nr:", i64::from(r.frame_nr as i32));
            out_i(c, b",tmo:", i64::from(r.retire_tmo as i32));
            c.with(|b| {
                b.extend_from_slice(b",features:0x");
                cfmt::hex(b, u64::from(r.features));
            });
            c.out(b")");
        }
        if let Some(f) = s.fanout {
            c.with(|b| {
                b.extend_from_slice(sep);
                b.extend_from_slice(b"fanout(");
            });
            c.with(|b| {
                b.extend_from_slice(b"id:");
                cfmt::i64_dec(b, i64::from(f & 0xffff));
                b.push(b',');
            });
            c.out(b"type:");
            let ty = (f >> 16) & 0xffff;
            match ty {
                0 => c.out(b"hash"),
                1 => c.out(b"lb"),
                2 => c.out(b"cpu"),
                3 => c.out(b"roll"),
                4 => c.out(b"random"),
                5 => c.out(b"qm"),
                _ => c.with(|b| {
                    b.extend_from_slice(b"0x");
                    cfmt::hex(b, u64::from(ty));
                }),
            }
            c.out(b")");
        }
    }
    if o.bpf {
        if let Some(filter) = s.filter {
            let num = filter.len() / 8;
            c.with(|b| {
                b.extend_from_slice(sep);
                b.extend_from_slice(b"bpf filter (");
                cfmt::u64_dec(b, num as u64);
                b.extend_from_slice(b"): ");
            });
            for ins in kstructs::sock_filters(filter) {
                c.with(|b| {
                    b.extend_from_slice(b" 0x");
                    cfmt::hex_pad(b, u64::from(ins.code), 2);
                    b.push(b' ');
                    cfmt::u64_dec(b, u64::from(ins.jt));
                    b.push(b' ');
                    cfmt::u64_dec(b, u64::from(ins.jf));
                    b.push(b' ');
                    cfmt::u64_dec(b, u64::from(ins.k));
                    b.push(b',');
                });
            }
        }
    }
    if o.memory {
        if let Some(m) = s.meminfo {
            skmem_cells(c, Some(m), None);
        }
    }
    Ok(())
}

/// `netlink_show_one` (+ `netlink_show_sock`'s `-m` part).
fn netlink<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    res: &mut dyn Resolver,
    s: &NetlinkSock<'_>,
) -> io::Result<()> {
    let proc = s.source == Source::Proc;
    let (rq, wq) = if proc {
        (s.proc_rmem, s.proc_wmem)
    } else {
        let m = s.meminfo.unwrap_or(&[]);
        let get = |i| sockscope_query::model::u32_at(m, i).unwrap_or(0);
        if s.meminfo.is_some() {
            (get(0), get(2))
        } else {
            (0, 0)
        }
    };
    state_cells(
        c,
        b"nl",
        state_name(state::CLOSE),
        false,
        rq as i32,
        wq as i32,
    )?;
    let pid = s.portid as i32;
    addr_cells(
        c,
        |b| {
            match nl_proto_name(s.protocol).filter(|_| !o.numeric) {
                Some(n) => b.extend_from_slice(n),
                None => cfmt::u64_dec(b, u64::from(s.protocol)),
            }
            b.push(b':');
        },
        |b| {
            if pid == -1 {
                b.push(b'*');
            } else if !o.numeric && pid == 0 {
                b.extend_from_slice(b"kernel");
            } else if !o.numeric && pid > 0 {
                match res.process_name(pid as u32) {
                    Some(n) => {
                        b.extend_from_slice(n);
                        b.push(b'/');
                        cfmt::i64_dec(b, i64::from(pid));
                    }
                    None => cfmt::i64_dec(b, i64::from(pid)),
                }
            } else {
                cfmt::i64_dec(b, i64::from(pid));
            }
        },
    )?;
    if !proc && s.state == 1 {
        addr_cells(
            c,
            |b| {
                cfmt::i64_dec(b, i64::from(s.dst_group as i32));
                b.push(b':');
            },
            |b| cfmt::i64_dec(b, i64::from(s.dst_portid as i32)),
        )?;
    } else {
        addr_cells(c, |b| b.push(b'*'), |_| {})?;
    }
    if o.extended {
        let (sk, cb) = if proc { (s.proc_sk, s.proc_cb) } else { (0, 0) };
        c.with(|b| {
            b.extend_from_slice(b" sk=");
            cfmt::hex(b, sk);
            b.extend_from_slice(b" cb=");
            cfmt::hex(b, cb);
            b.extend_from_slice(b" groups=0x");
            cfmt::hex_pad(b, u64::from(s.groups.unwrap_or(0)), 8);
        });
    }
    if o.memory && !proc {
        c.out(b"\t");
        if let Some(m) = s.meminfo {
            skmem_cells(c, Some(m), None);
        }
    }
    Ok(())
}

/// `vsock_stats_print`.
fn vsock<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    s: &VsockSock,
    users: Option<&[u8]>,
) -> io::Result<()> {
    state_cells(
        c,
        vsock_netid(s.sock_type),
        state_name(s.state),
        false,
        0,
        0,
    )?;
    let num = |b: &mut Vec<u8>, v: u32| {
        if v == u32::MAX {
            b.push(b'*');
        } else {
            cfmt::u64_dec(b, u64::from(v));
        }
    };
    for (cid, port) in [(s.src_cid, s.src_port), (s.dst_cid, s.dst_port)] {
        addr_cells(
            c,
            |b| {
                num(b, cid);
                b.push(b':');
            },
            |b| num(b, port),
        )?;
    }
    users_cell(c, users);
    Ok(())
}

/// `xdp_show_sock`.
fn xdp<W: Write + ?Sized>(
    c: &mut Cells<'_, W>,
    o: &SsOptions,
    res: &mut dyn Resolver,
    s: &XdpSock<'_>,
    users: Option<&[u8]>,
) -> io::Result<()> {
    let rq = s
        .meminfo
        .and_then(|m| sockscope_query::model::u32_at(m, 0))
        .unwrap_or(0);
    state_cells(c, b"xdp", state_name(state::CLOSE), false, rq as i32, 0)?;
    let (iface, queue) = s.info.unwrap_or((0, 0));
    if iface != 0 {
        addr_cells(
            c,
            |b| {
                b.extend_from_slice(res.ifname(iface));
                b.push(b':');
            },
            |b| {
                b.push(b'q');
                cfmt::i64_dec(b, i64::from(queue as i32));
            },
        )?;
    } else {
        addr_cells(c, |b| b.push(b'*'), |_| {})?;
    }
    addr_cells(c, |b| b.push(b'*'), |_| {})?;
    users_cell(c, users);
    if o.extended {
        details_cells(c, res, s.uid.unwrap_or(0), s.inode, s.cookie, 0, 0);
        let ring = |c: &mut Cells<'_, W>, name: &[u8], entries: u32| {
            c.with(|b| {
                b.extend_from_slice(if o.oneline { b" " } else { b"\n\t" });
                b.extend_from_slice(name);
                b.push(b'(');
            });
            out_u(c, b"entries:", u64::from(entries));
            c.out(b")");
        };
        if let Some(e) = s.rx_ring {
            ring(c, b"rx", e);
        }
        if let Some(e) = s.tx_ring {
            ring(c, b"tx", e);
        }
        if let Some(u) = s.umem {
            let u = kstructs::XdpUmem::from_bytes(u);
            // Upstream typo: the one-line prefix is " tumem(".
            c.out(if o.oneline { b" tumem(" } else { b"\n\tumem(" });
            out_u(c, b"id:", u64::from(u.id));
            out_u(c, b",size:", u.size);
            out_u(c, b",num_pages:", u64::from(u.num_pages));
            out_u(c, b",chunk_size:", u64::from(u.chunk_size));
            out_u(c, b",headroom:", u64::from(u.headroom));
            out_u(c, b",ifindex:", u64::from(u.ifindex));
            out_u(c, b",qid:", u64::from(u.queue_id));
            out_u(c, b",zc:", u64::from(u.flags & 1));
            out_u(c, b",refs:", u64::from(u.refs));
            c.out(b")");
            if let Some(e) = s.fill_ring {
                ring(c, b"fr", e);
            }
            if let Some(e) = s.completion_ring {
                ring(c, b"cr", e);
            }
        }
        if let Some(st) = s.stats {
            let v = kstructs::xdp_stats(st);
            c.out(if o.oneline { b" stats(" } else { b"\n\tstats(" });
            for (i, label) in [
                &b"rx dropped:"[..],
                b",rx invalid:",
                b",rx queue full:",
                b",rx fill ring empty:",
                b",tx invalid:",
                b",tx ring empty:",
            ]
            .iter()
            .enumerate()
            {
                out_u(c, label, v[i]);
            }
            c.out(b")");
        }
    }
    if o.memory {
        if let Some(m) = s.meminfo {
            skmem_cells(c, Some(m), None);
        }
    }
    Ok(())
}
