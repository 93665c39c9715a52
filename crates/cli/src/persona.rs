//! Persona dispatch: which tool sockscope impersonates, decided from `argv[0]`'s file name
//! (`ss`, `netstat`, `ip`; a link or copy of the binary under that name) or, when run under
//! any other name (normally `sockscope`), from the first word (`sockscope netstat -tn`,
//! `sockscope ip addr`, `sockscope ss -t`); otherwise sockscope is the ss persona.
//!
//! The program name used in messages ([`Invocation::prog`]): through a link named after the
//! tool it is `argv[0]` exactly as given (`/usr/local/bin/ss: invalid option -- 'q'`, as glibc
//! prints for the real tool); under the sockscope name it is the bare tool name (`ss`), so that
//! `sockscope ARGS` writes byte for byte what `ss ARGS` writes.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// The tool being impersonated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persona {
    /// iproute2 6.1 `ss` (also sockscope's own default).
    Ss,
    /// net-tools 2.10 `netstat`.
    Netstat,
    /// iproute2 6.1 `ip`.
    Ip,
}

impl Persona {
    /// The tool's name (`ss`, `netstat`, `ip`).
    pub fn name(self) -> &'static str {
        match self {
            Persona::Ss => "ss",
            Persona::Netstat => "netstat",
            Persona::Ip => "ip",
        }
    }

    fn from_name(name: &[u8]) -> Option<Persona> {
        match name {
            b"ss" => Some(Persona::Ss),
            b"netstat" => Some(Persona::Netstat),
            b"ip" => Some(Persona::Ip),
            _ => None,
        }
    }
}

/// The outcome of dispatch: who runs, under which name, with which words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub persona: Persona,
    /// The name for messages (getopt's `argv[0]`): see the module documentation.
    pub prog: OsString,
    /// The words after the program name (and after the persona word, if one was used).
    pub args: Vec<OsString>,
    /// Run under a name other than the tool's (normally `sockscope`).
    pub via_sockscope: bool,
}

/// The last path component of `argv0` (`/usr/bin/ss` → `ss`).
fn file_name(argv0: &OsStr) -> &[u8] {
    let bytes = argv0.as_bytes();
    match bytes.iter().rposition(|&b| b == b'/') {
        Some(slash) => bytes.get(slash + 1..).unwrap_or_default(),
        None => bytes,
    }
}

/// Chooses the persona for a full argv (`argv[0]` included; an empty argv is sockscope with no
/// words).
pub fn dispatch(mut argv: Vec<OsString>) -> Invocation {
    let argv0 = if argv.is_empty() {
        OsString::new()
    } else {
        argv.remove(0)
    };
    if let Some(persona) = Persona::from_name(file_name(&argv0)) {
        return Invocation {
            persona,
            prog: argv0,
            args: argv,
            via_sockscope: false,
        };
    }
    let word = argv.first().and_then(|w| Persona::from_name(w.as_bytes()));
    let persona = match word {
        Some(p) => {
            argv.remove(0);
            p
        }
        None => Persona::Ss,
    };
    Invocation {
        persona,
        prog: OsString::from(persona.name()),
        args: argv,
        via_sockscope: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(line: &[&str]) -> (Persona, String, Vec<String>, bool) {
        let inv = dispatch(line.iter().map(OsString::from).collect());
        (
            inv.persona,
            inv.prog.to_string_lossy().into_owned(),
            inv.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            inv.via_sockscope,
        )
    }

    fn v(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    /// argv → (persona, prog, args, via_sockscope)
    type Row = (
        &'static [&'static str],
        (Persona, &'static str, &'static [&'static str], bool),
    );

    #[test]
    fn dispatch_table() {
        use Persona::*;
        let cases: &[Row] = &[
            (&["ss", "-t"], (Ss, "ss", &["-t"], false)),
            (
                &["/usr/local/bin/ss", "-q"],
                (Ss, "/usr/local/bin/ss", &["-q"], false),
            ),
            (
                &["./netstat", "-tn"],
                (Netstat, "./netstat", &["-tn"], false),
            ),
            (&["ip", "addr"], (Ip, "ip", &["addr"], false)),
            // A link named ss keeps the first word as ss's own (a filter word here).
            (&["ss", "netstat"], (Ss, "ss", &["netstat"], false)),
            (&["sockscope", "-tln"], (Ss, "ss", &["-tln"], true)),
            (&["/opt/bin/sockscope"], (Ss, "ss", &[], true)),
            (
                &["sockscope", "netstat", "-tn"],
                (Netstat, "netstat", &["-tn"], true),
            ),
            (
                &["sockscope", "ip", "-br", "a"],
                (Ip, "ip", &["-br", "a"], true),
            ),
            (&["sockscope", "ss", "-t"], (Ss, "ss", &["-t"], true)),
            (
                &["sockscope", "-t", "netstat"],
                (Ss, "ss", &["-t", "netstat"], true),
            ),
            (&["sockscope", "NETSTAT"], (Ss, "ss", &["NETSTAT"], true)),
            (&["ss2"], (Ss, "ss", &[], true)),
            (&["/bin/"], (Ss, "ss", &[], true)),
            (&[], (Ss, "ss", &[], true)),
        ];
        for (argv, (p, prog, args, via)) in cases {
            assert_eq!(d(argv), (*p, prog.to_string(), v(args), *via), "{argv:?}");
        }
    }
}
