//! Credentials against the emulator's token endpoint, the token cache, and secrecy.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use entra_invite::{
    AccessToken, AssertionAlgorithm, CertificateKey, Credential, Error, ErrorKind, Settings,
    TokenSource,
};
use entra_invite_emulator::DEFAULT_TENANT;
use serde_json::json;

use common::Env;

fn test_certificate() -> (String, String) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["entra-invite-test".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

async fn register_cert_app(env: &Env, client_id: &str, cert_pem: &str) {
    env.control(
        "POST",
        "apps",
        Some(json!({"clientId": client_id, "certificatePem": cert_pem, "roles": ["User.Invite.All", "User.Read.All"]})),
    )
    .await;
}

#[tokio::test]
async fn certificate_credentials_get_tokens_ps256_and_rs256() {
    let env = Env::start().await;
    let (cert, key) = test_certificate();
    let id = "aaaaaaaa-0000-0000-0000-00000000c3e7";
    register_cert_app(&env, id, &cert).await;
    let pem = format!("{cert}{key}");
    for alg in [AssertionAlgorithm::Ps256, AssertionAlgorithm::Rs256] {
        let cred =
            Credential::client_certificate(id, CertificateKey::from_pem(pem.as_bytes()).unwrap())
                .with_assertion_algorithm(alg);
        let client = entra_invite::Client::builder()
            .tenant(DEFAULT_TENANT)
            .credential(cred)
            .graph_url(&env.base)
            .build()
            .unwrap();
        let l = client
            .lookup("nobody@fabrikam.com")
            .await
            .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
        assert!(!l.exists());
    }
    // A different key with the same client id is refused by the token endpoint.
    let (_, other_key) = test_certificate();
    let bad = CertificateKey::from_pem(format!("{cert}{other_key}").as_bytes()).unwrap();
    let client = entra_invite::Client::builder()
        .tenant(DEFAULT_TENANT)
        .credential(Credential::client_certificate(id, bad))
        .graph_url(&env.base)
        .build()
        .unwrap();
    let e = client.lookup("nobody@fabrikam.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    env.emu.stop().await;
}

#[tokio::test]
async fn certificate_from_file_via_settings() {
    let env = Env::start().await;
    let (cert, key) = test_certificate();
    let id = "aaaaaaaa-0000-0000-0000-0000000f11e5";
    register_cert_app(&env, id, &cert).await;
    let dir = std::env::temp_dir().join(format!("ei-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("app.pem");
    std::fs::write(&path, format!("{key}{cert}")).unwrap();
    let client = Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some(id.into()),
        certificate_path: Some(path),
        graph_url: Some(env.base.clone()),
        ..Default::default()
    }
    .build()
    .unwrap();
    client.lookup("nobody@fabrikam.com").await.unwrap();
    env.emu.stop().await;
}

#[tokio::test]
async fn federated_token_file_gets_a_token() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-0000000fed01";
    env.control("POST", "apps", Some(json!({"clientId": id, "federated": {"subject": "system:serviceaccount:onboarding:inviter"}, "roles": ["User.Read.All"]}))).await;
    let t = env
        .control(
            "POST",
            "federated-token",
            Some(json!({"subject": "system:serviceaccount:onboarding:inviter"})),
        )
        .await;
    let dir = std::env::temp_dir().join(format!("ei-fed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token");
    std::fs::write(&path, t["token"].as_str().unwrap()).unwrap();
    let client = entra_invite::Client::builder()
        .tenant(DEFAULT_TENANT)
        .credential(Credential::workload_identity(id, &path))
        .graph_url(&env.base)
        .build()
        .unwrap();
    client.lookup("nobody@fabrikam.com").await.unwrap();
    // A token for another subject is refused.
    let t2 = env
        .control(
            "POST",
            "federated-token",
            Some(json!({"subject": "someone-else"})),
        )
        .await;
    std::fs::write(&path, t2["token"].as_str().unwrap()).unwrap();
    let client2 = entra_invite::Client::builder()
        .tenant(DEFAULT_TENANT)
        .credential(Credential::workload_identity(id, &path))
        .graph_url(&env.base)
        .build()
        .unwrap();
    assert_eq!(
        client2
            .lookup("nobody@fabrikam.com")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Auth
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn concurrent_calls_with_an_expired_token_fetch_one() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-00000000e4e1";
    env.control("POST", "apps", Some(json!({"clientId": id, "clientSecret": "s3cret-value", "roles": ["User.Read.All"], "tokenLifetimeSecs": 2}))).await;
    let client = entra_invite::Client::builder()
        .tenant(DEFAULT_TENANT)
        .credential(Credential::client_secret(id, "s3cret-value"))
        .graph_url(&env.base)
        .build()
        .unwrap();
    client.lookup("warmup@fabrikam.com").await.unwrap();
    let before = env.counter("tokenRequests").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let calls = (0..10).map(|i| {
        let c = client.clone();
        async move { c.lookup(&format!("user{i}@fabrikam.com")).await }
    });
    for r in futures_util::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(env.counter("tokenRequests").await - before, 1);
    env.emu.stop().await;
}

struct Rotating {
    tokens: Vec<String>,
    calls: AtomicUsize,
}

impl TokenSource for Rotating {
    fn token(
        &self,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<AccessToken, Error>> + Send + '_>>
    {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            Ok(AccessToken::new(
                self.tokens[n.min(self.tokens.len() - 1)].clone(),
                Some(Duration::from_secs(3600)),
            ))
        })
    }
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once() {
    let env = Env::start().await;
    let good = env.control("POST", "tokens", Some(json!({}))).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let source = Arc::new(Rotating {
        tokens: vec!["garbage.token.value".into(), good],
        calls: AtomicUsize::new(0),
    });
    let client = entra_invite::Client::builder()
        .credential(Credential::token_source(source.clone()))
        .graph_url(&env.base)
        .build()
        .unwrap();
    client.lookup("nobody@fabrikam.com").await.unwrap();
    assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    env.emu.stop().await;
}

#[tokio::test]
async fn an_expired_fixed_token_is_an_auth_error() {
    let env = Env::start().await;
    let t = env
        .control("POST", "tokens", Some(json!({"expiresInSecs": -60})))
        .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let client = entra_invite::Client::builder()
        .credential(Credential::access_token(t.as_str()))
        .graph_url(&env.base)
        .build()
        .unwrap();
    let e = client.lookup("nobody@fabrikam.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.code(), Some("InvalidAuthenticationToken"));
    assert!(!format!("{e} {e:?}").contains(&t));
    env.emu.stop().await;
}

#[tokio::test]
async fn secrets_never_show() {
    let env = Env::start().await;
    let secret = "VerySecretValue~123";
    let s = Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some("11111111-2222-3333-4444-555555555555".into()),
        client_secret: Some(secret.into()),
        graph_url: Some(env.base.clone()),
        ..Default::default()
    };
    assert!(!format!("{s:?}").contains(secret));
    let client = s.build().unwrap();
    let e = client.lookup("nobody@fabrikam.com").await.unwrap_err();
    for text in [format!("{client:?}"), format!("{e}"), format!("{e:?}")] {
        assert!(!text.contains(secret), "leaked in {text}");
    }
    let cred = Credential::client_secret("id", secret);
    assert!(!format!("{cred:?}").contains(secret));
    let tok = AccessToken::new("eyJ.secret.token", None);
    assert!(!format!("{tok:?}").contains("secret.token"));
    let fixed = Credential::access_token("eyJ.secret.token");
    assert!(!format!("{fixed:?}").contains("secret.token"));
    let (cert, key) = test_certificate();
    let ck = CertificateKey::from_pem(format!("{cert}{key}").as_bytes()).unwrap();
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(!format!("{ck:?}").contains(&body[..40]));
    env.emu.stop().await;
}

#[tokio::test]
async fn plain_http_only_to_loopback_and_tokens_stay_on_graph() {
    let e = entra_invite::Client::builder()
        .tenant(DEFAULT_TENANT)
        .credential(Credential::access_token("t"))
        .graph_url("http://graph.example.com")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.field(), Some("graph_url"));
}
