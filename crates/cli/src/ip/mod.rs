//! The ip persona: iproute2 6.1 `ip [OPTIONS] route|link|maddr [show ...]`, byte for byte on
//! stdout and with ip's exit statuses.
//!
//! Flow: [`args::parse`] (global options, `-n NETNS` applied on the spot) → object lookup by
//! prefix (ip.c's `cmds[]` order) → the object's command word → its selector parser →
//! query (rtnetlink dumps, /proc for `maddr`) → render (iproute2's text or JSON) → stdout,
//! written in 64 KiB pieces. Objects other than route, link and maddr, and commands that
//! change state (`add`, `del`, `flush`, ...), answer `sockscope: ip OBJECT [COMMAND] is not
//! supported by sockscope` with status 2.
//!
//! Exit statuses follow ip: 0 done; 1 unknown object, unknown device, bad prefix; 2 a dump that
//! failed (`Dump terminated`); 255 (`exit(-1)`) usage errors and invalid arguments.

pub mod args;
mod link;
mod maddr;
pub mod man;
mod route;
mod usage;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use sockscope_netlink::os::{die_of_sigpipe, enter_netns, NetnsError};
use sockscope_netlink::DumpError;
use sockscope_render::ip::out::{Out, OutOptions};

use crate::exit::Exit;
use args::{ColorOpt, Global};

/// Runs the ip persona with the words after the program name; returns the exit status.
pub fn run(_prog: &OsStr, words: Vec<OsString>) -> i32 {
    let words: Vec<Vec<u8>> = words.into_iter().map(OsString::into_vec).collect();
    let g = match args::parse(words, &mut switch_netns) {
        Ok(g) => g,
        Err(e) => return e.emit(),
    };
    if g.batch.is_some() {
        return unsupported("-batch");
    }
    let Some(object_word) = g.rest.first() else {
        return args::main_usage().emit();
    };
    let Some(object) = args::find_object(object_word) else {
        let mut t = b"Object \"".to_vec();
        t.extend_from_slice(object_word);
        t.extend_from_slice(b"\" is unknown, try \"ip help\".\n");
        return Exit::stderr(1, t).emit();
    };
    let rest = &g.rest[1..];
    match object {
        "route" => route::run(&g, rest),
        "link" => link::run(&g, rest),
        "maddress" => maddr::run(&g, rest),
        "help" => args::main_usage().emit(),
        other => unsupported(other),
    }
}

/// An object's unknown command word: `Command "WORD" is unknown, try "ip OBJECT help".`,
/// status 255.
fn unknown_command(word: &[u8], object: &str) -> i32 {
    let mut t = b"Command \"".to_vec();
    t.extend_from_slice(word);
    t.extend_from_slice(format!("\" is unknown, try \"ip {object} help\".\n").as_bytes());
    Exit::stderr(255, t).emit()
}

/// The exit status of a command: its own, or its error's after printing it.
fn status(r: Result<i32, Exit>) -> i32 {
    r.unwrap_or_else(|e| e.emit())
}

/// `sockscope: ip WHAT is not supported by sockscope`, status 2.
fn unsupported(what: &str) -> i32 {
    Exit::stderr(
        2,
        format!("sockscope: ip {what} is not supported by sockscope\n"),
    )
    .emit()
}

/// `netns_switch` for `-n NAME`: bind-mount failures are reported and ignored; any other
/// failure ends ip with status 255 (`exit(-1)` in ip.c).
fn switch_netns(name: &[u8]) -> Result<(), Exit> {
    let os = OsStr::from_bytes(name);
    let shown = String::from_utf8_lossy(name);
    match enter_netns(os) {
        Ok(msgs) => {
            for m in msgs {
                eprintln!("{m}");
            }
            Ok(())
        }
        Err(e) => {
            let text = match e {
                NetnsError::Open(errno) => {
                    format!("Cannot open network namespace \"{shown}\": {errno}\n")
                }
                NetnsError::Setns(errno) => {
                    format!("setting the network namespace \"{shown}\" failed: {errno}\n")
                }
                NetnsError::Unshare(errno) => format!("unshare failed: {errno}\n"),
                NetnsError::MakeSlave(errno) => {
                    format!("\"mount --make-rslave /\" failed: {errno}\n")
                }
                NetnsError::MountSys(errno) => format!("mount of /sys failed: {errno}\n"),
            };
            Err(Exit::stderr(255, text))
        }
    }
}

/// `check_enable_color`: never with `-j`; `auto` only on a terminal; dark palette from
/// `COLORFGBG` (last `;`-separated value 0–6 or 8).
fn out_options(g: &Global) -> OutOptions {
    let json = g.json > 0;
    let color = !json
        && match g.color {
            ColorOpt::Never => false,
            ColorOpt::Always => true,
            ColorOpt::Auto => rustix::termios::isatty(rustix::stdio::stdout()),
        };
    let dark = std::env::var_os("COLORFGBG").is_some_and(|v| {
        let b = v.as_bytes();
        match b.iter().rposition(|&c| c == b';') {
            Some(i) => {
                let tail = &b[i + 1..];
                tail.len() == 1 && (matches!(tail[0], b'0'..=b'6') || tail[0] == b'8')
            }
            None => false,
        }
    });
    OutOptions {
        json,
        pretty: g.pretty > 0,
        color,
        dark,
        oneline: g.oneline > 0,
    }
}

/// Stdout for the printers: the render buffer is written to fd 1 whenever it grows past
/// 64 KiB and at the end (iproute2 flushes after every record; the bytes are the same).
/// A closed pipe ends the process by SIGPIPE, as it ends ip.
pub(crate) struct Sink {
    pub out: Out,
}

const FLUSH_AT: usize = 64 * 1024;

impl Sink {
    pub fn new(opts: OutOptions) -> Sink {
        Sink {
            out: Out::new(opts),
        }
    }

    #[inline]
    pub fn maybe_flush(&mut self) {
        if self.out.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        let fd = rustix::stdio::stdout();
        let mut rest: &[u8] = &self.out.buf;
        while !rest.is_empty() {
            match rustix::io::write(fd, rest) {
                Ok(0) => break,
                Ok(n) => rest = &rest[n..],
                Err(rustix::io::Errno::INTR) | Err(rustix::io::Errno::AGAIN) => continue,
                Err(rustix::io::Errno::PIPE) => die_of_sigpipe(),
                Err(_) => break,
            }
        }
        self.out.buf.clear();
    }
}

/// `RTNETLINK answers: TEXT` or the extended-ack text (`Error: MSG.`) for a failed dump, as
/// libnetlink prints them; `None` when ip prints nothing (ENOENT/EOPNOTSUPP without text).
pub(crate) fn dump_error_text(e: &DumpError) -> Option<String> {
    let ext = |msg: &str, is_err: bool| {
        let mut t = format!("{}: {msg}", if is_err { "Error" } else { "Warning" });
        if !msg.ends_with('.') {
            t.push('.');
        }
        t.push('\n');
        t
    };
    match e {
        DumpError::Done { errno, ext_ack } => {
            if let Some(m) = ext_ack.as_deref().filter(|m| !m.is_empty()) {
                return Some(ext(m, true));
            }
            match *errno {
                // ENOENT, EOPNOTSUPP: no text.
                2 | 95 => None,
                // EMSGSIZE
                90 => Some("Error: Buffer too small for object.\n".into()),
                n => Some(format!(
                    "RTNETLINK answers: {}\n",
                    sockscope_netlink::strerror(n)
                )),
            }
        }
        DumpError::Error { errno, .. } => Some(format!(
            "RTNETLINK answers: {}\n",
            sockscope_netlink::strerror(*errno)
        )),
        DumpError::Recv(errno) => Some(format!("netlink receive error {errno} ({})\n", errno.0)),
        DumpError::Eof => Some("EOF on netlink\n".into()),
        DumpError::DoneTruncated => Some("DONE truncated\n".into()),
        DumpError::ErrorTruncated => Some("ERROR truncated\n".into()),
        DumpError::Remnant(n) => Some(format!("!!!Remnant of size {n}\n")),
        DumpError::Send(errno) => Some(format!("Cannot send dump request: {errno}\n")),
        DumpError::Stopped => None,
    }
}

/// What `rtnl_talk` prints for a failed request: the extended-ack text (`Error: MSG.`) when
/// the kernel sent one, else `RTNETLINK answers: TEXT`.
pub(crate) fn talk_error_text(e: &DumpError) -> Option<String> {
    if let DumpError::Error {
        ext_ack: Some(m), ..
    } = e
    {
        if !m.is_empty() {
            let mut t = format!("Error: {m}");
            if !m.ends_with('.') {
                t.push('.');
            }
            t.push('\n');
            return Some(t);
        }
    }
    dump_error_text(e)
}

/// `NEXT_ARG()`: the next word or `Command line is not complete`.
pub(crate) fn next_arg<'a>(words: &'a [Vec<u8>], i: &mut usize) -> Result<&'a [u8], Exit> {
    *i += 1;
    words
        .get(*i)
        .map(Vec::as_slice)
        .ok_or_else(args::incomplete)
}

/// iproute2's family words for error texts (`family_name_verbose`).
pub(crate) fn family_verbose(f: u8) -> &'static str {
    match f {
        0 => "any valid",
        2 => "inet",
        10 => "inet6",
        17 => "link",
        28 => "mpls",
        7 => "bridge",
        _ => "???",
    }
}

/// `get_prefix` errors: the AF_PACKET refusal or "FAMILY prefix is expected", status 1.
pub(crate) fn prefix_error(arg: &[u8], family: u8) -> Exit {
    let mut t = b"Error: \"".to_vec();
    if family == 17 {
        t.extend_from_slice(arg);
        t.extend_from_slice(b"\" may be inet prefix, but it is not allowed in this context.\n");
        return Exit::stderr(1, t);
    }
    let mut t = format!(
        "Error: {} prefix is expected rather than \"",
        family_verbose(family)
    )
    .into_bytes();
    t.extend_from_slice(arg);
    t.extend_from_slice(b"\".\n");
    Exit::stderr(1, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts() {
        let e = DumpError::Done {
            errno: 2,
            ext_ack: Some("ipv4: FIB table does not exist".into()),
        };
        assert_eq!(
            dump_error_text(&e).unwrap(),
            "Error: ipv4: FIB table does not exist.\n"
        );
        let e = DumpError::Done {
            errno: 2,
            ext_ack: None,
        };
        assert_eq!(dump_error_text(&e), None);
        let e = DumpError::Error {
            errno: 19,
            ext_ack: None,
        };
        assert_eq!(
            dump_error_text(&e).unwrap(),
            "RTNETLINK answers: No such device\n"
        );
        let x = prefix_error(b"garbage", 0);
        assert_eq!(
            (x.status, x.stderr),
            (
                1,
                b"Error: any valid prefix is expected rather than \"garbage\".\n".to_vec()
            )
        );
        let x = prefix_error(b"1.2.3.4", 17);
        assert!(x.stderr.ends_with(b"not allowed in this context.\n"));
    }
}
