//! Execution of the netstat persona: netstat.c `main` after option parsing — the mode
//! (`-M`, `-s`, `-r`, `-i`, else the socket listing with `-g`), each mode's messages and exit
//! statuses, and the `-c` / interval loop (flush, sleep, repeat until killed). Data comes from
//! `sockscope_query::netstat`, text from `sockscope_render::netstat`; this module owns stdout
//! (one buffered writer, flushed after every round) and stderr.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sockscope_netlink::os::die_of_sigpipe;
use sockscope_query::links::LinkNameCache;
use sockscope_query::netstat::held_rows::HeldRows;
use sockscope_query::netstat::names::{NamesConfig, NetstatNames, SystemNames};
use sockscope_query::netstat::procnet::{self, BogusLine, GroupRow, IfInet6Row, SnmpSection};
use sockscope_query::netstat::programs::{ProgramMap, ScanNote};
use sockscope_query::netstat::rtnl::{self, Link};
use sockscope_query::netstat::sockets::{InetKind, InetRow, SocketDumper, SocketsError, UnixRow};
use sockscope_render::netstat::iface::{self, Iface};
use sockscope_render::netstat::json::{self, Array};
use sockscope_render::netstat::routes;
use sockscope_render::netstat::sockets::{
    self, group_row, inet_header, unix_header, InetPrinter, Listing, SocketOptions,
};
use sockscope_render::netstat::stats::{StatFile, StatPrinter, StatSwitches};

use super::args::{self, NetstatArgs};
use crate::exit::strerror;

/// Where netstat reads everything (it has no PROC_ROOT).
const PROC: &str = "/proc";

/// Runs the netstat persona with the words after the program name; returns the exit status.
pub fn run(prog: &OsStr, words: Vec<OsString>) -> i32 {
    let posix = std::env::var_os("POSIXLY_CORRECT").is_some();
    let args = match args::parse(prog.as_bytes(), &words, posix) {
        Ok(a) => a,
        Err(exit) => return exit.emit(),
    };
    if !args.notes.is_empty() {
        let _ = io::stderr().write_all(&args.notes);
    }
    let stdout = io::stdout();
    let mut r = Runner {
        out: io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        buf: Vec::with_capacity(64 * 1024),
        names: SystemNames::new(NamesConfig::default()),
        dumper: SocketDumper::new(Path::new(PROC)),
        proc: PathBuf::from(PROC),
        programs: None,
        a: args,
        iface_title_done: false,
    };
    let status = r.main();
    r.flush();
    status
}

struct Runner<W: Write> {
    out: io::BufWriter<W>,
    /// Text of the current piece, written out in chunks.
    buf: Vec<u8>,
    names: SystemNames,
    dumper: SocketDumper,
    proc: PathBuf,
    /// The `-p` cache of this round (netstat's prg_cache).
    programs: Option<ProgramMap>,
    a: NetstatArgs,
    iface_title_done: bool,
}

/// `perror(text)`.
fn perror(text: &str, e: &io::Error) {
    eprintln!("{text}: {}", strerror(e));
}

/// netstat's `perror(FILE)` for a socket dump that could use neither netlink nor /proc;
/// whether it failed.
fn dump_failed(r: Result<(), SocketsError>) -> bool {
    match r {
        Err(SocketsError::Proc { path, error }) => {
            perror(&path.to_string_lossy(), &error);
            true
        }
        Ok(()) => false,
    }
}

/// ESYSNOT: `netstat: no support for `NAME' on this system.`
fn esysnot(name: &str) {
    eprintln!("netstat: no support for `{name}' on this system.");
}

impl<W: Write> Runner<W> {
    fn json(&self) -> bool {
        self.a.json
    }

    /// Writes `buf` to stdout; a closed pipe ends the process as it ends netstat.
    fn emit(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let r = self.out.write_all(&self.buf);
        self.buf.clear();
        if let Err(e) = r {
            write_failed(&e);
        }
    }

    fn flush(&mut self) {
        self.emit();
        if let Err(e) = self.out.flush() {
            write_failed(&e);
        }
    }

    /// netstat.c `wait_continous`: flush, sleep (1 s, or the trailing interval).
    fn wait(&mut self) {
        self.flush();
        let secs = self.a.interval.unwrap_or(1);
        std::thread::sleep(Duration::from_secs(u64::from(secs)));
    }

    fn main(&mut self) -> i32 {
        if self.a.masquerade > 0 {
            return self.repeat(|r| r.masquerade());
        }
        if self.a.statistics > 0 {
            if self.a.interval.is_some() {
                // Windows/BSD semantics: statistics repeat with an interval (-c does not).
                loop {
                    let s = self.statistics();
                    if s != 0 {
                        return s;
                    }
                    self.wait();
                }
            }
            return self.statistics();
        }
        if self.a.route > 0 {
            return self.repeat(|r| r.routes());
        }
        if self.a.interfaces > 0 {
            return self.repeat(|r| r.interfaces());
        }
        self.repeat(|r| {
            let s = r.sockets();
            r.programs = None;
            s
        })
    }

    /// Runs `round` until it fails or, without `-c`/interval, once.
    fn repeat(&mut self, mut round: impl FnMut(&mut Self) -> i32) -> i32 {
        loop {
            let s = round(self);
            if s != 0 || !self.a.repeat() {
                return s;
            }
            self.wait();
        }
    }

    // ---- -M ----------------------------------------------------------------------------

    fn masquerade(&mut self) -> i32 {
        let path = self.proc.join("net/ip_masquerade");
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                esysnot("ip_masquerade");
                1
            }
            Err(e) => {
                perror(&path.to_string_lossy(), &e);
                -1
            }
            // Kernels since 2.4 have no such file; nothing to show.
            Ok(_) => 0,
        }
    }

    // ---- -s ----------------------------------------------------------------------------

    fn statistics(&mut self) -> i32 {
        let af = if self.a.afname.is_empty() {
            "inet".to_owned()
        } else {
            self.a.afname.clone()
        };
        let sw = StatSwitches {
            raw: self.a.raw > 0,
            tcp: self.a.tcp > 0,
            udp: self.a.udp > 0,
            sctp: self.a.sctp > 0,
        };
        let mut p = StatPrinter::new(sw);
        let mut arr = Array::new();
        match af.as_str() {
            "inet" => {
                let snmp = self.proc.join("net/snmp");
                match std::fs::read(&snmp) {
                    Err(e) => perror("cannot open /proc/net/snmp", &e),
                    Ok(data) => {
                        let f = procnet::parse_snmp_pairs(&data, None);
                        self.stat_sections(&mut p, &mut arr, StatFile::V4, &f.sections);
                        if f.error {
                            eprintln!("Problem while parsing /proc/net/snmp");
                        }
                        if let Ok(data) = std::fs::read(self.proc.join("net/netstat")) {
                            let f = procnet::parse_snmp_pairs(&data, None);
                            self.stat_sections(&mut p, &mut arr, StatFile::V4, &f.sections);
                            if f.error {
                                eprintln!("Problem while parsing /proc/net/netstat");
                            }
                        }
                        if let Ok(data) = std::fs::read(self.proc.join("net/sctp/snmp")) {
                            let s = procnet::parse_sctp_snmp(&data);
                            self.stat_sections(&mut p, &mut arr, StatFile::V4, &[s]);
                        }
                    }
                }
            }
            "inet6" => match std::fs::read(self.proc.join("net/snmp6")) {
                Err(e) => perror("cannot open /proc/net/snmp6", &e),
                Ok(data) => {
                    let s = procnet::parse_snmp6(&data);
                    self.stat_sections(&mut p, &mut arr, StatFile::V6, &s);
                    match std::fs::read(self.proc.join("net/snmp")) {
                        Err(e) => perror("cannot open /proc/net/snmp", &e),
                        Ok(data) => {
                            let f = procnet::parse_snmp_pairs(&data, Some(b"Tcp"));
                            self.stat_sections(&mut p, &mut arr, StatFile::V4, &f.sections);
                        }
                    }
                }
            },
            other => {
                self.buf.extend_from_slice(
                    format!(
                        "netstat: No statistics support for specified address family: {other}\n"
                    )
                    .as_bytes(),
                );
                return 1;
            }
        }
        if self.json() {
            arr.finish(&mut self.buf);
        }
        self.emit();
        0
    }

    fn stat_sections(
        &mut self,
        p: &mut StatPrinter,
        arr: &mut Array,
        file: StatFile,
        sections: &[SnmpSection],
    ) {
        for s in sections {
            if self.json() {
                let shown = match (file, &s.name[..]) {
                    (StatFile::V4, b"Ip" | b"Icmp") | (StatFile::V6, b"Ip6" | b"Icmp6") => {
                        p.switches.raw
                    }
                    (StatFile::V4, b"Tcp" | b"TcpExt") | (StatFile::V6, b"Tcp6") => p.switches.tcp,
                    (StatFile::V4, b"Udp") | (StatFile::V6, b"Udp6") => p.switches.udp,
                    (StatFile::V4, b"Sctp") => p.switches.sctp,
                    _ => true,
                };
                if shown {
                    arr.item(&mut self.buf);
                    json::stat_section(&mut self.buf, s);
                }
            } else {
                p.section(&mut self.buf, file, s);
            }
        }
    }

    // ---- -r ----------------------------------------------------------------------------

    fn routes(&mut self) -> i32 {
        let af = if self.a.afname.is_empty() {
            "inet".to_owned()
        } else {
            self.a.afname.clone()
        };
        let ext = routes::route_ext(self.a.extend);
        let numeric = self.a.numeric_hosts || self.a.symbolic;
        let fib = self.a.fib || !self.a.cache;
        let cache = self.a.cache;
        let mut arr = Array::new();
        let mut status = 0;
        for name in af.split(',') {
            if name.is_empty() {
                continue;
            }
            let rc = match name {
                "inet" => {
                    let mut rc = 0;
                    if fib {
                        rc = self.fib4(ext, numeric, &mut arr);
                    }
                    if rc == 0 && cache {
                        rc = self.cache4(ext);
                    }
                    rc
                }
                "inet6" => {
                    let mut rc = 0;
                    if fib {
                        rc = self.fib6(false, numeric, &mut arr);
                    }
                    if rc == 0 && cache {
                        // /proc/net/ndisc does not exist: the FIB rows flagged as cache.
                        rc = self.fib6(true, numeric, &mut arr);
                    }
                    rc
                }
                "unix" | "ash" => {
                    eprintln!("No routing for address family `{name}'.");
                    3
                }
                "ax25" => self.legacy_route(
                    &["net/ax25_route"],
                    "AX.25 not configured in this system.\n",
                    false,
                ),
                "netrom" => self.legacy_route(
                    &["net/nr_nodes", "net/nr_neigh"],
                    "NET/ROM not configured in this system.\n",
                    false,
                ),
                "rose" => self.legacy_route(
                    &["net/rose_nodes"],
                    "ROSE not configured in this system.\n",
                    true,
                ),
                "ipx" => self.legacy_route(
                    &["net/ipx/route", "net/ipx_route"],
                    "IPX routing not in file /proc/net/ipx/route or /proc/net/ipx_route found.\n",
                    false,
                ),
                "ddp" => self.legacy_route(
                    &["net/atalk_route"],
                    "DDP (AppleTalk) not configured on this system.\n",
                    true,
                ),
                "x25" => self.legacy_route(
                    &["net/x25/route", "net/x25_routes"],
                    "X.25 not configured in this system.\n",
                    false,
                ),
                _ => {
                    eprintln!("Address family `{name}' not supported.");
                    3
                }
            };
            if rc != 0 {
                status = rc;
                break;
            }
        }
        if self.json() {
            arr.finish(&mut self.buf);
        }
        self.emit();
        status
    }

    /// The routing tables of the old families: their /proc files are gone; netstat prints the
    /// open error and "… not configured …" (on stdout, or stderr for ROSE and DDP).
    fn legacy_route(&mut self, files: &[&str], text: &str, to_stderr: bool) -> i32 {
        if files.iter().any(|f| self.proc.join(f).exists()) {
            return 0;
        }
        let e = io::Error::from_raw_os_error(libc_enoent());
        if let Some(f) = files.first() {
            perror(&format!("/proc/{f}"), &e);
        }
        if to_stderr {
            eprint!("{text}");
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
        1
    }

    /// IPv4 routes, printed as the dump delivers them (a full table is 100k+ rows: holding
    /// them cost 6 MiB). Interface names come from one RTM_GETLINK per distinct index.
    fn fib4(&mut self, ext: u32, numeric: bool, arr: &mut Array) -> i32 {
        let json = self.json();
        let start = self.buf.len();
        if !json {
            routes::fib4_header(&mut self.buf, ext);
        }
        let mut names = LinkNameCache::default();
        let mut rows = 0usize;
        let r = rtnl::for_each_route4(|r| {
            let name: &[u8] = if r.ifindex == 0 {
                b"*"
            } else {
                names.name_or(r.ifindex, || b"*".to_vec())
            };
            if json {
                arr.item(&mut self.buf);
                json::route4_row(&mut self.buf, r, name);
            } else {
                routes::fib4_row(&mut self.buf, r, name, ext, numeric, &mut self.names);
            }
            rows += 1;
            if self.buf.len() > 60_000 {
                self.emit();
            }
        });
        if r.is_err() && rows == 0 {
            // The dump could not start: what net-tools says without /proc/net/route.
            self.buf.truncate(start);
            let e = io::Error::from_raw_os_error(libc_enoent());
            perror("/proc/net/route", &e);
            self.buf
                .extend_from_slice(b"INET (IPv4) not configured in this system.\n");
            return 1;
        }
        0
    }

    fn cache4(&mut self, ext: u32) -> i32 {
        let path = self.proc.join("net/rt_cache");
        if let Err(e) = std::fs::metadata(&path) {
            perror("/proc/net/rt_cache", &e);
            self.buf
                .extend_from_slice(b"INET (IPv4) not configured in this system.\n");
            return 1;
        }
        if !self.json() {
            routes::cache4_header(&mut self.buf, ext);
        }
        0
    }

    /// IPv6 routes. /proc/net/ipv6_route is what netstat prints (null entries, one row per
    /// multipath sibling, reference counts), but the kernel restarts its tree walk for every
    /// 4 KiB read, so reading it costs O(routes²): minutes for 200,000 routes. The routes are
    /// therefore dumped over rtnetlink first; up to [`PROC_ROUTE6_LIMIT`] routes the /proc file
    /// is read for exact rows, above it the rows are built from the dump as it arrives
    /// ([`Fib6FromDump`]).
    fn fib6(&mut self, cache: bool, numeric: bool, arr: &mut Array) -> i32 {
        let limit = std::env::var("SOCKSCOPE_IPV6_ROUTE_PROC_LIMIT")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(PROC_ROUTE6_LIMIT);
        // The first `limit` rows wait for the verdict; past it they and all later ones are
        // printed as they arrive. A dump that fails before the limit falls back to /proc.
        let mut first: Vec<rtnl::Route6> = Vec::new();
        let mut streaming: Option<Fib6FromDump> = None;
        let _ = rtnl::for_each_route6(|r| {
            if let Some(s) = streaming.as_mut() {
                s.row(self, arr, r);
                return;
            }
            first.push(r.clone());
            if first.len() > limit {
                let mut s = Fib6FromDump::new(cache, numeric);
                if !self.json() {
                    routes::fib6_header(&mut self.buf, cache);
                }
                for r in first.drain(..) {
                    s.row(self, arr, &r);
                }
                streaming = Some(s);
            }
        });
        if let Some(mut s) = streaming {
            // The last table ends (a dump that failed midway ends the listing where it stopped).
            s.end_table(self, arr);
            return 0;
        }
        drop(first);
        let path = self.proc.join("net/ipv6_route");
        let data = match read_big(&path) {
            Ok(d) => d,
            Err(e) => {
                perror("/proc/net/ipv6_route", &e);
                self.buf
                    .extend_from_slice(b"INET6 (IPv6) not configured in this system.\n");
                return 1;
            }
        };
        let rows = procnet::parse_ipv6_route(&data);
        if !self.json() {
            routes::fib6_header(&mut self.buf, cache);
        }
        for r in rows.iter().filter(|r| routes::fib6_listed(r, cache)) {
            self.fib6_row(arr, numeric, r);
        }
        0
    }

    /// Prints one IPv6 route row (text or JSON).
    fn fib6_row(&mut self, arr: &mut Array, numeric: bool, r: &procnet::Route6Row) {
        if self.json() {
            arr.item(&mut self.buf);
            json::route6_row(&mut self.buf, r);
        } else {
            routes::fib6_row(&mut self.buf, r, numeric, &mut self.names);
        }
        if self.buf.len() > 60_000 {
            self.emit();
        }
    }

    // ---- -i ----------------------------------------------------------------------------

    fn interfaces(&mut self) -> i32 {
        if !self.iface_title_done && !self.json() {
            iface::title(&mut self.buf);
        }
        self.iface_title_done = true;
        let long = self.a.flag_exp() >= 2;
        if !long && !self.json() {
            iface::short_header(&mut self.buf);
        }
        let links = match rtnl::dump_links() {
            Ok(l) => l,
            Err(_) => {
                self.emit();
                eprintln!("missing interface information: No such device");
                return 1;
            }
        };
        let addrs = rtnl::dump_addrs4().unwrap_or_default();
        let mut names: Vec<Vec<u8>> = Vec::new();
        for l in &links {
            iface::sorted_insert(&mut names, &l.name);
        }
        for a in &addrs {
            if !a.label.is_empty() {
                iface::sorted_insert(&mut names, &a.label);
            }
        }
        let inet6 = if long || self.json() {
            std::fs::read(self.proc.join("net/if_inet6"))
                .map(|d| procnet::parse_if_inet6(&d))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut arr = Array::new();
        for name in &names {
            // The ioctls look the device up by the name before a ':' (dev_ioctl).
            let dev_name = match name.iter().position(|&b| b == b':') {
                Some(i) => &name[..i],
                None => &name[..],
            };
            let Some(link) = links.iter().find(|l| l.name == dev_name) else {
                self.emit();
                eprintln!(
                    "{}: error fetching interface information: Device not found",
                    String::from_utf8_lossy(name)
                );
                eprintln!("missing interface information: No such device");
                return 1;
            };
            let i = make_iface(name, link, &addrs);
            if i.flags & 1 == 0 && self.a.all == 0 {
                continue;
            }
            let mine: Vec<&IfInet6Row> = inet6.iter().filter(|r| r.device == *name).collect();
            if self.json() {
                arr.item(&mut self.buf);
                json::iface(&mut self.buf, &i, &mine);
            } else if long {
                iface::long_block(&mut self.buf, &i, &mine);
            } else {
                iface::short_row(&mut self.buf, &i);
            }
        }
        if self.json() {
            arr.finish(&mut self.buf);
        }
        self.emit();
        0
    }

    // ---- socket listing ------------------------------------------------------------------

    fn socket_options(&self) -> SocketOptions {
        SocketOptions {
            listing: Listing {
                all: self.a.all > 0,
                listening: self.a.listening > 0,
            },
            numeric_hosts: self.a.numeric_hosts,
            numeric_ports: self.a.numeric_ports,
            numeric_users: self.a.numeric_users,
            wide: self.a.wide > 0,
            extend: self.a.flag_exp() > 1,
            programs: self.a.programs > 0,
            timers: self.a.timers > 0,
            hz: self.dumper.hz(),
        }
    }

    /// netstat.c `prg_cache_load`, once per round.
    fn load_programs(&mut self) {
        if self.a.programs == 0 || self.programs.is_some() {
            return;
        }
        let source = crate::ss::env::owner_source(std::env::var_os("SOCKSCOPE_OWNERS"));
        let map = ProgramMap::scan(&self.proc, source);
        match map.note() {
            ScanNote::Complete => {}
            ScanNote::NotAll => eprint!(
                "(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n"
            ),
            ScanNote::NothingRead => eprintln!(
                "(No info could be read for \"-p\": geteuid()={} but you should be root.)",
                rustix::process::geteuid().as_raw()
            ),
        }
        self.programs = Some(map);
    }

    /// INFO_GUTS1's handling of a missing file (ENOENT/EACCES): the message and status.
    fn missing(&self, name: &str) -> i32 {
        let a = &self.a;
        if !a.noprot && (a.arg_count > 0 || a.verbose) {
            esysnot(name);
        }
        i32::from(!a.noprot && a.arg_count > 0)
    }

    fn sockets(&mut self) -> i32 {
        let a = &self.a;
        let arg = a.arg_count > 0;
        let any_inet = a.tcp + a.sctp + a.udp + a.udplite + a.raw > 0;
        let mut arr = Array::new();
        let mut status = 0;
        'round: {
            if !arg || any_inet {
                self.load_programs();
                if !self.json() {
                    inet_header(&self.socket_options(), &mut self.buf);
                }
            }
            let kinds = [
                (InetKind::Tcp, self.a.tcp, "AF INET (tcp)"),
                (InetKind::Udp, self.a.udp, "AF INET (udp)"),
                (InetKind::UdpLite, self.a.udplite, "AF INET (udplite)"),
                (InetKind::Raw, self.a.raw, "AF INET (raw)"),
            ];
            for (n, (kind, flag, name)) in kinds.into_iter().enumerate() {
                if n == 1 && (!arg || self.a.sctp > 0) {
                    status = self.sctp();
                    if status != 0 {
                        break 'round;
                    }
                }
                if !arg || flag > 0 {
                    status = self.inet(kind, name, &mut arr);
                    if status != 0 {
                        break 'round;
                    }
                }
            }
            if self.a.groups > 0 {
                if !self.json() {
                    sockets::groups_header(&mut self.buf);
                }
                status = self.groups(&mut arr);
                if status != 0 {
                    break 'round;
                }
            }
            if !arg || self.a.families.unix > 0 {
                self.load_programs();
                status = self.unix(&mut arr);
                if status != 0 {
                    break 'round;
                }
            }
            let f = self.a.families;
            let legacy: [(u32, &[&str], &str); 5] = [
                (f.ipx, &["net/ipx/socket", "net/ipx"], "AF IPX"),
                (f.ax25, &["net/ax25"], "AF AX25"),
                (f.x25, &["net/x25"], "AF X25"),
                (f.netrom, &["net/nr"], "AF NETROM"),
                (f.rose, &["net/rose"], "AF ROSE"),
            ];
            for (flag, files, name) in legacy {
                if arg && flag == 0 {
                    continue;
                }
                if !files.iter().any(|p| self.proc.join(p).is_file()) {
                    if arg || self.a.verbose {
                        esysnot(name);
                    }
                    if arg {
                        status = 1;
                        break 'round;
                    }
                }
            }
            // No Bluetooth in this build (ENOSUPP), only when asked for explicitly.
            if arg && (self.a.l2cap > 0 || self.a.rfcomm > 0) {
                status = 1;
                self.emit();
                eprint!(
                    "netstat: feature `AF BLUETOOTH' not supported.\nPlease recompile `net-tools' with newer kernel source or full configuration.\n"
                );
            }
        }
        if self.json() {
            arr.finish(&mut self.buf);
        }
        self.emit();
        status
    }

    /// One inet kind, IPv4 then IPv6 (INFO_GUTS6). When both families are listed as text,
    /// the IPv6 dump runs on a second thread while the IPv4 rows stream out (the kernel's dump
    /// is most of the cost; the two families are independent dumps); its rows wait in a
    /// compact [`HeldRows`] and are printed after the IPv4 ones, as by the one-thread path.
    fn inet(&mut self, kind: InetKind, name: &str, arr: &mut Array) -> i32 {
        let arg = self.a.arg_count > 0;
        let mut rc = 0;
        let opts = self.socket_options();
        let json = self.json();
        let details = opts.timers || opts.extend;
        let mut families: Vec<u8> = Vec::with_capacity(2);
        for (family, wanted) in [
            (2u8, !arg || self.a.families.inet > 0),
            (10u8, !arg || self.a.families.inet6 > 0),
        ] {
            if !wanted {
                continue;
            }
            if !self.dumper.supported(kind, family) {
                if family == 2 {
                    rc = self.missing(name);
                }
                continue;
            }
            families.push(family);
        }
        self.emit();
        if families == [2, 10] && !json {
            let proc = self.proc.clone();
            let Runner {
                out,
                names,
                programs,
                buf,
                dumper,
                ..
            } = self;
            let programs = programs.as_ref();
            let (r4, (held6, r6)) = std::thread::scope(|s| {
                let v6 = s.spawn(move || {
                    let mut dumper6 = SocketDumper::new(&proc);
                    let mut held = HeldRows::new();
                    let r = dumper6.inet(kind, 10, opts.timers, details, &mut |row| {
                        if opts.listing.inet_listed(kind, row) {
                            held.push(row);
                        }
                        std::ops::ControlFlow::Continue(())
                    });
                    (held, r)
                });
                let mut sink = RowSink::new(opts, false);
                let mut ctx = RowCtx {
                    out,
                    names,
                    programs,
                    buf,
                };
                let r4 = dumper.inet(kind, 2, opts.timers, details, &mut |row| {
                    if !opts.listing.inet_listed(kind, row) {
                        return std::ops::ControlFlow::Continue(());
                    }
                    sink.row(&mut ctx, arr, kind, row)
                });
                let v6 = v6.join().unwrap_or_else(|_| (HeldRows::new(), Ok(())));
                (r4, v6)
            });
            if dump_failed(r4) {
                return -1;
            }
            let mut sink = RowSink::new(opts, false);
            let mut ctx = RowCtx {
                out: &mut self.out,
                names: &mut self.names,
                programs: self.programs.as_ref(),
                buf: &mut self.buf,
            };
            // An IPv6 dump that failed (netlink and /proc) prints only netstat's perror.
            if r6.is_ok() {
                let _ = held6.replay(|row| sink.row(&mut ctx, arr, kind, row));
            }
            if dump_failed(r6) {
                return -1;
            }
            return rc;
        }
        for family in families {
            let mut sink = RowSink::new(opts, json);
            let Runner {
                out,
                names,
                programs,
                buf,
                dumper,
                ..
            } = self;
            let mut ctx = RowCtx {
                out,
                names,
                programs: programs.as_ref(),
                buf,
            };
            let r = dumper.inet(kind, family, opts.timers, details, &mut |row| {
                if !opts.listing.inet_listed(kind, row) {
                    return std::ops::ControlFlow::Continue(());
                }
                sink.row(&mut ctx, arr, kind, row)
            });
            if dump_failed(r) {
                return -1;
            }
        }
        rc
    }

    /// SCTP: `-l`/`-a` read the endpoints, the default and `-a` the associations. Only the
    /// presence of the files is used (rows of SCTP sockets are not shown yet).
    fn sctp(&mut self) -> i32 {
        let (all, lst) = (self.a.all > 0, self.a.listening > 0);
        let arg = self.a.arg_count > 0;
        for (want, file) in [
            (all || lst, "net/sctp/eps"),
            (all || !lst, "net/sctp/assocs"),
        ] {
            if !want {
                continue;
            }
            if (!arg || self.a.families.inet > 0) && !self.proc.join(file).exists() {
                let rc = self.missing("AF INET (sctp)");
                if rc != 0 {
                    return rc;
                }
            }
        }
        0
    }

    fn groups(&mut self, arr: &mut Array) -> i32 {
        let arg = self.a.arg_count > 0;
        let mut rc = 0;
        let mut rows: Vec<GroupRow> = Vec::new();
        let mut bogus: Vec<BogusLine> = Vec::new();
        if !arg || self.a.families.inet > 0 {
            match std::fs::read(self.proc.join("net/igmp")) {
                Ok(d) => procnet::parse_igmp(&d, &mut rows, &mut bogus),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied
                    ) =>
                {
                    rc = self.missing("AF INET (igmp)");
                }
                Err(e) => {
                    perror("/proc/net/igmp", &e);
                    return -1;
                }
            }
        }
        if !arg || self.a.families.inet6 > 0 {
            if let Ok(d) = std::fs::read(self.proc.join("net/igmp6")) {
                procnet::parse_igmp6(&d, &mut rows, &mut bogus);
            }
        }
        for b in &bogus {
            eprintln!(
                "warning, got bogus igmp{} line {}.",
                if b.v6 { "6" } else { "" },
                b.line
            );
        }
        let numeric = self.a.numeric_hosts;
        for r in &rows {
            if self.json() {
                arr.item(&mut self.buf);
                json::group_row(&mut self.buf, r);
            } else {
                group_row(&mut self.buf, r, numeric, &mut self.names);
            }
        }
        rc
    }

    fn unix(&mut self, arr: &mut Array) -> i32 {
        let opts = self.socket_options();
        if !self.json() {
            unix_header(&opts, &mut self.buf);
        }
        if !self.proc.join("net/unix").exists() {
            return self.missing("AF UNIX");
        }
        let rows: Vec<UnixRow> = match self.dumper.unix() {
            Ok(r) => r,
            Err(SocketsError::Proc { path, error }) => {
                perror(&path.to_string_lossy(), &error);
                return -1;
            }
        };
        let programs = self.programs.as_ref();
        for r in rows.iter().filter(|r| opts.listing.unix_listed(r)) {
            if self.a.json {
                arr.item(&mut self.buf);
                let prog = programs.and_then(|p| Some((p.pid(r.inode)?, p.label(r.inode)?)));
                json::unix_row(&mut self.buf, r, prog);
            } else {
                sockets::unix_row(&mut self.buf, &opts, r, programs);
            }
        }
        0
    }
}

/// What printing an inet row needs of the [`Runner`] (borrowed apart from its dumper).
struct RowCtx<'a, W: Write> {
    out: &'a mut io::BufWriter<W>,
    names: &'a mut SystemNames,
    programs: Option<&'a ProgramMap>,
    buf: &'a mut Vec<u8>,
}

/// Prints inet rows (text or JSON) for [`Runner::inet`].
struct RowSink {
    printer: InetPrinter,
    opts: SocketOptions,
    json: bool,
}

impl RowSink {
    fn new(opts: SocketOptions, json: bool) -> RowSink {
        RowSink {
            printer: InetPrinter::new(opts),
            opts,
            json,
        }
    }

    fn row<W: Write>(
        &mut self,
        c: &mut RowCtx<'_, W>,
        arr: &mut Array,
        kind: InetKind,
        row: &InetRow,
    ) -> std::ops::ControlFlow<()> {
        if self.json {
            arr.item(c.buf);
            let user = if self.opts.numeric_users {
                None
            } else {
                c.names.user(row.uid).map(<[u8]>::to_vec)
            };
            let prog = c
                .programs
                .and_then(|p| Some((p.pid(row.inode)?, p.label(row.inode)?.to_vec())));
            json::inet_row(
                c.buf,
                kind,
                row,
                user.as_deref(),
                prog.as_ref().map(|(p, l)| (*p, &l[..])),
                self.opts.hz,
            );
            if c.buf.len() > 60_000 {
                if let Err(e) = c.out.write_all(c.buf) {
                    write_failed(&e);
                    return std::ops::ControlFlow::Break(());
                }
                c.buf.clear();
            }
            return std::ops::ControlFlow::Continue(());
        }
        match self.printer.row(kind, row, c.names, c.programs, c.out) {
            Ok(()) => std::ops::ControlFlow::Continue(()),
            Err(e) => {
                write_failed(&e);
                std::ops::ControlFlow::Break(())
            }
        }
    }
}

/// An interface entry from its device and the IPv4 address of its own label.
fn make_iface(name: &[u8], link: &Link, addrs: &[rtnl::Addr4]) -> Iface {
    let mut hw = [0u8; 8];
    let n = link.address.len().min(8);
    hw[..n].copy_from_slice(&link.address[..n]);
    let inet = addrs
        .iter()
        .find(|a| a.index == link.index && a.label == name)
        .map(|a| (a.local, a.mask(), a.broadcast, a.address));
    Iface {
        name: name.to_vec(),
        flags: link.flags as u16,
        mtu: link.mtu as i32,
        hw_type: link.hw_type,
        hwaddr: hw,
        txqlen: link.txqlen.map(|q| q as i32),
        inet,
        // Only real devices are lines of /proc/net/dev.
        counters: if name == &link.name[..] {
            Some(link.stats.unwrap_or_default().proc_dev())
        } else {
            None
        },
        map: (
            link.map.irq,
            link.map.mem_start,
            link.map.mem_end,
            link.map.base_addr,
            link.map.dma,
        ),
    }
}

/// Above this many IPv6 routes, `-r` builds its rows from rtnetlink instead of reading
/// /proc/net/ipv6_route (see `Runner::fib6`).
const PROC_ROUTE6_LIMIT: usize = 5000;

/// The rows of /proc/net/ipv6_route rebuilt from an rtnetlink dump, printed as the routes
/// arrive: multipath siblings expanded (by the dump), each table's null entry (`::/0` reject
/// on the loopback device) after its routes when it has no `::/0` route, flags rebuilt, Ref
/// shown as 1. A table's routes arrive together.
struct Fib6FromDump {
    cache: bool,
    numeric: bool,
    /// The table being printed and whether it had a `::/0` route.
    table: Option<u32>,
    has_default: bool,
    /// Interface names by index (one RTM_GETLINK per distinct index).
    names: LinkNameCache,
    /// The loopback device's name, looked up for the first null entry.
    lo: Option<Vec<u8>>,
    /// The row being printed (reused).
    row: procnet::Route6Row,
}

impl Fib6FromDump {
    fn new(cache: bool, numeric: bool) -> Fib6FromDump {
        Fib6FromDump {
            cache,
            numeric,
            table: None,
            has_default: false,
            names: LinkNameCache::default(),
            lo: None,
            // Every field is set for each route.
            row: procnet::Route6Row::null(Vec::new()),
        }
    }

    fn row<W: Write>(&mut self, out: &mut Runner<W>, arr: &mut Array, r: &rtnl::Route6) {
        if self.table != Some(r.table) {
            self.end_table(out, arr);
            self.table = Some(r.table);
        }
        self.has_default |= r.dst_len == 0;
        let name = self.names.name_or(r.ifindex, Vec::new);
        let row = &mut self.row;
        row.dst = r.dst;
        row.dst_len = u32::from(r.dst_len);
        row.next_hop = r.gateway;
        row.metric = r.metric as i32;
        row.refcnt = 1;
        row.use_count = 0;
        row.flags = r.proc_flags();
        row.device.clear();
        row.device.extend_from_slice(name);
        if routes::fib6_listed(row, self.cache) {
            out.fib6_row(arr, self.numeric, row);
        }
    }

    /// The null entry of the table that just ended, unless it had a `::/0` route.
    fn end_table<W: Write>(&mut self, out: &mut Runner<W>, arr: &mut Array) {
        let needed = self.table.is_some() && !self.has_default;
        self.has_default = false;
        if !needed {
            return;
        }
        let lo = self.lo.get_or_insert_with(|| {
            rtnl::dump_links()
                .ok()
                .and_then(|links| links.into_iter().find(|l| l.hw_type == 772))
                .map_or_else(|| b"lo".to_vec(), |l| l.name)
        });
        let null = procnet::Route6Row::null(lo.clone());
        if routes::fib6_listed(&null, self.cache) {
            out.fib6_row(arr, self.numeric, &null);
        }
    }
}

/// Reads a large /proc file with big reads: every read of a seq_file restarts its walk, so
/// few large reads keep `/proc/net/ipv6_route` with 200,000 routes fast.
fn read_big(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut data: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut chunk = 1 << 20;
    loop {
        if data.capacity() - data.len() < chunk {
            data.reserve(chunk);
        }
        let start = data.len();
        data.resize(start + chunk, 0);
        let n = loop {
            match f.read(&mut data[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        data.truncate(start + n);
        if n == 0 {
            return Ok(data);
        }
        chunk = (chunk * 2).min(16 << 20);
    }
}

fn libc_enoent() -> i32 {
    2
}

/// A failed write to stdout: EPIPE kills the process by SIGPIPE as it kills netstat; other
/// errors are ignored (stdio does not report them either).
fn write_failed(e: &io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        die_of_sigpipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sockscope_query::netstat::rtnl::{Addr4, LinkStats};

    #[test]
    fn alias_entries_take_the_parent_and_their_own_address() {
        let link = Link {
            index: 2,
            name: b"veth0".to_vec(),
            flags: 0x1043,
            hw_type: 1,
            address: vec![2, 0, 0, 0, 0, 1],
            mtu: 1500,
            txqlen: Some(1000),
            stats: Some(LinkStats::default()),
            ..Link::default()
        };
        let addrs = vec![
            Addr4 {
                index: 2,
                label: b"veth0".to_vec(),
                prefix_len: 24,
                local: [192, 0, 2, 1],
                address: [192, 0, 2, 1],
                broadcast: [0; 4],
            },
            Addr4 {
                index: 2,
                label: b"veth0:1".to_vec(),
                prefix_len: 24,
                local: [192, 0, 2, 10],
                address: [192, 0, 2, 10],
                broadcast: [0; 4],
            },
        ];
        let dev = make_iface(b"veth0", &link, &addrs);
        assert!(dev.counters.is_some());
        assert_eq!(dev.inet.unwrap().0, [192, 0, 2, 1]);
        let alias = make_iface(b"veth0:1", &link, &addrs);
        assert!(alias.counters.is_none());
        assert_eq!(alias.inet.unwrap().0, [192, 0, 2, 10]);
        assert_eq!((alias.flags, alias.mtu), (0x1043, 1500));
        assert_eq!(&alias.hwaddr[..6], &[2, 0, 0, 0, 0, 1]);
    }
}
