//! The files a run touches: which results path is safe to write, the one-run-at-a-time lock,
//! and replacing the results file without ever leaving it half-written or touching another.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

use super::heading::is_ours;

fn bad(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::invalid_input("results", format!("{}: {why}", path.display()))
}

/// Where the results go, checked before anything is read or sent: not the input, not a folder,
/// and, if a file is there already, one of our own results files (it is resumed). A link is
/// followed, so the file it names is the one replaced.
pub(crate) fn results_target(input: &Path, results: &Path) -> Result<PathBuf, Error> {
    let target = match std::fs::canonicalize(results) {
        Ok(p) => p,
        Err(_) => {
            let parent = match results.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !parent.is_dir() {
                return Err(bad(results, "its folder does not exist"));
            }
            results.to_path_buf()
        }
    };
    if target.is_dir() {
        return Err(bad(results, "is a folder; name a file for the results"));
    }
    let same = |p: &Path| same_file::is_same_file(input, p).unwrap_or(false);
    if same(&target) {
        return Err(bad(
            results,
            "is the input file; name another file for the results (the input is never written)",
        ));
    }
    if same(&lock_path(&target)) {
        return Err(bad(
            results,
            "its lock file is the input file; name another file for the results",
        ));
    }
    if target.exists() && !is_ours(&target)? {
        return Err(bad(
            results,
            "exists and is not an entra-invite results file (its first line is not our \
             heading); it was left untouched: name a new file, or move this one away",
        ));
    }
    Ok(target)
}

fn lock_path(results: &Path) -> PathBuf {
    let mut name = results.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    results.with_file_name(name)
}

/// How a lock file starts (it names the run holding it).
const HOLDER: &str = "entra-invite bulk";

/// Held for a whole run: a second run on the same results file is refused (or waits). The OS
/// releases it when the process ends, however it ends, so a crash never leaves it held.
pub(crate) struct RunLock {
    _file: File,
}

impl RunLock {
    pub(crate) fn acquire(results: &Path, input: &Path, wait: bool) -> Result<RunLock, Error> {
        let path = lock_path(results);
        // A file of the user's own under that name is not ours to overwrite.
        if let Ok(meta) = std::fs::metadata(&path) {
            let mut head = String::new();
            let ours = meta.is_file()
                && (meta.len() == 0
                    || File::open(&path)
                        .and_then(|f| f.take(64).read_to_string(&mut head))
                        .map(|_| head.starts_with(HOLDER))
                        // Windows: the holder's lock keeps others from reading it.
                        .unwrap_or(true));
            if !ours {
                return Err(bad(
                    &path,
                    "exists and is not an entra-invite lock file; it was left untouched: move it \
                     away or name another results file",
                ));
            }
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| bad(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) if wait => {
                tracing::info!(lock = %path.display(), "waiting for the run that holds the results file");
                file.lock().map_err(|e| bad(&path, e))?;
            }
            Err(TryLockError::WouldBlock) => {
                // The holder writes who it is right after locking: give it a moment.
                let mut holder = String::new();
                for _ in 0..25 {
                    holder.clear();
                    let _ = file.rewind();
                    let _ = file.read_to_string(&mut holder);
                    if !holder.trim().is_empty() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "another run that is starting".to_string()
                } else {
                    holder.to_string()
                };
                return Err(bad(
                    results,
                    format!(
                        "is in use by {holder}; one run at a time per results file \
                         (wait for it to finish, or pass --wait)"
                    ),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(bad(&path, e)),
        }
        // Who holds it, for the message a second run shows.
        let who = format!(
            "{HOLDER} (process {}, started {}, input {})",
            std::process::id(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC"),
            input.display()
        );
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(who.as_bytes());
        Ok(RunLock { _file: file })
    }
}

/// Writes a new version of the results file beside it under a unique name, syncs it, and
/// renames it over the results (only ever called with a path [`results_target`] accepted).
/// On any error the temporary file is removed.
pub(crate) fn replace_results(
    results: &Path,
    write: impl FnOnce(&mut File) -> Result<(), Error>,
) -> Result<(), Error> {
    let dir = match results.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut name = std::ffi::OsString::from(".");
    name.push(results.file_name().unwrap_or_default());
    name.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&name)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            bad(
                results,
                format!("cannot create a temporary file beside it: {e}"),
            )
        })?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all().map_err(|e| bad(results, e))?;
    tmp.persist(results).map_err(|e| bad(results, e.error))?;
    // The rename itself survives a power cut only once the folder is synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
