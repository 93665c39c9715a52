//! Zero-copy views of the fixed part of every sock_diag reply, and readers for the fixed-size
//! attribute payloads (packet_diag_info/ring, xdp_diag_*).
//!
//! A view borrows exactly the struct's bytes (`&[u8; N]`, length checked once in `parse`), so
//! every accessor is a constant-offset read that can neither panic nor go out of bounds.
//! Endianness: ports and addresses of `inet_diag_sockid` are network order on the wire (the
//! accessors convert ports to host order and return addresses as raw network-order bytes);
//! everything else is host order. Cookies are `cookie[1] << 32 | cookie[0]` (ss's
//! `cookie_sk_get`). Layouts: include/uapi/linux/{inet_diag,unix_diag,packet_diag,
//! netlink_diag,vsock_diag,xdp_diag}.h.

use crate::msg::{ne_u16, ne_u32, ne_u32_array, ne_u64};

fn fixed<const N: usize>(b: &[u8]) -> Option<&[u8; N]> {
    b.get(..N)?.try_into().ok()
}

#[inline]
fn u32_at<const N: usize>(b: &[u8; N], off: usize) -> u32 {
    ne_u32(b, off).unwrap_or(0)
}

#[inline]
fn cookie_at<const N: usize>(b: &[u8; N], off: usize) -> u64 {
    let lo = u32_at(b, off) as u64;
    let hi = u32_at(b, off + 4) as u64;
    hi << 32 | lo
}

macro_rules! view {
    ($(#[$m:meta])* $name:ident, $len:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'a>(pub &'a [u8; $len]);

        impl<'a> $name<'a> {
            /// Size of the struct on the wire.
            pub const LEN: usize = $len;

            /// Splits a message payload into the fixed struct and the attribute bytes after it
            /// (`None` when the payload is shorter than the struct).
            pub fn parse(payload: &'a [u8]) -> Option<($name<'a>, &'a [u8])> {
                let head = fixed::<$len>(payload)?;
                let rest = payload.get($len..).unwrap_or(&[]);
                Some(($name(head), rest))
            }

            pub fn family(&self) -> u8 {
                self.0[0]
            }
        }
    };
}

view!(
    /// `struct inet_diag_msg` (72 bytes).
    InetDiagMsg,
    72
);

impl InetDiagMsg<'_> {
    pub fn state(&self) -> u8 {
        self.0[1]
    }
    pub fn timer(&self) -> u8 {
        self.0[2]
    }
    pub fn retrans(&self) -> u8 {
        self.0[3]
    }
    /// Source port in host order (`ntohs(idiag_sport)`).
    pub fn sport(&self) -> u16 {
        u16::from_be_bytes([self.0[4], self.0[5]])
    }
    pub fn dport(&self) -> u16 {
        u16::from_be_bytes([self.0[6], self.0[7]])
    }
    /// `idiag_src` as network-order bytes (only the first 4 matter for AF_INET).
    pub fn src(&self) -> [u8; 16] {
        let mut a = [0u8; 16];
        a.copy_from_slice(&self.0[8..24]);
        a
    }
    pub fn dst(&self) -> [u8; 16] {
        let mut a = [0u8; 16];
        a.copy_from_slice(&self.0[24..40]);
        a
    }
    /// `idiag_if`.
    pub fn ifindex(&self) -> u32 {
        u32_at(self.0, 40)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 44)
    }
    pub fn expires(&self) -> u32 {
        u32_at(self.0, 52)
    }
    pub fn rqueue(&self) -> u32 {
        u32_at(self.0, 56)
    }
    pub fn wqueue(&self) -> u32 {
        u32_at(self.0, 60)
    }
    pub fn uid(&self) -> u32 {
        u32_at(self.0, 64)
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 68)
    }
}

view!(
    /// `struct unix_diag_msg` (16 bytes).
    UnixDiagMsg,
    16
);

impl UnixDiagMsg<'_> {
    pub fn sock_type(&self) -> u8 {
        self.0[1]
    }
    pub fn state(&self) -> u8 {
        self.0[2]
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 4)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 8)
    }
}

view!(
    /// `struct packet_diag_msg` (16 bytes).
    PacketDiagMsg,
    16
);

impl PacketDiagMsg<'_> {
    pub fn sock_type(&self) -> u8 {
        self.0[1]
    }
    /// `pdiag_num`: the bound protocol, host order (the kernel stores `ntohs(po->num)`).
    pub fn num(&self) -> u16 {
        ne_u16(self.0, 2).unwrap_or(0)
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 4)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 8)
    }
}

view!(
    /// `struct netlink_diag_msg` (28 bytes).
    NetlinkDiagMsg,
    28
);

impl NetlinkDiagMsg<'_> {
    pub fn sock_type(&self) -> u8 {
        self.0[1]
    }
    pub fn protocol(&self) -> u8 {
        self.0[2]
    }
    pub fn state(&self) -> u8 {
        self.0[3]
    }
    pub fn portid(&self) -> u32 {
        u32_at(self.0, 4)
    }
    pub fn dst_portid(&self) -> u32 {
        u32_at(self.0, 8)
    }
    pub fn dst_group(&self) -> u32 {
        u32_at(self.0, 12)
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 16)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 20)
    }
}

view!(
    /// `struct vsock_diag_msg` (32 bytes).
    VsockDiagMsg,
    32
);

impl VsockDiagMsg<'_> {
    pub fn sock_type(&self) -> u8 {
        self.0[1]
    }
    pub fn state(&self) -> u8 {
        self.0[2]
    }
    pub fn shutdown(&self) -> u8 {
        self.0[3]
    }
    pub fn src_cid(&self) -> u32 {
        u32_at(self.0, 4)
    }
    pub fn src_port(&self) -> u32 {
        u32_at(self.0, 8)
    }
    pub fn dst_cid(&self) -> u32 {
        u32_at(self.0, 12)
    }
    pub fn dst_port(&self) -> u32 {
        u32_at(self.0, 16)
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 20)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 24)
    }
}

view!(
    /// `struct xdp_diag_msg` (16 bytes).
    XdpDiagMsg,
    16
);

impl XdpDiagMsg<'_> {
    pub fn sock_type(&self) -> u8 {
        self.0[1]
    }
    pub fn inode(&self) -> u32 {
        u32_at(self.0, 4)
    }
    pub fn cookie(&self) -> u64 {
        cookie_at(self.0, 8)
    }
}

/// `struct packet_diag_info` (PACKET_DIAG_INFO): index, version, reserve, copy_thresh, tstamp,
/// flags — as six u32 in that order.
pub fn packet_diag_info(payload: &[u8]) -> Option<[u32; 6]> {
    ne_u32_array::<6>(payload)
}

/// `struct packet_diag_ring` (PACKET_DIAG_RX_RING/TX_RING): block_size, block_nr, frame_size,
/// frame_nr, retire_tmo, sizeof_priv, features.
pub fn packet_diag_ring(payload: &[u8]) -> Option<[u32; 7]> {
    ne_u32_array::<7>(payload)
}

/// `struct xdp_diag_info`: (ifindex, queue_id).
pub fn xdp_diag_info(payload: &[u8]) -> Option<(u32, u32)> {
    Some((ne_u32(payload, 0)?, ne_u32(payload, 4)?))
}

/// `struct xdp_diag_umem` (40 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XdpDiagUmem {
    pub size: u64,
    pub id: u32,
    pub num_pages: u32,
    pub chunk_size: u32,
    pub headroom: u32,
    pub ifindex: u32,
    pub queue_id: u32,
    pub flags: u32,
    pub refs: u32,
}

impl XdpDiagUmem {
    pub fn parse(p: &[u8]) -> Option<XdpDiagUmem> {
        let w = ne_u32_array::<8>(p.get(8..)?)?;
        Some(XdpDiagUmem {
            size: ne_u64(p, 0)?,
            id: w[0],
            num_pages: w[1],
            chunk_size: w[2],
            headroom: w[3],
            ifindex: w[4],
            queue_id: w[5],
            flags: w[6],
            refs: w[7],
        })
    }
}

/// `struct xdp_diag_stats`: rx dropped, rx invalid, rx queue full, fill ring empty,
/// tx invalid, tx ring empty.
pub fn xdp_diag_stats(p: &[u8]) -> Option<[u64; 6]> {
    let mut out = [0u64; 6];
    for (i, v) in out.iter_mut().enumerate() {
        *v = ne_u64(p, i * 8)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inet_diag_msg laid out per include/uapi/linux/inet_diag.h (an established loopback
    /// TCP connection 127.0.0.1:40000 -> 127.0.0.1:9000); real kernel captures are used by
    /// sockscope-query's decoder tests.
    const TCP_EST: [u8; 72] = [
        0x02, 0x01, 0x00, 0x00, // family AF_INET, ESTABLISHED, timer 0, retrans 0
        0x9c, 0x40, 0x23, 0x28, // sport 40000, dport 9000 (network order)
        127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // src
        127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // dst
        0x00, 0x00, 0x00, 0x00, // if
        0x2c, 0x1f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // cookie[0]=0x1f2c cookie[1]=1
        0x10, 0x27, 0x00, 0x00, // expires 10000
        0x05, 0x00, 0x00, 0x00, // rqueue 5
        0x06, 0x00, 0x00, 0x00, // wqueue 6
        0xe8, 0x03, 0x00, 0x00, // uid 1000
        0x39, 0x30, 0x00, 0x00, // inode 12345
    ];

    #[test]
    fn inet_diag_msg_fields() {
        let mut p = TCP_EST.to_vec();
        p.extend_from_slice(&[5, 0, 8, 0, 0, 0, 0, 0]);
        let (m, attrs) = InetDiagMsg::parse(&p).unwrap();
        assert_eq!(m.family(), 2);
        assert_eq!(m.state(), 1);
        assert_eq!((m.sport(), m.dport()), (40000, 9000));
        assert_eq!(&m.src()[..4], &[127, 0, 0, 1]);
        assert_eq!(&m.dst()[..4], &[127, 0, 0, 1]);
        assert_eq!(m.cookie(), 0x1_0000_1f2c);
        assert_eq!((m.expires(), m.rqueue(), m.wqueue()), (10000, 5, 6));
        assert_eq!((m.uid(), m.inode(), m.ifindex()), (1000, 12345, 0));
        assert_eq!(attrs, &[5, 0, 8, 0, 0, 0, 0, 0]);
        assert!(InetDiagMsg::parse(&TCP_EST[..71]).is_none());
        assert_eq!(InetDiagMsg::parse(&TCP_EST).unwrap().1, &[] as &[u8]);
    }

    #[test]
    fn unix_packet_netlink_vsock_xdp_views() {
        // unix_diag_msg: AF_UNIX, SOCK_STREAM, ESTABLISHED, ino 0x1234, cookie 0x0000000200000003
        let u = [1, 1, 1, 0, 0x34, 0x12, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0];
        let (m, _) = UnixDiagMsg::parse(&u).unwrap();
        assert_eq!(
            (m.family(), m.sock_type(), m.state(), m.inode()),
            (1, 1, 1, 0x1234)
        );
        assert_eq!(m.cookie(), 0x2_0000_0003);
        assert!(UnixDiagMsg::parse(&u[..15]).is_none());

        // packet_diag_msg: AF_PACKET, SOCK_RAW, num 0x0003, ino 99, cookie 7
        let p = [17, 3, 3, 0, 99, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0];
        let (m, _) = PacketDiagMsg::parse(&p).unwrap();
        assert_eq!(
            (m.family(), m.sock_type(), m.num(), m.inode(), m.cookie()),
            (17, 3, 3, 99, 7)
        );

        // netlink_diag_msg: AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, state 0, portid -1 ...
        let mut n = vec![16, 3, 0, 1];
        for v in [0xffff_ffffu32, 5, 6, 777, 8, 0] {
            n.extend_from_slice(&v.to_ne_bytes());
        }
        let (m, _) = NetlinkDiagMsg::parse(&n).unwrap();
        assert_eq!((m.protocol(), m.state(), m.portid() as i32), (0, 1, -1));
        assert_eq!(
            (m.dst_portid(), m.dst_group(), m.inode(), m.cookie()),
            (5, 6, 777, 8)
        );

        let mut v = vec![40, 1, 10, 3];
        for x in [2u32, 1024, 0xffff_ffff, 0xffff_ffff, 55, 1, 0] {
            v.extend_from_slice(&x.to_ne_bytes());
        }
        let (m, _) = VsockDiagMsg::parse(&v).unwrap();
        assert_eq!((m.sock_type(), m.state(), m.shutdown()), (1, 10, 3));
        assert_eq!(
            (m.src_cid(), m.src_port(), m.dst_cid(), m.dst_port()),
            (2, 1024, !0, !0)
        );
        assert_eq!((m.inode(), m.cookie()), (55, 1));

        let x = [44, 3, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
        let (m, _) = XdpDiagMsg::parse(&x).unwrap();
        assert_eq!(
            (m.family(), m.sock_type(), m.inode(), m.cookie()),
            (44, 3, 9, 0x1_0000_0001)
        );
    }

    #[test]
    fn fixed_attribute_payloads() {
        let info: Vec<u8> = [2u32, 2, 0, 0, 0, 1]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        assert_eq!(packet_diag_info(&info), Some([2, 2, 0, 0, 0, 1]));
        assert_eq!(packet_diag_info(&info[..20]), None);
        let ring: Vec<u8> = (1u32..=7).flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(packet_diag_ring(&ring), Some([1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(xdp_diag_info(&ring), Some((1, 2)));
        let mut umem = 4096u64.to_ne_bytes().to_vec();
        umem.extend((1u32..=8).flat_map(|v| v.to_ne_bytes()));
        let u = XdpDiagUmem::parse(&umem).unwrap();
        assert_eq!((u.size, u.id, u.refs, u.flags), (4096, 1, 8, 7));
        assert!(XdpDiagUmem::parse(&umem[..39]).is_none());
        let stats: Vec<u8> = (1u64..=6).flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(xdp_diag_stats(&stats), Some([1, 2, 3, 4, 5, 6]));
        assert_eq!(xdp_diag_stats(&stats[..47]), None);
    }
}
