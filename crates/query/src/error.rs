//! The errors a query run can end with. Everything else ss reports (netlink errors, missing
//! /proc files) is only a message — it goes through `Visitor::diagnostic` and the run goes on,
//! because ss's exit status does not change for it.

/// A run that must not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A datagram held bytes that do not form a netlink message. ss prints
    /// `!!!Remnant of size N` (already sent to `Visitor::diagnostic`) and calls `exit(1)`
    /// before rendering anything: the caller should print nothing more and exit with 1.
    #[error("!!!Remnant of size {0}")]
    Remnant(isize),
    /// Writing the raw dump (`ss -D FILE`) failed. ss does not check this; the caller may
    /// ignore it to stay compatible.
    #[error("writing the dump: {0}")]
    Write(#[source] std::io::Error),
}
