//! Decoding of one `packet_diag_msg` reply into a [`PacketSock`] (attributes: INFO 0,
//! MCLIST 1, RX_RING 2, TX_RING 3, FANOUT 4, UID 5, MEMINFO 6, FILTER 7; first wins).

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::{packet_diag_info, packet_diag_ring, PacketDiagMsg};
use sockscope_netlink::msg::FirstOfEach;

use crate::model::{PacketInfo, PacketRing, PacketSock, Source};

fn ring(p: &[u8]) -> Option<PacketRing> {
    let r = packet_diag_ring(p)?;
    Some(PacketRing {
        block_size: r[0],
        block_nr: r[1],
        frame_size: r[2],
        frame_nr: r[3],
        retire_tmo: r[4],
        sizeof_priv: r[5],
        features: r[6],
    })
}

/// Decodes a reply payload; `None` when shorter than `packet_diag_msg`. A socket without
/// MEMINFO is returned as is: ss's reaction (abandon the dump, use /proc) is the caller's.
pub fn decode(payload: &[u8]) -> Option<(PacketSock<'_>, Option<(isize, u16)>)> {
    let (m, attrs) = PacketDiagMsg::parse(payload)?;
    let mut s = PacketSock {
        source: Source::Netlink,
        sock_type: m.sock_type(),
        protocol: m.num(),
        inode: m.inode(),
        cookie: m.cookie(),
        ..PacketSock::default()
    };
    let mut it = FirstOfEach::new(attrs, PACKET_DIAG_MAX);
    for a in it.by_ref() {
        let p = a.payload;
        match a.kind {
            PACKET_DIAG_INFO => {
                s.info = packet_diag_info(p).map(|i| PacketInfo {
                    index: i[0],
                    version: i[1],
                    reserve: i[2],
                    copy_thresh: i[3],
                    tstamp: i[4],
                    flags: i[5],
                })
            }
            PACKET_DIAG_RX_RING => s.rx_ring = ring(p),
            PACKET_DIAG_TX_RING => s.tx_ring = ring(p),
            PACKET_DIAG_FANOUT => s.fanout = a.u32(),
            PACKET_DIAG_UID => s.uid = a.u32(),
            PACKET_DIAG_MEMINFO => s.meminfo = Some(p),
            PACKET_DIAG_FILTER => s.filter = Some(p),
            _ => {}
        }
    }
    Some((s, it.deficit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    fn words(w: &[u32]) -> Vec<u8> {
        w.iter().flat_map(|v| v.to_ne_bytes()).collect()
    }

    #[test]
    fn packet_attributes() {
        let mut p = vec![17, 3, 0xcc, 0x88, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        p.extend(attr(PACKET_DIAG_INFO, &words(&[2, 1, 0, 0, 0, 1])));
        p.extend(attr(
            PACKET_DIAG_RX_RING,
            &words(&[4096, 2, 2048, 4, 0, 0, 0]),
        ));
        p.extend(attr(PACKET_DIAG_TX_RING, &words(&[1, 2, 3])));
        p.extend(attr(PACKET_DIAG_FANOUT, &0x0001_0005u32.to_ne_bytes()));
        p.extend(attr(PACKET_DIAG_UID, &0u32.to_ne_bytes()));
        p.extend(attr(PACKET_DIAG_MEMINFO, &words(&[0; 9])));
        p.extend(attr(PACKET_DIAG_FILTER, &[0; 16]));
        let (s, d) = decode(&p).unwrap();
        assert_eq!(d, None);
        assert_eq!(
            (s.sock_type, s.protocol, s.inode, s.cookie),
            (3, u16::from_ne_bytes([0xcc, 0x88]), 9, 1)
        );
        assert_eq!(
            s.info.map(|i| (i.index, i.version, i.flags)),
            Some((2, 1, 1))
        );
        assert_eq!(
            s.rx_ring.map(|r| (r.block_size, r.frame_nr)),
            Some((4096, 4))
        );
        assert_eq!(s.tx_ring, None, "short ring skipped");
        assert_eq!((s.fanout, s.uid), (Some(0x0001_0005), Some(0)));
        assert_eq!(s.meminfo.map(|m| m.len()), Some(36));
        assert_eq!(s.filter.map(|f| f.len()), Some(16));
    }
}
