//! Socket owners for `-p`/`-T`: which processes (and threads) hold a descriptor to each socket
//! inode, found by one pass over `<proc>/PID/fd/*` links (`socket:[INODE]`), as ss 6.1's
//! `user_ent_hash_build` does.
//!
//! ss prints the owners of one inode newest-first (its hash buckets are prepended to), so the
//! map keeps entries sorted by inode and, within one inode, by reverse discovery order; lookups
//! are a binary search. Processes or descriptors that vanish mid-scan and directories that
//! cannot be read are skipped silently, like ss.

use std::fs;
use std::path::{Path, PathBuf};

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
}

/// All socket owners of the machine (as seen from the given /proc), sorted for lookup.
#[derive(Debug, Default)]
pub struct OwnerMap {
    entries: Vec<Owner>,
    names: Vec<u8>,
}

impl OwnerMap {
    /// Scans `proc_root` (ss: `$PROC_ROOT` or `/proc/`). With `threads`, every task other than
    /// the main thread is scanned too, under its own name (`-T`).
    pub fn scan(proc_root: &Path, threads: bool) -> OwnerMap {
        let mut map = OwnerMap::default();
        let mut seq: Vec<(Owner, u32)> = Vec::new();
        let Ok(dir) = fs::read_dir(proc_root) else {
            return map;
        };
        let mut path = PathBuf::from(proc_root);
        for entry in dir.flatten() {
            let Some(pid) = leading_int(entry.file_name().as_encoded_bytes()) else {
                continue;
            };
            path.push(entry.file_name());
            map.scan_task(&path, pid, pid, &mut seq);
            if threads {
                path.push("task");
                if let Ok(tasks) = fs::read_dir(&path) {
                    for task in tasks.flatten() {
                        let Some(tid) = leading_int(task.file_name().as_encoded_bytes()) else {
                            continue;
                        };
                        if tid == pid {
                            continue;
                        }
                        // ss reads `<proc>/TID/fd` and `<proc>/TID/stat` for threads.
                        let mut tpath = PathBuf::from(proc_root);
                        tpath.push(task.file_name());
                        map.scan_task(&tpath, pid, tid, &mut seq);
                    }
                }
                path.pop();
            }
            path.pop();
        }
        // Within one inode, newest first (ss prepends to its hash chains).
        seq.sort_unstable_by(|a, b| a.0.inode.cmp(&b.0.inode).then(b.1.cmp(&a.1)));
        map.entries = seq.into_iter().map(|(o, _)| o).collect();
        map
    }

    fn scan_task(&mut self, dir: &Path, pid: i32, tid: i32, seq: &mut Vec<(Owner, u32)>) {
        let Ok(fds) = fs::read_dir(dir.join("fd")) else {
            return;
        };
        let mut name: Option<(u32, u32)> = None;
        let mut fd_path = dir.join("fd");
        for fd_entry in fds.flatten() {
            let Some(fd) = leading_int(fd_entry.file_name().as_encoded_bytes()) else {
                continue;
            };
            fd_path.push(fd_entry.file_name());
            let link = fs::read_link(&fd_path);
            fd_path.pop();
            let Ok(link) = link else { continue };
            let Some(inode) = socket_inode(link.as_os_str().as_encoded_bytes()) else {
                continue;
            };
            let (name_start, name_len) = *name.get_or_insert_with(|| self.read_name(dir));
            let owner = Owner { inode, pid, tid, fd, name_start, name_len };
            let n = seq.len() as u32;
            seq.push((owner, n));
        }
    }

    /// The `comm` from `<dir>/stat`: the text after the first `(` up to the next `)`.
    fn read_name(&mut self, dir: &Path) -> (u32, u32) {
        let start = self.names.len() as u32;
        if let Ok(stat) = fs::read(dir.join("stat")) {
            if let Some(open) = stat.iter().position(|&b| b == b'(') {
                let rest = &stat[open + 1..];
                let end = rest.iter().position(|&b| b == b')').unwrap_or(rest.len());
                self.names.extend_from_slice(&rest[..end]);
            }
        }
        (start, self.names.len() as u32 - start)
    }

    /// The owners of `inode`, newest first (empty for inode 0 or an unknown inode).
    pub fn owners(&self, inode: u32) -> &[Owner] {
        if inode == 0 {
            return &[];
        }
        let lo = self.entries.partition_point(|o| o.inode < inode);
        let hi = lo + self.entries[lo..].partition_point(|o| o.inode == inode);
        &self.entries[lo..hi]
    }

    /// The name of an owner's process (or thread).
    pub fn name(&self, o: &Owner) -> &[u8] {
        let s = o.name_start as usize;
        self.names.get(s..s + o.name_len as usize).unwrap_or_default()
    }

    /// Number of socket descriptors found.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
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

    #[test]
    fn parses_link_targets_and_names() {
        assert_eq!(socket_inode(b"socket:[12345]"), Some(12345));
        assert_eq!(socket_inode(b"pipe:[12345]"), None);
        assert_eq!(socket_inode(b"socket:[12"), None);
        assert_eq!(leading_int(b"123"), Some(123));
        assert_eq!(leading_int(b"self"), None);
        assert_eq!(leading_int(b"12x"), Some(12));
    }

    #[test]
    fn scan_of_a_fake_proc_orders_newest_first() {
        let root = std::env::temp_dir().join(format!("sockscope-owners-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (pid, name, fds) in [(10, "a b", &[(3, 77u32), (4, 78)][..]), (20, "x)y", &[(5, 77)][..])] {
            let fd_dir = root.join(pid.to_string()).join("fd");
            fs::create_dir_all(&fd_dir).unwrap();
            fs::write(root.join(pid.to_string()).join("stat"), format!("{pid} ({name}) S 1")).unwrap();
            for (fd, ino) in fds {
                std::os::unix::fs::symlink(format!("socket:[{ino}]"), fd_dir.join(fd.to_string()))
                    .unwrap();
            }
            std::os::unix::fs::symlink("/dev/null", fd_dir.join("9")).unwrap();
        }
        fs::create_dir_all(root.join("self")).unwrap();
        let map = OwnerMap::scan(&root, false);
        assert_eq!(map.len(), 3);
        let o = map.owners(77);
        assert_eq!(o.len(), 2);
        // read_dir order is not guaranteed on every filesystem; whichever came last is first.
        assert!(o[0].pid != o[1].pid);
        let names: Vec<&[u8]> = o.iter().map(|x| map.name(x)).collect();
        assert!(names.contains(&&b"a b"[..]) && names.contains(&&b"x"[..]));
        assert_eq!(map.owners(78).len(), 1);
        assert_eq!(map.owners(78)[0].fd, 4);
        assert!(map.owners(0).is_empty());
        assert!(map.owners(99).is_empty());
        fs::remove_dir_all(&root).unwrap();
    }
}
