//! The environment variables the ss persona reads (spec §1.4): `PROC_ROOT`, the `PROC_NET_*`
//! overrides, `TCPDIAG_FILE` and sockscope's own `SOCKSCOPE_OWNERS` become a [`Sources`];
//! `SOCKSCOPE_TCP_WALK` a [`WalkChoice`]; `POSIXLY_CORRECT` changes getopt's argument order. The only place of the ss persona that calls `std::env`; the pure
//! [`sources_from`] takes a lookup function so tests need not touch the process environment.

use std::ffi::OsString;
use std::path::PathBuf;

use sockscope_query::owners::OwnerSource;
use sockscope_query::plan::Sources;

/// Builds [`Sources`] from a variable lookup. A variable counts when it is set at all, even to
/// the empty string (ss tests `getenv() != NULL`).
pub fn sources_from(var: impl Fn(&str) -> Option<OsString>) -> Sources {
    let path = |name: &str| var(name).map(PathBuf::from);
    Sources {
        proc_root: path("PROC_ROOT"),
        proc_net_tcp: path("PROC_NET_TCP"),
        proc_net_tcp6: path("PROC_NET_TCP6"),
        proc_net_udp: path("PROC_NET_UDP"),
        proc_net_udp6: path("PROC_NET_UDP6"),
        proc_net_raw: path("PROC_NET_RAW"),
        proc_net_raw6: path("PROC_NET_RAW6"),
        proc_net_unix: path("PROC_NET_UNIX"),
        proc_net_packet: path("PROC_NET_PACKET"),
        proc_net_netlink: path("PROC_NET_NETLINK"),
        proc_net_sockstat: path("PROC_NET_SOCKSTAT"),
        proc_net_sockstat6: path("PROC_NET_SOCKSTAT6"),
        proc_net_snmp: path("PROC_NET_SNMP"),
        proc_ip_local_port_range: path("PROC_IP_LOCAL_PORT_RANGE"),
        disable_dccp: var("PROC_NET_DCCP").is_some(),
        disable_sctp: var("PROC_NET_SCTP").is_some(),
        disable_mptcp: var("PROC_NET_MPTCP").is_some(),
        tcpdiag_file: path("TCPDIAG_FILE"),
        owners: owner_source(var("SOCKSCOPE_OWNERS")),
    }
}

/// `SOCKSCOPE_OWNERS`: `auto` (also when unset or unknown), `kernel` or `proc`.
pub fn owner_source(value: Option<OsString>) -> OwnerSource {
    value
        .and_then(|v| OwnerSource::parse(v.to_str()?))
        .unwrap_or_default()
}

/// `SOCKSCOPE_TCP_WALK`: how TCP's two families are asked of the kernel (see
/// `sockscope_query::plan::TcpWalk`); the output is the same either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WalkChoice {
    /// Concurrent requests where they pay (see the ss persona's `run`), else one walk (also
    /// for unknown values).
    #[default]
    Auto,
    PerFamily,
    Once,
    Concurrent,
}

/// Parses a `SOCKSCOPE_TCP_WALK` value: `auto`, `per-family`, `once` or `concurrent`.
pub fn walk_choice(value: Option<OsString>) -> WalkChoice {
    match value.as_deref().and_then(|v| v.to_str()) {
        Some("per-family") => WalkChoice::PerFamily,
        Some("once") => WalkChoice::Once,
        Some("concurrent") => WalkChoice::Concurrent,
        _ => WalkChoice::Auto,
    }
}

/// [`walk_choice`] of the process environment.
pub fn tcp_walk_choice() -> WalkChoice {
    walk_choice(std::env::var_os("SOCKSCOPE_TCP_WALK"))
}

/// [`sources_from`] the process environment.
pub fn sources_from_env() -> Sources {
    sources_from(|name| std::env::var_os(name))
}

/// glibc getopt stops at the first non-option when `POSIXLY_CORRECT` is set (to anything).
pub fn posixly_correct() -> bool {
    std::env::var_os("POSIXLY_CORRECT").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_source_values() {
        let v = |t: &str| owner_source(Some(OsString::from(t)));
        assert_eq!(v("kernel"), OwnerSource::Kernel);
        assert_eq!(v("proc"), OwnerSource::Proc);
        assert_eq!(v("auto"), OwnerSource::Auto);
        assert_eq!(v("bogus"), OwnerSource::Auto);
        assert_eq!(owner_source(None), OwnerSource::Auto);
        let s = sources_from(|n| (n == "SOCKSCOPE_OWNERS").then(|| OsString::from("proc")));
        assert_eq!(s.owners, OwnerSource::Proc);
    }

    #[test]
    fn walk_choice_values() {
        let v = |t: &str| walk_choice(Some(OsString::from(t)));
        assert_eq!(v("per-family"), WalkChoice::PerFamily);
        assert_eq!(v("once"), WalkChoice::Once);
        assert_eq!(v("concurrent"), WalkChoice::Concurrent);
        assert_eq!(v("auto"), WalkChoice::Auto);
        assert_eq!(v("Once"), WalkChoice::Auto);
        assert_eq!(walk_choice(None), WalkChoice::Auto);
    }

    #[test]
    fn every_variable_is_mapped() {
        let set = [
            ("PROC_ROOT", "/r"),
            ("PROC_NET_TCP", "/t"),
            ("PROC_NET_TCP6", "/t6"),
            ("PROC_NET_UDP", "/u"),
            ("PROC_NET_UDP6", "/u6"),
            ("PROC_NET_RAW", "/w"),
            ("PROC_NET_RAW6", "/w6"),
            ("PROC_NET_UNIX", "/x"),
            ("PROC_NET_PACKET", "/p"),
            ("PROC_NET_NETLINK", "/n"),
            ("PROC_NET_SOCKSTAT", "/s"),
            ("PROC_NET_SOCKSTAT6", "/s6"),
            ("PROC_NET_SNMP", "/snmp"),
            ("PROC_IP_LOCAL_PORT_RANGE", "/l"),
            ("PROC_NET_DCCP", ""),
            ("PROC_NET_SCTP", ""),
            ("PROC_NET_MPTCP", ""),
            ("TCPDIAG_FILE", "/d"),
        ];
        let s = sources_from(|k| {
            set.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| OsString::from(v))
        });
        let p = |v: &Option<PathBuf>| v.as_ref().map(|p| p.to_string_lossy().into_owned());
        let got = [
            p(&s.proc_root),
            p(&s.proc_net_tcp),
            p(&s.proc_net_tcp6),
            p(&s.proc_net_udp),
            p(&s.proc_net_udp6),
            p(&s.proc_net_raw),
            p(&s.proc_net_raw6),
            p(&s.proc_net_unix),
            p(&s.proc_net_packet),
            p(&s.proc_net_netlink),
            p(&s.proc_net_sockstat),
            p(&s.proc_net_sockstat6),
            p(&s.proc_net_snmp),
            p(&s.proc_ip_local_port_range),
        ];
        for (i, (_, v)) in set.iter().take(14).enumerate() {
            assert_eq!(got[i].as_deref(), Some(*v), "{}", set[i].0);
        }
        assert!(s.disable_dccp && s.disable_sctp && s.disable_mptcp);
        assert_eq!(p(&s.tcpdiag_file).as_deref(), Some("/d"));
    }

    #[test]
    fn unset_means_none_and_empty_counts() {
        let s = sources_from(|_| None);
        assert!(s.proc_root.is_none() && s.tcpdiag_file.is_none());
        assert!(!s.disable_dccp && !s.disable_sctp && !s.disable_mptcp);
        let s = sources_from(|k| (k == "PROC_ROOT").then(OsString::new));
        assert_eq!(s.proc_root, Some(PathBuf::new()));
    }
}
