//! Execution of the ss persona: arguments → summary → selection → dump → render, with ss's
//! exit statuses. The one place where the pieces meet: query dumps, render prints, and this
//! module owns stdout (one buffered writer), stderr and the terminal check.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::ops::ControlFlow;

use sockscope_netlink::os::{die_of_sigpipe, enter_netns, NetnsError};
use sockscope_query::filter::{self, Filter, FilterError, Matcher, OwnerLookup, SystemNames};
use sockscope_query::model::{Sock, Table, UnixSock};
use sockscope_query::owners::OwnerMap;
use sockscope_query::plan::{self, TcpWalk, Visitor};
use sockscope_query::resolver::{ResolverConfig, SystemResolver};
use sockscope_query::summary;
use sockscope_render::json::{JsonOptions, JsonWriter};
use sockscope_render::ss::{SsOptions, SsPrinter};

use super::args::{self, filter_file_error, FilterFile, Hooks};
use super::destroy::{self, EventSink, Kill};
use super::env::{self, WalkChoice};
use super::select;
use super::usage::USAGE;
use crate::exit::{strerror, Exit};

/// Size of the stdout buffer. The table already hands over 64 KiB pieces, which bypass a
/// smaller buffer; this one only gathers the small writes (summary, JSON objects).
const STDOUT_BUFFER: usize = 32 * 1024;

/// Runs the ss persona with the words after the program name; returns the exit status.
pub fn run(prog: &OsStr, words: Vec<OsString>) -> i32 {
    let mut hooks = ProcessHooks::default();
    let args = match args::parse(prog, words, env::posixly_correct(), &mut hooks) {
        Ok(a) => a,
        Err(exit) => return exit.emit(),
    };
    let sources = env::sources_from_env();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(STDOUT_BUFFER, stdout.lock());

    if args.summary {
        let (numbers, errors) = summary::read(&sources);
        for e in &errors {
            eprintln!("{e}");
        }
        let written =
            sockscope_render::summary::write_summary(&numbers, &mut out).and_then(|()| out.flush());
        if let Err(e) = written {
            return write_failed(&e);
        }
        if args.summary_only() {
            return 0;
        }
    }

    let selection = match select::select(&args, sources) {
        Ok(s) => s,
        Err(exit) => return exit.emit(),
    };
    let mut plan = selection.plan;

    if let Some(file) = &args.diag {
        return write_diag(file, &plan);
    }

    // Step 9 of §1.3: the filter expression (words, then the -F file) may narrow the
    // families; it decides the bytecode and which decoded sockets are shown.
    let filter = match parse_filter(&selection.filter_words, hooks.filter_text.as_deref(), &plan) {
        Ok(f) => f,
        Err(exit) => return exit.emit(),
    };
    plan.families = filter.families;
    plan.preferred_family = filter.preferred_family;
    plan.bytecode = filter.program(args.filter_mode).0;
    let matcher = filter.matcher(args.filter_mode);
    // `uid`/`user` conditions read unix sockets' uid, which only UDIAG_SHOW_UID brings (ss
    // never asks for it and prints it nowhere; the JSON output drops it again).
    let hide_unix_uid = filter.needs_uid() && plan.unix_show & select::show::UID == 0;
    if filter.needs_uid() {
        plan.unix_show |= select::show::UID;
    }

    // The owner scan for `-p`/`-T` (or for `pid`/`comm` conditions) runs on its own thread
    // while the kernel dumps. Printing and filtering wait for it, so the dump is then received
    // on a second thread without limit: the kernel's work goes on during the wait.
    let filter_owners = filter.needs_owners();
    let mut owners = (args.needs_process_scan() || filter_owners).then(|| {
        let root = plan
            .sources
            .proc_root
            .clone()
            .unwrap_or_else(|| "/proc/".into());
        let threads = args.threads;
        let source = plan.sources.owners;
        Users {
            scan: Some(std::thread::spawn(move || {
                OwnerMap::scan(&root, threads, source)
            })),
            map: OwnerMap::default(),
            threads,
            print: args.needs_process_scan(),
            filter: filter_owners,
            text: Vec::new(),
        }
    });
    // -K: a dump abandoned after a refused SOCK_DESTROY leaves its next datagram queued, and
    // ss's retry on the same socket reads it (often just the old dump's DONE, which ends the
    // retry). Receiving ahead on another thread would consume it, so -K receives in step.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if !args.kill && cores > 1 {
        // Three 32 KiB buffers absorb the decoder's wake-up latency: with two, -tan on 100k
        // sockets measured ~5 ms slower; each one more costs peak RSS (kept under ss's). With
        // tcp_info (-i) formatting a socket costs about as much as the kernel's dumping it, and
        // the two threads stall each other on three: 16 measured 168 -> 145 ms on 100k sockets
        // (floor 122 ms) for about 0.4 MB.
        plan.prefetch_ahead = if owners.is_some() {
            usize::MAX
        } else if plan.inet_ext & select::ext::INFO != 0 {
            16
        } else {
            3
        };
    }

    // Held sockets keep uid, inode and cookie only when something prints or filters on them:
    // -e, JSON, owners (-p/-T/-Z and pid/comm conditions look sockets up by inode), uid/user
    // conditions.
    let ids = args.details || args.json || owners.is_some() || filter.needs_uid();
    plan.tcp_walk = tcp_walk(
        env::tcp_walk_choice(),
        WalkNeeds {
            kill: args.kill,
            cores,
            owners: owners.is_some(),
            kernel_filter: plan.bytecode.is_some(),
            ids,
        },
    );

    let mut kill = args.kill.then(Kill::open);

    let mut resolver = SystemResolver::new(ResolverConfig::from_sources(&plan.sources));
    resolver.set_diagnostic_sink(Box::new(|text| eprintln!("{text}")));

    let result = if args.json {
        let mut sink = Sink {
            gate: Gate {
                filter: matcher,
                users: owners.as_mut(),
                kill: kill.as_mut(),
            },
            output: JsonOutput {
                json: JsonWriter::new(JsonOptions {
                    cgroup_paths: args.cgroup || args.details,
                    lines: args.events,
                }),
                hide_unix_uid,
            },
            resolver: &mut resolver,
            out: &mut out,
            error: None,
        };
        if args.events {
            return destroy::follow(&plan, &mut sink);
        }
        let r = plan::run(&plan, &mut sink);
        let end = match sink.error.take() {
            Some(e) => Err(e),
            None => sink.output.json.finish(sink.out),
        };
        (r, end)
    } else {
        let opts = SsOptions {
            numeric: args.numeric,
            resolve: args.resolve,
            timers: args.show_options,
            extended: args.details,
            memory: args.memory,
            info: args.info,
            tos: args.tos,
            cgroup: args.cgroup,
            bpf: args.bpf,
            oneline: args.oneline,
            inet_sockopt: args.inet_sockopt,
            header: !args.no_header,
            netid_column: selection.show_netid,
            state_column: selection.show_state,
            screen_width: screen_width(),
            follow: args.events,
            ..SsOptions::default()
        };
        let mut sink = Sink {
            gate: Gate {
                filter: matcher,
                users: owners.as_mut(),
                kill: kill.as_mut(),
            },
            output: SsPrinter::new(opts),
            resolver: &mut resolver,
            out: &mut out,
            error: None,
        };
        let header = sink.output.header(sink.out);
        if args.events {
            if let Err(e) = header {
                return write_failed(&e);
            }
            return destroy::follow(&plan, &mut sink);
        }
        let r = plan::run(&plan, &mut sink);
        let end = match (header, sink.error.take()) {
            (Err(e), _) | (_, Some(e)) => Err(e),
            _ => sink.output.finish(sink.out),
        };
        (r, end)
    };
    let (dumped, rendered) = result;
    if let Err(e) = rendered.and_then(|()| out.flush()) {
        return write_failed(&e);
    }
    match dumped {
        Ok(()) => 0,
        // The message (`!!!Remnant of size N`) already went through the visitor.
        Err(_) => 1,
    }
}

/// Parses the filter words and the `-F` text (spec §3) with the plan's selection. Errors are
/// ss's exits: a syntax error prints bison's line, sockscope's position hint and the usage
/// text (255); value errors their own lines (1, or 255 for an unsupported cgroup filter).
fn parse_filter(
    words: &[OsString],
    file: Option<&[u8]>,
    plan: &plan::Plan,
) -> Result<Filter, Exit> {
    use std::os::unix::ffi::OsStrExt;
    let words: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
    let cfg = ResolverConfig::from_sources(&plan.sources);
    let mut names = SystemNames::new(cfg.clone());
    let mut ephemeral = || {
        use sockscope_query::names::Resolver;
        let (lo, hi) = SystemResolver::new(cfg.clone()).ephemeral_range();
        (lo as i32, hi as i32)
    };
    let sel = filter::Selection::from_plan(plan);
    filter::parse(&words, file, &sel, &mut names, &mut ephemeral).map_err(|e| match e {
        FilterError::Exit { status, stderr } => Exit::stderr(status, stderr),
        syntax @ FilterError::Syntax { .. } => {
            let mut text = String::from(
                "ss: bison bellows (while parsing filter): \"syntax error!\" Sorry.\n",
            );
            if let Some(hint) = syntax.hint() {
                text.push_str(&hint);
                text.push('\n');
            }
            text.push_str(USAGE);
            Exit::stderr(args::USAGE_STATUS, text)
        }
    })
}

/// `-D FILE`: the raw TCP dump, written to FILE (`-` = stdout), then exit 0.
fn write_diag(file: &OsStr, plan: &plan::Plan) -> i32 {
    let mut diag = Diagnostics;
    let r = if file == "-" {
        let stdout = io::stdout();
        let mut w = io::BufWriter::new(stdout.lock());
        plan::write_tcp_dump(plan, &mut w, &mut diag).map(|_| w.flush())
    } else {
        // ss does not check fopen's result; a file that cannot be created writes nothing.
        match std::fs::File::create(file) {
            Ok(f) => {
                let mut w = io::BufWriter::new(f);
                plan::write_tcp_dump(plan, &mut w, &mut diag).map(|_| w.flush())
            }
            Err(_) => return 0,
        }
    };
    match r {
        Ok(Ok(())) | Err(_) => 0,
        Ok(Err(e)) => write_failed(&e),
    }
}

/// A failed write to stdout: a closed pipe ends the process the way it ends ss (SIGPIPE);
/// anything else is reported, with ss's status (stdio errors do not change it).
pub(super) fn write_failed(e: &io::Error) -> i32 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        die_of_sigpipe();
    }
    eprintln!("sockscope: write error: {}", strerror(e));
    0
}

/// The terminal width when stdout is a terminal (ss uses TIOCGWINSZ only, not `$COLUMNS`).
fn screen_width() -> Option<usize> {
    let fd = rustix::stdio::stdout();
    if !rustix::termios::isatty(fd) {
        return None;
    }
    let ws = rustix::termios::tcgetwinsize(fd).ok()?;
    (ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

/// Diagnostics only (for `-D`).
struct Diagnostics;

impl Visitor for Diagnostics {
    fn socket(&mut self, _sock: Sock<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    fn diagnostic(&mut self, text: &str) {
        eprintln!("{text}");
    }
    fn diagnostic_raw(&mut self, text: &str) {
        eprint!("{text}");
    }
}

/// What both sinks do before printing a socket: the filter (with the owners its `pid`/`comm`
/// conditions need), `-K`'s SOCK_DESTROY, and the owner scan's hints and waiting.
struct Gate<'a> {
    filter: Matcher<'a>,
    users: Option<&'a mut Users>,
    kill: Option<&'a mut Kill>,
}

impl<'a> Gate<'a> {
    fn wants_inode_hints(&self) -> bool {
        self.users.as_ref().is_some_and(|u| u.print || u.filter)
    }

    fn waiting(&self) -> bool {
        self.users.as_deref().is_some_and(Users::scanning)
    }

    fn upcoming_inodes(&mut self, inodes: &[u32]) {
        if let Some(u) = self.users.as_deref_mut() {
            u.map().warm(inodes);
        }
    }

    fn take_dump_failure(&mut self) -> bool {
        self.kill.as_deref_mut().is_some_and(Kill::take_failure)
    }

    /// Whether `sock` is shown: it passes the filter and, with `-K`, was destroyed (`Break`:
    /// the kernel refused, the dump ends). `Continue(Some(users))` carries the text between
    /// `users:(` and `)` when owners are printed and known.
    fn admit(&mut self, sock: Sock<'_>) -> ControlFlow<(), Option<Option<&[u8]>>> {
        let owners: Option<&dyn OwnerLookup> = match self.users.as_deref_mut() {
            Some(u) if u.filter => Some(u.map()),
            _ => None,
        };
        if !self.filter.accept_with(sock, owners) {
            return ControlFlow::Continue(None);
        }
        if let Some(k) = self.kill.as_deref_mut() {
            if !k.destroy(sock)? {
                return ControlFlow::Continue(None);
            }
        }
        ControlFlow::Continue(Some(
            self.users.as_deref_mut().and_then(|u| u.text_for(sock)),
        ))
    }
}

/// How a sink prints one admitted socket: the ss table or JSON.
trait SocketOutput {
    fn print<W: Write>(
        &mut self,
        sock: Sock<'_>,
        users: Option<&[u8]>,
        res: &mut SystemResolver,
        out: &mut W,
    ) -> io::Result<()>;
    /// A dump of `table` starts (the table's service-lookup protocol).
    fn dump_started(&mut self, _table: Table) {}
}

impl SocketOutput for SsPrinter {
    fn print<W: Write>(
        &mut self,
        sock: Sock<'_>,
        users: Option<&[u8]>,
        res: &mut SystemResolver,
        out: &mut W,
    ) -> io::Result<()> {
        SsPrinter::print(self, sock, users, res, out)
    }
    fn dump_started(&mut self, table: Table) {
        SsPrinter::dump_started(self, table);
    }
}

/// Sockets as JSON.
struct JsonOutput {
    json: JsonWriter,
    /// The unix uid was dumped for the filter only: not printed.
    hide_unix_uid: bool,
}

impl SocketOutput for JsonOutput {
    fn print<W: Write>(
        &mut self,
        sock: Sock<'_>,
        users: Option<&[u8]>,
        res: &mut SystemResolver,
        out: &mut W,
    ) -> io::Result<()> {
        let without_uid;
        let sock = match sock {
            Sock::Unix(u) if self.hide_unix_uid => {
                without_uid = UnixSock { uid: None, ..*u };
                Sock::Unix(&without_uid)
            }
            other => other,
        };
        self.json.print(sock, users, res, out)
    }
}

/// The visitor of a listing: admits sockets through the [`Gate`], prints them with `output`.
struct Sink<'a, W: Write, O: SocketOutput> {
    gate: Gate<'a>,
    output: O,
    resolver: &'a mut SystemResolver,
    out: &'a mut W,
    error: Option<io::Error>,
}

impl<W: Write, O: SocketOutput> Visitor for Sink<'_, W, O> {
    fn wants_inode_hints(&self) -> bool {
        self.gate.wants_inode_hints()
    }
    fn waiting(&self) -> bool {
        self.gate.waiting()
    }
    fn upcoming_inodes(&mut self, inodes: &[u32]) {
        self.gate.upcoming_inodes(inodes);
    }
    fn take_dump_failure(&mut self) -> bool {
        self.gate.take_dump_failure()
    }
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
        let Some(users) = self.gate.admit(sock)? else {
            return ControlFlow::Continue(());
        };
        match self.output.print(sock, users, self.resolver, self.out) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }
    fn dump_started(&mut self, table: Table) {
        self.output.dump_started(table);
    }
    fn diagnostic(&mut self, text: &str) {
        eprintln!("{text}");
    }
    fn diagnostic_raw(&mut self, text: &str) {
        eprint!("{text}");
    }
}

/// `-p`/`-T` and the filter's `pid`/`comm`: the owners map and a reused buffer for one
/// socket's `users:(...)` contents.
struct Users {
    /// The scan still running; joined when the first socket needs it.
    scan: Option<std::thread::JoinHandle<OwnerMap>>,
    map: OwnerMap,
    threads: bool,
    /// `-p`/`-T`: the owners are printed (else the scan is for the filter only).
    print: bool,
    /// The filter has `pid`/`comm` conditions.
    filter: bool,
    text: Vec<u8>,
}

impl Users {
    /// The owner scan is still running (the map would have to be waited for).
    fn scanning(&self) -> bool {
        self.scan.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// The owners map, once the scan is done.
    fn map(&mut self) -> &OwnerMap {
        if let Some(scan) = self.scan.take() {
            // A panicking scan thread would be a bug; show no owners rather than abort.
            self.map = scan.join().unwrap_or_default();
        }
        &self.map
    }

    /// The text between `users:(` and `)` for a socket, or None when nobody owns it (ss
    /// prints nothing for netlink sockets) or owners are not printed.
    fn text_for(&mut self, sock: Sock<'_>) -> Option<&[u8]> {
        if !self.print {
            return None;
        }
        let inode = match sock {
            Sock::Inet(s) => s.inode,
            Sock::Unix(s) => s.inode,
            Sock::Packet(s) => s.inode,
            Sock::Vsock(s) => s.inode,
            Sock::Xdp(s) => s.inode,
            Sock::Netlink(_) => return None,
        };
        self.map();
        let mut owners = self.map.owners(inode).peekable();
        owners.peek()?;
        let t = &mut self.text;
        t.clear();
        let mut n = itoa::Buffer::new();
        for (i, o) in owners.enumerate() {
            if i > 0 {
                t.push(b',');
            }
            t.extend_from_slice(b"(\"");
            t.extend_from_slice(self.map.name(o));
            t.extend_from_slice(b"\",pid=");
            t.extend_from_slice(n.format(o.pid).as_bytes());
            if self.threads {
                t.extend_from_slice(b",tid=");
                t.extend_from_slice(n.format(o.tid).as_bytes());
            }
            t.extend_from_slice(b",fd=");
            t.extend_from_slice(n.format(o.fd).as_bytes());
            t.push(b')');
        }
        Some(t)
    }
}

/// The side effects ss performs while parsing options.
#[derive(Default)]
struct ProcessHooks {
    /// The `-F` file's contents (read when the option is seen, as ss opens it then).
    filter_text: Option<Vec<u8>>,
}

impl Hooks for ProcessHooks {
    fn switch_netns(&mut self, name: &OsStr) -> Result<(), Exit> {
        let name_s = name.to_string_lossy();
        match enter_netns(name) {
            Ok(messages) => {
                for m in messages {
                    eprintln!("{m}");
                }
                Ok(())
            }
            Err(e) => {
                let text = match e {
                    NetnsError::Open(errno) => {
                        format!("Cannot open network namespace \"{name_s}\": {errno}\n")
                    }
                    NetnsError::Setns(errno) => {
                        format!("setting the network namespace \"{name_s}\" failed: {errno}\n")
                    }
                    NetnsError::Unshare(errno) => format!("unshare failed: {errno}\n"),
                    NetnsError::MakeSlave(errno) => {
                        format!("\"mount --make-rslave /\" failed: {errno}\n")
                    }
                    NetnsError::MountSys(errno) => format!("mount of /sys failed: {errno}\n"),
                };
                Err(Exit::stderr(1, text))
            }
        }
    }

    fn open_filter_file(&mut self, file: &FilterFile) -> Result<(), Exit> {
        use std::io::Read;
        let mut text = Vec::new();
        let r = match file {
            FilterFile::Stdin => io::stdin().lock().read_to_end(&mut text).map(|_| ()),
            FilterFile::Path(p) => std::fs::read(p).map(|t| text = t),
        };
        r.map_err(|e| filter_file_error(&e))?;
        self.filter_text = Some(text);
        Ok(())
    }
}

impl<W: Write> EventSink for Sink<'_, W, SsPrinter> {
    fn render_and_flush(&mut self) -> io::Result<()> {
        self.output.finish(self.out)?;
        self.out.flush()
    }
    fn take_write_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }
}

impl<W: Write> EventSink for Sink<'_, W, JsonOutput> {
    fn render_and_flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn take_write_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }
}

/// What decides how TCP's two families are asked for.
#[derive(Clone, Copy, Debug)]
struct WalkNeeds {
    /// -K: its fallbacks depend on which of ss's requests a refusal ends.
    kill: bool,
    cores: usize,
    /// -p/-T/-Z or owner filter keywords: the owner scan runs meanwhile.
    owners: bool,
    /// The filter compiled to kernel bytecode.
    kernel_filter: bool,
    /// Held sockets must keep uid, inode and cookie.
    ids: bool,
}

/// How TCP's two families are asked for (see `TcpWalk`). ss's requests at once walk the
/// kernel's tables twice to share the per-socket work between two cores: that pays only when
/// most sockets are sent and the second core is free. A kernel filter rejects most sockets
/// during the walk (`dport = :P` on 10% of 100k: 22.3 ms in one walk, 25.9 at once), and the
/// owner scan of -p needs the second core (-tanp: 109 ms in one walk, 135 at once); both take
/// the one walk, as does one core. -K always makes ss's requests in turn.
fn tcp_walk(choice: WalkChoice, n: WalkNeeds) -> TcpWalk {
    let ids = n.ids;
    let concurrent_pays = n.cores > 1 && !n.owners && !n.kernel_filter;
    match choice {
        _ if n.kill => TcpWalk::PerFamily,
        WalkChoice::PerFamily => TcpWalk::PerFamily,
        WalkChoice::Once => TcpWalk::Once { ids },
        WalkChoice::Concurrent => TcpWalk::Concurrent { ids },
        WalkChoice::Auto if concurrent_pays => TcpWalk::Concurrent { ids },
        WalkChoice::Auto => TcpWalk::Once { ids },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_walk_choice() {
        let plain = WalkNeeds {
            kill: false,
            cores: 2,
            owners: false,
            kernel_filter: false,
            ids: false,
        };
        let auto = |n: WalkNeeds| tcp_walk(WalkChoice::Auto, n);
        assert_eq!(auto(plain), TcpWalk::Concurrent { ids: false });
        assert_eq!(
            auto(WalkNeeds { ids: true, ..plain }),
            TcpWalk::Concurrent { ids: true }
        );
        for one_walk in [
            WalkNeeds { cores: 1, ..plain },
            WalkNeeds {
                owners: true,
                ..plain
            },
            WalkNeeds {
                kernel_filter: true,
                ..plain
            },
        ] {
            assert_eq!(auto(one_walk), TcpWalk::Once { ids: false }, "{one_walk:?}");
        }
        let kill = WalkNeeds {
            kill: true,
            ..plain
        };
        for choice in [
            WalkChoice::Auto,
            WalkChoice::Once,
            WalkChoice::Concurrent,
            WalkChoice::PerFamily,
        ] {
            assert_eq!(tcp_walk(choice, kill), TcpWalk::PerFamily);
        }
        let one_core = WalkNeeds { cores: 1, ..plain };
        assert_eq!(
            tcp_walk(WalkChoice::Concurrent, one_core),
            TcpWalk::Concurrent { ids: false }
        );
        assert_eq!(
            tcp_walk(WalkChoice::Once, plain),
            TcpWalk::Once { ids: false }
        );
        assert_eq!(tcp_walk(WalkChoice::PerFamily, plain), TcpWalk::PerFamily);
    }
}
