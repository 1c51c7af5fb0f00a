//! The `graph-emulator` binary: first line, --help, HTTPS, signals, --state, --faults.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{client, default_token as token, get_with, https_client, json};
use serde_json::{json, Value};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_graph-emulator");

struct Proc {
    child: Child,
    base: String,
}

fn spawn(args: &[&str]) -> Proc {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    Proc { child, base }
}

impl Proc {
    fn signal(&mut self, sig: &str) -> i32 {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_prints_the_defaults() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    for want in [
        entra_invite_emulator::DEFAULT_TENANT,
        entra_invite_emulator::DEFAULT_CLIENT_ID,
        entra_invite_emulator::DEFAULT_CLIENT_SECRET,
        "--listen",
        "--https",
        "--state",
        "--faults",
        "--seed",
    ] {
        assert!(s.contains(want), "{want} missing from --help");
    }
}

#[tokio::test]
async fn state_survives_sigterm_and_restart() {
    let dir = std::env::temp_dir().join(format!("emu-state-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let state_s = state.to_str().unwrap();
    let http = client();
    let mut p = spawn(&["--listen", "127.0.0.1:0", "--state", state_s]);
    assert!(p.base.starts_with("http://127.0.0.1:"));
    let tok = token(&http, &p.base).await;
    let r = http
        .post(format!("{}/v1.0/invitations", p.base))
        .bearer_auth(&tok)
        .json(&json!({"invitedUserEmailAddress": "keep@fabrikam.com", "inviteRedirectUrl": "https://x.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(p.signal("-TERM"), 0);
    assert!(state.exists());

    let mut p = spawn(&["--state", state_s]);
    let tok = token(&http, &p.base).await;
    let v = json(
        get_with(
            &http,
            &format!("{}/v1.0/users?$filter=mail eq 'keep@fabrikam.com'", p.base),
            &tok,
        )
        .await,
    )
    .await;
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    // Re-inviting after restart still finds the same user (indexes rebuilt).
    let r: Value = http
        .post(format!("{}/v1.0/invitations", p.base))
        .bearer_auth(&tok)
        .json(&json!({"invitedUserEmailAddress": "keep@fabrikam.com", "inviteRedirectUrl": "https://x.example"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["invitedUser"]["id"], v["value"][0]["id"]);
    assert_eq!(p.signal("-INT"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn https_with_generated_certificate_and_faults_file() {
    let dir = std::env::temp_dir().join(format!("emu-tls-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("ca.pem");
    let faults = dir.join("faults.json");
    std::fs::write(
        &faults,
        r#"{"scripted":[{"method":"GET","pathContains":"/domains","status":502}]}"#,
    )
    .unwrap();
    let p = spawn(&[
        "--https",
        pem.to_str().unwrap(),
        "--faults",
        faults.to_str().unwrap(),
        "--seed",
        "3",
    ]);
    assert!(p.base.starts_with("https://127.0.0.1:"));
    let http = https_client(&std::fs::read_to_string(&pem).unwrap());
    let tok = token(&http, &p.base).await;
    let r = get_with(&http, &format!("{}/v1.0/domains", p.base), &tok).await;
    assert_eq!(r.status(), 502);
    let r = get_with(&http, &format!("{}/v1.0/domains", p.base), &tok).await;
    assert_eq!(r.status(), 200);
    // localhost is in the certificate too.
    let local = p.base.replace("127.0.0.1", "localhost");
    let r = get_with(&http, &format!("{local}/v1.0/users?$top=1"), &tok).await;
    assert_eq!(r.status(), 200);
    // Without trusting the certificate the handshake fails.
    assert!(client()
        .get(format!("{}/v1.0/domains", p.base))
        .send()
        .await
        .is_err());
    drop(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_faults_file_exits_non_zero() {
    let dir = std::env::temp_dir().join(format!("emu-bad-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("f.json");
    std::fs::write(&f, "{nope").unwrap();
    let out = Command::new(BIN)
        .args(["--faults", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
