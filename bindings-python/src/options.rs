//! Keyword arguments -> the core's `Settings` and `InvitationRequest` (the core interprets
//! them; this only converts Python values).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use entra_invite::{ExternalUserState, InvitationRequest, Settings, UserType};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors;
use crate::tokens::PyTokenProvider;

/// `cc="a@b.com"` or `cc=["a@b.com"]`.
#[derive(FromPyObject)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The client options, as given to `Client(...)` / `AsyncClient(...)`.
#[derive(Default)]
pub(crate) struct ClientOptions {
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub certificate_path: Option<PathBuf>,
    pub certificate_password: Option<String>,
    pub federated_token_file: Option<PathBuf>,
    pub token: Option<String>,
    pub token_provider: Option<Py<PyAny>>,
    pub cloud: Option<String>,
    pub graph_url: Option<String>,
    pub authority_url: Option<String>,
    pub ca_cert: Option<Py<PyAny>>,
    pub timeout: Option<f64>,
    pub max_retries: Option<usize>,
    pub invitations_per_5s: Option<u32>,
}

impl ClientOptions {
    pub(crate) fn has_credential(&self) -> bool {
        self.client_secret.is_some()
            || self.certificate_path.is_some()
            || self.federated_token_file.is_some()
            || self.token.is_some()
            || self.token_provider.is_some()
    }

    /// The settings, and the token provider when one was given (an `AsyncClient` tells it
    /// which event loop to use).
    pub(crate) fn into_settings(
        self,
        py: Python<'_>,
        from_env: bool,
    ) -> PyResult<(Settings, Option<PyTokenProvider>)> {
        let has_credential = self.has_credential();
        let provider = match self.token_provider {
            Some(p) => {
                if !p.bind(py).is_callable() {
                    return Err(errors::invalid(py, "token_provider", "must be callable"));
                }
                Some(PyTokenProvider::new(p))
            }
            None => None,
        };
        let (ca_cert, ca_cert_pem) = match self.ca_cert {
            None => (None, None),
            Some(c) => ca_cert(py, c.bind(py))?,
        };
        let timeout = match self.timeout {
            None => None,
            Some(t) => match Duration::try_from_secs_f64(t) {
                Ok(d) if !d.is_zero() => Some(d),
                _ => {
                    return Err(errors::invalid(
                        py,
                        "timeout",
                        format!("must be a positive number of seconds, not {t}"),
                    ))
                }
            },
        };
        // Options this binding does not know yet keep the core's defaults.
        #[allow(clippy::needless_update)]
        let given = Settings {
            tenant: self.tenant,
            client_id: self.client_id,
            client_secret: self.client_secret,
            certificate_path: self.certificate_path,
            certificate_password: self.certificate_password,
            federated_token_file: self.federated_token_file,
            token: self.token,
            token_source: provider
                .clone()
                .map(|p| std::sync::Arc::new(p) as std::sync::Arc<dyn entra_invite::TokenSource>),
            cloud: self.cloud,
            graph_url: self.graph_url,
            authority_url: self.authority_url,
            ca_cert,
            ca_cert_pem,
            timeout,
            max_retries: self.max_retries,
            invitations_per_5s: self.invitations_per_5s,
            ..Default::default()
        };
        let settings = if from_env {
            let mut env = Settings::from_env();
            if has_credential {
                // A credential given here replaces the environment's, rather than clashing.
                env.client_secret = None;
                env.certificate_path = None;
                env.certificate_password = None;
                env.federated_token_file = None;
            }
            given.or(env)
        } else {
            given
        };
        Ok((settings, provider))
    }
}

/// `ca_cert=`: a path (str or os.PathLike), or the PEM text itself (str or bytes).
fn ca_cert(py: Python<'_>, c: &Bound<'_, PyAny>) -> PyResult<(Option<PathBuf>, Option<String>)> {
    if let Ok(b) = c.cast::<PyBytes>() {
        let pem = String::from_utf8(b.as_bytes().to_vec())
            .map_err(|_| errors::invalid(py, "ca_cert", "PEM bytes must be ASCII"))?;
        return Ok((None, Some(pem)));
    }
    if let Ok(s) = c.cast::<PyString>() {
        let s = s.to_str()?;
        if s.trim_start().starts_with("-----BEGIN") {
            return Ok((None, Some(s.to_string())));
        }
    }
    match c.extract::<PathBuf>() {
        Ok(p) => Ok((Some(p), None)),
        Err(_) => Err(errors::invalid(py, "ca_cert", "must be a path or PEM text")),
    }
}

/// The invitation arguments shared by `invite`, `invite_if_absent` and `reset_redemption`.
pub(crate) struct InviteArgs {
    pub email: String,
    pub redirect_url: String,
    pub display_name: Option<String>,
    pub send_message: bool,
    pub message: Option<String>,
    pub message_language: Option<String>,
    pub cc: Option<OneOrMany>,
    pub user_type: Option<String>,
    pub sponsors: Option<Vec<String>>,
}

impl InviteArgs {
    pub(crate) fn into_request(self, py: Python<'_>) -> PyResult<InvitationRequest> {
        let mut r = InvitationRequest::new(self.email, self.redirect_url);
        r.invited_user_display_name = self.display_name;
        r.send_invitation_message = self.send_message;
        r.customized_message_body = self.message;
        r.message_language = self.message_language;
        r.cc_recipients = self
            .cc
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        if let Some(t) = self.user_type {
            r.invited_user_type = UserType::from_str(&t).map_err(|e| errors::to_py(py, e))?;
        }
        r.invited_user_sponsors = self.sponsors.unwrap_or_default();
        Ok(r)
    }
}

pub(crate) fn guest_state(
    py: Python<'_>,
    state: Option<String>,
) -> PyResult<Option<ExternalUserState>> {
    state
        .map(|s| ExternalUserState::from_str(&s))
        .transpose()
        .map_err(|e| errors::to_py(py, e))
}
