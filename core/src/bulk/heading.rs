//! The heading of a results file: its columns, and how a file is recognised as one of ours
//! (only ours is ever resumed or replaced). A leaf, so that the results and the file handling
//! both read it without importing each other.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// The columns, in order; a file of the previous version has the first nine.
pub(crate) const HEADER: [&str; 11] = [
    "row",
    "email",
    "outcome",
    "user_id",
    "redeem_url",
    "error_kind",
    "error_code",
    "message",
    "request_id",
    "sent_at",
    "input",
];

/// A results-file problem, named as the `results` input.
pub(super) fn io(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::invalid_input("results", format!("{}: {e}", path.display()))
}

/// Whether the file is one of our results files (an empty file counts: it holds nothing).
pub(crate) fn is_ours(path: &Path) -> Result<bool, Error> {
    let mut head = Vec::with_capacity(256);
    File::open(path)
        .map_err(|e| io(path, e))?
        .take(256)
        .read_to_end(&mut head)
        .map_err(|e| io(path, e))?;
    if head.is_empty() {
        return Ok(true);
    }
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    // A spreadsheet that saved the file may have added a byte-order mark and CRLF.
    let first = first.trim_start_matches('\u{feff}').trim_end_matches('\r');
    let cols: Vec<&str> = first.split(',').collect();
    // Files of the previous version have the first nine columns.
    Ok((9..=HEADER.len()).contains(&cols.len()) && cols[..9] == HEADER[..9])
}
