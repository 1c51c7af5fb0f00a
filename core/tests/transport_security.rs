//! TLS with an extra CA, PKCS#12 certificates, and secrets kept out of trace-level logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use entra_invite::{CertificateKey, Credential, ErrorKind, Settings};
use entra_invite_emulator::Config;
use serde_json::json;

use common::{app_settings, fresh_dir, lookup_err, req, test_certificate, Env};

#[tokio::test]
async fn https_emulator_needs_its_ca() {
    let pem_path = fresh_dir("tls").join("ca.pem");
    let env = Env::start_with(Config {
        https: Some(pem_path.clone()),
        ..Config::default()
    })
    .await;
    assert!(env.base.starts_with("https://"));
    let base = Settings {
        max_retries: Some(0),
        ..env.settings()
    };
    // Without the emulator's certificate, TLS verification refuses it.
    let e = lookup_err(base.clone()).await;
    assert!(matches!(e.kind(), ErrorKind::Network), "{e}");
    let ok = Settings {
        ca_cert: Some(pem_path.clone()),
        ..base.clone()
    }
    .build()
    .unwrap();
    assert!(!ok.lookup("a@fabrikam.com").await.unwrap().exists);
    let ok2 = Settings {
        ca_cert_pem: env.emu.ca_cert_pem().map(str::to_string),
        ..base
    }
    .build()
    .unwrap();
    ok2.invite(&req("tls@fabrikam.com")).await.unwrap();
    env.emu.stop().await;
}

#[tokio::test]
async fn pkcs12_certificate_from_openssl() {
    let env = Env::start().await;
    let (cert, key) = test_certificate("p12-test");
    let id = "aaaaaaaa-0000-0000-0000-000000000p12".replace('p', "a");
    env.add_app(json!({"clientId": id, "certificatePem": cert, "roles": ["User.Read.All"]}))
        .await;
    let dir = fresh_dir("p12");
    std::fs::write(dir.join("c.pem"), cert).unwrap();
    std::fs::write(dir.join("k.pem"), key).unwrap();
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
        env.client_with(Credential::client_certificate(&id, ck))
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
        let id = "aaaaaaaa-0000-0000-0000-0000000007ac";
        env.add_app(json!({"clientId": id, "clientSecret": secret, "roles": ["User.Invite.All", "User.Read.All"]})).await;
        let t = env.token(json!({})).await;
        let client = app_settings(&env.base, id, secret).build()?;
        client.invite(&req("log@fabrikam.com")).await?;
        client.lookup("log@fabrikam.com").await?;
        let fixed = env.builder().credential(Credential::access_token(t.as_str())).build()?;
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
