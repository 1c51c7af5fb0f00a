//! Benchmark (not a test): drives N invitations at C in flight against the `graph-emulator`
//! binary (throttling off) and reports requests/s and the emulator's peak RSS (VmHWM).
//!
//! cargo run --release -p entra-invite-emulator --example invite_bench -- [N] [C] [path/to/graph-emulator]
//! (defaults: 10000, 64, the graph-emulator next to this example's target directory)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

fn default_bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/<profile>/examples/invite_bench → target/<profile>/graph-emulator
    exe.parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("graph-emulator"))
        .unwrap_or_default()
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let c: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let bin = args
        .get(3)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(default_bin);

    let mut child = Command::new(&bin)
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out).read_line(&mut line)?;
    }
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or("no listening line")?
        .to_string();

    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(c)
        .build()?;
    let tok: Value = http
        .post(format!("{base}/_emulator/tokens"))
        .json(&json!({}))
        .send()
        .await?
        .json()
        .await?;
    let token = tok["access_token"].as_str().ok_or("token")?.to_string();

    let sem = Arc::new(tokio::sync::Semaphore::new(c));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let permit = sem.clone().acquire_owned().await?;
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let r = http
                .post(format!("{base}/v1.0/invitations"))
                .bearer_auth(&token)
                .json(
                    &json!({"invitedUserEmailAddress": format!("bench{i}@fabrikam.com"),
                               "inviteRedirectUrl": "https://myapps.microsoft.com"}),
                )
                .send()
                .await;
            match r {
                Ok(r) if r.status() == 201 => r.bytes().await.is_ok(),
                _ => false,
            }
        });
    }
    let mut ok = 0usize;
    while let Some(r) = tasks.join_next().await {
        if matches!(r, Ok(true)) {
            ok += 1;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rss = vm_hwm_kib(child.id());
    println!(
        "{ok}/{n} invitations at {c} in flight in {secs:.2} s: {:.0} req/s; emulator peak RSS {} MiB",
        n as f64 / secs,
        rss.map(|k| format!("{:.1}", k as f64 / 1024.0))
            .unwrap_or_else(|| "?".into())
    );
    let _ = child.kill();
    let _ = child.wait();
    if ok == n {
        Ok(())
    } else {
        Err("some invitations failed".into())
    }
}
