//! Private network namespaces for the benchmark fixtures: creation (`ip netns add`, loopback
//! up), entering and leaving them with `setns(2)` on the main thread (so every process the
//! harness spawns afterwards — holders and timed tools — starts inside, and the timed process
//! is the tool alone, not an `ip netns exec` wrapper), deletion on drop, and a sweep of
//! namespaces left behind by a harness that was killed.
//!
//! Names are `sockscope-bench-<pid>-<tag>`: the pid lets the sweep tell a live run's namespace
//! from a dead one's.

use std::fs::File;
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use rustix::thread::{move_into_link_name_space, LinkNameSpaceType};

/// Every namespace this harness creates starts with this.
pub const PREFIX: &str = "sockscope-bench-";

/// A namespace this process created; deleted (after leaving it) on drop.
#[derive(Debug)]
pub struct Netns {
    name: String,
    /// The namespace we came from while we are inside this one.
    home: Option<File>,
}

impl Netns {
    /// `ip netns add sockscope-bench-<pid>-<tag>` and brings its loopback up.
    pub fn create(tag: &str) -> Result<Netns> {
        let name = format!("{PREFIX}{}-{tag}", std::process::id());
        ip(&["netns", "add", &name])?;
        let ns = Netns { name, home: None };
        ip(&["-n", &ns.name, "link", "set", "lo", "up"])?;
        Ok(ns)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Moves the calling thread (call it from the main thread) into the namespace.
    pub fn enter(&mut self) -> Result<()> {
        if self.home.is_some() {
            return Ok(());
        }
        let home = File::open("/proc/thread-self/ns/net").context("opening our namespace")?;
        let target = File::open(Path::new("/run/netns").join(&self.name))
            .with_context(|| format!("opening /run/netns/{}", self.name))?;
        move_into_link_name_space(target.as_fd(), Some(LinkNameSpaceType::Network))
            .with_context(|| format!("setns into {}", self.name))?;
        self.home = Some(home);
        Ok(())
    }

    /// Returns the calling thread to the namespace it was in before [`Netns::enter`].
    pub fn leave(&mut self) -> Result<()> {
        if let Some(home) = self.home.take() {
            move_into_link_name_space(home.as_fd(), Some(LinkNameSpaceType::Network))
                .context("setns back to our own namespace")?;
        }
        Ok(())
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Err(e) = self.leave() {
            eprintln!("xtask bench: {e:#}");
        }
        if let Err(e) = ip(&["netns", "del", &self.name]) {
            eprintln!("xtask bench: {e:#}");
        }
    }
}

/// Runs `ip ARGS`, failing with its stderr.
pub fn ip(args: &[&str]) -> Result<()> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("running ip (install iproute2)")?;
    if !out.status.success() {
        bail!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The pid embedded in one of our namespace names.
fn owner_pid(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// Deletes namespaces of earlier runs whose harness process is gone; returns their names.
pub fn sweep_stale() -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(dir) = std::fs::read_dir("/run/netns") else {
        return removed;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = owner_pid(&name) else {
            continue;
        };
        if Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        if ip(&["netns", "del", &name]).is_ok() {
            removed.push(name);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_pid_reads_only_our_names() {
        assert_eq!(owner_pid("sockscope-bench-4242-main"), Some(4242));
        assert_eq!(owner_pid("sockscope-bench-x-main"), None);
        assert_eq!(owner_pid("ssbench"), None);
    }
}
