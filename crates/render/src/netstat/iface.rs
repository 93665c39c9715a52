//! `netstat -i` as net-tools 2.10 prints it (netstat.c `iface_info`, lib/interface.c
//! `ife_print_short`, `ife_print_long`, lib/nstrcmp.c; spec 2.4): the interface list in
//! "natural" order, the short table and the ifconfig-style long form.

use std::cmp::Ordering;

use sockscope_query::netstat::procnet::IfInet6Row;
use sockscope_query::netstat::rtnl::DevCounters;

use super::text::{self, left, u_left, u_right};
use crate::{addr, cfmt};

// include/uapi/linux/if.h
const IFF_UP: u16 = 0x1;
const IFF_BROADCAST: u16 = 0x2;
const IFF_DEBUG: u16 = 0x4;
const IFF_LOOPBACK: u16 = 0x8;
const IFF_POINTOPOINT: u16 = 0x10;
const IFF_NOTRAILERS: u16 = 0x20;
const IFF_RUNNING: u16 = 0x40;
const IFF_NOARP: u16 = 0x80;
const IFF_PROMISC: u16 = 0x100;
const IFF_ALLMULTI: u16 = 0x200;
const IFF_MASTER: u16 = 0x400;
const IFF_SLAVE: u16 = 0x800;
const IFF_MULTICAST: u16 = 0x1000;

/// An IPv4 address line: (address, netmask, broadcast, destination).
pub type Inet4 = ([u8; 4], [u8; 4], [u8; 4], [u8; 4]);

/// One entry of netstat's interface list (a device, or an IPv4 alias label of one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Iface {
    pub name: Vec<u8>,
    /// The 16-bit flag word (SIOCGIFFLAGS).
    pub flags: u16,
    pub mtu: i32,
    /// ARPHRD_* type.
    pub hw_type: u16,
    /// The first 8 bytes of the hardware address (netstat keeps 8).
    pub hwaddr: [u8; 8],
    pub txqlen: Option<i32>,
    /// The IPv4 address of the entry's own label: (address, netmask, broadcast, destination).
    pub inet: Option<Inet4>,
    /// /proc/net/dev counters (devices only, not alias labels).
    pub counters: Option<DevCounters>,
    /// irq, mem_start, mem_end, base_addr, dma (SIOCGIFMAP).
    pub map: (u8, u64, u64, u16, u8),
}

/// lib/nstrcmp.c `nstrcmp`: names compared with a trailing `:N` alias split off and a trailing
/// number compared numerically.
pub fn nstrcmp(a: &[u8], b: &[u8]) -> Ordering {
    fn cut_alias(name: &[u8]) -> (&[u8], Option<&[u8]>) {
        let mut digit = false;
        let mut pos = name.len();
        while pos > 0 {
            let c = name[pos - 1];
            if c == b':' && digit {
                return (&name[..pos - 1], Some(&name[pos..]));
            }
            if !c.is_ascii_digit() {
                break;
            }
            digit = true;
            pos -= 1;
        }
        (name, None)
    }
    fn last_nondigit(name: &[u8]) -> usize {
        let mut pos = name.len();
        while pos > 0 {
            if !name[pos - 1].is_ascii_digit() {
                return pos;
            }
            pos -= 1;
        }
        0
    }
    fn atoi(s: &[u8]) -> i64 {
        let mut v: i64 = 0;
        for &c in s.iter().take_while(|c| c.is_ascii_digit()) {
            v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
        }
        v
    }
    let (a, aalias) = cut_alias(a);
    let (b, balias) = cut_alias(b);
    let (ai, bi) = (last_nondigit(a), last_nondigit(b));
    let n = ai.min(bi);
    let prefix = a[..n.min(a.len())].cmp(&b[..n.min(b.len())]);
    if prefix != Ordering::Equal {
        return prefix;
    }
    if ai != bi {
        return ai.cmp(&bi);
    }
    let c = atoi(&a[ai..]).cmp(&atoi(&b[bi..]));
    if c != Ordering::Equal {
        return c;
    }
    let c = a.cmp(b);
    if c != Ordering::Equal {
        return c;
    }
    let av = aalias.map_or(-1, atoi);
    let bv = balias.map_or(-1, atoi);
    let c = av.cmp(&bv);
    if c != Ordering::Equal {
        return c;
    }
    match (aalias, balias) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// lib/interface.c `if_cache_add`: inserts `name` into the sorted list unless present (the
/// list is scanned backwards from its end, as netstat does).
pub fn sorted_insert(list: &mut Vec<Vec<u8>>, name: &[u8]) -> usize {
    let mut i = list.len();
    while i > 0 {
        match nstrcmp(&list[i - 1], name) {
            Ordering::Equal => return i - 1,
            Ordering::Less => break,
            Ordering::Greater => i -= 1,
        }
    }
    list.insert(i, name.to_vec());
    i
}

/// `Kernel Interface table` (printed once per run).
pub fn title(out: &mut Vec<u8>) {
    out.extend_from_slice(b"Kernel Interface table\n");
}

/// The short-form column header (printed every round).
pub fn short_header(out: &mut Vec<u8>) {
    out.extend_from_slice(
        b"Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n",
    );
}

/// The short form's flag letters.
pub fn short_flags(out: &mut Vec<u8>, flags: u16) {
    if flags == 0 {
        out.extend_from_slice(b"[NO FLAGS]");
    }
    for (bit, c) in [
        (IFF_ALLMULTI, b'A'),
        (IFF_BROADCAST, b'B'),
        (IFF_DEBUG, b'D'),
        (IFF_LOOPBACK, b'L'),
        (IFF_MULTICAST, b'M'),
        (IFF_PROMISC, b'P'),
        (IFF_NOTRAILERS, b'N'),
        (IFF_NOARP, b'O'),
        (IFF_POINTOPOINT, b'P'),
        (IFF_SLAVE, b's'),
        (IFF_MASTER, b'm'),
        (IFF_RUNNING, b'R'),
        (IFF_UP, b'U'),
    ] {
        if flags & bit != 0 {
            out.push(c);
        }
    }
}

/// One short-form row.
pub fn short_row(out: &mut Vec<u8>, i: &Iface) {
    let name = &i.name[..i.name.len().min(15)];
    left(out, name, 15);
    out.push(b' ');
    text::i_right(out, i64::from(i.mtu), 5);
    out.push(b' ');
    match &i.counters {
        Some(c) => {
            u_right(out, c.rx_packets, 8);
            out.push(b' ');
            u_right(out, c.rx_errors, 6);
            out.push(b' ');
            u_right(out, c.rx_dropped, 6);
            out.push(b' ');
            u_left(out, c.rx_fifo, 6);
            out.push(b' ');
            u_right(out, c.tx_packets, 8);
            out.push(b' ');
            u_right(out, c.tx_errors, 6);
            out.push(b' ');
            u_right(out, c.tx_dropped, 6);
            out.push(b' ');
            u_right(out, c.tx_fifo, 6);
            out.push(b' ');
        }
        None => left(out, b"     - no statistics available -", 56),
    }
    short_flags(out, i.flags);
    out.push(b'\n');
}

/// The hardware type: (name, title, how the address prints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HwPrint {
    /// No address printed.
    None,
    /// `xx:xx:xx:xx:xx:xx`.
    Ether,
    /// The empty text (`tunnel ` then the txqueuelen part).
    Empty,
    /// 16 upper-case hex bytes joined by `-` (only the first 8 are the device's).
    Unspec,
}

/// lib/hw.c: the hardware types compiled into Debian's net-tools 2.10 that sockscope knows;
/// every other ARPHRD value is `unspec`.
fn hwtype(t: u16) -> (&'static str, &'static str, HwPrint) {
    match t {
        1 => ("ether", "Ethernet", HwPrint::Ether),
        772 => ("loop", "Local Loopback", HwPrint::None),
        512 => ("ppp", "Point-to-Point Protocol", HwPrint::None),
        776 => ("sit", "IPv6-in-IPv4", HwPrint::None),
        768 => ("tunnel", "IPIP Tunnel", HwPrint::Empty),
        _ => ("unspec", "UNSPEC", HwPrint::Unspec),
    }
}

/// Bytes as `N.N UNIT` (lib/interface.c: ×10 then integer division; strict `>` thresholds).
fn human(out: &mut Vec<u8>, b: u64) {
    let mut s = b.wrapping_mul(10);
    let unit: &[u8] = if b > 1_152_921_504_606_846_976 {
        s = b / 115_292_150_460_684_697;
        b"EiB"
    } else if b > 1_125_899_906_842_624 {
        s /= 1_125_899_906_842_624;
        b"PiB"
    } else if b > 1_099_511_627_776 {
        s /= 1_099_511_627_776;
        b"TiB"
    } else if b > 1_073_741_824 {
        s /= 1_073_741_824;
        b"GiB"
    } else if b > 1_048_576 {
        s /= 1_048_576;
        b"MiB"
    } else if b > 1024 {
        s /= 1024;
        b"KiB"
    } else {
        b"B"
    };
    cfmt::u64_dec(out, s / 10);
    out.push(b'.');
    cfmt::u64_dec(out, s % 10);
    out.push(b' ');
    out.extend_from_slice(unit);
}

/// One long-form block (ifconfig layout) followed by an empty line. `inet6` are the
/// /proc/net/if_inet6 lines of this name, in file order.
pub fn long_block(out: &mut Vec<u8>, i: &Iface, inet6: &[&IfInet6Row]) {
    out.extend_from_slice(&i.name);
    out.extend_from_slice(b": flags=");
    cfmt::i64_dec(out, i64::from(i.flags as i16));
    out.push(b'<');
    if i.flags == 0 {
        out.push(b'>');
    }
    for (bit, t) in [
        (IFF_UP, &b"UP,"[..]),
        (IFF_BROADCAST, b"BROADCAST,"),
        (IFF_DEBUG, b"DEBUG,"),
        (IFF_LOOPBACK, b"LOOPBACK,"),
        (IFF_POINTOPOINT, b"POINTOPOINT,"),
        (IFF_NOTRAILERS, b"NOTRAILERS,"),
        (IFF_RUNNING, b"RUNNING,"),
        (IFF_NOARP, b"NOARP,"),
        (IFF_PROMISC, b"PROMISC,"),
        (IFF_ALLMULTI, b"ALLMULTI,"),
        (IFF_SLAVE, b"SLAVE,"),
        (IFF_MASTER, b"MASTER,"),
        (IFF_MULTICAST, b"MULTICAST,"),
    ] {
        if i.flags & bit != 0 {
            out.extend_from_slice(t);
        }
    }
    // The last character: a ',' becomes '>', anything else is deleted.
    match out.last() {
        Some(b',') => {
            out.pop();
            out.push(b'>');
        }
        _ => {
            out.pop();
        }
    }
    out.extend_from_slice(b"  mtu ");
    cfmt::i64_dec(out, i64::from(i.mtu));
    out.push(b'\n');
    if let Some((a, m, b, d)) = i.inet {
        out.extend_from_slice(b"        inet ");
        addr::ntop4(out, a);
        out.extend_from_slice(b"  netmask ");
        addr::ntop4(out, m);
        if i.flags & IFF_BROADCAST != 0 {
            out.extend_from_slice(b"  broadcast ");
            addr::ntop4(out, b);
        }
        if i.flags & IFF_POINTOPOINT != 0 {
            out.extend_from_slice(b"  destination ");
            addr::ntop4(out, d);
        }
        out.push(b'\n');
    }
    for r in inet6 {
        out.extend_from_slice(b"        inet6 ");
        let start = out.len();
        addr::ntop6(out, &r.addr);
        text::fix_v4_address(out, start, &r.addr);
        out.extend_from_slice(b"  prefixlen ");
        cfmt::i64_dec(out, i64::from(r.prefix_len as i32));
        out.extend_from_slice(b"  scopeid 0x");
        cfmt::hex(out, u64::from(r.scope));
        let mut scope = r.scope;
        let mut f: Vec<u8> = vec![b'<'];
        if scope & 0x80 != 0 {
            f.extend_from_slice(b"compat,");
            scope -= 0x80;
        }
        if scope == 0 {
            f.extend_from_slice(b"global,");
        }
        if scope & 0x20 != 0 {
            f.extend_from_slice(b"link,");
        }
        if scope & 0x40 != 0 {
            f.extend_from_slice(b"site,");
        }
        if scope & 0x10 != 0 {
            f.extend_from_slice(b"host,");
        }
        match f.last() {
            Some(b',') => {
                f.pop();
                f.push(b'>');
            }
            _ => {
                f.pop();
            }
        }
        out.extend_from_slice(&f);
        out.push(b'\n');
    }
    let (name, title, print) = hwtype(i.hw_type);
    out.extend_from_slice(b"        ");
    out.extend_from_slice(name.as_bytes());
    match print {
        HwPrint::None => {}
        HwPrint::Empty => out.push(b' '),
        HwPrint::Ether => {
            out.push(b' ');
            for (k, b) in i.hwaddr[..6].iter().enumerate() {
                if k > 0 {
                    out.push(b':');
                }
                cfmt::hex_pad(out, u64::from(*b), 2);
            }
        }
        HwPrint::Unspec => {
            out.push(b' ');
            for k in 0..16 {
                if k > 0 {
                    out.push(b'-');
                }
                let b = i.hwaddr.get(k).copied().unwrap_or(0);
                let mut h = Vec::with_capacity(2);
                cfmt::hex_pad(&mut h, u64::from(b), 2);
                h.make_ascii_uppercase();
                out.extend_from_slice(&h);
            }
        }
    }
    if let Some(q) = i.txqlen {
        out.extend_from_slice(b"  txqueuelen ");
        cfmt::i64_dec(out, i64::from(q));
    }
    out.extend_from_slice(b"  (");
    out.extend_from_slice(title.as_bytes());
    out.extend_from_slice(b")\n");
    if let Some(c) = &i.counters {
        out.extend_from_slice(b"        RX packets ");
        cfmt::u64_dec(out, c.rx_packets);
        out.extend_from_slice(b"  bytes ");
        cfmt::u64_dec(out, c.rx_bytes);
        out.extend_from_slice(b" (");
        human(out, c.rx_bytes);
        out.extend_from_slice(b")\n        RX errors ");
        cfmt::u64_dec(out, c.rx_errors);
        out.extend_from_slice(b"  dropped ");
        cfmt::u64_dec(out, c.rx_dropped);
        out.extend_from_slice(b"  overruns ");
        cfmt::u64_dec(out, c.rx_fifo);
        out.extend_from_slice(b"  frame ");
        cfmt::u64_dec(out, c.rx_frame);
        out.extend_from_slice(b"\n        TX packets ");
        cfmt::u64_dec(out, c.tx_packets);
        out.extend_from_slice(b"  bytes ");
        cfmt::u64_dec(out, c.tx_bytes);
        out.extend_from_slice(b" (");
        human(out, c.tx_bytes);
        out.extend_from_slice(b")\n        TX errors ");
        cfmt::u64_dec(out, c.tx_errors);
        out.extend_from_slice(b"  dropped ");
        cfmt::u64_dec(out, c.tx_dropped);
        out.extend_from_slice(b" overruns ");
        cfmt::u64_dec(out, c.tx_fifo);
        out.extend_from_slice(b"  carrier ");
        cfmt::u64_dec(out, c.tx_carrier);
        out.extend_from_slice(b"  collisions ");
        cfmt::u64_dec(out, c.collisions);
        out.push(b'\n');
    }
    let (irq, mem_start, mem_end, base, dma) = i.map;
    if irq != 0 || mem_start != 0 || dma != 0 || base >= 0x100 {
        out.extend_from_slice(b"        device ");
        if irq != 0 {
            out.extend_from_slice(b"interrupt ");
            cfmt::u64_dec(out, u64::from(irq));
            out.extend_from_slice(b"  ");
        }
        if base >= 0x100 {
            out.extend_from_slice(b"base 0x");
            cfmt::hex(out, u64::from(base));
            out.extend_from_slice(b"  ");
        }
        if mem_start != 0 {
            out.extend_from_slice(b"memory 0x");
            cfmt::hex(out, mem_start);
            out.push(b'-');
            cfmt::hex(out, mem_end);
            out.extend_from_slice(b"  ");
        }
        if dma != 0 {
            out.extend_from_slice(b"  dma 0x");
            cfmt::hex(out, u64::from(dma));
        }
        out.push(b'\n');
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut list: Vec<Vec<u8>> = Vec::new();
        for n in [
            "lo", "veth0", "veth2", "br0", "br1", "tun0", "tunbig", "veth0:1", "br0",
        ] {
            sorted_insert(&mut list, n.as_bytes());
        }
        let got: Vec<String> = list
            .iter()
            .map(|v| String::from_utf8(v.clone()).unwrap())
            .collect();
        assert_eq!(
            got,
            ["br0", "br1", "lo", "tun0", "tunbig", "veth0", "veth0:1", "veth2"]
        );
        use Ordering::*;
        for (a, b, want) in [
            ("eth1", "eth20", Less),
            ("eth20", "eth100", Less),
            ("eth", "eth2", Less),
            ("eth0:1", "eth0:2", Less),
            ("a", "a:", Less),
            ("a1b12", "a1b2", Greater),
            ("eth1", "eth01", Greater),
            ("eth2:10", "eth2:1", Greater),
            ("eth1", "eth1", Equal),
        ] {
            assert_eq!(nstrcmp(a.as_bytes(), b.as_bytes()), want, "{a} {b}");
        }
    }

    fn dev() -> Iface {
        Iface {
            name: b"br0".to_vec(),
            flags: 4163,
            mtu: 1400,
            hw_type: 1,
            hwaddr: [2, 0, 0, 0, 0, 0x0b, 0, 0],
            txqlen: Some(1000),
            inet: Some((
                [198, 51, 100, 1],
                [255, 255, 255, 0],
                [198, 51, 100, 255],
                [0; 4],
            )),
            counters: Some(DevCounters {
                rx_packets: 12,
                rx_bytes: 848,
                tx_packets: 19,
                tx_bytes: 1602,
                ..DevCounters::default()
            }),
            map: (0, 0, 0, 0, 0),
        }
    }

    #[test]
    fn short_rows() {
        let mut o = Vec::new();
        short_row(&mut o, &dev());
        let mut alias = dev();
        alias.name = b"veth0:1".to_vec();
        alias.counters = None;
        alias.mtu = 1500;
        short_row(&mut o, &alias);
        let mut tun = dev();
        tun.name = b"tun0".to_vec();
        tun.flags = 0x10d0 & !0x40;
        short_row(&mut o, &tun);
        let mut none = dev();
        none.flags = 0;
        short_row(&mut o, &none);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "br0              1400       12      0      0 0            19      0      0      0 BMRU\n\
             veth0:1          1500      - no statistics available -                        BMRU\n\
             tun0             1400       12      0      0 0            19      0      0      0 MOP\n\
             br0              1400       12      0      0 0            19      0      0      0 [NO FLAGS]\n"
        );
    }

    #[test]
    fn long_blocks() {
        let v6 = IfInet6Row {
            addr: "2001:db8:2::1"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets(),
            ifindex: 4,
            prefix_len: 64,
            scope: 0,
            flags: 0x80,
            device: b"br0".to_vec(),
        };
        let ll = IfInet6Row {
            addr: "fe80::ff:fe00:b"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets(),
            scope: 0x20,
            ..v6.clone()
        };
        let mut o = Vec::new();
        long_block(&mut o, &dev(), &[&v6, &ll]);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "br0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1400\n\
             \x20       inet 198.51.100.1  netmask 255.255.255.0  broadcast 198.51.100.255\n\
             \x20       inet6 2001:db8:2::1  prefixlen 64  scopeid 0x0<global>\n\
             \x20       inet6 fe80::ff:fe00:b  prefixlen 64  scopeid 0x20<link>\n\
             \x20       ether 02:00:00:00:00:0b  txqueuelen 1000  (Ethernet)\n\
             \x20       RX packets 12  bytes 848 (848.0 B)\n\
             \x20       RX errors 0  dropped 0  overruns 0  frame 0\n\
             \x20       TX packets 19  bytes 1602 (1.5 KiB)\n\
             \x20       TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n"
        );
        let tun = Iface {
            name: b"tun0".to_vec(),
            flags: 4240,
            mtu: 1500,
            hw_type: 65534,
            txqlen: Some(500),
            ..Iface::default()
        };
        let mut o = Vec::new();
        long_block(&mut o, &tun, &[]);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "tun0: flags=4240<POINTOPOINT,NOARP,MULTICAST>  mtu 1500\n\
             \x20       unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)\n\n"
        );
        let mut z = tun.clone();
        z.flags = 0;
        let mut o = Vec::new();
        long_block(&mut o, &z, &[]);
        assert!(o.starts_with(b"tun0: flags=0<  mtu 1500\n"));
        z.flags = 0x4000;
        let mut o = Vec::new();
        long_block(&mut o, &z, &[]);
        assert!(o.starts_with(b"tun0: flags=16384  mtu 1500\n"));
        let mut h = Vec::new();
        human(&mut h, 10_700_035_000);
        assert_eq!(h, b"9.9 GiB");
    }
}
