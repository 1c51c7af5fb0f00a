//! Plain-value client settings: what the CLI's flags, Python's keyword arguments, Node's
//! options object and the environment all turn into, so they are interpreted in one place.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{CertificateKey, Credential, TokenSource};
use crate::client::{Client, ClientBuilder};
use crate::cloud::Cloud;
use crate::error::Error;
use crate::http::PacingLimit;

#[derive(Clone, Default)]
#[cfg_attr(
    feature = "napi",
    napi_derive::napi(
        object,
        js_name = "ClientOptions",
        object_from_js = false,
        object_to_js = false
    ),
    derive(serde::Deserialize),
    serde(default, rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Settings {
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "string"))]
    pub certificate_path: Option<PathBuf>,
    pub certificate_password: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "string"))]
    pub federated_token_file: Option<PathBuf>,
    pub token: Option<String>,
    #[cfg_attr(
        feature = "napi",
        napi(
            js_name = "tokenProvider",
            ts_type = "() => TokenAnswer | string | Promise<TokenAnswer | string>"
        )
    )]
    #[cfg_attr(feature = "napi", serde(skip))]
    pub token_source: Option<Arc<dyn TokenSource>>,
    pub cloud: Option<String>,
    pub graph_url: Option<String>,
    pub authority_url: Option<String>,
    /// Path of a PEM file with an extra CA certificate.
    #[cfg_attr(feature = "napi", napi(ts_type = "string"))]
    pub ca_cert: Option<PathBuf>,
    /// The extra CA certificate itself, as PEM text (wins over `ca_cert`).
    pub ca_cert_pem: Option<String>,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    #[cfg_attr(feature = "napi", serde(deserialize_with = "crate::bindings::napi::opt_millis"))]
    pub timeout: Option<Duration>,
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    pub max_retries: Option<usize>,
    /// Client-side pace of `/invitations`, per 5 s (Graph's limit, 150, by default); 0 turns
    /// pacing off, e.g. when another mechanism already paces this tenant.
    #[cfg_attr(feature = "napi", napi(js_name = "invitationsPer5s"))]
    pub invitations_per_5s: Option<u32>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |o: &Option<String>| o.as_ref().map(|_| "***");
        f.debug_struct("Settings")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &hidden(&self.client_secret))
            .field("certificate_path", &self.certificate_path)
            .field("certificate_password", &hidden(&self.certificate_password))
            .field("federated_token_file", &self.federated_token_file)
            .field("token", &hidden(&self.token))
            .field("token_source", &self.token_source.as_ref().map(|_| ".."))
            .field("cloud", &self.cloud)
            .field("graph_url", &self.graph_url)
            .field("authority_url", &self.authority_url)
            .field("ca_cert", &self.ca_cert)
            .field("ca_cert_pem", &self.ca_cert_pem.as_ref().map(|_| "(pem)"))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("invitations_per_5s", &self.invitations_per_5s)
            .finish()
    }
}

fn var(k: &str) -> Option<String> {
    std::env::var(k)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Settings {
    /// The azure-identity variables plus `ENTRA_INVITE_GRAPH_URL` and `ENTRA_INVITE_CA_CERT`.
    pub fn from_env() -> Self {
        Settings {
            tenant: var("AZURE_TENANT_ID"),
            client_id: var("AZURE_CLIENT_ID"),
            client_secret: var("AZURE_CLIENT_SECRET"),
            certificate_path: var("AZURE_CLIENT_CERTIFICATE_PATH").map(PathBuf::from),
            certificate_password: var("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
            federated_token_file: var("AZURE_FEDERATED_TOKEN_FILE").map(PathBuf::from),
            authority_url: var("AZURE_AUTHORITY_HOST"),
            graph_url: var("ENTRA_INVITE_GRAPH_URL"),
            ca_cert: var("ENTRA_INVITE_CA_CERT").map(PathBuf::from),
            ..Default::default()
        }
    }

    /// Values set here win; unset ones are taken from `other`.
    pub fn or(self, other: Settings) -> Settings {
        Settings {
            tenant: self.tenant.or(other.tenant),
            client_id: self.client_id.or(other.client_id),
            client_secret: self.client_secret.or(other.client_secret),
            certificate_path: self.certificate_path.or(other.certificate_path),
            certificate_password: self.certificate_password.or(other.certificate_password),
            federated_token_file: self.federated_token_file.or(other.federated_token_file),
            token: self.token.or(other.token),
            token_source: self.token_source.or(other.token_source),
            cloud: self.cloud.or(other.cloud),
            graph_url: self.graph_url.or(other.graph_url),
            authority_url: self.authority_url.or(other.authority_url),
            ca_cert: self.ca_cert.or(other.ca_cert),
            ca_cert_pem: self.ca_cert_pem.or(other.ca_cert_pem),
            timeout: self.timeout.or(other.timeout),
            max_retries: self.max_retries.or(other.max_retries),
            invitations_per_5s: self.invitations_per_5s.or(other.invitations_per_5s),
        }
    }

    /// These settings over the environment's ([`Settings::from_env`]): values set here win,
    /// and a credential given here replaces the environment's rather than clashing with it.
    pub fn over_env(self) -> Settings {
        let mut env = Settings::from_env();
        if self.client_secret.is_some()
            || self.certificate_path.is_some()
            || self.federated_token_file.is_some()
            || self.token.is_some()
            || self.token_source.is_some()
        {
            env.client_secret = None;
            env.certificate_path = None;
            env.certificate_password = None;
            env.federated_token_file = None;
        }
        self.or(env)
    }

    fn credential(&self) -> Result<Credential, Error> {
        let given = [
            self.client_secret.is_some(),
            self.certificate_path.is_some(),
            self.federated_token_file.is_some(),
            self.token.is_some(),
            self.token_source.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(Error::invalid_input(
                "credential",
                "give only one of client_secret, certificate_path, federated_token_file, token, token_provider",
            ));
        }
        let client_id = |what: &str| {
            self.client_id
                .clone()
                .filter(|c| !c.trim().is_empty())
                .ok_or_else(|| {
                    Error::invalid_input("client_id", format!("is required with {what}"))
                })
        };
        if let Some(s) = &self.client_secret {
            if s.is_empty() {
                return Err(Error::invalid_input("client_secret", "is empty"));
            }
            return Ok(Credential::client_secret(
                client_id("client_secret")?,
                s.as_str(),
            ));
        }
        if let Some(p) = &self.certificate_path {
            let key = CertificateKey::from_file(p, self.certificate_password.as_deref())?;
            return Ok(Credential::client_certificate(
                client_id("certificate_path")?,
                key,
            ));
        }
        if let Some(f) = &self.federated_token_file {
            return Ok(Credential::workload_identity(
                client_id("federated_token_file")?,
                f.clone(),
            ));
        }
        if let Some(t) = &self.token {
            if t.trim().is_empty() {
                return Err(Error::invalid_input("token", "is empty"));
            }
            // A pasted token with a line break inside can never be sent as a header.
            if t.trim()
                .chars()
                .any(|c| c.is_control() || c.is_whitespace())
            {
                return Err(Error::invalid_input(
                    "token",
                    "contains a line break, space or control character (pasted in pieces?)",
                ));
            }
            return Ok(Credential::access_token(t.trim()));
        }
        if let Some(s) = &self.token_source {
            return Ok(Credential::token_source(s.clone()));
        }
        Err(Error::invalid_input(
            "credential",
            "none given: set a client secret, a certificate, a federated token file, a token or a token provider \
             (or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET)",
        ))
    }

    pub fn into_builder(self) -> Result<ClientBuilder, Error> {
        let mut b = Client::builder().credential(self.credential()?);
        if let Some(t) = self.tenant {
            b = b.tenant(t);
        }
        let cloud = match &self.cloud {
            Some(c) => c.parse()?,
            // azure-identity names the cloud by its authority host.
            None => match &self.authority_url {
                Some(a) if a.contains("chinacloudapi.cn") => Cloud::China,
                Some(a) if a.contains("microsoftonline.us") => Cloud::UsGovL4,
                _ => Cloud::Global,
            },
        };
        b = b.cloud(cloud);
        if let Some(g) = self.graph_url {
            b = b.graph_url(g);
        }
        if let Some(a) = self.authority_url {
            b = b.authority_url(a);
        }
        if let Some(pem) = self.ca_cert_pem {
            b = b.ca_cert_pem(pem.into_bytes());
        } else if let Some(p) = self.ca_cert {
            let pem = std::fs::read(&p).map_err(|e| {
                Error::invalid_input("ca_cert", format!("cannot read {}: {e}", p.display()))
            })?;
            b = b.ca_cert_pem(pem);
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        match self.invitations_per_5s {
            None => {}
            Some(0) => b = b.invitation_pacing(None),
            Some(n) => {
                let d = PacingLimit::default();
                b = b.invitation_pacing(Some(PacingLimit {
                    requests: n,
                    burst: d.burst.min(n),
                    ..d
                }));
            }
        }
        Ok(b)
    }

    pub fn build(self) -> Result<Client, Error> {
        self.into_builder()?.build()
    }
}
