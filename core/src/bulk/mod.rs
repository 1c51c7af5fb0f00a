//! Bulk invitation: stream a CSV, pace to Graph's limit, resume after a crash, and account for
//! every input row exactly once in the results file.

mod cells;
mod driver;
mod files;
mod heading;
mod input;
mod journal;
mod results;
mod settle;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use driver::BulkRun;
pub use input::InputRow;

use crate::client::Client;
use crate::error::Error;
#[cfg(feature = "napi")]
use napi_derive::napi;
#[cfg(feature = "python")]
use pyo3::pyclass;

/// What became of one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "napi", napi(string_enum = "lowercase"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BulkOutcome {
    Invited,
    /// The address already had a user (or appears earlier in the file).
    Existing,
    /// Graph or the network failed and retrying in this run did not help; a re-run with the
    /// same results file retries it (looking the address up first).
    Failed,
    /// The row itself is wrong (bad email, URL...); nothing was sent.
    Invalid,
    /// Dry run: the row would be sent.
    Valid,
    /// Journal only: the invitation is about to be sent (resolved by lookup after a crash).
    Sending,
}

impl BulkOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkOutcome::Invited => "invited",
            BulkOutcome::Existing => "existing",
            BulkOutcome::Failed => "failed",
            BulkOutcome::Invalid => "invalid",
            BulkOutcome::Valid => "valid",
            BulkOutcome::Sending => "sending",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<BulkOutcome> {
        Some(match s {
            "invited" => BulkOutcome::Invited,
            "existing" => BulkOutcome::Existing,
            "failed" => BulkOutcome::Failed,
            "invalid" => BulkOutcome::Invalid,
            "valid" => BulkOutcome::Valid,
            "sending" => BulkOutcome::Sending,
            _ => return None,
        })
    }
}

/// One line of the results file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(
    feature = "napi",
    napi(object, object_from_js = false, object_to_js = false, use_nullable = true)
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BulkResult {
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub row: u64,
    pub email: String,
    pub outcome: BulkOutcome,
    pub user_id: Option<String>,
    pub redeem_url: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "ErrorKind"))]
    pub error_kind: Option<String>,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl BulkResult {
    pub(crate) fn new(row: u64, email: &str, outcome: BulkOutcome) -> Self {
        BulkResult {
            row,
            email: email.to_string(),
            outcome,
            user_id: None,
            redeem_url: None,
            error_kind: None,
            error_code: None,
            message: None,
            request_id: None,
        }
    }

    pub(crate) fn with_error(mut self, e: &Error) -> Self {
        self.error_kind = Some(e.kind().as_str().to_string());
        self.error_code = e.code().map(str::to_string);
        // An error can quote the input: a pasted file stays out of the results.
        self.message = Some(cells::bounded(e.message()));
        self.request_id = e.request_id().map(str::to_string);
        self
    }
}

/// The default for [`BulkOptions::settle_timeout`].
pub const DEFAULT_SETTLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest [`BulkOptions::settle_timeout`] accepted.
pub const MAX_SETTLE_TIMEOUT: Duration = Duration::from_secs(86_400);

/// An address as rows are matched by (duplicates in a file, results of an earlier run).
pub(crate) fn address_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How a bulk run behaves.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, object_to_js = false))]
#[cfg_attr(feature = "napi", derive(serde::Deserialize))]
#[cfg_attr(feature = "napi", serde(default, rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BulkOptions {
    /// Most invitations in flight at once (the adaptive limit never goes above it).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    #[cfg_attr(feature = "uniffi", uniffi(default = 16))]
    pub concurrency: usize,
    /// Look each address up first and report existing users instead of re-inviting them.
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub skip_existing: bool,
    /// Read and validate only; nothing is sent.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub dry_run: bool,
    /// The results CSV: written as rows finish; an existing one (ours: recognised by its
    /// heading) is resumed, matching rows by address. Never the input file, never a file of
    /// another kind. One run at a time per results file (an OS lock on `<results>.lock`).
    #[cfg_attr(feature = "napi", napi(ts_type = "string"))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub results: Option<PathBuf>,
    /// Wait for another run holding the results file instead of refusing at once.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub wait: bool,
    /// How long a row whose invitation may have been created (a 5xx, a dropped connection or
    /// an unreadable answer after sending) is looked up before it is taken as not created and
    /// sent again: new guests can take a while to appear in Graph's queries.
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    #[cfg_attr(feature = "napi", serde(deserialize_with = "crate::bindings::napi::millis"))]
    pub settle_timeout: Duration,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            concurrency: 16,
            skip_existing: true,
            dry_run: false,
            results: None,
            wait: false,
            settle_timeout: DEFAULT_SETTLE_TIMEOUT,
        }
    }
}

/// Counts of a run so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(
    feature = "napi",
    napi(object, object_from_js = false, object_to_js = false, use_nullable = true)
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BulkSummary {
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub invited: u64,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub existing: u64,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub failed: u64,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub invalid: u64,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub valid: u64,
    /// Rows settled by an earlier run with the same results file (not redone, not reported
    /// again: matched by address, wherever the row is now).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub resumed: u64,
    /// The results file was written for a different input (or an earlier version of it).
    pub input_changed: bool,
    /// Rows of this input that the results file did not know (new or changed addresses).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub added: u64,
    /// Of those, rows that were invalid at the same position in the earlier run (fixed rows).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub fixed: u64,
    /// Addresses in the results file that are no longer in the input (their lines are kept).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub removed: u64,
}

impl BulkSummary {
    pub(crate) fn add(&mut self, o: BulkOutcome) {
        match o {
            BulkOutcome::Invited => self.invited += 1,
            BulkOutcome::Existing => self.existing += 1,
            BulkOutcome::Failed => self.failed += 1,
            BulkOutcome::Invalid => self.invalid += 1,
            BulkOutcome::Valid => self.valid += 1,
            BulkOutcome::Sending => {}
        }
    }
    /// Rows reported in this run.
    pub fn done(&self) -> u64 {
        self.invited + self.existing + self.failed + self.invalid + self.valid
    }
}

/// Reads every row of a bulk CSV from any reader (valid or not), as a bulk run would.
pub fn read_rows<R: std::io::Read>(reader: R) -> Result<Vec<InputRow>, Error> {
    let mut r = input::InputReader::new(reader)?;
    let mut rows = Vec::new();
    while let Some(row) = r.next_row()? {
        rows.push(row);
    }
    Ok(rows)
}

/// Reads the whole input as a bulk run would (refusing a file that is not CSV or breaks off
/// half-way) and answers its fingerprint, which every results line records.
pub(crate) fn fingerprint(path: &Path) -> Result<String, Error> {
    struct Hashing<R> {
        inner: R,
        digest: aws_lc_rs::digest::Context,
    }
    impl<R: std::io::Read> std::io::Read for Hashing<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.digest.update(&buf[..n]);
            Ok(n)
        }
    }
    let f = std::fs::File::open(path)
        .map_err(|e| Error::invalid_input("input", format!("{}: {e}", path.display())))?;
    let mut h = Hashing {
        inner: std::io::BufReader::new(f),
        digest: aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256),
    };
    {
        let mut r = input::InputReader::new(&mut h)?;
        while r.next_row()?.is_some() {}
    }
    // Whatever the CSV reader left unread (nothing, normally) still counts.
    std::io::copy(&mut h, &mut std::io::sink())
        .map_err(|e| Error::invalid_input("input", format!("{}: {e}", path.display())))?;
    let d = h.digest.finish();
    let hex: String = d.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

/// Counts the data rows of a bulk file (for progress totals), reading it once.
pub fn count_rows(path: &Path) -> Result<u64, Error> {
    let f = std::fs::File::open(path)
        .map_err(|e| Error::invalid_input("input", format!("{}: {e}", path.display())))?;
    let mut r = input::InputReader::new(std::io::BufReader::new(f))?;
    let mut n = 0;
    while r.next_row()?.is_some() {
        n += 1;
    }
    Ok(n)
}

impl Client {
    /// Starts a bulk run over `input` (the admin center's bulk-invite CSV or a plain CSV with
    /// the same property names). Results arrive as rows finish; see [`BulkRun`].
    pub fn bulk_invite(
        &self,
        input: impl AsRef<Path>,
        options: BulkOptions,
    ) -> Result<BulkRun, Error> {
        if options.concurrency == 0 {
            return Err(Error::invalid_input("concurrency", "must be at least 1"));
        }
        if options.settle_timeout > MAX_SETTLE_TIMEOUT {
            return Err(Error::invalid_input(
                "settle_timeout",
                "must be at most a day (86400 seconds)",
            ));
        }
        let input = input.as_ref().to_path_buf();
        if !input.is_file() {
            return Err(Error::invalid_input(
                "input",
                format!("{} is not a readable file", input.display()),
            ));
        }
        Ok(driver::start(self.inner.clone(), input, options))
    }
}
