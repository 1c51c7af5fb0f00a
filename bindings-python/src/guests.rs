//! `client.guests(...)`: every guest, page by page, fetched lazily — a plain iterator for
//! `Client`, an async iterator for `AsyncClient`.

use std::collections::VecDeque;
use std::sync::Arc;

use entra_invite::{Client, Error, ExternalUserState, GuestPages, GuestStatus};
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::errors;
use crate::models::PyGuestStatus;
use crate::runtime::{block, call};

struct Cursor {
    pages: GuestPages,
    buffered: VecDeque<GuestStatus>,
}

type Shared = Arc<Mutex<Cursor>>;

fn cursor(
    py: Python<'_>,
    client: &Client,
    state: Option<ExternalUserState>,
    page_size: Option<u16>,
) -> PyResult<Shared> {
    let mut pages = client.guests(state);
    if let Some(n) = page_size {
        pages = pages.page_size(n).map_err(|e| errors::to_py(py, e))?;
    }
    Ok(Arc::new(Mutex::new(Cursor {
        pages,
        buffered: VecDeque::new(),
    })))
}

/// The next guest without a trip to the runtime, when the current page still has one.
fn buffered(shared: &Shared) -> Option<GuestStatus> {
    shared
        .try_lock()
        .ok()
        .and_then(|mut c| c.buffered.pop_front())
}

fn total(shared: &Shared) -> Option<u64> {
    shared.try_lock().ok().and_then(|c| c.pages.total())
}

async fn next(shared: Shared) -> Result<Option<GuestStatus>, Error> {
    let mut c = shared.lock().await;
    loop {
        if let Some(g) = c.buffered.pop_front() {
            return Ok(Some(g));
        }
        match c.pages.next_page().await? {
            Some(page) => c.buffered.extend(page),
            None => return Ok(None),
        }
    }
}

#[pyclass(frozen, module = "entra_invite", name = "GuestIterator")]
pub(crate) struct PyGuestIterator {
    shared: Shared,
}

impl PyGuestIterator {
    pub(crate) fn new(
        py: Python<'_>,
        client: &Client,
        state: Option<ExternalUserState>,
        page_size: Option<u16>,
    ) -> PyResult<Self> {
        Ok(PyGuestIterator {
            shared: cursor(py, client, state, page_size)?,
        })
    }
}

#[pymethods]
impl PyGuestIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyGuestStatus>> {
        if let Some(inner) = buffered(&self.shared) {
            return Ok(Some(PyGuestStatus { inner }));
        }
        let shared = self.shared.clone();
        Ok(block(py, next(shared))?.map(|inner| PyGuestStatus { inner }))
    }

    /// Graph's count of all matching guests, known once the first page has been read.
    #[getter]
    fn total(&self) -> Option<u64> {
        total(&self.shared)
    }
}

#[pyclass(frozen, module = "entra_invite", name = "AsyncGuestIterator")]
pub(crate) struct PyAsyncGuestIterator {
    shared: Shared,
}

impl PyAsyncGuestIterator {
    pub(crate) fn new(
        py: Python<'_>,
        client: &Client,
        state: Option<ExternalUserState>,
        page_size: Option<u16>,
    ) -> PyResult<Self> {
        Ok(PyAsyncGuestIterator {
            shared: cursor(py, client, state, page_size)?,
        })
    }
}

#[pymethods]
impl PyAsyncGuestIterator {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Returns the coroutine of `_next` (pyo3 slots cannot be `async fn`).
    fn __anext__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.call_method0(pyo3::intern!(slf.py(), "_next"))
    }

    async fn _next(&self) -> PyResult<PyGuestStatus> {
        let inner = match buffered(&self.shared) {
            Some(g) => Some(g),
            None => call(next(self.shared.clone())).await?,
        };
        match inner {
            Some(inner) => Ok(PyGuestStatus { inner }),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }

    #[getter]
    fn total(&self) -> Option<u64> {
        total(&self.shared)
    }
}
