//! The CLI as a user runs it: real process, real emulator, exit codes and output.

mod common;

use std::path::PathBuf;
use std::process::Stdio;

use common::{against, bin, emulator, invite, json, run, REDIRECT};

use entra_invite_emulator::{READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use serde_json::Value;

#[tokio::test]
async fn invite_lookup_status_guests() {
    let emu = emulator().await;
    let more = [
        "--name",
        "Taylor",
        "--message",
        "Hi",
        "--cc",
        "lead@contoso.com",
    ];
    let o = invite(against(&emu), &["--json"], "taylor@fabrikam.com", &more).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let inv = json(&o);
    assert_eq!(inv["invitedUserEmailAddress"], "taylor@fabrikam.com");
    assert_eq!(inv["sendInvitationMessage"], true);
    let id = inv["invitedUser"]["id"].as_str().unwrap().to_string();

    let o = run(against(&emu), &["--json", "lookup", "taylor@fabrikam.com"]).await;
    assert_eq!(json(&o)["user"]["id"], id.as_str());
    let o = run(against(&emu), &["status", &id]).await;
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("PendingAcceptance"), "{text}");
    let o = run(against(&emu), &["--json", "guests", "--pending"]).await;
    assert_eq!(json(&o).as_array().unwrap().len(), 1);
    let o = run(against(&emu), &["--json", "guests", "--accepted"]).await;
    assert_eq!(json(&o).as_array().unwrap().len(), 0);
    let o = invite(
        against(&emu),
        &["--json"],
        "taylor@fabrikam.com",
        &["--if-absent"],
    )
    .await;
    assert_eq!(json(&o)["invited"], false);
    let o = run(
        against(&emu),
        &[
            "--json",
            "reset",
            &id,
            "--email",
            "taylor@fabrikam.com",
            "--redirect",
            REDIRECT,
            "--no-email",
        ],
    )
    .await;
    assert_eq!(json(&o)["resetRedemption"], true);
    emu.stop().await;
}

#[tokio::test]
async fn exit_codes_and_error_output() {
    let emu = emulator().await;
    let o = invite(against(&emu), &[], "not an email", &[]).await;
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("InvalidInput") && err.contains("invitedUserEmailAddress"),
        "{err}"
    );

    let mut ro = against(&emu);
    ro.env("AZURE_CLIENT_ID", READONLY_CLIENT_ID)
        .env("AZURE_CLIENT_SECRET", READONLY_CLIENT_SECRET);
    let o = invite(ro, &["--json"], "a@fabrikam.com", &[]).await;
    assert_eq!(o.status.code(), Some(3));
    let e = json(&o);
    assert_eq!(e["error"]["kind"], "PermissionDenied");
    assert!(e["error"]["requestId"].is_string());

    let o = run(
        against(&emu),
        &["status", "0b6d4c1e-1d1e-4a4b-9c9c-000000000000"],
    )
    .await;
    assert_eq!(o.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&o.stderr).contains("request-id"));

    let mut wrong = against(&emu);
    wrong.env("AZURE_CLIENT_SECRET", "wrong-secret-value");
    let o = run(wrong, &["lookup", "a@fabrikam.com"]).await;
    assert_eq!(o.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("wrong-secret-value"));

    let o = run(bin(), &["lookup", "a@fabrikam.com"]).await;
    assert_eq!(o.status.code(), Some(2), "no credentials is bad input");
    emu.stop().await;
}

#[tokio::test]
async fn demo_runs_end_to_end() {
    let o = run(bin(), &["demo"]).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    for want in [
        "taylor_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        "Accepted",
        "PendingAcceptance",
        "2 guest(s)",
        "redeem url",
    ] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
}

fn bulk_file(dir: &std::path::Path, n: usize) -> PathBuf {
    let mut s = String::from("version:v1.0\nEmail address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail]\n");
    for i in 0..n {
        s.push_str(&format!(
            "p{i}@fabrikam.com,https://myapps.microsoft.com/,false\n"
        ));
    }
    let p = dir.join("in.csv");
    std::fs::write(&p, s).unwrap();
    p
}

#[tokio::test]
async fn bulk_killed_half_way_then_resumed() {
    let emu = emulator().await;
    let dir = std::env::temp_dir().join(format!("ei-cli-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = bulk_file(&dir, 400);
    let results = dir.join("out.csv");
    let _ = std::fs::remove_file(&results);
    let mut c = against(&emu);
    // Client-side pacing (150 per 5 s) makes the run long enough to kill it half-way.
    c.args([
        "bulk",
        input.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--quiet",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    let r2 = results.clone();
    tokio::task::spawn_blocking(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let lines = std::fs::read_to_string(&r2)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if lines > 200 {
            break;
        }
    })
    .await
    .unwrap();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let o = run(
        against(&emu),
        &[
            "--json",
            "bulk",
            input.to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
        ],
    )
    .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = json(&o);
    assert!(summary["resumed"].as_u64().unwrap() > 0, "{summary}");
    let mut rdr = csv::Reader::from_path(&results).unwrap();
    let mut rows = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        assert_ne!(&rec[2], "sending", "the journal was not compacted");
        {
            *rows.entry(rec[0].to_string()).or_insert(0) += 1;
            assert!(["invited", "existing"].contains(&&rec[2]), "{rec:?}");
        }
    }
    assert_eq!(rows.len(), 400);
    assert!(rows.values().all(|n| *n == 1), "a row settled twice");
    let counters: Value = reqwest::get(format!("{}/_emulator/counters", emu.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counters["usersCreated"], 400, "a guest was created twice");
    assert_eq!(counters["earlyRetries"], 0);
    emu.stop().await;
}

#[test]
fn emulator_subcommand_serves_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let mut child = bin()
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let url = line.trim().trim_start_matches("listening on ").to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::get(format!("{url}/_emulator/counters"))
            .await
            .unwrap()
            .status()
    });
    assert!(status.is_success());
    unsafe { libc_kill(child.id() as i32, 15) };
    let st = child.wait().unwrap();
    assert!(st.success(), "{st:?}");
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}
