//! Python test support for entra-invite: the module `entra_invite_testing._native`, the Graph
//! emulator in-process with its control API (`entra_invite_testing.Emulator` wraps it).
//!
//! This extension is separate from `entra_invite._native` so that the production package does
//! not link the emulator. It has its own copy of the core and so its own runtime, which runs the
//! emulator only: the clients a test makes are plain `entra_invite` clients (on the production
//! extension's runtime) that talk to the emulator over loopback HTTP, exactly as in production.

use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_invite::Error;
use entra_invite_testing::TestEmulator;
use pyo3::prelude::*;

/// How often a blocking call wakes up to let Python run its signal handlers (Ctrl-C).
const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// Runs `fut` on this extension's runtime and waits with the GIL released, waking every few
/// milliseconds for Python's signal handlers (Ctrl-C raises `KeyboardInterrupt`, aborting it).
fn wait<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let (tx, mut rx) = sync_channel(1);
    let task = entra_invite::spawn(async move {
        let _ = tx.send(fut.await);
        Ok(())
    });
    loop {
        let (back, got) = py.detach(move || {
            let got = rx.recv_timeout(SIGNAL_SLICE);
            (rx, got)
        });
        rx = back;
        match got {
            Ok(r) => return Ok(r?),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupted) = py.check_signals() {
                    drop(task);
                    return Err(interrupted);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                drop(task);
                return Err(Error::new(
                    entra_invite::ErrorKind::Internal,
                    "the emulator's task ended without a result",
                )
                .into());
            }
        }
    }
}

/// The running emulator; `entra_invite_testing.Emulator` adds the Python API around it
/// (JSON bodies travel as text and are parsed in Python).
#[pyclass(frozen, module = "entra_invite_testing", name = "_Emulator", subclass)]
struct PyEmulator {
    emu: Mutex<Option<Arc<TestEmulator>>>,
    url: String,
    ca_cert_pem: Option<String>,
    tenant: &'static str,
    client_id: &'static str,
    client_secret: &'static str,
}

impl PyEmulator {
    fn get(&self) -> PyResult<Arc<TestEmulator>> {
        self.emu
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| Error::invalid_input("emulator", "is stopped").into())
    }
}

#[pymethods]
impl PyEmulator {
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
    #[getter]
    fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_cert_pem.as_deref()
    }
    #[getter]
    fn running(&self) -> bool {
        self.emu.lock().map(|e| e.is_some()).unwrap_or(false)
    }

    /// `method /_emulator/{path}` with an optional JSON body (text); returns the JSON answer
    /// as text (`null` when empty).
    #[pyo3(signature = (method, path, body=None))]
    fn _control(
        &self,
        py: Python<'_>,
        method: String,
        path: String,
        body: Option<String>,
    ) -> PyResult<String> {
        let body = body
            .map(|b| serde_json::from_str(&b))
            .transpose()
            .map_err(|e| PyErr::from(Error::invalid_input("body", e.to_string())))?;
        let emu = self.get()?;
        let v = wait(py, async move { emu.control(&method, &path, body).await })?;
        Ok(v.to_string())
    }

    /// The guest accepts their invitation (by email or user id); the user as JSON text.
    fn _redeem(&self, py: Python<'_>, email_or_id: String) -> PyResult<String> {
        let emu = self.get()?;
        let v = wait(py, async move { emu.redeem(&email_or_id).await })?;
        Ok(v.to_string())
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
}

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::PyEmulator;

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add(
            "READONLY_CLIENT_ID",
            entra_invite_testing::READONLY_CLIENT_ID,
        )?;
        m.add(
            "READONLY_CLIENT_SECRET",
            entra_invite_testing::READONLY_CLIENT_SECRET,
        )?;
        Ok(())
    }
}
