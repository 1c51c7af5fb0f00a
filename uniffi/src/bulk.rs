//! Bulk invitation from a CSV (the admin center's bulk-invite file or a plain CSV with the same
//! property names): one call that returns the final counts, reporting each row to an optional
//! progress callback as it finishes. `BulkOptions`, `BulkResult` and `BulkSummary` are core's.

use std::sync::Arc;

use entra_invite::{spawn, BulkOptions, BulkResult, BulkSummary};

use crate::client::Client;
use crate::errors::{EntraInviteError, Result};

/// Told about every finished row, with the counts so far. Called on the library's threads,
/// one row at a time: keep it short. Throwing stops the run with that error.
#[uniffi::export(foreign)]
pub trait BulkProgress: Send + Sync {
    fn on_result(&self, result: BulkResult, summary: BulkSummary) -> Result<(), EntraInviteError>;
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
        let mut run = self.inner.bulk_invite(&input_path, options)?;
        // Core's run works on its runtime and only fills a channel; the loop that drains it
        // and calls back is handed to the runtime once, so the callback runs on its threads.
        // A callback's own error must come back as thrown: the task answers it inside `Ok`.
        let drain = async move {
            while let Some(r) = run.next().await {
                let r = r?;
                if let Some(p) = &progress {
                    p.on_result(r, run.summary())?;
                }
            }
            Ok::<_, EntraInviteError>(run.summary())
        };
        spawn(async move { Ok(drain.await) }).await?
    }
}
