//! Shared pieces of the benchmarks: run the emulator as its own process and watch its memory.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A `graph-emulator` process (so its memory is measured apart from the client's).
pub struct EmulatorProcess {
    child: Child,
    pub url: String,
}

impl EmulatorProcess {
    /// Starts the binary next to the running one (same target dir and profile).
    pub fn start(extra: &[&str]) -> EmulatorProcess {
        let exe = std::env::current_exe().expect("own path");
        let bin: PathBuf = exe.with_file_name("graph-emulator");
        let mut child = Command::new(&bin)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e} (cargo build --release -p entra-invite-emulator)",
                    bin.display()
                )
            });
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("first line");
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .expect("listening line")
            .to_string();
        EmulatorProcess { child, url }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory (VmHWM) in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        peak_rss_mib(self.pid())
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// VmHWM of a process in MiB (0 when unknown).
pub fn peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The default app's settings against `url`.
pub fn settings(url: &str) -> entra_invite::Settings {
    entra_invite::Settings {
        tenant: Some("contoso.onmicrosoft.com".into()),
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        client_secret: Some("emulator-secret-value".into()),
        graph_url: Some(url.into()),
        ..Default::default()
    }
}
