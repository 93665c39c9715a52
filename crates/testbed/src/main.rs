//! `sockscope-testbed`: holds large socket fixtures for benchmarks.
//!
//! `sockscope-testbed hold-tcp --pairs N --port P [--v6]` opens one loopback listener on port P
//! and N established client/server pairs (2N+1 descriptors: stay under the 20,000-descriptor
//! limit per process), prints `ready N` on stdout, then waits until stdin closes and exits.
//! Run it inside a namespace with `ip netns exec`; spread big fixtures over several processes.
//! Only loopback is used.
#![forbid(unsafe_code)]

use std::io::{BufRead, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("hold-tcp") => match hold_tcp(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("sockscope-testbed: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: sockscope-testbed hold-tcp --pairs N --port P [--v6]");
            ExitCode::from(2)
        }
    }
}

fn hold_tcp(args: &[String]) -> Result<(), String> {
    let mut pairs = 0usize;
    let mut port = 0u16;
    let mut v6 = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pairs" => pairs = parse(it.next(), "--pairs")?,
            "--port" => port = parse(it.next(), "--port")?,
            "--v6" => v6 = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if pairs == 0 || pairs > 9_900 {
        return Err("--pairs must be 1..=9900 (two descriptors per pair, 20,000 per process)".into());
    }
    let addr = if v6 {
        SocketAddr::from((Ipv6Addr::LOCALHOST, port))
    } else {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    };
    let listener = TcpListener::bind(addr).map_err(|e| format!("bind {addr}: {e}"))?;
    let mut held: Vec<TcpStream> = Vec::with_capacity(pairs * 2);
    // Connect and accept alternately so the accept queue never overflows.
    for _ in 0..pairs {
        let client = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
        let (server, _) = listener.accept().map_err(|e| format!("accept: {e}"))?;
        held.push(client);
        held.push(server);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready {pairs}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    // Hold everything until our parent closes stdin.
    let mut sink = String::new();
    let stdin = std::io::stdin();
    while stdin.lock().read_line(&mut sink).map_err(|e| e.to_string())? > 0 {
        sink.clear();
    }
    drop(held);
    Ok(())
}

fn parse<T: std::str::FromStr>(v: Option<&String>, name: &str) -> Result<T, String> {
    v.and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{name} needs a number"))
}
