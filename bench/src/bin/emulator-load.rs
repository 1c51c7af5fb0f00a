//! 10,000 invitations from the Rust client at 64 in flight, throttling off: the emulator's
//! throughput and peak memory. `cargo run --release -p entra-invite-bench --bin emulator-load [N] [IN_FLIGHT]`

use std::sync::Arc;
use std::time::Instant;

use entra_invite::InvitationRequest;
use entra_invite_bench::EmulatorProcess;
use futures_util::stream::{self, StreamExt};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let in_flight: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(64);
    let emu = EmulatorProcess::start(&[]);
    let client = entra_invite_bench::settings(&emu.url)
        .into_builder()
        .and_then(|b| b.invitation_pacing(None).build())
        .expect("client");
    let client = Arc::new(client);
    let errors = entra_invite::block_on(async move {
        let t0 = Instant::now();
        let results: Vec<bool> = stream::iter(0..n)
            .map(|i| {
                let c = client.clone();
                async move {
                    c.invite(&InvitationRequest::new(
                        format!("load{i}@fabrikam.com"),
                        "https://myapps.microsoft.com/",
                    ))
                    .await
                    .is_ok()
                }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let secs = t0.elapsed().as_secs_f64();
        let failed = results.iter().filter(|ok| !**ok).count();
        println!("invitations: {n}, in flight: {in_flight}, failed: {failed}");
        println!(
            "wall: {secs:.2} s, throughput: {:.0} requests/s",
            n as f64 / secs
        );
        Ok::<usize, entra_invite::Error>(failed)
    })
    .unwrap_or(1);
    println!("emulator peak RSS: {:.1} MiB", emu.peak_rss_mib());
    if errors > 0 {
        std::process::exit(1);
    }
}
