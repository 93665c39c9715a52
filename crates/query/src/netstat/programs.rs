//! `netstat -p`: the `PID/Program name` of every socket inode, found the way net-tools 2.10's
//! `prg_cache_load` finds it (netstat.c): one pass over `/proc/[0-9]*/fd/*`, links of the form
//! `socket:[INODE]` or `[0000]:INODE`; the FIRST process found for an inode wins (readdir
//! order, which is ascending pid order on /proc); the name is the first NUL-terminated word of
//! `/proc/PID/cmdline` (at most 511 bytes read), after its last `/` when it starts with `/`;
//! `PID/NAME` is cut to 19 bytes (a 20-byte buffer).
//!
//! Speed matters here (100,000 sockets): directories are read with one reused getdents buffer,
//! links with `readlinkat` relative to the open `fd` directory into a stack buffer (no path
//! resolution from `/`, no allocation per descriptor), and the pid directories are split
//! between two threads whose results are merged in readdir order, so "first process wins"
//! holds as in netstat.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustix::fs::{openat, readlinkat_raw, Mode, OFlags, RawDir, CWD};

/// The width of netstat's `PID/Program name` buffer (PROGNAME_WIDTH), including the NUL.
pub const PROGNAME_WIDTH: usize = 20;

/// What netstat reports on stderr after the scan (prg_cache_load's two messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanNote {
    /// Every `fd` directory could be opened (or the failures were not EACCES).
    Complete,
    /// Some `fd` directories were refused (EACCES) but at least one socket was found:
    /// `(Not all processes could be identified, ...)`.
    NotAll,
    /// Refused directories and no socket found at all (or /proc unreadable):
    /// `(No info could be read for "-p": geteuid()=UID but you should be root.)`.
    NothingRead,
}

/// A fast hasher for inode numbers (already well spread; one multiply).
#[derive(Default, Clone, Copy)]
pub struct InodeHasher(u64);

impl Hasher for InodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type InodeMap = HashMap<u64, Entry, BuildHasherDefault<InodeHasher>>;

/// One socket owner: the pid and the `PID/NAME` text (already cut to 19 bytes).
#[derive(Clone, Copy, Debug)]
struct Entry {
    pid: u32,
    start: u32,
    len: u8,
}

/// inode → `PID/Program name`, as netstat's program cache.
#[derive(Debug, Default)]
pub struct ProgramMap {
    map: InodeMap,
    text: Vec<u8>,
    note: Option<ScanNote>,
}

/// The socket descriptors of one process (`/proc/PID/fd`), in directory order.
#[derive(Default)]
struct PidScan {
    inodes: Vec<u64>,
    /// opendir of the `fd` directory failed with EACCES.
    eacces: bool,
}

/// How many threads scan (the machines this runs on have at least two cores; more threads
/// than cores only add contention in the kernel's proc lookups).
const WORKERS: usize = 2;

impl ProgramMap {
    /// An empty map (sockets all print `-`).
    pub fn empty() -> ProgramMap {
        ProgramMap {
            note: Some(ScanNote::Complete),
            ..ProgramMap::default()
        }
    }

    /// Scans `proc_root` (netstat always uses `/proc`).
    ///
    /// The socket descriptors of every process come from the kernel's task-file iterator when
    /// it can run, else from `/proc/PID/fd`; either way they are merged in readdir (pid)
    /// order, reading each owning process's cmdline once, so the first process found for an
    /// inode wins exactly as in netstat.
    pub fn scan(proc_root: &Path, source: crate::owners::OwnerSource) -> ProgramMap {
        let mut map = ProgramMap::default();
        let Ok(root) = openat(
            CWD,
            proc_root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            map.note = Some(ScanNote::NothingRead);
            return map;
        };
        let kernel = source
            .try_iterator(proc_root, false)
            .then(by_kernel_iterator)
            .flatten();
        let results = kernel.unwrap_or_else(|| by_proc_scan(&root));
        map.map
            .reserve(results.iter().map(|r| r.1.inodes.len()).sum());
        let mut eacces = false;
        let mut found_any = false;
        let mut path = Vec::with_capacity(32);
        for (pid, r) in results {
            eacces |= r.eacces;
            if r.inodes.is_empty() {
                continue;
            }
            path.clear();
            push_dec(&mut path, pid);
            // netstat skips the descriptors when the cmdline cannot be read.
            let Some(name) = program_name(&root, &mut path) else {
                continue;
            };
            found_any = true;
            let start = map.text.len();
            push_dec(&mut map.text, pid);
            map.text.push(b'/');
            map.text.extend_from_slice(&name);
            map.text
                .truncate(start + (map.text.len() - start).min(PROGNAME_WIDTH - 1));
            let entry = Entry {
                pid,
                start: start as u32,
                len: (map.text.len() - start) as u8,
            };
            for ino in r.inodes {
                map.map.entry(ino).or_insert(entry);
            }
        }
        map.note = Some(match (eacces, found_any) {
            (false, _) => ScanNote::Complete,
            (true, true) => ScanNote::NotAll,
            (true, false) => ScanNote::NothingRead,
        });
        map
    }

    /// What netstat would print on stderr after the scan.
    pub fn note(&self) -> ScanNote {
        self.note.unwrap_or(ScanNote::Complete)
    }

    /// `PID/Program name` of an inode, `None` for netstat's `-`.
    pub fn label(&self, inode: u64) -> Option<&[u8]> {
        let e = self.map.get(&inode)?;
        let s = e.start as usize;
        self.text.get(s..s + e.len as usize)
    }

    /// The pid owning an inode.
    pub fn pid(&self, inode: u64) -> Option<u32> {
        self.map.get(&inode).map(|e| e.pid)
    }

    /// Number of socket inodes found.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The socket inodes of every process, in /proc's readdir order (ascending pids), from the
/// kernel's task-file iterator (see `crate::owners`; the caller checked that it applies).
/// None when it cannot run; the caller reads /proc then.
fn by_kernel_iterator() -> Option<Vec<(u32, PidScan)>> {
    let iter = sockscope_netlink::bpf::SocketFds::open().ok()?;
    let mut out: Vec<(u32, PidScan)> = Vec::new();
    iter.for_each(|s| {
        let pid = s.pid as u32;
        match out.last_mut() {
            Some((last, scan)) if *last == pid => scan.inodes.push(s.inode),
            _ => out.push((
                pid,
                PidScan {
                    inodes: vec![s.inode],
                    eacces: false,
                },
            )),
        }
    })
    .ok()?;
    Some(out)
}

/// The socket inodes of every process from `/proc/PID/fd`, in readdir order: the pid
/// directories are handed out one at a time to two threads (each reads a process's `fd`
/// directory and resolves its links), then put back in order.
fn by_proc_scan(root: &OwnedFd) -> Vec<(u32, PidScan)> {
    let mut pids: Vec<u32> = Vec::with_capacity(512);
    {
        let mut buf = [MaybeUninit::<u8>::uninit(); 16384];
        let mut dir = RawDir::new(root.as_fd(), &mut buf);
        while let Some(Ok(e)) = dir.next() {
            if let Some(pid) = parse_dec(e.file_name().to_bytes()) {
                pids.push(pid);
            }
        }
    }
    let next = AtomicUsize::new(0);
    let work = |out: &mut Vec<(usize, PidScan)>| {
        let mut dirbuf = vec![MaybeUninit::<u8>::uninit(); 32768];
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&pid) = pids.get(i) else { break };
            let r = scan_pid(root, pid, &mut dirbuf);
            if r.eacces || !r.inodes.is_empty() {
                out.push((i, r));
            }
        }
    };
    let mut results: Vec<(usize, PidScan)> = Vec::new();
    if pids.len() >= 2 {
        std::thread::scope(|s| {
            let handles: Vec<_> = (1..WORKERS)
                .map(|_| {
                    s.spawn(|| {
                        let mut v = Vec::new();
                        work(&mut v);
                        v
                    })
                })
                .collect();
            work(&mut results);
            for h in handles {
                results.extend(h.join().unwrap_or_default());
            }
        });
    } else {
        work(&mut results);
    }
    results.sort_unstable_by_key(|r| r.0);
    results
        .into_iter()
        .filter_map(|(i, r)| Some((*pids.get(i)?, r)))
        .collect()
}

/// The socket inodes of one process's descriptors, in directory order.
fn scan_pid(root: &OwnedFd, pid: u32, dirbuf: &mut [MaybeUninit<u8>]) -> PidScan {
    let mut r = PidScan::default();
    let mut path = [0u8; 16];
    let fd_dir = match openat(
        root,
        pid_fd_path(&mut path, pid),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(e) => {
            r.eacces = e == rustix::io::Errno::ACCESS;
            return r;
        }
    };
    let mut link = [0u8; 29];
    let mut dir = RawDir::new(fd_dir.as_fd(), dirbuf);
    while let Some(Ok(e)) = dir.next() {
        let name = e.file_name();
        // netstat skips names not starting with a digit ("." and "..").
        if !name.to_bytes().first().is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Ok(n) = readlinkat_raw(&fd_dir, name, &mut link[..]) else {
            continue;
        };
        if let Some(ino) = link.get(..n).and_then(socket_inode) {
            r.inodes.push(ino);
        }
    }
    r
}

/// `PID/fd` as a NUL-terminated path in `buf`.
fn pid_fd_path(buf: &mut [u8; 16], pid: u32) -> &std::ffi::CStr {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut v = pid;
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let n = digits.len() - i;
    buf[..n].copy_from_slice(&digits[i..]);
    buf[n..n + 3].copy_from_slice(b"/fd");
    buf[n + 3] = 0;
    // Digits, "/fd" and one NUL: this cannot fail.
    std::ffi::CStr::from_bytes_until_nul(&buf[..n + 4]).unwrap_or_default()
}

/// A decimal `/proc` entry name; `None` for anything else.
fn parse_dec(name: &[u8]) -> Option<u32> {
    if name.is_empty() || name.len() > 10 || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// The program name from `<pid dir>/cmdline` (`path` holds the pid).
fn program_name(root: &OwnedFd, path: &mut Vec<u8>) -> Option<Vec<u8>> {
    path.extend_from_slice(b"/cmdline");
    let fd = openat(
        root,
        &path[..],
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut file = std::fs::File::from(fd);
    let mut buf = [0u8; 511];
    let mut n = 0;
    // One read() in netstat; /proc returns the whole (short) cmdline at once.
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    }
    let word = &buf[..n];
    let word = &word[..memchr::memchr(0, word).unwrap_or(word.len())];
    let name = if word.first() == Some(&b'/') {
        match memchr::memrchr(b'/', word) {
            Some(i) => &word[i + 1..],
            None => word,
        }
    } else {
        word
    };
    Some(name.to_vec())
}

/// Appends the decimal text of `v`.
fn push_dec(out: &mut Vec<u8>, v: u32) {
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    let mut v = v;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

/// The inode of a `socket:[N]` or `[0000]:N` link (netstat's extract_type_1/2_socket_inode).
pub fn socket_inode(link: &[u8]) -> Option<u64> {
    let digits = if let Some(rest) = link.strip_prefix(b"socket:[") {
        if link.len() < 11 {
            return None;
        }
        rest.strip_suffix(b"]")?
    } else {
        link.strip_prefix(b"[0000]:")?
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (v != u64::MAX).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As root (CI) the kernel iterator finds the same socket inodes for this process as the
    /// /proc scan, in the same order.
    #[test]
    fn iterator_equals_proc_scan() {
        if !rustix::process::geteuid().is_root() || !Path::new("/sys/kernel/btf/vmlinux").exists() {
            return;
        }
        let held: Vec<_> = (0..5)
            .map(|_| std::os::unix::net::UnixDatagram::pair().unwrap())
            .collect();
        let me = std::process::id();
        // Only the inodes held here: other tests of this binary open sockets concurrently.
        let ours: Vec<u64> = held
            .iter()
            .flat_map(|(a, b)| [rustix::fs::fstat(a), rustix::fs::fstat(b)])
            .map(|st| st.unwrap().st_ino)
            .collect();
        let mine = |v: Vec<(u32, PidScan)>| -> Vec<u64> {
            v.into_iter()
                .filter(|(pid, _)| *pid == me)
                .flat_map(|(_, r)| r.inodes)
                .filter(|i| ours.contains(i))
                .collect()
        };
        let root = openat(
            CWD,
            "/proc",
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
        let iterated = mine(by_kernel_iterator().expect("iterator as root"));
        let scanned = mine(by_proc_scan(&root));
        assert_eq!(scanned.len(), 10, "{scanned:?}");
        assert_eq!(iterated, scanned);
        drop(held);
    }

    #[test]
    fn link_forms() {
        assert_eq!(socket_inode(b"socket:[12345]"), Some(12345));
        assert_eq!(socket_inode(b"[0000]:678"), Some(678));
        assert_eq!(socket_inode(b"socket:[]"), None);
        // strlen < strlen("socket:[") + 3: netstat rejects one-digit inodes.
        assert_eq!(socket_inode(b"socket:[1]"), None);
        assert_eq!(socket_inode(b"socket:[12]"), Some(12));
        assert_eq!(socket_inode(b"socket:[12"), None);
        assert_eq!(socket_inode(b"pipe:[12]"), None);
        assert_eq!(socket_inode(b"anon_inode:[eventfd]"), None);
    }

    #[test]
    fn fake_proc_first_process_wins_and_names_are_cut() {
        let root = std::env::temp_dir().join(format!("sockscope-nsprg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let procs: &[(u32, &[u8], &[u64])] = &[
            (10, b"/usr/bin/python3\0-c\0x", &[100, 101]),
            (20, b"a-very-long-program-name-indeed\0", &[100, 102]),
            (30, b"", &[103]),
        ];
        for (pid, cmd, inodes) in procs {
            let d = root.join(pid.to_string());
            std::fs::create_dir_all(d.join("fd")).unwrap();
            std::fs::write(d.join("cmdline"), cmd).unwrap();
            for (i, ino) in inodes.iter().enumerate() {
                std::os::unix::fs::symlink(
                    format!("socket:[{ino}]"),
                    d.join("fd").join((i + 3).to_string()),
                )
                .unwrap();
            }
            std::os::unix::fs::symlink("/dev/null", d.join("fd").join("0")).unwrap();
        }
        std::fs::create_dir_all(root.join("self")).unwrap();
        let m = ProgramMap::scan(&root, crate::owners::OwnerSource::Proc);
        assert_eq!(m.len(), 4);
        // Readdir order on a plain filesystem is not guaranteed; accept either owner of 100
        // but require consistency with pid().
        let l100 = m.label(100).unwrap().to_vec();
        assert!(l100 == b"10/python3" || l100 == b"20/a-very-long-prog");
        assert_eq!(m.label(101), Some(&b"10/python3"[..]));
        assert_eq!(m.label(102), Some(&b"20/a-very-long-prog"[..]));
        assert_eq!(m.label(102).unwrap().len(), 19);
        assert_eq!(m.label(103), Some(&b"30/"[..]));
        assert_eq!(m.pid(101), Some(10));
        assert_eq!(m.label(999), None);
        assert_eq!(m.note(), ScanNote::Complete);
        std::fs::remove_dir_all(&root).unwrap();
        let none = ProgramMap::scan(&root, crate::owners::OwnerSource::Proc);
        assert_eq!(none.note(), ScanNote::NothingRead);
    }
}
