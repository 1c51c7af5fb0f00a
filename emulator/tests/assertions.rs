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

async fn code_of(r: reqwest::Response) -> (u16, u64) {
    let s = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    (s, v["error_codes"][0].as_u64().unwrap_or(0))
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
            env.invite(tok, common::invitation("cert@fabrikam.com"))
                .await
                .status(),
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
        code_of(exchange(&env, DEFAULT_TENANT_ID, "cert-app", &a).await).await,
        (401, 700027)
    );
    // Right thumbprint, wrong key: signature fails.
    let mut h = Header::new(Algorithm::PS256);
    h.x5t_s256 = Some(cert.sha256.clone());
    let forged =
        jsonwebtoken::encode(&h, &claims(&env, DEFAULT_TENANT_ID, "cert-app"), &other.key).unwrap();
    assert_eq!(
        code_of(exchange(&env, DEFAULT_TENANT_ID, "cert-app", &forged).await).await,
        (401, 700027)
    );
    // Expired.
    let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
    c["nbf"] = json!(now() - 3600);
    c["exp"] = json!(now() - 1800);
    assert_eq!(
        code_of(
            exchange(
                &env,
                DEFAULT_TENANT_ID,
                "cert-app",
                &sign(&cert, Algorithm::PS256, &c)
            )
            .await
        )
        .await,
        (401, 700024)
    );
    // Not yet valid.
    let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
    c["nbf"] = json!(now() + 3600);
    c["exp"] = json!(now() + 4000);
    assert_eq!(
        code_of(
            exchange(
                &env,
                DEFAULT_TENANT_ID,
                "cert-app",
                &sign(&cert, Algorithm::PS256, &c)
            )
            .await
        )
        .await,
        (401, 700024)
    );
    // Wrong audience: another authority, another tenant.
    for aud in [
        "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token",
        &format!("{}/other.onmicrosoft.com/oauth2/v2.0/token", env.base),
    ] {
        let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
        c["aud"] = json!(aud);
        assert_eq!(
            code_of(
                exchange(
                    &env,
                    DEFAULT_TENANT_ID,
                    "cert-app",
                    &sign(&cert, Algorithm::PS256, &c)
                )
                .await
            )
            .await,
            (401, 700027),
            "{aud}"
        );
    }
    // iss/sub not the client id.
    let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
    c["iss"] = json!("someone-else");
    assert_eq!(
        code_of(
            exchange(
                &env,
                DEFAULT_TENANT_ID,
                "cert-app",
                &sign(&cert, Algorithm::PS256, &c)
            )
            .await
        )
        .await,
        (401, 700021)
    );
    // No jti.
    let mut c = claims(&env, DEFAULT_TENANT_ID, "cert-app");
    c.as_object_mut().unwrap().remove("jti");
    assert_eq!(
        code_of(
            exchange(
                &env,
                DEFAULT_TENANT_ID,
                "cert-app",
                &sign(&cert, Algorithm::PS256, &c)
            )
            .await
        )
        .await,
        (401, 700027)
    );
    // Garbage.
    assert_eq!(
        code_of(exchange(&env, DEFAULT_TENANT_ID, "cert-app", "not.a.jwt").await).await,
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
    assert_eq!(code_of(r).await, (400, 900144));
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
            exchange(
                &env,
                DEFAULT_TENANT_ID,
                entra_invite_emulator::DEFAULT_CLIENT_ID,
                &a
            )
            .await
        )
        .await
        .0,
        401
    );
    // Bad PEM is refused by the control API.
    let r = env
        .http
        .post(env.url("/_emulator/apps"))
        .json(&json!({"clientId": "x", "certificatePem": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn federated_assertions() {
    let env = start().await;
    env.control_post("/_emulator/apps", json!({"clientId": "wi-app", "federated": {"subject": "system:serviceaccount:ns:sa"}, "roles": ["User.Read.All"]})).await;
    let t = env
        .control_post(
            "/_emulator/federated-token",
            json!({"subject": "system:serviceaccount:ns:sa"}),
        )
        .await;
    let r = exchange(&env, "contoso.com", "wi-app", t["token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        env.get(v["access_token"].as_str().unwrap(), "/v1.0/users")
            .await
            .status(),
        200
    );

    let t = env
        .control_post(
            "/_emulator/federated-token",
            json!({"subject": "system:serviceaccount:ns:other"}),
        )
        .await;
    assert_eq!(
        code_of(exchange(&env, "contoso.com", "wi-app", t["token"].as_str().unwrap()).await).await,
        (401, 70021)
    );
    let t = env
        .control_post(
            "/_emulator/federated-token",
            json!({"subject": "system:serviceaccount:ns:sa", "audience": "api://other"}),
        )
        .await;
    assert_eq!(
        code_of(exchange(&env, "contoso.com", "wi-app", t["token"].as_str().unwrap()).await).await,
        (401, 70021)
    );
    let t = env
        .control_post(
            "/_emulator/federated-token",
            json!({"subject": "system:serviceaccount:ns:sa", "expiresInSecs": -1000}),
        )
        .await;
    assert_eq!(
        code_of(exchange(&env, "contoso.com", "wi-app", t["token"].as_str().unwrap()).await).await,
        (401, 700024)
    );
    // A federated token for an app without a federated credential.
    let t = env
        .control_post(
            "/_emulator/federated-token",
            json!({"subject": "system:serviceaccount:ns:sa"}),
        )
        .await;
    assert_eq!(
        code_of(
            exchange(
                &env,
                "contoso.com",
                entra_invite_emulator::DEFAULT_CLIENT_ID,
                t["token"].as_str().unwrap()
            )
            .await
        )
        .await,
        (401, 70021)
    );
}
