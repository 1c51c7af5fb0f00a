//! Bulk invitation: stream a CSV, pace to Graph's limit, resume after a crash, and account for
//! every input row exactly once in the results file.

mod driver;
mod input;
mod results;

use std::path::{Path, PathBuf};

pub use driver::BulkRun;
pub use input::InputRow;

use crate::client::Client;
use crate::error::Error;

/// What became of one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Invited,
    /// The address already had a user (or appears earlier in the file).
    Existing,
    /// Graph or the network failed; a re-run retries it.
    Failed,
    /// The row itself is wrong (bad email, URL...); nothing was sent.
    Invalid,
    /// Dry run: the row would be sent.
    Valid,
    /// Journal only: the invitation is about to be sent (resolved by lookup after a crash).
    Sending,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Invited => "invited",
            Outcome::Existing => "existing",
            Outcome::Failed => "failed",
            Outcome::Invalid => "invalid",
            Outcome::Valid => "valid",
            Outcome::Sending => "sending",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Outcome> {
        Some(match s {
            "invited" => Outcome::Invited,
            "existing" => Outcome::Existing,
            "failed" => Outcome::Failed,
            "invalid" => Outcome::Invalid,
            "valid" => Outcome::Valid,
            "sending" => Outcome::Sending,
            _ => return None,
        })
    }
}

/// One line of the results file.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkResult {
    pub row: u64,
    pub email: String,
    pub outcome: Outcome,
    pub user_id: Option<String>,
    pub redeem_url: Option<String>,
    pub error_kind: Option<String>,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl BulkResult {
    pub(crate) fn new(row: u64, email: &str, outcome: Outcome) -> Self {
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
        self.message = Some(e.message().to_string());
        self.request_id = e.request_id().map(str::to_string);
        self
    }

    pub(crate) fn fields(&self) -> [String; 9] {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.row.to_string(),
            self.email.clone(),
            self.outcome.as_str().to_string(),
            o(&self.user_id),
            o(&self.redeem_url),
            o(&self.error_kind),
            o(&self.error_code),
            // One line per row: a message never carries a line break into the results file.
            o(&self.message).replace(['\r', '\n'], " "),
            o(&self.request_id),
        ]
    }
}

/// How a bulk run behaves.
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Most invitations in flight at once (the adaptive limit never goes above it).
    pub concurrency: usize,
    /// Look each address up first and report existing users instead of re-inviting them.
    pub skip_existing: bool,
    /// Read and validate only; nothing is sent.
    pub dry_run: bool,
    /// The results CSV: written as rows finish; an existing one is resumed.
    pub results: Option<PathBuf>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            concurrency: 16,
            skip_existing: true,
            dry_run: false,
            results: None,
        }
    }
}

/// Counts of a run so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkSummary {
    pub invited: u64,
    pub existing: u64,
    pub failed: u64,
    pub invalid: u64,
    pub valid: u64,
    /// Rows settled by an earlier run with the same results file (not redone).
    pub resumed: u64,
}

impl BulkSummary {
    pub(crate) fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Invited => self.invited += 1,
            Outcome::Existing => self.existing += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Invalid => self.invalid += 1,
            Outcome::Valid => self.valid += 1,
            Outcome::Sending => {}
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
