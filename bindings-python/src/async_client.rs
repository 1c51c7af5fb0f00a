//! `AsyncClient`: the same constructor and methods as `Client`, as coroutines awaited on
//! asyncio while the work runs on the core's runtime.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::client::Core;
use crate::guests::PyAsyncGuestIterator;
use crate::models::{PyGuestStatus, PyInvitation, PyInviteOutcome, PyLookup};
use crate::options::{guest_state, InviteArgs, OneOrMany};
use crate::runtime::call;

/// The asyncio Graph client: the same constructor and methods as `Client`, as coroutines.
/// Works from any event loop (several in turn too); cancelling a task cancels the Rust work.
#[pyclass(frozen, module = "entra_invite", name = "AsyncClient")]
pub(crate) struct PyAsyncClient {
    core: Core,
}

#[pymethods]
impl PyAsyncClient {
    #[new]
    #[pyo3(signature = (*, tenant=None, client_id=None, client_secret=None, certificate_path=None,
        certificate_password=None, federated_token_file=None, token=None, token_provider=None,
        cloud=None, graph_url=None, authority_url=None, ca_cert=None, timeout=None, max_retries=None,
        invitations_per_5s=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        tenant: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        certificate_path: Option<PathBuf>,
        certificate_password: Option<String>,
        federated_token_file: Option<PathBuf>,
        token: Option<String>,
        token_provider: Option<Py<PyAny>>,
        cloud: Option<String>,
        graph_url: Option<String>,
        authority_url: Option<String>,
        ca_cert: Option<Py<PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<usize>,
        invitations_per_5s: Option<u32>,
    ) -> PyResult<Self> {
        let opts = crate::client_options!(
            tenant,
            client_id,
            client_secret,
            certificate_path,
            certificate_password,
            federated_token_file,
            token,
            token_provider,
            cloud,
            graph_url,
            authority_url,
            ca_cert,
            timeout,
            max_retries,
            invitations_per_5s
        );
        Ok(PyAsyncClient {
            core: Core::build(py, opts, false)?,
        })
    }

    #[classmethod]
    #[pyo3(signature = (*, tenant=None, client_id=None, client_secret=None, certificate_path=None,
        certificate_password=None, federated_token_file=None, token=None, token_provider=None,
        cloud=None, graph_url=None, authority_url=None, ca_cert=None, timeout=None, max_retries=None,
        invitations_per_5s=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_env(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        tenant: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        certificate_path: Option<PathBuf>,
        certificate_password: Option<String>,
        federated_token_file: Option<PathBuf>,
        token: Option<String>,
        token_provider: Option<Py<PyAny>>,
        cloud: Option<String>,
        graph_url: Option<String>,
        authority_url: Option<String>,
        ca_cert: Option<Py<PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<usize>,
        invitations_per_5s: Option<u32>,
    ) -> PyResult<Self> {
        let opts = crate::client_options!(
            tenant,
            client_id,
            client_secret,
            certificate_path,
            certificate_password,
            federated_token_file,
            token,
            token_provider,
            cloud,
            graph_url,
            authority_url,
            ca_cert,
            timeout,
            max_retries,
            invitations_per_5s
        );
        Ok(PyAsyncClient {
            core: Core::build(py, opts, true)?,
        })
    }

    #[getter]
    fn tenant(&self) -> &str {
        self.core.client.tenant()
    }

    #[getter]
    fn graph_url(&self) -> &str {
        self.core.client.graph_base()
    }

    #[pyo3(signature = (email, *, redirect_url, display_name=None, send_message=false, message=None,
        message_language=None, cc=None, user_type=None, sponsors=None))]
    #[allow(clippy::too_many_arguments)]
    async fn invite(
        &self,
        email: String,
        redirect_url: String,
        display_name: Option<String>,
        send_message: bool,
        message: Option<String>,
        message_language: Option<String>,
        cc: Option<OneOrMany>,
        user_type: Option<String>,
        sponsors: Option<Vec<String>>,
    ) -> PyResult<PyInvitation> {
        let req = Python::attach(|py| {
            self.core.before_call(py, true);
            InviteArgs {
                email,
                redirect_url,
                display_name,
                send_message,
                message,
                message_language,
                cc,
                user_type,
                sponsors,
            }
            .into_request(py)
        })?;
        let c = self.core.client.clone();
        let inner = call(async move { c.invite(&req).await }).await?;
        Ok(PyInvitation { inner })
    }

    #[pyo3(signature = (email, *, redirect_url, display_name=None, send_message=false, message=None,
        message_language=None, cc=None, user_type=None, sponsors=None))]
    #[allow(clippy::too_many_arguments)]
    async fn invite_if_absent(
        &self,
        email: String,
        redirect_url: String,
        display_name: Option<String>,
        send_message: bool,
        message: Option<String>,
        message_language: Option<String>,
        cc: Option<OneOrMany>,
        user_type: Option<String>,
        sponsors: Option<Vec<String>>,
    ) -> PyResult<PyInviteOutcome> {
        let req = Python::attach(|py| {
            self.core.before_call(py, true);
            InviteArgs {
                email,
                redirect_url,
                display_name,
                send_message,
                message,
                message_language,
                cc,
                user_type,
                sponsors,
            }
            .into_request(py)
        })?;
        let c = self.core.client.clone();
        let inner = call(async move { c.invite_if_absent(&req).await }).await?;
        Ok(PyInviteOutcome { inner })
    }

    async fn lookup(&self, email: String) -> PyResult<PyLookup> {
        Python::attach(|py| self.core.before_call(py, true));
        let c = self.core.client.clone();
        let inner = call(async move { c.lookup(&email).await }).await?;
        Ok(PyLookup { inner })
    }

    async fn status(&self, email_or_id: String) -> PyResult<PyGuestStatus> {
        Python::attach(|py| self.core.before_call(py, true));
        let c = self.core.client.clone();
        let inner = call(async move { c.status(&email_or_id).await }).await?;
        Ok(PyGuestStatus { inner })
    }

    /// An async iterator over every guest (pages fetched lazily): `async for g in client.guests()`.
    #[pyo3(signature = (state=None, *, page_size=None))]
    fn guests(
        &self,
        py: Python<'_>,
        state: Option<String>,
        page_size: Option<u16>,
    ) -> PyResult<PyAsyncGuestIterator> {
        self.core.before_call(py, true);
        let state = guest_state(py, state)?;
        PyAsyncGuestIterator::new(py, &self.core.client, state, page_size)
    }

    #[pyo3(signature = (user, *, email, redirect_url, display_name=None, send_message=false,
        message=None, message_language=None, cc=None, user_type=None, sponsors=None))]
    #[allow(clippy::too_many_arguments)]
    async fn reset_redemption(
        &self,
        user: String,
        email: String,
        redirect_url: String,
        display_name: Option<String>,
        send_message: bool,
        message: Option<String>,
        message_language: Option<String>,
        cc: Option<OneOrMany>,
        user_type: Option<String>,
        sponsors: Option<Vec<String>>,
    ) -> PyResult<PyInvitation> {
        let req = Python::attach(|py| {
            self.core.before_call(py, true);
            InviteArgs {
                email,
                redirect_url,
                display_name,
                send_message,
                message,
                message_language,
                cc,
                user_type,
                sponsors,
            }
            .into_request(py)
        })?;
        let c = self.core.client.clone();
        let inner = call(async move { c.reset_redemption(&user, &req).await }).await?;
        Ok(PyInvitation { inner })
    }

    /// Invites every row of a bulk-invite CSV (the admin center's template or a plain CSV with
    /// the same property names); iterate the run for one result per row as rows finish.
    ///
    /// `results`: the results CSV, written as rows finish; re-running with the same file
    /// resumes it. One run per results file at a time: another run is refused (InvalidInput,
    /// field `results`) unless `wait=True`, which waits for it to end. `settle_timeout`
    /// (seconds): how long a row whose invitation may have been created without an answer is
    /// looked up before it is sent again.
    #[pyo3(signature = (path, *, concurrency=16, skip_existing=true, dry_run=false, results=None, wait=false, settle_timeout=30.0))]
    #[allow(clippy::too_many_arguments)]
    fn bulk_invite(
        &self,
        py: Python<'_>,
        path: PathBuf,
        concurrency: usize,
        skip_existing: bool,
        dry_run: bool,
        results: Option<PathBuf>,
        wait: bool,
        settle_timeout: f64,
    ) -> PyResult<crate::bulk::PyAsyncBulkRun> {
        self.core.before_call(py, true);
        let args = crate::bulk::BulkArgs {
            concurrency,
            skip_existing,
            dry_run,
            results,
            wait,
            settle_timeout,
        };
        crate::bulk::PyAsyncBulkRun::new(py, &self.core.client, path, args)
    }

    async fn close(&self) {}

    async fn __aenter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    async fn __aexit__(&self, _exc: Py<pyo3::types::PyTuple>) -> bool {
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.core.repr("AsyncClient", py)
    }
}
