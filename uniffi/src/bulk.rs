//! Bulk invitation from a CSV (the admin center's bulk-invite file or a plain CSV with the same
//! property names): one call that returns the final counts, reporting each row to an optional
//! progress callback as it finishes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use entra_invite as core;
use entra_invite::spawn;

use crate::client::Client;
use crate::errors::{EntraInviteError, Result};

/// How a bulk run behaves.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BulkOptions {
    /// Most invitations in flight at once (the adaptive limit never goes above it).
    #[uniffi(default = 16)]
    pub concurrency: u32,
    /// Look each address up first and report existing users instead of re-inviting them.
    #[uniffi(default = true)]
    pub skip_existing: bool,
    /// Read and validate only; nothing is sent.
    #[uniffi(default = false)]
    pub dry_run: bool,
    /// The results CSV, written as rows finish; an existing one is resumed (rows already
    /// settled there are not redone).
    #[uniffi(default = None)]
    pub results_path: Option<String>,
    /// Wait for another run holding the results file instead of refusing at once (a run
    /// refused because the file is in use fails with InvalidInput, field `results`).
    #[uniffi(default = false)]
    pub wait: bool,
    /// How long a row whose invitation may have been created (a 5xx, a dropped connection or an
    /// unreadable answer after sending) is looked up before it is taken as not created and sent
    /// again: new guests can take a while to appear in Graph's queries. None: 30 s.
    #[uniffi(default = None)]
    pub settle_timeout: Option<Duration>,
}

/// What became of one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BulkOutcome {
    Invited,
    /// The address already had a user (or appears earlier in the file).
    Existing,
    /// Graph or the network failed; a re-run with the same results file retries it.
    Failed,
    /// The row itself is wrong; nothing was sent.
    Invalid,
    /// Dry run: the row would be sent.
    Valid,
    /// The invitation was being sent when an earlier run stopped (resolved by the next run).
    Sending,
}

impl From<core::Outcome> for BulkOutcome {
    fn from(o: core::Outcome) -> Self {
        match o {
            core::Outcome::Invited => BulkOutcome::Invited,
            core::Outcome::Existing => BulkOutcome::Existing,
            core::Outcome::Failed => BulkOutcome::Failed,
            core::Outcome::Invalid => BulkOutcome::Invalid,
            core::Outcome::Valid => BulkOutcome::Valid,
            core::Outcome::Sending => BulkOutcome::Sending,
        }
    }
}

/// One finished row (a line of the results file).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BulkResult {
    /// 1-based data row of the input.
    pub row: u64,
    pub email: String,
    pub outcome: BulkOutcome,
    pub user_id: Option<String>,
    pub redeem_url: Option<String>,
    pub error_kind: Option<String>,
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
    pub request_id: Option<String>,
}

impl From<core::BulkResult> for BulkResult {
    fn from(r: core::BulkResult) -> Self {
        BulkResult {
            row: r.row,
            email: r.email,
            outcome: r.outcome.into(),
            user_id: r.user_id,
            redeem_url: r.redeem_url,
            error_kind: r.error_kind,
            error_code: r.error_code,
            error_detail: r.message,
            request_id: r.request_id,
        }
    }
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct BulkSummary {
    pub invited: u64,
    pub existing: u64,
    pub failed: u64,
    pub invalid: u64,
    pub valid: u64,
    /// Rows settled by an earlier run with the same results file (not redone, not reported
    /// again: matched by address, wherever the row is now).
    pub resumed: u64,
    /// The results file was written for a different input (or an earlier version of it).
    pub input_changed: bool,
    /// Rows of this input that the results file did not know (new or changed addresses).
    pub added: u64,
    /// Of those, rows that were invalid at the same position in the earlier run (fixed rows).
    pub fixed: u64,
    /// Addresses in the results file that are no longer in the input (their lines are kept).
    pub removed: u64,
}

impl From<core::BulkSummary> for BulkSummary {
    fn from(s: core::BulkSummary) -> Self {
        BulkSummary {
            invited: s.invited,
            existing: s.existing,
            failed: s.failed,
            invalid: s.invalid,
            valid: s.valid,
            resumed: s.resumed,
            input_changed: s.input_changed,
            added: s.added,
            fixed: s.fixed,
            removed: s.removed,
        }
    }
}

/// Told about every finished row, with the counts so far. Called on the library's threads,
/// one row at a time: keep it short. Throwing stops the run with that error.
#[uniffi::export(foreign)]
pub trait BulkProgress: Send + Sync {
    fn on_result(&self, result: BulkResult, summary: BulkSummary) -> Result<(), EntraInviteError>;
}

/// A progress callback's error, carried through the core run as an opaque failure.
enum Stop {
    Core(core::Error),
    Callback(EntraInviteError),
}

#[uniffi::export]
impl Client {
    /// Invites every row of `inputPath` and returns the final counts; see `BulkOptions`.
    pub async fn bulk_invite(
        &self,
        input_path: String,
        options: BulkOptions,
        progress: Option<Arc<dyn BulkProgress>>,
    ) -> Result<BulkSummary> {
        let opts = core::BulkOptions {
            concurrency: options.concurrency as usize,
            skip_existing: options.skip_existing,
            dry_run: options.dry_run,
            results: options.results_path.map(PathBuf::from),
            wait: options.wait,
            settle_timeout: options
                .settle_timeout
                .unwrap_or(core::bulk::DEFAULT_SETTLE_TIMEOUT),
        };
        let client = self.inner.clone();
        // The callback's own error must come back as it was thrown, so the task returns the
        // two kinds of failure apart (the core's `spawn` wants a core error: wrap it).
        let outcome = spawn(async move {
            let run = async {
                let mut run = client.bulk_invite(&input_path, opts).map_err(Stop::Core)?;
                while let Some(r) = run.next().await {
                    let r = r.map_err(Stop::Core)?;
                    if let Some(p) = &progress {
                        p.on_result(r.into(), run.summary().into())
                            .map_err(Stop::Callback)?;
                    }
                }
                Ok::<_, Stop>(run.summary())
            };
            Ok(run.await)
        })
        .await?;
        match outcome {
            Ok(s) => Ok(s.into()),
            Err(Stop::Core(e)) => Err(e.into()),
            Err(Stop::Callback(e)) => Err(e),
        }
    }
}
