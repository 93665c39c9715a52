//! ss 6.1's filter language (spec §3): the words after the state words (and the `-F` file)
//! parsed into one AST, compiled to `INET_DIAG_REQ_BYTECODE` exactly as ss compiles it, and
//! evaluated in user space on decoded sockets.
//!
//! * `lexer` — tokens from words and file lines (§3.2);
//! * [`parser`] — ss's grammar with its precedence quirk (§3.3), values parsed in lexing order;
//! * [`host`] — host/port, device, mark and cgroup values (§3.4, §3.5) and their side effect on
//!   the selected families;
//! * [`eval`] — ss's user-space semantics (§3.7) and the kernel's semantics of the same tree
//!   (§3.8.1), over a per-socket view built without allocating;
//! * [`compile`] — ss's bytecode (§3.8.2) and sockscope's "exact" program that makes the
//!   kernel apply ss's user-space rules too (`--filter-mode kernel`);
//! * [`interp`] — a mirror of the kernel's `inet_diag_bc_run` and `inet_diag_bc_audit`, used by
//!   the tests to check both compilers.
//!
//! Name databases (services, hosts, interfaces, netlink protocols, cgroup ids, users) come in
//! through [`FilterNames`]; [`SystemNames`] is the real one.
//!
//! Beyond ss, four keywords are evaluated in user space only: `pid`, `comm` (the socket's
//! owners, from the `-p` scan through [`OwnerLookup`]), `uid` and `user` (the uid the kernel
//! reports). ss reads these words as host names where an expression starts and fails (exit
//! 1, or 255 when the name resolves: a host value is a syntax error there), so accepting them
//! changes no output of an expression ss accepts; where ss expects a value (`dst user`) they
//! stay values. In the kernel program they are relaxed ([`compile`]): true where a socket they
//! accept must not be dropped, false under an odd number of NOTs, so the program still lets
//! through every socket the whole expression accepts and user space has the final word.

pub mod compile;
pub mod eval;
pub mod host;
pub mod interp;
pub(crate) mod lexer;
pub mod parser;

use std::fmt;

use crate::model::{state, Sock, Source, Table, TableSet};
use crate::plan::{FamilySet, Plan};

pub use host::{FilterNames, SystemNames};

/// An address pattern as ss keeps it (`inet_prefix`): family, prefix length in bits and the
/// address bytes in memory order (network order for inet; the host-order protocol word for
/// packet and netlink; the CID for vsock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Prefix {
    pub family: u8,
    /// ss's `bitlen` (0 = any address). For unix patterns `8 * strlen`.
    pub bitlen: i32,
    pub data: [u8; 16],
}

/// A host condition (ss's `struct aafilter` chain for `src`/`dst`/`sport`/`dport`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostCond {
    /// The first (or only) address; its family decides how the condition is evaluated.
    pub addr: Prefix,
    /// Further addresses of a host name that resolved to several (ss's `next` chain, in ss's
    /// order). Only user space looks at them (the bytecode repeats `addr`).
    pub more: Vec<Prefix>,
    /// Port (-1 = any); for packet the interface index, for netlink the port id.
    pub port: i32,
    /// The glob of a unix pattern (`addr.family` is AF_UNIX).
    pub pattern: Option<Box<[u8]>>,
}

/// A node of the filter expression (ss's `struct ssfilter` types).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    /// `dst` / `dport =`: the remote side.
    DCond(HostCond),
    /// `src` / `sport =`: the local side.
    SCond(HostCond),
    DGe(i32),
    DLe(i32),
    SGe(i32),
    SLe(i32),
    Auto,
    Dev(u32),
    Mark {
        mark: u32,
        mask: u32,
    },
    Cgroup(u64),
    /// sockscope: some owner process of the socket (`-p`'s `pid=`) compares to the value.
    Pid(Cmp, u32),
    /// sockscope: some owner's name (`-p`'s quoted name) matches the glob (case-sensitive).
    Comm(Box<[u8]>),
    /// sockscope: the socket's uid as the kernel reports it compares to the value (`user =
    /// NAME` is resolved to this). Sockets without a reported uid never match.
    Uid(Cmp, u32),
}

/// The comparison of a `pid`/`uid` condition (`!=` is `NOT` of `=`, as ss builds `!=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Cmp {
    /// Whether `value OP limit` holds.
    pub fn holds(self, value: i64, limit: i64) -> bool {
        match self {
            Cmp::Eq => value == limit,
            Cmp::Lt => value < limit,
            Cmp::Gt => value > limit,
            Cmp::Le => value <= limit,
            Cmp::Ge => value >= limit,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Lt => "<",
            Cmp::Gt => ">",
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
        }
    }
}

/// The owners of socket inodes (the `-p` scan, [`crate::owners::OwnerMap`]), which `pid` and
/// `comm` conditions look at.
pub trait OwnerLookup {
    /// Whether `pred(pid, name)` holds for some owner of `inode` (none for inode 0).
    fn any_owner(&self, inode: u32, pred: &mut dyn FnMut(i32, &[u8]) -> bool) -> bool;
}

impl Node {
    /// Whether the node is a condition only user space can evaluate (`pid`, `comm`, `uid`).
    pub fn is_userspace_only(&self) -> bool {
        matches!(self, Node::Pid(..) | Node::Comm(_) | Node::Uid(..))
    }

    /// Whether `pred` holds for some node of the tree.
    pub fn any(&self, pred: &dyn Fn(&Node) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            Node::And(a, b) | Node::Or(a, b) => a.any(pred) || b.any(pred),
            Node::Not(a) => a.any(pred),
            _ => false,
        }
    }
}

fn fmt_prefix(f: &mut fmt::Formatter<'_>, p: &Prefix) -> fmt::Result {
    use crate::model::family::*;
    match p.family {
        INET => {
            let d = &p.data;
            write!(f, "{}.{}.{}.{}/{}", d[0], d[1], d[2], d[3], p.bitlen)
        }
        INET6 => write!(f, "[{}]/{}", std::net::Ipv6Addr::from(p.data), p.bitlen),
        PACKET | NETLINK | VSOCK => {
            let w = u32::from_ne_bytes([p.data[0], p.data[1], p.data[2], p.data[3]]);
            let name = match p.family {
                PACKET => "link",
                NETLINK => "netlink",
                _ => "vsock",
            };
            write!(f, "{name}:{w}/{}", p.bitlen)
        }
        fam => write!(f, "af{fam}/{}", p.bitlen),
    }
}

impl fmt::Display for HostCond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.pattern {
            return write!(f, "unix:{:?}", String::from_utf8_lossy(p));
        }
        if self.addr.bitlen == 0 && self.addr.family == 0 {
            f.write_str("*")?;
        } else {
            fmt_prefix(f, &self.addr)?;
            for m in &self.more {
                f.write_str("|")?;
                fmt_prefix(f, m)?;
            }
        }
        if self.port != -1 {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

/// An S-expression, for tests and `--debug`-style output: `(or (dst *:22) (not (sport<= 80)))`.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::And(a, b) => write!(f, "(and {a} {b})"),
            Node::Or(a, b) => write!(f, "(or {a} {b})"),
            Node::Not(a) => write!(f, "(not {a})"),
            Node::DCond(h) => write!(f, "(dst {h})"),
            Node::SCond(h) => write!(f, "(src {h})"),
            Node::DGe(p) => write!(f, "(dport>= {p})"),
            Node::DLe(p) => write!(f, "(dport<= {p})"),
            Node::SGe(p) => write!(f, "(sport>= {p})"),
            Node::SLe(p) => write!(f, "(sport<= {p})"),
            Node::Auto => f.write_str("autobound"),
            Node::Dev(i) => write!(f, "(dev {i})"),
            Node::Mark { mark, mask } => write!(f, "(fwmark {mark:#x}/{mask:#x})"),
            Node::Cgroup(id) => write!(f, "(cgroup {id})"),
            Node::Pid(c, n) => write!(f, "(pid{} {n})", c.text()),
            Node::Comm(g) => write!(f, "(comm {:?})", String::from_utf8_lossy(g)),
            Node::Uid(c, n) => write!(f, "(uid{} {n})", c.text()),
        }
    }
}

/// Why the filter words were rejected: ss's stderr text and exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterError {
    /// A grammar error: ss prints `ss: bison bellows (while parsing filter): "syntax error!"
    /// Sorry.` and its usage text, exit 255. `found` is the offending token's text (`None` at
    /// the end of the input), `at` where it starts (sockscope's extra hint).
    Syntax { found: Option<Vec<u8>>, at: String },
    /// A value or input error: exact stderr text (newlines included) and exit status.
    Exit { status: i32, stderr: String },
}

impl FilterError {
    pub(crate) fn exit(status: i32, stderr: impl Into<String>) -> FilterError {
        FilterError::Exit {
            status,
            stderr: stderr.into(),
        }
    }

    /// sockscope's extra line for a syntax error (without newline), e.g.
    /// `sockscope: filter: unexpected ')' at column 14`.
    pub fn hint(&self) -> Option<String> {
        match self {
            FilterError::Syntax { found: Some(t), at } => Some(format!(
                "sockscope: filter: unexpected '{}' at {at}",
                String::from_utf8_lossy(t)
            )),
            FilterError::Syntax { found: None, at } => Some(format!(
                "sockscope: filter: unexpected end of the expression at {at}"
            )),
            FilterError::Exit { .. } => None,
        }
    }
}

/// What the parser needs to know about the selection (spec §1.3) at step 9.
#[derive(Clone, Copy, Debug)]
pub struct Selection {
    pub tables: TableSet,
    pub families: FamilySet,
    pub preferred_family: u8,
    /// Whether `-r` service resolution of RPC names is active (ss's rpcbind list). sockscope
    /// has no rpcbind client: RPC names are never known (see [`host`]).
    pub resolve_rpc: bool,
}

impl Selection {
    pub fn from_plan(plan: &Plan) -> Selection {
        Selection {
            tables: plan.tables,
            families: plan.families,
            preferred_family: plan.preferred_family,
            resolve_rpc: false,
        }
    }
}

/// A parsed filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// `None` for an empty expression (no words, or only blanks).
    pub ast: Option<Node>,
    /// The families after the expression's side effect (spec §3.4): replace `plan.families`.
    pub families: FamilySet,
    /// The preferred family after the expression: replace `plan.preferred_family`.
    pub preferred_family: u8,
    /// The ephemeral port range `autobound` tests against (ss's `is_ephemeral`).
    pub ephemeral: (i32, i32),
}

/// Parses the filter words (then the `-F` file's text) as ss does at step 9 of §1.3.
/// `ephemeral` is consulted only if the expression uses `autobound`.
pub fn parse(
    words: &[Vec<u8>],
    file: Option<&[u8]>,
    sel: &Selection,
    names: &mut dyn FilterNames,
    ephemeral: &mut dyn FnMut() -> (i32, i32),
) -> Result<Filter, FilterError> {
    let mut p = parser::Parser::new(words, file, sel, names);
    let ast = p.parse()?;
    let (families, preferred_family) = p.families();
    let ephemeral = if ast.as_ref().is_some_and(|a| a.any(&|n| *n == Node::Auto)) {
        ephemeral()
    } else {
        (1024, 4999)
    };
    Ok(Filter {
        ast,
        families,
        preferred_family,
        ephemeral,
    })
}

/// `--filter-mode`: where the expression is applied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// As ss: bytecode when it compiles, and user space re-checks every socket.
    #[default]
    Auto,
    /// No bytecode; user space applies ss's rules and, for inet sockets, the kernel's (with
    /// the bind lock that `autobound` reads approximated, see `Matcher::kernel_auto`).
    User,
    /// The exact program: the kernel applies ss's kernel and user-space rules to inet sockets,
    /// which are not re-checked; everything else is checked in user space.
    Kernel,
}

impl Filter {
    fn uses(&self, pred: &dyn Fn(&Node) -> bool) -> bool {
        self.ast.as_ref().is_some_and(|a| a.any(pred))
    }

    /// Whether the expression has `pid` or `comm` conditions: the socket owners (the `-p`
    /// scan) must be known, see [`Matcher::accept_with`].
    pub fn needs_owners(&self) -> bool {
        self.uses(&|n| matches!(n, Node::Pid(..) | Node::Comm(_)))
    }

    /// Whether the expression has `uid`/`user` conditions: unix sockets must be dumped with
    /// their uid (UDIAG_SHOW_UID).
    pub fn needs_uid(&self) -> bool {
        self.uses(&|n| matches!(n, Node::Uid(..)))
    }

    /// Whether the expression has conditions only user space can evaluate.
    pub fn has_userspace_only(&self) -> bool {
        self.uses(&Node::is_userspace_only)
    }

    /// ss's bytecode for the expression (`None`: nothing is sent, as for `dev`).
    pub fn compile(&self) -> Option<Vec<u8>> {
        compile::compile(self.ast.as_ref()?)
    }

    /// Whether the kernel would accept ss's bytecode (host conditions of inet families only).
    fn kernel_accepts_ss_program(&self) -> bool {
        match &self.ast {
            Some(a) => compile::compile(a).is_some() && !compile::has_foreign_hostcond(a),
            None => false,
        }
    }

    /// The bytecode to send in `mode`, and whether user space must still check inet sockets
    /// that came from a netlink dump with it (always, when the expression has `pid`, `comm`
    /// or `uid` conditions: the kernel program only relaxes them).
    pub fn program(&self, mode: Mode) -> (Option<Vec<u8>>, bool) {
        match mode {
            Mode::Auto => (self.compile(), true),
            Mode::User => (None, true),
            Mode::Kernel => {
                let exact = self
                    .ast
                    .as_ref()
                    .filter(|_| !self.ast.as_ref().is_some_and(compile::has_foreign_hostcond))
                    .and_then(|a| compile::compile_exact(a, self.ephemeral));
                match exact {
                    Some(p) => (Some(p), self.has_userspace_only()),
                    None => (self.compile(), true),
                }
            }
        }
    }

    /// ss's user-space verdict for one socket (spec §3.7): the final word for every kind but
    /// inet sockets filtered by a kernel program (see [`Matcher`]).
    pub fn matches(&self, sock: Sock<'_>) -> bool {
        self.matches_with(sock, None)
    }

    /// [`Filter::matches`] with the socket owners for `pid`/`comm` (without them, no socket
    /// has an owner).
    pub fn matches_with(&self, sock: Sock<'_>, owners: Option<&dyn OwnerLookup>) -> bool {
        match &self.ast {
            None => true,
            Some(a) => {
                let mut view = eval::View::of(sock);
                view.owners = eval::Owners(owners);
                eval::eval_user(a, &view, self.ephemeral)
            }
        }
    }

    /// The per-socket check for a run in `mode`.
    pub fn matcher(&self, mode: Mode) -> Matcher<'_> {
        let (_, recheck) = self.program(mode);
        let emulate_kernel = mode == Mode::User && self.kernel_accepts_ss_program();
        let uses_auto = self
            .ast
            .as_ref()
            .is_some_and(|a| a.any(&|n| *n == Node::Auto));
        Matcher {
            filter: self,
            mode,
            recheck_inet: recheck,
            emulate_kernel,
            listening: (emulate_kernel && uses_auto).then(|| Box::new([0u64; 1024])),
        }
    }
}

/// Decides, per socket, what a run in one [`Mode`] shows (see [`Filter::matcher`]).
#[derive(Clone, Debug)]
pub struct Matcher<'f> {
    filter: &'f Filter,
    mode: Mode,
    recheck_inet: bool,
    emulate_kernel: bool,
    /// User mode with `autobound`: the local ports of the listening stream sockets seen so
    /// far (one bit per port; the kernel dumps listeners before connections).
    listening: Option<Box<[u64; 1024]>>,
}

impl Matcher<'_> {
    /// Whether the kernel's AUTO test would find `s` without a bind lock. No dump reports the
    /// lock; what the kernel was seen to do: TIME-WAIT and request sockets have none, a socket
    /// whose port the kernel chose has none, an explicitly bound one has it, and a connection
    /// accepted from a listener has none. So: no lock when the port is in the ephemeral range
    /// (an explicit bind inside the range is the case this gets wrong) or when a listener
    /// holds the port and this socket is not listening.
    fn kernel_auto(&self, s: &crate::model::InetSock<'_>) -> bool {
        let port = usize::from(s.sport);
        let stream = is_stream(s);
        let (lo, hi) = self.filter.ephemeral;
        let accepted = stream
            && s.state != state::LISTEN
            && self
                .listening
                .as_ref()
                .is_some_and(|b| b[port / 64] & (1 << (port % 64)) != 0);
        matches!(s.state, state::TIME_WAIT | state::SYN_RECV)
            || (lo..=hi).contains(&i32::from(s.sport))
            || accepted
    }

    /// Whether `sock` is shown (no socket has an owner: see [`Matcher::accept_with`]).
    pub fn accept(&mut self, sock: Sock<'_>) -> bool {
        self.accept_with(sock, None)
    }

    /// Whether `sock` is shown, with the socket owners that `pid`/`comm` conditions look at
    /// (needed when [`Filter::needs_owners`]).
    pub fn accept_with(&mut self, sock: Sock<'_>, owners: Option<&dyn OwnerLookup>) -> bool {
        let filter = self.filter;
        let Some(ast) = &filter.ast else {
            return true;
        };
        // Inet sockets that went through the kernel's filter: a netlink dump (not /proc, not a
        // TCPDIAG_FILE replay, which no kernel filtered, not a `-E` destroy event, which has
        // no table).
        let kernel_filtered = match sock {
            Sock::Inet(s) => s.source == Source::Netlink && s.table.is_some(),
            _ => false,
        };
        if let (Some(bits), Sock::Inet(s)) = (self.listening.as_mut(), sock) {
            // Every listener counts, whether or not the expression shows it.
            if kernel_filtered && is_stream(s) && s.state == state::LISTEN {
                let port = usize::from(s.sport);
                bits[port / 64] |= 1 << (port % 64);
            }
        }
        if kernel_filtered && !self.recheck_inet && self.mode == Mode::Kernel {
            return true;
        }
        let mut view = eval::View::of(sock);
        view.owners = eval::Owners(owners);
        if !eval::eval_user(ast, &view, filter.ephemeral) {
            return false;
        }
        if kernel_filtered && self.emulate_kernel {
            let auto = match sock {
                Sock::Inet(s) => self.kernel_auto(s),
                _ => true,
            };
            return eval::eval_kernel(ast, &view.kernel_entry(auto));
        }
        true
    }
}

/// Connection-oriented inet tables (listeners and accepted children).
fn is_stream(s: &crate::model::InetSock<'_>) -> bool {
    s.table.is_some_and(|t| t != Table::Udp && t != Table::Raw)
}

#[cfg(test)]
mod tests;
