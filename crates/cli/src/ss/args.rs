//! [`SsArgs`]: ss 6.1's options after getopt, acted on in command-line order exactly as ss's
//! `main()` switch does (misc/ss.c): early exits (`-h`, `-V`, `-f help`, bad `-f`/`-A`, `-F`
//! twice, `-Z` without SELinux, `-N` failures) happen at the position of the option, so
//! `ss -V -q` prints the version and `ss -q -V` the getopt error.
//!
//! Table, family and `-a`/`-l` options feed the first step of the selection algorithm (spec
//! §1.3 step 1), recorded in [`OptionSelection`]; the rest of the algorithm is in
//! [`super::select`]. Side effects that ss performs while parsing (namespace switch, opening
//! the filter file, asking libselinux) go through [`Hooks`], so this module stays pure.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

use sockscope_query::filter::Mode as FilterMode;
use sockscope_query::model::{family, state, Table, TableSet};
use sockscope_query::plan::FamilySet;

use super::options::{id, ss_command};
use super::usage::{USAGE, VERSION};
use crate::exit::Exit;
use crate::getopt::{Getopt, OptionTable};

/// ss's usage-error exit status (`exit(-1)`).
pub const USAGE_STATUS: i32 = 255;

/// The `-F` argument: ss reads stdin when it starts with `-`, else opens the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterFile {
    Stdin,
    Path(OsString),
}

/// Actions ss performs in the middle of option parsing; the caller provides the real ones.
/// The defaults do nothing (and report SELinux as disabled, as on this project's machines).
pub trait Hooks {
    /// `-N NAME`: ss switches namespace at once (`netns_switch`); an error exits (status 1,
    /// with `Cannot open network namespace "NAME": …` etc.).
    fn switch_netns(&mut self, name: &OsStr) -> Result<(), Exit> {
        let _ = name;
        Ok(())
    }
    /// `-Z`/`-z`: libselinux's `is_selinux_enabled() > 0`.
    fn selinux_enabled(&mut self) -> bool {
        false
    }
    /// `-F FILE` (first one): ss `fopen`s it at once; an error exits 255 with
    /// `fopen filter file: <strerror>` (see [`filter_file_error`]).
    fn open_filter_file(&mut self, file: &FilterFile) -> Result<(), Exit> {
        let _ = file;
        Ok(())
    }
}

/// [`Hooks`] that do nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}

/// The exit for a filter file that cannot be opened (`perror("fopen filter file")`, exit -1).
pub fn filter_file_error(err: &std::io::Error) -> Exit {
    Exit::stderr(
        USAGE_STATUS,
        format!("fopen filter file: {}\n", crate::exit::strerror(err)),
    )
}

/// The selection state after the options (spec §1.3 step 1): ss's `current_filter.dbs`,
/// `.families`, `.states`, the separate `state_filter`, `do_default` and `preferred_family`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSelection {
    pub dbs: TableSet,
    pub families: FamilySet,
    /// Default states OR-ed in by table and family options.
    pub states: u32,
    /// Set by `-a`/`-l` (and by the first `-A` if still 0); replaces `states` when non-zero.
    pub state_filter: u32,
    /// No table, family or `-A` option was given.
    pub do_default: bool,
    /// The family of the last family option (AF_UNSPEC = 0 if none).
    pub preferred_family: u8,
    /// A `-A` was seen (only the first one resets the tables).
    pub saw_query: bool,
}

impl Default for OptionSelection {
    fn default() -> Self {
        OptionSelection {
            dbs: TableSet(0),
            families: FamilySet(0),
            states: 0,
            state_filter: 0,
            do_default: true,
            preferred_family: family::UNSPEC,
            saw_query: false,
        }
    }
}

/// Default states and families of a table (ss's `default_dbs[]`, spec §1.3).
pub(crate) fn table_defaults(t: Table) -> (u32, FamilySet) {
    let inet = fam(&[family::INET, family::INET6]);
    let estab = 1 << state::ESTABLISHED;
    let close = 1 << state::CLOSE;
    match t {
        Table::Tcp | Table::Mptcp | Table::Dccp | Table::Sctp => (state::SS_CONN, inet),
        Table::Udp | Table::Raw => (estab, inet),
        Table::UnixDgram => (close, fam(&[family::UNIX])),
        Table::UnixStream | Table::UnixSeqpacket => (state::SS_CONN, fam(&[family::UNIX])),
        Table::PacketDgram | Table::PacketRaw => (close, fam(&[family::PACKET])),
        Table::Netlink => (close, fam(&[family::NETLINK])),
        Table::VsockStream | Table::VsockDgram => (state::SS_CONN, fam(&[family::VSOCK])),
        Table::Tipc => (TIPC_SS_CONN, fam(&[family::TIPC])),
        Table::Xdp => (close, fam(&[family::XDP])),
    }
}

/// TIPC's default states: ESTABLISHED, LISTEN, CLOSE (ss's `TIPC_SS_CONN`).
pub(crate) const TIPC_SS_CONN: u32 =
    (1 << state::ESTABLISHED) | (1 << state::LISTEN) | (1 << state::CLOSE);

/// Default tables and states of a family (ss's `default_afs[]`); `None` for other families.
pub(crate) fn family_defaults(af: u8) -> Option<(TableSet, u32)> {
    let close = 1 << state::CLOSE;
    Some(match af {
        family::INET | family::INET6 => (
            tables(&[
                Table::Tcp,
                Table::Mptcp,
                Table::Udp,
                Table::Dccp,
                Table::Sctp,
                Table::Raw,
            ]),
            state::SS_CONN,
        ),
        family::UNIX => (
            tables(&[Table::UnixDgram, Table::UnixStream, Table::UnixSeqpacket]),
            state::SS_CONN,
        ),
        family::PACKET => (tables(&[Table::PacketDgram, Table::PacketRaw]), close),
        family::NETLINK => (tables(&[Table::Netlink]), close),
        family::VSOCK => (
            tables(&[Table::VsockStream, Table::VsockDgram]),
            state::SS_CONN,
        ),
        family::TIPC => (tables(&[Table::Tipc]), TIPC_SS_CONN),
        family::XDP => (tables(&[Table::Xdp]), close),
        _ => return None,
    })
}

fn fam(afs: &[u8]) -> FamilySet {
    let mut s = FamilySet(0);
    for &af in afs {
        s.insert(af);
    }
    s
}

fn tables(ts: &[Table]) -> TableSet {
    let mut s = TableSet(0);
    for &t in ts {
        s.insert(t);
    }
    s
}

/// `-A` names and the tables they stand for (ss's `db_name_tbl[]`; `all` omits tipc).
/// Matched exactly, case-sensitively.
pub(crate) fn query_tables(name: &[u8]) -> Option<&'static [Table]> {
    use Table::*;
    Some(match name {
        b"all" => &[
            Udp,
            Dccp,
            Tcp,
            Mptcp,
            Raw,
            UnixStream,
            UnixDgram,
            UnixSeqpacket,
            PacketRaw,
            PacketDgram,
            Netlink,
            Sctp,
            VsockStream,
            VsockDgram,
            Xdp,
        ],
        b"inet" => &[Udp, Dccp, Tcp, Mptcp, Sctp, Raw],
        b"udp" => &[Udp],
        b"dccp" => &[Dccp],
        b"tcp" => &[Tcp],
        b"mptcp" => &[Mptcp],
        b"sctp" => &[Sctp],
        b"raw" => &[Raw],
        b"unix" => &[UnixStream, UnixDgram, UnixSeqpacket],
        b"unix_stream" | b"u_str" => &[UnixStream],
        b"unix_dgram" | b"u_dgr" => &[UnixDgram],
        b"unix_seqpacket" | b"u_seq" => &[UnixSeqpacket],
        b"packet" => &[PacketRaw, PacketDgram],
        b"packet_raw" | b"p_raw" => &[PacketRaw],
        b"packet_dgram" | b"p_dgr" => &[PacketDgram],
        b"netlink" => &[Netlink],
        b"tipc" => &[Tipc],
        b"vsock" => &[VsockStream, VsockDgram],
        b"vsock_stream" | b"v_str" => &[VsockStream],
        b"vsock_dgram" | b"v_dgr" => &[VsockDgram],
        b"xdp" => &[Xdp],
        _ => return None,
    })
}

impl OptionSelection {
    /// ss's `filter_db_set`.
    pub(crate) fn set_table(&mut self, t: Table, enable: bool) {
        if enable {
            self.states |= table_defaults(t).0;
            self.dbs.insert(t);
        } else {
            self.dbs.remove(t);
        }
        self.do_default = false;
    }

    /// ss's `filter_af_set`.
    pub(crate) fn set_family(&mut self, af: u8) {
        if let Some((_, states)) = family_defaults(af) {
            self.states |= states;
        }
        self.families.insert(af);
        self.do_default = false;
        self.preferred_family = af;
    }

    /// ss's `filter_db_parse`: one `-A` item, optionally `!`-prefixed. `false` if unknown.
    pub(crate) fn apply_query_item(&mut self, item: &[u8]) -> bool {
        let (enable, name) = match item.split_first() {
            Some((b'!', rest)) => (false, rest),
            _ => (true, item),
        };
        match query_tables(name) {
            Some(ts) => {
                for &t in ts {
                    self.set_table(t, enable);
                }
                true
            }
            None => false,
        }
    }
}

/// The ss persona's options, validated, in ss's terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SsArgs {
    /// `-n`
    pub numeric: bool,
    /// `-r`
    pub resolve: bool,
    /// `-o` (also set by `-e` and `-b`: ss's `show_options`)
    pub show_options: bool,
    /// `-e`
    pub details: bool,
    /// `-m`
    pub memory: bool,
    /// `-i`
    pub info: bool,
    /// `-p`
    pub processes: bool,
    /// `-T`
    pub threads: bool,
    /// `-b`
    pub bpf: bool,
    /// `-E`
    pub events: bool,
    /// `--tipcinfo`
    pub tipcinfo: bool,
    /// `--tos`
    pub tos: bool,
    /// `--cgroup`
    pub cgroup: bool,
    /// `-s`
    pub summary: bool,
    /// `-Z` (or `-z`): process SELinux contexts
    pub proc_ctx: bool,
    /// `-z`: socket SELinux contexts
    pub sock_ctx: bool,
    /// `-K`
    pub kill: bool,
    /// `-H`: no header line
    pub no_header: bool,
    /// `-O`
    pub oneline: bool,
    /// `--inet-sockopt`
    pub inet_sockopt: bool,
    /// `-j` (sockscope extension)
    pub json: bool,
    /// `--filter-mode` (sockscope extension)
    pub filter_mode: FilterMode,
    /// `-N NAME` (the last one; each was switched to through [`Hooks::switch_netns`]).
    pub netns: Option<OsString>,
    /// `-D FILE` (the last one; `-` = stdout).
    pub diag: Option<OsString>,
    /// `-F FILE` (opened through [`Hooks::open_filter_file`]).
    pub filter_file: Option<FilterFile>,
    /// The words after the options: state words, then the filter expression.
    pub words: Vec<OsString>,
    /// Selection state after the options (spec §1.3 step 1).
    pub selection: OptionSelection,
}

impl SsArgs {
    /// Spec §1.3 step 2: after printing the `-s` summary, ss exits 0 when no table, family or
    /// `-A` option was given and no words follow.
    pub fn summary_only(&self) -> bool {
        self.summary && self.selection.do_default && self.words.is_empty()
    }

    /// `show_processes || show_threads || show_proc_ctx || show_sock_ctx`: the /proc scan for
    /// socket owners is needed.
    pub fn needs_process_scan(&self) -> bool {
        self.processes || self.threads || self.proc_ctx || self.sock_ctx
    }
}

/// The option table, built once per process from [`ss_command`].
pub fn option_table() -> &'static OptionTable {
    static TABLE: OnceLock<OptionTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // sockscope's own long options never change what an abbreviation of an ss option
        // means (`--filt` is still `--filter`).
        OptionTable::from_command(&ss_command()).with_extensions(&[id::JSON, id::FILTER_MODE])
    })
}

/// A usage error: `message` (if any), then the usage text, on stderr; exit 255.
pub fn usage_error(message: &[u8]) -> Exit {
    let mut stderr = Vec::with_capacity(message.len() + USAGE.len());
    stderr.extend_from_slice(message);
    stderr.extend_from_slice(USAGE.as_bytes());
    Exit::stderr(USAGE_STATUS, stderr)
}

/// Parses ss's command line. `prog` is the name getopt messages start with (`argv[0]`, see
/// [`crate::persona`]), `args` the words after it, `posixly_correct` whether the
/// `POSIXLY_CORRECT` environment variable is set (glibc then stops at the first operand).
pub fn parse(
    prog: &OsStr,
    args: Vec<OsString>,
    posixly_correct: bool,
    hooks: &mut dyn Hooks,
) -> Result<SsArgs, Exit> {
    let mut out = SsArgs::default();
    let mut getopt = Getopt::new(option_table(), args, posixly_correct);
    for item in getopt.by_ref() {
        let opt = item.map_err(|e| usage_error(&e.message(prog.as_bytes())))?;
        let value = opt.value.unwrap_or_default();
        apply(&mut out, opt.id, value, hooks)?;
    }
    out.words = getopt.into_operands();
    Ok(out)
}

/// One option, as the corresponding `case` of ss's `main()`.
fn apply(out: &mut SsArgs, opt: &str, value: OsString, hooks: &mut dyn Hooks) -> Result<(), Exit> {
    let sel = &mut out.selection;
    match opt {
        id::NUMERIC => out.numeric = true,
        id::RESOLVE => out.resolve = true,
        id::OPTIONS => out.show_options = true,
        id::EXTENDED => {
            out.show_options = true;
            out.details = true;
        }
        id::MEMORY => out.memory = true,
        id::INFO => out.info = true,
        id::PROCESSES => out.processes = true,
        id::THREADS => out.threads = true,
        id::BPF => {
            out.show_options = true;
            out.bpf = true;
        }
        id::EVENTS => out.events = true,
        id::DCCP => sel.set_table(Table::Dccp, true),
        id::TCP => sel.set_table(Table::Tcp, true),
        id::SCTP => sel.set_table(Table::Sctp, true),
        id::UDP => sel.set_table(Table::Udp, true),
        id::RAW => sel.set_table(Table::Raw, true),
        id::MPTCP => sel.set_table(Table::Mptcp, true),
        id::UNIX => sel.set_family(family::UNIX),
        id::VSOCK => sel.set_family(family::VSOCK),
        id::TIPC => sel.set_family(family::TIPC),
        id::XDP => sel.set_family(family::XDP),
        id::IPV4 => sel.set_family(family::INET),
        id::IPV6 => sel.set_family(family::INET6),
        id::PACKET => sel.set_family(family::PACKET),
        id::ALL => sel.state_filter = state::ALL,
        id::LISTENING => sel.state_filter = (1 << state::LISTEN) | (1 << state::CLOSE),
        id::FAMILY => {
            // Compared with strcmp: exact, case-sensitive.
            let af = match value.as_bytes() {
                b"inet" => family::INET,
                b"inet6" => family::INET6,
                b"link" => family::PACKET,
                b"unix" => family::UNIX,
                b"netlink" => family::NETLINK,
                b"tipc" => family::TIPC,
                b"vsock" => family::VSOCK,
                b"xdp" => family::XDP,
                b"help" => return Err(Exit::stdout(0, USAGE)),
                other => {
                    return Err(usage_error(&quoted(
                        b"ss: \"",
                        other,
                        b"\" is invalid family\n",
                    )))
                }
            };
            sel.set_family(af);
        }
        id::QUERY => {
            if !sel.saw_query {
                // The first -A discards earlier tables (sample x26: `-t -A udp` shows udp only).
                sel.dbs = TableSet(0);
                if sel.state_filter == 0 {
                    sel.state_filter = state::SS_CONN;
                }
                sel.saw_query = true;
                sel.do_default = false;
            }
            // Items apply left to right; a bad one exits after the earlier ones took effect.
            for item in value.as_bytes().split(|&b| b == b',') {
                if !sel.apply_query_item(item) {
                    return Err(usage_error(&quoted(
                        b"ss: \"",
                        item,
                        b"\" is illegal socket table id\n",
                    )));
                }
            }
        }
        id::SUMMARY => out.summary = true,
        id::DIAG => out.diag = Some(value),
        id::FILTER => {
            if out.filter_file.is_some() {
                return Err(Exit::stderr(USAGE_STATUS, "More than one filter file\n"));
            }
            let file = if value.as_bytes().first() == Some(&b'-') {
                FilterFile::Stdin
            } else {
                FilterFile::Path(value)
            };
            hooks.open_filter_file(&file)?;
            out.filter_file = Some(file);
        }
        id::VERSION => return Err(Exit::stdout(0, VERSION)),
        id::HELP => return Err(Exit::stdout(0, USAGE)),
        id::CONTEXT | id::CONTEXTS => {
            if opt == id::CONTEXTS {
                out.sock_ctx = true;
            }
            if !hooks.selinux_enabled() {
                return Err(Exit::stderr(1, "ss: SELinux is not enabled.\n"));
            }
            out.proc_ctx = true;
        }
        id::NET => {
            hooks.switch_netns(&value)?;
            out.netns = Some(value);
        }
        id::TIPCINFO => out.tipcinfo = true,
        id::TOS => out.tos = true,
        id::CGROUP => out.cgroup = true,
        id::KILL => out.kill = true,
        id::NO_HEADER => out.no_header = true,
        id::ONELINE => out.oneline = true,
        id::INET_SOCKOPT => out.inet_sockopt = true,
        id::JSON => out.json = true,
        id::FILTER_MODE => {
            out.filter_mode = match value.as_bytes() {
                b"auto" => FilterMode::Auto,
                b"kernel" => FilterMode::Kernel,
                b"user" => FilterMode::User,
                other => {
                    return Err(usage_error(&quoted(
                        b"sockscope: \"",
                        other,
                        b"\" is not a filter mode (auto, kernel, user)\n",
                    )))
                }
            }
        }
        // ss's `default: usage();` — unreachable with the table from ss_command().
        _ => return Err(usage_error(b"")),
    }
    Ok(())
}

/// `head` + `arg` + `tail` as bytes (messages quote user input byte for byte).
fn quoted(head: &[u8], arg: &[u8], tail: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(head.len() + arg.len() + tail.len());
    m.extend_from_slice(head);
    m.extend_from_slice(arg);
    m.extend_from_slice(tail);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStringExt;

    fn words(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    fn p(line: &str) -> Result<SsArgs, Exit> {
        parse(OsStr::new("ss"), words(line), false, &mut NoHooks)
    }

    fn usage_err(first_line: &str) -> Exit {
        usage_error(first_line.as_bytes())
    }

    /// (command line after `ss`, expected exit) for every early exit of option parsing.
    #[test]
    fn early_exits() {
        let cases: &[(&str, Exit)] = &[
            // samples x19–x23
            ("-q", usage_err("ss: invalid option -- 'q'\n")),
            ("-f", usage_err("ss: option requires an argument -- 'f'\n")),
            ("--foo", usage_err("ss: unrecognized option '--foo'\n")),
            ("--tcp=1", usage_err("ss: option '--tcp' doesn't allow an argument\n")),
            (
                "--cont",
                usage_err(
                    "ss: option '--cont' is ambiguous; possibilities: '--context' '--contexts'\n",
                ),
            ),
            ("--family", usage_err("ss: option '--family' requires an argument\n")),
            ("--fam", usage_err("ss: option '--family' requires an argument\n")),
            ("--tc=1", usage_err("ss: option '--tcp' doesn't allow an argument\n")),
            ("--cont=3", usage_err(
                "ss: option '--cont=3' is ambiguous; possibilities: '--context' '--contexts'\n",
            )),
            ("--s", usage_err(
                "ss: option '--s' is ambiguous; possibilities: '--sctp' '--socket' '--summary'\n",
            )),
            ("--foo=bar", usage_err("ss: unrecognized option '--foo=bar'\n")),
            // samples 75, 76, 77, 78
            ("-V", Exit::stdout(0, VERSION)),
            ("-v", Exit::stdout(0, VERSION)),
            ("--version", Exit::stdout(0, VERSION)),
            ("--vers", Exit::stdout(0, VERSION)),
            ("-h", Exit::stdout(0, USAGE)),
            ("--help", Exit::stdout(0, USAGE)),
            ("-f help", Exit::stdout(0, USAGE)),
            ("--family=help", Exit::stdout(0, USAGE)),
            // samples 79, 80, 34
            ("-f bogus", usage_err("ss: \"bogus\" is invalid family\n")),
            ("--family=", usage_err("ss: \"\" is invalid family\n")),
            ("-f INET", usage_err("ss: \"INET\" is invalid family\n")),
            ("-f -t", usage_err("ss: \"-t\" is invalid family\n")),
            ("-A bogus", usage_err("ss: \"bogus\" is illegal socket table id\n")),
            ("-An -A netlink", usage_err("ss: \"n\" is illegal socket table id\n")),
            ("-Af", usage_err("ss: \"f\" is illegal socket table id\n")),
            ("-A tcp,", usage_err("ss: \"\" is illegal socket table id\n")),
            ("-A TCP", usage_err("ss: \"TCP\" is illegal socket table id\n")),
            ("-A tcp,!bogus", usage_err("ss: \"!bogus\" is illegal socket table id\n")),
            // sample 86
            ("-Z", Exit::stderr(1, "ss: SELinux is not enabled.\n")),
            ("-z", Exit::stderr(1, "ss: SELinux is not enabled.\n")),
            ("--contexts", Exit::stderr(1, "ss: SELinux is not enabled.\n")),
            ("-F a -F b", Exit::stderr(255, "More than one filter file\n")),
            // in order: the first early exit wins
            ("-V -q", Exit::stdout(0, VERSION)),
            ("-q -V", usage_err("ss: invalid option -- 'q'\n")),
            ("-tVq", Exit::stdout(0, VERSION)),
            ("-Z -q", Exit::stderr(1, "ss: SELinux is not enabled.\n")),
            ("-h -V", Exit::stdout(0, USAGE)),
        ];
        for (line, want) in cases {
            assert_eq!(p(line).as_ref().err(), Some(want), "ss {line}");
        }
    }

    #[test]
    fn program_name_is_argv0_as_given() {
        let e = parse(OsStr::new("/usr/bin/ss"), words("-q"), false, &mut NoHooks).unwrap_err();
        assert!(e
            .stderr
            .starts_with(b"/usr/bin/ss: invalid option -- 'q'\nUsage: ss [ OPTIONS ]"));
    }

    #[test]
    fn flags_are_recorded() {
        let a = p("-nroemipTbE --tipcinfo --tos --cgroup -s -K -H -O --inet-sockopt -j").unwrap();
        let want = SsArgs {
            numeric: true,
            resolve: true,
            show_options: true,
            details: true,
            memory: true,
            info: true,
            processes: true,
            threads: true,
            bpf: true,
            events: true,
            tipcinfo: true,
            tos: true,
            cgroup: true,
            summary: true,
            kill: true,
            no_header: true,
            oneline: true,
            inet_sockopt: true,
            json: true,
            ..SsArgs::default()
        };
        assert_eq!(a, want);
        assert!(!p("").unwrap().no_header);
        assert!(p("-e").unwrap().show_options);
        assert!(p("-b").unwrap().show_options);
        assert!(!p("-b").unwrap().details);
        assert!(p("-p").unwrap().needs_process_scan());
        assert!(!p("-n").unwrap().needs_process_scan());
    }

    #[test]
    fn filter_mode_extension() {
        assert_eq!(p("").unwrap().filter_mode, FilterMode::Auto);
        assert_eq!(
            p("--filter-mode kernel").unwrap().filter_mode,
            FilterMode::Kernel
        );
        assert_eq!(
            p("--filter-mode=user -t").unwrap().filter_mode,
            FilterMode::User
        );
        assert_eq!(p("--filter-m auto").unwrap().filter_mode, FilterMode::Auto);
        // Appended after the filter words (GNU permutation), as the harness does.
        let a = p("-tan dport = :22 --filter-mode kernel").unwrap();
        assert_eq!(
            (a.filter_mode, a.words),
            (FilterMode::Kernel, words("dport = :22"))
        );
        // ss's abbreviations of --filter are unchanged.
        let a = p("--filt /x").unwrap();
        assert_eq!(a.filter_file, Some(FilterFile::Path(OsString::from("/x"))));
        // As glibc resolves it for ss (checked against ss 6.1: `ss --fi x` opens x).
        assert_eq!(
            p("--fi x").unwrap().filter_file,
            Some(FilterFile::Path(OsString::from("x")))
        );
        assert_eq!(
            p("--filter-mode fast"),
            Err(usage_err(
                "sockscope: \"fast\" is not a filter mode (auto, kernel, user)\n"
            ))
        );
    }

    #[test]
    fn values_and_words() {
        let a = p("state listening sport = :22 -t").unwrap();
        assert_eq!(a.words, words("state listening sport = :22"));
        let a = p("--num -t -l sport = :22").unwrap();
        assert!(a.numeric);
        assert_eq!(a.words, words("sport = :22"));
        let a = p("-D - -N foo -N bar -D /tmp/x -- -t").unwrap();
        assert_eq!(a.diag, Some(OsString::from("/tmp/x")));
        assert_eq!(a.netns, Some(OsString::from("bar")));
        assert_eq!(a.words, words("-t"));
        assert_eq!(p("-F -").unwrap().filter_file, Some(FilterFile::Stdin));
        assert_eq!(p("-F -x").unwrap().filter_file, Some(FilterFile::Stdin));
        assert_eq!(
            p("--filter=/f").unwrap().filter_file,
            Some(FilterFile::Path("/f".into()))
        );
        let a = p("- x").unwrap();
        assert_eq!(a.words, words("- x"));
    }

    #[test]
    fn posixly_correct_stops_at_first_word() {
        let a = parse(
            OsStr::new("ss"),
            words("state listening -t"),
            true,
            &mut NoHooks,
        )
        .unwrap();
        assert_eq!(a.words, words("state listening -t"));
        assert!(a.selection.do_default);
    }

    #[test]
    fn invalid_bytes_are_echoed() {
        let arg = OsString::from_vec(b"-f\xffx".to_vec());
        let e = parse(OsStr::new("ss"), vec![arg], false, &mut NoHooks).unwrap_err();
        assert!(e.stderr.starts_with(b"ss: \"\xffx\" is invalid family\n"));
    }

    /// A recording hook, to check when ss's side effects happen.
    #[derive(Default)]
    struct Rec {
        log: Vec<String>,
        selinux: bool,
        fail_netns: bool,
    }

    impl Hooks for Rec {
        fn switch_netns(&mut self, name: &OsStr) -> Result<(), Exit> {
            self.log.push(format!("netns {}", name.to_string_lossy()));
            if self.fail_netns {
                return Err(Exit::stderr(1, "Cannot open network namespace\n"));
            }
            Ok(())
        }
        fn selinux_enabled(&mut self) -> bool {
            self.log.push("selinux".into());
            self.selinux
        }
        fn open_filter_file(&mut self, file: &FilterFile) -> Result<(), Exit> {
            self.log.push(format!("filter {file:?}"));
            Ok(())
        }
    }

    #[test]
    fn hooks_run_in_order() {
        let mut rec = Rec {
            selinux: true,
            ..Rec::default()
        };
        let a = parse(
            OsStr::new("ss"),
            words("-N a -z -F f -N b"),
            false,
            &mut rec,
        )
        .unwrap();
        assert_eq!(
            rec.log,
            ["netns a", "selinux", "filter Path(\"f\")", "netns b"]
        );
        assert!(a.proc_ctx && a.sock_ctx);

        let mut rec = Rec {
            fail_netns: true,
            ..Rec::default()
        };
        let e = parse(OsStr::new("ss"), words("-N a -q"), false, &mut rec).unwrap_err();
        assert_eq!(e.status, 1);
        assert_eq!(rec.log, ["netns a"]);
    }

    #[test]
    fn filter_file_error_text() {
        let e = filter_file_error(&std::io::Error::from_raw_os_error(2));
        assert_eq!(
            e,
            Exit::stderr(255, "fopen filter file: No such file or directory\n")
        );
    }

    #[test]
    fn option_selection_step_one() {
        // (line, dbs, families, states, state_filter, do_default, preferred_family)
        let t = |ts: &[Table]| tables(ts).0;
        let cases: &[(&str, u32, u64, u32, u32, bool, u8)] = &[
            ("", 0, 0, 0, 0, true, 0),
            ("-t", t(&[Table::Tcp]), 0, 0xb37, 0, false, 0),
            ("-u", t(&[Table::Udp]), 0, 0x2, 0, false, 0),
            ("-a", 0, 0, 0, 0xfff, true, 0),
            ("-l -a", 0, 0, 0, 0xfff, true, 0),
            ("-a -l", 0, 0, 0, 0x480, true, 0),
            ("-4", 0, 1 << 2, 0xb37, 0, false, 2),
            (
                "-t -6 -4",
                t(&[Table::Tcp]),
                (1 << 2) | (1 << 10),
                0xb37,
                0,
                false,
                2,
            ),
            ("-0", 0, 1 << 17, 0x80, 0, false, 17),
            ("-f link", 0, 1 << 17, 0x80, 0, false, 17),
            ("-f netlink", 0, 1 << 16, 0x80, 0, false, 16),
            ("--tipc", 0, 1 << 30, 0x482, 0, false, 30),
            ("--vsock", 0, 1 << 40, 0xb37, 0, false, 40),
            ("--xdp", 0, 1 << 44, 0x80, 0, false, 44),
            // -A: the first one clears the tables and sets state_filter to SS_CONN if unset.
            (
                "-t -A udp -a",
                t(&[Table::Udp]),
                0,
                0xb37 | 0x2,
                0xfff,
                false,
                0,
            ),
            ("-a -A udp", t(&[Table::Udp]), 0, 0x2, 0xfff, false, 0),
            ("-A netlink", t(&[Table::Netlink]), 0, 0x80, 0xb37, false, 0),
            ("-A tcp,!tcp", 0, 0, 0xb37, 0xb37, false, 0),
            ("-A !tcp", 0, 0, 0, 0xb37, false, 0),
            (
                "-A tcp -A udp",
                t(&[Table::Tcp, Table::Udp]),
                0,
                0xb37,
                0xb37,
                false,
                0,
            ),
            (
                "-A u_dgr,u_seq",
                t(&[Table::UnixDgram, Table::UnixSeqpacket]),
                0,
                0x80 | 0xb37,
                0xb37,
                false,
                0,
            ),
            (
                "-A all,!tcp",
                0xbfff & !1,
                0,
                0xb37 | 0x2 | 0x80,
                0xb37,
                false,
                0,
            ),
        ];
        for &(line, dbs, fams, states, sf, dd, pf) in cases {
            let s = p(line).unwrap().selection;
            assert_eq!(
                (
                    s.dbs.0,
                    s.families.0,
                    s.states,
                    s.state_filter,
                    s.do_default,
                    s.preferred_family
                ),
                (dbs, fams, states, sf, dd, pf),
                "ss {line}"
            );
        }
    }

    #[test]
    fn summary_only_rule() {
        assert!(p("-s").unwrap().summary_only());
        assert!(p("-s -a").unwrap().summary_only());
        assert!(!p("-s -t").unwrap().summary_only());
        assert!(!p("-s state listening").unwrap().summary_only());
        assert!(!p("-t").unwrap().summary_only());
    }
}
