//! Runs a bulk file: a reader thread, bounded adaptive concurrency, results written in order of
//! completion, and a channel the caller drains at its own pace.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::input::{InputReader, InputRow};
use super::results::{self, ResultsFile};
use super::{BulkOptions, BulkResult, BulkSummary, Outcome};
use crate::client::Inner;
use crate::error::Error;
use crate::models::{Invitation, InvitationRequest, Lookup};
use crate::ops::invite::confirm_by_lookup;

/// A bulk run in progress. Results come in completion order; dropping the run stops it (rows
/// in flight are journaled and resolved by the next run with the same results file).
pub struct BulkRun {
    rx: mpsc::Receiver<Result<BulkResult, Error>>,
    summary: BulkSummary,
    resumed: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for BulkRun {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl BulkRun {
    /// The next finished row; `None` when all are done. An `Err` (unreadable input or results
    /// file) ends the run.
    pub async fn next(&mut self) -> Option<Result<BulkResult, Error>> {
        let r = self.rx.recv().await;
        if let Some(Ok(res)) = &r {
            self.summary.add(res.outcome);
        }
        r
    }

    /// Counts so far (including `resumed`, known once the first result arrives).
    pub fn summary(&self) -> BulkSummary {
        BulkSummary {
            resumed: self.resumed.load(Ordering::Relaxed),
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
    let resumed = Arc::new(AtomicU64::new(0));
    let r = resumed.clone();
    let task = crate::runtime::runtime().spawn(async move {
        if let Err(e) = drive(inner, input, opts, &tx, &r).await {
            let _ = tx.send(Err(e)).await;
        }
    });
    BulkRun {
        rx,
        summary: BulkSummary::default(),
        resumed,
        task,
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

fn email_key(email: &str) -> u64 {
    // SipHash with fixed keys: the duplicate check costs 8 bytes a row, however long the file.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(email.trim().to_ascii_lowercase().as_bytes());
    h.finish()
}

async fn drive(
    inner: Arc<Inner>,
    input: PathBuf,
    opts: BulkOptions,
    tx: &mpsc::Sender<Result<BulkResult, Error>>,
    resumed: &AtomicU64,
) -> Result<(), Error> {
    // File work off the runtime's worker (a large results file takes a while to read and
    // rewrite). One streaming pass over the input first: a file that is not CSV (or breaks off
    // half-way) is refused before anything is sent, rather than after part of it went out.
    let scan = input.clone();
    let results_path = opts.results.clone().filter(|_| !opts.dry_run);
    let (prev, mut out) = tokio::task::spawn_blocking(move || {
        super::count_rows(&scan)?;
        let Some(p) = results_path else {
            return Ok((results::Previous::default(), None));
        };
        let prev = results::load(&p)?;
        let out = ResultsFile::create(&p, &prev)?;
        Ok::<_, Error>((prev, Some(out)))
    })
    .await
    .map_err(|_| Error::internal("reading the input and results files stopped"))??;
    resumed.store(prev.done.len() as u64, Ordering::Relaxed);
    let mut seen: HashMap<u64, u64> = HashMap::new();
    for r in prev.done.values() {
        if r.outcome != Outcome::Invalid {
            seen.insert(email_key(&r.email), r.row);
        }
    }

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

    let mut tasks: JoinSet<BulkResult> = JoinSet::new();
    let mut aimd = Aimd::new(opts.concurrency);
    let mut input_done = false;
    let mut fatal: Option<Error> = None;
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
            if prev.done.contains_key(&row.row) {
                continue;
            }
            let req = match row.request {
                Err(e) => {
                    let r = BulkResult::new(row.row, &row.email, Outcome::Invalid).with_error(&e);
                    if !report(&mut out, tx, r).await? {
                        return Ok(());
                    }
                    continue;
                }
                Ok(req) => req,
            };
            let key = email_key(&req.invited_user_email_address);
            if let Some(first) = seen.get(&key) {
                let mut r = BulkResult::new(row.row, &row.email, Outcome::Existing);
                r.message = Some(format!("same address as row {first}"));
                if !report(&mut out, tx, r).await? {
                    return Ok(());
                }
                continue;
            }
            seen.insert(key, row.row);
            if opts.dry_run {
                if !report(
                    &mut out,
                    tx,
                    BulkResult::new(row.row, &row.email, Outcome::Valid),
                )
                .await?
                {
                    return Ok(());
                }
                continue;
            }
            // Journal first: if we die with this in flight, the next run looks it up.
            if let Some(f) = out.as_mut() {
                f.write(&BulkResult::new(row.row, &row.email, Outcome::Sending))?;
            }
            let lookup_first = opts.skip_existing || prev.in_doubt.contains_key(&row.row);
            let inner = inner.clone();
            tasks.spawn(async move { process_row(&inner, row.row, req, lookup_first).await });
        }
        let Some(done) = tasks.join_next().await else {
            if input_done || fatal.is_some() {
                break;
            }
            continue;
        };
        let r = match done {
            Ok(r) => r,
            Err(e) => return Err(Error::internal(format!("a bulk row task failed: {e}"))),
        };
        aimd.completed(inner.transport.throttle_events.load(Ordering::Relaxed));
        if !report(&mut out, tx, r).await? {
            return Ok(());
        }
    }
    drop(row_rx);
    let _ = reader.await;
    if let Some(e) = fatal {
        return Err(e);
    }
    // Every row is settled: one line per row from here on.
    if let (Some(f), Some(p)) = (out.take(), &opts.results) {
        drop(f);
        results::compact(p)?;
    }
    Ok(())
}

/// Writes a finished row to the results file, then hands it to the caller; `false` once the
/// caller has gone (the run stops).
async fn report(
    out: &mut Option<ResultsFile>,
    tx: &mpsc::Sender<Result<BulkResult, Error>>,
    r: BulkResult,
) -> Result<bool, Error> {
    if let Some(f) = out.as_mut() {
        f.write(&r)?;
    }
    Ok(tx.send(Ok(r)).await.is_ok())
}

async fn process_row(
    inner: &Inner,
    row: u64,
    req: InvitationRequest,
    lookup_first: bool,
) -> BulkResult {
    let email = req.invited_user_email_address.trim().to_string();
    let existing = |u: crate::models::User| {
        let mut r = BulkResult::new(row, &email, Outcome::Existing);
        r.user_id = Some(u.id);
        r
    };
    if lookup_first {
        match inner.lookup(&email).await {
            Ok(Lookup::Existing(u)) => return existing(*u),
            Ok(_) => {}
            Err(e) => return BulkResult::new(row, &email, Outcome::Failed).with_error(&e),
        }
    }
    match inner
        .post_invitation(req.to_body(None))
        .await
        .and_then(|r| r.json::<Invitation>())
    {
        Ok(inv) => {
            let mut r = BulkResult::new(row, &email, Outcome::Invited);
            r.user_id = inv.invited_user_id().map(str::to_string);
            r.redeem_url = inv.invite_redeem_url.clone();
            r
        }
        Err(e) if e.maybe_applied() => match confirm_by_lookup(inner, &email).await {
            Ok(Some(u)) => {
                let mut r = BulkResult::new(row, &email, Outcome::Invited);
                r.user_id = Some(u.id);
                r.message = Some(
                    "the answer was lost; the guest was found by lookup (no redeem URL)".into(),
                );
                r
            }
            // Not created: failed, and safe to retry in a later run.
            Ok(None) => BulkResult::new(row, &email, Outcome::Failed).with_error(&e),
            Err(le) => BulkResult::new(row, &email, Outcome::Failed).with_error(&le),
        },
        Err(e) => BulkResult::new(row, &email, Outcome::Failed).with_error(&e),
    }
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
