//! `entra-invite bulk`: progress bar while rows finish, a summary at the end.

use std::path::PathBuf;
use std::time::Duration;

use entra_invite::bulk::count_rows;
use entra_invite::{BulkOptions, BulkSummary, Client, Error, Outcome};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

pub struct Args {
    pub input: PathBuf,
    pub results: Option<PathBuf>,
    pub concurrency: usize,
    pub dry_run: bool,
    pub skip_existing: bool,
    pub quiet: bool,
    pub json: bool,
}

pub async fn run(client: Client, a: Args) -> Result<(String, BulkSummary), Error> {
    let input = a.input.clone();
    let total = entra_invite::spawn(async move {
        tokio::task::spawn_blocking(move || count_rows(&input))
            .await
            .map_err(|e| Error::invalid_input("input", e.to_string()))?
    })
    .await?;
    let opts = BulkOptions {
        concurrency: a.concurrency,
        skip_existing: a.skip_existing,
        dry_run: a.dry_run,
        results: a.results.clone(),
    };
    let mut run = client.bulk_invite(&a.input, opts)?;
    let bar = if a.quiet || a.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} rows  {per_sec}  eta {eta}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let mut first = true;
    while let Some(r) = run.next().await {
        let r = r?;
        if first {
            // Rows settled by an earlier run count as done.
            bar.set_position(run.summary().resumed);
            first = false;
        }
        bar.inc(1);
        let s = run.summary();
        if r.outcome == Outcome::Failed || s.failed > 0 {
            bar.set_message(format!("{} failed", s.failed));
        }
    }
    bar.finish_and_clear();
    let s = run.summary();
    let text = if a.json {
        format!(
            "{}\n",
            json!({"total": total, "invited": s.invited, "existing": s.existing, "failed": s.failed,
                   "invalid": s.invalid, "valid": s.valid, "resumed": s.resumed,
                   "results": a.results.as_ref().map(|p| p.display().to_string())})
        )
    } else {
        let mut t = format!(
            "{total} rows: {} invited, {} existing, {} failed, {} invalid",
            s.invited, s.existing, s.failed, s.invalid
        );
        if a.dry_run {
            t.push_str(&format!(", {} valid (dry run: nothing sent)", s.valid));
        }
        if s.resumed > 0 {
            t.push_str(&format!(", {} settled by an earlier run", s.resumed));
        }
        if let Some(p) = &a.results {
            t.push_str(&format!("\nresults: {}", p.display()));
        }
        if s.failed > 0 {
            t.push_str("\nre-run the same command to retry the failed rows");
        }
        t.push('\n');
        t
    };
    Ok((text, s))
}
