//! Helpers for unit tests that build kernel messages by hand.

/// An rtattr (netlink attribute) with `payload`, padded to 4 bytes.
pub fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    sockscope_netlink::request::put_attr(&mut v, kind, payload);
    v
}
