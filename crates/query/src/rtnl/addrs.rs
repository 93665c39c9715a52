//! Interface addresses over rtnetlink: the `RTM_GETADDR` dump decoded in place into [`Addr`]
//! (`struct ifaddrmsg` + IFA_* attributes). `ip route`/`ip link` do not need it; it is here for
//! the interface tables (`netstat -i`/`-ie` print each interface's addresses).

use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::{request, DumpError, DumpSummary};

use super::{attr_u32, c_str, parse_attrs, Rtnl};

/// IFA_MAX of iproute2 6.1 (IFA_PROTO) + 1.
const TB_LEN: usize = 12;

/// One address (`RTM_NEWADDR`), borrowed from the receive buffer.
#[derive(Clone, Copy, Debug)]
pub struct Addr<'a> {
    pub family: u8,
    pub prefixlen: u8,
    /// `ifa_flags` (8 bits; see [`Addr::flags`] for the full set).
    pub flags_hdr: u8,
    pub scope: u8,
    pub index: u32,
    tb: [Option<&'a [u8]>; TB_LEN],
}

impl<'a> Addr<'a> {
    /// Decodes an RTM_NEWADDR payload; `None` when shorter than `struct ifaddrmsg`.
    pub fn parse(payload: &'a [u8]) -> Option<Addr<'a>> {
        let h = payload.get(..IFADDRMSG_LEN)?;
        let mut a = Addr {
            family: h[0],
            prefixlen: h[1],
            flags_hdr: h[2],
            scope: h[3],
            index: u32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
            tb: [None; TB_LEN],
        };
        parse_attrs(&payload[IFADDRMSG_LEN..], &mut a.tb, false);
        Some(a)
    }

    pub fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.tb.get(t as usize).copied().flatten()
    }

    /// IFA_LOCAL, else IFA_ADDRESS (the interface's own address; for point-to-point links
    /// IFA_ADDRESS is the peer).
    pub fn local(&self) -> Option<&'a [u8]> {
        self.attr(IFA_LOCAL).or_else(|| self.attr(IFA_ADDRESS))
    }

    pub fn address(&self) -> Option<&'a [u8]> {
        self.attr(IFA_ADDRESS)
    }

    pub fn broadcast(&self) -> Option<&'a [u8]> {
        self.attr(IFA_BROADCAST)
    }

    /// IFA_LABEL (IPv4 alias labels such as `veth0:1`).
    pub fn label(&self) -> Option<&'a [u8]> {
        self.attr(IFA_LABEL).map(c_str)
    }

    /// IFA_FLAGS when present, else the 8-bit header flags (iproute2 `get_ifa_flags`).
    pub fn flags(&self) -> u32 {
        attr_u32(self.attr(IFA_FLAGS)).unwrap_or(u32::from(self.flags_hdr))
    }
}

/// Dumps addresses of `family` (AF_UNSPEC = all) on interface `index` (0 = all).
pub fn dump(
    rtnl: &mut Rtnl,
    family: u8,
    index: u32,
    f: &mut dyn FnMut(&Addr<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, DumpError> {
    rtnl.dump_raw(
        |out, seq| request::getaddr_dump(out, seq, family, index),
        &mut |h, p| {
            if h.kind != RTM_NEWADDR {
                return ControlFlow::Continue(());
            }
            match Addr::parse(p) {
                Some(a) => f(&a),
                None => ControlFlow::Continue(()),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn parse_addr() {
        let mut p = vec![AF_INET, 24, 0x80, 0];
        p.extend_from_slice(&2u32.to_ne_bytes());
        p.extend(attr(IFA_ADDRESS, &[192, 0, 2, 10]));
        p.extend(attr(IFA_LOCAL, &[192, 0, 2, 10]));
        p.extend(attr(IFA_LABEL, b"veth0:1\0"));
        p.extend(attr(IFA_BROADCAST, &[192, 0, 2, 255]));
        let a = Addr::parse(&p).unwrap();
        assert_eq!((a.family, a.prefixlen, a.index), (AF_INET, 24, 2));
        assert_eq!(a.local(), Some(&[192u8, 0, 2, 10][..]));
        assert_eq!(a.label(), Some(&b"veth0:1"[..]));
        assert_eq!(a.broadcast(), Some(&[192u8, 0, 2, 255][..]));
        assert_eq!(a.flags(), 0x80);
        p.extend(attr(IFA_FLAGS, &0x300u32.to_ne_bytes()));
        assert_eq!(Addr::parse(&p).unwrap().flags(), 0x300);
        assert!(Addr::parse(&p[..7]).is_none());
    }

    #[test]
    fn live_loopback_address() {
        let Ok(mut rtnl) = Rtnl::open() else { return };
        let mut lo = false;
        dump(&mut rtnl, AF_INET, 0, &mut |a| {
            if a.index == 1 && a.local() == Some(&[127, 0, 0, 1][..]) {
                lo = true;
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        // A namespace whose lo is down has no 127.0.0.1; only check when it is there.
        let _ = lo;
    }
}
