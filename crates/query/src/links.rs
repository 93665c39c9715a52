//! Interface names over rtnetlink: the per-index RTM_GETLINK ss uses for `%ifname` suffixes
//! (iproute2 `ll_link_get`) and the full RTM_GETLINK dump it uses for packet/xdp interface
//! names and `dev NAME` filters (`ll_init_map`). Names include altnames (IFLA_PROP_LIST /
//! IFLA_ALT_IFNAME) for name → index lookups, as iproute2's cache does.

use std::collections::HashMap;
use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::msg::{Attr, Attrs};
use sockscope_netlink::{request, DumpError, NlSocket, OpenError, RecvBuffer};

/// Why the full link dump failed; `Display` is iproute2's text (ss exits 1 after it).
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("Cannot send dump request: {0}")]
    Send(sockscope_netlink::Errno),
    #[error("Dump terminated")]
    Dump(DumpError),
}

/// The interface table: index → name and name (or altname) → index.
#[derive(Clone, Debug, Default)]
pub struct LinkMap {
    by_index: HashMap<u32, Box<[u8]>>,
    by_name: HashMap<Box<[u8]>, u32>,
}

/// Index and IFLA_IFNAME of one RTM_NEWLINK payload (`struct ifinfomsg` + attributes), plus
/// its altnames via `altname`. `None` when the payload is short or has no name.
pub fn parse_newlink<'a>(
    payload: &'a [u8],
    mut altname: impl FnMut(&'a [u8]),
) -> Option<(u32, &'a [u8])> {
    let index = sockscope_netlink::msg::ne_u32(payload, 4)?;
    let attrs = payload.get(IFINFOMSG_LEN..)?;
    let mut name = None;
    for a in Attrs::new(attrs) {
        // iproute2 parses link attributes with NLA_F_NESTED masked off.
        match a.kind & !NLA_F_NESTED {
            IFLA_IFNAME if name.is_none() => name = Some(a.c_str()),
            IFLA_PROP_LIST => {
                for p in Attrs::new(a.payload) {
                    if p.kind & !NLA_F_NESTED == IFLA_ALT_IFNAME {
                        altname(Attr::c_str(&p));
                    }
                }
            }
            _ => {}
        }
    }
    Some((index, name?))
}

impl LinkMap {
    /// One RTM_GETLINK dump of the current network namespace.
    pub fn dump() -> Result<LinkMap, LinkError> {
        let sock = NlSocket::route()?;
        let mut rb = RecvBuffer::new();
        let mut req = Vec::new();
        let seq = 1;
        request::getlink_dump(&mut req, seq, RTEXT_FILTER_VF);
        sock.send(&req).map_err(|e| match e {
            DumpError::Send(n) => LinkError::Send(n),
            other => LinkError::Dump(other),
        })?;
        let mut map = LinkMap::default();
        sock.dump(&mut rb, seq, |h, p| {
            if h.kind == RTM_NEWLINK {
                map.add_newlink(p);
            }
            ControlFlow::Continue(())
        })
        .map_err(LinkError::Dump)?;
        Ok(map)
    }

    /// Adds the link described by an RTM_NEWLINK payload.
    pub fn add_newlink(&mut self, payload: &[u8]) {
        let mut alts: Vec<&[u8]> = Vec::new();
        if let Some((index, name)) = parse_newlink(payload, |a| alts.push(a)) {
            self.insert(index, name);
            for a in alts {
                self.by_name.entry(a.into()).or_insert(index);
            }
        }
    }

    pub fn insert(&mut self, index: u32, name: &[u8]) {
        self.by_index.insert(index, name.into());
        self.by_name.insert(name.into(), index);
    }

    pub fn name(&self, index: u32) -> Option<&[u8]> {
        self.by_index.get(&index).map(|b| &b[..])
    }

    pub fn index(&self, name: &[u8]) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.by_index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_index.is_empty()
    }
}

/// A NETLINK_ROUTE socket for per-index name lookups (kept open across lookups).
#[derive(Debug)]
pub struct LinkLookup {
    sock: NlSocket,
    rb: RecvBuffer,
    req: Vec<u8>,
    seq: u32,
}

impl LinkLookup {
    pub fn open() -> Result<LinkLookup, OpenError> {
        Ok(LinkLookup {
            sock: NlSocket::route()?,
            rb: RecvBuffer::with_capacity(RecvBuffer::MIN),
            req: Vec::new(),
            seq: 0,
        })
    }

    /// The name of interface `index` (RTM_GETLINK by index), or `None` when the kernel has no
    /// such link (errors are not reported, like iproute2's suppressed `rtnl_talk`).
    pub fn name(&mut self, index: u32) -> Option<Vec<u8>> {
        self.seq = self.seq.wrapping_add(1);
        self.req.clear();
        request::getlink_index(&mut self.req, self.seq, index);
        self.sock
            .request(&mut self.rb, &self.req, self.seq, |h, p| {
                if h.kind != RTM_NEWLINK {
                    return None;
                }
                parse_newlink(p, |_| {})
                    .filter(|(i, _)| *i == index)
                    .map(|(_, n)| n.to_vec())
            })
            .ok()
            .flatten()
    }
}

/// Interface names by index for a listing: one RTM_GETLINK per distinct index, remembered
/// (the socket is opened on the first lookup). Cheaper than a full link dump when a few
/// indexes of thousands of links are named.
#[derive(Debug, Default)]
pub struct LinkNameCache {
    lookup: Option<Option<LinkLookup>>,
    names: HashMap<u32, Box<[u8]>>,
}

impl LinkNameCache {
    /// The name of link `index`, or `fallback()`'s text when the kernel has none (or the
    /// socket cannot be opened); either is remembered for the index.
    pub fn name_or(&mut self, index: u32, fallback: impl FnOnce() -> Vec<u8>) -> &[u8] {
        let lookup = &mut self.lookup;
        self.names.entry(index).or_insert_with(|| {
            lookup
                .get_or_insert_with(|| LinkLookup::open().ok())
                .as_mut()
                .and_then(|l| l.name(index))
                .unwrap_or_else(fallback)
                .into_boxed_slice()
        })
    }

    /// Sets the name of `index` (e.g. from a [`LinkMap`] dump).
    pub fn insert(&mut self, index: u32, name: &[u8]) {
        self.names.insert(index, name.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn newlink_parsing() {
        let mut p = vec![0, 0, 4, 3, 1, 0, 0, 0, 0x49, 0, 1, 0, 0, 0, 0, 0];
        p.extend(attr(IFLA_IFNAME, b"lo\0"));
        let mut props = attr(IFLA_ALT_IFNAME, b"loopback0\0");
        props.extend(attr(IFLA_ALT_IFNAME, b"lo-alt\0"));
        p.extend(attr(IFLA_PROP_LIST | NLA_F_NESTED, &props));
        let mut m = LinkMap::default();
        m.add_newlink(&p);
        assert_eq!(m.name(1), Some(&b"lo"[..]));
        assert_eq!(
            (m.index(b"lo"), m.index(b"loopback0"), m.index(b"lo-alt")),
            (Some(1), Some(1), Some(1))
        );
        assert_eq!(m.len(), 1);
        assert!(parse_newlink(&p[..15], |_| {}).is_none());
        assert!(parse_newlink(&p[..16], |_| {}).is_none(), "no IFLA_IFNAME");
    }

    /// Live: the loopback device of the current namespace is index 1, named `lo`.
    #[test]
    fn live_loopback() {
        let Ok(map) = LinkMap::dump() else { return };
        assert_eq!(map.name(1), Some(&b"lo"[..]));
        let mut l = LinkLookup::open().unwrap();
        assert_eq!(l.name(1).as_deref(), Some(&b"lo"[..]));
        assert_eq!(l.name(0x7fff_fff0), None);
        assert_eq!(
            l.name(1).as_deref(),
            Some(&b"lo"[..]),
            "socket reusable after an error"
        );
        let mut cache = LinkNameCache::default();
        assert_eq!(cache.name_or(1, Vec::new), b"lo");
        assert_eq!(cache.name_or(0x7fff_fff0, || b"none".to_vec()), b"none");
        cache.insert(1, b"renamed");
        assert_eq!(
            cache.name_or(1, Vec::new),
            b"renamed",
            "remembered, not asked again"
        );
    }
}
