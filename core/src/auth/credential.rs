//! The ways an app proves who it is.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use super::{AccessToken, AssertionAlgorithm, CertificateKey, Secret};
use crate::error::{Error, ErrorKind};

/// A token supplier from the host program (delegated "app + user" mode, or any custom auth).
pub trait TokenSource: Send + Sync + 'static {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + '_>>;
}

#[derive(Clone)]
pub struct Credential {
    pub(crate) kind: Kind,
}

#[derive(Clone)]
pub(crate) enum Kind {
    ClientSecret {
        client_id: String,
        secret: Secret,
    },
    Certificate {
        client_id: String,
        key: CertificateKey,
        algorithm: AssertionAlgorithm,
    },
    WorkloadIdentity {
        client_id: String,
        file: Arc<FederatedTokenFile>,
    },
    AccessToken(Secret),
    Callback(Arc<dyn TokenSource>),
}

impl Credential {
    pub fn client_secret(client_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Credential {
            kind: Kind::ClientSecret {
                client_id: client_id.into(),
                secret: secret.into(),
            },
        }
    }

    pub fn client_certificate(client_id: impl Into<String>, key: CertificateKey) -> Self {
        Credential {
            kind: Kind::Certificate {
                client_id: client_id.into(),
                key,
                algorithm: AssertionAlgorithm::default(),
            },
        }
    }

    /// RS256 + `x5t` instead of PS256 + `x5t#S256` (for older app registrations and proxies).
    pub fn with_assertion_algorithm(mut self, alg: AssertionAlgorithm) -> Self {
        if let Kind::Certificate { algorithm, .. } = &mut self.kind {
            *algorithm = alg;
        }
        self
    }

    /// Workload identity federation: the assertion is read from `token_file` (re-read at most
    /// every 10 minutes, as azure-identity does, since the platform rotates it).
    pub fn workload_identity(client_id: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        Credential {
            kind: Kind::WorkloadIdentity {
                client_id: client_id.into(),
                file: Arc::new(FederatedTokenFile::new(token_file.into())),
            },
        }
    }

    /// A token obtained elsewhere; it is used as is and never refreshed.
    pub fn access_token(token: impl Into<Secret>) -> Self {
        Credential {
            kind: Kind::AccessToken(token.into()),
        }
    }

    pub fn token_source(source: Arc<dyn TokenSource>) -> Self {
        Credential {
            kind: Kind::Callback(source),
        }
    }

    /// The app's client id, where the credential has one.
    pub fn client_id(&self) -> Option<&str> {
        match &self.kind {
            Kind::ClientSecret { client_id, .. }
            | Kind::Certificate { client_id, .. }
            | Kind::WorkloadIdentity { client_id, .. } => Some(client_id),
            _ => None,
        }
    }

    pub(crate) fn needs_token_endpoint(&self) -> bool {
        matches!(
            self.kind,
            Kind::ClientSecret { .. } | Kind::Certificate { .. } | Kind::WorkloadIdentity { .. }
        )
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::ClientSecret { client_id, .. } => f
                .debug_struct("ClientSecret")
                .field("client_id", client_id)
                .field("secret", &"***")
                .finish(),
            Kind::Certificate {
                client_id,
                key,
                algorithm,
            } => f
                .debug_struct("ClientCertificate")
                .field("client_id", client_id)
                .field("certificate", key)
                .field("algorithm", algorithm)
                .finish(),
            Kind::WorkloadIdentity { client_id, file } => f
                .debug_struct("WorkloadIdentity")
                .field("client_id", client_id)
                .field("token_file", &file.path)
                .finish(),
            Kind::AccessToken(_) => f.write_str("AccessToken(***)"),
            Kind::Callback(_) => f.write_str("TokenSource(..)"),
        }
    }
}

/// The federated token file, cached for up to ten minutes.
pub(crate) struct FederatedTokenFile {
    path: PathBuf,
    cache: Mutex<Option<(Secret, Instant)>>,
}

const REREAD: Duration = Duration::from_secs(600);

impl FederatedTokenFile {
    fn new(path: PathBuf) -> Self {
        FederatedTokenFile {
            path,
            cache: Mutex::new(None),
        }
    }

    pub(crate) async fn read(&self) -> Result<Secret, Error> {
        let mut c = self.cache.lock().await;
        if let Some((t, at)) = c.as_ref() {
            if at.elapsed() < REREAD {
                return Ok(t.clone());
            }
        }
        let text = tokio::fs::read_to_string(&self.path).await.map_err(|e| {
            Error::new(
                ErrorKind::Auth,
                format!(
                    "cannot read the federated token file {}: {e}",
                    self.path.display()
                ),
            )
        })?;
        let t = Secret::new(text.trim());
        if t.expose().is_empty() {
            return Err(Error::new(
                ErrorKind::Auth,
                format!("the federated token file {} is empty", self.path.display()),
            ));
        }
        *c = Some((t.clone(), Instant::now()));
        Ok(t)
    }
}
