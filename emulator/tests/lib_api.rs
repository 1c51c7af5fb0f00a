//! The library API: start, URLs, HTTPS via Config, stop.

mod common;

use common::{client, control_token, get_with, https_client, json};
use entra_invite_emulator::{Config, Emulator};

#[tokio::test]
async fn start_stop_and_https() {
    let emu = Emulator::start(Config::default()).await.unwrap();
    assert!(emu.base_url().starts_with("http://127.0.0.1:"));
    assert!(!emu.base_url().ends_with('/'));
    assert_eq!(emu.authority_url(), emu.base_url());
    assert!(emu.ca_cert_pem().is_none());
    let base = emu.base_url().to_string();
    emu.stop().await;
    let c = client();
    assert!(c.get(format!("{base}/v1.0/users")).send().await.is_err());

    let pem_path = std::env::temp_dir().join(format!("emu-{}.pem", uuid::Uuid::new_v4()));
    let emu = Emulator::start(Config {
        https: Some(pem_path.clone()),
        ..Config::default()
    })
    .await
    .unwrap();
    assert!(emu.base_url().starts_with("https://"));
    let pem = emu.ca_cert_pem().unwrap().to_string();
    assert_eq!(std::fs::read_to_string(&pem_path).unwrap(), pem);
    let c = https_client(&pem);
    let r = c
        .get(format!("{}/v1.0/users", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // nextLinks and contexts use the https origin.
    let tok = control_token(&c, emu.base_url()).await;
    let v = json(get_with(&c, &format!("{}/v1.0/users", emu.base_url()), &tok).await).await;
    assert!(v["@odata.context"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    drop(emu);
    let _ = std::fs::remove_file(pem_path);
}

#[tokio::test]
async fn invalid_faults_refuse_to_start() {
    let faults = entra_invite_emulator::Faults {
        drop_rate: 3.0,
        ..Default::default()
    };
    assert!(Emulator::start(Config {
        faults,
        ..Config::default()
    })
    .await
    .is_err());
}

#[tokio::test]
async fn serves_http2_cleartext_too() {
    let env = common::start().await;
    let c = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let tok = control_token(&c, &env.base).await;
    let r = get_with(&c, &env.url("/v1.0/users"), &tok).await;
    assert_eq!(r.version(), reqwest::Version::HTTP_2);
    assert_eq!(r.status(), 200);
}
