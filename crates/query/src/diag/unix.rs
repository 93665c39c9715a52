//! Decoding of one `unix_diag_msg` reply into a [`UnixSock`] (attributes numbered from 0:
//! NAME, VFS, PEER, ICONS, RQLEN, MEMINFO, SHUTDOWN, UID; first occurrence wins).

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::UnixDiagMsg;
use sockscope_netlink::msg::{ne_u32, FirstOfEach};

use crate::model::{Source, UnixSock};

/// Decodes a reply payload; `None` when shorter than `unix_diag_msg`.
pub fn decode(payload: &[u8]) -> Option<(UnixSock<'_>, Option<(isize, u16)>)> {
    let (m, attrs) = UnixDiagMsg::parse(payload)?;
    let mut s = UnixSock {
        source: Source::Netlink,
        sock_type: m.sock_type(),
        state: m.state(),
        inode: m.inode(),
        cookie: m.cookie(),
        ..UnixSock::default()
    };
    let mut it = FirstOfEach::new(attrs, UNIX_DIAG_MAX);
    for a in it.by_ref() {
        let p = a.payload;
        let pair = || Some((ne_u32(p, 0)?, ne_u32(p, 4)?));
        match a.kind {
            UNIX_DIAG_NAME => s.name = Some(p),
            UNIX_DIAG_VFS => s.vfs = pair(),
            UNIX_DIAG_PEER => s.peer = a.u32(),
            UNIX_DIAG_ICONS => s.icons = Some(p),
            UNIX_DIAG_RQLEN => s.rqlen = pair(),
            UNIX_DIAG_MEMINFO => s.meminfo = Some(p),
            UNIX_DIAG_SHUTDOWN => s.shutdown = a.u8(),
            UNIX_DIAG_UID => s.uid = a.u32(),
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
    fn unix_attributes() {
        let mut p = vec![1, 5, 10, 0, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0];
        p.extend(attr(UNIX_DIAG_NAME, b"\0abstract\0x"));
        p.extend(attr(UNIX_DIAG_VFS, &[1, 0, 0, 0, 2, 0, 0, 0]));
        p.extend(attr(UNIX_DIAG_PEER, &77u32.to_ne_bytes()));
        p.extend(attr(UNIX_DIAG_ICONS, &[3, 0, 0, 0, 4, 0, 0, 0]));
        p.extend(attr(UNIX_DIAG_RQLEN, &[5, 0, 0, 0, 6, 0, 0, 0]));
        p.extend(attr(UNIX_DIAG_MEMINFO, &[0; 36]));
        p.extend(attr(UNIX_DIAG_SHUTDOWN, &[2]));
        p.extend(attr(UNIX_DIAG_UID, &1000u32.to_ne_bytes()));
        p.extend(attr(UNIX_DIAG_PEER, &88u32.to_ne_bytes()));
        let (s, d) = decode(&p).unwrap();
        assert_eq!(d, None);
        assert_eq!(
            (s.sock_type, s.state, s.inode, s.cookie),
            (5, 10, 0x10, 0x20)
        );
        assert_eq!(s.name, Some(&b"\0abstract\0x"[..]));
        assert_eq!(
            (s.vfs, s.peer, s.rqlen),
            (Some((1, 2)), Some(77), Some((5, 6)))
        );
        assert_eq!(s.icons.map(|i| i.len()), Some(8));
        assert_eq!((s.shutdown, s.uid), (Some(2), Some(1000)));
        assert_eq!(s.meminfo.map(|m| m.len()), Some(36));
        assert!(decode(&p[..15]).is_none());
        // Short RQLEN/VFS are skipped.
        let mut q = p[..16].to_vec();
        q.extend(attr(UNIX_DIAG_RQLEN, &[1, 2]));
        let (s, _) = decode(&q).unwrap();
        assert_eq!(s.rqlen, None);
    }
}
