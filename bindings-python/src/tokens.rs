//! `token_provider=`: a Python callable (plain or async) as the core's `TokenSource`.
//! It is called on a runtime blocking thread (never on a worker, never with the GIL held by
//! the caller); an async provider of an `AsyncClient` runs on the caller's event loop.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_invite::{AccessToken, Error, TokenSource};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::runtime::enter_python;

/// Every provider failure's message starts so (they are `Auth` errors).
const PREFIX: &str = "the token provider ";
/// How many recent provider exceptions are kept to become the `__cause__` of the error.
const KEEP_CAUSES: usize = 16;

static CALL_PROVIDER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static CAUSES: Mutex<VecDeque<(String, Py<PyAny>)>> = Mutex::new(VecDeque::new());

struct Inner {
    callable: Py<PyAny>,
    /// The event loop of the latest `AsyncClient` call, where an async provider is awaited.
    event_loop: Mutex<Option<Py<PyAny>>>,
}

#[derive(Clone)]
pub(crate) struct PyTokenProvider {
    inner: Arc<Inner>,
}

impl PyTokenProvider {
    pub(crate) fn new(callable: Py<PyAny>) -> Self {
        PyTokenProvider {
            inner: Arc::new(Inner {
                callable,
                event_loop: Mutex::new(None),
            }),
        }
    }

    /// Called (GIL held) at the start of every `AsyncClient` call: an async provider will be
    /// awaited on this loop.
    pub(crate) fn remember_running_loop(&self, py: Python<'_>) {
        let running = py
            .import("asyncio")
            .and_then(|m| m.getattr("get_running_loop"))
            .and_then(|f| f.call0());
        if let Ok(l) = running {
            let mut slot = self
                .inner
                .event_loop
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            *slot = Some(l.unbind());
        }
    }
}

fn call(inner: &Inner) -> Result<AccessToken, Error> {
    let Some(_pass) = enter_python() else {
        return Err(Error::auth(format!(
            "{PREFIX}cannot run: the interpreter is shutting down"
        )));
    };
    Python::attach(|py| {
        let result = (|| -> PyResult<(String, Option<f64>)> {
            let helper = CALL_PROVIDER.import(py, "entra_invite._tokens", "call_provider")?;
            let event_loop = inner
                .event_loop
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .as_ref()
                .map(|l| l.clone_ref(py));
            helper
                .call1((inner.callable.clone_ref(py), event_loop))?
                .extract()
        })();
        match result {
            Ok((token, expires_in)) => {
                let lifetime = expires_in
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64);
                Ok(AccessToken::new(token, lifetime))
            }
            Err(e) => {
                let what = e
                    .get_type(py)
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|_| "Exception".into());
                let text = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
                let err = Error::auth(format!("{PREFIX}raised {what}: {text}"));
                let mut causes = CAUSES.lock().unwrap_or_else(|p| p.into_inner());
                causes.push_back((err.message().to_string(), e.into_value(py).into_any()));
                while causes.len() > KEEP_CAUSES {
                    causes.pop_front();
                }
                Err(err)
            }
        }
    })
}

impl TokenSource for PyTokenProvider {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + '_>> {
        let inner = self.inner.clone();
        Box::pin(async move {
            match tokio::task::spawn_blocking(move || call(&inner)).await {
                Ok(r) => r,
                Err(_) => Err(Error::auth(format!("{PREFIX}thread failed"))),
            }
        })
    }
}

/// The provider's own exception behind a token provider failure, while still remembered.
pub(crate) fn provider_cause(py: Python<'_>, e: &Error) -> Option<Py<PyAny>> {
    if e.kind() != entra_invite::ErrorKind::Auth || !e.message().starts_with(PREFIX) {
        return None;
    }
    let causes = CAUSES.lock().unwrap_or_else(|p| p.into_inner());
    causes
        .iter()
        .rev()
        .find(|(m, _)| m == e.message())
        .map(|(_, c)| c.clone_ref(py))
}
