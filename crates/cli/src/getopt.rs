//! A GNU `getopt_long` (glibc 2.36, `posix/getopt.c`) work-alike whose option table is read
//! from a clap [`Command`]'s metadata. clap defines the options (and so the man page and the
//! completions); this module parses them the way the C tools do, which clap's own parser cannot:
//!
//! * argument permutation: options may follow operands (`ss state listening -t`); operands keep
//!   their order; `POSIXLY_CORRECT` (REQUIRE_ORDER) stops at the first operand instead;
//! * `--` ends the options; `-` alone and the empty word are operands;
//! * clustered short options (`-tulpn`), short values glued or separate (`-finet`, `-f inet`),
//!   a value is taken from the next word even when it starts with `-` (`-f -t`);
//! * long options abbreviated to a prefix, an exact match winning (`--context` vs `--contexts`),
//!   several prefixes of the same option not ambiguous; `--name=value` and `--name value`;
//! * glibc's error texts, byte for byte ([`GetoptError::message`]);
//! * options marked as extensions ([`OptionTable::with_extensions`]) take part in
//!   abbreviations only when no other option matches the prefix, so adding one never changes
//!   how the C tool's own abbreviations resolve (`--filt` stays ss's `--filter` next to
//!   sockscope's `--filter-mode`).
//!
//! Options come out one at a time so that the caller acts on them in command-line order, as the
//! C programs do (an earlier `-V` wins over a later invalid option).
//!
//! This module knows nothing of any persona: no option names appear here.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use clap::Command;

/// One option target: a clap argument id and whether it takes a value (`has_arg`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    id: String,
    takes_value: bool,
    /// An option the C tool does not have (see the module docs).
    extension: bool,
}

/// The option table, in the order of the clap definitions (glibc lists ambiguous candidates
/// in table order, so the order of long names is significant).
#[derive(Clone, Debug, Default)]
pub struct OptionTable {
    targets: Vec<Target>,
    /// Short option byte → target index.
    shorts: Vec<(u8, usize)>,
    /// Long option name → target index, in table order (an argument's long name, then its
    /// aliases).
    longs: Vec<(String, usize)>,
}

impl OptionTable {
    /// Reads every non-positional argument of `cmd`: its short name and short aliases (hidden
    /// ones included), its long name and long aliases, and whether its action takes a value.
    /// Non-ASCII short names are skipped (getopt works on bytes).
    pub fn from_command(cmd: &Command) -> OptionTable {
        let mut table = OptionTable::default();
        for arg in cmd.get_arguments().filter(|a| !a.is_positional()) {
            let index = table.targets.len();
            table.targets.push(Target {
                id: arg.get_id().as_str().to_owned(),
                takes_value: arg.get_action().takes_values(),
                extension: false,
            });
            let shorts = arg
                .get_short()
                .into_iter()
                .chain(arg.get_all_short_aliases().unwrap_or_default());
            for c in shorts {
                if c.is_ascii() {
                    table.shorts.push((c as u8, index));
                }
            }
            let longs = arg
                .get_long()
                .into_iter()
                .chain(arg.get_all_aliases().unwrap_or_default());
            for name in longs {
                table.longs.push((name.to_owned(), index));
            }
        }
        table
    }

    /// Marks the options with these clap ids as extensions: an abbreviation that is a prefix
    /// of any other long option never resolves to (nor is made ambiguous by) them.
    pub fn with_extensions(mut self, ids: &[&str]) -> OptionTable {
        for t in &mut self.targets {
            if ids.contains(&t.id.as_str()) {
                t.extension = true;
            }
        }
        self
    }

    fn is_extension(&self, index: usize) -> bool {
        self.targets.get(index).is_some_and(|t| t.extension)
    }

    fn short(&self, c: u8) -> Option<usize> {
        self.shorts.iter().find(|&&(s, _)| s == c).map(|&(_, t)| t)
    }

    /// The long names in table order (for documentation and tests).
    pub fn long_names(&self) -> impl Iterator<Item = &str> {
        self.longs.iter().map(|(n, _)| n.as_str())
    }

    /// The glibc optstring equivalent (`"ab:c"`), in table order; for tests and documentation.
    pub fn optstring(&self) -> String {
        let mut s = String::new();
        for &(c, t) in &self.shorts {
            s.push(c as char);
            if self.targets.get(t).is_some_and(|t| t.takes_value) {
                s.push(':');
            }
        }
        s
    }
}

/// One recognised option: the clap argument id and, for options taking a value, the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt<'t> {
    pub id: &'t str,
    pub value: Option<OsString>,
}

/// A getopt error. glibc prints it (with `argv[0]`) and returns `'?'`; the C tools then print
/// their usage and exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GetoptError {
    /// `-q` with no such short option.
    InvalidOption(u8),
    /// `-f` as the last word.
    ShortRequiresArgument(u8),
    /// `--foo` or `--foo=bar`: the text after `--` as given.
    Unrecognized(Vec<u8>),
    /// `--cont`: the text after `--` as given (with any `=value`) and the full names of the
    /// candidates in table order.
    Ambiguous {
        given: Vec<u8>,
        candidates: Vec<String>,
    },
    /// `--tcp=1`: the option's full name.
    NoArgumentAllowed(String),
    /// `--family` as the last word: the option's full name.
    LongRequiresArgument(String),
}

impl GetoptError {
    /// The message glibc writes to stderr, newline included; `prog` is `argv[0]`.
    ///
    /// Formats (glibc 2.36 posix/getopt.c): `%s: invalid option -- '%c'`,
    /// `%s: option requires an argument -- '%c'`, `%s: unrecognized option '%s%s'`,
    /// `%s: option '%s%s' is ambiguous; possibilities:` + ` '%s%s'` per candidate,
    /// `%s: option '%s%s' doesn't allow an argument`, `%s: option '%s%s' requires an argument`.
    pub fn message(&self, prog: &[u8]) -> Vec<u8> {
        let mut m = Vec::with_capacity(64);
        m.extend_from_slice(prog);
        match self {
            GetoptError::InvalidOption(c) => {
                m.extend_from_slice(b": invalid option -- '");
                m.push(*c);
                m.extend_from_slice(b"'\n");
            }
            GetoptError::ShortRequiresArgument(c) => {
                m.extend_from_slice(b": option requires an argument -- '");
                m.push(*c);
                m.extend_from_slice(b"'\n");
            }
            GetoptError::Unrecognized(given) => {
                m.extend_from_slice(b": unrecognized option '--");
                m.extend_from_slice(given);
                m.extend_from_slice(b"'\n");
            }
            GetoptError::Ambiguous { given, candidates } => {
                m.extend_from_slice(b": option '--");
                m.extend_from_slice(given);
                m.extend_from_slice(b"' is ambiguous; possibilities:");
                for c in candidates {
                    m.extend_from_slice(b" '--");
                    m.extend_from_slice(c.as_bytes());
                    m.push(b'\'');
                }
                m.push(b'\n');
            }
            GetoptError::NoArgumentAllowed(name) => {
                m.extend_from_slice(b": option '--");
                m.extend_from_slice(name.as_bytes());
                m.extend_from_slice(b"' doesn't allow an argument\n");
            }
            GetoptError::LongRequiresArgument(name) => {
                m.extend_from_slice(b": option '--");
                m.extend_from_slice(name.as_bytes());
                m.extend_from_slice(b"' requires an argument\n");
            }
        }
        m
    }
}

/// The parser: an iterator over options in command-line order; afterwards
/// [`Getopt::into_operands`] gives the non-option words in their original order.
#[derive(Debug)]
pub struct Getopt<'t> {
    table: &'t OptionTable,
    args: Vec<OsString>,
    /// Index of the next word to examine.
    next: usize,
    /// Inside a cluster of short options: (word index, byte offset of the next option char).
    cluster: Option<(usize, usize)>,
    operands: Vec<OsString>,
    finished: bool,
    /// REQUIRE_ORDER (glibc: `POSIXLY_CORRECT` set or optstring starting with `+`).
    require_order: bool,
}

impl<'t> Getopt<'t> {
    /// `args` are the words after `argv[0]`. `require_order` mirrors glibc's handling of the
    /// `POSIXLY_CORRECT` environment variable: stop at the first operand.
    pub fn new(table: &'t OptionTable, args: Vec<OsString>, require_order: bool) -> Self {
        Getopt {
            table,
            args,
            next: 0,
            cluster: None,
            operands: Vec::new(),
            finished: false,
            require_order,
        }
    }

    /// The operands, in command-line order (the words that glibc permutes to the end of argv,
    /// `--` removed). Complete only once the iterator has returned `None`.
    pub fn into_operands(self) -> Vec<OsString> {
        self.operands
    }

    /// Marks the scan as done: every word from `from` on is an operand.
    fn finish(&mut self, from: usize) -> Option<Result<Opt<'t>, GetoptError>> {
        let rest = self.args.get(from..).unwrap_or_default();
        self.operands.extend(rest.iter().cloned());
        self.next = self.args.len();
        self.finished = true;
        None
    }

    fn target(&self, index: usize) -> Option<&'t Target> {
        self.table.targets.get(index)
    }

    /// The next short option of the current cluster.
    fn short_option(&mut self, word: usize, off: usize) -> Option<Result<Opt<'t>, GetoptError>> {
        let bytes = self
            .args
            .get(word)
            .map(|w| w.as_bytes())
            .unwrap_or_default();
        let Some(&c) = bytes.get(off) else {
            self.cluster = None;
            return None;
        };
        let more = off + 1 < bytes.len();
        let found = self.table.short(c).and_then(|t| self.target(t));
        let Some(target) = found else {
            self.cluster = more.then_some((word, off + 1));
            return Some(Err(GetoptError::InvalidOption(c)));
        };
        if !target.takes_value {
            self.cluster = more.then_some((word, off + 1));
            return Some(Ok(Opt {
                id: &target.id,
                value: None,
            }));
        }
        self.cluster = None;
        let value = if more {
            // `-finet`: the rest of the word is the value.
            OsString::from_vec(bytes.get(off + 1..).unwrap_or_default().to_vec())
        } else if let Some(v) = self.args.get(self.next) {
            // `-f inet`: the next word, whatever it looks like.
            let v = v.clone();
            self.next += 1;
            v
        } else {
            return Some(Err(GetoptError::ShortRequiresArgument(c)));
        };
        Some(Ok(Opt {
            id: &target.id,
            value: Some(value),
        }))
    }

    /// A `--name[=value]` word; `body` is the text after `--`.
    fn long_option(&mut self, body: Vec<u8>) -> Result<Opt<'t>, GetoptError> {
        let (name, inline) = match body.iter().position(|&b| b == b'=') {
            Some(eq) => (&body[..eq], body.get(eq + 1..)),
            None => (&body[..], None),
        };
        let longs = &self.table.longs;
        // An exact match wins over abbreviations of longer names.
        let mut found = longs.iter().find(|(n, _)| n.as_bytes() == name);
        if found.is_none() {
            // glibc: the first prefix match is the candidate; a later prefix match makes the
            // word ambiguous only if it names a different option (different has_arg/flag/val).
            // The candidates listed are the first one plus every such differing match.
            let mut first: Option<&(String, usize)> = None;
            let mut ambiguous: Vec<&str> = Vec::new();
            let prefixed = |(n, _): &&(String, usize)| n.as_bytes().starts_with(name);
            // Extensions only when no option of the original table matches.
            let native = longs
                .iter()
                .filter(prefixed)
                .any(|(_, t)| !self.table.is_extension(*t));
            let candidates = longs
                .iter()
                .filter(prefixed)
                .filter(|(_, t)| !native || !self.table.is_extension(*t));
            for entry in candidates {
                match first {
                    None => first = Some(entry),
                    Some(f) if f.1 != entry.1 => {
                        if ambiguous.is_empty() {
                            ambiguous.push(&f.0);
                        }
                        ambiguous.push(&entry.0);
                    }
                    Some(_) => {}
                }
            }
            if !ambiguous.is_empty() {
                return Err(GetoptError::Ambiguous {
                    given: body.clone(),
                    candidates: ambiguous.into_iter().map(str::to_owned).collect(),
                });
            }
            found = first;
        }
        let Some((full, index)) = found else {
            return Err(GetoptError::Unrecognized(body.clone()));
        };
        let Some(target) = self.target(*index) else {
            return Err(GetoptError::Unrecognized(body.clone()));
        };
        match (target.takes_value, inline) {
            (false, Some(_)) => Err(GetoptError::NoArgumentAllowed(full.clone())),
            (false, None) => Ok(Opt {
                id: &target.id,
                value: None,
            }),
            (true, Some(v)) => Ok(Opt {
                id: &target.id,
                value: Some(OsString::from_vec(v.to_vec())),
            }),
            (true, None) => match self.args.get(self.next) {
                Some(v) => {
                    let v = v.clone();
                    self.next += 1;
                    Ok(Opt {
                        id: &target.id,
                        value: Some(v),
                    })
                }
                None => Err(GetoptError::LongRequiresArgument(full.clone())),
            },
        }
    }
}

impl<'t> Iterator for Getopt<'t> {
    type Item = Result<Opt<'t>, GetoptError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((word, off)) = self.cluster {
                match self.short_option(word, off) {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            if self.finished {
                return None;
            }
            let Some(word) = self.args.get(self.next) else {
                self.finished = true;
                return None;
            };
            let bytes = word.as_bytes();
            if bytes == b"--" {
                return self.finish(self.next + 1);
            }
            if bytes.len() < 2 || bytes[0] != b'-' {
                // An operand (including `-` alone and the empty word).
                if self.require_order {
                    return self.finish(self.next);
                }
                self.operands.push(word.clone());
                self.next += 1;
                continue;
            }
            self.next += 1;
            if bytes[1] == b'-' {
                let body = bytes[2..].to_vec();
                return Some(self.long_option(body));
            }
            self.cluster = Some((self.next - 1, 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    /// A small table in the shape of ss's: `ab:c` plus long names, two of them sharing a
    /// target (`socket`/`query`) and an exact-vs-prefix pair (`context`/`contexts`).
    fn command() -> Command {
        Command::new("t")
            .disable_help_flag(true)
            .disable_version_flag(true)
            .arg(
                Arg::new("alpha")
                    .short('a')
                    .long("alpha")
                    .action(ArgAction::SetTrue),
            )
            .arg(
                Arg::new("beta")
                    .short('b')
                    .long("beta")
                    .action(ArgAction::Set),
            )
            .arg(
                Arg::new("cee")
                    .short('c')
                    .short_alias('C')
                    .long("context")
                    .action(ArgAction::SetTrue),
            )
            .arg(Arg::new("ctxs").long("contexts").action(ArgAction::SetTrue))
            .arg(
                Arg::new("sock")
                    .long("socket")
                    .alias("query")
                    .action(ArgAction::Set),
            )
            .arg(Arg::new("sum").long("summary").action(ArgAction::SetTrue))
            .arg(
                Arg::new("sum-x")
                    .long("summary-extra")
                    .action(ArgAction::SetTrue),
            )
            .arg(Arg::new("extra").long("extra").action(ArgAction::SetTrue))
            .arg(Arg::new("words").num_args(0..).trailing_var_arg(true))
    }

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    /// Runs the parser to the end or the first error: ("id[=value]"..., operands) or the error
    /// message with prog `t`.
    fn run(words: &[&str], posix: bool) -> Result<(Vec<String>, Vec<String>), String> {
        let table = OptionTable::from_command(&command()).with_extensions(&["sum-x", "extra"]);
        let mut g = Getopt::new(&table, os(words), posix);
        let mut opts = Vec::new();
        for item in g.by_ref() {
            match item {
                Ok(o) => opts.push(match o.value {
                    Some(v) => format!("{}={}", o.id, v.to_string_lossy()),
                    None => o.id.to_owned(),
                }),
                Err(e) => return Err(String::from_utf8_lossy(&e.message(b"t")).into_owned()),
            }
        }
        let operands = g
            .into_operands()
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        Ok((opts, operands))
    }

    fn ok(words: &[&str], opts: &[&str], operands: &[&str]) {
        let (o, w) = run(words, false).unwrap_or_else(|e| panic!("{words:?}: {e}"));
        assert_eq!(o, opts, "options of {words:?}");
        assert_eq!(w, operands, "operands of {words:?}");
    }

    fn err(words: &[&str], message: &str) {
        assert_eq!(run(words, false), Err(message.to_owned()), "{words:?}");
    }

    #[test]
    fn table_reads_clap_metadata() {
        let table = OptionTable::from_command(&command());
        assert_eq!(table.optstring(), "ab:cC");
        let longs: Vec<&str> = table.long_names().collect();
        assert_eq!(
            longs,
            [
                "alpha",
                "beta",
                "context",
                "contexts",
                "socket",
                "query",
                "summary",
                "summary-extra",
                "extra"
            ]
        );
    }

    #[test]
    fn permutation_and_operands() {
        ok(&["x", "-a", "y"], &["alpha"], &["x", "y"]);
        ok(
            &["state", "listening", "sport", "-a"],
            &["alpha"],
            &["state", "listening", "sport"],
        );
        ok(&["-", "-a", ""], &["alpha"], &["-", ""]);
        ok(&[], &[], &[]);
    }

    #[test]
    fn double_dash_ends_options() {
        ok(&["x", "--", "-a", "--", "y"], &[], &["x", "-a", "--", "y"]);
        ok(&["-a", "--"], &["alpha"], &[]);
    }

    #[test]
    fn require_order_stops_at_first_operand() {
        let (o, w) = run(&["-a", "x", "-a", "--", "y"], true).unwrap();
        assert_eq!(o, ["alpha"]);
        assert_eq!(w, ["x", "-a", "--", "y"]);
        let (o, w) = run(&["--", "-a"], true).unwrap();
        assert!(o.is_empty());
        assert_eq!(w, ["-a"]);
    }

    #[test]
    fn short_clusters_and_values() {
        ok(&["-ac"], &["alpha", "cee"], &[]);
        ok(&["-aC"], &["alpha", "cee"], &[]);
        ok(&["-abx", "w"], &["alpha", "beta=x"], &["w"]);
        ok(&["-ab", "x"], &["alpha", "beta=x"], &[]);
        ok(&["-b", "-a"], &["beta=-a"], &[]);
        ok(&["-b", "--"], &["beta=--"], &[]);
        ok(&["-bc", "-c"], &["beta=c", "cee"], &[]);
    }

    #[test]
    fn long_options_and_abbreviations() {
        ok(&["--alpha"], &["alpha"], &[]);
        ok(&["--al"], &["alpha"], &[]);
        ok(&["--context"], &["cee"], &[]);
        ok(&["--contexts"], &["ctxs"], &[]);
        ok(&["--beta=x"], &["beta=x"], &[]);
        ok(&["--beta="], &["beta="], &[]);
        ok(&["--be", "x", "y"], &["beta=x"], &["y"]);
        ok(&["--beta", "--alpha"], &["beta=--alpha"], &[]);
        ok(
            &["--que=tcp", "--so", "udp"],
            &["sock=tcp", "sock=udp"],
            &[],
        );
    }

    #[test]
    fn extensions_never_change_native_abbreviations() {
        // `summary-extra` and `extra` are extensions: prefixes of `summary` stay `summary`,
        // the extension's own unambiguous prefixes and exact names reach it.
        ok(&["--sum"], &["sum"], &[]);
        ok(&["--summary"], &["sum"], &[]);
        ok(&["--summary-"], &["sum-x"], &[]);
        ok(&["--summary-extra"], &["sum-x"], &[]);
        ok(&["--ex"], &["extra"], &[]);
        err(
            &["--s"],
            "t: option '--s' is ambiguous; possibilities: '--socket' '--summary'\n",
        );
    }

    #[test]
    fn error_texts_are_glibcs() {
        err(&["-q"], "t: invalid option -- 'q'\n");
        err(&["-aq"], "t: invalid option -- 'q'\n");
        err(&["-b"], "t: option requires an argument -- 'b'\n");
        err(&["-ab"], "t: option requires an argument -- 'b'\n");
        err(&["--foo"], "t: unrecognized option '--foo'\n");
        err(&["--foo=bar"], "t: unrecognized option '--foo=bar'\n");
        err(
            &["--alpha=1"],
            "t: option '--alpha' doesn't allow an argument\n",
        );
        err(
            &["--al=1"],
            "t: option '--alpha' doesn't allow an argument\n",
        );
        err(&["--beta"], "t: option '--beta' requires an argument\n");
        err(&["--b"], "t: option '--beta' requires an argument\n");
        err(
            &["--cont"],
            "t: option '--cont' is ambiguous; possibilities: '--context' '--contexts'\n",
        );
        err(
            &["--cont=3"],
            "t: option '--cont=3' is ambiguous; possibilities: '--context' '--contexts'\n",
        );
        err(
            &["--s"],
            "t: option '--s' is ambiguous; possibilities: '--socket' '--summary'\n",
        );
        // An empty name is a prefix of everything: every option differing from the first is
        // listed, both names of a shared target included (glibc lists `--socket` `--query`).
        err(
            &["--=x"],
            "t: option '--=x' is ambiguous; possibilities: '--alpha' '--beta' '--context' \
             '--contexts' '--socket' '--query' '--summary'\n",
        );
    }

    #[test]
    fn errors_come_in_order() {
        // Options before the error are delivered first, so the caller can act on them.
        let table = OptionTable::from_command(&command());
        let mut g = Getopt::new(&table, os(&["-a", "x", "-q"]), false);
        assert_eq!(
            g.next(),
            Some(Ok(Opt {
                id: "alpha",
                value: None
            }))
        );
        assert_eq!(g.next(), Some(Err(GetoptError::InvalidOption(b'q'))));
    }

    #[test]
    fn non_utf8_bytes_are_kept() {
        let table = OptionTable::from_command(&command());
        let word = OsString::from_vec(vec![b'-', 0xff]);
        let mut g = Getopt::new(&table, vec![word], false);
        let e = g.next().unwrap().unwrap_err();
        assert_eq!(e.message(b"t"), b"t: invalid option -- '\xff'\n");
        let value = OsString::from_vec(vec![b'-', b'b', 0xfe]);
        let mut g = Getopt::new(&table, vec![value], false);
        let o = g.next().unwrap().unwrap();
        assert_eq!(o.value.unwrap().as_bytes(), b"\xfe");
    }
}
