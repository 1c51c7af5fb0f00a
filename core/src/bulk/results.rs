//! The results CSV: one line per input row, written as rows finish (a journal while the run
//! goes on), read back to resume. Rows are known by their address, not their position, and
//! every line says which input it belongs to.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::Error;

use super::cells::{cell, uncell};
use super::files::replace_results;
use super::{address_key, BulkResult, Outcome};

pub(crate) const HEADER: [&str; 10] = [
    "row",
    "email",
    "outcome",
    "user_id",
    "redeem_url",
    "error_kind",
    "error_code",
    "message",
    "request_id",
    "input",
];

/// A `sending` line's message: when the invitation went out, so a later run knows how long
/// the directory may still take to show the guest.
const SENDING_SINCE: &str = "sending since ";

fn io(path: &Path, e: impl std::fmt::Display) -> Error {
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
    // Files written before the `input` column have the first nine.
    Ok(cols.len() >= 9 && cols[..] == HEADER[..cols.len().min(10)] && cols.len() <= 10)
}

/// A settled row of an earlier run, with the input it was settled for.
pub(crate) struct Settled {
    pub result: BulkResult,
    pub input: String,
}

/// A row an earlier run sent (or may have sent) without a recorded answer.
pub(crate) struct Doubtful {
    pub row: u64,
    pub email: String,
    /// When it was sent, if the journal says (a `failed` line does not).
    pub since: Option<DateTime<Utc>>,
}

/// What the results file says of earlier runs, by address.
#[derive(Default)]
pub(crate) struct Earlier {
    pub settled: HashMap<String, Settled>,
    pub in_doubt: HashMap<String, Doubtful>,
    /// Row numbers reported invalid (to tell fixed rows from new ones).
    pub invalid_rows: HashSet<u64>,
    /// The inputs the lines were written for (empty: files written before inputs were recorded).
    pub inputs: HashSet<String>,
    /// A last line cut short by a crash (ignored: it can neither settle nor clear a row).
    pub cut_line: bool,
}

impl Earlier {
    pub(crate) fn is_empty(&self) -> bool {
        self.settled.is_empty() && self.in_doubt.is_empty() && self.invalid_rows.is_empty()
    }
}

pub(crate) fn load(path: &Path) -> Result<Earlier, Error> {
    let mut earlier = Earlier::default();
    if !path.exists() {
        return Ok(earlier);
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| io(path, e))?;
    // A line is complete only once its line break is written: a crash can cut the last one.
    let complete = match bytes.iter().rposition(|b| *b == b'\n') {
        Some(i) => i + 1,
        None => 0,
    };
    earlier.cut_line = bytes[complete..].iter().any(|b| !b.is_ascii_whitespace());
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&bytes[..complete]);
    for rec in rdr.records() {
        // An unreadable line is unknown: it settles nothing and clears nothing.
        let Ok(rec) = rec else { continue };
        if rec.len() < 9 {
            continue;
        }
        let Some(outcome) = Outcome::parse(&rec[2]) else {
            continue;
        };
        let row = rec[0].parse::<u64>().ok();
        let email = uncell(&rec[1]).to_string();
        let key = address_key(&email);
        let input = rec.get(9).unwrap_or("").to_string();
        let field = |i: usize| {
            rec.get(i)
                .filter(|s| !s.is_empty())
                .map(|s| uncell(s).to_string())
        };
        match outcome {
            Outcome::Sending | Outcome::Failed => {
                if earlier.settled.contains_key(&key) {
                    continue;
                }
                let since = field(7)
                    .and_then(|m| m.strip_prefix(SENDING_SINCE).map(str::to_string))
                    .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                    .map(|t| t.with_timezone(&Utc));
                let since = if outcome == Outcome::Sending {
                    since
                } else {
                    None
                };
                earlier.in_doubt.insert(
                    key,
                    Doubtful {
                        row: row.unwrap_or(0),
                        email,
                        since,
                    },
                );
            }
            // A duplicate row's `existing` line names no user: there is nothing to resume.
            Outcome::Existing if field(3).is_none() => {}
            Outcome::Invited | Outcome::Existing => {
                earlier.in_doubt.remove(&key);
                let result = BulkResult {
                    row: row.unwrap_or(0),
                    email,
                    outcome,
                    user_id: field(3),
                    redeem_url: field(4),
                    error_kind: field(5),
                    error_code: field(6),
                    message: field(7),
                    request_id: field(8),
                };
                earlier.settled.insert(key, Settled { result, input });
            }
            Outcome::Invalid => {
                if let Some(r) = row {
                    earlier.invalid_rows.insert(r);
                }
            }
            // A dry run's lines mean nothing was sent.
            Outcome::Valid => {}
        }
        // Lines kept for addresses no longer in the input (no row) say nothing of the input.
        if row.is_some() && !rec.get(9).unwrap_or("").is_empty() {
            earlier.inputs.insert(rec[9].to_string());
        }
    }
    Ok(earlier)
}

/// One results line. `row` is blank for an address no longer in the input.
fn record(r: &BulkResult, row: Option<u64>, input: &str) -> [String; 10] {
    let o = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
    [
        row.map(|r| r.to_string()).unwrap_or_default(),
        cell(&r.email),
        r.outcome.as_str().to_string(),
        o(&r.user_id),
        o(&r.redeem_url),
        o(&r.error_kind),
        o(&r.error_code),
        o(&r.message),
        o(&r.request_id),
        input.to_string(),
    ]
}

/// A `sending` journal line, stamped with the time.
pub(crate) fn sending(row: u64, email: &str, since: DateTime<Utc>) -> BulkResult {
    let mut r = BulkResult::new(row, email, Outcome::Sending);
    r.message = Some(format!(
        "{SENDING_SINCE}{}",
        since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ));
    r
}

pub(crate) struct ResultsFile {
    path: PathBuf,
    out: BufWriter<File>,
    /// The input this run reads (its fingerprint), stamped on every line it writes.
    input: String,
    /// Lines of the rewritten file that came from earlier runs.
    base_lines: u64,
}

impl ResultsFile {
    /// Rewrites the file with what earlier runs settled, a `sending` line for each row still
    /// in doubt, and their invalid rows (dropping a line cut by a crash), then keeps it open
    /// for appending this run's lines.
    pub(crate) fn create(path: &Path, earlier: &Earlier, input: &str) -> Result<Self, Error> {
        let mut base_lines = 0;
        replace_results(path, |f| {
            let mut w = csv::Writer::from_writer(BufWriter::new(f));
            w.write_record(HEADER).map_err(|e| io(path, e))?;
            let mut put = |rec: [String; 10]| {
                base_lines += 1;
                w.write_record(rec).map_err(|e| io(path, e))
            };
            let mut settled: Vec<&Settled> = earlier.settled.values().collect();
            settled.sort_by_key(|s| s.result.row);
            for s in settled {
                put(record(&s.result, Some(s.result.row), &s.input))?;
            }
            let mut doubtful: Vec<&Doubtful> = earlier.in_doubt.values().collect();
            doubtful.sort_by_key(|d| d.row);
            for d in doubtful {
                let line = match d.since {
                    Some(t) => sending(d.row, &d.email, t),
                    None => BulkResult::new(d.row, &d.email, Outcome::Failed),
                };
                put(record(&line, Some(d.row), ""))?;
            }
            let mut invalid: Vec<&u64> = earlier.invalid_rows.iter().collect();
            invalid.sort();
            for r in invalid {
                put(record(
                    &BulkResult::new(*r, "", Outcome::Invalid),
                    Some(*r),
                    "",
                ))?;
            }
            w.flush().map_err(|e| io(path, e))
        })?;
        let f = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        Ok(ResultsFile {
            path: path.to_path_buf(),
            out: BufWriter::new(f),
            input: input.to_string(),
            base_lines,
        })
    }

    /// The fingerprint of the input this run reads.
    pub(crate) fn input(&self) -> &str {
        &self.input
    }

    /// Appends a line and flushes it, so a crash loses at most the line being written.
    pub(crate) fn write(&mut self, r: &BulkResult) -> Result<(), Error> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(256));
        w.write_record(record(r, Some(r.row), &self.input))
            .map_err(|e| io(&self.path, e))?;
        let bytes = w.into_inner().map_err(|e| io(&self.path, e))?;
        self.out.write_all(&bytes).map_err(|e| io(&self.path, e))?;
        self.out.flush().map_err(|e| io(&self.path, e))
    }

    /// After a complete run: one line per input row (this run's final lines, by row), then
    /// the lines of addresses no longer in the input (`input_keys`), kept with a blank row so
    /// nothing an earlier run did is forgotten. Returns how many addresses were removed.
    pub(crate) fn compact(self, in_input: &dyn Fn(&str) -> bool) -> Result<u64, Error> {
        let ResultsFile {
            path,
            out,
            base_lines,
            ..
        } = self;
        drop(out);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(&path)
            .map_err(|e| io(&path, e))?;
        let mut this_run: Vec<(u64, csv::StringRecord)> = Vec::new();
        let mut removed: Vec<csv::StringRecord> = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| io(&path, e))?;
            let outcome = rec.get(2).and_then(Outcome::parse);
            if (i as u64) < base_lines {
                let key = address_key(uncell(rec.get(1).unwrap_or("")));
                let keep = matches!(
                    outcome,
                    Some(Outcome::Invited | Outcome::Existing | Outcome::Sending | Outcome::Failed)
                ) && !key.is_empty()
                    && !in_input(&key);
                if keep {
                    let mut f: Vec<String> = rec.iter().map(str::to_string).collect();
                    f.resize(10, String::new());
                    f[0].clear();
                    if outcome == Some(Outcome::Sending) {
                        f[2] = Outcome::Failed.as_str().to_string();
                        f[7] = "the invitation may have been sent by an earlier run whose \
                                answer was lost; no longer in the input, so not looked up"
                            .to_string();
                    }
                    removed.push(csv::StringRecord::from(f));
                }
            } else if outcome != Some(Outcome::Sending) {
                let row = rec.get(0).and_then(|r| r.parse().ok()).unwrap_or(u64::MAX);
                this_run.push((row, rec));
            }
        }
        this_run.sort_by_key(|(row, _)| *row);
        let n_removed = removed.len() as u64;
        replace_results(&path, |f| {
            let mut w = csv::Writer::from_writer(BufWriter::new(f));
            w.write_record(HEADER).map_err(|e| io(&path, e))?;
            for (_, rec) in this_run.iter() {
                w.write_record(rec).map_err(|e| io(&path, e))?;
            }
            for rec in removed.iter() {
                w.write_record(rec).map_err(|e| io(&path, e))?;
            }
            w.flush().map_err(|e| io(&path, e))
        })?;
        Ok(n_removed)
    }
}
