//! `Client` (blocking, GIL released while waiting) and `AsyncClient` (coroutines run on the
//! core's runtime). Both are thin: arguments in, core call, typed result out.

use std::path::PathBuf;

use entra_invite::{Client as CoreClient, Settings};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};

use crate::errors;
use crate::guests::PyGuestIterator;
use crate::logging;
use crate::models::{PyGuestStatus, PyInvitation, PyInviteOutcome, PyLookup};
use crate::options::{guest_state, ClientOptions, InviteArgs, OneOrMany};
use crate::runtime::block;
use crate::tokens::PyTokenProvider;

/// What both clients hold: the core client (cheap to clone) and the token provider, if any.
#[derive(Clone)]
pub(crate) struct Core {
    pub(crate) client: CoreClient,
    provider: Option<PyTokenProvider>,
}

impl Core {
    pub(crate) fn build(py: Python<'_>, opts: ClientOptions, from_env: bool) -> PyResult<Self> {
        let (settings, provider) = opts.into_settings(py, from_env)?;
        Self::from_settings(py, settings, provider)
    }

    pub(crate) fn from_settings(
        py: Python<'_>,
        settings: Settings,
        provider: Option<PyTokenProvider>,
    ) -> PyResult<Self> {
        logging::refresh_level(py);
        let client = settings.build().map_err(|e| errors::to_py(py, e))?;
        Ok(Core { client, provider })
    }

    /// Before each call: pick up logging-level changes; for async calls, remember the loop
    /// an async token provider must run on.
    pub(crate) fn before_call(&self, py: Python<'_>, is_async: bool) {
        logging::refresh_level(py);
        if is_async {
            if let Some(p) = &self.provider {
                p.remember_running_loop(py);
            }
        }
    }

    pub(crate) fn repr(&self, name: &str, py: Python<'_>) -> String {
        let q = |s: &str| {
            PyString::new(py, s)
                .repr()
                .map(|r| r.to_string())
                .unwrap_or_else(|_| format!("{s:?}"))
        };
        format!(
            "{name}(tenant={}, graph_url={})",
            q(self.client.tenant()),
            q(self.client.graph_base())
        )
    }
}

/// `ClientOptions` from the constructor's keyword arguments (same names, same order).
#[macro_export]
#[doc(hidden)]
macro_rules! client_options {
    ($tenant:ident, $client_id:ident, $client_secret:ident, $certificate_path:ident,
     $certificate_password:ident, $federated_token_file:ident, $token:ident, $token_provider:ident,
     $cloud:ident, $graph_url:ident, $authority_url:ident, $ca_cert:ident, $timeout:ident,
     $max_retries:ident, $invitations_per_5s:ident) => {
        $crate::options::ClientOptions {
            tenant: $tenant,
            client_id: $client_id,
            client_secret: $client_secret,
            certificate_path: $certificate_path,
            certificate_password: $certificate_password,
            federated_token_file: $federated_token_file,
            token: $token,
            token_provider: $token_provider,
            cloud: $cloud,
            graph_url: $graph_url,
            authority_url: $authority_url,
            ca_cert: $ca_cert,
            timeout: $timeout,
            max_retries: $max_retries,
            invitations_per_5s: $invitations_per_5s,
        }
    };
}

/// A blocking Graph client for one tenant. Thread-safe; calls release the GIL and can be
/// interrupted with Ctrl-C.
#[pyclass(frozen, module = "entra_invite", name = "Client")]
pub(crate) struct PyClient {
    core: Core,
}

#[pymethods]
impl PyClient {
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
        Ok(PyClient {
            core: Core::build(py, opts, false)?,
        })
    }

    /// A client configured from the azure-identity environment variables (keyword arguments
    /// given here win).
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
        Ok(PyClient {
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
    fn invite(
        &self,
        py: Python<'_>,
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
        self.core.before_call(py, false);
        let req = InviteArgs {
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
        .into_request(py)?;
        let c = self.core.client.clone();
        let inner = block(py, async move { c.invite(&req).await })?;
        Ok(PyInvitation { inner })
    }

    #[pyo3(signature = (email, *, redirect_url, display_name=None, send_message=false, message=None,
        message_language=None, cc=None, user_type=None, sponsors=None))]
    #[allow(clippy::too_many_arguments)]
    fn invite_if_absent(
        &self,
        py: Python<'_>,
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
        self.core.before_call(py, false);
        let req = InviteArgs {
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
        .into_request(py)?;
        let c = self.core.client.clone();
        let inner = block(py, async move { c.invite_if_absent(&req).await })?;
        Ok(PyInviteOutcome { inner })
    }

    fn lookup(&self, py: Python<'_>, email: String) -> PyResult<PyLookup> {
        self.core.before_call(py, false);
        let c = self.core.client.clone();
        let inner = block(py, async move { c.lookup(&email).await })?;
        Ok(PyLookup { inner })
    }

    fn status(&self, py: Python<'_>, email_or_id: String) -> PyResult<PyGuestStatus> {
        self.core.before_call(py, false);
        let c = self.core.client.clone();
        let inner = block(py, async move { c.status(&email_or_id).await })?;
        Ok(PyGuestStatus { inner })
    }

    #[pyo3(signature = (state=None, *, page_size=None))]
    fn guests(
        &self,
        py: Python<'_>,
        state: Option<String>,
        page_size: Option<u16>,
    ) -> PyResult<PyGuestIterator> {
        self.core.before_call(py, false);
        let state = guest_state(py, state)?;
        PyGuestIterator::new(py, &self.core.client, state, page_size)
    }

    #[pyo3(signature = (user, *, email, redirect_url, display_name=None, send_message=false,
        message=None, message_language=None, cc=None, user_type=None, sponsors=None))]
    #[allow(clippy::too_many_arguments)]
    fn reset_redemption(
        &self,
        py: Python<'_>,
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
        self.core.before_call(py, false);
        let req = InviteArgs {
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
        .into_request(py)?;
        let c = self.core.client.clone();
        let inner = block(py, async move { c.reset_redemption(&user, &req).await })?;
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
    ) -> PyResult<crate::bulk::PyBulkRun> {
        self.core.before_call(py, false);
        let args = crate::bulk::BulkArgs {
            concurrency,
            skip_existing,
            dry_run,
            results,
            wait,
            settle_timeout,
        };
        crate::bulk::PyBulkRun::new(py, &self.core.client, path, args)
    }

    /// Nothing to release (connections are pooled process-wide); kept for `with` blocks.
    fn close(&self) {}

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.core.repr("Client", py)
    }
}
