//! The few facts the task-file iterator needs from the running kernel's BTF
//! (`/sys/kernel/btf/vmlinux`): the type id of `bpf_iter_task_file` and the byte offsets of a
//! handful of struct members. Layouts differ between kernels (and with randomized structs), so
//! the program is assembled from these offsets, never from constants.
//!
//! Format (linux/btf.h, Documentation/bpf/btf.rst): a header, then type records numbered from
//! 1 (12 bytes each plus a kind-specific tail), then a string section.

use std::collections::HashMap;

const MAGIC: u16 = 0xeb9f;

const KIND_INT: u32 = 1;
const KIND_ARRAY: u32 = 3;
const KIND_STRUCT: u32 = 4;
const KIND_UNION: u32 = 5;
const KIND_TYPEDEF: u32 = 8;
const KIND_VOLATILE: u32 = 9;
const KIND_CONST: u32 = 10;
const KIND_RESTRICT: u32 = 11;
const KIND_FUNC: u32 = 12;
const KIND_TYPE_TAG: u32 = 18;

/// Why the BTF could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BtfError {
    #[error("malformed BTF")]
    Malformed,
    #[error("BTF has no {0}")]
    Missing(String),
}

/// One type record, decoded on demand from its offset.
#[derive(Clone, Copy, Debug)]
struct Type {
    name_off: u32,
    kind: u32,
    vlen: u32,
    kind_flag: bool,
    /// `size` or `type`, depending on the kind.
    size_or_type: u32,
    /// Offset of the kind-specific tail in the type section.
    tail: usize,
}

/// A parsed BTF blob: where each type record starts (the vmlinux blob has ~150,000 types; 4
/// bytes each keeps the index small), everything else read in place.
pub struct Btf<'a> {
    types: &'a [u8],
    strings: &'a [u8],
    /// Offset of type `id` in `types`; index 0 stands for the implicit `void`.
    offsets: Vec<u32>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Tail size of a type record of `kind` with `vlen` entries (btf.rst §2.2).
fn tail_len(kind: u32, vlen: u32) -> Option<usize> {
    let v = vlen as usize;
    Some(match kind {
        KIND_INT => 4,
        KIND_ARRAY => 12,
        KIND_STRUCT | KIND_UNION => 12 * v,
        6 => 8 * v,                               // ENUM
        13 => 8 * v,                              // FUNC_PROTO
        14 => 4,                                  // VAR
        15 => 12 * v,                             // DATASEC
        17 => 4,                                  // DECL_TAG
        19 => 12 * v,                             // ENUM64
        2 | 7 | 8..=12 | 16 | KIND_TYPE_TAG => 0, // PTR FWD TYPEDEF VOLATILE CONST RESTRICT FUNC FLOAT TYPE_TAG
        _ => return None,
    })
}

impl<'a> Btf<'a> {
    /// Parses a BTF blob (host byte order, which is how the kernel exports it; only
    /// little-endian hosts are supported, the magic check rejects the rest).
    pub fn parse(blob: &'a [u8]) -> Result<Btf<'a>, BtfError> {
        let magic = blob.get(0..2).map(|m| u16::from_le_bytes([m[0], m[1]]));
        if magic != Some(MAGIC) {
            return Err(BtfError::Malformed);
        }
        let hdr_len = u32_at(blob, 4).ok_or(BtfError::Malformed)? as usize;
        let field = |at| {
            u32_at(blob, at)
                .map(|v| v as usize)
                .ok_or(BtfError::Malformed)
        };
        let (type_off, type_len, str_off, str_len) =
            (field(8)?, field(12)?, field(16)?, field(20)?);
        let section = |off: usize, len: usize| {
            let start = hdr_len.checked_add(off).ok_or(BtfError::Malformed)?;
            blob.get(start..start.checked_add(len).ok_or(BtfError::Malformed)?)
                .ok_or(BtfError::Malformed)
        };
        let types = section(type_off, type_len)?;
        let strings = section(str_off, str_len)?;
        let mut offsets = Vec::with_capacity(types.len() / 16);
        offsets.push(u32::MAX);
        let mut at = 0;
        while at < types.len() {
            let info = u32_at(types, at + 4).ok_or(BtfError::Malformed)?;
            let tail = tail_len((info >> 24) & 0x1f, info & 0xffff).ok_or(BtfError::Malformed)?;
            offsets.push(at as u32);
            at += 12 + tail;
        }
        Ok(Btf {
            types,
            strings,
            offsets,
        })
    }

    /// Type `id`, or None for `void` and ids out of range.
    fn get(&self, id: u32) -> Option<Type> {
        let at = *self.offsets.get(id as usize)? as usize;
        let info = u32_at(self.types, at + 4)?;
        Some(Type {
            name_off: u32_at(self.types, at)?,
            kind: (info >> 24) & 0x1f,
            vlen: info & 0xffff,
            kind_flag: info >> 31 != 0,
            size_or_type: u32_at(self.types, at + 8)?,
            tail: at + 12,
        })
    }

    fn name(&self, off: u32) -> &[u8] {
        let s = self.strings.get(off as usize..).unwrap_or_default();
        &s[..s.iter().position(|&b| b == 0).unwrap_or(s.len())]
    }

    /// Offset of the string `name` in the string section (strings are NUL-separated and, in
    /// the kernel's BTF, stored once each).
    fn string_offset(&self, name: &str) -> Option<u32> {
        let mut needle = Vec::with_capacity(name.len() + 2);
        needle.push(0);
        needle.extend_from_slice(name.as_bytes());
        needle.push(0);
        memchr::memmem::find(self.strings, &needle).map(|at| at as u32 + 1)
    }

    /// Ids of the first type of `kind` named by each of `names` (one pass over all types).
    /// The names are located in the string section first, so the pass compares offsets instead
    /// of reading a string per candidate type (that cost a cache miss each: ~2 ms).
    fn find(&self, kind: u32, names: &[&str]) -> HashMap<String, u32> {
        let wanted: Vec<(u32, &str)> = names
            .iter()
            .filter_map(|n| Some((self.string_offset(n)?, *n)))
            .collect();
        let mut found = HashMap::new();
        if wanted.is_empty() {
            return found;
        }
        for id in 1..self.offsets.len() as u32 {
            let Some(t) = self.get(id) else { continue };
            if t.kind != kind || (kind == KIND_STRUCT && t.vlen == 0) {
                continue;
            }
            if let Some((_, want)) = wanted.iter().find(|(off, _)| *off == t.name_off) {
                found.entry((*want).to_owned()).or_insert(id);
            }
        }
        found
    }

    /// The id of the function `name`.
    pub fn func(&self, name: &str) -> Result<u32, BtfError> {
        self.find(KIND_FUNC, &[name])
            .get(name)
            .copied()
            .ok_or_else(|| BtfError::Missing(format!("function {name}")))
    }

    /// Ids of the structs `names`, all of which must exist.
    pub fn structs(&self, names: &[&str]) -> Result<HashMap<String, u32>, BtfError> {
        let found = self.find(KIND_STRUCT, names);
        match names.iter().find(|n| !found.contains_key(**n)) {
            Some(n) => Err(BtfError::Missing(format!("struct {n}"))),
            None => Ok(found),
        }
    }

    /// Byte offset and resolved type id of member `member` of the struct `id`, looking into
    /// anonymous struct/union members too.
    pub fn member(&self, id: u32, member: &str) -> Result<(u32, u32), BtfError> {
        self.member_in(id, member.as_bytes(), 0)
            .ok_or_else(|| BtfError::Missing(format!("member {member}")))
    }

    fn member_in(&self, id: u32, want: &[u8], base_bits: u32) -> Option<(u32, u32)> {
        let t = self.get(id)?;
        if t.kind != KIND_STRUCT && t.kind != KIND_UNION {
            return None;
        }
        for i in 0..t.vlen as usize {
            let at = t.tail + 12 * i;
            let name_off = u32_at(self.types, at)?;
            let ty = u32_at(self.types, at + 4)?;
            let raw = u32_at(self.types, at + 8)?;
            // With kind_flag the low 24 bits are the bit offset, the high 8 a bitfield size.
            let bits = base_bits + if t.kind_flag { raw & 0xff_ffff } else { raw };
            let resolved = self.resolve(ty);
            if name_off == 0 {
                if let Some(found) = self.member_in(resolved, want, bits) {
                    return Some(found);
                }
            } else if self.name(name_off) == want {
                return (bits % 8 == 0).then_some((bits / 8, resolved));
            }
        }
        None
    }

    /// Follows typedefs and qualifiers to the underlying type.
    fn resolve(&self, mut id: u32) -> u32 {
        for _ in 0..32 {
            match self.get(id) {
                Some(t)
                    if matches!(
                        t.kind,
                        KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG
                    ) =>
                {
                    id = t.size_or_type
                }
                _ => break,
            }
        }
        id
    }

    /// Size in bytes of an integer type (after [`Btf::member`]'s resolution), or None.
    pub fn int_size(&self, id: u32) -> Option<u32> {
        let t = self.get(id)?;
        (t.kind == KIND_INT).then_some(t.size_or_type)
    }

    /// Element count of an array of one-byte integers (`char comm[16]`), or None.
    pub fn byte_array_len(&self, id: u32) -> Option<u32> {
        let t = self.get(id)?;
        if t.kind != KIND_ARRAY {
            return None;
        }
        let elem = self.resolve(u32_at(self.types, t.tail)?);
        let nelems = u32_at(self.types, t.tail + 8)?;
        (self.int_size(elem) == Some(1)).then_some(nelems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made blob: int (1), char (2), char[4] (3), struct s { int a; union { int b; };
    /// char c[4]; } (4) with an anonymous union (5), and a function f (6).
    fn blob() -> Vec<u8> {
        let strings = b"\0int\0char\0s\0a\0b\0c\0f\0";
        let off = |n: &str| {
            strings
                .windows(n.len() + 2)
                .position(|w| w[0] == 0 && &w[1..=n.len()] == n.as_bytes() && w[n.len() + 1] == 0)
                .unwrap() as u32
                + 1
        };
        let mut t = Vec::new();
        let mut put = |v: &[u32]| v.iter().for_each(|x| t.extend_from_slice(&x.to_le_bytes()));
        put(&[off("int"), KIND_INT << 24, 4, 32]);
        put(&[off("char"), KIND_INT << 24, 1, 8]);
        put(&[0, KIND_ARRAY << 24, 0, 2, 1, 4]);
        put(&[off("s"), (KIND_STRUCT << 24) | 3, 12]);
        put(&[off("a"), 1, 0]);
        put(&[0, 5, 32]);
        put(&[off("c"), 3, 64]);
        put(&[0, (KIND_UNION << 24) | 1, 4]);
        put(&[off("b"), 1, 0]);
        put(&[off("f"), KIND_FUNC << 24, 0]);
        let mut b = Vec::new();
        b.extend_from_slice(&MAGIC.to_le_bytes());
        b.extend_from_slice(&[1, 0]);
        for v in [
            24u32,
            0,
            t.len() as u32,
            t.len() as u32,
            strings.len() as u32,
        ] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&t);
        b.extend_from_slice(strings);
        b
    }

    #[test]
    fn finds_members_functions_and_sizes() {
        let blob = blob();
        let btf = Btf::parse(&blob).unwrap();
        let s = btf.structs(&["s"]).unwrap()["s"];
        assert_eq!(s, 4);
        let (a, a_ty) = btf.member(s, "a").unwrap();
        assert_eq!((a, btf.int_size(a_ty)), (0, Some(4)));
        assert_eq!(
            btf.member(s, "b").unwrap().0,
            4,
            "found through the anonymous union"
        );
        let (c, c_ty) = btf.member(s, "c").unwrap();
        assert_eq!((c, btf.byte_array_len(c_ty)), (8, Some(4)));
        assert!(btf.member(s, "zz").is_err());
        assert_eq!(btf.func("f"), Ok(6));
        assert!(btf.func("g").is_err());
        assert!(btf.structs(&["s", "t"]).is_err());
        assert_eq!(Btf::parse(&blob[..10]).err(), Some(BtfError::Malformed));
    }

    /// The running kernel's BTF, when it has one, describes the iterator's types.
    #[test]
    fn live_vmlinux() {
        let Ok(blob) = std::fs::read("/sys/kernel/btf/vmlinux") else {
            return;
        };
        let btf = Btf::parse(&blob).unwrap();
        assert!(btf.func("bpf_iter_task_file").is_ok());
        let s = btf.structs(&["task_struct", "inode"]).unwrap();
        let (_, comm) = btf.member(s["task_struct"], "comm").unwrap();
        assert_eq!(btf.byte_array_len(comm), Some(16));
        let (_, mode) = btf.member(s["inode"], "i_mode").unwrap();
        assert_eq!(btf.int_size(mode), Some(2));
    }
}
