//! Access tokens the emulator issues (HS256 with a key made once per process) and their
//! validation on Graph routes.

use std::sync::OnceLock;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::graph_error::GraphError;

fn key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        k
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub aud: String,
    pub iss: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub tid: String,
    pub appid: String,
    pub azp: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub oid: String,
    pub sub: String,
    pub idtyp: String,
    pub ver: String,
    pub uti: String,
}

impl AccessClaims {
    pub fn has_any_role(&self, roles: &[&str]) -> bool {
        self.roles
            .iter()
            .any(|r| roles.iter().any(|want| r.eq_ignore_ascii_case(want)))
    }
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Issues an app-only access token; a negative `lifetime` gives an already expired one
/// (for tests of expiry handling).
pub fn issue(tid: &str, client_id: &str, roles: &[String], lifetime: i64) -> Option<String> {
    let now = now_secs();
    let exp = now.saturating_add_signed(lifetime);
    let nbf = now.min(exp.saturating_sub(1));
    let claims = AccessClaims {
        aud: "https://graph.microsoft.com".into(),
        iss: format!("https://sts.windows.net/{tid}/"),
        iat: nbf,
        nbf,
        exp,
        tid: tid.to_string(),
        appid: client_id.to_string(),
        azp: client_id.to_string(),
        roles: roles.to_vec(),
        oid: uuid::Uuid::new_v4().to_string(),
        sub: client_id.to_string(),
        idtyp: "app".into(),
        ver: "1.0".into(),
        uti: uuid::Uuid::new_v4().simple().to_string(),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("JWT".into());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(key())).ok()
}

fn bearer(authorization: Option<&str>) -> &str {
    let Some(v) = authorization else { return "" };
    let v = v.trim();
    match v.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ if v.eq_ignore_ascii_case("bearer") => "",
        _ => v,
    }
}

/// Validates the `Authorization` header of a Graph request.
pub fn validate(authorization: Option<&str>) -> Result<AccessClaims, GraphError> {
    let token = bearer(authorization);
    if token.is_empty() {
        return Err(GraphError::new(
            401,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        ));
    }
    let mut v = Validation::new(Algorithm::HS256);
    v.validate_aud = false;
    v.leeway = 0;
    v.validate_nbf = true;
    v.set_required_spec_claims(&["exp", "nbf"]);
    match jsonwebtoken::decode::<AccessClaims>(token, &DecodingKey::from_secret(key()), &v) {
        Ok(data) => Ok(data.claims),
        Err(e) => match e.kind() {
            ErrorKind::ExpiredSignature | ErrorKind::ImmatureSignature => Err(GraphError::new(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )),
            ErrorKind::InvalidSignature => Err(GraphError::new(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid signature.",
            )),
            _ => Err(GraphError::new(
                401,
                "InvalidAuthenticationToken",
                "Invalid JWT token. The token is not well formed.",
            )),
        },
    }
}

/// The tenant of a token without failing on anything (for throttle buckets).
pub fn peek_tid(authorization: Option<&str>) -> Option<String> {
    validate(authorization).ok().map(|c| c.tid)
}
