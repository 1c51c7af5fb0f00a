//! The results CSV: one line per input row, written as rows finish (a journal while the run
//! goes on), read back to resume. Rows are known by their address, not their position; every
//! line says which input it belongs to, and when an invitation that may have been created went
//! out (`sent_at`), so a later run knows how long the directory may still take to show it.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::Error;

use super::cells::{cell, uncell, user_cell};
use super::files::replace_results;
use super::heading::{io, HEADER};
use super::{address_key, BulkOutcome, BulkResult};

const SENT_AT: usize = 9;
const INPUT: usize = 10;

/// A settled row of an earlier run, with the input it was settled for.
pub(crate) struct Settled {
    pub result: BulkResult,
    pub input: String,
}

/// An address an earlier run sent an invitation for without a known outcome.
pub(crate) struct Doubtful {
    pub row: u64,
    pub email: String,
    /// The latest send whose outcome is unknown (none: a file of the previous version).
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

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether the file's last line is complete (a crash can cut it: it is then ignored).
fn ends_in_newline(f: &mut File) -> std::io::Result<(bool, u64)> {
    let len = f.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok((true, 0));
    }
    // The last complete line ends at the last line break; anything after it is cut.
    let mut pos = len;
    let mut buf = [0u8; 4096];
    while pos > 0 {
        let n = buf.len().min(pos as usize);
        pos -= n as u64;
        f.seek(SeekFrom::Start(pos))?;
        f.read_exact(&mut buf[..n])?;
        if let Some(i) = buf[..n].iter().rposition(|b| *b == b'\n') {
            let complete = pos + i as u64 + 1;
            return Ok((complete == len, complete));
        }
    }
    Ok((false, 0))
}

/// Reads the file as a stream (memory holds the addresses, not the file).
pub(crate) fn load(path: &Path) -> Result<Earlier, Error> {
    let mut earlier = Earlier::default();
    if !path.exists() {
        return Ok(earlier);
    }
    let mut f = File::open(path).map_err(|e| io(path, e))?;
    let (whole, complete) = ends_in_newline(&mut f).map_err(|e| io(path, e))?;
    earlier.cut_line = !whole;
    f.rewind().map_err(|e| io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(f.take(complete)));
    for rec in rdr.records() {
        // An unreadable line is unknown: it settles nothing and clears nothing.
        let Ok(rec) = rec else { continue };
        if rec.len() < 9 {
            continue;
        }
        let Some(outcome) = BulkOutcome::parse(&rec[2]) else {
            continue;
        };
        let row = rec[0].parse::<u64>().ok();
        let email = uncell(&rec[1]).to_string();
        let key = address_key(&email);
        let input = rec.get(INPUT).unwrap_or("").to_string();
        let field = |i: usize| {
            rec.get(i)
                .filter(|s| !s.is_empty())
                .map(|s| uncell(s).to_string())
        };
        // Lines kept for addresses no longer in the input (no row) say nothing of the input.
        if row.is_some() && !input.is_empty() {
            earlier.inputs.insert(input.clone());
        }
        match outcome {
            BulkOutcome::Sending | BulkOutcome::Failed => {
                if earlier.settled.contains_key(&key) {
                    continue;
                }
                let sent = rec.get(SENT_AT).map(time);
                match (outcome, sent) {
                    // Failed without a send that may have been applied: nothing is pending.
                    (BulkOutcome::Failed, Some(None)) if rec.get(SENT_AT) == Some("") => {
                        earlier.in_doubt.remove(&key);
                    }
                    _ => {
                        let since = sent.flatten();
                        let d = earlier.in_doubt.entry(key).or_insert(Doubtful {
                            row: row.unwrap_or(0),
                            email,
                            since,
                        });
                        d.since = d.since.max(since);
                    }
                }
            }
            // A duplicate row's `existing` line names no user: there is nothing to resume.
            BulkOutcome::Existing if field(3).is_none() => {}
            BulkOutcome::Invited | BulkOutcome::Existing => {
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
            BulkOutcome::Invalid => {
                if let Some(r) = row {
                    earlier.invalid_rows.insert(r);
                }
            }
            // A dry run's lines mean nothing was sent.
            BulkOutcome::Valid => {}
        }
    }
    Ok(earlier)
}

/// One results line. `row` is blank for an address no longer in the input (row 0).
fn record(r: &BulkResult, sent: Option<DateTime<Utc>>, input: &str) -> [String; 11] {
    let o = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
    [
        Some(r.row)
            .filter(|n| *n > 0)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        user_cell(&r.email),
        r.outcome.as_str().to_string(),
        o(&r.user_id),
        o(&r.redeem_url),
        o(&r.error_kind),
        o(&r.error_code),
        r.message.as_deref().map(user_cell).unwrap_or_default(),
        o(&r.request_id),
        sent.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default(),
        input.to_string(),
    ]
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
    /// Rewrites the file with what earlier runs settled, a `sending` line for each address
    /// still in doubt, and their invalid rows (dropping a line cut by a crash), then keeps it
    /// open for appending this run's lines.
    pub(crate) fn create(path: &Path, earlier: &Earlier, input: &str) -> Result<Self, Error> {
        let mut base_lines = 0;
        replace_results(path, |f| {
            let mut w = csv::Writer::from_writer(BufWriter::new(f));
            w.write_record(HEADER).map_err(|e| io(path, e))?;
            let mut put = |rec: [String; 11]| {
                base_lines += 1;
                w.write_record(rec).map_err(|e| io(path, e))
            };
            let mut settled: Vec<&Settled> = earlier.settled.values().collect();
            settled.sort_by_key(|s| s.result.row);
            for s in settled {
                put(record(&s.result, None, &s.input))?;
            }
            let mut doubtful: Vec<&Doubtful> = earlier.in_doubt.values().collect();
            doubtful.sort_by_key(|d| d.row);
            for d in doubtful {
                let line = BulkResult::new(d.row, &d.email, BulkOutcome::Sending);
                let mut rec = record(&line, d.since, "");
                // A file of the previous version: sent at an unknown time, still in doubt.
                if d.since.is_none() {
                    rec[2] = BulkOutcome::Failed.as_str().to_string();
                    rec[SENT_AT] = "unknown".to_string();
                }
                put(rec)?;
            }
            let mut invalid: Vec<&u64> = earlier.invalid_rows.iter().collect();
            invalid.sort();
            for r in invalid {
                put(record(
                    &BulkResult::new(*r, "", BulkOutcome::Invalid),
                    None,
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
    /// `sent`: when an invitation whose outcome is unknown went out for this row.
    pub(crate) fn write(
        &mut self,
        r: &BulkResult,
        sent: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(256));
        w.write_record(record(r, sent, &self.input))
            .map_err(|e| io(&self.path, e))?;
        let bytes = w.into_inner().map_err(|e| io(&self.path, e))?;
        self.out.write_all(&bytes).map_err(|e| io(&self.path, e))?;
        self.out.flush().map_err(|e| io(&self.path, e))?;
        // An invitation is about to go out: its line must survive a power cut, not just a crash.
        if r.outcome == BulkOutcome::Sending {
            self.out
                .get_ref()
                .sync_data()
                .map_err(|e| io(&self.path, e))?;
        }
        Ok(())
    }

    /// After a complete run: one line per input row (this run's final lines, by row), then
    /// the lines of addresses no longer in the input (`in_input` false), kept with a blank row
    /// so nothing an earlier run did is forgotten. Returns how many addresses were removed.
    /// Streams: memory holds a (row, position) pair per line, not the lines.
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
        // (row, start, end) of this run's final lines; (start, end) of the removed lines.
        let mut this_run: Vec<(u64, u64, u64)> = Vec::new();
        let mut removed: Vec<(u64, u64)> = Vec::new();
        // Past the heading first, so each record's position is its own line's.
        rdr.headers().map_err(|e| io(&path, e))?;
        let mut rec = csv::StringRecord::new();
        let mut i = 0u64;
        loop {
            let start = rdr.position().byte();
            if !rdr.read_record(&mut rec).map_err(|e| io(&path, e))? {
                break;
            }
            let end = rdr.position().byte();
            let outcome = rec.get(2).and_then(BulkOutcome::parse);
            if i < base_lines {
                let key = address_key(uncell(rec.get(1).unwrap_or("")));
                let keep = matches!(
                    outcome,
                    Some(
                        BulkOutcome::Invited
                            | BulkOutcome::Existing
                            | BulkOutcome::Sending
                            | BulkOutcome::Failed
                    )
                ) && !key.is_empty()
                    && !in_input(&key);
                if keep {
                    removed.push((start, end));
                }
            } else if outcome != Some(BulkOutcome::Sending) {
                let row = rec.get(0).and_then(|r| r.parse().ok()).unwrap_or(u64::MAX);
                this_run.push((row, start, end));
            }
            i += 1;
        }
        drop(rdr);
        this_run.sort_by_key(|(row, _, _)| *row);
        let n_removed = removed.len() as u64;
        let mut src = File::open(&path).map_err(|e| io(&path, e))?;
        let mut read = |start: u64, end: u64| -> Result<Vec<u8>, Error> {
            let mut line = vec![0u8; (end - start) as usize];
            src.seek(SeekFrom::Start(start))
                .and_then(|_| src.read_exact(&mut line))
                .map_err(|e| io(&path, e))?;
            Ok(line)
        };
        replace_results(&path, |f| {
            let mut w = BufWriter::new(f);
            w.write_all(format!("{}\n", HEADER.join(",")).as_bytes())
                .map_err(|e| io(&path, e))?;
            for (_, start, end) in &this_run {
                let line = read(*start, *end)?;
                w.write_all(&line).map_err(|e| io(&path, e))?;
            }
            for (start, end) in &removed {
                let line = read(*start, *end)?;
                let mut one = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&line[..]);
                let Some(Ok(rec)) = one.records().next() else {
                    continue;
                };
                // The row number belonged to an earlier input; a `sending` line says what is known.
                let mut f: Vec<String> = rec.iter().map(str::to_string).collect();
                f.resize(HEADER.len(), String::new());
                f[0].clear();
                if f[2] == BulkOutcome::Sending.as_str() {
                    f[2] = BulkOutcome::Failed.as_str().to_string();
                    f[7] = "the invitation may have been sent by an earlier run whose answer \
                            was lost; no longer in the input, so not looked up"
                        .to_string();
                }
                let mut cw = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(Vec::with_capacity(line.len() + 16));
                cw.write_record(&f).map_err(|e| io(&path, e))?;
                let bytes = cw.into_inner().map_err(|e| io(&path, e))?;
                w.write_all(&bytes).map_err(|e| io(&path, e))?;
            }
            w.flush().map_err(|e| io(&path, e))
        })?;
        Ok(n_removed)
    }
}
