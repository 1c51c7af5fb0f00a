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

use common::{app_settings, fresh_dir, test_certificate, Env};

/// A new certificate and its key (PEM), registered as the credential of app `client_id`.
async fn cert_app(env: &Env, client_id: &str) -> (String, String) {
    let (cert, key) = test_certificate("entra-invite-test");
    env.add_app(json!({"clientId": client_id, "certificatePem": cert, "roles": ["User.Invite.All", "User.Read.All"]}))
        .await;
    (cert, key)
}

#[tokio::test]
async fn certificate_credentials_get_tokens_ps256_and_rs256() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-00000000c3e7";
    let (cert, key) = cert_app(&env, id).await;
    let pem = format!("{cert}{key}");
    for alg in [AssertionAlgorithm::Ps256, AssertionAlgorithm::Rs256] {
        let cred =
            Credential::client_certificate(id, CertificateKey::from_pem(pem.as_bytes()).unwrap())
                .with_assertion_algorithm(alg);
        let l = env
            .client_with(cred)
            .lookup("nobody@fabrikam.com")
            .await
            .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
        assert!(!l.exists);
    }
    // A different key with the same client id is refused by the token endpoint.
    let (_, other_key) = test_certificate("entra-invite-test");
    let bad = CertificateKey::from_pem(format!("{cert}{other_key}").as_bytes()).unwrap();
    let client = env.client_with(Credential::client_certificate(id, bad));
    let e = client.lookup("nobody@fabrikam.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    env.emu.stop().await;
}

#[tokio::test]
async fn certificate_from_file_via_settings() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-0000000f11e5";
    let (cert, key) = cert_app(&env, id).await;
    let path = fresh_dir("cert").join("app.pem");
    std::fs::write(&path, format!("{key}{cert}")).unwrap();
    // The app's settings with its certificate file in place of a secret.
    let client = Settings {
        client_secret: None,
        certificate_path: Some(path),
        ..app_settings(&env.base, id, "")
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
    let subject = "system:serviceaccount:onboarding:inviter";
    env.add_app(
        json!({"clientId": id, "federated": {"subject": subject}, "roles": ["User.Read.All"]}),
    )
    .await;
    let path = fresh_dir("fed").join("token");
    // A token for the app's subject is taken; one for another subject is refused.
    for (who, want) in [(subject, Ok(())), ("someone-else", Err(ErrorKind::Auth))] {
        std::fs::write(&path, env.federated_token(who).await).unwrap();
        let client = env.client_with(Credential::workload_identity(id, &path));
        let got = client.lookup("nobody@fabrikam.com").await;
        assert_eq!(got.map(drop).map_err(|e| e.kind()), want, "{who}");
    }
    env.emu.stop().await;
}

#[tokio::test]
async fn concurrent_calls_with_an_expired_token_fetch_one() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-00000000e4e1";
    env.add_app(json!({"clientId": id, "clientSecret": "s3cret-value", "roles": ["User.Read.All"], "tokenLifetimeSecs": 2})).await;
    let client = env.client_with(Credential::client_secret(id, "s3cret-value"));
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
    let good = env.token(json!({})).await;
    let source = Arc::new(Rotating {
        tokens: vec!["garbage.token.value".into(), good],
        calls: AtomicUsize::new(0),
    });
    let client = env
        .builder()
        .credential(Credential::token_source(source.clone()))
        .build()
        .unwrap();
    client.lookup("nobody@fabrikam.com").await.unwrap();
    assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    env.emu.stop().await;
}

#[tokio::test]
async fn an_expired_fixed_token_is_an_auth_error() {
    let env = Env::start().await;
    let t = env.token(json!({"expiresInSecs": -60})).await;
    let client = env
        .builder()
        .credential(Credential::access_token(t.as_str()))
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
    let s = app_settings(&env.base, "11111111-2222-3333-4444-555555555555", secret);
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
    let (cert, key) = test_certificate("entra-invite-test");
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
