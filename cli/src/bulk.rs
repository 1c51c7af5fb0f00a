//! `entra-invite bulk`: progress bar while rows finish, a summary at the end.

use std::path::PathBuf;
use std::time::Duration;

use entra_invite::bulk::count_rows;
use entra_invite::{BulkOptions, BulkOutcome, BulkSummary, Client, Error};
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
    pub wait: bool,
    pub settle_timeout: Duration,
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
        wait: a.wait,
        settle_timeout: a.settle_timeout,
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
    while let Some(r) = run.next().await {
        let r = r?;
        let s = run.summary();
        // Rows settled by an earlier run count as done.
        bar.set_position(s.done() + s.resumed);
        if r.outcome == BulkOutcome::Failed || s.failed > 0 {
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
                   "inputChanged": s.input_changed, "added": s.added, "fixed": s.fixed,
                   "removed": s.removed,
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
        if s.input_changed {
            t.push_str(&format!(
                "\nthe input differs from the one the results file was written for: \
                 {} new rows ({} of them fixed), {} earlier addresses no longer in it \
                 (their lines are kept, with no row number)",
                s.added, s.fixed, s.removed
            ));
        }
        if let Some(p) = &a.results {
            t.push_str(&format!("\nresults: {}", p.display()));
        }
        if s.failed > 0 {
            t.push_str("\nre-run the same command to retry the failed rows");
        }
        if s.invalid > 0 {
            t.push_str("\nfix the invalid rows (see the results file) and re-run the same command");
        }
        t.push('\n');
        t
    };
    Ok((text, s))
}
