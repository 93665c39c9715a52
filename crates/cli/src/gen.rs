//! Generated documentation: the man page (`man/sockscope.1`, clap_mangen plus hand-written
//! sections) and shell completions (`man/completions/*`, clap_complete), both derived from
//! [`ss_command`]. `cargo xtask man` / `cargo xtask completions` write them; the test at the
//! bottom fails when the committed copies are stale.
//!
//! Output is deterministic (no date, no paths), so regenerating without changes is a no-op.

use clap_complete::{Generator, Shell};
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

use crate::ss::options::ss_command;

/// The binary name the documentation is written for.
pub const BIN: &str = "sockscope";

/// The shells completions are generated for.
pub const SHELLS: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

/// The man page's path under `man/`.
pub const MAN_PAGE: &str = "sockscope.1";

/// A completion file's path under `man/` (`completions/sockscope.bash`, `completions/_sockscope`,
/// `completions/sockscope.fish`).
pub fn completion_path(shell: Shell) -> String {
    format!("completions/{}", shell.file_name(BIN))
}

/// Every generated file: (path under `man/`, contents).
pub fn generated_files() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(MAN_PAGE.to_owned(), man_page())];
    for shell in SHELLS {
        files.push((completion_path(shell), completions(shell)));
    }
    files
}

/// Completion script for `shell`: ss's options, and the netstat persona's as the `netstat`
/// subcommand (`sockscope netstat ...`).
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut cmd = ss_command().subcommand(crate::netstat::options::netstat_command());
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut out);
    out
}

/// The man page (roff).
pub fn man_page() -> Vec<u8> {
    let man = Man::new(ss_command())
        .title("SOCKSCOPE")
        .section("1")
        .source(format!("sockscope {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    // Each clap_mangen/roff render starts with the same two-line apostrophe preamble; keep the
    // first one only. Writing into a Vec cannot fail, hence the ignored results.
    let preamble = Roff::new().render();
    let mut out = Vec::new();
    let mut part = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut buf = Vec::new();
        let _ = render(&mut buf);
        let body = if out.is_empty() {
            &buf[..]
        } else {
            buf.strip_prefix(preamble.as_bytes()).unwrap_or(&buf)
        };
        out.extend_from_slice(body);
    };
    part(&|b| man.render_title(b));
    part(&|b| man.render_name_section(b));
    part(&|b| man.render_synopsis_section(b));
    part(&|b| man.render_description_section(b));
    part(&|b| man.render_options_section(b));
    part(&|b| extra_sections().to_writer(b));
    part(&|b| man.render_version_section(b));
    out
}

/// A tagged paragraph: `.TP`, the tag in bold, the text.
fn item(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

fn para(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

/// The end of the BEYOND SS section (whose options clap_mangen renders last in OPTIONS),
/// then FILTER, PERSONAS, EXIT STATUS, ENVIRONMENT, COMPATIBILITY, SEE ALSO.
fn extra_sections() -> Roff {
    let mut r = Roff::new();

    filter_keywords(&mut r);

    r.control("SH", ["FILTER"]);
    r.text([
        roman("After the options come, in this order: any number of "),
        bold("state"),
        roman(" "),
        italic("NAME"),
        roman(" / "),
        bold("exclude"),
        roman(" "),
        italic("NAME"),
        roman(" pairs ("),
        bold("excl"),
        roman(" is a synonym of "),
        bold("exclude"),
        roman(
            "), then a filter expression as in ss(8). Options may also appear among these words.",
        ),
    ]);
    para(
        &mut r,
        "State names (case-insensitive): established, syn-sent, syn-recv (syn-rcv), fin-wait-1, \
         fin-wait-2, time-wait, closed (close, unconnected), close-wait, last-ack, listening, \
         closing, unknown, and the groups all, connected, synchronized, bucket and big. The first \
         state word replaces the state set, the first exclude word starts from all states.",
    );

    r.control("SH", ["PERSONAS"]);
    para(
        &mut r,
        "sockscope impersonates a tool chosen by the file name it is run as, so a link named \
         after the tool makes it a drop-in replacement. Under any other name (normally \
         sockscope) the first word may name the tool; without one, sockscope is ss.",
    );
    item(
        &mut r,
        "ss",
        "iproute2 6.1.0 ss: the options above. Run as ss, or as sockscope [ss] ARGS.",
    );
    item(
        &mut r,
        "netstat",
        "net-tools 2.10 netstat, run as netstat or sockscope netstat ARGS; see NETSTAT \
         PERSONA.",
    );
    item(
        &mut r,
        "ip",
        "iproute2 6.1.0 ip for the route, link and maddress objects, run as ip or sockscope \
         ip ARGS; see IP PERSONA.",
    );
    para(
        &mut r,
        "Messages that ss starts with its program name (option errors) use argv[0] exactly as \
         given when run through a link (/usr/local/bin/ss: invalid option -- 'q'), and the \
         bare tool name when run as sockscope, so that sockscope ARGS writes the same bytes as \
         ss ARGS.",
    );

    crate::ip::man::section(&mut r);
    crate::netstat::man::section(&mut r);

    r.control("SH", ["EXIT STATUS"]);
    item(
        &mut r,
        "0",
        "Success, also for -h, -V, -f help, the messages \"no socket tables/families/socket \
         states to show with such filter\" and netlink errors (as ss).",
    );
    item(
        &mut r,
        "1",
        "Filter token errors (Cannot parse ...), -Z/-z without SELinux, -N failures.",
    );
    item(
        &mut r,
        "2",
        "A feature sockscope does not support: ip objects other than route, link and maddr, and \
         state-changing ip commands.",
    );
    item(
        &mut r,
        "255",
        "Usage errors: unknown or malformed options, bad -f family or -A table names, bad \
         state names, filter syntax errors, -F problems (ss's exit(-1)).",
    );

    r.control("SH", ["ENVIRONMENT"]);
    item(
        &mut r,
        "PROC_ROOT",
        "Prefix of every /proc file read (default /proc). When set at all, netlink is not used: \
         tcp, udp, raw, unix, packet and netlink sockets are read from /proc/net files and dccp, \
         sctp and mptcp show nothing.",
    );
    item(
        &mut r,
        "PROC_NET_TCP, PROC_NET_TCP6, PROC_NET_UDP, PROC_NET_UDP6, PROC_NET_RAW, PROC_NET_RAW6, \
         PROC_NET_UNIX, PROC_NET_PACKET, PROC_NET_NETLINK, PROC_NET_SOCKSTAT, PROC_NET_SOCKSTAT6, \
         PROC_NET_SNMP, PROC_IP_LOCAL_PORT_RANGE",
        "Full path of one /proc file. Setting one of the tcp, udp, raw, unix, packet or netlink \
         variables makes that kind use the /proc file instead of netlink.",
    );
    item(
        &mut r,
        "PROC_NET_DCCP, PROC_NET_SCTP, PROC_NET_MPTCP",
        "When set, that kind of socket is not shown.",
    );
    item(
        &mut r,
        "TCPDIAG_FILE",
        "Read TCP sockets from this file (as written by -D) instead of the kernel.",
    );
    item(
        &mut r,
        "POSIXLY_CORRECT",
        "When set, options end at the first word that is not an option (GNU getopt).",
    );
    item(
        &mut r,
        "SOCKSCOPE_OWNERS",
        "Where -p (and the pid and comm filter keywords; netstat -p too) find socket owners: \
         auto (the default; also for any other value) uses the BPF task-file iterator when it \
         can run and the machine has at least 2,048 open files, kernel uses it whenever it can \
         run, proc always reads /proc/PID/fd as ss does. The output is the same.",
    );
    item(
        &mut r,
        "SOCKSCOPE_TCP_WALK",
        "How TCP's two families are asked of the kernel when both are listed without \
         extension attributes (or with -m's only): auto (the default; also for any other \
         value) is concurrent on two or more cores when neither a kernel filter nor -p \
         applies, else once; concurrent makes ss's two requests at the same time on two \
         threads; once makes one request that walks the kernel's tables once; per-family \
         makes ss's requests one after the other, as ss does (always so for -K). The output \
         is the same.",
    );

    r.control("SH", ["COMPATIBILITY"]);
    para(
        &mut r,
        "As ss, sockscope aims to write the same bytes on standard output and to exit with the \
         same status as iproute2 6.1.0's ss. Options are parsed as GNU getopt_long does: they \
         may appear anywhere among the filter words, -- ends them, short options combine \
         (-tulpn), long options may be shortened to a unique prefix (--num), values follow as \
         --family=inet or --family inet, and error messages are glibc's.",
    );
    para(
        &mut r,
        "Beyond ss: -j/--json prints JSON instead of the table (ss rejects -j as an invalid \
         option), --filter-mode, and the filter keywords pid, comm, uid and user (see BEYOND \
         SS). Not supported: SELinux contexts; -Z and -z fail as ss does on a system \
         without SELinux. COLUMNS is not consulted, as in ss 6.1.",
    );
    para(
        &mut r,
        "-K destroys each inet socket it would show (SOCK_DESTROY; root, a kernel with \
         CONFIG_INET_DIAG_DESTROY) and shows those the kernel closed; a refusal prints \
         SOCK_DESTROY answers: ERROR and ends that dump, after which ss's fallbacks run, as \
         in ss. -E follows the kernel's destroy events of tcp and udp sockets until killed \
         (exit status 255 when no tcp or udp table with an inet family is selected); unlike \
         ss, each event is flushed when it arrives, and with --json each is one JSON object \
         on its own line.",
    );

    r.control("SH", ["SEE ALSO"]);
    r.text([roman("ss(8), netstat(8), ip(8)")]);
    r
}

/// sockscope's filter keywords, a subsection of BEYOND SS.
fn filter_keywords(r: &mut Roff) {
    r.control("SS", ["Filter keywords"]);
    r.text([
        roman("Four more keywords may be used anywhere in a filter expression, combined with "),
        roman("ss's conditions by "),
        bold("and"),
        roman(", "),
        bold("or"),
        roman(", "),
        bold("not"),
        roman(" and parentheses. They are evaluated in user space. OP is one of "),
        bold("= == eq != ne neq < lt > gt <= le >= ge"),
        roman(" (no operator means "),
        bold("="),
        roman("); "),
        bold("!="),
        roman(" is the negation of "),
        bold("="),
        roman(", as in ss."),
    ]);
    item(
        r,
        "pid [OP] N",
        "Some process owning the socket (holding a descriptor to it, as -p lists them) has a \
         process id that compares to N as OP says. pid != N selects the sockets no process N \
         owns, including sockets without owners. N is decimal.",
    );
    item(
        r,
        "comm [= | !=] GLOB",
        "Some owner's name, as -p prints it (the name in /proc/PID/stat up to the first ')'; \
         with -T the names of threads count too), matches the fnmatch(3) pattern GLOB, \
         case-sensitively: * and ? match any character, [...] one of a set. The filter splits \
         words at blanks: write a blank in a name as a backslash and the blank, or as ?.",
    );
    item(
        r,
        "uid [OP] N",
        "The uid the kernel reports for the socket (the uid of the process that created it; \
         -e shows it as uid:) compares to N. Inet, unix, packet and xdp sockets have one \
         (TIME-WAIT and SYN-RECV sockets report 0); netlink and vsock sockets and unix sockets read from \
         /proc/net/unix have none and match no uid condition (uid != N, being not uid = N, \
         holds for them).",
    );
    item(
        r,
        "user [= | !=] NAME",
        "uid = the uid of NAME in /etc/passwd (the file only, no other NSS source; the first \
         line naming NAME). A decimal NAME that the file does not list is a uid. An unknown \
         NAME is an error (Error: no user \"NAME\" in /etc/passwd. and Cannot parse user \
         NAME. on standard error, exit status 1); so is a bad pid or uid value (Cannot parse \
         pid N.).",
    );
    para(
        r,
        "The owners come from the same pass as -p, which sockscope then makes even without \
         -p. Owners it may not read (processes of other users, when not run as root) are \
         unknown, as they are to -p. Netlink sockets match pid and comm by their owners, \
         although -p prints no owners for them (as ss). cgroup PATH works as in ss.",
    );
    para(
        r,
        "How owners are found: ss reads every /proc/PID/fd link. Run as root in the initial \
         pid namespace on a kernel with BTF, on a machine with at least 2,048 open files, \
         sockscope instead loads a small BPF task-file iterator that lists every process's \
         socket descriptors in one pass inside the kernel (about five times less kernel time \
         on 100,000 sockets; below that many files its fixed cost of about 2-3 ms is more than \
         the /proc pass takes); the owners, their order and their names are the ones the /proc \
         pass finds. Otherwise (another user, a container's pid namespace, PROC_ROOT, -T, or \
         any failure to load it) it reads /proc as ss does. SOCKSCOPE_OWNERS chooses.",
    );
    para(
        r,
        "ss accepts none of these expressions: where an expression starts it reads these words \
         as host names and fails (Error: an inet prefix is expected rather than \"pid\"., exit \
         status 1, or a syntax error when such a host exists), so they change the output of no \
         expression ss accepts. Where ss expects a value they stay values: dst user names the \
         host user, as in ss. In the program sent to the kernel (ss's bytecode, or the exact \
         program of --filter-mode kernel) each of them is replaced by \"accept\", or by \
         \"reject\" under an odd number of nots, which keeps every socket the whole expression \
         selects; the kernel still filters by the rest and user space decides. An expression \
         that can select every socket that way sends no program. All three filter modes select \
         the same sockets.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn man_page_has_every_section_once() {
        let page = String::from_utf8(man_page()).expect("utf-8");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH \"SOCKET SELECTION\"",
            ".SH \"QUERY AND FILTER\"",
            ".SH \"BEYOND SS\"",
            ".SH FILTER",
            ".SH PERSONAS",
            ".SH \"IP PERSONA\"",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH COMPATIBILITY",
            ".SH \"SEE ALSO\"",
            ".SH VERSION",
        ] {
            assert_eq!(page.matches(section).count(), 1, "{section}");
        }
        assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n"));
        assert_eq!(
            page.matches(".ds Aq").count(),
            2,
            "one preamble (two lines)"
        );
        assert!(page.contains("\\-\\-inet\\-sockopt"));
        assert!(page.contains("\\-\\-json"));
    }

    /// The filter keywords sit in the BEYOND SS section, after its options (-j, --filter-mode).
    #[test]
    fn filter_keywords_are_beyond_ss() {
        let page = String::from_utf8(man_page()).expect("utf-8");
        let start = page.find(".SH \"BEYOND SS\"").expect("BEYOND SS");
        let end = start + 4 + page[start + 4..].find(".SH ").expect("a next section");
        let section = &page[start..end];
        for needle in [
            "\\-\\-json",
            "\\-\\-filter\\-mode",
            ".SS \"Filter keywords\"",
            "pid [OP] N",
            "comm [= | !=] GLOB",
            "uid [OP] N",
            "user [= | !=] NAME",
            "/etc/passwd",
        ] {
            assert!(
                section.contains(needle),
                "{needle} not in BEYOND SS:\n{section}"
            );
        }
    }

    #[test]
    fn completions_name_the_options() {
        for shell in SHELLS {
            let text = String::from_utf8(completions(shell)).expect("utf-8");
            assert!(text.contains("inet-sockopt"), "{shell}");
            assert!(text.contains("netlink"), "{shell}: -f values");
        }
        assert_eq!(completion_path(Shell::Zsh), "completions/_sockscope");
        assert_eq!(completion_path(Shell::Bash), "completions/sockscope.bash");
        assert_eq!(completion_path(Shell::Fish), "completions/sockscope.fish");
    }

    /// Fails when `man/` was not regenerated after a change: run `cargo xtask man` and
    /// `cargo xtask completions`.
    #[test]
    fn committed_files_are_fresh() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../man");
        for (path, want) in generated_files() {
            let have = std::fs::read(dir.join(&path)).unwrap_or_default();
            assert!(
                have == want,
                "man/{path} is stale: run `cargo xtask man` and `cargo xtask completions`"
            );
        }
    }
}
