//! Certificate and federated client assertions at the token endpoint.

mod common;

use base64::Engine;
use common::{start, Env};
use entra_invite_emulator::DEFAULT_TENANT_ID;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct Cert {
    pem: String,
    key: EncodingKey,
    sha1: String,
    sha256: String,
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn make_cert() -> Cert {
    let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["entra-invite-test".to_string()])
        .unwrap()
        .self_signed(&kp)
        .unwrap();
    let der = cert.der().to_vec();
    Cert {
        pem: cert.pem(),
        key: EncodingKey::from_rsa_pem(kp.serialize_pem().as_bytes()).unwrap(),
        sha1: b64(
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref(),
        ),
        sha256: b64(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der).as_ref()),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(env: &Env, tenant: &str, client_id: &str) -> Value {
    json!({
        "aud": format!("{}/{tenant}/oauth2/v2.0/token", env.base),
        "iss": client_id, "sub": client_id,
        "jti": uuid::Uuid::new_v4().to_string(),
        "nbf": now(), "exp": now() + 600,
    })
}

fn sign(cert: &Cert, alg: Algorithm, claims: &Value) -> String {
    let mut h = Header::new(alg);
    h.typ = Some("JWT".into());
    match alg {
        Algorithm::PS256 => h.x5t_s256 = Some(cert.sha256.clone()),
        _ => h.x5t = Some(cert.sha1.clone()),
    }
    jsonwebtoken::encode(&h, claims, &cert.key).unwrap()
}

async fn exchange(env: &Env, tenant: &str, client_id: &str, assertion: &str) -> reqwest::Response {
    env.token_response(
        tenant,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_assertion_type", BEARER),
            ("client_assertion", assertion),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await
}

/// Status and AADSTS code of an exchange the endpoint refuses.
async fn code_of(env: &Env, tenant: &str, client_id: &str, assertion: &str) -> (u16, u64) {
    code_in(exchange(env, tenant, client_id, assertion).await).await
}

/// Status and AADSTS code of a refusal.
async fn code_in(r: reqwest::Response) -> (u16, u64) {
    let s = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    (s, v["error_codes"][0].as_u64().unwrap_or(0))
}

/// [`code_of`] for `claims` signed (PS256) with the registered certificate of `cert-app`.
async fn cert_app_code(env: &Env, cert: &Cert, claims: &Value) -> (u16, u64) {
    let a = sign(cert, Algorithm::PS256, claims);
    code_of(env, DEFAULT_TENANT_ID, "cert-app", &a).await
}

/// A token from the emulator's own OIDC issuer, as a workload would hold.
async fn federated_token(env: &Env, body: Value) -> String {
    let t = env.control_post("/_emulator/federated-token", body).await;
    t["token"].as_str().expect("federated token").to_string()
}

#[tokio::test]
async fn certificate_assertions() {
    let env = start().await;
    let cert = make_cert();
    env.control_post(
        "/_emulator/apps",
        json!({"clientId": "cert-app", "certificatePem": cert.pem, "roles": ["User.Invite.All"]}),
    )
    .await;

    for (alg, tenant) in [
        (Algorithm::PS256, DEFAULT_TENANT_ID),
        (Algorithm::RS256, "contoso.onmicrosoft.com"),
        (Algorithm::PS256, "contoso.com"),
    ] {
        let a = sign(&cert, alg, &claims(&env, tenant, "cert-app"));
        let r = exchange(&env, "contoso.onmicrosoft.com", "cert-app", &a).await;
        assert_eq!(r.status(), 200, "{alg:?} {tenant}");
        let v: Value = r.json().await.unwrap();
        let tok = v["access_token"].as_str().unwrap();
        assert_eq!(
            env.invite_status(tok, common::invitation("cert@fabrikam.com"))
                .await,
            201
        );
    }

    // Unregistered certificate (thumbprint unknown).
    let other = make_cert();
    let a = sign(
        &other,
        Algorithm::PS256,
        &claims(&env, DEFAULT_TENANT_ID, "cert-app"),
    );
    assert_eq!(
        code_of(&env, DEFAULT_TENANT_ID, "cert-app", &a).await,
        (401, 700027)
    );
    // Right thumbprint, wrong key: signature fails.
    let mut h = Header::new(Algorithm::PS256);
    h.x5t_s256 = Some(cert.sha256.clone());
    let forged =
        jsonwebtoken::encode(&h, &claims(&env, DEFAULT_TENANT_ID, "cert-app"), &other.key).unwrap();
    assert_eq!(
        code_of(&env, DEFAULT_TENANT_ID, "cert-app", &forged).await,
        (401, 700027)
    );
    // Each case changes the claims of a good assertion (null: leaves the claim out).
    let other_tenant = format!("{}/other.onmicrosoft.com/oauth2/v2.0/token", env.base);
    for (what, changes, code) in [
        (
            "expired",
            json!({"nbf": now() - 3600, "exp": now() - 1800}),
            700024,
        ),
        (
            "not yet valid",
            json!({"nbf": now() + 3600, "exp": now() + 4000}),
            700024,
        ),
        (
            "another authority",
            json!({"aud": "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"}),
            700027,
        ),
        ("another tenant", json!({"aud": other_tenant}), 700027),
        (
            "iss/sub not the client id",
            json!({"iss": "someone-else"}),
            700021,
        ),
        ("no jti", json!({"jti": null}), 700027),
    ] {
        let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
        for (k, v) in changes.as_object().unwrap() {
            match v {
                Value::Null => c.as_object_mut().unwrap().remove(k),
                _ => c.as_object_mut().unwrap().insert(k.clone(), v.clone()),
            };
        }
        assert_eq!(cert_app_code(&env, &cert, &c).await, (401, code), "{what}");
    }
    // Garbage.
    assert_eq!(
        code_of(&env, DEFAULT_TENANT_ID, "cert-app", "not.a.jwt").await,
        (401, 50027)
    );
    // Assertion without its type.
    let a = sign(
        &cert,
        Algorithm::PS256,
        &claims(&env, DEFAULT_TENANT_ID, "cert-app"),
    );
    let r = env
        .token_response(
            DEFAULT_TENANT_ID,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "cert-app"),
                ("client_assertion", &a),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    assert_eq!(code_in(r).await, (400, 900144));
    // An app with only a secret cannot use an assertion.
    let a = sign(
        &cert,
        Algorithm::PS256,
        &claims(
            &env,
            DEFAULT_TENANT_ID,
            entra_invite_emulator::DEFAULT_CLIENT_ID,
        ),
    );
    assert_eq!(
        code_of(
            &env,
            DEFAULT_TENANT_ID,
            entra_invite_emulator::DEFAULT_CLIENT_ID,
            &a
        )
        .await
        .0,
        401
    );
    // Bad PEM is refused by the control API.
    env.post_status(
        "/_emulator/apps",
        &json!({"clientId": "x", "certificatePem": "nope"}),
        400,
    )
    .await;
}

#[tokio::test]
async fn federated_assertions() {
    let env = start().await;
    env.control_post("/_emulator/apps", json!({"clientId": "wi-app", "federated": {"subject": "system:serviceaccount:ns:sa"}, "roles": ["User.Read.All"]})).await;
    let t = federated_token(&env, json!({"subject": "system:serviceaccount:ns:sa"})).await;
    let r = exchange(&env, "contoso.com", "wi-app", &t).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        env.get(v["access_token"].as_str().unwrap(), "/v1.0/users")
            .await
            .status(),
        200
    );

    for (body, client_id, code) in [
        (
            json!({"subject": "system:serviceaccount:ns:other"}),
            "wi-app",
            70021,
        ),
        (
            json!({"subject": "system:serviceaccount:ns:sa", "audience": "api://other"}),
            "wi-app",
            70021,
        ),
        (
            json!({"subject": "system:serviceaccount:ns:sa", "expiresInSecs": -1000}),
            "wi-app",
            700024,
        ),
        // A federated token for an app without a federated credential.
        (
            json!({"subject": "system:serviceaccount:ns:sa"}),
            entra_invite_emulator::DEFAULT_CLIENT_ID,
            70021,
        ),
    ] {
        let t = federated_token(&env, body.clone()).await;
        let got = code_of(&env, "contoso.com", client_id, &t).await;
        assert_eq!(got, (401, code), "{client_id} {body}");
    }
}
