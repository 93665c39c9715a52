//! Decoding of `vsock_diag_msg` (no attributes) and `xdp_diag_msg` replies (attributes INFO 1,
//! UID 2, RX_RING 3, TX_RING 4, UMEM 5, UMEM_FILL_RING 6, UMEM_COMPLETION_RING 7, MEMINFO 8,
//! STATS 9; first wins).

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::{xdp_diag_info, VsockDiagMsg, XdpDiagMsg};
use sockscope_netlink::msg::FirstOfEach;

use crate::model::{VsockSock, XdpSock};

pub fn decode_vsock(payload: &[u8]) -> Option<VsockSock> {
    let (m, _) = VsockDiagMsg::parse(payload)?;
    Some(VsockSock {
        sock_type: m.sock_type(),
        state: m.state(),
        shutdown: m.shutdown(),
        src_cid: m.src_cid(),
        src_port: m.src_port(),
        dst_cid: m.dst_cid(),
        dst_port: m.dst_port(),
        inode: m.inode(),
        cookie: m.cookie(),
    })
}

pub fn decode_xdp(payload: &[u8]) -> Option<(XdpSock<'_>, Option<(isize, u16)>)> {
    let (m, attrs) = XdpDiagMsg::parse(payload)?;
    let mut s = XdpSock {
        sock_type: m.sock_type(),
        inode: m.inode(),
        cookie: m.cookie(),
        ..XdpSock::default()
    };
    let mut it = FirstOfEach::new(attrs, XDP_DIAG_MAX);
    for a in it.by_ref() {
        match a.kind {
            XDP_DIAG_INFO => s.info = xdp_diag_info(a.payload),
            XDP_DIAG_UID => s.uid = a.u32(),
            XDP_DIAG_RX_RING => s.rx_ring = a.u32(),
            XDP_DIAG_TX_RING => s.tx_ring = a.u32(),
            XDP_DIAG_UMEM => s.umem = Some(a.payload),
            XDP_DIAG_UMEM_FILL_RING => s.fill_ring = a.u32(),
            XDP_DIAG_UMEM_COMPLETION_RING => s.completion_ring = a.u32(),
            XDP_DIAG_MEMINFO => s.meminfo = Some(a.payload),
            XDP_DIAG_STATS => s.stats = Some(a.payload),
            _ => {}
        }
    }
    Some((s, it.deficit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn vsock_and_xdp() {
        let mut v = vec![40, 2, 7, 0];
        for x in [3u32, 1234, 2, 80, 66, 5, 0] {
            v.extend_from_slice(&x.to_ne_bytes());
        }
        let s = decode_vsock(&v).unwrap();
        assert_eq!(
            (
                s.sock_type,
                s.state,
                s.src_cid,
                s.src_port,
                s.dst_cid,
                s.dst_port,
                s.inode,
                s.cookie
            ),
            (2, 7, 3, 1234, 2, 80, 66, 5)
        );
        assert!(decode_vsock(&v[..31]).is_none());

        let mut x = vec![44, 3, 0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
        x.extend(attr(XDP_DIAG_INFO, &[4, 0, 0, 0, 1, 0, 0, 0]));
        x.extend(attr(XDP_DIAG_UID, &0u32.to_ne_bytes()));
        x.extend(attr(XDP_DIAG_RX_RING, &512u32.to_ne_bytes()));
        x.extend(attr(XDP_DIAG_TX_RING, &256u32.to_ne_bytes()));
        x.extend(attr(XDP_DIAG_UMEM, &[0; 40]));
        x.extend(attr(XDP_DIAG_UMEM_FILL_RING, &1024u32.to_ne_bytes()));
        x.extend(attr(XDP_DIAG_UMEM_COMPLETION_RING, &2048u32.to_ne_bytes()));
        x.extend(attr(XDP_DIAG_MEMINFO, &[0; 36]));
        x.extend(attr(XDP_DIAG_STATS, &[0; 48]));
        let (s, d) = decode_xdp(&x).unwrap();
        assert_eq!(d, None);
        assert_eq!(
            (s.sock_type, s.inode, s.cookie, s.info),
            (3, 8, 2, Some((4, 1)))
        );
        assert_eq!(
            (s.uid, s.rx_ring, s.tx_ring, s.fill_ring, s.completion_ring),
            (Some(0), Some(512), Some(256), Some(1024), Some(2048))
        );
        assert_eq!(
            (
                s.umem.map(|u| u.len()),
                s.meminfo.map(|m| m.len()),
                s.stats.map(|m| m.len())
            ),
            (Some(40), Some(36), Some(48))
        );
    }
}
