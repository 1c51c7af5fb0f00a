//! TLS with an extra CA, PKCS#12 certificates, and secrets kept out of trace-level logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use entra_invite::{CertificateKey, Credential, ErrorKind, Settings};
use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::json;

use common::Env;

#[tokio::test]
async fn https_emulator_needs_its_ca() {
    let pem_path = std::env::temp_dir().join(format!("ei-tls-{}.pem", std::process::id()));
    let emu = Emulator::start(Config {
        https: Some(pem_path.clone()),
        ..Config::default()
    })
    .await
    .unwrap();
    assert!(emu.base_url().starts_with("https://"));
    let base = Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some(DEFAULT_CLIENT_ID.into()),
        client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
        graph_url: Some(emu.base_url().into()),
        max_retries: Some(0),
        ..Default::default()
    };
    // Without the emulator's certificate, TLS verification refuses it.
    let e = base
        .clone()
        .build()
        .unwrap()
        .lookup("a@fabrikam.com")
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Network), "{e}");
    let ok = Settings {
        ca_cert: Some(pem_path.clone()),
        ..base.clone()
    }
    .build()
    .unwrap();
    assert!(!ok.lookup("a@fabrikam.com").await.unwrap().exists());
    let ok2 = Settings {
        ca_cert_pem: emu.ca_cert_pem().map(str::to_string),
        ..base
    }
    .build()
    .unwrap();
    ok2.invite(&entra_invite::InvitationRequest::new(
        "tls@fabrikam.com",
        "https://myapps.microsoft.com/",
    ))
    .await
    .unwrap();
    emu.stop().await;
}

#[tokio::test]
async fn pkcs12_certificate_from_openssl() {
    let env = Env::start().await;
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec!["p12-test".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let id = "aaaaaaaa-0000-0000-0000-000000000p12".replace('p', "a");
    env.control(
        "POST",
        "apps",
        Some(json!({"clientId": id, "certificatePem": cert.pem(), "roles": ["User.Read.All"]})),
    )
    .await;
    let dir = std::env::temp_dir().join(format!("ei-p12-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("k.pem"), key.serialize_pem()).unwrap();
    for (name, extra) in [("modern.pfx", vec![]), ("legacy.pfx", vec!["-legacy"])] {
        let out = dir.join(name);
        let st = std::process::Command::new("openssl")
            .args(["pkcs12", "-export", "-in"])
            .arg(dir.join("c.pem"))
            .arg("-inkey")
            .arg(dir.join("k.pem"))
            .arg("-out")
            .arg(&out)
            .args(["-passout", "pass:pfx-password"])
            .args(&extra)
            .status()
            .expect("openssl is installed");
        if !st.success() && name == "legacy.pfx" {
            continue; // an openssl without the legacy provider
        }
        assert!(st.success());
        let der = std::fs::read(&out).unwrap();
        assert_eq!(
            CertificateKey::from_pkcs12(&der, "wrong")
                .unwrap_err()
                .field(),
            Some("certificate")
        );
        let ck = CertificateKey::from_file(&out, Some("pfx-password"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let client = entra_invite::Client::builder()
            .tenant(DEFAULT_TENANT)
            .credential(Credential::client_certificate(&id, ck))
            .graph_url(&env.base)
            .build()
            .unwrap();
        client
            .lookup("a@fabrikam.com")
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    env.emu.stop().await;
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn trace_logs_hold_no_secret_or_token() {
    let buf = Buf::default();
    let b2 = buf.clone();
    let sub = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || b2.clone())
        .with_ansi(false)
        .finish();
    // The runtime's threads need the subscriber too: install it process-wide for this test binary.
    tracing::subscriber::set_global_default(sub).unwrap();
    let secret = "TraceSecret~987";
    let token = entra_invite::block_on(async move {
        let env = Env::start().await;
        env.control("POST", "apps", Some(json!({"clientId": "aaaaaaaa-0000-0000-0000-0000000007ac", "clientSecret": secret, "roles": ["User.Invite.All", "User.Read.All"]}))).await;
        let t = env.control("POST", "tokens", Some(json!({}))).await["access_token"].as_str().unwrap().to_string();
        let client = Settings {
            tenant: Some(DEFAULT_TENANT.into()),
            client_id: Some("aaaaaaaa-0000-0000-0000-0000000007ac".into()),
            client_secret: Some(secret.into()),
            graph_url: Some(env.base.clone()),
            ..Default::default()
        }
        .build()?;
        client.invite(&entra_invite::InvitationRequest::new("log@fabrikam.com", "https://myapps.microsoft.com/")).await?;
        client.lookup("log@fabrikam.com").await?;
        let fixed = entra_invite::Client::builder().credential(Credential::access_token(t.as_str())).graph_url(&env.base).build()?;
        fixed.status("log@fabrikam.com").await?;
        env.emu.stop().await;
        Ok::<String, entra_invite::Error>(t)
    })
    .unwrap();
    let logs = String::from_utf8_lossy(&buf.0.lock().unwrap()).to_string();
    assert!(
        logs.len() > 1000,
        "trace logging produced almost nothing: {logs}"
    );
    assert!(!logs.contains(secret), "client secret in the logs");
    assert!(!logs.contains(&token), "access token in the logs");
    // The client's own token from the secret flow is a JWT: no bearer value either.
    assert!(
        !logs.to_ascii_lowercase().contains("bearer ey"),
        "a bearer token in the logs"
    );
}
