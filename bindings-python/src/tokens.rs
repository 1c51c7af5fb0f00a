//! `token_provider=`: a Python callable (plain or async) as the core's `TokenSource`.
//! It is called on a runtime blocking thread (never on a worker, never with the GIL held by
//! the caller); an async provider of an `AsyncClient` runs on the caller's event loop. What it
//! raises travels on the core's error (`Error::with_cause`) to become the `__cause__`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_invite::{AccessToken, Error, TokenSource};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::exit_gate::enter_python;

static CALL_PROVIDER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
        let event_loop = Mutex::new(None);
        PyTokenProvider {
            inner: Arc::new(Inner {
                callable,
                event_loop,
            }),
        }
    }

    /// Called (GIL held) at the start of every `AsyncClient` call: an async provider will be
    /// awaited on this loop.
    pub(crate) fn remember_running_loop(&self, py: Python<'_>) {
        if let Ok(l) = py
            .import("asyncio")
            .and_then(|m| m.call_method0("get_running_loop"))
        {
            *self
                .inner
                .event_loop
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(l.unbind());
        }
    }
}

fn call(inner: &Inner) -> Result<AccessToken, Error> {
    let Some(_pass) = enter_python() else {
        return Err(Error::auth(
            "the token provider cannot run: the interpreter is shutting down",
        ));
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
                let cause: Py<PyAny> = e.into_value(py).into_any();
                Err(
                    Error::auth(format!("the token provider raised {what}: {text}"))
                        .with_cause(Arc::new(cause)),
                )
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
                Err(_) => Err(Error::auth("the token provider's thread failed")),
            }
        })
    }
}
