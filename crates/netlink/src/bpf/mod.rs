//! Socket descriptors of every process from one BPF task-file iterator, instead of a
//! `readlink` per descriptor under `/proc/PID/fd`.
//!
//! `ss -p` learns which processes hold each socket by reading every `/proc/PID/fd/N` link; on a
//! server with 100,000 sockets those path lookups, permission checks and `socket:[N]` strings
//! cost the kernel more time than the socket dump itself. The kernel can walk the same file
//! tables itself: a `bpf_iter/task_file` program sees every (task, fd, file) and writes one
//! fixed-size record per socket into a seq_file we read in large blocks.
//!
//! The program is a few dozen instructions assembled here from the running kernel's struct
//! offsets (read from its BTF, see [`btf`]); it needs CAP_BPF and CAP_PERFMON (root) and a
//! kernel with BTF. Every failure is an error the caller answers by scanning /proc, so
//! nothing here is required for correctness.
//!
//! What it reports matches ss's /proc scan: only thread-group leaders (ss reads `/proc/PID/fd`
//! of processes, never of other threads), every descriptor whose inode is a socket, the
//! leader's `comm`, processes in ascending pid order and descriptors in ascending order
//! (procfs lists both in that order too). Pids are the kernel's global ones, so the caller must
//! only use this when it sees the initial pid namespace.

pub mod btf;
mod program;

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::Errno;

pub use program::SocketFd;

/// Why the iterator could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum IterError {
    #[error("reading BTF: {0}")]
    BtfRead(std::io::Error),
    #[error(transparent)]
    Btf(#[from] btf::BtfError),
    #[error("unexpected layout: {0}")]
    Layout(&'static str),
    #[error("bpf({cmd}): {errno}{}", log_suffix(.log))]
    Syscall {
        cmd: &'static str,
        errno: Errno,
        /// The verifier's log for a rejected program (empty otherwise).
        log: String,
    },
}

fn log_suffix(log: &str) -> String {
    if log.is_empty() {
        String::new()
    } else {
        format!("\n{log}")
    }
}

const BPF_PROG_LOAD: u32 = 5;
const BPF_LINK_CREATE: u32 = 28;
const BPF_ITER_CREATE: u32 = 33;
const BPF_PROG_TYPE_TRACING: u32 = 26;
const BPF_TRACE_ITER: u32 = 28;

/// `union bpf_attr`, as zeroed 8-byte words with byte-offset setters (the kernel rejects
/// non-zero bytes past the fields a command uses).
#[repr(C, align(8))]
struct Attr([u8; 144]);

impl Attr {
    fn new() -> Attr {
        Attr([0; 144])
    }
    fn u32(&mut self, at: usize, v: u32) -> &mut Attr {
        self.0[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn u64(&mut self, at: usize, v: u64) -> &mut Attr {
        self.0[at..at + 8].copy_from_slice(&v.to_ne_bytes());
        self
    }
}

/// One `bpf(2)` call that returns a new descriptor.
fn bpf_fd(cmd: u32, attr: &Attr) -> Result<OwnedFd, Errno> {
    // SAFETY: `attr` is a live, 8-aligned 144-byte `union bpf_attr` image whose pointer
    // fields (set by the callers) point to buffers that outlive this call; the kernel reads
    // at most the given size and writes only into the log buffer it was given.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd as libc::c_long,
            attr.0.as_ptr(),
            attr.0.len() as libc::c_long,
        )
    };
    if rc < 0 {
        return Err(Errno::last());
    }
    // SAFETY: on success these commands return a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as i32) })
}

/// A running iterator over every socket descriptor of the machine.
pub struct SocketFds {
    /// Keep the program and link alive while the iterator is read.
    _prog: OwnedFd,
    _link: OwnedFd,
    iter: std::fs::File,
}

impl SocketFds {
    /// Loads the program (built from `/sys/kernel/btf/vmlinux`), attaches it and opens the
    /// iterator. Nothing has been walked yet.
    pub fn open() -> Result<SocketFds, IterError> {
        let blob = VmlinuxBtf::open().map_err(IterError::BtfRead)?;
        let layout = program::Layout::from_btf(&btf::Btf::parse(blob.bytes())?)?;
        drop(blob);
        let insns = program::assemble(&layout);
        let prog = load(&insns, layout.attach_btf_id)?;
        let link = bpf_fd(
            BPF_LINK_CREATE,
            Attr::new()
                .u32(0, prog.as_raw_fd() as u32)
                .u32(8, BPF_TRACE_ITER),
        )
        .map_err(|errno| IterError::Syscall {
            cmd: "LINK_CREATE",
            errno,
            log: String::new(),
        })?;
        let iter = bpf_fd(BPF_ITER_CREATE, Attr::new().u32(0, link.as_raw_fd() as u32)).map_err(
            |errno| IterError::Syscall {
                cmd: "ITER_CREATE",
                errno,
                log: String::new(),
            },
        )?;
        Ok(SocketFds {
            _prog: prog,
            _link: link,
            iter: std::fs::File::from(iter),
        })
    }

    /// Walks every process's descriptor table, calling `each` for every socket descriptor
    /// (processes in ascending pid order, descriptors ascending within one).
    pub fn for_each(mut self, mut each: impl FnMut(&SocketFd)) -> std::io::Result<()> {
        use std::io::Read;
        let mut buf = vec![0u8; 64 * 1024];
        // Bytes of an incomplete record carried over from the previous read.
        let mut held = 0;
        loop {
            let n = match self.iter.read(&mut buf[held..]) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let end = held + n;
            let whole = end - end % SocketFd::SIZE;
            for rec in buf[..whole].chunks_exact(SocketFd::SIZE) {
                each(&SocketFd::decode(rec));
            }
            buf.copy_within(whole..end, 0);
            held = end - whole;
        }
    }
}

/// The kernel's BTF, mapped read-only where the kernel allows it (since 6.16; no copy of its
/// ~5 MiB), read into memory otherwise.
enum VmlinuxBtf {
    Mapped { addr: *mut libc::c_void, len: usize },
    Read(Vec<u8>),
}

impl VmlinuxBtf {
    const PATH: &'static str = "/sys/kernel/btf/vmlinux";

    fn open() -> std::io::Result<VmlinuxBtf> {
        let file = std::fs::File::open(Self::PATH)?;
        let len = file.metadata()?.len() as usize;
        if len > 0 {
            // SAFETY: maps `len` bytes of an open file read-only and private at an address the
            // kernel picks; the mapping is only read through `bytes` and unmapped in Drop.
            let addr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    file.as_raw_fd(),
                    0,
                )
            };
            if addr != libc::MAP_FAILED {
                return Ok(VmlinuxBtf::Mapped { addr, len });
            }
        }
        std::fs::read(Self::PATH).map(VmlinuxBtf::Read)
    }

    fn bytes(&self) -> &[u8] {
        match self {
            // SAFETY: the mapping is `len` readable bytes, alive as long as `self`.
            VmlinuxBtf::Mapped { addr, len } => unsafe {
                std::slice::from_raw_parts(*addr as *const u8, *len)
            },
            VmlinuxBtf::Read(v) => v,
        }
    }
}

impl Drop for VmlinuxBtf {
    fn drop(&mut self) {
        if let VmlinuxBtf::Mapped { addr, len } = *self {
            // SAFETY: unmaps exactly the mapping made in `open`, which nothing borrows any more.
            unsafe {
                libc::munmap(addr, len);
            }
        }
    }
}

/// BPF_PROG_LOAD; on rejection, loads again with a log to say why.
fn load(insns: &[u8], attach_btf_id: u32) -> Result<OwnedFd, IterError> {
    let license = b"GPL\0";
    let name = b"sockscope_fds\0";
    let mut attr = Attr::new();
    attr.u32(0, BPF_PROG_TYPE_TRACING)
        .u32(4, (insns.len() / 8) as u32)
        .u64(8, insns.as_ptr() as u64)
        .u64(16, license.as_ptr() as u64)
        .u32(68, BPF_TRACE_ITER)
        .u32(108, attach_btf_id);
    attr.0[48..48 + name.len()].copy_from_slice(name);
    match bpf_fd(BPF_PROG_LOAD, &attr) {
        Ok(fd) => Ok(fd),
        Err(errno) => {
            let mut log = vec![0u8; 64 * 1024];
            attr.u32(24, 1)
                .u32(28, log.len() as u32)
                .u64(32, log.as_mut_ptr() as u64);
            let again = bpf_fd(BPF_PROG_LOAD, &attr);
            let text =
                String::from_utf8_lossy(&log[..log.iter().position(|&b| b == 0).unwrap_or(0)])
                    .into_owned();
            match again {
                Ok(fd) => Ok(fd),
                Err(_) => Err(IterError::Syscall {
                    cmd: "PROG_LOAD",
                    errno,
                    log: text,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;

    use super::*;

    /// As root on a kernel with BTF (CI), the iterator reports our own socket with our pid,
    /// fd, inode and name, once.
    #[test]
    fn live_iterator_sees_own_socket() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 || !std::path::Path::new(VmlinuxBtf::PATH).exists() {
            return;
        }
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let inode = std::fs::metadata(format!("/proc/self/fd/{}", sock.as_raw_fd()))
            .unwrap()
            .ino();
        let iter = match SocketFds::open() {
            Ok(i) => i,
            Err(e) => panic!("task-file iterator unavailable as root: {e}"),
        };
        let comm = std::fs::read("/proc/self/comm").unwrap();
        let mut mine = Vec::new();
        let mut total = 0;
        iter.for_each(|s| {
            total += 1;
            if s.inode == inode {
                mine.push(*s);
            }
        })
        .unwrap();
        assert_eq!(mine.len(), 1, "{total} records");
        assert_eq!(mine[0].pid, std::process::id() as i32);
        assert_eq!(mine[0].fd, sock.as_raw_fd());
        assert_eq!(mine[0].name(), comm.strip_suffix(b"\n").unwrap());
    }
}
