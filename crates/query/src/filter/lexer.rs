//! The filter lexer: ss 6.1's `yylex` and `get_token_from_line` (misc/ssfilter.y), without the
//! value parsing (that is [`super::host`]'s, driven by the parser with the "last keyword").
//!
//! Input comes first from the command-line words, then from the `-F` file:
//!
//! * every word and every file line is split into tokens at spaces and TABs only; a backslash
//!   makes the next character literal (it is removed; a trailing one is dropped); no quotes;
//! * the file is read the way `fgets` into a 1024-byte buffer reads it: a chunk ends after a
//!   newline or after 1023 bytes; a chunk whose C length (up to the first NUL) is 0 is
//!   `Invalid line`, one of 1023 bytes or more is `Too long line in filter` (both exit 255); the
//!   trailing newline is removed; chunks starting with `#` or `0` are skipped (the `0` case is
//!   an upstream bug, kept).
//!
//! Tokens are produced one at a time, as bison asks for them, so that a bad value or a bad
//! file line stops the parse exactly where ss stops.

use super::FilterError;

/// ss's line buffer (`static char argbuf[1024]`).
const LINE_BUFFER: usize = 1024;

/// A token's classification (ss's `yylex` return values). Everything that is not an operator
/// or keyword is [`Kind::Word`]; what a word means depends on the last keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Not,
    And,
    Or,
    Open,
    Close,
    Dst,
    Src,
    Dport,
    Sport,
    Dev,
    Fwmark,
    Cgroup,
    Geq,
    Leq,
    Neq,
    Eq,
    Gt,
    Lt,
    Autobound,
    /// sockscope's keywords (not ss's: ss reads these words as host names). The parser takes
    /// them as plain words where a value is expected (`dst user`).
    Pid,
    Comm,
    Uid,
    User,
    Word,
}

/// Where a token starts, for sockscope's "at column N" hint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pos {
    /// 1-based column in the command-line words joined by single spaces.
    Args(usize),
    /// 1-based line and column of the `-F` file.
    File { line: usize, column: usize },
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pos::Args(c) => write!(f, "column {c}"),
            Pos::File { line, column } => {
                write!(f, "line {line}, column {column} of the filter file")
            }
        }
    }
}

/// ss's keyword table (exact, case-sensitive compares, in `yylex`'s order), then sockscope's
/// own keywords.
pub(crate) fn classify(t: &[u8]) -> Kind {
    match t {
        b"!" | b"not" => Kind::Not,
        b"&" | b"&&" | b"and" => Kind::And,
        b"|" | b"||" | b"or" => Kind::Or,
        b"(" => Kind::Open,
        b")" => Kind::Close,
        b"dst" => Kind::Dst,
        b"src" => Kind::Src,
        b"dport" => Kind::Dport,
        b"sport" => Kind::Sport,
        b"dev" => Kind::Dev,
        b"fwmark" => Kind::Fwmark,
        b"cgroup" => Kind::Cgroup,
        b">=" | b"ge" | b"geq" => Kind::Geq,
        b"<=" | b"le" | b"leq" => Kind::Leq,
        b"!=" | b"ne" | b"neq" => Kind::Neq,
        b"=" | b"==" | b"eq" => Kind::Eq,
        b">" | b"gt" => Kind::Gt,
        b"<" | b"lt" => Kind::Lt,
        b"autobound" => Kind::Autobound,
        b"pid" => Kind::Pid,
        b"comm" => Kind::Comm,
        b"uid" => Kind::Uid,
        b"user" => Kind::User,
        _ => Kind::Word,
    }
}

/// `get_token_from_line`: the next token of `line` starting at `*at`, with its start offset.
/// Separators are space and TAB; the line ends at its end or at a NUL byte.
pub(crate) fn next_in_line(line: &[u8], at: &mut usize) -> Option<(usize, Vec<u8>)> {
    let byte = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut i = *at;
    while matches!(byte(i), b' ' | b'\t') {
        i += 1;
    }
    if byte(i) == 0 {
        *at = i;
        return None;
    }
    let start = i;
    let mut tok = Vec::new();
    while !matches!(byte(i), 0 | b' ' | b'\t') {
        if byte(i) == b'\\' {
            // The backslash is removed; the next character is taken as it is, separators
            // included; a backslash at the very end is just dropped.
            i += 1;
            if byte(i) == 0 {
                break;
            }
        }
        tok.push(byte(i));
        i += 1;
    }
    // ss writes a NUL over the separator and continues after it.
    if byte(i) != 0 {
        i += 1;
    }
    *at = i;
    Some((start, tok))
}

/// The token source: words, then file chunks.
pub(crate) struct Lexer<'a> {
    words: &'a [Vec<u8>],
    file: Option<&'a [u8]>,
    /// Next word to start.
    word: usize,
    /// Column (0-based) in the joined words where the current word starts.
    word_col: usize,
    /// Read offset in the file.
    file_at: usize,
    /// 1-based number of the current file chunk.
    file_line: usize,
    /// The line being tokenised: bytes, offset, and whether it came from the file.
    cur: Vec<u8>,
    cur_at: usize,
    cur_from_file: bool,
    cur_col: usize,
    /// End of input was returned.
    done: bool,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(words: &'a [Vec<u8>], file: Option<&'a [u8]>) -> Lexer<'a> {
        Lexer {
            words,
            file,
            word: 0,
            word_col: 0,
            file_at: 0,
            file_line: 0,
            cur: Vec::new(),
            cur_at: 0,
            cur_from_file: false,
            cur_col: 0,
            done: false,
        }
    }

    /// The position just after the input (for "unexpected end" messages).
    pub(crate) fn end_pos(&self) -> Pos {
        if self.cur_from_file {
            Pos::File {
                line: self.file_line.max(1),
                column: self.cur.len() + 1,
            }
        } else {
            let total: usize = self.words.iter().map(|w| w.len() + 1).sum();
            Pos::Args(total.max(1))
        }
    }

    /// One `fgets(argbuf, 1024, fp)`: up to 1023 bytes, ending after a newline.
    fn fgets(&mut self) -> Option<&'a [u8]> {
        let data = self.file?;
        let rest = data.get(self.file_at..).filter(|r| !r.is_empty())?;
        let max = (LINE_BUFFER - 1).min(rest.len());
        let n = memchr::memchr(b'\n', &rest[..max]).map_or(max, |i| i + 1);
        self.file_at += n;
        Some(&rest[..n])
    }

    /// The next raw token, or `None` at the end of the input.
    pub(crate) fn next_raw(&mut self) -> Result<Option<(Pos, Vec<u8>)>, FilterError> {
        if self.done {
            return Ok(None);
        }
        loop {
            if let Some((off, tok)) = next_in_line(&self.cur, &mut self.cur_at) {
                let pos = if self.cur_from_file {
                    Pos::File {
                        line: self.file_line,
                        column: off + 1,
                    }
                } else {
                    Pos::Args(self.cur_col + off + 1)
                };
                return Ok(Some((pos, tok)));
            }
            // The current string is used up: next word, else next file line.
            if let Some(w) = self.words.get(self.word) {
                self.cur_col = self.word_col;
                self.word_col += w.len() + 1;
                self.word += 1;
                self.cur = w.clone();
                self.cur_at = 0;
                self.cur_from_file = false;
                continue;
            }
            let Some(chunk) = self.fgets() else {
                self.done = true;
                return Ok(None);
            };
            self.file_line += 1;
            let len = memchr::memchr(0, chunk).unwrap_or(chunk.len());
            if len == 0 {
                return Err(FilterError::exit(255, "Invalid line\n"));
            }
            if len >= LINE_BUFFER - 1 {
                return Err(FilterError::exit(255, "Too long line in filter\n"));
            }
            let mut line = &chunk[..len];
            if line.last() == Some(&b'\n') {
                line = &line[..len - 1];
            }
            if matches!(chunk.first(), Some(b'#' | b'0')) {
                continue;
            }
            self.cur = line.to_vec();
            self.cur_at = 0;
            self.cur_from_file = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        let b = s.as_bytes();
        let mut at = 0;
        let mut out = Vec::new();
        while let Some((_, t)) = next_in_line(b, &mut at) {
            out.push(String::from_utf8(t).unwrap());
        }
        out
    }

    #[test]
    fn splitting_and_backslashes() {
        assert_eq!(split("( dport = :22 )"), ["(", "dport", "=", ":22", ")"]);
        assert_eq!(split("  \t(dport\t"), ["(dport"]);
        assert_eq!(split("a\\ b c"), ["a b", "c"]);
        assert_eq!(split("a\\\\ b"), ["a\\", "b"]);
        assert_eq!(split("x\\"), ["x"]);
        assert_eq!(split("\\"), [""]);
        assert_eq!(split("'a b'"), ["'a", "b'"]);
        assert_eq!(split(""), Vec::<String>::new());
        assert_eq!(split("   "), Vec::<String>::new());
        assert_eq!(split("a\0b"), ["a"]);
    }

    fn all(words: &[&str], file: Option<&[u8]>) -> Result<Vec<(Pos, String)>, FilterError> {
        let words: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        let mut l = Lexer::new(&words, file);
        let mut out = Vec::new();
        while let Some((p, t)) = l.next_raw()? {
            out.push((p, String::from_utf8(t).unwrap()));
        }
        Ok(out)
    }

    #[test]
    fn words_then_file_with_positions() {
        let got = all(
            &["sport", "", "= :22", "or"],
            Some(b"# comment\n\n  dport\t= :80\n0 skipped\nsrc 1.2.3.4"),
        )
        .unwrap();
        let want = [
            (Pos::Args(1), "sport"),
            (Pos::Args(8), "="),
            (Pos::Args(10), ":22"),
            (Pos::Args(14), "or"),
            (Pos::File { line: 3, column: 3 }, "dport"),
            (Pos::File { line: 3, column: 9 }, "="),
            (
                Pos::File {
                    line: 3,
                    column: 11,
                },
                ":80",
            ),
            (Pos::File { line: 5, column: 1 }, "src"),
            (Pos::File { line: 5, column: 5 }, "1.2.3.4"),
        ];
        let got: Vec<(Pos, &str)> = got.iter().map(|(p, s)| (*p, s.as_str())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn file_line_limits() {
        // 1021 characters + newline = 1022 bytes: accepted.
        let mut ok = vec![b'a'; 1021];
        ok.push(b'\n');
        assert_eq!(all(&[], Some(&ok)).unwrap().len(), 1);
        // 1022 + newline = 1023 bytes: too long.
        let mut long = vec![b'a'; 1022];
        long.push(b'\n');
        assert_eq!(
            all(&[], Some(&long)),
            Err(FilterError::exit(255, "Too long line in filter\n"))
        );
        // A last line of 1022 bytes without newline is accepted, 1023 is not.
        assert!(all(&[], Some(&[b'b'; 1022])).is_ok());
        assert!(all(&[], Some(&[b'b'; 1023])).is_err());
        // A line starting with NUL has C length 0.
        assert_eq!(
            all(&[], Some(b"dst\n\0x\n")),
            Err(FilterError::exit(255, "Invalid line\n"))
        );
        // The words come first: no file error before they are used up.
        let words: Vec<Vec<u8>> = vec![b"dst".to_vec()];
        let mut l = Lexer::new(&words, Some(b"\0"));
        assert!(l.next_raw().unwrap().is_some());
        assert!(l.next_raw().is_err());
    }

    #[test]
    fn keywords() {
        for (t, k) in [
            ("!", Kind::Not),
            ("not", Kind::Not),
            ("&&", Kind::And),
            ("||", Kind::Or),
            ("ge", Kind::Geq),
            ("leq", Kind::Leq),
            ("ne", Kind::Neq),
            ("==", Kind::Eq),
            ("gt", Kind::Gt),
            ("<", Kind::Lt),
            ("autobound", Kind::Autobound),
            ("pid", Kind::Pid),
            ("comm", Kind::Comm),
            ("uid", Kind::Uid),
            ("user", Kind::User),
            ("PID", Kind::Word),
            ("users", Kind::Word),
            ("NOT", Kind::Word),
            ("!dst", Kind::Word),
            ("=>", Kind::Word),
        ] {
            assert_eq!(classify(t.as_bytes()), k, "{t}");
        }
    }
}
