//! Results as typed Python objects with snake_case attributes, a readable `repr`, and
//! `to_dict()` giving Graph's own JSON (camelCase) for anything not surfaced as an attribute.

use chrono::{DateTime, Datelike, Timelike, Utc};
use entra_invite::{GuestStatus, Invitation, InviteOutcome, Lookup, User};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use serde_json::{json, Value};

use crate::json::json_to_py;

fn aware_datetime(py: Python<'_>, d: &DateTime<Utc>) -> PyResult<Py<PyAny>> {
    static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let cls = DATETIME.import(py, "datetime", "datetime")?;
    let utc = UTC.get_or_try_init(py, || {
        py.import("datetime")?
            .getattr("timezone")?
            .getattr("utc")
            .map(Bound::unbind)
    })?;
    let kw = PyDict::new(py);
    kw.set_item("tzinfo", utc.bind(py))?;
    let args = (
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second(),
        d.nanosecond() / 1000 % 1_000_000,
    );
    Ok(cls.call(args, Some(&kw))?.unbind())
}

fn r(py: Python<'_>, v: Option<&str>) -> String {
    match v {
        None => "None".into(),
        Some(s) => PyString::new(py, s)
            .repr()
            .map(|x| x.to_string())
            .unwrap_or_else(|_| format!("{s:?}")),
    }
}

fn to_dict<T: serde::Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(v)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json_to_py(py, &value)
}

/// An invitation as Graph returned it; `invite_redeem_url` is only ever available here.
#[pyclass(frozen, module = "entra_invite", name = "Invitation")]
pub(crate) struct PyInvitation {
    pub(crate) inner: Invitation,
}

#[pymethods]
impl PyInvitation {
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }
    #[getter]
    fn invite_redeem_url(&self) -> Option<&str> {
        self.inner.invite_redeem_url.as_deref()
    }
    #[getter]
    fn invite_redirect_url(&self) -> Option<&str> {
        self.inner.invite_redirect_url.as_deref()
    }
    #[getter]
    fn invited_user_id(&self) -> Option<&str> {
        self.inner.invited_user_id()
    }
    #[getter]
    fn invited_user_email_address(&self) -> Option<&str> {
        self.inner.invited_user_email_address.as_deref()
    }
    #[getter]
    fn invited_user_display_name(&self) -> Option<&str> {
        self.inner.invited_user_display_name.as_deref()
    }
    #[getter]
    fn invited_user_type(&self) -> Option<&str> {
        self.inner.invited_user_type.as_deref()
    }
    #[getter]
    fn send_invitation_message(&self) -> Option<bool> {
        self.inner.send_invitation_message
    }
    #[getter]
    fn reset_redemption(&self) -> Option<bool> {
        self.inner.reset_redemption
    }
    /// Graph's invitation status (`PendingAcceptance`, `Completed`); not the acceptance state.
    #[getter]
    fn status(&self) -> Option<&str> {
        self.inner.status.as_deref()
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Invitation(id={}, invited_user_email_address={}, invited_user_id={}, status={})",
            r(py, self.id()),
            r(py, self.invited_user_email_address()),
            r(py, self.invited_user_id()),
            r(py, self.status()),
        )
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
}

/// A directory user (the properties that matter for guests; the rest is in `to_dict()`).
#[pyclass(frozen, module = "entra_invite", name = "User")]
pub(crate) struct PyUser {
    pub(crate) inner: User,
}

#[pymethods]
impl PyUser {
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    #[getter]
    fn display_name(&self) -> Option<&str> {
        self.inner.display_name.as_deref()
    }
    #[getter]
    fn mail(&self) -> Option<&str> {
        self.inner.mail.as_deref()
    }
    #[getter]
    fn user_principal_name(&self) -> Option<&str> {
        self.inner.user_principal_name.as_deref()
    }
    #[getter]
    fn user_type(&self) -> Option<&str> {
        self.inner.user_type.as_deref()
    }
    #[getter]
    fn creation_type(&self) -> Option<&str> {
        self.inner.creation_type.as_deref()
    }
    #[getter]
    fn external_user_state(&self) -> Option<&str> {
        self.inner.external_user_state.as_deref()
    }
    #[getter]
    fn account_enabled(&self) -> Option<bool> {
        self.inner.account_enabled
    }
    #[getter]
    fn other_mails(&self) -> Vec<String> {
        self.inner.other_mails.clone().unwrap_or_default()
    }
    #[getter]
    fn proxy_addresses(&self) -> Vec<String> {
        self.inner.proxy_addresses.clone().unwrap_or_default()
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "User(id={}, mail={}, user_principal_name={}, user_type={}, external_user_state={})",
            r(py, Some(&self.inner.id)),
            r(py, self.mail()),
            r(py, self.user_principal_name()),
            r(py, self.user_type()),
            r(py, self.external_user_state()),
        )
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
}

fn user_obj(py: Python<'_>, u: &User) -> PyResult<Py<PyUser>> {
    Py::new(py, PyUser { inner: u.clone() })
}

/// Whether an address already has a user in the tenant.
#[pyclass(frozen, module = "entra_invite", name = "Lookup")]
pub(crate) struct PyLookup {
    pub(crate) inner: Lookup,
}

#[pymethods]
impl PyLookup {
    #[getter]
    fn exists(&self) -> bool {
        self.inner.exists()
    }
    #[getter]
    fn user(&self, py: Python<'_>) -> PyResult<Option<Py<PyUser>>> {
        self.inner.user().map(|u| user_obj(py, u)).transpose()
    }
    /// Set when the address is in one of the tenant's verified domains (Graph refuses to invite it).
    #[getter]
    fn verified_domain(&self) -> Option<&str> {
        match &self.inner {
            Lookup::VerifiedDomain(d) => Some(d),
            _ => None,
        }
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &lookup_json(&self.inner))
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        match &self.inner {
            Lookup::NotFound => "Lookup(exists=False, user=None, verified_domain=None)".into(),
            Lookup::Existing(u) => format!(
                "Lookup(exists=True, user=User(id={}, mail={}), verified_domain=None)",
                r(py, Some(&u.id)),
                r(py, u.mail.as_deref())
            ),
            Lookup::VerifiedDomain(d) => format!(
                "Lookup(exists=False, user=None, verified_domain={})",
                r(py, Some(d))
            ),
        }
    }
    fn __bool__(&self) -> bool {
        self.inner.exists()
    }
}

pub(crate) fn lookup_json(l: &Lookup) -> Value {
    match l {
        Lookup::NotFound => json!({"exists": false, "user": null, "verifiedDomain": null}),
        Lookup::Existing(u) => json!({"exists": true, "user": u, "verifiedDomain": null}),
        Lookup::VerifiedDomain(d) => json!({"exists": false, "user": null, "verifiedDomain": d}),
    }
}

/// What `invite_if_absent` did: invited (with the invitation) or found the existing user.
#[pyclass(frozen, module = "entra_invite", name = "InviteOutcome")]
pub(crate) struct PyInviteOutcome {
    pub(crate) inner: InviteOutcome,
}

#[pymethods]
impl PyInviteOutcome {
    #[getter]
    fn invited(&self) -> bool {
        matches!(self.inner, InviteOutcome::Invited(_))
    }
    #[getter]
    fn invitation(&self, py: Python<'_>) -> PyResult<Option<Py<PyInvitation>>> {
        match &self.inner {
            InviteOutcome::Invited(i) => Ok(Some(Py::new(
                py,
                PyInvitation {
                    inner: (**i).clone(),
                },
            )?)),
            InviteOutcome::Existing(_) => Ok(None),
        }
    }
    #[getter]
    fn user(&self, py: Python<'_>) -> PyResult<Option<Py<PyUser>>> {
        match &self.inner {
            InviteOutcome::Existing(u) => Ok(Some(user_obj(py, u)?)),
            InviteOutcome::Invited(_) => Ok(None),
        }
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = match &self.inner {
            InviteOutcome::Invited(i) => json!({"invited": true, "invitation": i, "user": null}),
            InviteOutcome::Existing(u) => json!({"invited": false, "invitation": null, "user": u}),
        };
        json_to_py(py, &v)
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        match &self.inner {
            InviteOutcome::Invited(i) => format!(
                "InviteOutcome(invited=True, invitation=Invitation(id={}, invited_user_id={}), user=None)",
                r(py, i.id.as_deref()),
                r(py, i.invited_user_id())
            ),
            InviteOutcome::Existing(u) => format!(
                "InviteOutcome(invited=False, invitation=None, user=User(id={}, mail={}))",
                r(py, Some(&u.id)),
                r(py, u.mail.as_deref())
            ),
        }
    }
}

/// Where a guest stands: `state` is `"PendingAcceptance"`, `"Accepted"` or `None`
/// (not an invited user), `changed_at` when it last changed (timezone-aware, UTC).
#[pyclass(frozen, module = "entra_invite", name = "GuestStatus")]
pub(crate) struct PyGuestStatus {
    pub(crate) inner: GuestStatus,
}

#[pymethods]
impl PyGuestStatus {
    #[getter]
    fn user_id(&self) -> &str {
        &self.inner.user_id
    }
    #[getter]
    fn email(&self) -> Option<&str> {
        self.inner.email.as_deref()
    }
    #[getter]
    fn display_name(&self) -> Option<&str> {
        self.inner.display_name.as_deref()
    }
    #[getter]
    fn user_principal_name(&self) -> Option<&str> {
        self.inner.user_principal_name.as_deref()
    }
    #[getter]
    fn user_type(&self) -> Option<&str> {
        self.inner.user_type.as_deref()
    }
    #[getter]
    fn state(&self) -> Option<&'static str> {
        self.inner.state.map(|s| s.as_str())
    }
    /// `externalUserState` exactly as Graph sent it (also values this library does not know).
    #[getter]
    fn raw_state(&self) -> Option<&str> {
        self.inner.raw_state.as_deref()
    }
    #[getter]
    fn changed_at(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .changed_at
            .as_ref()
            .map(|d| aware_datetime(py, d))
            .transpose()
    }
    #[getter]
    fn user(&self, py: Python<'_>) -> PyResult<Py<PyUser>> {
        user_obj(py, &self.inner.user)
    }
    /// `{"userId", "email", "state", "changedAt", "user"}` (`changedAt` ISO-8601).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &status_json(&self.inner))
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "GuestStatus(user_id={}, email={}, state={}, changed_at={})",
            r(py, Some(&self.inner.user_id)),
            r(py, self.email()),
            r(py, self.raw_state()),
            r(py, self.inner.changed_at.map(|d| d.to_rfc3339()).as_deref()),
        )
    }
}

pub(crate) fn status_json(s: &GuestStatus) -> Value {
    json!({
        "userId": s.user_id,
        "email": s.email,
        "state": s.raw_state,
        "changedAt": s.changed_at.map(|d| d.to_rfc3339()),
        "user": s.user,
    })
}
