//! Keyword arguments -> the core's `Settings`, `InvitationRequest` and `BulkOptions`, under the
//! core's own field names in snake_case (tests/api/names.json). Each keyword is spelled once,
//! here, with its conversion; the core interprets the values.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use entra_invite::{BulkOptions, CcRecipient, Error, InvitationRequest, Settings, TokenSource};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::tokens::PyTokenProvider;

/// Hands each keyword to `set`, which answers whether it knows it; one it does not know is a
/// `TypeError`, as Python's own.
fn each_kwarg(
    method: &str,
    kw: Option<&Bound<'_, PyDict>>,
    mut set: impl FnMut(&str, &Bound<'_, PyAny>) -> PyResult<bool>,
) -> PyResult<()> {
    for (k, v) in kw.into_iter().flatten() {
        let k = k.cast_into::<PyString>()?;
        let k = k.to_str()?;
        // A value of the wrong type names its keyword, as pyo3's own signatures do.
        let known = set(k, &v).map_err(|e| match e.is_instance_of::<PyTypeError>(v.py()) {
            true => PyTypeError::new_err(format!("{method}() argument '{k}': {}", e.value(v.py()))),
            false => e,
        })?;
        if !known {
            return Err(PyTypeError::new_err(format!(
                "{method}() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    Ok(())
}

/// Seconds as a `Duration` (`timeout`, `settle_timeout`): finite, zero or more.
fn seconds(field: &str, v: &Bound<'_, PyAny>) -> PyResult<Option<Duration>> {
    let not_seconds = |s| format!("must be a finite number of seconds, zero or more, not {s}");
    let secs = v.extract::<Option<f64>>()?;
    let d = secs.map(|s| Duration::try_from_secs_f64(s).map_err(|_| not_seconds(s)));
    Ok(d.transpose().map_err(|m| Error::invalid_input(field, m))?)
}

/// PEM text given as `str` or `bytes`.
fn pem(field: &str, v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let text = match v.cast::<PyBytes>() {
        Ok(b) => String::from_utf8(b.as_bytes().to_vec()).ok().map(Some),
        Err(_) => v.extract().ok(),
    };
    text.ok_or_else(|| Error::invalid_input(field, "must be PEM text (ASCII str or bytes)").into())
}

/// The settings of `Client(**options)` (or `from_env`), and the token provider if one was given
/// (an `AsyncClient` tells it which event loop to use).
pub(crate) fn settings(
    kw: Option<&Bound<'_, PyDict>>,
    from_env: bool,
) -> PyResult<(Settings, Option<PyTokenProvider>)> {
    let mut s = Settings::default();
    let mut provider = None;
    each_kwarg("Client", kw, |k, v| {
        match k {
            "tenant" => s.tenant = v.extract()?,
            "client_id" => s.client_id = v.extract()?,
            "client_secret" => s.client_secret = v.extract()?,
            "certificate_path" => s.certificate_path = v.extract()?,
            "certificate_password" => s.certificate_password = v.extract()?,
            "federated_token_file" => s.federated_token_file = v.extract()?,
            "token" => s.token = v.extract()?,
            "token_provider" if v.is_none() => {}
            "token_provider" if v.is_callable() => {
                provider = Some(PyTokenProvider::new(v.clone().unbind()))
            }
            "token_provider" => Err(Error::invalid_input("token_provider", "must be callable"))?,
            "cloud" => s.cloud = v.extract()?,
            "graph_url" => s.graph_url = v.extract()?,
            "authority_url" => s.authority_url = v.extract()?,
            // A path (str or os.PathLike), or the PEM text itself.
            "ca_cert" if v.is_instance_of::<PyBytes>() => s.ca_cert_pem = pem("ca_cert", v)?,
            "ca_cert" => match v.extract::<Option<String>>() {
                Ok(Some(t)) if t.trim_start().starts_with("-----BEGIN") => s.ca_cert_pem = Some(t),
                _ => {
                    s.ca_cert = v.extract().map_err(|_| {
                        Error::invalid_input("ca_cert", "must be a path or PEM text")
                    })?
                }
            },
            "ca_cert_pem" => s.ca_cert_pem = s.ca_cert_pem.take().or(pem("ca_cert_pem", v)?),
            "timeout" => match seconds("timeout", v)? {
                Some(d) if d.is_zero() => Err(Error::invalid_input(
                    "timeout",
                    "must be a positive number of seconds",
                ))?,
                d => s.timeout = d,
            },
            "max_retries" => s.max_retries = v.extract()?,
            "invitations_per_5s" => s.invitations_per_5s = v.extract()?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    s.token_source = provider
        .clone()
        .map(|p| Arc::new(p) as Arc<dyn TokenSource>);
    Ok((if from_env { s.over_env() } else { s }, provider))
}

/// `invite(invited_user_email_address, **request)`: the rest of core's `InvitationRequest`.
pub(crate) fn invitation(
    py: Python<'_>,
    invited_user_email_address: String,
    kw: Option<Py<PyDict>>,
) -> PyResult<InvitationRequest> {
    let mut r = InvitationRequest {
        invited_user_email_address,
        ..Default::default()
    };
    each_kwarg("invite", kw.as_ref().map(|d| d.bind(py)), |k, v| {
        match k {
            "invite_redirect_url" => r.invite_redirect_url = v.extract()?,
            "invited_user_display_name" => r.invited_user_display_name = v.extract()?,
            "send_invitation_message" => r.send_invitation_message = v.extract()?,
            "customized_message_body" => r.customized_message_body = v.extract()?,
            "message_language" => r.message_language = v.extract()?,
            // One address or a list of them.
            "cc_recipients" => {
                r.cc_recipients = match v.extract::<Option<String>>() {
                    Ok(one) => one.into_iter().map(CcRecipient::new).collect(),
                    Err(_) => v
                        .extract::<Vec<String>>()?
                        .into_iter()
                        .map(Into::into)
                        .collect(),
                }
            }
            "invited_user_type" => {
                if let Some(t) = v.extract::<Option<String>>()? {
                    r.invited_user_type = t.parse()?;
                }
            }
            "invited_user_sponsors" => {
                r.invited_user_sponsors = v.extract::<Option<_>>()?.unwrap_or_default()
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(r)
}

/// `bulk_invite(path, **options)`: core's `BulkOptions` (`settle_timeout` in seconds).
pub(crate) fn bulk(kw: Option<&Bound<'_, PyDict>>) -> PyResult<BulkOptions> {
    let mut o = BulkOptions::default();
    each_kwarg("bulk_invite", kw, |k, v| {
        match k {
            "concurrency" => o.concurrency = v.extract()?,
            "skip_existing" => o.skip_existing = v.extract()?,
            "dry_run" => o.dry_run = v.extract()?,
            "results" => o.results = v.extract::<Option<PathBuf>>()?,
            "wait" => o.wait = v.extract()?,
            "settle_timeout" => {
                o.settle_timeout = seconds("settle_timeout", v)?.unwrap_or(o.settle_timeout)
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(o)
}
