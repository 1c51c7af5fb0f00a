//! Client assertions at the token endpoint: certificate-signed JWTs (PS256 + `x5t#S256`,
//! RS256 + `x5t`) verified against the app's registered certificate, and federated tokens
//! from the emulator's own OIDC issuer.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::jwt::now_secs;
use crate::state::{AppReg, Tenant};

pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub const DEFAULT_FEDERATED_AUDIENCE: &str = "api://AzureADTokenExchange";

/// An AADSTS failure: (HTTP status, error, code, description).
pub type AadFailure = (u16, &'static str, u32, String);

fn fail(code: u32, msg: impl Into<String>) -> AadFailure {
    (401, "invalid_client", code, msg.into())
}

struct CertInfo {
    sha1: String,
    sha256: String,
    rsa_der: Vec<u8>,
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn cert_info(pem: &str) -> Option<CertInfo> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).ok()?;
    let der = pem.contents;
    let (_, cert) = x509_parser::parse_x509_certificate(&der).ok()?;
    let rsa_der = cert.public_key().subject_public_key.data.to_vec();
    let sha1 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
    let sha256 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der);
    Some(CertInfo {
        sha1: b64url(sha1.as_ref()),
        sha256: b64url(sha256.as_ref()),
        rsa_der,
    })
}

/// Checks that a certificate PEM can be used (for the control API).
pub fn certificate_usable(pem: &str) -> bool {
    cert_info(pem).is_some()
}

fn signature_only(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    v
}

fn times(claims: &Value) -> Result<(), AadFailure> {
    let now = now_secs();
    let skew = 300;
    let exp = claims.get("exp").and_then(Value::as_u64);
    let nbf = claims.get("nbf").and_then(Value::as_u64);
    match exp {
        Some(exp) if exp + skew >= now => {}
        _ => {
            return Err(fail(
                700024,
                "Client assertion is not within its valid time range.",
            ))
        }
    }
    if let Some(nbf) = nbf {
        if nbf > now + skew {
            return Err(fail(
                700024,
                "Client assertion is not within its valid time range.",
            ));
        }
    }
    Ok(())
}

/// Verifies a certificate assertion for `app` posted to `{authority}/{tenant_in_url}/…`.
pub fn verify_certificate(
    assertion: &str,
    app: &AppReg,
    tenant: &Tenant,
    authorities: &[String],
) -> Result<(), AadFailure> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| fail(50027, "JWT token is invalid or malformed."))?;
    let Some(pem) = app.certificate_pem.as_deref() else {
        return Err(fail(
            700027,
            format!("The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{}'.]", app.client_id),
        ));
    };
    let info = cert_info(pem)
        .ok_or_else(|| fail(700027, "Client assertion failed signature validation."))?;
    let thumb_ok = match header.alg {
        Algorithm::PS256 | Algorithm::RS256 => {
            header.x5t_s256.as_deref() == Some(info.sha256.as_str())
                || header.x5t.as_deref() == Some(info.sha1.as_str())
        }
        _ => {
            return Err(fail(
                700027,
                "Client assertion failed signature validation. The signing algorithm must be RS256 or PS256.",
            ))
        }
    };
    if !thumb_ok {
        let presented = header
            .x5t_s256
            .clone()
            .or(header.x5t.clone())
            .unwrap_or_default();
        return Err(fail(
            700027,
            format!("The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{presented}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{}'.]", app.client_id),
        ));
    }
    let key = DecodingKey::from_rsa_der(&info.rsa_der);
    let data = jsonwebtoken::decode::<Value>(assertion, &key, &signature_only(header.alg))
        .map_err(|_| fail(700027, "Client assertion failed signature validation."))?;
    let c = data.claims;
    times(&c)?;
    let iss = c.get("iss").and_then(Value::as_str).unwrap_or("");
    let sub = c.get("sub").and_then(Value::as_str).unwrap_or("");
    if !iss.eq_ignore_ascii_case(&app.client_id) || !sub.eq_ignore_ascii_case(&app.client_id) {
        return Err(fail(
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
        ));
    }
    if c.get("jti")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(fail(700027, "Client assertion contains no jti claim."));
    }
    let aud_ok = |aud: &str| {
        let aud = aud.trim_end_matches('/');
        authorities.iter().any(|auth| {
            let auth = auth.trim_end_matches('/');
            aud.strip_prefix(auth)
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(t, path)| {
                    tenant.answers_to(t) && (path == "oauth2/v2.0/token" || path == "oauth2/token")
                })
        })
    };
    let aud_matches = match c.get("aud") {
        Some(Value::String(a)) => aud_ok(a),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).any(aud_ok),
        _ => false,
    };
    if !aud_matches {
        return Err(fail(
            700027,
            "Client assertion contains an invalid audience claim. The audience must be the token endpoint of this tenant.",
        ));
    }
    Ok(())
}

/// Verifies a federated assertion issued by the emulator's OIDC issuer.
pub fn verify_federated(
    assertion: &str,
    app: &AppReg,
    issuer: &str,
    oidc_key: &[u8],
) -> Result<(), AadFailure> {
    let Some(fed) = &app.federated else {
        return Err(fail(
            70021,
            "No matching federated identity record found for presented assertion.",
        ));
    };
    let data = jsonwebtoken::decode::<Value>(
        assertion,
        &DecodingKey::from_secret(oidc_key),
        &signature_only(Algorithm::HS256),
    )
    .map_err(|_| fail(700027, "Client assertion failed signature validation."))?;
    let c = data.claims;
    times(&c)?;
    let iss = c.get("iss").and_then(Value::as_str).unwrap_or("");
    let sub = c.get("sub").and_then(Value::as_str).unwrap_or("");
    let aud = match c.get("aud") {
        Some(Value::String(a)) => a.clone(),
        Some(Value::Array(l)) => l
            .iter()
            .filter_map(Value::as_str)
            .next()
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    };
    let want_iss = fed.issuer.as_deref().unwrap_or(issuer);
    let want_aud = fed
        .audience
        .as_deref()
        .unwrap_or(DEFAULT_FEDERATED_AUDIENCE);
    if iss != want_iss || sub != fed.subject || aud != want_aud {
        return Err(fail(
            70021,
            format!("No matching federated identity record found for presented assertion. Assertion Issuer: '{iss}'. Assertion Subject: '{sub}'. Assertion Audience: '{aud}'."),
        ));
    }
    Ok(())
}

/// Whether an assertion claims to come from our own OIDC issuer (federated path).
pub fn issued_by(assertion: &str, issuer: &str) -> bool {
    let Some(payload) = assertion.split('.').nth(1) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload) else {
        return false;
    };
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("iss").and_then(Value::as_str).map(|s| s == issuer))
        .unwrap_or(false)
}
