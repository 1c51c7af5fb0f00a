//! Bulk invitation benchmarks.
//! `bulk-bench paced [ROWS]`: the emulator throttles at Graph's real invitation limit (150 per
//!   5 s per tenant); reports the achieved rate, failed rows and early retries.
//! `bulk-bench dry-run [ROWS]`: reads and validates a large file with nothing sent; rows/s and
//!   this process's peak memory.

use std::io::Write;
use std::time::Instant;

use entra_invite::{BulkOptions, Settings};
use entra_invite_bench::{peak_rss_mib, EmulatorProcess};

fn write_file(rows: usize) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("ei-bulk-bench-{}-{rows}.csv", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("temp file"));
    writeln!(f, "version:v1.0").unwrap();
    writeln!(f, "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "partner{i}@fabrikam.com,https://myapps.microsoft.com/,false,\"Welcome, partner {i}\""
        )
        .unwrap();
    }
    f.flush().unwrap();
    p
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("paced");
    match mode {
        "paced" => paced(args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3000)),
        "dry-run" => dry_run(
            args.get(2)
                .and_then(|s| s.parse().ok())
                .unwrap_or(1_000_000),
        ),
        other => {
            eprintln!("unknown mode {other}: paced | dry-run");
            std::process::exit(2)
        }
    }
}

fn paced(rows: usize) {
    let input = write_file(rows);
    let faults = std::env::temp_dir().join(format!("ei-bulk-faults-{}.json", std::process::id()));
    std::fs::write(&faults, r#"{"throttle": {"invitations": {"limit": 150, "windowMs": 5000}, "retryAfter": "integer"}}"#).unwrap();
    let emu = EmulatorProcess::start(&["--faults", faults.to_str().unwrap()]);
    let url = emu.url.clone();
    let client = entra_invite_bench::settings(&url).build().expect("client");
    let results =
        std::env::temp_dir().join(format!("ei-bulk-bench-{}.results.csv", std::process::id()));
    let _ = std::fs::remove_file(&results);
    let opts = BulkOptions {
        concurrency: 32,
        results: Some(results),
        ..Default::default()
    };
    let (summary, secs, first_invite_at) = entra_invite::block_on(async move {
        let mut run = client.bulk_invite(&input, opts)?;
        let t0 = Instant::now();
        let mut first = None;
        while let Some(r) = run.next().await {
            r?;
            first.get_or_insert_with(|| t0.elapsed().as_secs_f64());
        }
        Ok::<_, entra_invite::Error>((
            run.summary(),
            t0.elapsed().as_secs_f64(),
            first.unwrap_or(0.0),
        ))
    })
    .expect("bulk run");
    let counters: serde_json::Value = entra_invite::block_on(async move {
        match reqwest::get(format!("{url}/_emulator/counters")).await {
            Ok(r) => r.json().await.unwrap_or_default(),
            Err(_) => serde_json::Value::Null,
        }
    });
    let per5 = summary.invited as f64 / secs * 5.0;
    println!(
        "rows: {rows}, invited: {}, existing: {}, failed: {}, invalid: {}",
        summary.invited, summary.existing, summary.failed, summary.invalid
    );
    println!("wall: {secs:.1} s (first result after {first_invite_at:.2} s)");
    println!(
        "rate: {per5:.1} invitations per 5 s ({:.1} % of Graph's 150)",
        per5 / 150.0 * 100.0
    );
    println!(
        "429s answered: {}, early retries: {}",
        throttled(&counters),
        counters["earlyRetries"]
    );
}

fn throttled(c: &serde_json::Value) -> u64 {
    c["requests"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.ends_with(" 429"))
                .map(|(_, v)| v.as_u64().unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

fn dry_run(rows: usize) {
    let input = write_file(rows);
    let size = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);
    let client = Settings {
        token: Some("dry-run".into()),
        ..Default::default()
    }
    .build()
    .expect("client");
    let before = peak_rss_mib(std::process::id());
    let (summary, secs) = entra_invite::block_on(async move {
        let t0 = Instant::now();
        let s = client
            .bulk_invite(
                &input,
                BulkOptions {
                    dry_run: true,
                    ..Default::default()
                },
            )?
            .finish()
            .await?;
        Ok::<_, entra_invite::Error>((s, t0.elapsed().as_secs_f64()))
    })
    .expect("dry run");
    println!(
        "rows: {rows} ({:.0} MiB file), valid: {}, invalid: {}, existing (duplicates): {}",
        size as f64 / 1048576.0,
        summary.valid,
        summary.invalid,
        summary.existing
    );
    println!("wall: {secs:.1} s, {:.0} rows/s", rows as f64 / secs);
    println!(
        "peak RSS: {:.1} MiB (before the run: {before:.1} MiB)",
        peak_rss_mib(std::process::id())
    );
}
