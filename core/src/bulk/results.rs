//! The results CSV: one line per input row, written as rows finish, read back to resume.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

use super::{BulkResult, Outcome};

pub(crate) const HEADER: [&str; 9] = [
    "row",
    "email",
    "outcome",
    "user_id",
    "redeem_url",
    "error_kind",
    "error_code",
    "message",
    "request_id",
];

fn io(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::invalid_input("results", format!("{}: {e}", path.display()))
}

/// What an earlier run recorded: final outcomes, and rows sent without a recorded answer.
#[derive(Default)]
pub(crate) struct Previous {
    pub done: HashMap<u64, BulkResult>,
    /// Rows whose invitation may have been sent without a known result: the answer was never
    /// written (a crash), or the row failed (a 5xx, a dropped connection or an unreadable answer
    /// may hide a created invitation). The next run looks them up before sending anything.
    pub in_doubt: HashMap<u64, String>,
}

pub(crate) fn load(path: &Path) -> Result<Previous, Error> {
    let mut prev = Previous::default();
    if !path.exists() {
        return Ok(prev);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| io(path, e))?;
    for rec in rdr.records() {
        // A crash can leave a half-written last line: everything after it is unknown anyway.
        let Ok(rec) = rec else { break };
        let Some(row) = rec.get(0).and_then(|r| r.parse::<u64>().ok()) else {
            continue;
        };
        let email = rec.get(1).unwrap_or("").to_string();
        match rec.get(2).and_then(Outcome::parse) {
            Some(Outcome::Sending) => {
                prev.in_doubt.insert(row, email);
            }
            Some(o @ (Outcome::Invited | Outcome::Existing | Outcome::Invalid)) => {
                prev.in_doubt.remove(&row);
                let field = |i: usize| rec.get(i).filter(|s| !s.is_empty()).map(str::to_string);
                prev.done.insert(
                    row,
                    BulkResult {
                        row,
                        email,
                        outcome: o,
                        user_id: field(3),
                        redeem_url: field(4),
                        error_kind: field(5),
                        error_code: field(6),
                        message: field(7),
                        request_id: field(8),
                    },
                );
            }
            // Failed rows are retried, looked up first; a dry run's lines mean nothing was sent.
            Some(Outcome::Failed) => {
                prev.in_doubt.insert(row, email);
            }
            Some(Outcome::Valid) | None => {
                prev.in_doubt.remove(&row);
            }
        }
    }
    Ok(prev)
}

pub(crate) struct ResultsFile {
    path: PathBuf,
    out: BufWriter<File>,
}

impl ResultsFile {
    /// Rewrites the file with the rows already settled (so each row ends up once) and a
    /// `sending` line for each row in doubt (so a crash before it is redone keeps it in doubt),
    /// then keeps it open for appending.
    pub(crate) fn create(path: &Path, prev: &Previous) -> Result<Self, Error> {
        let settled = &prev.done;
        let tmp = path.with_extension("tmp");
        {
            let f = File::create(&tmp).map_err(|e| io(&tmp, e))?;
            let mut w = csv::Writer::from_writer(BufWriter::new(f));
            w.write_record(HEADER).map_err(|e| io(&tmp, e))?;
            let mut rows: Vec<&BulkResult> = settled.values().collect();
            rows.sort_by_key(|r| r.row);
            for r in rows {
                w.write_record(r.fields()).map_err(|e| io(&tmp, e))?;
            }
            let mut doubtful: Vec<(&u64, &String)> = prev.in_doubt.iter().collect();
            doubtful.sort();
            for (row, email) in doubtful {
                let line = BulkResult::new(*row, email, Outcome::Sending);
                w.write_record(line.fields()).map_err(|e| io(&tmp, e))?;
            }
            let inner = w.into_inner().map_err(|e| io(&tmp, e))?;
            inner
                .into_inner()
                .map_err(|e| io(&tmp, e))?
                .sync_all()
                .map_err(|e| io(&tmp, e))?;
        }
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        let f = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        Ok(ResultsFile {
            path: path.to_path_buf(),
            out: BufWriter::new(f),
        })
    }

    /// Appends a line and flushes it, so a crash loses at most the line being written.
    pub(crate) fn write(&mut self, r: &BulkResult) -> Result<(), Error> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(256));
        w.write_record(r.fields()).map_err(|e| io(&self.path, e))?;
        let bytes = w.into_inner().map_err(|e| io(&self.path, e))?;
        self.out.write_all(&bytes).map_err(|e| io(&self.path, e))?;
        self.out.flush().map_err(|e| io(&self.path, e))
    }
}

/// After a complete run: drops the journal's `sending` lines so the file holds exactly one line
/// per input row. Streams, so memory stays flat.
pub(crate) fn compact(path: &Path) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| io(path, e))?;
        let f = File::create(&tmp).map_err(|e| io(&tmp, e))?;
        let mut w = csv::Writer::from_writer(BufWriter::new(f));
        w.write_record(HEADER).map_err(|e| io(&tmp, e))?;
        for rec in rdr.records() {
            let rec = rec.map_err(|e| io(path, e))?;
            if rec.get(2) != Some(Outcome::Sending.as_str()) {
                w.write_record(&rec).map_err(|e| io(&tmp, e))?;
            }
        }
        let inner = w.into_inner().map_err(|e| io(&tmp, e))?;
        inner
            .into_inner()
            .map_err(|e| io(&tmp, e))?
            .sync_all()
            .map_err(|e| io(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}
