//! Decoders from sock_diag replies (borrowed payload bytes) to the socket model, one module
//! per kind. They allocate nothing and never panic: a reply shorter than its fixed struct is
//! rejected (`None`), malformed attributes are skipped, leftover attribute bytes are reported
//! as a deficit for the caller to mention.

pub mod inet;
pub mod netlink;
pub mod other;
pub mod packet;
pub mod unix;
