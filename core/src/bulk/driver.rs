//! Runs a bulk file: a reader thread, bounded adaptive concurrency, results written in order of
//! completion, and a channel the caller drains at its own pace.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::cells::bounded;
use super::files::{self, RunLock};
use super::input::{InputReader, InputRow};
use super::journal::Journal;
use super::results::{self, Earlier, ResultsFile};
use super::settle::{self, Check, Job, Step};
use super::{address_key, BulkOptions, BulkOutcome, BulkResult, BulkSummary};
use crate::client::Inner;
use crate::error::Error;

/// Tries per row before it is reported failed (a 50 % 503 storm needs about two).
const MAX_ATTEMPTS: u32 = 16;
/// Transient failures in a row, across all rows, after which Graph is taken to be down: rows
/// are then reported failed after one try instead of retried (a re-run picks them up).
const OUTAGE: u32 = 100;

/// Counts the run keeps beside the rows it reports.
#[derive(Default)]
struct Reconciled {
    resumed: AtomicU64,
    added: AtomicU64,
    fixed: AtomicU64,
    removed: AtomicU64,
    input_changed: AtomicBool,
}

/// A bulk run in progress. Results come in completion order; dropping the run stops it (rows
/// in flight are journaled and resolved by the next run with the same results file).
pub struct BulkRun {
    rx: mpsc::Receiver<Result<BulkResult, Error>>,
    summary: BulkSummary,
    reconciled: Arc<Reconciled>,
    task: tokio::task::JoinHandle<()>,
    ended: bool,
}

impl Drop for BulkRun {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl BulkRun {
    /// The next finished row; `None` when all are done. An `Err` (unreadable input or results
    /// file, results file in use) ends the run.
    pub async fn next(&mut self) -> Option<Result<BulkResult, Error>> {
        let r = self.rx.recv().await;
        if r.is_none() && !self.ended {
            // The channel closes when the run ends; a run that panicked must not pass for done.
            self.ended = true;
            if let Err(e) = (&mut self.task).await {
                if e.is_panic() {
                    return Some(Err(Error::internal(
                        "the bulk run stopped unexpectedly; the results file keeps what was done",
                    )));
                }
            }
        }
        if let Some(Ok(res)) = &r {
            self.summary.add(res.outcome);
        }
        r
    }

    /// Counts so far (`resumed`, `added` and `fixed` grow as the input is read; `removed` is
    /// known at the end).
    pub fn summary(&self) -> BulkSummary {
        let c = &self.reconciled;
        BulkSummary {
            resumed: c.resumed.load(Ordering::Relaxed),
            added: c.added.load(Ordering::Relaxed),
            fixed: c.fixed.load(Ordering::Relaxed),
            removed: c.removed.load(Ordering::Relaxed),
            input_changed: c.input_changed.load(Ordering::Relaxed),
            ..self.summary
        }
    }

    /// Drains the run, returning the final counts.
    pub async fn finish(mut self) -> Result<BulkSummary, Error> {
        while let Some(r) = self.next().await {
            r?;
        }
        Ok(self.summary())
    }
}

pub(super) fn start(inner: Arc<Inner>, input: PathBuf, opts: BulkOptions) -> BulkRun {
    let (tx, rx) = mpsc::channel(1024);
    let reconciled = Arc::new(Reconciled::default());
    let r = reconciled.clone();
    let task = crate::runtime::runtime().spawn(async move {
        if let Err(e) = drive(inner, input, opts, &tx, &r).await {
            let _ = tx.send(Err(e)).await;
        }
    });
    BulkRun {
        rx,
        summary: BulkSummary::default(),
        reconciled,
        task,
        ended: false,
    }
}

/// Adaptive concurrency: halve on throttling (at most once per window of `cur` completions,
/// as TCP does per round trip), grow by one after a window of clean completions.
struct Aimd {
    cur: usize,
    cap: usize,
    clean: usize,
    /// Completions left before another decrease may happen.
    cooldown: usize,
    seen_throttles: u64,
}

impl Aimd {
    fn new(cap: usize) -> Self {
        Aimd {
            cur: cap.min(4),
            cap,
            clean: 0,
            cooldown: 0,
            seen_throttles: 0,
        }
    }
    fn completed(&mut self, throttles_now: u64) {
        let throttled = throttles_now > self.seen_throttles;
        self.seen_throttles = throttles_now;
        self.cooldown = self.cooldown.saturating_sub(1);
        if throttled && self.cooldown == 0 {
            self.cur = (self.cur / 2).max(1);
            self.clean = 0;
            self.cooldown = self.cur;
        } else if !throttled {
            self.clean += 1;
            if self.clean >= self.cur {
                self.cur = (self.cur + 1).min(self.cap);
                self.clean = 0;
            }
        }
    }
}

/// What the run holds before the first row goes out: the lock, what earlier runs recorded,
/// and the results file reopened for this run.
struct Prepared {
    _lock: Option<RunLock>,
    earlier: Earlier,
    out: Option<ResultsFile>,
}

/// File work, off the runtime's worker: checks the results path, takes the lock, reads the
/// whole input once (a file that is not CSV, or breaks off half-way, is refused before anything
/// is sent) and rewrites the results file for this run.
fn prepare(input: &std::path::Path, opts: &BulkOptions) -> Result<Prepared, Error> {
    let target = opts
        .results
        .as_deref()
        .map(|p| files::results_target(input, p))
        .transpose()?;
    let target = target.filter(|_| !opts.dry_run);
    let lock = target
        .as_deref()
        .map(|t| RunLock::acquire(t, input, opts.wait))
        .transpose()?;
    let fingerprint = super::fingerprint(input)?;
    let Some(target) = target else {
        return Ok(Prepared {
            _lock: lock,
            earlier: Earlier::default(),
            out: None,
        });
    };
    let earlier = results::load(&target)?;
    if earlier.cut_line {
        tracing::warn!(
            "the results file ends in a line cut short (a crash?); its row is looked up"
        );
    }
    let out = ResultsFile::create(&target, &earlier, &fingerprint)?;
    Ok(Prepared {
        _lock: lock,
        earlier,
        out: Some(out),
    })
}

/// When a row sent by an earlier run at `since` must show in queries if it was created. A
/// time in the future (a clock stepped back) counts as just now.
fn settle_deadline(since: Option<chrono::DateTime<Utc>>, settle: Duration) -> Instant {
    let elapsed = match since {
        Some(t) => (Utc::now() - t).to_std().unwrap_or(Duration::ZERO),
        None => settle,
    };
    Instant::now() + settle.saturating_sub(elapsed)
}

async fn drive(
    inner: Arc<Inner>,
    input: PathBuf,
    opts: BulkOptions,
    tx: &mpsc::Sender<Result<BulkResult, Error>>,
    counts: &Reconciled,
) -> Result<(), Error> {
    let (i, o) = (input.clone(), opts.clone());
    let prepared = tokio::task::spawn_blocking(move || prepare(&i, &o))
        .await
        .map_err(|_| Error::internal("reading the input and results files stopped"))??;
    let Prepared {
        _lock: lock,
        earlier,
        out,
    } = prepared;
    let journal = Arc::new(Journal::new(out));
    let fingerprint = journal.input();
    let had_earlier = !earlier.is_empty();
    counts.input_changed.store(
        had_earlier && (earlier.inputs.len() != 1 || !earlier.inputs.iter().eq(fingerprint.iter())),
        Ordering::Relaxed,
    );
    // Addresses of this input, with the first row that has each.
    let mut seen: HashMap<String, u64> = HashMap::new();

    let (row_tx, mut row_rx) = mpsc::channel::<Result<InputRow, Error>>(256);
    let reader = tokio::task::spawn_blocking(move || {
        let open = std::fs::File::open(&input)
            .map_err(|e| Error::invalid_input("input", format!("{}: {e}", input.display())));
        let mut rdr = match open.and_then(|f| InputReader::new(BufReader::new(f))) {
            Ok(r) => r,
            Err(e) => {
                let _ = row_tx.blocking_send(Err(e));
                return;
            }
        };
        loop {
            match rdr.next_row() {
                Ok(Some(row)) => {
                    if row_tx.blocking_send(Ok(row)).is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    let _ = row_tx.blocking_send(Err(e));
                    return;
                }
            }
        }
    });

    let settle = opts.settle_timeout;
    let mut tasks: JoinSet<Step> = JoinSet::new();
    let spawn = |tasks: &mut JoinSet<Step>, job: Job, pause: Duration| {
        let inner = inner.clone();
        let journal = journal.clone();
        tasks.spawn(async move {
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            settle::attempt(&inner, &journal, job, settle).await
        });
    };
    let mut aimd = Aimd::new(opts.concurrency);
    let mut input_done = false;
    let mut fatal: Option<Error> = None;
    let mut transient_run = 0u32;
    loop {
        while !input_done && fatal.is_none() && tasks.len() < aimd.cur {
            let row = match row_rx.recv().await {
                None => {
                    input_done = true;
                    break;
                }
                Some(Err(e)) => {
                    fatal = Some(e);
                    break;
                }
                Some(Ok(row)) => row,
            };
            let req = match row.request {
                // Invalid rows are reported on every run: nothing about them is resumed.
                Err(e) => {
                    let r = BulkResult::new(row.row, &bounded(&row.email), BulkOutcome::Invalid)
                        .with_error(&e);
                    if !report(&journal, tx, r, None).await? {
                        return Ok(());
                    }
                    continue;
                }
                Ok(req) => req,
            };
            let email = req.invited_user_email_address.trim().to_string();
            let key = address_key(&email);
            if let Some(first) = seen.get(&key) {
                let mut r = BulkResult::new(row.row, &email, BulkOutcome::Existing);
                r.message = Some(format!("same address as row {first}"));
                if !report(&journal, tx, r, None).await? {
                    return Ok(());
                }
                continue;
            }
            seen.insert(key.clone(), row.row);
            if opts.dry_run {
                let r = BulkResult::new(row.row, &email, BulkOutcome::Valid);
                if !report(&journal, tx, r, None).await? {
                    return Ok(());
                }
                continue;
            }
            let mut maybe_sent = None;
            let check = if let Some(s) = earlier.settled.get(&key) {
                let needs_url = s.result.outcome == BulkOutcome::Invited
                    && s.result.redeem_url.is_none()
                    && !req.send_invitation_message;
                if !needs_url {
                    // Settled by an earlier run: recorded again under this input's row, not redone.
                    counts.resumed.fetch_add(1, Ordering::Relaxed);
                    let mut r = s.result.clone();
                    r.row = row.row;
                    journal.line(&r, None)?;
                    continue;
                }
                Check::NeedsUrl
            } else if let Some(d) = earlier.in_doubt.get(&key) {
                maybe_sent = Some(d.since.unwrap_or(chrono::DateTime::UNIX_EPOCH));
                Check::MaybeSent {
                    until: settle_deadline(d.since, settle),
                }
            } else {
                if had_earlier {
                    counts.added.fetch_add(1, Ordering::Relaxed);
                    if earlier.invalid_rows.contains(&row.row) {
                        counts.fixed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Check::Fresh {
                    lookup: opts.skip_existing,
                }
            };
            // The row task journals `sending` before each invitation it sends.
            spawn(
                &mut tasks,
                Job::new(row.row, req, check, maybe_sent),
                Duration::ZERO,
            );
        }
        let Some(done) = tasks.join_next().await else {
            if input_done || fatal.is_some() {
                break;
            }
            continue;
        };
        let step = match done {
            Ok(s) => s,
            Err(e) => return Err(Error::internal(format!("a bulk row task failed: {e}"))),
        };
        aimd.completed(inner.transport.throttle_events.load(Ordering::Relaxed));
        let (r, sent) = match step {
            Step::Done(r, sent) => {
                if r.outcome != BulkOutcome::Failed {
                    transient_run = 0;
                }
                (r, sent)
            }
            Step::Again(job, pause) => {
                transient_run += 1;
                if job.attempts < MAX_ATTEMPTS && transient_run < OUTAGE {
                    spawn(&mut tasks, *job, pause);
                    continue;
                }
                give_up(*job, settle)
            }
        };
        if !report(&journal, tx, r, sent).await? {
            return Ok(());
        }
    }
    drop(row_rx);
    let _ = reader.await;
    if let Some(e) = fatal {
        return Err(e);
    }
    // Every row is settled: one line per row from here on. The lock goes with the rewrite,
    // so even a run dropped half-way through it keeps others out until the file is whole.
    drop(earlier);
    if let Some(f) = journal.take() {
        let removed = tokio::task::spawn_blocking(move || {
            let _lock = lock;
            f.compact(&|k| seen.contains_key(k))
        })
        .await
        .map_err(|_| Error::internal("rewriting the results file stopped"))??;
        counts.removed.store(removed, Ordering::Relaxed);
    }
    Ok(())
}

/// A row out of tries (or Graph down): its last failure, still pending if something may have
/// been created; a row Graph said it created is never taken as absent.
fn give_up(job: Job, settle: Duration) -> (BulkResult, Option<chrono::DateTime<Utc>>) {
    if matches!(job.check, Check::Created { .. }) {
        return settle::created_not_visible(job, settle);
    }
    let sent = match job.check {
        Check::NeedsUrl => Some(job.maybe_sent.unwrap_or(chrono::DateTime::UNIX_EPOCH)),
        _ => job.maybe_sent,
    };
    let row = job.row;
    let r = job
        .last
        .unwrap_or_else(|| BulkResult::new(row, "", BulkOutcome::Failed));
    (r, sent)
}

/// Writes a finished row to the results file, then hands it to the caller; `false` once the
/// caller has gone (the run stops).
async fn report(
    journal: &Journal,
    tx: &mpsc::Sender<Result<BulkResult, Error>>,
    r: BulkResult,
    sent: Option<chrono::DateTime<Utc>>,
) -> Result<bool, Error> {
    journal.line(&r, sent)?;
    Ok(tx.send(Ok(r)).await.is_ok())
}

#[cfg(test)]
mod tests {
    use super::Aimd;

    #[test]
    fn halves_once_per_window_and_grows_back() {
        let mut a = Aimd::new(32);
        assert_eq!(a.cur, 4);
        for _ in 0..600 {
            a.completed(0);
        }
        assert_eq!(a.cur, 32, "grows to the cap, one step per clean window");
        a.completed(1);
        assert_eq!(a.cur, 16);
        // More throttling within the same window does not compound.
        for n in 2..10 {
            a.completed(n);
        }
        assert_eq!(a.cur, 16);
        for n in 10..30 {
            a.completed(n);
        }
        assert!(a.cur < 16 && a.cur >= 1);
    }
}
