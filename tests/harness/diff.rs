//! Readable line diffs for failure messages, rendered the way `cat -A` shows bytes: every line
//! ends in `$` (so trailing spaces are visible), TAB is `^I`, control bytes `^X`, DEL `^?`,
//! bytes ≥ 0x80 `M-x`.

use std::fmt::Write as _;

/// Largest product of line counts for which a full LCS diff is computed.
const MAX_LCS_CELLS: usize = 4_000_000;
/// Unchanged lines shown around each change.
const CONTEXT: usize = 2;
/// At most this many diff lines are printed.
const MAX_LINES: usize = 160;

/// `cat -A` rendering of one line (without the `$`).
pub fn visible(line: &[u8]) -> String {
    let mut s = String::with_capacity(line.len() + 8);
    for &b in line {
        let (meta, c) = if b >= 0x80 {
            (true, b - 0x80)
        } else {
            (false, b)
        };
        if meta {
            s.push_str("M-");
        }
        match c {
            b'\t' if !meta => s.push_str("^I"),
            0..=31 => {
                s.push('^');
                s.push(char::from(c + 64));
            }
            127 => s.push_str("^?"),
            _ => s.push(char::from(c)),
        }
    }
    s
}

/// Whole text in `cat -A` form, each line prefixed by `prefix`, at most `max_lines` lines.
pub fn visible_block(text: &[u8], prefix: &str, max_lines: usize) -> String {
    let lines = split_lines(text);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == max_lines {
            let _ = writeln!(out, "{prefix}… ({} more lines)", lines.len() - i);
            break;
        }
        let _ = writeln!(out, "{prefix}{}", render(l));
    }
    out
}

/// Lines including their `\n` (the last one may lack it), so that a missing final newline
/// is a difference too.
fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|&b| b == b'\n').collect()
}

/// One line (with or without its `\n`) in `cat -A` form: `$` marks the newline.
fn render(line: &[u8]) -> String {
    match line.strip_suffix(b"\n") {
        Some(body) => format!("{}$", visible(body)),
        None => visible(line),
    }
}

/// A line diff of `expected` (reference ss, `-`) and `actual` (binary under test, `+`).
pub fn line_diff(expected: &[u8], actual: &[u8]) -> String {
    let a = split_lines(expected);
    let b = split_lines(actual);
    let ops = if a.len().saturating_mul(b.len()) <= MAX_LCS_CELLS {
        lcs_ops(&a, &b)
    } else {
        naive_ops(&a, &b)
    };
    // Show the changes plus CONTEXT unchanged lines around them.
    let changed: Vec<bool> = ops.iter().map(|o| !matches!(o, Op::Same(..))).collect();
    let mut out = String::new();
    let mut shown = 0;
    let mut skipped = false;
    for (k, op) in ops.iter().enumerate() {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        let near = changed.get(lo..hi).is_some_and(|w| w.iter().any(|&c| c));
        if !near {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("  ⋮\n");
            skipped = false;
        }
        if shown == MAX_LINES {
            out.push_str("  … (diff truncated)\n");
            break;
        }
        shown += 1;
        let line = match *op {
            Op::Same(i) => format!("  {}", render(a[i])),
            Op::Del(i) => format!("- {}", render(a[i])),
            Op::Add(j) => format!("+ {}", render(b[j])),
        };
        out.push_str(&line);
        out.push('\n');
    }
    if skipped {
        out.push_str("  ⋮\n");
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize),
    Del(usize),
    Add(usize),
}

/// Classic LCS table diff (fine for the few hundred lines ss prints here).
fn lcs_ops(a: &[&[u8]], b: &[&[u8]]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut t = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * w + j] = if a[i] == b[j] {
                t[(i + 1) * w + j + 1] + 1
            } else {
                t[(i + 1) * w + j].max(t[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(i));
            i += 1;
            j += 1;
        } else if i < n && (j == m || t[(i + 1) * w + j] >= t[i * w + j + 1]) {
            ops.push(Op::Del(i));
            i += 1;
        } else {
            ops.push(Op::Add(j));
            j += 1;
        }
    }
    ops
}

/// Position-by-position comparison for huge outputs.
fn naive_ops(a: &[&[u8]], b: &[&[u8]]) -> Vec<Op> {
    let mut ops = Vec::new();
    for k in 0..a.len().max(b.len()) {
        match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => ops.push(Op::Same(k)),
            (x, y) => {
                if x.is_some() {
                    ops.push(Op::Del(k));
                }
                if y.is_some() {
                    ops.push(Op::Add(k));
                }
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cat_a_rendering() {
        assert_eq!(visible(b"a\tb \x01\x7f\xe2"), "a^Ib ^A^?M-b");
        assert_eq!(visible_block(b"x \ny", "| ", 10), "| x $\n| y\n");
    }

    #[test]
    fn diff_marks_changes_with_context() {
        let a = b"h\n1\n2\n3\n4\n5\n6\n7\n";
        let b = b"h\n1\n2\n3\n4 \n5\n6\n7\n";
        let d = line_diff(a, b);
        assert!(d.contains("- 4$\n+ 4 $\n"), "{d}");
        assert!(d.contains("  3$\n"), "{d}");
        assert!(!d.contains("  1$"), "{d}");
        assert!(d.starts_with("  ⋮\n"), "{d}");
    }

    #[test]
    fn diff_of_missing_final_newline() {
        let d = line_diff(b"a\n", b"a");
        assert_eq!(d, "- a$\n+ a\n");
    }
}
