//! The `iter/task_file` program, assembled instruction by instruction.
//!
//! In C it would read:
//! ```c
//! int prog(struct bpf_iter__task_file *ctx) {
//!     struct task_struct *task = ctx->task; struct file *file = ctx->file;
//!     if (!task || !file || task->tgid != task->pid) return 0;   // leaders only
//!     struct inode *inode = file->f_inode;
//!     if (!inode || inode->i_sb->s_magic != SOCKFS_MAGIC) return 0;   // what readlink shows
//!                                                                     // as socket:[INODE]
//!     struct rec r = { inode->i_ino, task->tgid, ctx->fd };      // + 16 bytes of comm
//!     for (i = 0; i < 16; i++) r.comm[i] = task->comm[i];        // unrolled byte copies
//!     bpf_seq_write(ctx->meta->seq, &r, sizeof r);
//!     return 0;
//! }
//! ```
//! `comm` is copied a byte at a time because the verifier only allows loads of whole array
//! elements from kernel structs. The superblock test (rather than `S_ISSOCK(i_mode)`) leaves
//! out O_PATH descriptors of socket files on disk, whose links name a path, not a socket; the
//! sockfs superblock is shared by every socket, so the test costs no cache miss.

use super::btf::Btf;
use super::IterError;

/// Offsets of `struct bpf_iter__task_file` (the iterator's context: one 8-byte slot per
/// argument of `bpf_iter_task_file(meta, task, fd, file)`).
const CTX_META: i16 = 0;
const CTX_TASK: i16 = 8;
const CTX_FD: i16 = 16;
const CTX_FILE: i16 = 24;
/// `struct bpf_iter_meta.seq`.
const META_SEQ: i16 = 0;
/// `BPF_FUNC_seq_write`.
const HELPER_SEQ_WRITE: i32 = 127;
/// `SOCKFS_MAGIC` (linux/magic.h).
const SOCKFS_MAGIC: i32 = 0x534F_434B;
const COMM_LEN: usize = 16;

/// One socket descriptor as the program reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocketFd {
    /// The socket's inode number (what `/proc/PID/fd/N` shows as `socket:[INODE]`).
    pub inode: u64,
    /// Global pid of the process (its thread-group leader).
    pub pid: i32,
    pub fd: i32,
    /// The leader's `comm`, NUL-padded.
    pub comm: [u8; COMM_LEN],
}

impl SocketFd {
    /// Record layout written by the program: inode u64, pid u32, fd u32, comm[16].
    pub(crate) const SIZE: usize = 32;

    pub(crate) fn decode(r: &[u8]) -> SocketFd {
        let word = |at: usize| u32::from_ne_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
        let mut comm = [0u8; COMM_LEN];
        comm.copy_from_slice(&r[16..32]);
        SocketFd {
            inode: u64::from(word(0)) | u64::from(word(4)) << 32,
            pid: word(8) as i32,
            fd: word(12) as i32,
            comm,
        }
    }

    /// `comm` up to its first NUL.
    pub fn name(&self) -> &[u8] {
        let n = self.comm.iter().position(|&b| b == 0).unwrap_or(COMM_LEN);
        &self.comm[..n]
    }
}

/// The kernel facts the program depends on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub attach_btf_id: u32,
    task_tgid: i16,
    task_pid: i16,
    task_comm: i16,
    file_inode: i16,
    inode_sb: i16,
    inode_ino: i16,
    sb_magic: i16,
}

impl Layout {
    pub(crate) fn from_btf(btf: &Btf<'_>) -> Result<Layout, IterError> {
        let attach_btf_id = btf.func("bpf_iter_task_file")?;
        let s = btf.structs(&["task_struct", "file", "inode", "super_block"])?;
        let off = |v: u32| i16::try_from(v).map_err(|_| IterError::Layout("offset beyond 32 KiB"));
        let int = |st: &str, m: &str, size: u32| -> Result<i16, IterError> {
            let (at, ty) = btf.member(s[st], m)?;
            if btf.int_size(ty) != Some(size) {
                return Err(IterError::Layout("member of an unexpected size"));
            }
            off(at)
        };
        let (comm, comm_ty) = btf.member(s["task_struct"], "comm")?;
        if btf.byte_array_len(comm_ty) != Some(COMM_LEN as u32) {
            return Err(IterError::Layout("task_struct.comm is not char[16]"));
        }
        let (file_inode, _) = btf.member(s["file"], "f_inode")?;
        let (inode_sb, _) = btf.member(s["inode"], "i_sb")?;
        Ok(Layout {
            attach_btf_id,
            task_tgid: int("task_struct", "tgid", 4)?,
            task_pid: int("task_struct", "pid", 4)?,
            task_comm: off(comm)?,
            file_inode: off(file_inode)?,
            inode_sb: off(inode_sb)?,
            inode_ino: int("inode", "i_ino", 8)?,
            sb_magic: int("super_block", "s_magic", 8)?,
        })
    }
}

/// eBPF instruction encoding (linux/bpf_common.h, linux/bpf.h).
mod op {
    pub const MOV64_REG: u8 = 0xbf;
    pub const MOV64_IMM: u8 = 0xb7;
    pub const ADD64_IMM: u8 = 0x07;
    pub const LDX_DW: u8 = 0x79;
    pub const LDX_W: u8 = 0x61;
    pub const LDX_B: u8 = 0x71;
    pub const STX_DW: u8 = 0x7b;
    pub const STX_W: u8 = 0x63;
    pub const STX_B: u8 = 0x73;
    pub const JEQ_IMM: u8 = 0x15;
    pub const JNE_IMM: u8 = 0x55;
    pub const JNE_REG: u8 = 0x5d;
    pub const CALL: u8 = 0x85;
    pub const EXIT: u8 = 0x95;
}

/// Registers: r1 = context on entry, r10 = frame pointer.
const R0: u8 = 0;
const R1: u8 = 1;
const R2: u8 = 2;
const R3: u8 = 3;
const R4: u8 = 4;
const R6: u8 = 6;
const R7: u8 = 7;
const R8: u8 = 8;
const R9: u8 = 9;
const FP: u8 = 10;

struct Asm {
    insns: Vec<[u8; 8]>,
    /// Indexes of jumps to patch to the common exit.
    to_exit: Vec<usize>,
}

impl Asm {
    fn emit(&mut self, code: u8, dst: u8, src: u8, off: i16, imm: i32) {
        let mut i = [0u8; 8];
        i[0] = code;
        i[1] = (src << 4) | dst;
        i[2..4].copy_from_slice(&off.to_le_bytes());
        i[4..8].copy_from_slice(&imm.to_le_bytes());
        self.insns.push(i);
    }
    /// A conditional jump to the exit sequence (patched in `finish`).
    fn exit_if(&mut self, code: u8, dst: u8, src: u8, imm: i32) {
        self.to_exit.push(self.insns.len());
        self.emit(code, dst, src, 0, imm);
    }
    fn finish(mut self) -> Vec<u8> {
        let exit = self.insns.len();
        for &j in &self.to_exit {
            let off = (exit - j - 1) as i16;
            self.insns[j][2..4].copy_from_slice(&off.to_le_bytes());
        }
        self.emit(op::MOV64_IMM, R0, 0, 0, 0);
        self.emit(op::EXIT, 0, 0, 0, 0);
        self.insns.concat()
    }
}

/// The program's bytes for `layout`.
pub(crate) fn assemble(l: &Layout) -> Vec<u8> {
    use op::*;
    // The record lives at fp-32: inode (8), pid (4), fd (4), comm (16).
    const REC: i16 = -(SocketFd::SIZE as i16);
    let mut a = Asm {
        insns: Vec::new(),
        to_exit: Vec::new(),
    };
    a.emit(MOV64_REG, R6, R1, 0, 0);
    a.emit(LDX_DW, R7, R6, CTX_TASK, 0);
    a.exit_if(JEQ_IMM, R7, 0, 0);
    a.emit(LDX_DW, R8, R6, CTX_FILE, 0);
    a.exit_if(JEQ_IMM, R8, 0, 0);
    a.emit(LDX_W, R2, R7, l.task_tgid, 0);
    a.emit(LDX_W, R3, R7, l.task_pid, 0);
    a.exit_if(JNE_REG, R2, R3, 0);
    a.emit(LDX_DW, R9, R8, l.file_inode, 0);
    a.exit_if(JEQ_IMM, R9, 0, 0);
    a.emit(LDX_DW, R4, R9, l.inode_sb, 0);
    a.exit_if(JEQ_IMM, R4, 0, 0);
    a.emit(LDX_DW, R4, R4, l.sb_magic, 0);
    a.exit_if(JNE_IMM, R4, 0, SOCKFS_MAGIC);
    a.emit(LDX_DW, R4, R9, l.inode_ino, 0);
    a.emit(STX_DW, FP, R4, REC, 0);
    a.emit(STX_W, FP, R2, REC + 8, 0);
    a.emit(LDX_DW, R4, R6, CTX_FD, 0);
    a.emit(STX_W, FP, R4, REC + 12, 0);
    for i in 0..COMM_LEN as i16 {
        a.emit(LDX_B, R4, R7, l.task_comm + i, 0);
        a.emit(STX_B, FP, R4, REC + 16 + i, 0);
    }
    a.emit(LDX_DW, R1, R6, CTX_META, 0);
    a.emit(LDX_DW, R1, R1, META_SEQ, 0);
    a.emit(MOV64_REG, R2, FP, 0, 0);
    a.emit(ADD64_IMM, R2, 0, 0, i32::from(REC));
    a.emit(MOV64_IMM, R3, 0, 0, SocketFd::SIZE as i32);
    a.emit(CALL, 0, 0, 0, HELPER_SEQ_WRITE);
    a.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_decode() {
        let mut r = Vec::new();
        r.extend_from_slice(&(5_000_000_123u64).to_ne_bytes());
        r.extend_from_slice(&4242u32.to_ne_bytes());
        r.extend_from_slice(&7u32.to_ne_bytes());
        r.extend_from_slice(b"nginx: worker\0\0\0");
        let s = SocketFd::decode(&r);
        assert_eq!((s.inode, s.pid, s.fd), (5_000_000_123, 4242, 7));
        assert_eq!(s.name(), b"nginx: worker");
    }

    #[test]
    fn program_shape() {
        let l = Layout {
            attach_btf_id: 1,
            task_tgid: 100,
            task_pid: 104,
            task_comm: 200,
            file_inode: 40,
            inode_sb: 40,
            inode_ino: 64,
            sb_magic: 96,
        };
        let p = assemble(&l);
        assert_eq!(p.len() % 8, 0);
        let insns: Vec<&[u8]> = p.chunks(8).collect();
        // Ends with r0 = 0; exit, and every early exit lands on the `r0 = 0`.
        let n = insns.len();
        assert_eq!(insns[n - 1][0], op::EXIT);
        assert_eq!(insns[n - 2][0], op::MOV64_IMM);
        for (i, insn) in insns.iter().enumerate() {
            if matches!(insn[0], op::JEQ_IMM | op::JNE_IMM | op::JNE_REG) {
                let off = i16::from_le_bytes([insn[2], insn[3]]) as usize;
                assert_eq!(i + 1 + off, n - 2);
            }
        }
        assert_eq!(insns[n - 3][0], op::CALL);
    }
}
