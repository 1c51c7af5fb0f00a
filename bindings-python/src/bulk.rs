//! `client.bulk_invite(path, ...)`: the admin center's bulk-invite CSV (or a plain CSV with the
//! same property names), one result per row as rows finish — an iterator for `Client`, an
//! async iterator for `AsyncClient`. Pacing, resume and the results file are the core's.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use entra_invite::bulk::{BulkOptions, BulkResult, BulkRun, BulkSummary};
use entra_invite::{Client, Error};
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use tokio::sync::Mutex;

use crate::errors;
use crate::runtime::{block, call};

type Shared = Arc<Mutex<Option<BulkRun>>>;

pub(crate) struct BulkArgs {
    pub concurrency: usize,
    pub skip_existing: bool,
    pub dry_run: bool,
    pub results: Option<PathBuf>,
    pub wait: bool,
    /// Seconds, as given (checked in `start`).
    pub settle_timeout: f64,
}

/// `settle_timeout` in seconds: zero or more, finite.
fn settle_timeout(py: Python<'_>, secs: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(secs).map_err(|_| {
        errors::invalid(
            py,
            "settle_timeout",
            format!("must be a finite number of seconds, zero or more, not {secs}"),
        )
    })
}

fn start(py: Python<'_>, client: &Client, input: PathBuf, a: BulkArgs) -> PyResult<Shared> {
    let options = BulkOptions {
        concurrency: a.concurrency,
        skip_existing: a.skip_existing,
        dry_run: a.dry_run,
        results: a.results,
        wait: a.wait,
        settle_timeout: settle_timeout(py, a.settle_timeout)?,
    };
    let run = client
        .bulk_invite(&input, options)
        .map_err(|e| errors::to_py(py, e))?;
    Ok(Arc::new(Mutex::new(Some(run))))
}

async fn next(shared: Shared) -> Result<Option<BulkResult>, Error> {
    let mut guard = shared.lock().await;
    let Some(run) = guard.as_mut() else {
        return Ok(None);
    };
    run.next().await.transpose()
}

fn summary(shared: &Shared) -> Option<BulkSummary> {
    shared
        .try_lock()
        .ok()
        .and_then(|g| g.as_ref().map(|r| r.summary()))
}

/// Stops the run: rows in flight are journaled in the results file and resolved by the next
/// run with the same file.
fn close(shared: &Shared) {
    if let Ok(mut g) = shared.try_lock() {
        g.take();
    }
}

/// What became of one input row (`outcome`: `invited`, `existing`, `failed`, `invalid`, `valid`).
#[pyclass(frozen, module = "entra_invite", name = "BulkResult")]
pub(crate) struct PyBulkResult {
    inner: BulkResult,
}

#[pymethods]
impl PyBulkResult {
    /// The record's number in the file (1-based, counting the version and heading rows).
    #[getter]
    fn row(&self) -> u64 {
        self.inner.row
    }
    #[getter]
    fn email(&self) -> &str {
        &self.inner.email
    }
    #[getter]
    fn outcome(&self) -> &'static str {
        self.inner.outcome.as_str()
    }
    #[getter]
    fn user_id(&self) -> Option<&str> {
        self.inner.user_id.as_deref()
    }
    #[getter]
    fn redeem_url(&self) -> Option<&str> {
        self.inner.redeem_url.as_deref()
    }
    #[getter]
    fn error_kind(&self) -> Option<&str> {
        self.inner.error_kind.as_deref()
    }
    #[getter]
    fn error_code(&self) -> Option<&str> {
        self.inner.error_code.as_deref()
    }
    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "BulkResult(row={}, email={:?}, outcome={:?}, user_id={:?}, error_kind={:?})",
            self.inner.row,
            self.inner.email,
            self.inner.outcome.as_str(),
            self.inner.user_id,
            self.inner.error_kind
        )
    }
}

fn summary_dict(py: Python<'_>, s: Option<BulkSummary>) -> PyResult<Bound<'_, PyDict>> {
    let s = s.unwrap_or_default();
    let d = PyDict::new(py);
    d.set_item("invited", s.invited)?;
    d.set_item("existing", s.existing)?;
    d.set_item("failed", s.failed)?;
    d.set_item("invalid", s.invalid)?;
    d.set_item("valid", s.valid)?;
    d.set_item("resumed", s.resumed)?;
    d.set_item("input_changed", s.input_changed)?;
    d.set_item("added", s.added)?;
    d.set_item("fixed", s.fixed)?;
    d.set_item("removed", s.removed)?;
    Ok(d)
}

#[pyclass(frozen, module = "entra_invite", name = "BulkRun")]
pub(crate) struct PyBulkRun {
    shared: Shared,
}

impl PyBulkRun {
    pub(crate) fn new(
        py: Python<'_>,
        client: &Client,
        input: PathBuf,
        a: BulkArgs,
    ) -> PyResult<Self> {
        Ok(PyBulkRun {
            shared: start(py, client, input, a)?,
        })
    }
}

#[pymethods]
impl PyBulkRun {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyBulkResult>> {
        Ok(block(py, next(self.shared.clone()))?.map(|inner| PyBulkResult { inner }))
    }

    /// Counts so far: `invited`, `existing`, `failed`, `invalid`, `valid`, `resumed` (rows an
    /// earlier run with the same results file settled), `input_changed` (the results file was
    /// written for another input or an earlier version of it), `added` (rows the results file
    /// did not know), `fixed` (of those, rows that were invalid before), `removed` (addresses
    /// no longer in the input; known at the end).
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        summary_dict(py, summary(&self.shared))
    }

    /// Drains the run and returns the final counts.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        while block(py, next(self.shared.clone()))?.is_some() {}
        summary_dict(py, summary(&self.shared))
    }

    fn close(&self) {
        close(&self.shared)
    }
}

#[pyclass(frozen, module = "entra_invite", name = "AsyncBulkRun")]
pub(crate) struct PyAsyncBulkRun {
    shared: Shared,
}

impl PyAsyncBulkRun {
    pub(crate) fn new(
        py: Python<'_>,
        client: &Client,
        input: PathBuf,
        a: BulkArgs,
    ) -> PyResult<Self> {
        Ok(PyAsyncBulkRun {
            shared: start(py, client, input, a)?,
        })
    }
}

#[pymethods]
impl PyAsyncBulkRun {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Returns the coroutine of `_next` (pyo3 slots cannot be `async fn`).
    fn __anext__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.call_method0(pyo3::intern!(slf.py(), "_next"))
    }

    async fn _next(&self) -> PyResult<PyBulkResult> {
        match call(next(self.shared.clone())).await? {
            Some(inner) => Ok(PyBulkResult { inner }),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }

    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        summary_dict(py, summary(&self.shared))
    }

    /// Drains the run; returns the final counts.
    async fn finish(&self) -> PyResult<Py<PyDict>> {
        while call(next(self.shared.clone())).await?.is_some() {}
        let s = summary(&self.shared);
        Python::attach(|py| summary_dict(py, s).map(Bound::unbind))
    }

    fn close(&self) {
        close(&self.shared)
    }
}
