//! Name databases the output needs, behind one trait so renderers stay free of I/O and can be
//! tested with fixed answers.
//!
//! Implementations cache: ss looks each value up once per run.

/// Answers the lookups a renderer makes. Returned slices live until the next call.
pub trait Resolver {
    /// Service name for `port` and protocol `proto` (`"tcp"`, `"udp"`, `"raw"`, or `""` for
    /// "any", ss's unset protocol), as getservbyport would answer.
    fn service(&mut self, port: u16, proto: &str) -> Option<&[u8]>;
    /// RPC service name (`rpc.NAME`) registered with rpcbind for `port` and `proto` (`"tcp"` or
    /// `"udp"`), as ss learns them at start-up with `-r`. ss consults these before
    /// [`Resolver::service`] and even for ports inside the ephemeral range. Default: none.
    fn rpc_service(&mut self, _port: u16, _proto: &str) -> Option<&[u8]> {
        None
    }
    /// Protocol name for an IP protocol number, as getprotobynumber would answer.
    fn protocol(&mut self, proto: u8) -> Option<&[u8]>;
    /// The local ephemeral port range (`ip_local_port_range`; 1024..=4999 when unreadable).
    fn ephemeral_range(&mut self) -> (u32, u32);
    /// Interface name for an index (RTM_GETLINK, then `if<N>`).
    fn ifname(&mut self, index: u32) -> &[u8];
    /// Host name for an address (`-r`); `None` when not found.
    fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]>;
    /// The `comm` of process `pid` (netlink socket owners), from `<proc>/PID/stat`.
    fn process_name(&mut self, pid: u32) -> Option<&[u8]>;
    /// The cgroup2 path of a cgroup id, relative to the cgroup2 mount (`/` for the root), or
    /// `None` when unresolvable (ss then prints `unreachable:%llx`).
    fn cgroup_path(&mut self, id: u64) -> Option<&[u8]>;
}
