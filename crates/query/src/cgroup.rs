//! cgroup id → path, as iproute2 6.1's `cg_id_to_path` (lib/cg_map.c, lib/fs.c) resolves it
//! for ` cgroup:PATH`.
//!
//! At the first lookup the mount point is taken from the first `cgroup2` entry of the mounts
//! file, and the whole hierarchy is walked once (staying on that file system) caching every
//! directory's id → path relative to the mount (`/` for the root). The id of a cgroup2
//! directory is its inode number: kernfs uses the node id as inode on 64-bit kernels, and that
//! id is both the file handle iproute2 decodes and the INET_DIAG_CGROUP_ID the kernel reports
//! (checked on this machine: the root cgroup has inode 1 and `ss -e` prints `cgroup:/` for id 1).
//!
//! Ids missing from the cache: iproute2 asks `open_by_handle_at`, which this crate cannot do
//! without `unsafe`; instead the hierarchy is walked once more (new cgroups appear), and an id
//! still missing gets iproute2's failure text `Failed to open cgroup2 by ID`. Every failure
//! message iproute2 prints on stderr is passed to the caller's sink, the same number of times
//! (the mount is looked up again for every uncached id, so `Failed to find cgroup2 mount` is
//! printed once at start-up and once per lookup when no cgroup2 file system is visible).

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::procfs::scan::Scan;

/// The cache of cgroup paths.
#[derive(Debug)]
pub struct CgroupMap {
    mounts_file: PathBuf,
    initialized: bool,
    rewalked: bool,
    by_id: HashMap<u64, Box<[u8]>>,
}

impl CgroupMap {
    /// `mounts_file` is where mounts are listed (iproute2 always reads `/proc/mounts`).
    pub fn new(mounts_file: impl Into<PathBuf>) -> CgroupMap {
        CgroupMap {
            mounts_file: mounts_file.into(),
            initialized: false,
            rewalked: false,
            by_id: HashMap::new(),
        }
    }

    /// iproute2 `find_fs_mount("cgroup2")`: the mount point of the first cgroup2 entry
    /// (`fscanf("%*s %4095s %127s %*s %*d %*d\n")` until a line fails to convert).
    fn find_mount(&self, diag: &mut dyn FnMut(&str)) -> Option<PathBuf> {
        let data = match std::fs::read(&self.mounts_file) {
            Ok(d) => d,
            Err(e) => {
                diag(&format!(
                    "Failed to open mounts file: {}",
                    sockscope_netlink::Errno::from_io(&e)
                ));
                return None;
            }
        };
        let mut sc = Scan::new(&data);
        loop {
            sc.word()?;
            let path = sc.word()?;
            let fstype = sc.word()?;
            sc.word();
            sc.dec_i32();
            sc.dec_i32();
            if fstype == b"cgroup2" {
                return Some(PathBuf::from(std::ffi::OsStr::from_bytes(path)));
            }
        }
    }

    fn find_mount_or_say(&self, diag: &mut dyn FnMut(&str)) -> Option<PathBuf> {
        let m = self.find_mount(diag);
        if m.is_none() {
            diag("Failed to find cgroup2 mount");
        }
        m
    }

    /// Walks `mnt` (pre-order, not crossing mount points, not following symlinks) caching
    /// every directory.
    fn walk(&mut self, mnt: &Path) {
        let Ok(root_meta) = std::fs::metadata(mnt) else {
            return;
        };
        let dev = root_meta.dev();
        let mnt_len = mnt.as_os_str().len();
        let mut stack = vec![(mnt.to_path_buf(), root_meta.ino())];
        while let Some((dir, ino)) = stack.pop() {
            let rel = &dir.as_os_str().as_bytes()[mnt_len.min(dir.as_os_str().len())..];
            let rel: &[u8] = if rel.is_empty() { b"/" } else { rel };
            self.by_id.entry(ino).or_insert_with(|| rel.into());
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for ent in rd.flatten() {
                let Ok(ft) = ent.file_type() else { continue };
                if !ft.is_dir() {
                    continue;
                }
                let Ok(meta) = ent.metadata() else { continue };
                if meta.dev() != dev {
                    continue;
                }
                stack.push((ent.path(), meta.ino()));
            }
        }
    }

    /// The path of cgroup `id` relative to the cgroup2 mount, or `None` (ss prints
    /// `unreachable:<hex id>`). Failure texts go to `diag`.
    pub fn path(&mut self, id: u64, diag: &mut dyn FnMut(&str)) -> Option<&[u8]> {
        if !self.initialized {
            self.initialized = true;
            if let Some(mnt) = self.find_mount_or_say(diag) {
                self.walk(&mnt);
            }
        }
        if !self.by_id.contains_key(&id) && !self.resolve_uncached(id, diag) {
            return None;
        }
        self.by_id.get(&id).map(|p| &p[..])
    }

    /// iproute2 `get_cgroup2_path` for an id not in the cache.
    fn resolve_uncached(&mut self, id: u64, diag: &mut dyn FnMut(&str)) -> bool {
        if id == 0 {
            diag("Invalid cgroup2 ID");
            return false;
        }
        let Some(mnt) = self.find_mount_or_say(diag) else {
            return false;
        };
        if std::fs::read_dir(&mnt).is_err() {
            diag("Failed to open cgroup2 mount");
            return false;
        }
        if !self.rewalked {
            self.rewalked = true;
            self.walk(&mnt);
            if self.by_id.contains_key(&id) {
                return true;
            }
        }
        diag("Failed to open cgroup2 by ID");
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cgroup2_mount_messages() {
        let dir = std::env::temp_dir().join(format!("sockscope-cg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mounts = dir.join("mounts");
        std::fs::write(&mounts, "proc /proc proc rw 0 0\nsysfs /sys sysfs rw 0 0\n").unwrap();
        let mut m = CgroupMap::new(&mounts);
        let mut msgs = Vec::new();
        assert_eq!(m.path(1, &mut |s| msgs.push(s.to_string())), None);
        assert_eq!(m.path(1, &mut |s| msgs.push(s.to_string())), None);
        // Once at start-up, then once per lookup (samples 51/54/62).
        assert_eq!(msgs, vec!["Failed to find cgroup2 mount"; 3]);

        let mut m = CgroupMap::new(dir.join("missing"));
        let mut msgs = Vec::new();
        assert_eq!(m.path(5, &mut |s| msgs.push(s.to_string())), None);
        assert_eq!(
            msgs[0],
            "Failed to open mounts file: No such file or directory"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn walks_a_tree_by_inode() {
        // A plain directory tree stands in for cgroupfs: ids are inode numbers.
        let dir = std::env::temp_dir().join(format!("sockscope-cgtree-{}", std::process::id()));
        let cg = dir.join("cg");
        std::fs::create_dir_all(cg.join("system.slice/ssh.service")).unwrap();
        std::fs::create_dir_all(cg.join("user.slice")).unwrap();
        let mounts = dir.join("mounts");
        std::fs::write(
            &mounts,
            format!("cgroup2 {} cgroup2 rw,nosuid 0 0\n", cg.display()),
        )
        .unwrap();
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let mut m = CgroupMap::new(&mounts);
        let mut msgs = Vec::new();
        let mut d = |s: &str| msgs.push(s.to_string());
        assert_eq!(m.path(ino(&cg), &mut d), Some(&b"/"[..]));
        assert_eq!(
            m.path(ino(&cg.join("system.slice/ssh.service")), &mut d),
            Some(&b"/system.slice/ssh.service"[..])
        );
        // Created after the first walk: found by the one re-walk.
        std::fs::create_dir_all(cg.join("late")).unwrap();
        assert_eq!(m.path(ino(&cg.join("late")), &mut d), Some(&b"/late"[..]));
        assert_eq!(m.path(u64::MAX, &mut d), None);
        assert_eq!(m.path(0, &mut d), None);
        assert_eq!(
            msgs,
            vec!["Failed to open cgroup2 by ID", "Invalid cgroup2 ID"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Live: the root of this machine's cgroup2 mount resolves to `/` by id 1.
    #[test]
    fn live_root_cgroup() {
        let mut m = CgroupMap::new("/proc/mounts");
        let mut msgs = Vec::new();
        let found = m
            .path(1, &mut |s| msgs.push(s.to_string()))
            .map(|p| p.to_vec());
        if msgs.is_empty() {
            assert_eq!(found.as_deref(), Some(&b"/"[..]));
        }
    }
}
