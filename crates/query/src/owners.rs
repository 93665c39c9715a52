//! Socket owners for `-p`/`-T`: which processes (and threads) hold a descriptor to each socket
//! inode, found by one pass over `<proc>/PID/fd/*` links (`socket:[INODE]`), as ss 6.1's
//! `user_ent_hash_build` does.
//!
//! ss prints the owners of one inode newest-first (its hash buckets are prepended to), so the
//! map keeps entries in discovery order and chains the entries of one inode newest-first
//! behind an open-addressing hash index over the inodes (built in one pass, no sort).
//! Processes or descriptors that vanish mid-scan and directories that cannot be read are
//! skipped silently, like ss.
//!
//! The map also answers the filter's `pid` and `comm` conditions ([`OwnerLookup`]).
//!
//! Speed: the scan walks directory descriptors (`openat`, `getdents64` into one reused buffer,
//! `readlinkat` into a stack buffer: no allocation per descriptor; on procfs the descriptors
//! are probed by number instead of listed, see `Worker::scan_task`) and splits the processes
//! over one worker per core; discovery order is kept by numbering entries (process index,
//! descriptor index) so the result equals a sequential scan.

use std::ffi::CStr;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustix::fs::{openat, readlinkat_raw, Mode, OFlags, RawDir, CWD};

use crate::filter::OwnerLookup;

/// One descriptor that refers to a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub inode: u32,
    pub pid: i32,
    /// The thread whose fd table was read (equals `pid` for the process itself).
    pub tid: i32,
    pub fd: i32,
    /// Range of the process (or thread) name in [`OwnerMap::names`].
    name_start: u32,
    name_len: u32,
    /// Discovery order: (process index in the listing) << 32 | (number within the process).
    seq: u64,
}

/// All socket owners of the machine (as seen from the given /proc), indexed for lookup.
#[derive(Debug, Default)]
pub struct OwnerMap {
    /// In discovery order.
    entries: Vec<Owner>,
    names: Vec<u8>,
    /// Open-addressing index: slot → (inode, index of its newest entry + 1; 0 = empty slot).
    /// A binary search over 100,000 entries costs ~17 cache misses per socket; this costs ~1.
    index: Vec<(u32, u32)>,
    /// Per entry: the next older entry of the same inode + 1 (0 = none). Sockets with more
    /// than one owner are rare, so a lookup usually ends at its first entry.
    older: Vec<u32>,
}

/// The owners of one inode, newest first ([`OwnerMap::owners`]).
#[derive(Clone)]
pub struct Owners<'m> {
    entries: &'m [Owner],
    older: &'m [u32],
    /// The next entry + 1 (0 = done).
    at: u32,
}

impl<'m> Iterator for Owners<'m> {
    type Item = &'m Owner;
    fn next(&mut self) -> Option<&'m Owner> {
        let i = self.at.checked_sub(1)? as usize;
        self.at = self.older.get(i).copied().unwrap_or(0);
        self.entries.get(i)
    }
}

/// What one worker found: entries and the names they point into.
#[derive(Default)]
struct Found {
    entries: Vec<Owner>,
    names: Vec<u8>,
}

const DIR_BUFFER: usize = 32 * 1024;

/// Where socket owners come from (the cli takes it from `SOCKSCOPE_OWNERS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OwnerSource {
    /// The kernel's task-file iterator when it can run and the machine has enough open files
    /// for it to pay off, else /proc. Its fixed cost (about 2-3 ms to read the kernel's BTF
    /// and load the program) is more than a /proc scan of a small machine takes; measured
    /// here, the two meet near 1,500 open files.
    #[default]
    Auto,
    /// The iterator whenever it can run (root, BTF, the initial pid namespace, the live /proc,
    /// no `-T`).
    Kernel,
    /// /proc only, as ss.
    Proc,
}

/// Open files (system-wide, `/proc/sys/fs/file-nr`) from which [`OwnerSource::Auto`] uses the
/// iterator.
const ITERATOR_MIN_FILES: u64 = 2048;

impl OwnerSource {
    /// `auto`, `kernel` or `proc`.
    pub fn parse(text: &str) -> Option<OwnerSource> {
        match text {
            "auto" => Some(OwnerSource::Auto),
            "kernel" => Some(OwnerSource::Kernel),
            "proc" => Some(OwnerSource::Proc),
            _ => None,
        }
    }

    /// Whether to try the iterator for a scan of `proc_root` (`threads`: `-T`).
    pub(crate) fn try_iterator(self, proc_root: &Path, threads: bool) -> bool {
        let worth = match self {
            OwnerSource::Proc => false,
            OwnerSource::Kernel => true,
            OwnerSource::Auto => open_files().is_none_or(|n| n >= ITERATOR_MIN_FILES),
        };
        worth && !threads && is_live_init_proc(proc_root)
    }
}

/// The number of allocated file handles of the machine (first field of `file-nr`).
fn open_files() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/sys/fs/file-nr").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl OwnerMap {
    /// Scans `proc_root` (ss: `$PROC_ROOT` or `/proc/`), or asks the kernel's iterator when
    /// `source` says so. With `threads`, every task other than the main thread is scanned
    /// too, under its own name (`-T`).
    pub fn scan(proc_root: &Path, threads: bool, source: OwnerSource) -> OwnerMap {
        if source.try_iterator(proc_root, threads) {
            if let Some(map) = Self::from_task_file_iterator() {
                return map;
            }
        }
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        Self::scan_with(proc_root, threads, workers)
    }

    /// [`OwnerMap::scan`] with an explicit number of worker threads (at least one).
    pub fn scan_with(proc_root: &Path, threads: bool, workers: usize) -> OwnerMap {
        Self::scan_inner(proc_root, threads, workers, true)
    }

    /// The scan; `counts`: probe descriptors by number when procfs gives their count.
    fn scan_inner(proc_root: &Path, threads: bool, workers: usize, counts: bool) -> OwnerMap {
        let Ok(root) = openat(
            CWD,
            proc_root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return OwnerMap::default();
        };
        // Descriptor counts from `stat` are a procfs feature (see `scan_task`).
        let procfs = counts
            && rustix::fs::fstatfs(&root).is_ok_and(|f| f.f_type == rustix::fs::PROC_SUPER_MAGIC);
        // The process list, in readdir order (the order ss discovers them in).
        let mut pids: Vec<i32> = Vec::new();
        let mut buf = vec![MaybeUninit::<u8>::uninit(); DIR_BUFFER];
        let mut dir = RawDir::new(root.as_fd(), &mut buf);
        while let Some(Ok(entry)) = dir.next() {
            if let Some(pid) = leading_int(entry.file_name().to_bytes()) {
                pids.push(pid);
            }
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut w = Worker {
                root: &root,
                procfs,
                buf: vec![MaybeUninit::<u8>::uninit(); DIR_BUFFER],
                found: Found::default(),
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&pid) = pids.get(i) else { break };
                w.scan_process(pid, i as u64, threads);
            }
            w.found
        };
        let parts: Vec<Found> = if workers <= 1 {
            vec![work()]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (1..workers).map(|_| s.spawn(work)).collect();
                let mut parts = vec![work()];
                parts.extend(handles.into_iter().filter_map(|h| h.join().ok()));
                parts
            })
        };
        // One vector for all: the first worker's, grown once (no copy of the others' into a
        // third vector, no conversion afterwards).
        let total: usize = parts.iter().map(|p| p.entries.len()).sum();
        let mut parts = parts.into_iter();
        let mut map = OwnerMap::default();
        if let Some(first) = parts.next() {
            map.entries = first.entries;
            map.names = first.names;
        }
        map.entries.reserve_exact(total - map.entries.len());
        for part in parts {
            let base = map.names.len() as u32;
            map.names.extend_from_slice(&part.names);
            map.entries.extend(part.entries.into_iter().map(|mut o| {
                o.name_start += base;
                o
            }));
        }
        map.index();
        map
    }

    /// The same map from the kernel's task-file iterator (see `sockscope_netlink::bpf`): one
    /// program walks every descriptor table instead of a `readlinkat` per descriptor. None when
    /// it cannot run (not root, no BTF, ...); the caller scans /proc then.
    fn from_task_file_iterator() -> Option<OwnerMap> {
        let iter = sockscope_netlink::bpf::SocketFds::open().ok()?;
        let mut map = OwnerMap::default();
        let mut last_pid = None;
        let mut name = (0u32, 0u32);
        let mut seq = 0u64;
        let walked = iter.for_each(|s| {
            let Ok(inode) = u32::try_from(s.inode) else {
                return;
            };
            if last_pid != Some(s.pid) {
                last_pid = Some(s.pid);
                // ss takes the name from /proc/PID/stat, which ends it at the first ')'.
                let comm = s.name();
                let comm = &comm[..comm.iter().position(|&b| b == b')').unwrap_or(comm.len())];
                name = (map.names.len() as u32, comm.len() as u32);
                map.names.extend_from_slice(comm);
            }
            seq += 1;
            map.entries.push(Owner {
                inode,
                pid: s.pid,
                tid: s.pid,
                fd: s.fd,
                name_start: name.0,
                name_len: name.1,
                seq,
            });
        });
        walked.ok()?;
        map.index();
        Some(map)
    }

    /// Builds the lookup index: entries in discovery order (the /proc scan's workers found
    /// theirs interleaved), each inode's chain newest first, as ss prepends to its hash chains.
    /// One pass of independent probes instead of sorting 100,000 entries by inode, which took
    /// 6-12 ms of the owner thread here.
    fn index(&mut self) {
        if !self.entries.is_sorted_by_key(|o| o.seq) {
            self.entries.sort_unstable_by_key(|o| o.seq);
        }
        let slots = (self.entries.len() * 2).next_power_of_two().max(16);
        // Written before it is read: `vec![]` of zeros would map the shared zero page on the
        // first (reading) probe of each page and copy it on the first write, and every such
        // copy flushes the TLBs of the other cores running this process (an IPI): ~25 ms for a
        // 2 MiB index on this 2-core VM. Writing first faults in fresh pages, no flush.
        let mut index = Vec::with_capacity(slots);
        index.resize(slots, (0u32, 0u32));
        let mut older = Vec::with_capacity(self.entries.len());
        let mask = slots - 1;
        for (i, o) in self.entries.iter().enumerate() {
            let mut slot = slot_of(o.inode, mask);
            let newest = loop {
                let (key, head) = &mut index[slot];
                if *head == 0 {
                    *key = o.inode;
                    break head;
                }
                if *key == o.inode {
                    break head;
                }
                slot = (slot + 1) & mask;
            };
            older.push(*newest);
            *newest = i as u32 + 1;
        }
        self.index = index;
        self.older = older;
    }

    /// The owners of `inode`, newest first (none for inode 0 or an unknown inode).
    pub fn owners(&self, inode: u32) -> Owners<'_> {
        Owners {
            entries: &self.entries,
            older: &self.older,
            at: self.newest(inode),
        }
    }

    /// The index + 1 of `inode`'s newest entry (0: none).
    fn newest(&self, inode: u32) -> u32 {
        if inode == 0 || self.index.is_empty() {
            return 0;
        }
        let mask = self.index.len() - 1;
        let mut slot = slot_of(inode, mask);
        loop {
            let (key, head) = self.index[slot];
            if head == 0 || key == inode {
                return head;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Touches the index slots and newest entries of `inodes` in one tight loop, so that their
    /// cache misses are in flight together; the [`OwnerMap::owners`] calls that follow then
    /// hit the cache. (Lookups come in the kernel's hash order, which is random against this
    /// table: one by one, each costs two dependent misses.)
    pub fn warm(&self, inodes: &[u32]) {
        if self.index.is_empty() {
            return;
        }
        let mask = self.index.len() - 1;
        let mut sum = 0u32;
        for &inode in inodes {
            let (key, head) = self.index[slot_of(inode, mask)];
            if key == inode && head != 0 {
                sum = sum.wrapping_add(self.entries[head as usize - 1].pid as u32);
            }
        }
        std::hint::black_box(sum);
    }

    /// The name of an owner's process (or thread).
    pub fn name(&self, o: &Owner) -> &[u8] {
        let s = o.name_start as usize;
        self.names
            .get(s..s + o.name_len as usize)
            .unwrap_or_default()
    }

    /// Number of socket descriptors found.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl OwnerLookup for OwnerMap {
    fn any_owner(&self, inode: u32, pred: &mut dyn FnMut(i32, &[u8]) -> bool) -> bool {
        self.owners(inode).any(|o| pred(o.pid, self.name(o)))
    }
}

/// One scanning thread: its directory buffer and what it found.
struct Worker<'r> {
    root: &'r OwnedFd,
    /// `root` is a procfs mount (descriptor counts, see [`Worker::scan_task`]).
    procfs: bool,
    buf: Vec<MaybeUninit<u8>>,
    found: Found,
}

impl Worker<'_> {
    /// Scans one process (and with `threads` its other tasks): `<root>/PID/fd`, then for each
    /// task `<root>/TID/fd`, as ss does. `index` is the process's position in the listing.
    fn scan_process(&mut self, pid: i32, index: u64, threads: bool) {
        let mut counter: u64 = 0;
        self.scan_task(pid, pid, index, &mut counter);
        if !threads {
            return;
        }
        let mut path = itoa::Buffer::new().format(pid).as_bytes().to_vec();
        path.extend_from_slice(b"/task");
        let Ok(tasks) = openat(
            self.root,
            path.as_slice(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return;
        };
        let mut tids = Vec::new();
        let mut dir = RawDir::new(tasks.as_fd(), &mut self.buf);
        while let Some(Ok(entry)) = dir.next() {
            if let Some(tid) = leading_int(entry.file_name().to_bytes()) {
                if tid != pid {
                    tids.push(tid);
                }
            }
        }
        for tid in tids {
            self.scan_task(pid, tid, index, &mut counter);
        }
    }

    /// Reads `<root>/TID/fd/*` links; the name comes from `<root>/TID/stat` on the first
    /// socket.
    ///
    /// On procfs since Linux 6.2 `stat` of a `fd` directory gives the number of open
    /// descriptors (`proc_fd_getattr`). With it the descriptors are probed in ascending order
    /// (`readlinkat` of 0, 1, 2, ...) until that many were found, which spares listing them:
    /// `getdents64` on `fd/` looks up (or builds) a dentry per descriptor (`proc_fill_cache`),
    /// which costs about as much kernel time as the `readlinkat` calls themselves. The
    /// descriptors above the last one probed are then listed (a seek skips the probed ones),
    /// which also catches a sparse table (more misses than a small budget), a count made stale
    /// by descriptors opened meanwhile, and kernels before 6.2 (count 0: everything is
    /// listed). The listing is in ascending order too (`proc_readfd_common`), so the result is
    /// the same.
    fn scan_task(&mut self, pid: i32, tid: i32, index: u64, counter: &mut u64) {
        let mut num = itoa::Buffer::new();
        let tid_text = num.format(tid);
        let mut path = [0u8; 32];
        let fd_dir_path = join(&mut path, tid_text.as_bytes(), b"/fd");
        let Ok(fd_dir) = openat(
            self.root,
            fd_dir_path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return;
        };
        let mut task = Task {
            root: self.root,
            tid_text: tid_text.as_bytes(),
            pid,
            tid,
            index,
            name: None,
        };
        let count = if self.procfs {
            rustix::fs::fstat(&fd_dir).map_or(0, |st| u64::try_from(st.st_size).unwrap_or(0))
        } else {
            0
        };
        // The first descriptor the listing still has to look at.
        let mut next_fd: i32 = 0;
        if count > 0 {
            let budget = 16 + count / 16;
            let (mut hits, mut misses) = (0u64, 0u64);
            let mut name = [0u8; 16];
            while hits < count && misses <= budget {
                let fd_name = fd_cstr(&mut name, next_fd);
                let mut link = [MaybeUninit::<u8>::uninit(); 64];
                match readlinkat_raw(&fd_dir, fd_name, &mut link) {
                    Ok((target, _)) => {
                        hits += 1;
                        task.record(next_fd, target, counter, &mut self.found);
                    }
                    Err(_) => misses += 1,
                }
                next_fd += 1;
            }
            // The count is a snapshot: descriptors opened after it (a busy server accepts
            // all the time) can fill the low numbers and end the probing before a higher,
            // long-standing descriptor was reached. So the rest is always listed, from
            // `next_fd` on: procfs positions `fd/` listings at descriptor number + 2, so the
            // listing reads only the tail, usually empty. (Should the seek fail, the listing
            // starts at the top and skips what was probed.)
            let _ = rustix::fs::seek(&fd_dir, rustix::fs::SeekFrom::Start(next_fd as u64 + 2));
        }
        let mut dir = RawDir::new(fd_dir.as_fd(), &mut self.buf);
        while let Some(Ok(entry)) = dir.next() {
            let fd_name: &CStr = entry.file_name();
            let Some(fd) = leading_int(fd_name.to_bytes()) else {
                continue;
            };
            if fd < next_fd {
                continue;
            }
            // ss reads links into a 64-byte buffer; `socket:[4294967295]` fits easily.
            let mut link = [MaybeUninit::<u8>::uninit(); 64];
            let Ok((target, _)) = readlinkat_raw(&fd_dir, fd_name, &mut link) else {
                continue;
            };
            task.record(fd, target, counter, &mut self.found);
        }
    }
}

/// The task whose descriptors are being read.
struct Task<'a> {
    root: &'a OwnedFd,
    tid_text: &'a [u8],
    pid: i32,
    tid: i32,
    index: u64,
    /// Its name in `found.names`, read on its first socket (as ss does).
    name: Option<(u32, u32)>,
}

impl Task<'_> {
    /// One descriptor's link target: kept when it is a socket.
    fn record(&mut self, fd: i32, target: &[u8], counter: &mut u64, found: &mut Found) {
        let Some(inode) = socket_inode(target) else {
            return;
        };
        let (root, tid_text) = (self.root, self.tid_text);
        let (name_start, name_len) = *self
            .name
            .get_or_insert_with(|| read_name(root, tid_text, &mut found.names));
        *counter += 1;
        found.entries.push(Owner {
            inode,
            pid: self.pid,
            tid: self.tid,
            fd,
            name_start,
            name_len,
            seq: (self.index << 32) | *counter,
        });
    }
}

/// Whether `proc_root` is the live /proc of the initial pid namespace, whose pids are the
/// kernel's global ones (the task-file iterator reports those). The initial namespace's inode
/// number is fixed (`PROC_PID_INIT_INO`).
fn is_live_init_proc(proc_root: &Path) -> bool {
    let live = proc_root == Path::new("/proc/") || proc_root == Path::new("/proc");
    live && std::fs::read_link("/proc/self/ns/pid")
        .is_ok_and(|l| l.as_os_str() == "pid:[4026531836]")
}

/// `fd` as a NUL-terminated decimal name in `buf`.
fn fd_cstr(buf: &mut [u8; 16], fd: i32) -> &CStr {
    let mut n = itoa::Buffer::new();
    let text = n.format(fd).as_bytes();
    let len = text.len().min(buf.len() - 1);
    buf[..len].copy_from_slice(&text[..len]);
    buf[len] = 0;
    CStr::from_bytes_with_nul(&buf[..=len]).unwrap_or_default()
}

/// `a` + `b` as a path in `buf` (both are short: a decimal id and a fixed suffix).
fn join<'a>(buf: &'a mut [u8; 32], a: &[u8], b: &[u8]) -> &'a [u8] {
    let n = (a.len() + b.len()).min(buf.len());
    let al = a.len().min(n);
    buf[..al].copy_from_slice(&a[..al]);
    buf[al..n].copy_from_slice(&b[..n - al]);
    &buf[..n]
}

/// The `comm` from `<root>/TID/stat`: the text after the first `(` up to the next `)`.
/// Returns its range in `names` (empty when unreadable).
fn read_name(root: &OwnedFd, tid: &[u8], names: &mut Vec<u8>) -> (u32, u32) {
    use std::io::Read;
    let start = names.len() as u32;
    let mut path = [0u8; 32];
    let stat_path = join(&mut path, tid, b"/stat");
    if let Ok(fd) = openat(
        root,
        stat_path,
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        let mut head = [0u8; 128];
        let mut file = std::fs::File::from(fd);
        if let Ok(n) = file.read(&mut head) {
            let stat = &head[..n];
            if let Some(open) = stat.iter().position(|&b| b == b'(') {
                let rest = &stat[open + 1..];
                let end = rest.iter().position(|&b| b == b')').unwrap_or(rest.len());
                names.extend_from_slice(&rest[..end]);
            }
        }
    }
    (start, names.len() as u32 - start)
}

/// Multiplicative hashing: socket inodes are dense, so spread them over the table.
fn slot_of(inode: u32, mask: usize) -> usize {
    (inode.wrapping_mul(0x9E37_79B1) as usize) & mask
}

/// `sscanf(name, "%d%*c", &n) == 1`: a leading decimal number (ss's test for pid/fd names).
fn leading_int(name: &[u8]) -> Option<i32> {
    let digits = name.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    std::str::from_utf8(&name[..digits]).ok()?.parse().ok()
}

/// The inode of a `socket:[INODE]` link target.
fn socket_inode(link: &[u8]) -> Option<u32> {
    let rest = link.strip_prefix(b"socket:[")?;
    let end = rest.iter().position(|&b| b == b']')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn parses_link_targets_and_names() {
        assert_eq!(socket_inode(b"socket:[12345]"), Some(12345));
        assert_eq!(socket_inode(b"pipe:[12345]"), None);
        assert_eq!(socket_inode(b"socket:[12"), None);
        assert_eq!(leading_int(b"123"), Some(123));
        assert_eq!(leading_int(b"self"), None);
        assert_eq!(leading_int(b"12x"), Some(12));
    }

    /// On the real /proc, probing descriptors by number finds what the listing finds, in the
    /// same order, also past a hole in the table (a descriptor at 900 here).
    /// As root (CI), the task-file iterator gives the same owners as the /proc scan, in the
    /// same order, and leaves out an O_PATH descriptor of a socket file on disk (its link
    /// names the path; ss skips it).
    #[test]
    fn iterator_equals_proc_scan() {
        use std::os::unix::net::{UnixDatagram, UnixListener};
        if !rustix::process::geteuid().is_root() || !Path::new("/sys/kernel/btf/vmlinux").exists() {
            return;
        }
        let (a, b) = UnixDatagram::pair().unwrap();
        let high = rustix::io::fcntl_dupfd_cloexec(&a, 901).unwrap();
        let dir = std::env::temp_dir().join(format!("sockscope-owners-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s");
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path).unwrap();
        let on_disk = openat(CWD, &path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()).unwrap();
        let ino = |fd: &dyn AsFd| rustix::fs::fstat(fd).unwrap().st_ino as u32;
        let me = std::process::id() as i32;
        let mine = |m: &OwnerMap, inode: u32| -> Vec<(i32, i32, Vec<u8>)> {
            m.owners(inode)
                .filter(|o| o.pid == me)
                .map(|o| (o.pid, o.fd, m.name(o).to_vec()))
                .collect()
        };
        let iterated = OwnerMap::from_task_file_iterator().expect("iterator as root");
        let scanned = OwnerMap::scan_with(Path::new("/proc/"), false, 1);
        for inode in [ino(&a), ino(&b), ino(&listener)] {
            assert!(!mine(&scanned, inode).is_empty());
            assert_eq!(
                mine(&iterated, inode),
                mine(&scanned, inode),
                "inode {inode}"
            );
        }
        assert_eq!(mine(&iterated, ino(&a))[0].1, 901, "newest first");
        let path_fd = rustix::fd::AsRawFd::as_raw_fd(&on_disk);
        assert!(
            !iterated
                .entries
                .iter()
                .any(|o| o.pid == me && o.fd == path_fd),
            "O_PATH descriptor reported as a socket"
        );
        drop((high, on_disk, listener));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn probing_equals_listing_on_proc() {
        use std::os::fd::AsRawFd;
        use std::os::unix::net::UnixDatagram;
        let (a, b) = UnixDatagram::pair().unwrap();
        // Far above `a` (other tests of this process open sockets meanwhile, so neither
        // number is fixed): the copy is the newest descriptor of the inode.
        let high = rustix::io::fcntl_dupfd_cloexec(&a, a.as_raw_fd() + 900).unwrap();
        let high_fd = high.as_raw_fd();
        let ino = |fd: &dyn AsFd| rustix::fs::fstat(fd).unwrap().st_ino as u32;
        let (ia, ib) = (ino(&a), ino(&b));
        let me = std::process::id() as i32;
        let root = Path::new("/proc/");
        let mine = |m: &OwnerMap, inode: u32| -> Vec<(i32, i32, i32, Vec<u8>)> {
            m.owners(inode)
                .filter(|o| o.pid == me)
                .map(|o| (o.pid, o.tid, o.fd, m.name(o).to_vec()))
                .collect()
        };
        for threads in [false, true] {
            let probed = OwnerMap::scan_inner(root, threads, 1, true);
            let listed = OwnerMap::scan_inner(root, threads, 1, false);
            // Compared for the main thread: other test threads of this process start and end
            // between the two scans, so with `threads` their tasks come and go.
            let main_thread = |v: Vec<(i32, i32, i32, Vec<u8>)>| -> Vec<_> {
                v.into_iter().filter(|o| o.1 == me).collect()
            };
            for inode in [ia, ib] {
                assert_eq!(
                    main_thread(mine(&probed, inode)),
                    main_thread(mine(&listed, inode)),
                    "inode {inode}"
                );
            }
            // The main thread's: another test thread that is ending can show a partial list.
            let fds: Vec<i32> = main_thread(mine(&probed, ia)).iter().map(|o| o.2).collect();
            assert!(fds.contains(&high_fd), "{fds:?}");
            assert_eq!(fds[0], high_fd, "newest (highest fd) first: {fds:?}");
            assert!(mine(&probed, ia).iter().all(|o| o.0 == me));
            if threads {
                assert!(mine(&probed, ia).iter().any(|o| o.1 == me));
            }
        }
        drop(high);
    }

    /// Entries in any order (the /proc workers interleave theirs) are looked up in discovery
    /// order reversed per inode, also for inodes whose slots collide and for a table of one.
    #[test]
    fn index_chains_each_inode_newest_first() {
        let owner = |inode: u32, fd: i32, seq: u64| Owner {
            inode,
            pid: 1,
            tid: 1,
            fd,
            name_start: 0,
            name_len: 0,
            seq,
        };
        let mut map = OwnerMap::default();
        // 16 slots for 6 entries; three inodes whose slots collide (`slot_of` is a
        // multiplicative hash: found, not assumed).
        let mask = 15;
        let mut same_slot = (1..10_000u32).filter(|&i| slot_of(i, mask) == slot_of(5, mask));
        let (a, b, c) = (
            same_slot.next().unwrap(),
            same_slot.next().unwrap(),
            same_slot.next().unwrap(),
        );
        map.entries = vec![
            owner(b, 7, 6),
            owner(a, 1, 1),
            owner(c, 9, 4),
            owner(a, 2, 3),
            owner(b, 6, 2),
            owner(a, 3, 5),
        ];
        map.index();
        assert_eq!(map.index.len(), 16);
        let fds = |inode| map.owners(inode).map(|o| o.fd).collect::<Vec<_>>();
        assert_eq!(fds(a), [3, 2, 1]);
        assert_eq!(fds(b), [7, 6]);
        assert_eq!(fds(c), [9]);
        let unknown = (1..10_000u32).find(|i| ![a, b, c].contains(i)).unwrap();
        assert!(fds(unknown).is_empty());
        assert!(fds(0).is_empty());
        let seqs: Vec<u64> = map.entries.iter().map(|o| o.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);

        let mut one = OwnerMap {
            entries: vec![owner(42, 3, 1)],
            ..OwnerMap::default()
        };
        one.index();
        assert_eq!(one.owners(42).map(|o| o.fd).collect::<Vec<_>>(), [3]);
        assert_eq!(OwnerMap::default().owners(42).count(), 0);
    }

    #[test]
    fn scan_of_a_fake_proc_orders_newest_first() {
        let root = std::env::temp_dir().join(format!("sockscope-owners-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (pid, name, fds) in [
            (10, "a b", &[(3, 77u32), (4, 78)][..]),
            (20, "x)y", &[(5, 77)][..]),
        ] {
            let fd_dir = root.join(pid.to_string()).join("fd");
            fs::create_dir_all(&fd_dir).unwrap();
            fs::write(
                root.join(pid.to_string()).join("stat"),
                format!("{pid} ({name}) S 1"),
            )
            .unwrap();
            for (fd, ino) in fds {
                std::os::unix::fs::symlink(format!("socket:[{ino}]"), fd_dir.join(fd.to_string()))
                    .unwrap();
            }
            std::os::unix::fs::symlink("/dev/null", fd_dir.join("9")).unwrap();
        }
        fs::create_dir_all(root.join("self")).unwrap();
        let map = OwnerMap::scan_with(&root, false, 1);
        let parallel = OwnerMap::scan_with(&root, false, 3);
        assert_eq!(parallel.entries, map.entries);
        assert_eq!(map.len(), 3);
        let o: Vec<&Owner> = map.owners(77).collect();
        assert_eq!(o.len(), 2);
        // read_dir order is not guaranteed on every filesystem; whichever came last is first.
        assert!(o[0].pid != o[1].pid);
        let names: Vec<&[u8]> = o.iter().map(|x| map.name(x)).collect();
        assert!(names.contains(&&b"a b"[..]) && names.contains(&&b"x"[..]));
        let o: Vec<i32> = map.owners(78).map(|o| o.fd).collect();
        assert_eq!(o, [4]);
        assert_eq!(map.owners(0).count(), 0);
        assert_eq!(map.owners(99).count(), 0);
        fs::remove_dir_all(&root).unwrap();
    }
}
