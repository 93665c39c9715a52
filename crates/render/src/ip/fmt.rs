//! Value formatting shared by the `ip` printers, each reproducing one iproute2 helper:
//! addresses (`rt_addr_n2a_r`, `format_host_r`, `ll_addr_n2a`, `mpls_ntop`), family and link
//! type names (`family_name`, `ll_type_n2a`), and the statistics numbers (`print_num`,
//! `size_columns`).

use sockscope_query::rtnl::lookup::Lookup;

use crate::{addr, cfmt};

const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;
const AF_PACKET: u16 = 17;
const AF_MPLS: u16 = 28;
const AF_BRIDGE: u16 = 7;

/// `family_name`.
pub fn family_name(f: u16) -> &'static [u8] {
    match f {
        AF_INET => b"inet",
        AF_INET6 => b"inet6",
        AF_PACKET => b"link",
        AF_MPLS => b"mpls",
        AF_BRIDGE => b"bridge",
        _ => b"???",
    }
}

fn v4(p: &[u8]) -> [u8; 4] {
    let mut a = [0u8; 4];
    let n = p.len().min(4);
    a[..n].copy_from_slice(&p[..n]);
    a
}

fn v6(p: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    let n = p.len().min(16);
    a[..n].copy_from_slice(&p[..n]);
    a
}

/// `mpls_ntop`: labels (20 bits of each big-endian entry) joined by `/`, up to the entry
/// with the bottom-of-stack bit.
fn mpls_ntop(out: &mut Vec<u8>, p: &[u8]) {
    let mut first = true;
    for c in p.chunks_exact(4) {
        let entry = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        if !first {
            out.push(b'/');
        }
        first = false;
        cfmt::u64_dec(out, u64::from(entry >> 12));
        if entry & 0x100 != 0 {
            return;
        }
    }
}

/// `rt_addr_n2a_r(family, len, addr)`: numeric text of an address of `family` (bytes beyond
/// the payload read as zero, where C would read past it).
pub fn addr_n2a(out: &mut Vec<u8>, family: u16, p: &[u8]) {
    match family {
        AF_INET => addr::ntop4(out, v4(p)),
        AF_INET6 => addr::ntop6(out, &v6(p)),
        AF_MPLS => mpls_ntop(out, p),
        AF_PACKET => ll_addr_n2a(out, p, 0xffff),
        AF_BRIDGE => {
            // A sockaddr: family (u16, host order) then the address.
            let fam = p.get(..2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
            match fam {
                Some(AF_INET) => addr::ntop4(out, v4(p.get(4..).unwrap_or(&[]))),
                Some(AF_INET6) => addr::ntop6(out, &v6(p.get(8..).unwrap_or(&[]))),
                _ => out.extend_from_slice(b"???"),
            }
        }
        _ => out.extend_from_slice(b"???"),
    }
}

/// `format_host_r`: the host name with `-r` (when the resolver knows one), else the
/// numeric text.
pub fn format_host(
    out: &mut Vec<u8>,
    family: u16,
    p: &[u8],
    resolve: bool,
    lookup: &mut dyn Lookup,
) {
    if resolve && (family == AF_INET || family == AF_INET6) {
        let len = if family == AF_INET { 4 } else { 16 };
        if p.len() >= len {
            if let Some(name) = lookup.host(family as u8, &p[..len]) {
                out.extend_from_slice(name);
                return;
            }
        }
    }
    addr_n2a(out, family, p);
}

/// `ll_addr_n2a(addr, alen, type)`: dotted quad or IPv6 text for tunnel types, else
/// lower-case hex bytes joined by `:` (at most what fits iproute2's 64-byte buffer).
pub fn ll_addr_n2a(out: &mut Vec<u8>, a: &[u8], ty: u16) {
    const TUNNEL: u16 = 768;
    const TUNNEL6: u16 = 769;
    const SIT: u16 = 776;
    const IPGRE: u16 = 778;
    const IP6GRE: u16 = 823;
    if a.len() == 4 && (ty == TUNNEL || ty == SIT || ty == IPGRE) {
        addr::ntop4(out, v4(a));
        return;
    }
    if a.len() == 16 && (ty == TUNNEL6 || ty == IP6GRE) {
        addr::ntop6(out, &v6(a));
        return;
    }
    // snprintf "%02x" then ":%02x" while the 64-byte buffer has room: 21 bytes fit whole,
    // the 22nd only as ":" + one digit.
    let first = a.first().copied().unwrap_or(0);
    cfmt::hex_pad(out, u64::from(first), 2);
    let mut l = 2usize;
    for &b in a.iter().skip(1) {
        if l >= 64 {
            break;
        }
        let room = 64 - l - 1;
        let mut piece = Vec::with_capacity(3);
        piece.push(b':');
        cfmt::hex_pad(&mut piece, u64::from(b), 2);
        out.extend_from_slice(&piece[..piece.len().min(room)]);
        l += 3;
    }
}

/// `ll_type_n2a`: the ARPHRD name, or `[N]` (always with `-N`).
pub fn ll_type_n2a(out: &mut Vec<u8>, ty: u16, numeric: bool) {
    let name: Option<&str> = if numeric {
        None
    } else {
        Some(match ty {
            0 => "netrom",
            1 => "ether",
            2 => "eether",
            3 => "ax25",
            4 => "pronet",
            5 => "chaos",
            6 => "ieee802",
            7 => "arcnet",
            8 => "atalk",
            15 => "dlci",
            19 => "atm",
            23 => "metricom",
            24 => "ieee1394",
            32 => "infiniband",
            256 => "slip",
            257 => "cslip",
            258 => "slip6",
            259 => "cslip6",
            260 => "rsrvd",
            264 => "adapt",
            270 => "rose",
            271 => "x25",
            272 => "hwx25",
            280 => "can",
            512 => "ppp",
            513 => "hdlc",
            516 => "lapb",
            517 => "ddcmp",
            518 => "rawhdlc",
            768 => "ipip",
            769 => "tunnel6",
            770 => "frad",
            771 => "skip",
            772 => "loopback",
            773 => "ltalk",
            774 => "fddi",
            775 => "bif",
            776 => "sit",
            777 => "ip/ddp",
            778 => "gre",
            779 => "pimreg",
            780 => "hippi",
            781 => "ash",
            782 => "econet",
            783 => "irda",
            784 => "fcpp",
            785 => "fcal",
            786 => "fcpl",
            787 => "fcfb0",
            788 => "fcfb1",
            789 => "fcfb2",
            790 => "fcfb3",
            791 => "fcfb4",
            792 => "fcfb5",
            793 => "fcfb6",
            794 => "fcfb7",
            795 => "fcfb8",
            796 => "fcfb9",
            797 => "fcfb10",
            798 => "fcfb11",
            799 => "fcfb12",
            800 => "tr",
            801 => "ieee802.11",
            802 => "ieee802.11/prism",
            803 => "ieee802.11/radiotap",
            804 => "ieee802.15.4",
            805 => "ieee802.15.4/monitor",
            820 => "phonet",
            821 => "phonet_pipe",
            822 => "caif",
            823 => "gre6",
            824 => "netlink",
            825 => "6lowpan",
            65534 => "none",
            65535 => "void",
            _ => "",
        })
    };
    match name {
        Some(n) if !n.is_empty() => out.extend_from_slice(n.as_bytes()),
        _ => {
            out.push(b'[');
            cfmt::u64_dec(out, u64::from(ty));
            out.push(b']');
        }
    }
}

/// `hexstring_n2a`: lower-case hex digits of every byte (phys port/switch ids).
pub fn hexstring(out: &mut Vec<u8>, p: &[u8]) {
    for &b in p {
        cfmt::hex_pad(out, u64::from(b), 2);
    }
}

/// The human-readable number options (`-h`, `-iec`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Human {
    pub on: bool,
    pub iec: bool,
}

/// `print_num(fp, width, count)`: `%*llu ` or, with `-h`, a scaled value with a unit
/// prefix (`kMGTPE`, `i` with `-iec`) right-aligned in `width`, then one space.
pub fn print_num(out: &mut Vec<u8>, width: usize, count: u64, h: Human) {
    let base: u64 = if h.iec { 1024 } else { 1000 };
    let mut tmp = Vec::with_capacity(24);
    if !h.on || count < base {
        cfmt::u64_dec(&mut tmp, count);
    } else {
        let prefixes = b"kMGTPE";
        let mut p = 0usize;
        let mut powi: u64 = 1;
        loop {
            powi = powi.wrapping_mul(base);
            if count / base < powi {
                break;
            }
            if p + 1 >= prefixes.len() {
                break;
            }
            p += 1;
        }
        let mut precision = 2usize;
        let mut powj: u64 = 1;
        while precision > 0 {
            powj *= 10;
            if count / powi < powj {
                break;
            }
            precision -= 1;
        }
        cfmt::f_prec(&mut tmp, count as f64 / powi as f64, precision);
        tmp.push(prefixes[p]);
        if h.iec {
            tmp.push(b'i');
        }
    }
    if tmp.len() < width {
        cfmt::pad(out, width - tmp.len());
    }
    out.extend_from_slice(&tmp);
    out.push(b' ');
}

/// `size_columns`: widen `cols[i]` to the digit count of `vals[i]` (not with `-h`).
pub fn size_columns(cols: &mut [usize; 8], vals: [u64; 8], h: Human) {
    if h.on {
        return;
    }
    for (c, v) in cols.iter_mut().zip(vals) {
        let mut len = 1;
        let mut x = v;
        while x > 9 {
            len += 1;
            x /= 10;
        }
        if len > *c {
            *c = len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: u64, h: Human) -> String {
        let mut o = Vec::new();
        print_num(&mut o, 0, v, h);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn human_numbers_match_spec_examples() {
        let h = Human {
            on: true,
            iec: false,
        };
        assert_eq!(num(56144, h), "56.1k ");
        assert_eq!(num(1086, h), "1.09k ");
        assert_eq!(num(904, h), "904 ");
        assert_eq!(num(10700035000, h), "10.7G ");
        assert_eq!(num(10161539, h), "10.2M ");
        assert_eq!(num(999_999, h), "1000k ");
        let i = Human {
            on: true,
            iec: true,
        };
        assert_eq!(num(71508, i), "69.8ki ");
        assert_eq!(num(10700035000, i), "9.97Gi ");
        assert_eq!(num(10161539, i), "9.69Mi ");
        assert_eq!(num(u64::MAX, h), "18.4E ");
        let mut o = Vec::new();
        print_num(&mut o, 7, 42, Human::default());
        assert_eq!(o, b"     42 ");
    }

    #[test]
    fn columns_widen() {
        let mut c = [10, 7, 6, 7, 7, 7, 10, 9];
        size_columns(
            &mut c,
            [10700035000, 10161539, 0, 0, 0, 0, 0, 0],
            Human::default(),
        );
        assert_eq!(c, [11, 8, 6, 7, 7, 7, 10, 9]);
        let mut d = [10, 7, 6, 7, 7, 7, 10, 9];
        size_columns(
            &mut d,
            [u64::MAX; 8],
            Human {
                on: true,
                iec: false,
            },
        );
        assert_eq!(d, [10, 7, 6, 7, 7, 7, 10, 9]);
    }

    #[test]
    fn link_addresses_and_types() {
        let mut o = Vec::new();
        ll_addr_n2a(&mut o, &[2, 0, 0, 0, 0, 1], 1);
        assert_eq!(o, b"02:00:00:00:00:01");
        o.clear();
        ll_addr_n2a(&mut o, &[192, 0, 2, 1], 778);
        assert_eq!(o, b"192.0.2.1");
        o.clear();
        ll_addr_n2a(&mut o, &[0xab; 30], 32);
        assert_eq!(o.len(), 63);
        o.clear();
        ll_type_n2a(&mut o, 65534, false);
        ll_type_n2a(&mut o, 1, true);
        ll_type_n2a(&mut o, 9999, false);
        assert_eq!(o, b"none[1][9999]");
        o.clear();
        addr_n2a(&mut o, 28, &[0, 1, 0x40, 0, 0, 2, 0x11, 0]);
        assert_eq!(o, b"20/33");
        o.clear();
        addr_n2a(&mut o, 99, &[1]);
        addr_n2a(&mut o, 10, &[0x20, 1, 0xd, 0xb8]);
        assert_eq!(o, b"???2001:db8::");
    }
}
