//! Nexthop objects (`ip nexthop`): the `RTM_NEWNEXTHOP` payload decoded in place into
//! [`NhEntry`] (iproute2 `ipnh_parse_nhmsg`), fetched one by id with `RTM_GETNEXTHOP` for the
//! `nh_info` line that `ip -d route` prints under a route with `nhid`.

use sockscope_netlink::consts::*;

use super::{attr_u16, attr_u32, attr_u64, parse_attrs};

/// One nexthop object, borrowed from its message payload.
#[derive(Clone, Copy, Debug)]
pub struct NhEntry<'a> {
    pub family: u8,
    pub scope: u8,
    pub protocol: u8,
    pub flags: u32,
    tb: [Option<&'a [u8]>; NHA_MAX as usize + 1],
}

/// The NHA_RES_GROUP parameters of a resilient group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResGroup {
    pub buckets: u16,
    pub idle_timer: u32,
    pub unbalanced_timer: u32,
    pub unbalanced_time: u64,
}

impl<'a> NhEntry<'a> {
    /// Decodes an RTM_NEWNEXTHOP payload (`struct nhmsg` + NHA_* attributes, NLA_F_NESTED
    /// masked); `None` when shorter than `struct nhmsg`.
    pub fn parse(payload: &'a [u8]) -> Option<NhEntry<'a>> {
        let h = payload.get(..NHMSG_LEN)?;
        let mut e = NhEntry {
            family: h[0],
            scope: h[1],
            protocol: h[2],
            flags: u32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
            tb: [None; NHA_MAX as usize + 1],
        };
        parse_attrs(&payload[NHMSG_LEN..], &mut e.tb, true);
        Some(e)
    }

    pub fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.tb.get(t as usize).copied().flatten()
    }

    pub fn id(&self) -> u32 {
        attr_u32(self.attr(NHA_ID)).unwrap_or(0)
    }

    pub fn oif(&self) -> u32 {
        attr_u32(self.attr(NHA_OIF)).unwrap_or(0)
    }

    pub fn group_type(&self) -> u16 {
        attr_u16(self.attr(NHA_GROUP_TYPE)).unwrap_or(0)
    }

    /// NHA_GATEWAY (at most 16 bytes are accepted, as `struct nh_entry` holds).
    pub fn gateway(&self) -> Option<&'a [u8]> {
        self.attr(NHA_GATEWAY)
            .filter(|g| !g.is_empty() && g.len() <= 16)
    }

    /// The members of NHA_GROUP as (id, weight byte); `None` when absent or not a whole
    /// number of `struct nexthop_grp` (iproute2 `__valid_nh_group_attr`).
    pub fn group(&self) -> Option<impl Iterator<Item = (u32, u8)> + 'a> {
        let g = self.attr(NHA_GROUP)?;
        if g.is_empty() || g.len() % 8 != 0 {
            return None;
        }
        Some(
            g.chunks_exact(8)
                .map(|c| (u32::from_ne_bytes([c[0], c[1], c[2], c[3]]), c[4])),
        )
    }

    pub fn res_group(&self) -> Option<ResGroup> {
        let nest = self.attr(NHA_RES_GROUP)?;
        let mut tb = [None; 5];
        parse_attrs(nest, &mut tb, true);
        Some(ResGroup {
            buckets: attr_u16(tb[NHA_RES_GROUP_BUCKETS as usize]).unwrap_or(0),
            idle_timer: attr_u32(tb[NHA_RES_GROUP_IDLE_TIMER as usize]).unwrap_or(0),
            unbalanced_timer: attr_u32(tb[NHA_RES_GROUP_UNBALANCED_TIMER as usize]).unwrap_or(0),
            unbalanced_time: attr_u64(tb[NHA_RES_GROUP_UNBALANCED_TIME as usize]).unwrap_or(0),
        })
    }

    pub fn blackhole(&self) -> bool {
        self.attr(NHA_BLACKHOLE).is_some()
    }

    pub fn fdb(&self) -> bool {
        self.attr(NHA_FDB).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn parse_gateway_and_group() {
        let mut p = vec![AF_INET, RT_SCOPE_LINK, 0, 0, 0, 0, 0, 0];
        p.extend(attr(NHA_ID, &1u32.to_ne_bytes()));
        p.extend(attr(NHA_GATEWAY, &[192, 0, 2, 2]));
        p.extend(attr(NHA_OIF, &2u32.to_ne_bytes()));
        let e = NhEntry::parse(&p).unwrap();
        assert_eq!((e.id(), e.oif(), e.scope), (1, 2, RT_SCOPE_LINK));
        assert_eq!(e.gateway(), Some(&[192u8, 0, 2, 2][..]));
        assert!(e.group().is_none() && !e.blackhole());

        let mut p = vec![0, 0, 0, 0, 0, 0, 0, 0];
        p.extend(attr(NHA_ID, &3u32.to_ne_bytes()));
        let mut g = Vec::new();
        g.extend_from_slice(&1u32.to_ne_bytes());
        g.extend_from_slice(&[0, 0, 0, 0]);
        g.extend_from_slice(&2u32.to_ne_bytes());
        g.extend_from_slice(&[4, 0, 0, 0]);
        p.extend(attr(NHA_GROUP, &g));
        let e = NhEntry::parse(&p).unwrap();
        assert_eq!(e.group().unwrap().collect::<Vec<_>>(), vec![(1, 0), (2, 4)]);
        let mut bad = vec![0u8; 8];
        bad.extend(attr(NHA_GROUP, &[1, 2, 3]));
        assert!(NhEntry::parse(&bad).unwrap().group().is_none());
        assert!(NhEntry::parse(&[0; 7]).is_none());
    }
}
