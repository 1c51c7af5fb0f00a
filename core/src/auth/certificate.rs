//! Client-certificate credentials: a signed JWT assertion instead of a secret (research §5.2).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::Serialize;

use crate::error::Error;

/// How the assertion is signed: PS256 with `x5t#S256` (current docs) or RS256 with `x5t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssertionAlgorithm {
    #[default]
    Ps256,
    Rs256,
}

/// A certificate and its RSA private key. The key never appears in Debug output.
#[derive(Clone)]
pub struct CertificateKey {
    cert_der: Vec<u8>,
    key: EncodingKey,
}

impl fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateKey")
            .field("x5t#S256", &self.thumbprint_sha256())
            .field("key", &"***")
            .finish()
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::invalid_input("certificate", msg)
}

impl CertificateKey {
    /// From PEM text holding the certificate and its private key (PKCS#8 or PKCS#1), as
    /// azure-identity reads `AZURE_CLIENT_CERTIFICATE_PATH`.
    pub fn from_pem(pem: &[u8]) -> Result<Self, Error> {
        let cert = CertificateDer::pem_slice_iter(pem)
            .next()
            .ok_or_else(|| bad("no CERTIFICATE block in the PEM"))?
            .map_err(|e| bad(format!("unreadable certificate PEM: {e}")))?;
        let key = PrivateKeyDer::from_pem_slice(pem).map_err(|_| {
            bad("no RSA private key in the PEM (expected PRIVATE KEY or RSA PRIVATE KEY)")
        })?;
        Self::from_der_parts(cert.as_ref().to_vec(), &key)
    }

    /// From a PKCS#12 (.pfx/.p12) archive and its password.
    pub fn from_pkcs12(der: &[u8], password: &str) -> Result<Self, Error> {
        let store = p12_keystore::KeyStore::from_pkcs12(der, password).map_err(|e| {
            bad(format!(
                "cannot open the PKCS#12 file (wrong password?): {e}"
            ))
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| bad("the PKCS#12 file holds no private key"))?;
        let cert = chain
            .chain()
            .first()
            .ok_or_else(|| bad("the PKCS#12 file holds no certificate"))?;
        let key = PrivateKeyDer::Pkcs8(chain.key().to_vec().into());
        Self::from_der_parts(cert.as_der().to_vec(), &key)
    }

    /// From a file: PEM, or PKCS#12 when it is not PEM (password may be empty).
    pub fn from_file(path: &std::path::Path, password: Option<&str>) -> Result<Self, Error> {
        let bytes = std::fs::read(path).map_err(|e| {
            bad(format!(
                "cannot read certificate file {}: {e}",
                path.display()
            ))
        })?;
        if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            Self::from_pem(&bytes)
        } else {
            Self::from_pkcs12(&bytes, password.unwrap_or(""))
        }
    }

    fn from_der_parts(cert_der: Vec<u8>, key: &PrivateKeyDer<'_>) -> Result<Self, Error> {
        let label = match key {
            PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
            PrivateKeyDer::Pkcs8(_) => "PRIVATE KEY",
            _ => return Err(bad("only RSA keys are supported")),
        };
        // jsonwebtoken takes PEM for both PKCS#1 and PKCS#8 RSA keys.
        let pem = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            STANDARD.encode(key.secret_der())
        );
        let key = EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|e| bad(format!("the private key is not a usable RSA key: {e}")))?;
        Ok(CertificateKey { cert_der, key })
    }

    /// base64url SHA-256 of the DER certificate (`x5t#S256`).
    pub fn thumbprint_sha256(&self) -> String {
        URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, &self.cert_der))
    }

    /// base64url SHA-1 of the DER certificate (`x5t`, for RS256).
    pub fn thumbprint_sha1(&self) -> String {
        URL_SAFE_NO_PAD.encode(digest::digest(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            &self.cert_der,
        ))
    }

    /// The signed client assertion for the token endpoint `audience`.
    pub(crate) fn assertion(
        &self,
        client_id: &str,
        audience: &str,
        alg: AssertionAlgorithm,
    ) -> Result<String, Error> {
        #[derive(Serialize)]
        struct Claims<'a> {
            aud: &'a str,
            iss: &'a str,
            sub: &'a str,
            jti: String,
            nbf: u64,
            iat: u64,
            exp: u64,
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut header = match alg {
            AssertionAlgorithm::Ps256 => Header::new(Algorithm::PS256),
            AssertionAlgorithm::Rs256 => Header::new(Algorithm::RS256),
        };
        match alg {
            AssertionAlgorithm::Ps256 => header.x5t_s256 = Some(self.thumbprint_sha256()),
            AssertionAlgorithm::Rs256 => header.x5t = Some(self.thumbprint_sha1()),
        }
        let claims = Claims {
            aud: audience,
            iss: client_id,
            sub: client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now,
            iat: now,
            exp: now + 600,
        };
        jsonwebtoken::encode(&header, &claims, &self.key).map_err(|e| {
            Error::new(
                crate::ErrorKind::Auth,
                format!("cannot sign the client assertion: {e}"),
            )
        })
    }
}
