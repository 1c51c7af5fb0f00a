//! The results file while a run goes on, shared by the driver and the row tasks: a row task
//! journals `sending` before every invitation it sends, so a crash at any moment leaves the
//! row in doubt (looked up by the next run), never forgotten.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::results::ResultsFile;
use super::{BulkOutcome, BulkResult};
use crate::error::Error;

#[derive(Default)]
pub(super) struct Journal(Mutex<Option<ResultsFile>>);

impl Journal {
    pub(super) fn new(file: Option<ResultsFile>) -> Self {
        Journal(Mutex::new(file))
    }

    /// Appends a line (nothing without a results file). `sent`: when an invitation whose
    /// outcome is unknown went out for the row.
    pub(super) fn line(&self, r: &BulkResult, sent: Option<DateTime<Utc>>) -> Result<(), Error> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(f) => f.write(r, sent),
            None => Ok(()),
        }
    }

    /// Journals an invitation about to go out; an `Err` means it must not be sent.
    pub(super) fn sending(&self, row: u64, email: &str) -> Result<DateTime<Utc>, Error> {
        let now = Utc::now();
        self.line(
            &BulkResult::new(row, email, BulkOutcome::Sending),
            Some(now),
        )?;
        Ok(now)
    }

    pub(super) fn input(&self) -> Option<String> {
        let guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|f| f.input().to_string())
    }

    /// The file, once no task writes any more.
    pub(super) fn take(&self) -> Option<ResultsFile> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}
