//! Decoding of one `netlink_diag_msg` reply into a [`NetlinkSock`] (attributes MEMINFO 0,
//! GROUPS 1; first wins).

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::NetlinkDiagMsg;
use sockscope_netlink::msg::FirstOfEach;

use crate::model::{NetlinkSock, Source};

/// Decodes a reply payload; `None` when shorter than `netlink_diag_msg`.
///
/// GROUPS: ss reads the first `unsigned long` of the bitmap and prints it as 32 bits, i.e. the
/// first u32 on this (little-endian, 64-bit) target; a shorter payload is zero-extended, an
/// empty one means 0 (ss checks `RTA_PAYLOAD` first).
pub fn decode(payload: &[u8]) -> Option<(NetlinkSock<'_>, Option<(isize, u16)>)> {
    let (m, attrs) = NetlinkDiagMsg::parse(payload)?;
    let mut s = NetlinkSock {
        source: Source::Netlink,
        sock_type: m.sock_type(),
        protocol: m.protocol(),
        state: m.state(),
        portid: m.portid(),
        dst_portid: m.dst_portid(),
        dst_group: m.dst_group(),
        inode: m.inode(),
        cookie: m.cookie(),
        ..NetlinkSock::default()
    };
    let mut it = FirstOfEach::new(attrs, NETLINK_DIAG_MAX);
    for a in it.by_ref() {
        match a.kind {
            NETLINK_DIAG_MEMINFO => s.meminfo = Some(a.payload),
            NETLINK_DIAG_GROUPS => {
                let mut w = [0u8; 4];
                let n = a.payload.len().min(4);
                w[..n].copy_from_slice(&a.payload[..n]);
                s.groups = Some(u32::from_ne_bytes(w));
            }
            _ => {}
        }
    }
    Some((s, it.deficit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netlink_reply() {
        // netlink_diag_msg + MEMINFO(36 B) + GROUPS(8 B), laid out like the kernel's reply.
        let mut p = vec![16, 3, 0, 0];
        for v in [4321u32, 0, 0, 555, 9, 0] {
            p.extend_from_slice(&v.to_ne_bytes());
        }
        p.extend_from_slice(&[40, 0, 0, 0]);
        p.extend_from_slice(&[0u8; 36]);
        p.extend_from_slice(&[12, 0, 1, 0, 0x11, 0, 0, 0, 0, 0, 0, 1]);
        let (s, d) = decode(&p).unwrap();
        assert_eq!(d, None);
        assert_eq!((s.protocol, s.portid, s.inode, s.cookie), (0, 4321, 555, 9));
        assert_eq!(s.groups, Some(0x11));
        assert_eq!(s.meminfo.map(|m| m.len()), Some(36));
        assert_eq!((s.proc_sk, s.proc_cb), (0, 0));
    }
}
