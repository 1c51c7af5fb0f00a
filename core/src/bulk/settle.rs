//! One row's way to a final outcome. An invitation whose answer was lost is looked up until the
//! directory must show it (never blindly resent); a row that failed without anything being
//! created is tried again in the same run; a guest invited without an email always leaves with
//! a redeem URL.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::time::Instant;

use super::journal::Journal;
use super::{BulkOutcome, BulkResult};
use crate::client::Inner;
use crate::error::{Error, ErrorKind};
use crate::models::{Invitation, InvitationRequest, Lookup, User};

/// What is known of a row before its next attempt.
#[derive(Debug, Clone)]
pub(super) enum Check {
    /// Nothing sent for this address from this results file; look it up first if asked.
    Fresh { lookup: bool },
    /// Sent, answer lost: found, the guest is ours; not found by `until`, it was not created.
    MaybeSent { until: Instant },
    /// Graph answered 2xx but the body was unreadable: created, so never resent.
    Created { until: Instant },
    /// Invited without an email, but the redeem URL is missing: re-invite (no email) for one.
    NeedsUrl,
}

/// A row on its way.
pub(super) struct Job {
    pub row: u64,
    pub req: InvitationRequest,
    pub attempts: u32,
    pub check: Check,
    /// The last failure, reported if the row is given up.
    pub last: Option<BulkResult>,
    /// When the latest invitation whose outcome is unknown went out (kept in the results file
    /// with a failed row, so the next run waits for the directory before sending again).
    pub maybe_sent: Option<DateTime<Utc>>,
}

impl Job {
    pub(super) fn new(
        row: u64,
        req: InvitationRequest,
        check: Check,
        maybe_sent: Option<DateTime<Utc>>,
    ) -> Self {
        Job {
            row,
            req,
            attempts: 0,
            check,
            last: None,
            maybe_sent,
        }
    }
    fn email(&self) -> &str {
        self.req.invited_user_email_address.trim()
    }
    fn result(&self, outcome: BulkOutcome) -> BulkResult {
        BulkResult::new(self.row, self.email(), outcome)
    }
    fn failed(&self, e: &Error) -> BulkResult {
        self.result(BulkOutcome::Failed).with_error(e)
    }
}

pub(super) enum Step {
    /// The row's outcome, and when an invitation with an unknown outcome went out for it.
    Done(BulkResult, Option<DateTime<Utc>>),
    /// Try again after the pause (the driver decides whether retries are still allowed and
    /// reports `job.last` otherwise).
    Again(Box<Job>, Duration),
}

/// Errors after which trying the row again can succeed.
fn transient(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Throttled | ErrorKind::Service | ErrorKind::Network | ErrorKind::Timeout
    )
}

/// The pause before a row's next try: what Graph asked for, else exponential with jitter.
fn backoff(attempts: u32, e: &Error) -> Duration {
    if let Some(d) = e.retry_after() {
        return d;
    }
    let base = Duration::from_millis(500) * 2u32.pow(attempts.saturating_sub(1).min(4));
    base.mul_f64(1.0 + rand::rng().random_range(0.0..0.25))
}

/// `Step::Done` with the job's pending send.
macro_rules! done {
    ($job:expr, $r:expr) => {{
        let r = $r;
        Step::Done(r, $job.maybe_sent)
    }};
}

fn again_or_fail(mut job: Job, e: Error) -> Step {
    if transient(&e) {
        job.last = Some(job.failed(&e));
        let pause = backoff(job.attempts, &e);
        Step::Again(Box::new(job), pause)
    } else {
        done!(job, job.failed(&e))
    }
}

pub(super) async fn attempt(
    inner: &Inner,
    journal: &Arc<Journal>,
    mut job: Job,
    settle: Duration,
) -> Step {
    job.attempts += 1;
    match job.check.clone() {
        Check::Fresh { lookup: true } => match inner.lookup(job.email()).await {
            Ok(Lookup { user: Some(u), .. }) => {
                let mut r = job.result(BulkOutcome::Existing);
                r.user_id = Some(u.id);
                return done!(job, r);
            }
            Ok(_) => {}
            Err(e) => return again_or_fail(job, e),
        },
        Check::Fresh { lookup: false } => {}
        Check::MaybeSent { until } | Check::Created { until } => {
            match look_until(inner, job.email(), until).await {
                Ok(Some(u)) => return ours(inner, journal, job, u).await,
                Ok(None) if matches!(job.check, Check::Created { .. }) => {
                    let (r, sent) = created_not_visible(job, settle);
                    return Step::Done(r, sent);
                }
                // Not there after the directory had time to show it: it was not created.
                Ok(None) => {}
                Err(e) => return again_or_fail(job, e),
            }
        }
        Check::NeedsUrl => {
            return match inner.lookup(job.email()).await {
                Ok(Lookup { user: Some(u), .. }) => ours(inner, journal, job, u).await,
                Ok(_) => {
                    let mut r = job.result(BulkOutcome::Failed);
                    r.message = Some(
                        "invited without an email by an earlier run whose redeem URL was lost, \
                         and the guest is not in the directory now"
                            .into(),
                    );
                    done!(job, r)
                }
                Err(e) => again_or_fail(job, e),
            };
        }
    }
    let sent_at = match journal.sending(job.row, job.email()) {
        Ok(t) => t,
        // Not journaled, not sent: a crash could otherwise lose track of it.
        Err(e) => return done!(job, job.failed(&e)),
    };
    match send(inner, &job.req).await {
        Ok(inv) if inv.invite_redeem_url.is_none() && !job.req.send_invitation_message => {
            job.maybe_sent = Some(sent_at);
            let id = inv.invited_user_id().unwrap_or_default().to_string();
            still_ours(&job, no_url(&job, &id, None))
        }
        Ok(inv) => {
            let mut r = job.result(BulkOutcome::Invited);
            r.user_id = inv.invited_user_id().map(str::to_string);
            r.redeem_url = inv.invite_redeem_url;
            Step::Done(r, None)
        }
        Err(e) if e.maybe_applied() => {
            tracing::debug!(row = job.row, kind = %e.kind(), "invitation outcome unknown; settling by lookup");
            job.maybe_sent = Some(sent_at);
            let until = Instant::now() + settle;
            let created = e.status().is_some_and(|s| (200..300).contains(&s));
            job.check = if created {
                Check::Created { until }
            } else {
                Check::MaybeSent { until }
            };
            job.last = Some(job.failed(&e));
            Step::Again(Box::new(job), Duration::ZERO)
        }
        // Surely not applied (429, refused, invalid): nothing new is pending.
        Err(e) => again_or_fail(job, e),
    }
}

/// Graph answered 2xx to the invitation but its body was unreadable, and the guest has not
/// shown up in queries: the invitation exists, so it is never sent again. With an email, the
/// guest has their link: invited. Without, the redeem URL is lost: failed, and the next run
/// re-invites (without an email) for one once the guest shows up.
pub(super) fn created_not_visible(
    mut job: Job,
    settle: Duration,
) -> (BulkResult, Option<DateTime<Utc>>) {
    let last = job.last.take();
    if job.req.send_invitation_message {
        let mut r = job.result(BulkOutcome::Invited);
        r.request_id = last.and_then(|l| l.request_id);
        r.message = Some(format!(
            "Graph answered that it created the invitation (the email has the link), but its \
             answer was unreadable and the guest had not appeared in queries after {}s",
            settle.as_secs()
        ));
        return (r, None);
    }
    let mut r = last.unwrap_or_else(|| job.result(BulkOutcome::Failed));
    r.message = Some(format!(
        "Graph answered that it created the invitation, but its answer (with the redeem URL) \
         was unreadable and the guest had not appeared in queries after {}s; nothing was \
         resent: re-run with this results file to get the redeem URL",
        settle.as_secs()
    ));
    (r, job.maybe_sent)
}

async fn send(inner: &Inner, req: &InvitationRequest) -> Result<Invitation, Error> {
    inner.post_invitation(req.to_body(None)).await?.json()
}

/// Looks the address up until it is found or `until` passes (at least once).
async fn look_until(inner: &Inner, email: &str, until: Instant) -> Result<Option<User>, Error> {
    let mut pause = Duration::from_millis(250);
    loop {
        if let Some(u) = inner.lookup(email).await?.user {
            return Ok(Some(u));
        }
        let now = Instant::now();
        if now >= until {
            return Ok(None);
        }
        tokio::time::sleep(pause.min(until - now)).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// The guest this results file invited, found after its answer was lost.
async fn ours(inner: &Inner, journal: &Arc<Journal>, mut job: Job, u: User) -> Step {
    let mut r = job.result(BulkOutcome::Invited);
    r.user_id = Some(u.id.clone());
    if job.req.send_invitation_message {
        r.message = Some(
            "the answer was lost; the guest was found by lookup (the email has the link)".into(),
        );
        return Step::Done(r, None);
    }
    if u.external_user_state.as_deref() == Some("Accepted") {
        r.message = Some("the answer was lost; the guest has already accepted".into());
        return Step::Done(r, None);
    }
    // No email went out, so the redeem URL is the guest's only way in: re-inviting the same
    // guest without a message gives a new one (research: Graph re-invites, same user, no email).
    let mut req = job.req.clone();
    req.send_invitation_message = false;
    if let Err(e) = journal.sending(job.row, job.email()) {
        return still_ours(&job, no_url(&job, &u.id, Some(&e)));
    }
    match send(inner, &req).await {
        Ok(inv) if inv.invite_redeem_url.is_some() => {
            r.user_id = inv.invited_user_id().map(str::to_string).or(r.user_id);
            r.redeem_url = inv.invite_redeem_url;
            r.message = Some(
                "the first answer was lost; re-invited without an email for a new redeem URL"
                    .into(),
            );
            Step::Done(r, None)
        }
        Ok(_) => still_ours(&job, no_url(&job, &u.id, None)),
        Err(e) if transient(&e) || e.maybe_applied() => {
            job.check = Check::NeedsUrl;
            job.last = Some(no_url(&job, &u.id, Some(&e)));
            let pause = backoff(job.attempts, &e);
            Step::Again(Box::new(job), pause)
        }
        Err(e) => still_ours(&job, no_url(&job, &u.id, Some(&e))),
    }
}

/// A failed row whose guest exists: it stays in doubt in the results file (looked up, then
/// re-invited without an email for its URL, by the next run), even if no send of this run is
/// pending (then "sent at an unknown time").
fn still_ours(job: &Job, r: BulkResult) -> Step {
    Step::Done(r, Some(job.maybe_sent.unwrap_or(DateTime::UNIX_EPOCH)))
}

/// A guest invited without an email whose redeem URL could not be had: failed, never
/// `invited` without a way in. The next run with this results file tries again.
fn no_url(job: &Job, user_id: &str, e: Option<&Error>) -> BulkResult {
    let mut r = match e {
        Some(e) => job.failed(e),
        None => job.result(BulkOutcome::Failed),
    };
    r.user_id = Some(user_id.to_string()).filter(|s| !s.is_empty());
    let why = e
        .map(|e| e.message().to_string())
        .unwrap_or_else(|| "Graph's answer had none".into());
    r.message = Some(format!(
        "invited without an email, but the redeem URL was lost and re-inviting for a new one \
         failed ({why}); re-run with this results file to try again"
    ));
    r
}
