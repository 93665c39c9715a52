//! ss's ten-column token table: cells are buffered as tokens, measured, and rendered in batches
//! with ss 6.1's exact widths, alignment and delimiters (spec §4.1–4.3, misc/ss.c `out`,
//! `field_flush`, `field_next`, `render_calc_width`, `render`).
//!
//! Storage: one reusable byte arena for the token texts and one reusable vector of token end
//! offsets, so adding a cell never allocates once the vectors have grown to batch size.
//!
//! ss keeps its tokens in 1 MiB chunks and renders early when five chunks are in use; this
//! decides where batches end and therefore alignment of huge outputs, so the chunk accounting
//! is simulated arithmetically here (chunk header 16 bytes, 2-byte token length, tokens at even
//! offsets, the "+1 for the C string terminator" fit test, tokens moved to a new chunk when they
//! do not fit, tokens cut at 65535 bytes).
//!
//! This module owns no I/O besides writing to the `Write` it is handed.

use std::io::{self, Write};

/// Number of columns (Netid … the never-written extension column).
pub const COLUMNS: usize = 10;
/// Column indexes (misc/ss.c `enum col_id`).
pub const COL_NETID: usize = 0;
pub const COL_STATE: usize = 1;
pub const COL_RECVQ: usize = 2;
pub const COL_SENDQ: usize = 3;
pub const COL_ADDR: usize = 4;
pub const COL_SERV: usize = 5;
pub const COL_RADDR: usize = 6;
pub const COL_RSERV: usize = 7;
/// The "Process" column: users and every extra item go here.
pub const COL_EXT: usize = 8;
/// The last column: never written, always empty.
pub const COL_PROC: usize = 9;

/// `BUF_CHUNK` (1 MiB) minus the chunk header (`next` and `end` pointers on x86-64).
const CHUNK_USABLE: i64 = 1024 * 1024 - 16;
/// Size of a token's length field.
const LEN_FIELD: i64 = 2;
/// `BUF_CHUNKS_MAX`: render as soon as this many chunks are allocated at a line end.
const CHUNKS_MAX: u32 = 5;
/// Arena capacity reserved up front: a batch ends soon after its fifth chunk is started.
const BATCH_RESERVE: usize = (CHUNKS_MAX as usize + 1) << 20;
/// A token's length is a `uint16_t`.
const TOKEN_MAX: usize = u16::MAX as usize;
/// In `Table::lens`: this token's length is the next entry of `Table::long_lens`.
const LONG_TOKEN: u8 = u8::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// Static column properties (misc/ss.c `columns[]`).
struct ColumnDef {
    align: Align,
    header: &'static [u8],
    ldelim: &'static [u8],
}

const DEFS: [ColumnDef; COLUMNS] = [
    ColumnDef {
        align: Align::Left,
        header: b"Netid",
        ldelim: b"",
    },
    ColumnDef {
        align: Align::Left,
        header: b"State",
        ldelim: b" ",
    },
    ColumnDef {
        align: Align::Left,
        header: b"Recv-Q",
        ldelim: b" ",
    },
    ColumnDef {
        align: Align::Left,
        header: b"Send-Q",
        ldelim: b" ",
    },
    ColumnDef {
        align: Align::Right,
        header: b"Local Address:",
        ldelim: b" ",
    },
    ColumnDef {
        align: Align::Left,
        header: b"Port",
        ldelim: b"",
    },
    ColumnDef {
        align: Align::Right,
        header: b"Peer Address:",
        ldelim: b" ",
    },
    ColumnDef {
        align: Align::Left,
        header: b"Port",
        ldelim: b"",
    },
    ColumnDef {
        align: Align::Left,
        header: b"Process",
        ldelim: b"",
    },
    ColumnDef {
        align: Align::Left,
        header: b"",
        ldelim: b"",
    },
];

/// Simulated state of ss's chunk list (only what decides batching and token cuts).
#[derive(Clone, Copy, Debug, Default)]
struct Chunks {
    /// `buffer.head != NULL`: some enabled cell was written since the last render.
    head: bool,
    /// `buffer.chunks`.
    count: u32,
    /// `chunk->end - chunk->data` of the tail chunk.
    used: i64,
    /// The current token is the first one of the tail chunk.
    cur_first: bool,
    /// Length of the current token.
    cur_len: usize,
}

impl Chunks {
    fn new_chunk(&mut self) {
        self.count += 1;
        self.used = LEN_FIELD;
        self.cur_first = true;
        self.cur_len = 0;
    }
}

/// The token table. Cells are appended to the current column with [`Table::out`] /
/// [`Table::out_with`], columns advance with [`Table::next`] / [`Table::set`], and
/// [`Table::render`] prints and frees the batch.
pub struct Table {
    disabled: [bool; COLUMNS],
    width: [usize; COLUMNS],
    max_len: [usize; COLUMNS],
    current: usize,
    /// Token texts of the current batch, back to back.
    arena: Vec<u8>,
    /// Length of every closed token, in order; the current token is `arena[closed..]`. Most
    /// cells are short, so one byte each: [`LONG_TOKEN`] stands for the next entry of
    /// `long_lens` (ss's 2-byte length: tokens are cut at 65535 bytes). A batch holds about
    /// half a million tokens; this keeps their lengths in half the memory of a `u16` each.
    lens: Vec<u8>,
    /// Lengths of the tokens of [`LONG_TOKEN`] bytes or more, in order.
    long_lens: Vec<u16>,
    /// Arena length at the last closed token.
    closed: usize,
    chunks: Chunks,
    /// Reused output staging buffer for [`Table::render`].
    staging: Vec<u8>,
    /// `Some(columns)` on a terminal (spread mode), `None` for compact output.
    screen: Option<usize>,
}

impl Default for Table {
    fn default() -> Self {
        Table::new(None)
    }
}

impl Table {
    /// A table for a terminal of `screen` columns (`None` = not a terminal: compact output).
    pub fn new(screen: Option<usize>) -> Table {
        Table {
            disabled: [false; COLUMNS],
            width: [0; COLUMNS],
            max_len: [0; COLUMNS],
            current: 0,
            arena: Vec::new(),
            lens: Vec::new(),
            long_lens: Vec::new(),
            closed: 0,
            chunks: Chunks::default(),
            staging: Vec::new(),
            screen: screen.filter(|&c| c > 0),
        }
    }

    /// Enables or disables a column (only Netid and State are ever disabled by ss). A disabled
    /// column takes no tokens at all. Call before writing anything.
    pub fn set_disabled(&mut self, col: usize, disabled: bool) {
        if let Some(d) = self.disabled.get_mut(col) {
            *d = disabled;
        }
    }

    pub fn is_disabled(&self, col: usize) -> bool {
        self.disabled.get(col).copied().unwrap_or(true)
    }

    /// The column cells are currently appended to.
    pub fn current(&self) -> usize {
        self.current
    }

    /// The largest closed token length seen in `col` during the whole run.
    pub fn max_len(&self, col: usize) -> usize {
        self.max_len.get(col).copied().unwrap_or(0)
    }

    /// The widths computed by the last render.
    pub fn widths(&self) -> [usize; COLUMNS] {
        self.width
    }

    /// Number of simulated 1 MiB chunks in use by the current batch.
    pub fn chunks(&self) -> u32 {
        self.chunks.count
    }

    /// Whether anything is buffered (ss's `buffer.head != NULL`).
    pub fn has_pending(&self) -> bool {
        self.chunks.head
    }

    /// First cell of a batch: allocate the first simulated chunk, and reserve room for a whole
    /// batch once so that the arena never has to be copied while growing.
    fn start_batch(&mut self) {
        self.chunks.head = true;
        self.chunks.new_chunk();
        if self.arena.capacity() == 0 {
            self.arena.reserve(BATCH_RESERVE);
            self.lens.reserve(BATCH_RESERVE / 16);
        }
    }

    /// Appends one `out()` call's worth of text to the current cell.
    #[inline]
    pub fn out(&mut self, text: &[u8]) {
        self.out_with(|b| b.extend_from_slice(text));
    }

    /// Appends the text `f` writes (one C `out()` call) to the current cell. `f` must only
    /// append to the vector it gets. Nothing is written (and `f` is not called) when the
    /// current column is disabled.
    #[inline]
    pub fn out_with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        if self.disabled[self.current] {
            return;
        }
        if !self.chunks.head {
            self.start_batch();
        }
        let begin = self.arena.len();
        f(&mut self.arena);
        let len = self.arena.len().saturating_sub(begin);
        let add = self.account(len);
        self.arena.truncate(begin + add);
    }

    /// A cell ss prints as `%-Nd` (Recv-Q, Send-Q): `text` padded with spaces to `logical`
    /// bytes. Widths and chunk accounting use the padded length, but only `text` is stored:
    /// rendering pads a left-aligned cell to its column width anyway, and that width is at
    /// least `logical`. Saves most of the bytes of two cells per socket in the batch buffer.
    /// Call it on an empty, enabled, left-aligned cell.
    pub fn out_left_padded(&mut self, text: &[u8], logical: usize) {
        if self.disabled[self.current] {
            return;
        }
        // A terminal narrower than the cell caps the width below `logical`: store the padding.
        let implied = self.screen.is_none_or(|s| s > logical)
            && DEFS[self.current].align == Align::Left
            && self.chunks.cur_len == 0;
        if !implied {
            self.out_with(|b| {
                b.extend_from_slice(text);
                b.resize(b.len() + logical.saturating_sub(text.len()), b' ');
            });
            return;
        }
        if !self.chunks.head {
            self.start_batch();
        }
        let add = self.account(text.len().max(logical));
        self.arena.extend_from_slice(&text[..add.min(text.len())]);
    }

    /// ss's `buf_update` for `len` more bytes of the current token: moves the token to a new
    /// chunk when it does not fit, cuts it when it is the first of its chunk or too long.
    /// Returns how many of the `len` bytes the token keeps.
    fn account(&mut self, len: usize) -> usize {
        let len = len as i64;
        let c = &mut self.chunks;
        loop {
            let avail = CHUNK_USABLE - c.used;
            // buf_update(): vsnprintf needs len + 1 bytes (terminator). A token that is the first
            // of its chunk is never moved: it is cut instead.
            if len < avail || c.cur_first {
                let add = len.min(avail).max(0) as usize;
                let add = add.min(TOKEN_MAX - c.cur_len.min(TOKEN_MAX));
                c.used += add as i64;
                c.cur_len += add;
                return add;
            }
            // Move the current token to a fresh chunk and print again there.
            let moved = c.cur_len;
            c.new_chunk();
            c.cur_len = moved;
            c.used = LEN_FIELD + moved as i64;
        }
    }

    /// Closes the current token (misc/ss.c `field_flush`).
    #[inline]
    fn flush(&mut self) {
        let col = self.current;
        if self.disabled[col] {
            return;
        }
        if !self.chunks.head {
            // ss would dereference a NULL chunk here; start a chunk instead.
            self.start_batch();
        }
        let len = self.chunks.cur_len;
        if len > self.max_len[col] {
            self.max_len[col] = len;
        }
        let token = self.arena.len() - self.closed;
        let token = token.min(TOKEN_MAX) as u16;
        match u8::try_from(token) {
            Ok(short) if short < LONG_TOKEN => self.lens.push(short),
            _ => {
                self.lens.push(LONG_TOKEN);
                self.long_lens.push(token);
            }
        }
        self.closed = self.arena.len();
        let c = &mut self.chunks;
        let pad = (len % 2) as i64;
        if CHUNK_USABLE - c.used - pad < LEN_FIELD {
            c.new_chunk();
        } else {
            c.used += pad + LEN_FIELD;
            c.cur_len = 0;
            c.cur_first = false;
        }
    }

    /// Moves to the next column (misc/ss.c `field_next`): at the end of a line with five or more
    /// chunks allocated, the batch is rendered instead.
    #[inline]
    pub fn next<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        if self.current == COL_PROC && self.chunks.count >= CHUNKS_MAX {
            return self.render(w);
        }
        self.flush();
        self.current = if self.current == COL_PROC {
            0
        } else {
            self.current + 1
        };
        Ok(())
    }

    /// Advances column by column until `col` is current (misc/ss.c `field_set`).
    #[inline]
    pub fn set<W: Write + ?Sized>(&mut self, col: usize, w: &mut W) -> io::Result<()> {
        let col = col.min(COL_PROC);
        while self.current != col {
            self.next(w)?;
        }
        Ok(())
    }

    /// Buffers the header texts of all enabled columns 0–8 (misc/ss.c `print_header`); the
    /// empty extension column stays current.
    pub fn header<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        while self.current != COL_PROC {
            if !self.disabled[self.current] {
                self.out(DEFS[self.current].header);
            }
            self.next(w)?;
        }
        Ok(())
    }

    /// Computes column widths from the measured lengths (misc/ss.c `render_calc_width`).
    fn calc_width(&mut self) {
        let screen = self.screen.unwrap_or(i32::MAX as usize);
        let mut first = true;
        for (c, def) in DEFS.iter().enumerate() {
            if self.disabled[c] {
                continue;
            }
            let mut w = self.max_len[c];
            if !first && w > 0 {
                w += def.ldelim.len();
            }
            w = w.min(screen);
            self.width[c] = w;
            if w > 0 {
                first = false;
            }
        }
        if self.screen.is_none() {
            return;
        }
        spread(&mut self.width, screen);
    }

    /// Prints the buffered batch and frees it (misc/ss.c `render`). The buffer is emptied even
    /// when writing fails, and the error is returned.
    pub fn render<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        if !self.chunks.head {
            return Ok(());
        }
        self.calc_width();
        let res = self.print_tokens(w);
        self.arena.clear();
        self.lens.clear();
        self.long_lens.clear();
        self.closed = 0;
        self.chunks = Chunks::default();
        self.current = 0;
        res
    }

    fn print_tokens<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        // Lines are assembled in a reused staging buffer and handed to `w` in large pieces: many
        // tiny writes (delimiters, padding) cost more than the copying itself.
        let mut out = std::mem::take(&mut self.staging);
        out.clear();
        let res = self.print_tokens_into(&mut out, w);
        self.staging = out;
        res
    }

    fn print_tokens_into<W: Write + ?Sized>(&self, out: &mut Vec<u8>, w: &mut W) -> io::Result<()> {
        const FLUSH_AT: usize = 64 * 1024;
        // Tokens start at the first column with a non-zero width (as ss does; normally the first
        // enabled column).
        let mut f = (0..COLUMNS)
            .find(|&c| self.width[c] > 0)
            .unwrap_or_else(|| {
                (0..COLUMNS)
                    .find(|&c| !self.disabled[c])
                    .unwrap_or(COL_PROC)
            });
        let mut line_started = false;
        let mut start = 0usize;
        let last_len = self.arena.len() - self.closed;
        let mut long = self.long_lens.iter();
        let lens = self
            .lens
            .iter()
            .map(move |&l| match l {
                LONG_TOKEN => long.next().map_or(0, |&l| usize::from(l)),
                l => usize::from(l),
            })
            .chain(std::iter::once(last_len));
        for len in lens {
            let end = start + len;
            let token_start = start;
            let token_len = end.saturating_sub(start);
            start = end;
            let def = &DEFS[f];
            let width = self.width[f];
            let mut printed = 0usize;
            if line_started {
                // Delimiters are "" or " ".
                if !def.ldelim.is_empty() {
                    out.push(b' ');
                }
                printed = def.ldelim.len();
            }
            line_started = true;
            if width > 0 && def.align == Align::Right {
                let s = width as i64 - token_len as i64 - printed as i64;
                if s > 0 {
                    spaces(out, s as usize);
                    printed += s as usize;
                }
            }
            append_token(out, &self.arena, token_start, end);
            printed += token_len;
            if width > 0 && def.align == Align::Left && width > printed {
                spaces(out, width - printed);
            }
            loop {
                if f == COL_PROC {
                    out.push(b'\n');
                    f = 0;
                    line_started = false;
                    if out.len() >= FLUSH_AT {
                        w.write_all(out)?;
                        out.clear();
                    }
                } else {
                    f += 1;
                }
                if !self.disabled[f] {
                    break;
                }
            }
        }
        if line_started {
            out.push(b'\n');
        }
        w.write_all(out)
    }
}

/// Appends `src[start..end]`. Short tokens are copied as one fixed 16-byte block (an inlined
/// move instead of a `memcpy` call) and the surplus is cut off again; most cells are short.
#[inline]
fn append_token(out: &mut Vec<u8>, src: &[u8], start: usize, end: usize) {
    let len = end.saturating_sub(start);
    if len <= 16 {
        if let Some(block) = src.get(start..start + 16) {
            if let Ok(block) = <&[u8; 16]>::try_from(block) {
                let keep = out.len() + len;
                out.extend_from_slice(block);
                out.truncate(keep);
                return;
            }
        }
    }
    out.extend_from_slice(src.get(start..end).unwrap_or(&[]));
}

/// Appends `n` spaces, short runs as one fixed 16-byte block.
#[inline]
fn spaces(out: &mut Vec<u8>, n: usize) {
    const BLOCK: [u8; 16] = [b' '; 16];
    if n <= 16 {
        let keep = out.len() + n;
        out.extend_from_slice(&BLOCK);
        out.truncate(keep);
    } else {
        out.resize(out.len() + n, b' ');
    }
}

/// Second width pass for terminals: breaks the columns into visual lines of at most `screen`
/// characters and spreads the spare space over each line's columns (misc/ss.c
/// `render_calc_width`, "Second pass").
fn spread(width: &mut [usize; COLUMNS], screen: usize) {
    let mut len = 0usize;
    let mut linecols = 0usize;
    // Index of the last column of the previous visual line, `None` before column 0.
    let mut eol: Option<usize> = None;
    let mut c = 0usize;
    while c < COLUMNS {
        if width[c] == 0 {
            c += 1;
            continue;
        }
        linecols += 1;
        len += width[c];
        let last = !width[c + 1..].iter().any(|&w| w > 0);
        if !last && len < screen {
            c += 1;
            continue;
        }
        if len == screen {
            eol = Some(c);
            len = 0;
            linecols = 0;
            c += 1;
            continue;
        }
        // `len > screen` needs two columns on the line (each is capped at `screen`), so `c`
        // has a predecessor here.
        if len > screen && c > 0 {
            len -= width[c];
            c -= 1;
            linecols -= 1;
        }
        let pad = screen.saturating_sub(len);
        if let Some(spacing) = pad.checked_div(linecols) {
            let mut rem = pad % linecols;
            let lo = eol.map_or(0, |e| e + 1);
            let mut t = c + 1;
            while t > lo {
                t -= 1;
                if width[t] == 0 {
                    continue;
                }
                width[t] += spacing;
                if rem > 0 {
                    width[t] += 1;
                    rem -= 1;
                }
            }
        }
        eol = Some(c);
        len = 0;
        linecols = 0;
        c += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread_of(natural: &[usize], screen: usize) -> Vec<usize> {
        let mut w = [0usize; COLUMNS];
        w[..natural.len()].copy_from_slice(natural);
        spread(&mut w, screen);
        w[..natural.len()].to_vec()
    }

    #[test]
    fn spread_matches_the_worked_examples() {
        let natural = [10, 7, 7, 31, 8, 19, 8, 7];
        assert_eq!(spread_of(&natural, 80), [13, 10, 10, 35, 12, 34, 23, 23]);
        assert_eq!(spread_of(&natural, 120), [12, 10, 10, 34, 11, 22, 11, 10]);
    }

    #[test]
    fn spread_exact_fit_starts_a_new_line_without_padding() {
        // 40 + 40 = 80 exactly: no padding on the first line, the rest spread on the second.
        assert_eq!(spread_of(&[40, 40, 10], 80), [40, 40, 80]);
    }

    /// Writes one line of cells (one `out` per cell, starting at Recv-Q) the way the ss printer
    /// does.
    fn line(t: &mut Table, cells: &[&str], sink: &mut Vec<u8>) {
        for (i, c) in cells.iter().enumerate() {
            t.set(COL_RECVQ + i, sink).unwrap();
            t.out(c.as_bytes());
        }
    }

    fn table_without_netid_state(screen: Option<usize>) -> Table {
        let mut t = Table::new(screen);
        t.set_disabled(COL_NETID, true);
        t.set_disabled(COL_STATE, true);
        t
    }

    #[test]
    fn compact_rendering_pads_and_skips_last_process_token() {
        let mut t = table_without_netid_state(None);
        let mut out = Vec::new();
        t.header(&mut out).unwrap();
        line(
            &mut t,
            &[
                "0     ",
                "0     ",
                "127.0.0.1:",
                "22",
                "0.0.0.0:",
                "*",
                " a-very-long-process-text",
            ],
            &mut out,
        );
        line(
            &mut t,
            &["0     ", "0     ", "10.0.0.1:", "22", "0.0.0.0:", "*", " x"],
            &mut out,
        );
        line(
            &mut t,
            &[
                "0     ",
                "0     ",
                "10.0.0.1:",
                "22",
                "0.0.0.0:",
                "*",
                " the-last-one-is-not-measured-at-all",
            ],
            &mut out,
        );
        assert!(out.is_empty(), "nothing is printed before render");
        t.render(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let want = "\
Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                  \n\
0      0          127.0.0.1:22        0.0.0.0:*    a-very-long-process-text\n\
0      0           10.0.0.1:22        0.0.0.0:*    x                       \n\
0      0           10.0.0.1:22        0.0.0.0:*    the-last-one-is-not-measured-at-all\n";
        assert_eq!(text, want);
        assert_eq!(t.max_len(COL_EXT), " a-very-long-process-text".len());
    }

    #[test]
    fn empty_table_with_header_prints_only_the_header() {
        let mut t = table_without_netid_state(None);
        let mut out = Vec::new();
        t.header(&mut out).unwrap();
        t.render(&mut out).unwrap();
        assert_eq!(
            out,
            b"Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
        );
        // Nothing buffered: a second render prints nothing.
        out.clear();
        t.render(&mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn disabled_columns_take_no_tokens() {
        let mut t = table_without_netid_state(None);
        let mut sink = Vec::new();
        t.out(b"ignored"); // column 0 is disabled
        assert!(!t.has_pending());
        t.set(COL_RECVQ, &mut sink).unwrap();
        t.out(b"1");
        assert!(t.has_pending());
        t.render(&mut sink).unwrap();
        assert_eq!(sink, b"1\n");
    }

    #[test]
    fn long_tokens_are_cut_at_65535_bytes() {
        let mut t = table_without_netid_state(None);
        let mut sink = Vec::new();
        t.set(COL_EXT, &mut sink).unwrap();
        let big = vec![b'x'; 70000];
        t.out(&big);
        t.out(b"yyyy");
        t.set(COL_PROC, &mut sink).unwrap();
        assert_eq!(t.max_len(COL_EXT), 65535);
    }

    #[test]
    fn token_lengths_around_the_one_byte_limit_render_in_order() {
        // Process texts of 254 (one byte), 255 and 300 (the long list) and 70000 (cut) bytes,
        // mixed with short cells: each line must come out whole and in order.
        let mut t = table_without_netid_state(None);
        let mut out = Vec::new();
        let sizes = [254usize, 255, 3, 300, 70000, 1];
        for (i, &n) in sizes.iter().enumerate() {
            t.set(COL_RECVQ, &mut out).unwrap();
            t.out(i.to_string().as_bytes());
            t.set(COL_EXT, &mut out).unwrap();
            t.out(&vec![b'a' + i as u8; n]);
        }
        t.render(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), sizes.len());
        for (i, (l, &n)) in lines.iter().zip(&sizes).enumerate() {
            let cell = String::from_utf8(vec![b'a' + i as u8; n.min(TOKEN_MAX)]).unwrap();
            assert!(l.starts_with(&i.to_string()), "line {i}");
            assert!(l.trim_end().ends_with(&cell), "line {i}");
        }
    }

    /// Fills lines of one ~`cell`-byte Process token until a batch is rendered; returns the
    /// number of lines that went into the first batch.
    fn lines_per_first_batch(cell: usize) -> usize {
        let mut t = table_without_netid_state(None);
        let mut out = Vec::new();
        let text = vec![b'p'; cell];
        let mut n = 0;
        loop {
            t.set(COL_RECVQ, &mut out).unwrap();
            if !out.is_empty() {
                return n;
            }
            t.out(b"0     ");
            t.set(COL_EXT, &mut out).unwrap();
            t.out(&text);
            n += 1;
        }
    }

    #[test]
    fn batches_are_cut_when_five_chunks_are_in_use() {
        // Each line: recvq(6) + 5 empty tokens + ext(cell) + empty col 9; every token costs
        // 2 bytes of length plus its even-padded text.
        let cell = 1000;
        let per_line = 6 + cell + 8 * 2;
        let n = lines_per_first_batch(cell);
        // Four full chunks of lines, then the first line that forces chunk 5, detected at the
        // start of the following line.
        let per_chunk = (CHUNK_USABLE as usize) / per_line;
        assert!(
            n > 4 * per_chunk && n <= 4 * per_chunk + 8,
            "n = {n}, per_chunk = {per_chunk}"
        );
    }

    #[test]
    fn batches_measure_all_process_tokens_and_max_len_persists() {
        let mut t = table_without_netid_state(None);
        let mut out = Vec::new();
        let text = vec![b'p'; 2000];
        // Fill until the first early render.
        let mut lines = 0;
        while out.is_empty() {
            t.set(COL_RECVQ, &mut out).unwrap();
            t.out(b"0     ");
            t.set(COL_EXT, &mut out).unwrap();
            t.out(&text);
            lines += 1;
        }
        // The early batch was cut at column 9, so every Process token of it was measured and
        // every line of it is complete.
        assert_eq!(t.max_len(COL_EXT), 2000);
        let printed = out.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(printed, lines - 1);
        // The next batch holds the line that was started after the early render and a line
        // with a shorter Process token, which is still padded to the persisting width.
        let mut out2 = Vec::new();
        t.set(COL_RECVQ, &mut out2).unwrap();
        t.out(b"0     ");
        t.set(COL_EXT, &mut out2).unwrap();
        t.out(b" short");
        t.render(&mut out2).unwrap();
        let text = String::from_utf8(out2).unwrap();
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], format!("0        {}", "p".repeat(2000)));
        assert_eq!(lines[1], format!("0         short{}", " ".repeat(2000 - 6)));
    }

    #[test]
    fn terminal_mode_spreads_columns() {
        let mut t = Table::new(Some(80));
        t.set_disabled(COL_NETID, true);
        let mut out = Vec::new();
        t.header(&mut out).unwrap();
        t.set(COL_STATE, &mut out).unwrap();
        t.out(b"LISTEN");
        t.set(COL_RECVQ, &mut out).unwrap();
        t.out(b"0     ");
        t.set(COL_SENDQ, &mut out).unwrap();
        t.out(b"5     ");
        t.set(COL_ADDR, &mut out).unwrap();
        t.out(b"127.0.0.1:");
        t.set(COL_SERV, &mut out).unwrap();
        t.out(b"9000");
        t.set(COL_RADDR, &mut out).unwrap();
        t.out(b"0.0.0.0:");
        t.set(COL_RSERV, &mut out).unwrap();
        t.out(b"*");
        t.set(COL_EXT, &mut out).unwrap();
        t.render(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for l in text.lines() {
            assert_eq!(l.len(), 80, "{l:?}");
        }
    }

    struct FailingWriter;
    impl Write for FailingWriter {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_errors_propagate_and_free_the_batch() {
        let mut t = Table::new(None);
        t.header(&mut FailingWriter).unwrap();
        let err = t.render(&mut FailingWriter).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert!(!t.has_pending());
    }
}
