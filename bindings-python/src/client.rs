//! `Client` (blocking, GIL released while waiting) and `AsyncClient` (coroutines awaited on
//! asyncio while the work runs on the core's runtime), generated from one declaration: each
//! method is written once in `client_class!`, and the two invocations differ only in whether
//! a method is `async` and how it waits (`blocking!` or `awaiting!`).

use std::path::PathBuf;

use entra_invite::{
    Client as CoreClient, GuestStatus, Invitation, InvitationRequest, InviteOutcome, Lookup,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};

use crate::iterators::{shared, AsyncBulkRun, AsyncGuestIterator, BulkRun, GuestIterator, Guests};
use crate::logging;
use crate::options;
use crate::tokens::PyTokenProvider;

/// What both clients hold: the core client (cheap to clone) and the token provider, if any.
pub(crate) struct Core {
    client: CoreClient,
    provider: Option<PyTokenProvider>,
}

impl Core {
    fn new(py: Python<'_>, kw: Option<&Bound<'_, PyDict>>, from_env: bool) -> PyResult<Self> {
        let (settings, provider) = options::settings(kw, from_env)?;
        logging::refresh_level(py);
        let client = settings.build()?;
        Ok(Core { client, provider })
    }

    /// The client for one call, after picking up logging-level changes and, for async calls,
    /// the loop an async token provider must run on.
    fn client(&self, py: Python<'_>, is_async: bool) -> CoreClient {
        logging::refresh_level(py);
        if let (true, Some(p)) = (is_async, &self.provider) {
            p.remember_running_loop(py);
        }
        self.client.clone()
    }

    /// The client and request of an invitation call (`invite(invited_user_email_address,
    /// **request)`).
    fn request(
        &self,
        is_async: bool,
        invited_user_email_address: String,
        request: Option<Py<PyDict>>,
    ) -> PyResult<(CoreClient, InvitationRequest)> {
        Python::attach(|py| {
            let req = options::invitation(py, invited_user_email_address, request)?;
            Ok((self.client(py, is_async), req))
        })
    }

    fn repr(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        let tenant = PyString::new(py, self.client.tenant()).repr()?;
        let url = PyString::new(py, self.client.graph_base()).repr()?;
        Ok(format!("{name}(tenant={tenant}, graph_url={url})"))
    }
}

/// Waits for a core future in a plain method (GIL released, Ctrl-C honoured).
macro_rules! blocking {
    ($fut:expr) => {
        Python::attach(|py| crate::runtime::block(py, $fut))
    };
}

/// Awaits a core future in an `async` method.
macro_rules! awaiting {
    ($fut:expr) => {
        crate::runtime::wait($fut).await
    };
}

macro_rules! client_class {
    ($cls:ident, $name:literal, [$($async:tt)?], $is_async:literal, $wait:ident, $guests:ident, $bulk:ident,
     $doc:literal, { $($own:tt)* }) => {
        #[doc = $doc]
        #[pyclass(frozen, module = "entra_invite", name = $name)]
        pub(crate) struct $cls(Core);

        #[pymethods]
        impl $cls {
            /// Keyword arguments: `tenant`, `client_id` and one credential (`client_secret`,
            /// `certificate_path` [+ `certificate_password`], `federated_token_file`, `token`,
            /// `token_provider`), `cloud`, `graph_url`, `authority_url`, `ca_cert` (path or PEM),
            /// `ca_cert_pem`, `timeout` (seconds), `max_retries`, `invitations_per_5s`.
            #[new]
            #[pyo3(signature = (**options))]
            fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                Ok(Self(Core::new(py, options, false)?))
            }

            /// A client configured from the azure-identity environment variables (keyword
            /// arguments given here win).
            #[classmethod]
            #[pyo3(signature = (**options))]
            fn from_env(
                _cls: &Bound<'_, PyType>,
                py: Python<'_>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Self> {
                Ok(Self(Core::new(py, options, true)?))
            }

            #[getter]
            fn tenant(&self) -> &str {
                self.0.client.tenant()
            }

            #[getter]
            fn graph_url(&self) -> &str {
                self.0.client.graph_base()
            }

            /// Invites one external user; the answer's `invite_redeem_url` is only ever
            /// available here. Keywords: the rest of `InvitationRequest` (snake_case).
            #[pyo3(signature = (invited_user_email_address, **request))]
            $($async)? fn invite(
                &self,
                invited_user_email_address: String,
                request: Option<Py<PyDict>>,
            ) -> PyResult<Invitation> {
                let (c, req) = self.0.request($is_async, invited_user_email_address, request)?;
                $wait!(async move { c.invite(&req).await })
            }

            /// Invites the user unless the address already has a user in the tenant.
            #[pyo3(signature = (invited_user_email_address, **request))]
            $($async)? fn invite_if_absent(
                &self,
                invited_user_email_address: String,
                request: Option<Py<PyDict>>,
            ) -> PyResult<InviteOutcome> {
                let (c, req) = self.0.request($is_async, invited_user_email_address, request)?;
                $wait!(async move { c.invite_if_absent(&req).await })
            }

            /// Whether an address already has a user in the tenant.
            $($async)? fn lookup(&self, email: String) -> PyResult<Lookup> {
                let c = Python::attach(|py| self.0.client(py, $is_async));
                $wait!(async move { c.lookup(&email).await })
            }

            /// Where a guest stands (by email or object id).
            $($async)? fn status(&self, email_or_id: String) -> PyResult<GuestStatus> {
                let c = Python::attach(|py| self.0.client(py, $is_async));
                $wait!(async move { c.status(&email_or_id).await })
            }

            /// Resets a guest's redemption: same object id, new invitation (possibly to a new
            /// address). `user`: object id or current email.
            #[pyo3(signature = (user, invited_user_email_address, **request))]
            $($async)? fn reset_redemption(
                &self,
                user: String,
                invited_user_email_address: String,
                request: Option<Py<PyDict>>,
            ) -> PyResult<Invitation> {
                let (c, req) = self.0.request($is_async, invited_user_email_address, request)?;
                $wait!(async move { c.reset_redemption(&user, &req).await })
            }

            /// Every guest (all, or those in `state`), pages fetched lazily as it is iterated.
            #[pyo3(signature = (state=None, *, page_size=None))]
            fn guests(
                &self,
                py: Python<'_>,
                state: Option<String>,
                page_size: Option<u16>,
            ) -> PyResult<$guests> {
                let c = self.0.client(py, $is_async);
                let mut pages = c.guests(state.map(|s| s.parse()).transpose()?);
                if let Some(n) = page_size {
                    pages = pages.page_size(n)?;
                }
                Ok($guests(shared(Guests(pages, Vec::new().into_iter()))))
            }

            /// Invites every row of a bulk-invite CSV (the admin center's template or a plain
            /// CSV with the same property names); iterate the run for one result per row as
            /// rows finish. Keywords: `BulkOptions` (`concurrency`, `skip_existing`, `dry_run`,
            /// `results`, `wait`, `settle_timeout` in seconds).
            #[pyo3(signature = (path, **options))]
            fn bulk_invite(
                &self,
                py: Python<'_>,
                path: PathBuf,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<$bulk> {
                let c = self.0.client(py, $is_async);
                let run = c.bulk_invite(&path, options::bulk(options)?)?;
                Ok($bulk(shared(Some(run))))
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                self.0.repr(py, $name)
            }

            $($own)*
        }
    };
}

client_class! {
    Client, "Client", [], false, blocking, GuestIterator, BulkRun,
    "A blocking Graph client for one tenant. Thread-safe; calls release the GIL and can be \
     interrupted with Ctrl-C.",
    {
        /// Nothing to release (connections are pooled process-wide); kept for `with` blocks.
        fn close(&self) {}

        fn __enter__(slf: Py<Self>) -> Py<Self> {
            slf
        }

        #[pyo3(signature = (*_exc))]
        fn __exit__(&self, _exc: &Bound<'_, PyTuple>) -> bool {
            false
        }
    }
}

client_class! {
    AsyncClient, "AsyncClient", [async], true, awaiting, AsyncGuestIterator, AsyncBulkRun,
    "The asyncio Graph client: the same constructor and methods as `Client`, as coroutines. \
     Works from any event loop; cancelling a task cancels the Rust work.",
    {
        async fn close(&self) {}

        async fn __aenter__(slf: Py<Self>) -> Py<Self> {
            slf
        }

        #[pyo3(signature = (*_exc))]
        async fn __aexit__(&self, _exc: Py<PyTuple>) -> bool {
            false
        }
    }
}
