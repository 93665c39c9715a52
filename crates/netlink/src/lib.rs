//! sockscope-netlink: netlink sockets, request building, the dump loop and kernel wire layouts.
//!
//! Mirrors the kernel UAPI and knows nothing of the user's view: no filters, no formatting,
//! no /proc. All `unsafe` of the workspace lives here.
