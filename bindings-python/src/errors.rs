//! The core's `Error` raised as the Python classes of `entra_invite.errors` (defined in Python
//! so they are typed, documented and picklable), one per kind.

use entra_invite::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use crate::tokens;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::PermissionDenied => "PermissionDeniedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::AlreadyExists => "AlreadyExistsError",
        ErrorKind::VerifiedDomain => "VerifiedDomainError",
        ErrorKind::BlockedByPolicy => "BlockedByPolicyError",
        ErrorKind::Throttled => "ThrottledError",
        ErrorKind::Service => "ServiceError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Protocol => "ProtocolError",
        ErrorKind::Internal => "InternalError",
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let module =
        ERRORS.get_or_try_init(py, || py.import("entra_invite.errors").map(Bound::unbind))?;
    let module = module.bind(py);
    let kind = e.kind();
    // A failing token provider: its own exception becomes the `__cause__`.
    let cause = tokens::provider_cause(py, e);
    let cls = module.getattr(class_name(kind))?;
    let kw = PyDict::new(py);
    kw.set_item("kind", kind.as_str())?;
    kw.set_item("code", e.code())?;
    kw.set_item("status", e.status())?;
    kw.set_item("request_id", e.request_id())?;
    kw.set_item("client_request_id", e.client_request_id())?;
    kw.set_item("date", e.date())?;
    kw.set_item("aadsts", e.aadsts())?;
    kw.set_item("maybe_applied", e.maybe_applied())?;
    if kind == ErrorKind::InvalidInput {
        kw.set_item("field", e.field())?;
    }
    if kind == ErrorKind::Throttled {
        kw.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    }
    let exc = cls.call((e.message(),), Some(&kw))?;
    let err = PyErr::from_value(exc);
    if let Some(c) = cause {
        err.set_cause(py, Some(PyErr::from_value(c.into_bound(py))));
    }
    Ok(err)
}

/// The Python exception for a core error.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    build(py, &e).unwrap_or_else(|import_failed| {
        let fallback = PyRuntimeError::new_err(e.to_string());
        fallback.set_cause(py, Some(import_failed));
        fallback
    })
}

/// A broken invariant of the binding itself, raised as `entra_invite.InternalError`.
pub(crate) fn internal(py: Python<'_>, message: &str) -> PyErr {
    let made = ERRORS
        .get_or_try_init(py, || py.import("entra_invite.errors").map(Bound::unbind))
        .and_then(|m| {
            let kw = PyDict::new(py);
            kw.set_item("kind", "Internal")?;
            m.bind(py)
                .getattr("InternalError")?
                .call((message,), Some(&kw))
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Bad input detected by the binding (a wrong type of value for an option).
pub(crate) fn invalid(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    to_py(py, Error::invalid_input(field, message))
}
