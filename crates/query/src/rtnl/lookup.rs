//! The lookups `ip`'s printers make while printing, behind the [`Lookup`] trait so printers do
//! no I/O and can be tested with fixed answers, and [`SystemLookup`], the real thing:
//!
//! * interface index → name and flags: iproute2's link cache (lib/ll_map.c). Links the caller
//!   already holds are [`SystemLookup::remember`]ed; an unknown index costs one
//!   `RTM_GETLINK` by index (`ll_link_get`), then `if<N>`; index 0 is `*`;
//! * interface name → index (`ll_name_to_index`): the cache (names and altnames), then
//!   `RTM_GETLINK` by name (IFLA_ALT_IFNAME for names that are not valid interface names),
//!   then an `if<N>` name's number;
//! * netns id → name (`get_name_from_nsid`): every entry of `/var/run/netns`, in `readdir`
//!   order, asked for its nsid with `RTM_GETNSID`; the first name per nsid wins;
//! * host names for `-r`: `/etc/hosts` (files-only NSS semantics, as ss's resolver);
//! * user and group names (tun owners): `/etc/passwd`, `/etc/group`, first match.

use std::collections::HashMap;
use std::path::PathBuf;

use sockscope_netlink::consts::*;

use super::links::{self, Link};
use super::Rtnl;
use crate::names::Resolver;
use crate::resolver::{ResolverConfig, SystemResolver};

/// What printers ask while printing routes, links and multicast lists.
pub trait Lookup {
    /// `ll_index_to_name`: the name of interface `index` (`*` for 0, `if<N>` when unknown).
    fn ifname(&mut self, index: u32) -> &[u8];
    /// `ll_index_to_flags`: the cached IFF_* flags of `index` (`None` = not in the cache;
    /// iproute2's -1). Only links seen before (remembered or looked up by
    /// [`Lookup::ifname`]) are known.
    fn ifflags(&mut self, index: u32) -> Option<u32>;
    /// Host name of an address for `-r` (`None` = print the address).
    fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]>;
    /// Name of the network namespace with this nsid, if one under `/var/run/netns` has it.
    fn netns_name(&mut self, nsid: i32) -> Option<&[u8]>;
    /// `getpwuid(uid)->pw_name`.
    fn user_name(&mut self, uid: u32) -> Option<&[u8]>;
    /// `getgrgid(gid)->gr_name`.
    fn group_name(&mut self, gid: u32) -> Option<&[u8]>;
    /// The RTM_NEWNEXTHOP payload of nexthop object `id` (iproute2's nexthop cache,
    /// `RTM_GETNEXTHOP` by id), `None` when there is none.
    fn nexthop(&mut self, _id: u32) -> Option<&[u8]> {
        None
    }
}

#[derive(Clone, Debug)]
struct CachedLink {
    name: Box<[u8]>,
    flags: u32,
}

/// Where [`SystemLookup`] reads files from.
#[derive(Clone, Debug)]
pub struct LookupConfig {
    /// `/var/run/netns` (iproute2's NETNS_RUN_DIR).
    pub netns_dir: PathBuf,
    /// Directory of `hosts`, `passwd`, `group`.
    pub etc_dir: PathBuf,
}

impl Default for LookupConfig {
    fn default() -> Self {
        LookupConfig {
            netns_dir: PathBuf::from("/var/run/netns"),
            etc_dir: PathBuf::from("/etc"),
        }
    }
}

/// [`Lookup`] over rtnetlink and files, caching every answer.
pub struct SystemLookup {
    cfg: LookupConfig,
    links: HashMap<u32, CachedLink>,
    by_name: HashMap<Box<[u8]>, u32>,
    rtnl: Option<Rtnl>,
    rtnl_failed: bool,
    scratch: Vec<u8>,
    resolver: Option<SystemResolver>,
    nsids: Option<HashMap<i32, Box<[u8]>>>,
    users: Option<Vec<(u32, Box<[u8]>)>>,
    groups: Option<Vec<(u32, Box<[u8]>)>>,
    nexthops: HashMap<u32, Option<Vec<u8>>>,
    nexthop_family: u8,
}

impl std::fmt::Debug for SystemLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemLookup")
            .field("links", &self.links.len())
            .finish()
    }
}

impl Default for SystemLookup {
    fn default() -> Self {
        SystemLookup::new(LookupConfig::default())
    }
}

/// Parses `if<N>` the way `sscanf(name, "if%u")` does (digits after `if`, rest ignored).
fn if_number(name: &[u8]) -> Option<u32> {
    let rest = name.strip_prefix(b"if")?;
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let mut v: u32 = 0;
    for &c in &rest[..n] {
        v = v.wrapping_mul(10).wrapping_add(u32::from(c - b'0'));
    }
    Some(v)
}

/// `name:pw:id:...` lines: (id, name) in file order.
fn parse_id_file(text: &[u8]) -> Vec<(u32, Box<[u8]>)> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let mut f = line.split(|&b| b == b':');
        let (Some(name), Some(_), Some(id)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if name.is_empty() || id.is_empty() || !id.iter().all(u8::is_ascii_digit) {
            continue;
        }
        if let Ok(id) = std::str::from_utf8(id).unwrap_or("x").parse::<u32>() {
            out.push((id, name.into()));
        }
    }
    out
}

impl SystemLookup {
    pub fn new(cfg: LookupConfig) -> SystemLookup {
        SystemLookup {
            cfg,
            links: HashMap::new(),
            by_name: HashMap::new(),
            rtnl: None,
            rtnl_failed: false,
            scratch: Vec::new(),
            resolver: None,
            nsids: None,
            users: None,
            groups: None,
            nexthops: HashMap::new(),
            nexthop_family: 0,
        }
    }

    /// The family of nexthop requests (iproute2 sends `preferred_family`, `-4`/`-6`).
    pub fn set_nexthop_family(&mut self, family: u8) {
        self.nexthop_family = family;
    }

    /// Adds a link to the cache (iproute2 `ll_remember_index`: name, altnames, flags).
    pub fn remember(&mut self, l: &Link<'_>) {
        let Some(name) = l.name() else { return };
        let index = l.index as u32;
        if let Some(old) = self.links.get(&index) {
            if *old.name != *name {
                self.by_name.remove(&old.name);
            }
        }
        self.links.insert(
            index,
            CachedLink {
                name: name.into(),
                flags: l.flags,
            },
        );
        self.by_name.insert(name.into(), index);
        for alt in l.altnames() {
            self.by_name.insert(alt.into(), index);
        }
    }

    fn rtnl(&mut self) -> Option<&mut Rtnl> {
        if self.rtnl.is_none() && !self.rtnl_failed {
            match Rtnl::open() {
                Ok(r) => self.rtnl = Some(r),
                Err(_) => self.rtnl_failed = true,
            }
        }
        self.rtnl.as_mut()
    }

    /// `ll_link_get`: RTM_GETLINK by index or name; the answer is remembered. Returns the
    /// answer's ifindex.
    fn link_get(&mut self, index: u32, name: Option<&[u8]>) -> Option<u32> {
        let rtnl = self.rtnl()?;
        // (index, name, flags, altnames) of the answer.
        type Found = (u32, Box<[u8]>, u32, Vec<Box<[u8]>>);
        let mut found: Option<Found> = None;
        let r = links::get(
            rtnl,
            AF_UNSPEC,
            index,
            name,
            RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS,
            |l| {
                if let Some(n) = l.name() {
                    found = Some((
                        l.index as u32,
                        n.into(),
                        l.flags,
                        l.altnames().map(Into::into).collect(),
                    ));
                }
            },
        );
        if r.is_err() {
            return None;
        }
        let (i, n, flags, alts) = found?;
        self.links.insert(
            i,
            CachedLink {
                name: n.clone(),
                flags,
            },
        );
        self.by_name.insert(n, i);
        for a in alts {
            self.by_name.insert(a, i);
        }
        Some(i)
    }

    /// `ll_name_to_index`: 0 when the device is unknown.
    pub fn index_of(&mut self, name: &[u8]) -> u32 {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        if let Some(i) = self.link_get(0, Some(name)) {
            if i != 0 {
                return i;
            }
        }
        if_number(name).unwrap_or(0)
    }

    fn build_nsids(&mut self) -> HashMap<i32, Box<[u8]>> {
        let mut map = HashMap::new();
        let Ok(rd) = std::fs::read_dir(&self.cfg.netns_dir) else {
            return map;
        };
        let names: Vec<_> = rd.flatten().map(|e| e.file_name()).collect();
        for name in names {
            let path = self.cfg.netns_dir.join(&name);
            let Ok(file) = std::fs::File::open(&path) else {
                continue;
            };
            use std::os::fd::AsRawFd;
            let fd = file.as_raw_fd() as u32;
            let Some(rtnl) = self.rtnl() else { break };
            let nsid = rtnl.request_raw(
                |out, seq| sockscope_netlink::request::getnsid_fd(out, seq, fd),
                |h, p| {
                    if h.kind != RTM_NEWNSID {
                        return None;
                    }
                    let mut tb = [None; 4];
                    super::parse_attrs(p.get(RTGENMSG_SPACE..)?, &mut tb, false);
                    super::attr_u32(tb[NETNSA_NSID as usize]).map(|v| v as i32)
                },
            );
            drop(file);
            if let Ok(Some(id)) = nsid {
                if id >= 0 {
                    map.entry(id)
                        .or_insert_with(|| name.as_encoded_bytes().into());
                }
            }
        }
        map
    }
}

impl Lookup for SystemLookup {
    fn ifname(&mut self, index: u32) -> &[u8] {
        if index == 0 {
            return b"*";
        }
        if !self.links.contains_key(&index) {
            self.link_get(index, None);
        }
        if let Some(l) = self.links.get(&index) {
            return &l.name;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(b"if");
        self.scratch.extend_from_slice(index.to_string().as_bytes());
        &self.scratch
    }

    fn ifflags(&mut self, index: u32) -> Option<u32> {
        if index == 0 {
            return Some(0);
        }
        self.links.get(&index).map(|l| l.flags)
    }

    fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]> {
        let etc = self.cfg.etc_dir.clone();
        let r = self.resolver.get_or_insert_with(|| {
            SystemResolver::new(ResolverConfig {
                etc_dir: etc,
                ..ResolverConfig::default()
            })
        });
        r.host(family, addr)
    }

    fn netns_name(&mut self, nsid: i32) -> Option<&[u8]> {
        if nsid < 0 {
            return None;
        }
        if self.nsids.is_none() {
            let m = self.build_nsids();
            self.nsids = Some(m);
        }
        self.nsids.as_ref()?.get(&nsid).map(|n| &n[..])
    }

    fn user_name(&mut self, uid: u32) -> Option<&[u8]> {
        if self.users.is_none() {
            let t = std::fs::read(self.cfg.etc_dir.join("passwd")).unwrap_or_default();
            self.users = Some(parse_id_file(&t));
        }
        self.users
            .as_ref()?
            .iter()
            .find(|(i, _)| *i == uid)
            .map(|(_, n)| &n[..])
    }

    fn group_name(&mut self, gid: u32) -> Option<&[u8]> {
        if self.groups.is_none() {
            let t = std::fs::read(self.cfg.etc_dir.join("group")).unwrap_or_default();
            self.groups = Some(parse_id_file(&t));
        }
        self.groups
            .as_ref()?
            .iter()
            .find(|(i, _)| *i == gid)
            .map(|(_, n)| &n[..])
    }

    fn nexthop(&mut self, id: u32) -> Option<&[u8]> {
        if !self.nexthops.contains_key(&id) {
            let family = self.nexthop_family;
            let got = self.rtnl().and_then(|r| {
                r.request_raw(
                    |out, seq| sockscope_netlink::request::getnexthop(out, seq, family, id),
                    |h, p| (h.kind == RTM_NEWNEXTHOP).then(|| p.to_vec()),
                )
                .ok()
                .flatten()
            });
            self.nexthops.insert(id, got);
        }
        self.nexthops.get(&id)?.as_deref()
    }
}

/// A [`Lookup`] that answers interface names and flags from a stored link dump first and asks
/// `inner` for everything else (iproute2 fills its link cache from the dump it stores before
/// printing, so the two give the same answers).
pub struct TableLookup<'a> {
    pub table: &'a super::links::LinkTable,
    pub inner: &'a mut dyn Lookup,
}

impl Lookup for TableLookup<'_> {
    fn ifname(&mut self, index: u32) -> &[u8] {
        if index != 0 {
            if let Some((n, _)) = self.table.name_flags(index as i32) {
                return n;
            }
        }
        self.inner.ifname(index)
    }

    fn ifflags(&mut self, index: u32) -> Option<u32> {
        if index != 0 {
            if let Some((_, f)) = self.table.name_flags(index as i32) {
                return Some(f);
            }
        }
        self.inner.ifflags(index)
    }

    fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]> {
        self.inner.host(family, addr)
    }

    fn netns_name(&mut self, nsid: i32) -> Option<&[u8]> {
        self.inner.netns_name(nsid)
    }

    fn user_name(&mut self, uid: u32) -> Option<&[u8]> {
        self.inner.user_name(uid)
    }

    fn group_name(&mut self, gid: u32) -> Option<&[u8]> {
        self.inner.group_name(gid)
    }

    fn nexthop(&mut self, id: u32) -> Option<&[u8]> {
        self.inner.nexthop(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_numbers_and_id_files() {
        assert_eq!(if_number(b"if12"), Some(12));
        assert_eq!(if_number(b"if12x"), Some(12));
        assert_eq!(if_number(b"if"), None);
        assert_eq!(if_number(b"eth0"), None);
        let v =
            parse_id_file(b"root:x:0:0:root:/root:/bin/bash\nbad\nnobody:x:65534:65534::/:/x\n");
        assert_eq!(v.len(), 2);
        assert_eq!((v[1].0, &v[1].1[..]), (65534, &b"nobody"[..]));
    }

    #[test]
    fn live_loopback_name_and_index() {
        let mut l = SystemLookup::default();
        assert_eq!(l.ifname(0), b"*");
        if Rtnl::open().is_err() {
            return;
        }
        assert_eq!(l.ifname(1), b"lo");
        assert!(l.ifflags(1).is_some_and(|f| f & IFF_LOOPBACK != 0));
        assert_eq!(l.index_of(b"lo"), 1);
        assert_eq!(l.index_of(b"no-such-device-x"), 0);
        assert_eq!(l.index_of(b"if77"), 77);
        assert_eq!(l.ifname(0x7fff_fff0), b"if2147483632");
        assert_eq!(l.ifflags(0x7fff_fff0), None);
    }
}
