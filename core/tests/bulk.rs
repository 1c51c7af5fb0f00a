//! Bulk runs against the emulator: one result per row, no duplicates, resume after a crash.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use entra_invite::{BulkOptions, Client, Outcome};
use serde_json::json;

use common::Env;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ei-bulk-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn unpaced(env: &Env) -> Client {
    env.settings()
        .into_builder()
        .unwrap()
        .invitation_pacing(None)
        .build()
        .unwrap()
}

/// 2,000 rows: every 50th invalid, every 40th an existing member's address, every 25th a
/// repeat of an earlier address. Returns the path and how many distinct new guests it holds.
fn big_file(dir: &Path) -> (PathBuf, usize) {
    let mut s = String::from(
        "invitedUserEmailAddress,inviteRedirectUrl,invitedUserDisplayName,sendInvitationMessage\n",
    );
    let mut new_guests = HashSet::new();
    for i in 0..2000 {
        let email = if i % 50 == 7 {
            format!("broken{i}@@fabrikam.com")
        } else if i % 40 == 3 {
            format!("member{}@fabrikam.com", i % 3)
        } else if i % 25 == 11 && i > 100 {
            format!("guest{}@fabrikam.com", i - 100)
        } else {
            format!("guest{i}@fabrikam.com")
        };
        if email.starts_with("guest") {
            new_guests.insert(email.clone());
        }
        s.push_str(&format!(
            "{email},https://myapps.microsoft.com/,\"Guest, number {i}\",false\n"
        ));
    }
    let p = dir.join("big.csv");
    std::fs::write(&p, s).unwrap();
    (p, new_guests.len())
}

async fn seed_members(env: &Env) {
    for m in 0..3 {
        env.add_user(
            json!({"mail": format!("member{m}@fabrikam.com"), "userType": "Member",
                            "userPrincipalName": format!("member{m}@contoso.onmicrosoft.com")}),
        )
        .await;
    }
}

fn results_by_row(path: &Path) -> HashMap<u64, Vec<String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let mut m: HashMap<u64, Vec<String>> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        m.entry(rec[0].parse().unwrap())
            .or_default()
            .push(rec[2].to_string());
    }
    m
}

#[tokio::test]
async fn two_thousand_rows_one_result_each() {
    let env = Env::start().await;
    seed_members(&env).await;
    let dir = tmp("big");
    let (input, distinct_new) = big_file(&dir);
    let results = dir.join("results.csv");
    let _ = std::fs::remove_file(&results);
    let client = unpaced(&env);
    let opts = BulkOptions {
        concurrency: 32,
        results: Some(results.clone()),
        ..Default::default()
    };
    let summary = client
        .bulk_invite(&input, opts)
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert_eq!(summary.done(), 2000, "{summary:?}");
    assert_eq!(summary.failed, 0, "{summary:?}");
    assert_eq!(summary.invalid, 40);
    assert_eq!(summary.invited as usize, distinct_new);
    let by_row = results_by_row(&results);
    assert_eq!(by_row.len(), 2000);
    assert!(
        by_row.values().all(|v| v.len() == 1 && v[0] != "sending"),
        "a row reported twice"
    );
    assert_eq!(
        env.counter("invitationsCreated").await as usize,
        distinct_new,
        "an invitation was sent twice"
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn resume_after_a_crash_sends_nothing_twice() {
    let env = Env::start().await;
    seed_members(&env).await;
    let dir = tmp("resume");
    let (input, distinct_new) = big_file(&dir);
    let results = dir.join("results.csv");
    let _ = std::fs::remove_file(&results);
    let client = unpaced(&env);
    // Some answers are lost after Graph acted: those rows must be resolved by lookup.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 5, "actFirst": true}]})).await;
    let mut run = client
        .bulk_invite(
            &input,
            BulkOptions {
                concurrency: 16,
                results: Some(results.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    for _ in 0..700 {
        run.next().await.unwrap().unwrap();
    }
    drop(run); // the crash: rows in flight stay journaled as `sending`
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let summary = client
        .bulk_invite(
            &input,
            BulkOptions {
                concurrency: 16,
                results: Some(results.clone()),
                ..Default::default()
            },
        )
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert!(summary.resumed >= 650, "{summary:?}");
    assert_eq!(summary.failed, 0, "{summary:?}");
    let by_row = results_by_row(&results);
    assert_eq!(by_row.len(), 2000);
    for (row, v) in &by_row {
        // A finished run leaves exactly one line per row, the journal compacted away.
        let finals: Vec<_> = v.iter().collect();
        assert_eq!(finals.len(), 1, "row {row}: {v:?}");
        assert!(
            ["invited", "existing", "invalid"].contains(&finals[0].as_str()),
            "row {row}: {v:?}"
        );
    }
    assert_eq!(
        env.counter("usersCreated").await as usize,
        distinct_new,
        "a guest was created twice"
    );
    // No row asks for an email, and every one invited has its redeem URL (lost answers were
    // re-invited without an email for a new one).
    assert_eq!(env.control("GET", "outbox", None).await, json!([]));
    let mut rdr = csv::Reader::from_path(&results).unwrap();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if &rec[2] == "invited" {
            assert!(rec[4].starts_with("https://"), "no redeem URL: {rec:?}");
        }
    }
    env.emu.stop().await;
}

#[tokio::test]
async fn admin_center_template_and_dry_run() {
    let env = Env::start().await;
    let dir = tmp("template");
    let p = dir.join("template.csv");
    std::fs::write(
        &p,
        "\u{feff}version:v1.0\r\nAdresse e-mail à inviter [inviteeEmail] Obligatoire,URL de redirection [inviteRedirectURL] Obligatoire,Envoyer un message d'invitation (true ou false) [sendEmail],Message d'invitation personnalisé [customizedMessageBody],Nom [inviteeName]\r\n\
         Example: Istokes@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome!,\r\n\
         ana@fabrikam.com,https://myapps.microsoft.com/,TRUE,\"Bonjour Ana,\r\nbienvenue\",Ana\r\n\
         luc@litware.com,https://myapps.microsoft.com/,false,,Luc\r\n",
    )
    .unwrap();
    let client = unpaced(&env);
    let dry = client
        .bulk_invite(
            &p,
            BulkOptions {
                dry_run: true,
                ..Default::default()
            },
        )
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert_eq!(dry.valid, 2);
    assert_eq!(env.counter("invitationsCreated").await, 0);
    let results = dir.join("r.csv");
    let _ = std::fs::remove_file(&results);
    let mut run = client
        .bulk_invite(
            &p,
            BulkOptions {
                results: Some(results.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    let mut outcomes = vec![];
    while let Some(r) = run.next().await {
        let r = r.unwrap();
        assert_eq!(r.outcome, Outcome::Invited, "{r:?}");
        assert!(r
            .redeem_url
            .as_deref()
            .unwrap_or("")
            .starts_with("https://login.microsoftonline.com/redeem"));
        outcomes.push(r.email);
    }
    outcomes.sort();
    assert_eq!(outcomes, vec!["ana@fabrikam.com", "luc@litware.com"]);
    let outbox = env.control("GET", "outbox", None).await;
    let sent: Vec<_> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["to"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        sent,
        vec!["ana@fabrikam.com"],
        "only the row with sendEmail TRUE gets an email"
    );
    assert!(outbox[0]["customizedMessageBody"]
        .as_str()
        .unwrap()
        .contains("bienvenue"));
    env.emu.stop().await;
}

#[tokio::test]
async fn malformed_input_is_refused_up_front() {
    let env = Env::start().await;
    let dir = tmp("bad");
    let p = dir.join("bad.csv");
    std::fs::write(&p, "name,phone\nx,y\n").unwrap();
    let e = env
        .client()
        .bulk_invite(&p, BulkOptions::default())
        .unwrap()
        .finish()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), entra_invite::ErrorKind::InvalidInput);
    assert_eq!(e.field(), Some("csv"));
    let e = env
        .client()
        .bulk_invite(dir.join("missing.csv"), BulkOptions::default())
        .err()
        .unwrap();
    assert_eq!(e.field(), Some("input"));
    assert_eq!(env.counter("totalRequests").await, 0);
    env.emu.stop().await;
}

#[tokio::test]
async fn a_failed_row_that_graph_may_have_created_is_looked_up_before_any_resend() {
    let env = Env::start().await;
    let dir = tmp("doubt");
    let input = dir.join("in.csv");
    std::fs::write(
        &input,
        "invitedUserEmailAddress,inviteRedirectUrl,sendInvitationMessage\nlagging@fabrikam.com,https://myapps.microsoft.com/,false\n",
    )
    .unwrap();
    let results = dir.join("results.csv");
    let _ = std::fs::remove_file(&results);
    let client = unpaced(&env);
    // Graph creates the guest but its answer (with the redeem URL) is unreadable, and queries
    // lag behind longer than this run waits for them: the row is failed, never resent.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 201, "actFirst": true, "body": "{not json"}], "replicationLagMs": 4000})).await;
    let opts = || BulkOptions {
        skip_existing: false,
        results: Some(results.clone()),
        settle_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    };
    let first = client
        .bulk_invite(&input, opts())
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert_eq!(first.failed, 1, "{first:?}");
    tokio::time::sleep(std::time::Duration::from_millis(4200)).await;
    // The next run, even without skip_existing, looks the failed row up instead of resending.
    let second = client
        .bulk_invite(&input, opts())
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert_eq!((second.invited, second.failed), (1, 0), "{second:?}");
    // Found by lookup, then re-invited without an email for its redeem URL: one guest.
    assert_eq!(env.counter("usersCreated").await, 1);
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 2);
    assert_eq!(env.control("GET", "outbox", None).await, json!([]));

    // With the default wait, one run settles it: the guest shows up within the wait.
    let env = Env::start().await;
    let results = dir.join("results-one-run.csv");
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 201, "actFirst": true, "body": "{not json"}], "replicationLagMs": 2000})).await;
    let s = unpaced(&env)
        .bulk_invite(
            &input,
            BulkOptions {
                results: Some(results.clone()),
                ..Default::default()
            },
        )
        .unwrap()
        .finish()
        .await
        .unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert_eq!(env.counter("usersCreated").await, 1);
    env.emu.stop().await;
}
