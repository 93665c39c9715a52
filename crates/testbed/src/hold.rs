//! The socket holders: open many loopback sockets, say `ready N`, hold them until stdin closes.
//!
//! Each holder stays under the per-process descriptor limit of the benchmark machines (20,000,
//! not raisable): at most [`MAX_PER_PROCESS`] pairs or sockets per process.

use std::io::{BufRead, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;

use crate::parse_num;

/// Pairs (two descriptors each) or single sockets one holder may open: 2 × 9,900 + a listener
/// and stdio stay below 20,000.
pub const MAX_PER_PROCESS: usize = 9_900;

fn loopback(v6: bool, port: u16) -> SocketAddr {
    if v6 {
        SocketAddr::from((Ipv6Addr::LOCALHOST, port))
    } else {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    }
}

fn check_count(n: usize, name: &str) -> Result<(), String> {
    if n == 0 || n > MAX_PER_PROCESS {
        return Err(format!(
            "{name} must be 1..={MAX_PER_PROCESS} (20,000 descriptors per process)"
        ));
    }
    Ok(())
}

/// `hold-tcp --pairs N --port P [--v6]`.
pub fn tcp(args: &[String]) -> Result<(), String> {
    let mut pairs = 0usize;
    let mut port = 0u16;
    let mut v6 = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pairs" => pairs = parse_num(it.next(), "--pairs")?,
            "--port" => port = parse_num(it.next(), "--port")?,
            "--v6" => v6 = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    check_count(pairs, "--pairs")?;
    let addr = loopback(v6, port);
    let listener = TcpListener::bind(addr).map_err(|e| format!("bind {addr}: {e}"))?;
    let mut held: Vec<TcpStream> = Vec::with_capacity(pairs * 2);
    // Connect and accept alternately so the accept queue never overflows.
    for _ in 0..pairs {
        let client = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
        let (server, _) = listener.accept().map_err(|e| format!("accept: {e}"))?;
        held.push(client);
        held.push(server);
    }
    hold_until_stdin_closes(pairs)?;
    drop(held);
    Ok(())
}

/// `hold-udp --count N [--v6]`: N unconnected UDP sockets on loopback, ephemeral ports.
pub fn udp(args: &[String]) -> Result<(), String> {
    let mut count = 0usize;
    let mut v6 = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--count" => count = parse_num(it.next(), "--count")?,
            "--v6" => v6 = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    check_count(count, "--count")?;
    let addr = loopback(v6, 0);
    let mut held = Vec::with_capacity(count);
    for _ in 0..count {
        held.push(UdpSocket::bind(addr).map_err(|e| format!("bind udp {addr}: {e}"))?);
    }
    hold_until_stdin_closes(count)?;
    drop(held);
    Ok(())
}

/// Removes the listener's path when the holder ends, however it ends (short of a signal).
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `hold-unix --pairs N --path PATH`: a named stream listener and N accepted connections.
pub fn unix(args: &[String]) -> Result<(), String> {
    let mut pairs = 0usize;
    let mut path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pairs" => pairs = parse_num(it.next(), "--pairs")?,
            "--path" => path = Some(PathBuf::from(it.next().ok_or("--path needs a value")?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    check_count(pairs, "--pairs")?;
    let path = path.ok_or("--path is required")?;
    let listener =
        UnixListener::bind(&path).map_err(|e| format!("bind {}: {e}", path.display()))?;
    let _cleanup = RemoveOnDrop(path.clone());
    let mut held: Vec<UnixStream> = Vec::with_capacity(pairs * 2);
    for _ in 0..pairs {
        let client =
            UnixStream::connect(&path).map_err(|e| format!("connect {}: {e}", path.display()))?;
        let (server, _) = listener.accept().map_err(|e| format!("accept: {e}"))?;
        held.push(client);
        held.push(server);
    }
    hold_until_stdin_closes(pairs)?;
    drop(held);
    drop(listener);
    Ok(())
}

/// Prints `ready N`, then reads stdin until EOF: the parent closes it (or dies) to release us.
fn hold_until_stdin_closes(n: usize) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready {n}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    let mut sink = String::new();
    let stdin = std::io::stdin();
    while stdin
        .lock()
        .read_line(&mut sink)
        .map_err(|e| e.to_string())?
        > 0
    {
        sink.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_over_the_descriptor_budget_are_refused() {
        assert!(tcp(&args(&["--pairs", "9901", "--port", "1"])).is_err());
        assert!(tcp(&args(&["--pairs", "0", "--port", "1"])).is_err());
        assert!(udp(&args(&["--count", "10000"])).is_err());
        assert!(
            unix(&args(&["--pairs", "5"])).is_err(),
            "--path is required"
        );
        assert!(udp(&args(&["--bogus"])).is_err());
    }

    #[test]
    fn loopback_addresses() {
        assert_eq!(loopback(false, 7).to_string(), "127.0.0.1:7");
        assert_eq!(loopback(true, 7).to_string(), "[::1]:7");
    }
}
