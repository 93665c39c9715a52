//! `ip maddr show` as iproute2 6.1's `print_mlist`/`print_maddr` (ip/ipmaddr.c) print it:
//! one `IDX:\tNAME` header per interface (per entry with `-o`), then `\tlink  MAC`,
//! `\tinet  ADDR`, `\tinet6 ADDR` lines with ` users N` (N ≠ 1) and ` static`; in JSON an
//! array of `{ifindex, ifname, maddr: [...]}` objects.

use sockscope_query::rtnl::lookup::Lookup;
use sockscope_query::rtnl::maddrs::Maddr;

use super::fmt::{family_name, format_host, ll_addr_n2a};
use super::out::{Color, Out};
use crate::cfmt;

const AF_PACKET: u8 = 17;

fn print_entry(o: &mut Out, m: &Maddr, resolve: bool, lookup: &mut dyn Lookup) {
    o.text(b"\t");
    o.open_obj(None);
    let mut t = Vec::with_capacity(48);
    if m.family == AF_PACKET {
        o.text(b"link  ");
        // ll_addr_n2a(..., type 0): ARPHRD_NETROM, which only changes 7-byte addresses.
        ll_addr_n2a(&mut t, &m.addr, 0);
        o.str_any(Color::Mac, "link", b"", &t, b"");
    } else {
        let fam = family_name(u16::from(m.family));
        let mut f = fam.to_vec();
        if !o.is_json() {
            while f.len() < 5 {
                f.push(b' ');
            }
        }
        o.str_any(Color::None, "family", b"", &f, b" ");
        format_host(&mut t, u16::from(m.family), &m.addr, resolve, lookup);
        o.str_any(Color::family(m.family), "address", b"", &t, b"");
    }
    if m.users != 1 {
        o.u64_any("users", b" users ", u64::from(m.users as u32), b"");
    }
    if m.is_static {
        o.str_any(Color::None, "features", b" ", b"static", b"");
    }
    o.text(b"\n");
    o.close_obj();
}

/// Prints the whole list (`print_mlist`), including the JSON document brackets.
pub fn print_mlist(
    o: &mut Out,
    list: &[Maddr],
    oneline: bool,
    resolve: bool,
    lookup: &mut dyn Lookup,
) {
    o.begin_document();
    let mut cur = 0i32;
    for m in list {
        if m.index != cur || oneline {
            if cur != 0 {
                o.close_arr();
                o.close_obj();
            }
            o.open_obj(None);
            if o.is_json() {
                o.j_u64(Some("ifindex"), u64::from(m.index as u32));
            } else {
                let mut t = Vec::new();
                cfmt::i64_dec(&mut t, i64::from(m.index));
                t.push(b':');
                o.text(&t);
            }
            o.str_any(Color::Ifname, "ifname", b"\t", &m.ifname, b"");
            o.nl();
            cur = m.index;
            o.open_arr(Some("maddr"));
        }
        print_entry(o, m, resolve, lookup);
    }
    if cur != 0 {
        o.close_arr();
        o.close_obj();
    }
    o.end_document();
}

#[cfg(test)]
mod tests {
    use super::super::out::OutOptions;
    use super::super::testing::FakeLookup;
    use super::*;

    fn list() -> Vec<Maddr> {
        let m = |index: i32, name: &str, family: u8, addr: Vec<u8>, users: i32, st: bool| Maddr {
            index,
            ifname: name.as_bytes().to_vec(),
            family,
            addr,
            users,
            is_static: st,
        };
        vec![
            m(1, "lo", 2, vec![224, 0, 0, 1], 1, false),
            m(2, "veth0", 17, vec![1, 0, 0x5e, 1, 2, 3], 2, true),
            m(
                2,
                "veth0",
                10,
                {
                    let mut a = vec![0u8; 16];
                    a[0] = 0xff;
                    a[1] = 0x02;
                    a[15] = 1;
                    a
                },
                1,
                false,
            ),
        ]
    }

    #[test]
    fn text_json_oneline() {
        let mut lk = FakeLookup::default();
        let mut o = Out::new(OutOptions::default());
        print_mlist(&mut o, &list(), false, false, &mut lk);
        assert_eq!(
            String::from_utf8(o.buf).unwrap(),
            "1:\tlo\n\tinet  224.0.0.1\n2:\tveth0\n\tlink  01:00:5e:01:02:03 users 2 static\n\tinet6 ff02::1\n"
        );
        let mut o = Out::new(OutOptions {
            json: true,
            ..Default::default()
        });
        print_mlist(&mut o, &list(), false, false, &mut lk);
        assert_eq!(
            String::from_utf8(o.buf).unwrap(),
            "[{\"ifindex\":1,\"ifname\":\"lo\",\"maddr\":[{\"family\":\"inet\",\"address\":\"224.0.0.1\"}]},{\"ifindex\":2,\"ifname\":\"veth0\",\"maddr\":[{\"link\":\"01:00:5e:01:02:03\",\"users\":2,\"features\":\"static\"},{\"family\":\"inet6\",\"address\":\"ff02::1\"}]}]\n"
        );
        let mut o = Out::new(OutOptions {
            oneline: true,
            ..Default::default()
        });
        print_mlist(&mut o, &list(), true, false, &mut lk);
        assert_eq!(
            String::from_utf8(o.buf).unwrap(),
            "1:\tlo\\\tinet  224.0.0.1\n2:\tveth0\\\tlink  01:00:5e:01:02:03 users 2 static\n2:\tveth0\\\tinet6 ff02::1\n"
        );
        let mut o = Out::new(OutOptions {
            json: true,
            pretty: true,
            ..Default::default()
        });
        print_mlist(&mut o, &[], false, false, &mut lk);
        assert_eq!(o.buf, b"[ ]\n");
    }
}
