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
        let mut v = Vec::new();
        sockscope_netlink::request::put_attr(&mut v, kind, payload);
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

#[cfg(test)]
mod robustness {
    //! Arbitrary bytes through the decoders and printers: nothing may panic.
    use sockscope_query::rtnl::links::Link;
    use sockscope_query::rtnl::names::IpNames;
    use sockscope_query::rtnl::routes::{Route, RouteFilter};

    use super::link::{print_link, LinkCtx, LinkOptions};
    use super::out::{Out, OutOptions};
    use super::route::{print_route, RouteCtx, RouteOptions};
    use super::testing::{attr, FakeLookup};

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    /// A message of plausible attributes with random types (0..=70), lengths and contents,
    /// nested lists included, after a random header.
    fn message(rng: &mut Rng, header: usize) -> Vec<u8> {
        let mut p = rng.bytes(header);
        for _ in 0..(rng.next() % 24) {
            let kind = (rng.next() % 71) as u16 | if rng.next() % 4 == 0 { 0x8000 } else { 0 };
            let len = (rng.next() % 40) as usize;
            let payload = if rng.next() % 3 == 0 {
                let mut inner = Vec::new();
                for _ in 0..(rng.next() % 6) {
                    let l = (rng.next() % 12) as usize;
                    inner.extend(attr((rng.next() % 50) as u16, &rng.bytes(l)));
                }
                inner
            } else {
                rng.bytes(len)
            };
            p.extend(attr(kind, &payload));
        }
        if rng.next() % 5 == 0 {
            let cut = (rng.next() as usize) % (p.len() + 1);
            p.truncate(cut);
        }
        p
    }

    #[test]
    fn random_routes_and_links_print_without_panicking() {
        let names = IpNames::builtin(false);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut printed = 0usize;
        for round in 0..4000 {
            let json = round % 2 == 0;
            let opts = OutOptions {
                json,
                pretty: round % 3 == 0,
                color: round % 5 == 0,
                oneline: round % 7 == 0,
                ..Default::default()
            };
            let p = message(&mut rng, 12);
            if let Some(r) = Route::parse(24, &p) {
                let f = RouteFilter::default();
                let mut lk = FakeLookup::default();
                let ro = RouteOptions {
                    details: round % 2 == 1,
                    stats: true,
                    resolve: round % 3 == 1,
                    user_hz: 100,
                };
                let mut cx = RouteCtx::new(ro, &names, &mut lk, &f);
                let mut o = Out::new(opts);
                print_route(&mut o, &r, &mut cx);
                printed += o.buf.len();
            }
            // A valid name first, so that the whole printer runs.
            let mut p = message(&mut rng, 16);
            if p.len() >= 16 {
                let rest = p.split_off(16);
                p.extend(attr(3, b"x0\0"));
                p.extend(rest);
            }
            if let Some(l) = Link::parse(16, &p) {
                let mut lk = FakeLookup::default();
                let mut cx = LinkCtx {
                    opts: LinkOptions {
                        details: true,
                        stats: (round % 3) as u32,
                        brief: round % 11 == 0,
                        do_link: true,
                        ..Default::default()
                    },
                    names: &names,
                    lookup: &mut lk,
                };
                let mut o = Out::new(opts);
                print_link(&mut o, &l, &mut cx);
                printed += o.buf.len();
            }
        }
        assert!(printed > 0, "something was printed");
    }
}
