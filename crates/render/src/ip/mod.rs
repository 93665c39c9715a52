//! The `ip` persona's printers (iproute2 6.1 `ip route`, `ip link`, `ip maddr`): text and
//! JSON exactly as iproute2 prints them, into a byte buffer ([`out::Out`]).
//!
//! * [`out`] — iproute2's json_print/json_writer/color layer;
//! * [`fmt`] — addresses, link types, human-readable numbers;
//! * [`route`] — `print_route`;
//! * [`link`] — `print_linkinfo` (full, brief, details, statistics);
//! * [`maddr`] — `print_mlist`.
//!
//! No I/O: names come from [`sockscope_query::rtnl::names::IpNames`] (read by the query
//! crate) and interface/host/netns names from a [`sockscope_query::rtnl::lookup::Lookup`].

pub mod fmt;
pub mod link;
pub mod maddr;
pub mod out;
pub mod route;

#[cfg(test)]
pub(crate) mod testing {
    use sockscope_query::rtnl::lookup::Lookup;

    /// An rtattr with `payload`, padded to 4 bytes.
    pub fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    /// Fixed answers: 1 lo, 2 veth0, 3 veth2, 4 br0 (all up); nsid 0 = `nspb`;
    /// 192.0.2.2 = `peer-b.example`.
    #[derive(Default)]
    pub struct FakeLookup {
        buf: Vec<u8>,
    }

    impl Lookup for FakeLookup {
        fn ifname(&mut self, index: u32) -> &[u8] {
            match index {
                0 => b"*",
                1 => b"lo",
                2 => b"veth0",
                3 => b"veth2",
                4 => b"br0",
                _ => {
                    self.buf = format!("if{index}").into_bytes();
                    &self.buf
                }
            }
        }
        fn ifflags(&mut self, index: u32) -> Option<u32> {
            (1..=4).contains(&index).then_some(1)
        }
        fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]> {
            (family == 2 && addr == [192, 0, 2, 2]).then_some(&b"peer-b.example"[..])
        }
        fn netns_name(&mut self, nsid: i32) -> Option<&[u8]> {
            (nsid == 0).then_some(&b"nspb"[..])
        }
        fn user_name(&mut self, uid: u32) -> Option<&[u8]> {
            (uid == 0).then_some(&b"root"[..])
        }
        fn group_name(&mut self, gid: u32) -> Option<&[u8]> {
            (gid == 0).then_some(&b"root"[..])
        }
    }
}
