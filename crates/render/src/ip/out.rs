//! The output engine of the `ip` printers: iproute2's `json_print` layer (lib/json_print.c)
//! over its `json_writer` (lib/json_writer.c) and `color_fprintf` (lib/color.c), writing into
//! one byte buffer.
//!
//! iproute2 prints every field through `print_*(PRINT_ANY|PRINT_FP|PRINT_JSON, key, fmt,
//! value)`: in text mode the printf format is used (optionally wrapped in a color), in JSON
//! mode the key and value go to the JSON writer and the format is ignored. [`Out`] offers the
//! same three channels with the format split into a prefix and a suffix around the value.
//!
//! The JSON writer is reproduced exactly, including its separator state: `,` before every
//! element but the first, `"key":value` (pretty: `"key": value` on a new line indented by 4
//! spaces per depth), arrays opened with `[ ` and closed with ` ]` in pretty mode without a
//! line break, objects inside arrays joined as `},{`, and strings escaping only `\t \n \r \f
//! \b \\ \"` (other bytes, including control characters and UTF-8, are written as they are).

use crate::cfmt;

/// iproute2's color attributes (`enum color_attr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Ifname,
    Mac,
    Inet,
    Inet6,
    OperUp,
    OperDown,
    None,
}

impl Color {
    /// `ifa_family_color`: magenta for IPv4, blue for IPv6, none otherwise.
    pub fn family(family: u8) -> Color {
        match family {
            2 => Color::Inet,
            10 => Color::Inet6,
            _ => Color::None,
        }
    }

    /// `oper_state_color`: green for UP (6), red for DOWN (2).
    pub fn operstate(state: u8) -> Color {
        match state {
            6 => Color::OperUp,
            2 => Color::OperDown,
            _ => Color::None,
        }
    }

    fn code(self, dark: bool) -> &'static [u8] {
        // light: cyan, yellow, magenta, blue, green, red; dark: the bold variants.
        let (light, bold): (&[u8], &[u8]) = match self {
            Color::Ifname => (b"\x1b[36m", b"\x1b[1;36m"),
            Color::Mac => (b"\x1b[33m", b"\x1b[1;33m"),
            Color::Inet => (b"\x1b[35m", b"\x1b[1;35m"),
            Color::Inet6 => (b"\x1b[34m", b"\x1b[1;34m"),
            Color::OperUp => (b"\x1b[32m", b"\x1b[1;32m"),
            Color::OperDown => (b"\x1b[31m", b"\x1b[1;31m"),
            Color::None => (b"", b""),
        };
        if dark {
            bold
        } else {
            light
        }
    }
}

const CLEAR: &[u8] = b"\x1b[0m";

/// The JSON writer's state (`struct json_writer`).
#[derive(Clone, Debug)]
struct Json {
    depth: usize,
    pretty: bool,
    /// 0 or b','.
    sep: u8,
}

/// How the output looks.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutOptions {
    /// `-j`.
    pub json: bool,
    /// `-p` (only meaningful with `-j`).
    pub pretty: bool,
    /// Color enabled (`-c` with a resolved `auto`; never with `-j`).
    pub color: bool,
    /// Dark background palette (`COLORFGBG` ends in `;0`-`;6` or `;8`).
    pub dark: bool,
    /// `-o`: the line separator `_SL_` is a backslash.
    pub oneline: bool,
}

/// The output buffer plus the JSON and color state.
#[derive(Clone, Debug)]
pub struct Out {
    pub buf: Vec<u8>,
    json: Option<Json>,
    color: bool,
    dark: bool,
    sl: &'static [u8],
}

impl Out {
    pub fn new(opts: OutOptions) -> Out {
        Out {
            buf: Vec::with_capacity(64 * 1024),
            json: opts.json.then_some(Json {
                depth: 0,
                pretty: opts.pretty,
                sep: 0,
            }),
            color: opts.color && !opts.json,
            dark: opts.dark,
            sl: if opts.oneline { b"\\" } else { b"\n" },
        }
    }

    /// `is_json_context()`.
    #[inline]
    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// `_SL_`: `\n`, or `\` with `-o`.
    pub fn sl(&self) -> &'static [u8] {
        self.sl
    }

    // ---- JSON writer primitives (json_writer.c) ----------------------------------------------

    fn eor(&mut self) {
        if let Some(j) = &mut self.json {
            if j.sep != 0 {
                self.buf.push(j.sep);
            }
            j.sep = b',';
        }
    }

    fn eol(&mut self) {
        if let Some(j) = &self.json {
            if j.pretty {
                self.buf.push(b'\n');
                for _ in 0..j.depth {
                    self.buf.extend_from_slice(b"    ");
                }
            }
        }
    }

    fn puts(&mut self, s: &[u8]) {
        self.buf.push(b'"');
        for &c in s {
            match c {
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                0x0c => self.buf.extend_from_slice(b"\\f"),
                0x08 => self.buf.extend_from_slice(b"\\b"),
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'"' => self.buf.extend_from_slice(b"\\\""),
                _ => self.buf.push(c),
            }
        }
        self.buf.push(b'"');
    }

    /// `jsonw_name`.
    pub fn j_name(&mut self, key: &str) {
        if self.json.is_none() {
            return;
        }
        self.eor();
        self.eol();
        if let Some(j) = &mut self.json {
            j.sep = 0;
        }
        self.puts(key.as_bytes());
        self.buf.push(b':');
        if self.json.as_ref().is_some_and(|j| j.pretty) {
            self.buf.push(b' ');
        }
    }

    fn begin(&mut self, c: u8) {
        self.eor();
        self.buf.push(c);
        if let Some(j) = &mut self.json {
            j.depth += 1;
            j.sep = 0;
        }
    }

    fn end(&mut self, c: u8) {
        let needs_eol = match &mut self.json {
            Some(j) => {
                j.depth = j.depth.saturating_sub(1);
                j.sep != 0
            }
            None => false,
        };
        if needs_eol {
            self.eol();
        }
        self.buf.push(c);
        if let Some(j) = &mut self.json {
            j.sep = b',';
        }
    }

    fn start_array(&mut self) {
        self.begin(b'[');
        if self.json.as_ref().is_some_and(|j| j.pretty) {
            self.buf.push(b' ');
        }
    }

    fn end_array(&mut self) {
        if let Some(j) = &mut self.json {
            if j.pretty && j.sep != 0 {
                self.buf.push(b' ');
            }
            j.sep = 0;
        }
        self.end(b']');
    }

    /// `new_json_obj`: in JSON mode, the top-level `[`.
    pub fn begin_document(&mut self) {
        if self.json.is_some() {
            self.start_array();
        }
    }

    /// `delete_json_obj`: in JSON mode, the closing `]` and a newline.
    pub fn end_document(&mut self) {
        if self.json.is_some() {
            self.end_array();
            self.buf.push(b'\n');
        }
    }

    // ---- json_print.c -------------------------------------------------------------------------

    /// `open_json_object(key)` (JSON only).
    pub fn open_obj(&mut self, key: Option<&str>) {
        if self.json.is_some() {
            if let Some(k) = key {
                self.j_name(k);
            }
            self.begin(b'{');
        }
    }

    /// `close_json_object()` (JSON only).
    pub fn close_obj(&mut self) {
        if self.json.is_some() {
            self.end(b'}');
        }
    }

    /// `open_json_array(PRINT_JSON, key)`.
    pub fn open_arr(&mut self, key: Option<&str>) {
        if self.json.is_some() {
            if let Some(k) = key {
                self.j_name(k);
            }
            self.start_array();
        }
    }

    /// `open_json_array(PRINT_ANY, json ? key : text)`.
    pub fn open_arr_any(&mut self, key: &str, text: &[u8]) {
        if self.json.is_some() {
            self.open_arr(Some(key));
        } else {
            self.buf.extend_from_slice(text);
        }
    }

    /// `close_json_array(PRINT_JSON, ...)`.
    pub fn close_arr(&mut self) {
        if self.json.is_some() {
            self.end_array();
        }
    }

    /// `close_json_array(PRINT_ANY, text)`.
    pub fn close_arr_any(&mut self, text: &[u8]) {
        if self.json.is_some() {
            self.end_array();
        } else {
            self.buf.extend_from_slice(text);
        }
    }

    /// `print_nl()`: `_SL_` in text mode.
    pub fn nl(&mut self) {
        if self.json.is_none() {
            self.buf.extend_from_slice(self.sl);
        }
    }

    /// Text-only bytes (`PRINT_FP` / `fprintf`).
    #[inline]
    pub fn text(&mut self, t: &[u8]) {
        if self.json.is_none() {
            self.buf.extend_from_slice(t);
        }
    }

    /// JSON string value under `key` (or an array element when `key` is `None`).
    pub fn j_str(&mut self, key: Option<&str>, v: &[u8]) {
        if self.json.is_none() {
            return;
        }
        if let Some(k) = key {
            self.j_name(k);
        }
        self.eor();
        self.puts(v);
    }

    /// JSON raw value (a number, `null`, `true`) under `key` (or as an element).
    pub fn j_raw(&mut self, key: Option<&str>, f: impl FnOnce(&mut Vec<u8>)) {
        if self.json.is_none() {
            return;
        }
        if let Some(k) = key {
            self.j_name(k);
        }
        self.eor();
        f(&mut self.buf);
    }

    pub fn j_u64(&mut self, key: Option<&str>, v: u64) {
        self.j_raw(key, |b| cfmt::u64_dec(b, v));
    }

    pub fn j_i64(&mut self, key: Option<&str>, v: i64) {
        self.j_raw(key, |b| cfmt::i64_dec(b, v));
    }

    pub fn j_null(&mut self, key: Option<&str>) {
        self.j_raw(key, |b| b.extend_from_slice(b"null"));
    }

    pub fn j_bool(&mut self, key: Option<&str>, v: bool) {
        self.j_raw(key, |b| {
            b.extend_from_slice(if v { b"true" } else { b"false" })
        });
    }

    /// Text `pre value post` wrapped in `color` (the whole formatted piece is colored, as
    /// `color_fprintf` colors its whole output).
    pub fn text_color(&mut self, color: Color, pre: &[u8], v: &[u8], post: &[u8]) {
        if self.json.is_some() {
            return;
        }
        let c = self.color && color != Color::None;
        if c {
            self.buf.extend_from_slice(color.code(self.dark));
        }
        self.buf.extend_from_slice(pre);
        self.buf.extend_from_slice(v);
        self.buf.extend_from_slice(post);
        if c {
            self.buf.extend_from_slice(CLEAR);
        }
    }

    /// `print_color_string(PRINT_ANY, color, key, "pre%spost", v)`.
    pub fn str_any(&mut self, color: Color, key: &str, pre: &[u8], v: &[u8], post: &[u8]) {
        if self.json.is_some() {
            self.j_str(Some(key), v);
        } else {
            self.text_color(color, pre, v, post);
        }
    }

    /// `print_uint`/`print_u64`(PRINT_ANY, key, "pre%upost", v).
    pub fn u64_any(&mut self, key: &str, pre: &[u8], v: u64, post: &[u8]) {
        if self.json.is_some() {
            self.j_u64(Some(key), v);
        } else {
            self.buf.extend_from_slice(pre);
            cfmt::u64_dec(&mut self.buf, v);
            self.buf.extend_from_slice(post);
        }
    }

    /// `print_int`(PRINT_ANY, key, "pre%dpost", v).
    pub fn i64_any(&mut self, key: &str, pre: &[u8], v: i64, post: &[u8]) {
        if self.json.is_some() {
            self.j_i64(Some(key), v);
        } else {
            self.buf.extend_from_slice(pre);
            cfmt::i64_dec(&mut self.buf, v);
            self.buf.extend_from_slice(post);
        }
    }

    /// `print_0xhex(PRINT_ANY, key, text_fmt, v)`: JSON gets the string `%#llx`; the text
    /// side is written by `text`.
    pub fn hex_any(&mut self, key: &str, v: u64, text: impl FnOnce(&mut Vec<u8>)) {
        if self.json.is_some() {
            let mut s = Vec::with_capacity(18);
            cfmt::alt_hex(&mut s, v);
            self.j_str(Some(key), &s);
        } else {
            text(&mut self.buf);
        }
    }

    /// `print_on_off(PRINT_ANY, key, "pre%spost", v)`: JSON bool, text `on`/`off`.
    pub fn on_off_any(&mut self, key: &str, pre: &[u8], v: bool, post: &[u8]) {
        if self.json.is_some() {
            self.j_bool(Some(key), v);
        } else {
            self.buf.extend_from_slice(pre);
            self.buf.extend_from_slice(if v { b"on" } else { b"off" });
            self.buf.extend_from_slice(post);
        }
    }

    /// Moves the buffered bytes out (the caller writes them).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(pretty: bool) -> Out {
        Out::new(OutOptions {
            json: true,
            pretty,
            ..Default::default()
        })
    }

    fn demo(o: &mut Out) {
        o.begin_document();
        o.open_obj(None);
        o.str_any(Color::None, "dst", b"", b"default", b" ");
        o.open_arr(Some("flags"));
        o.j_str(None, b"onlink");
        o.j_str(None, b"dead");
        o.close_arr();
        o.open_arr(Some("empty"));
        o.close_arr();
        o.open_arr(Some("nexthops"));
        o.open_obj(None);
        o.u64_any("weight", b"", 1, b"");
        o.close_obj();
        o.open_obj(None);
        o.j_null(Some("ecn"));
        o.close_obj();
        o.close_arr();
        o.close_obj();
        o.open_obj(None);
        o.close_obj();
        o.end_document();
    }

    #[test]
    fn compact_json() {
        let mut o = json(false);
        demo(&mut o);
        assert_eq!(
            String::from_utf8(o.buf).unwrap(),
            "[{\"dst\":\"default\",\"flags\":[\"onlink\",\"dead\"],\"empty\":[],\
             \"nexthops\":[{\"weight\":1},{\"ecn\":null}]},{}]\n"
        );
    }

    #[test]
    fn pretty_json_matches_iproute2_layout() {
        let mut o = json(true);
        demo(&mut o);
        let want = "[ {\n        \"dst\": \"default\",\n        \"flags\": [ \"onlink\",\"dead\" ],\n        \"empty\": [ ],\n        \"nexthops\": [ {\n                \"weight\": 1\n            },{\n                \"ecn\": null\n            } ]\n    },{} ]\n";
        assert_eq!(String::from_utf8(o.buf).unwrap(), want);
        let mut o = json(true);
        o.begin_document();
        o.end_document();
        assert_eq!(o.buf, b"[ ]\n");
        let mut o = json(false);
        o.begin_document();
        o.end_document();
        assert_eq!(o.buf, b"[]\n");
    }

    #[test]
    fn escapes_only_what_iproute2_escapes() {
        let mut o = json(false);
        o.j_str(None, b"a\"b\\c\td\x01\xc3\xa9");
        assert_eq!(o.buf, b"\"a\\\"b\\\\c\\td\x01\xc3\xa9\"");
    }

    #[test]
    fn text_channels_and_colors() {
        let mut o = Out::new(OutOptions {
            color: true,
            ..Default::default()
        });
        o.text(b"via ");
        o.text_color(Color::Inet, b"", b"192.0.2.1", b" ");
        o.str_any(Color::Ifname, "dev", b"dev ", b"veth0", b" ");
        o.j_str(Some("x"), b"ignored");
        o.open_arr_any("flags", b"<");
        o.close_arr_any(b"> ");
        o.nl();
        assert_eq!(
            o.buf,
            b"via \x1b[35m192.0.2.1 \x1b[0m\x1b[36mdev veth0 \x1b[0m<> \n".to_vec()
        );
        let mut o = Out::new(OutOptions {
            color: true,
            dark: true,
            oneline: true,
            ..Default::default()
        });
        o.text_color(Color::OperUp, b"", b"UP", b" ");
        o.nl();
        assert_eq!(o.buf, b"\x1b[1;32mUP \x1b[0m\\".to_vec());
        let mut o = Out::new(OutOptions {
            json: true,
            color: true,
            ..Default::default()
        });
        o.text_color(Color::Inet, b"", b"x", b"");
        assert!(o.buf.is_empty());
    }
}
