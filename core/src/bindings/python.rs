//! python: what the pyo3 binding needs beside the `pyclass` attributes on the models — their
//! shared methods (`to_dict`, `__repr__`, the getters `get_all` cannot make), enums read as their
//! string values, and the one mapping of [`Error`] to the classes of `entra_invite.errors`.
//!
//! Field attributes under `cfg_attr` are not seen by `pyclass` (an attribute macro gets its
//! input unconfigured), so models whose every field converts use `get_all`, and the three that
//! keep Graph's unknown properties (`extra`, a JSON map) list their getters here.

use std::convert::Infallible;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyString};
use pyo3::IntoPyObjectExt;

use crate::bulk::{BulkOutcome, BulkResult, BulkSummary};
use crate::error::Error;
use crate::models::{
    EmailAddress, ExternalUserState, GuestStatus, Invitation, InviteOutcome, InvitedUser,
    InvitedUserMessageInfo, Lookup, ObjectIdentity, Recipient, User,
};

/// Attributes `repr()` leaves out: a redeem URL lets anyone accept the invitation.
const NOT_IN_REPR: [&str; 2] = ["invite_redeem_url", "redeem_url"];

/// Any serde value as plain Python objects (dict, list, str, int, float, bool, None).
fn json_to_py<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let text = serde_json::to_string(v)
        .map_err(|e| PyErr::from(Error::internal(format!("cannot encode a result: {e}"))))?;
    LOADS.import(py, "json", "loads")?.call1((text,))
}

/// `Type(attr=value, ...)`: the attributes that are set, in declaration order (serde's).
fn repr<T: serde::Serialize>(obj: &Bound<'_, PyAny>, v: &T) -> PyResult<String> {
    let mut parts = Vec::new();
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(v) {
        for key in fields.keys() {
            let name = key.chars().fold(String::new(), |mut n, c| {
                if c.is_ascii_uppercase() {
                    n.push('_');
                }
                n.push(c.to_ascii_lowercase());
                n
            });
            // Graph's unknown properties (flattened) are no attributes: skipped.
            let Ok(value) = obj.getattr(name.as_str()) else {
                continue;
            };
            if !value.is_none() && !NOT_IN_REPR.contains(&name.as_str()) {
                parts.push(format!("{name}={}", value.repr()?));
            }
        }
    }
    Ok(format!("{}({})", obj.get_type().name()?, parts.join(", ")))
}

/// The methods every model shares, plus getters by field name (`{..}`, converted as they are)
/// and JSON getters (`+ ..`, for serde_json maps), plus any methods of its own (`[..]`).
macro_rules! py_model {
    ($($t:ident $({ $($get:ident),* })? $(+ $json:ident)? $([$($own:tt)*])?;)*) => {$(
        #[pymethods]
        impl $t {
            /// Graph's JSON for this object (camelCase keys), unknown properties included.
            #[allow(clippy::wrong_self_convention)] // `BulkSummary` is `Copy`; Python needs `&self`
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                json_to_py(py, self)
            }
            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                repr(slf.as_any(), &*slf.get())
            }
            $($(
                #[getter]
                fn $get<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.$get.clone().into_bound_py_any(py)
                }
            )*)?
            $(
                /// Properties Graph sent that this library does not model.
                #[getter]
                fn $json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    json_to_py(py, &self.$json)
                }
            )?
            $($($own)*)?
        }
    )*};
}

py_model! {
    Invitation { id, invited_user_display_name, invited_user_email_address,
        invited_user_message_info, invited_user_type, invite_redeem_url, invite_redirect_url,
        reset_redemption, send_invitation_message, status, invited_user } + extra;
    InvitedUser { id, user_principal_name } + extra;
    User { id, display_name, mail, user_principal_name, user_type, creation_type,
        external_user_state, external_user_state_change_date_time, account_enabled, other_mails,
        proxy_addresses, identities, created_date_time } + extra;
    InvitedUserMessageInfo;
    Recipient;
    EmailAddress;
    ObjectIdentity;
    Lookup [
        /// True when the address has a user (`if client.lookup(email): ...`).
        fn __bool__(&self) -> bool {
            self.exists
        }
    ];
    InviteOutcome;
    GuestStatus;
    BulkResult;
    BulkSummary;
}

/// Enums read in Python as their string values (`status.state == "Accepted"`).
macro_rules! as_py_str {
    ($($t:ty),*) => {$(
        impl<'py> IntoPyObject<'py> for $t {
            type Target = PyString;
            type Output = Bound<'py, PyString>;
            type Error = Infallible;
            fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Infallible> {
                Ok(PyString::new(py, self.as_str()))
            }
        }
    )*};
}

as_py_str!(ExternalUserState, BulkOutcome);

/// The exception for a core error: the class of `entra_invite.errors` named after its kind,
/// with `ErrorDetails` as attributes, chained to the host exception it carries (a token
/// provider's). Bindings use it through `?`.
impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        Python::attach(|py| {
            exception(py, &e).unwrap_or_else(|import_failed| {
                let fallback = PyRuntimeError::new_err(e.to_string());
                fallback.set_cause(py, Some(import_failed));
                fallback
            })
        })
    }
}

fn exception(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module =
        ERRORS.get_or_try_init(py, || py.import("entra_invite.errors").map(Bound::unbind))?;
    let d = e.details();
    let kw = PyDict::new(py);
    kw.set_item("kind", d.kind.as_str())?;
    kw.set_item("field", &d.field)?;
    kw.set_item("status", d.status)?;
    kw.set_item("code", &d.code)?;
    kw.set_item("request_id", &d.request_id)?;
    kw.set_item("client_request_id", &d.client_request_id)?;
    kw.set_item("date", &d.date)?;
    kw.set_item("retry_after", d.retry_after.map(|t| t.as_secs_f64()))?;
    kw.set_item("aadsts", d.aadsts)?;
    kw.set_item("maybe_applied", d.maybe_applied)?;
    let cls = module
        .bind(py)
        .getattr(format!("{}Error", d.kind.as_str()))?;
    let err = PyErr::from_value(cls.call((d.message.as_str(),), Some(&kw))?);
    if let Some(cause) = e.cause().and_then(|c| c.downcast_ref::<Py<PyAny>>()) {
        err.set_cause(py, Some(PyErr::from_value(cause.bind(py).clone())));
    }
    Ok(err)
}
