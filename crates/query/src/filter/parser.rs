//! ss 6.1's filter grammar (misc/ssfilter.y, spec §3.3) as a recursive-descent parser that
//! asks the lexer for one token at a time, exactly when bison does:
//!
//! ```text
//! filter   ::= exprlist | ε
//! exprlist ::= expr | exprlist '|' expr | exprlist '&' expr | exprlist expr
//! expr     ::= '(' exprlist ')' | '!' expr | DCOND eq HOST | SCOND eq HOST
//!            | DPORT (GEQ|LEQ|'>'|'<'|eq|NEQ) HOST | SPORT (...) HOST
//!            | DEVNAME (eq|NEQ) DEV | FWMARK (eq|NEQ) MARK | CGROUPPATH (eq|NEQ) CGROUP
//!            | AUTOBOUND
//!            | PID|UID (eq|NEQ|GEQ|LEQ|'>'|'<') NUMBER       (sockscope)
//!            | COMM (eq|NEQ) GLOB | USER (eq|NEQ) NAME      (sockscope)
//! eq       ::= '=' | ε
//! ```
//!
//! `|`, `&` and juxtaposition have the same precedence and group from the left (the `%left`
//! declarations of the grammar file have no effect on left-recursive list rules); `!` applies
//! to the next `expr` only. Values are parsed by the lexer step, with the "last keyword"
//! deciding what a word is (`dev lo 127.0.0.1` reads `127.0.0.1` as a device), so a bad value
//! fails before a grammar error after it could be noticed.
//!
//! sockscope's keywords `pid`, `comm`, `uid` and `user` are keywords only where ss would
//! fail on them anyway (see [`super`]): right after a keyword that takes a value (or after its
//! operator) they are words, so `dst user` still names the host `user` as in ss.

use super::host::{self, Ctx};
use super::lexer::{classify, Kind, Lexer, Pos};
use super::{Cmp, FilterError, FilterNames, HostCond, Node, Selection};
use crate::plan::FamilySet;

/// A token after value parsing.
#[derive(Clone, Debug)]
enum Tok {
    /// An operator or keyword.
    Op(Kind),
    Host(HostCond),
    Dev(u32),
    Mark(u32, u32),
    Cgroup(u64),
    /// A `pid`/`uid`/`user` value.
    Id(u32),
    /// A `comm` glob.
    Glob(Box<[u8]>),
    End,
}

/// Keywords followed by a value.
fn takes_value(k: Option<Kind>) -> bool {
    matches!(
        k,
        Some(
            Kind::Dst
                | Kind::Src
                | Kind::Dport
                | Kind::Sport
                | Kind::Dev
                | Kind::Fwmark
                | Kind::Cgroup
                | Kind::Pid
                | Kind::Comm
                | Kind::Uid
                | Kind::User
        )
    )
}

fn is_operator(k: Option<Kind>) -> bool {
    matches!(
        k,
        Some(Kind::Geq | Kind::Leq | Kind::Neq | Kind::Eq | Kind::Gt | Kind::Lt)
    )
}

pub(crate) struct Parser<'a, 'n> {
    lexer: Lexer<'a>,
    names: &'n mut dyn FilterNames,
    ctx: Ctx,
    /// ss's `tok_type`: the last keyword seen (never reset by operators).
    last: Option<Kind>,
    /// The lookahead token, its text and position.
    peeked: Option<(Tok, Option<Vec<u8>>, Pos)>,
    /// The kinds of the last two tokens lexed (`[0]` the latest), to tell where a value is
    /// expected.
    recent: [Option<Kind>; 2],
}

impl<'a, 'n> Parser<'a, 'n> {
    pub(crate) fn new(
        words: &'a [Vec<u8>],
        file: Option<&'a [u8]>,
        sel: &Selection,
        names: &'n mut dyn FilterNames,
    ) -> Parser<'a, 'n> {
        Parser {
            lexer: Lexer::new(words, file),
            names,
            ctx: Ctx {
                sel: *sel,
                families: sel.families,
                preferred_family: sel.preferred_family,
            },
            last: None,
            peeked: None,
            recent: [None; 2],
        }
    }

    /// The families and preferred family after the values' side effects.
    pub(crate) fn families(&self) -> (FamilySet, u8) {
        (self.ctx.families, self.ctx.preferred_family)
    }

    /// `yylex`: the next token with its value parsed.
    fn lex(&mut self) -> Result<(Tok, Option<Vec<u8>>, Pos), FilterError> {
        let Some((pos, text)) = self.lexer.next_raw()? else {
            return Ok((Tok::End, None, self.lexer.end_pos()));
        };
        let mut kind = classify(&text);
        let value_expected = takes_value(self.recent[0])
            || (is_operator(self.recent[0]) && takes_value(self.recent[1]));
        if value_expected && matches!(kind, Kind::Pid | Kind::Comm | Kind::Uid | Kind::User) {
            // ss's position for a value: the word is a value there (`dst user`).
            kind = Kind::Word;
        }
        let ours =
            |k: Option<Kind>| matches!(k, Some(Kind::Pid | Kind::Comm | Kind::Uid | Kind::User));
        if (ours(self.recent[0]) && !is_operator(Some(kind)))
            || (is_operator(self.recent[0]) && ours(self.recent[1]))
        {
            // The value of one of sockscope's keywords may be any word (`comm = dst` names a
            // process called "dst"); ss accepts none of these expressions anyway.
            kind = Kind::Word;
        }
        self.recent = [Some(kind), self.recent[0]];
        let tok = match kind {
            Kind::Dst
            | Kind::Src
            | Kind::Dport
            | Kind::Sport
            | Kind::Dev
            | Kind::Fwmark
            | Kind::Cgroup
            | Kind::Autobound
            | Kind::Pid
            | Kind::Comm
            | Kind::Uid
            | Kind::User => {
                self.last = Some(kind);
                Tok::Op(kind)
            }
            Kind::Word => match self.last {
                Some(Kind::Dev) => Tok::Dev(host::parse_devcond(&text, self.names)?),
                Some(Kind::Fwmark) => {
                    let (m, k) = host::parse_markmask(&text)?;
                    Tok::Mark(m, k)
                }
                Some(Kind::Cgroup) => Tok::Cgroup(host::parse_cgroupcond(&text, self.names)?),
                Some(Kind::Pid) => Tok::Id(host::parse_id(&text, "pid")?),
                Some(Kind::Uid) => Tok::Id(host::parse_id(&text, "uid")?),
                Some(Kind::User) => Tok::Id(host::parse_user(&text, self.names)?),
                Some(Kind::Comm) => Tok::Glob(text.as_slice().into()),
                last => {
                    let port_only = matches!(last, Some(Kind::Sport | Kind::Dport));
                    Tok::Host(host::parse_hostcond(
                        &text,
                        port_only,
                        &mut self.ctx,
                        self.names,
                    )?)
                }
            },
            other => Tok::Op(other),
        };
        Ok((tok, Some(text), pos))
    }

    fn peek(&mut self) -> Result<&Tok, FilterError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex()?);
        }
        match &self.peeked {
            Some((t, _, _)) => Ok(t),
            None => Ok(&Tok::End),
        }
    }

    fn take(&mut self) -> Result<Tok, FilterError> {
        self.peek()?;
        Ok(self.peeked.take().map_or(Tok::End, |(t, _, _)| t))
    }

    /// A syntax error at the lookahead token.
    fn error(&mut self) -> FilterError {
        if self.peek().is_err() {
            // Unreachable: the lookahead was lexed already whenever an error is raised.
            return FilterError::Syntax {
                found: None,
                at: self.lexer.end_pos().to_string(),
            };
        }
        match &self.peeked {
            Some((_, text, pos)) => FilterError::Syntax {
                found: text.clone(),
                at: pos.to_string(),
            },
            None => FilterError::Syntax {
                found: None,
                at: self.lexer.end_pos().to_string(),
            },
        }
    }

    /// The whole filter: `None` for the empty expression.
    pub(crate) fn parse(&mut self) -> Result<Option<Node>, FilterError> {
        if matches!(self.peek()?, Tok::End) {
            return Ok(None);
        }
        let e = self.exprlist()?;
        if !matches!(self.peek()?, Tok::End) {
            return Err(self.error());
        }
        Ok(Some(e))
    }

    fn starts_expr(t: &Tok) -> bool {
        matches!(
            t,
            Tok::Op(
                Kind::Open
                    | Kind::Not
                    | Kind::Dst
                    | Kind::Src
                    | Kind::Dport
                    | Kind::Sport
                    | Kind::Dev
                    | Kind::Fwmark
                    | Kind::Cgroup
                    | Kind::Autobound
                    | Kind::Pid
                    | Kind::Comm
                    | Kind::Uid
                    | Kind::User
            )
        )
    }

    fn exprlist(&mut self) -> Result<Node, FilterError> {
        let mut left = self.expr()?;
        loop {
            let t = self.peek()?;
            left = match t {
                Tok::Op(Kind::Or) => {
                    self.take()?;
                    Node::Or(Box::new(left), Box::new(self.expr()?))
                }
                Tok::Op(Kind::And) => {
                    self.take()?;
                    Node::And(Box::new(left), Box::new(self.expr()?))
                }
                t if Self::starts_expr(t) => Node::And(Box::new(left), Box::new(self.expr()?)),
                _ => return Ok(left),
            };
        }
    }

    /// A host value after `dst`/`src`/`dport`/`sport` and its operator.
    fn host(&mut self) -> Result<HostCond, FilterError> {
        match self.peek()? {
            Tok::Host(_) => match self.take()? {
                Tok::Host(h) => Ok(h),
                _ => Err(self.error()),
            },
            _ => Err(self.error()),
        }
    }

    /// `alloc_node`: building a cgroup node first asks whether the kernel supports it.
    fn cgroup_node(&mut self, id: u64) -> Result<Node, FilterError> {
        if !self.names.cgroup_filter_supported() {
            return Err(FilterError::exit(
                255,
                "It looks like such filter is not supported! Too old kernel?\n",
            ));
        }
        Ok(Node::Cgroup(id))
    }

    fn expr(&mut self) -> Result<Node, FilterError> {
        let Tok::Op(k) = self.peek()?.clone() else {
            return Err(self.error());
        };
        match k {
            Kind::Open => {
                self.take()?;
                let e = self.exprlist()?;
                if !matches!(self.peek()?, Tok::Op(Kind::Close)) {
                    return Err(self.error());
                }
                self.take()?;
                Ok(e)
            }
            Kind::Not => {
                self.take()?;
                Ok(Node::Not(Box::new(self.expr()?)))
            }
            Kind::Dst | Kind::Src => {
                self.take()?;
                if matches!(self.peek()?, Tok::Op(Kind::Eq)) {
                    self.take()?;
                }
                let h = self.host()?;
                Ok(if k == Kind::Dst {
                    Node::DCond(h)
                } else {
                    Node::SCond(h)
                })
            }
            Kind::Dport | Kind::Sport => {
                self.take()?;
                let op = match self.peek()? {
                    Tok::Op(o @ (Kind::Geq | Kind::Leq | Kind::Gt | Kind::Lt | Kind::Neq)) => {
                        let o = *o;
                        self.take()?;
                        o
                    }
                    Tok::Op(Kind::Eq) => {
                        self.take()?;
                        Kind::Eq
                    }
                    _ => Kind::Eq,
                };
                let h = self.host()?;
                let d = k == Kind::Dport;
                let port = h.port;
                let ge = |p| if d { Node::DGe(p) } else { Node::SGe(p) };
                let le = |p| if d { Node::DLe(p) } else { Node::SLe(p) };
                let not = |n| Node::Not(Box::new(n));
                Ok(match op {
                    Kind::Geq => ge(port),
                    Kind::Leq => le(port),
                    Kind::Gt => not(le(port)),
                    Kind::Lt => not(ge(port)),
                    Kind::Neq if d => not(Node::DCond(h)),
                    Kind::Neq => not(Node::SCond(h)),
                    _ if d => Node::DCond(h),
                    _ => Node::SCond(h),
                })
            }
            Kind::Dev | Kind::Fwmark | Kind::Cgroup => {
                self.take()?;
                let negate = match self.peek()? {
                    Tok::Op(Kind::Neq) => {
                        self.take()?;
                        true
                    }
                    Tok::Op(Kind::Eq) => {
                        self.take()?;
                        false
                    }
                    _ => false,
                };
                let node = match (k, self.peek()?.clone()) {
                    (Kind::Dev, Tok::Dev(i)) => {
                        self.take()?;
                        Node::Dev(i)
                    }
                    (Kind::Fwmark, Tok::Mark(mark, mask)) => {
                        self.take()?;
                        Node::Mark { mark, mask }
                    }
                    (Kind::Cgroup, Tok::Cgroup(id)) => {
                        self.take()?;
                        self.cgroup_node(id)?
                    }
                    _ => return Err(self.error()),
                };
                Ok(if negate {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            Kind::Autobound => {
                self.take()?;
                Ok(Node::Auto)
            }
            Kind::Pid | Kind::Uid => {
                self.take()?;
                let op = match self.peek()? {
                    Tok::Op(
                        o @ (Kind::Geq | Kind::Leq | Kind::Gt | Kind::Lt | Kind::Neq | Kind::Eq),
                    ) => {
                        let o = *o;
                        self.take()?;
                        o
                    }
                    _ => Kind::Eq,
                };
                let Tok::Id(n) = self.peek()?.clone() else {
                    return Err(self.error());
                };
                self.take()?;
                let node = |c| {
                    if k == Kind::Pid {
                        Node::Pid(c, n)
                    } else {
                        Node::Uid(c, n)
                    }
                };
                Ok(match op {
                    Kind::Geq => node(Cmp::Ge),
                    Kind::Leq => node(Cmp::Le),
                    Kind::Gt => node(Cmp::Gt),
                    Kind::Lt => node(Cmp::Lt),
                    Kind::Neq => Node::Not(Box::new(node(Cmp::Eq))),
                    _ => node(Cmp::Eq),
                })
            }
            Kind::Comm | Kind::User => {
                self.take()?;
                let negate = match self.peek()? {
                    Tok::Op(Kind::Neq) => {
                        self.take()?;
                        true
                    }
                    Tok::Op(Kind::Eq) => {
                        self.take()?;
                        false
                    }
                    _ => false,
                };
                let node = match (k, self.peek()?.clone()) {
                    (Kind::Comm, Tok::Glob(g)) => Node::Comm(g),
                    (Kind::User, Tok::Id(uid)) => Node::Uid(Cmp::Eq, uid),
                    _ => return Err(self.error()),
                };
                self.take()?;
                Ok(if negate {
                    Node::Not(Box::new(node))
                } else {
                    node
                })
            }
            _ => Err(self.error()),
        }
    }
}
