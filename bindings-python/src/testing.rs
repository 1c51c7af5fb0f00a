//! `entra_invite.testing.Emulator`: the Graph emulator in-process, on the core's runtime, with
//! its control API (seed users, redeem invitations, read the outbox and counters, faults).

use std::sync::{Arc, Mutex};

use entra_invite_testing::TestEmulator;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::async_client::PyAsyncClient;
use crate::client::{Core, PyClient};
use crate::errors;
use crate::json::{json_to_py, py_to_json};
use crate::runtime::wait;

#[pyclass(frozen, module = "entra_invite.testing", name = "_Emulator", subclass)]
pub(crate) struct PyEmulator {
    emu: Mutex<Option<Arc<TestEmulator>>>,
    url: String,
    ca_cert_pem: Option<String>,
    tenant: &'static str,
    client_id: &'static str,
    client_secret: &'static str,
}

impl PyEmulator {
    fn get(&self, py: Python<'_>) -> PyResult<Arc<TestEmulator>> {
        self.emu
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| errors::invalid(py, "emulator", "is stopped"))
    }

    fn call(
        &self,
        py: Python<'_>,
        method: &'static str,
        path: String,
        body: Option<serde_json::Value>,
    ) -> PyResult<Py<PyAny>> {
        let emu = self.get(py)?;
        let v = wait(py, async move { emu.control(method, &path, body).await })?;
        json_to_py(py, &v)
    }
}

#[pymethods]
impl PyEmulator {
    /// Starts the emulator on an ephemeral loopback port (`https=True`: TLS with a fresh
    /// self-signed certificate, trusted by the clients this object makes).
    #[new]
    #[pyo3(signature = (*, https=false))]
    fn new(py: Python<'_>, https: bool) -> PyResult<Self> {
        let emu = wait(py, TestEmulator::start(https))?;
        Ok(PyEmulator {
            url: emu.url().to_string(),
            ca_cert_pem: emu.ca_cert_pem().map(str::to_string),
            tenant: emu.tenant(),
            client_id: emu.client_id(),
            client_secret: emu.client_secret(),
            emu: Mutex::new(Some(Arc::new(emu))),
        })
    }

    /// Base URL to pass as `graph_url`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }
    #[getter]
    fn tenant(&self) -> &'static str {
        self.tenant
    }
    #[getter]
    fn client_id(&self) -> &'static str {
        self.client_id
    }
    #[getter]
    fn client_secret(&self) -> &'static str {
        self.client_secret
    }
    /// The self-signed certificate (PEM) when started with `https=True`.
    #[getter]
    fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_cert_pem.as_deref()
    }

    /// A `Client` of the emulator's default app (keyword arguments override its settings).
    #[pyo3(signature = (**overrides))]
    fn client(&self, py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<PyClient> {
        Ok(PyClient::from_core(self.core(py, overrides)?))
    }

    #[pyo3(signature = (**overrides))]
    fn async_client(
        &self,
        py: Python<'_>,
        overrides: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyAsyncClient> {
        Ok(PyAsyncClient::from_core(self.core(py, overrides)?))
    }

    /// The guest accepts their invitation (by email or user id); returns the user (Graph JSON).
    fn redeem(&self, py: Python<'_>, email_or_id: String) -> PyResult<Py<PyAny>> {
        let emu = self.get(py)?;
        let v = wait(py, async move { emu.redeem(&email_or_id).await })?;
        json_to_py(py, &v)
    }

    /// Invitation emails "sent" so far.
    fn outbox(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.call(py, "GET", "outbox".into(), None)
    }

    /// Replaces the active faults (Faults JSON, camelCase); `None` clears them.
    #[pyo3(signature = (faults=None))]
    fn set_faults(&self, py: Python<'_>, faults: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        match faults {
            None => self.call(py, "DELETE", "faults".into(), None).map(|_| ()),
            Some(f) => self
                .call(py, "PUT", "faults".into(), Some(py_to_json(f)?))
                .map(|_| ()),
        }
    }

    /// Request counters: per route and status, `invitationsCreated`, `earlyRetries`,
    /// `tokenRequests`, `totalRequests`.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.call(py, "GET", "counters".into(), None)
    }

    /// Seeds a user (Graph user properties, camelCase); returns it with its id.
    fn add_user(&self, py: Python<'_>, user: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.call(py, "POST", "users".into(), Some(py_to_json(user)?))
    }

    /// Adds a domain to the tenant (`verified=True`: a verified domain).
    #[pyo3(signature = (domain, *, verified=true))]
    fn add_domain(&self, py: Python<'_>, domain: String, verified: bool) -> PyResult<Py<PyAny>> {
        let body = serde_json::json!({"id": domain, "isVerified": verified});
        self.call(py, "POST", "domains".into(), Some(body))
    }

    /// Back to the initial state (users, counters, outbox, faults).
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        self.call(py, "POST", "reset".into(), None).map(|_| ())
    }

    /// Any control-API call: `method /_emulator/{path}` with an optional JSON body.
    #[pyo3(signature = (method, path, body=None))]
    fn control(
        &self,
        py: Python<'_>,
        method: String,
        path: String,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let body = body.map(py_to_json).transpose()?;
        let emu = self.get(py)?;
        let v = wait(py, async move { emu.control(&method, &path, body).await })?;
        json_to_py(py, &v)
    }

    /// Stops the server (idempotent).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self.emu.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(emu) = taken {
            if let Ok(emu) = Arc::try_unwrap(emu) {
                wait(py, async move {
                    emu.stop().await;
                    Ok(())
                })?;
            }
        }
        Ok(())
    }

    #[getter]
    fn running(&self) -> bool {
        self.emu.lock().map(|e| e.is_some()).unwrap_or(false)
    }
}

impl PyEmulator {
    fn core(&self, py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Core> {
        let emu = self.get(py)?;
        let base = emu.settings();
        let (given, provider) = match overrides {
            Some(kw) if !kw.is_empty() => {
                let opts = crate::options::ClientOptions::from_kwargs(kw)?;
                let credential = opts.has_credential();
                let (s, p) = opts.into_settings(py, false)?;
                let mut base = base;
                if credential {
                    // The given credential replaces the default app's secret.
                    base.client_secret = None;
                }
                (s.or(base), p)
            }
            _ => (base, None),
        };
        Core::from_settings(py, given, provider)
    }
}
