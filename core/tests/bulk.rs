//! Bulk runs against the emulator: one result per row, no duplicates, resume after a crash.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use entra_invite::{BulkOptions, BulkOutcome};
use serde_json::json;

use common::{csv_of, results_to, run, unreadable_201, Bulk, Env};

/// 2,000 rows: every 50th invalid, every 40th an existing member's address, every 25th a
/// repeat of an earlier address. Returns the file's text and how many distinct new guests it
/// holds.
fn big_file() -> (String, usize) {
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
    (s, new_guests.len())
}

/// A bulk test on the big file, with the three members it names already in the tenant; also
/// how many new guests the file holds.
async fn big_run(name: &str) -> (Bulk, usize) {
    let (text, distinct_new) = big_file();
    let t = Bulk::start(name, &text).await;
    for m in 0..3 {
        t.add_user(
            json!({"mail": format!("member{m}@fabrikam.com"), "userType": "Member",
                            "userPrincipalName": format!("member{m}@contoso.onmicrosoft.com")}),
        )
        .await;
    }
    (t, distinct_new)
}

/// The results file's outcomes, by row.
fn results_by_row(t: &Bulk) -> HashMap<u64, Vec<String>> {
    let mut m: HashMap<u64, Vec<String>> = HashMap::new();
    for rec in t.lines() {
        m.entry(rec[0].parse().unwrap())
            .or_default()
            .push(rec[2].to_string());
    }
    m
}

#[tokio::test]
async fn two_thousand_rows_one_result_each() {
    let (t, distinct_new) = big_run("bulk-big").await;
    let opts = BulkOptions {
        concurrency: 32,
        ..t.opts()
    };
    let summary = t.run(opts).await.unwrap();
    assert_eq!(summary.done(), 2000, "{summary:?}");
    assert_eq!(summary.failed, 0, "{summary:?}");
    assert_eq!(summary.invalid, 40);
    assert_eq!(summary.invited as usize, distinct_new);
    let by_row = results_by_row(&t);
    assert_eq!(by_row.len(), 2000);
    assert!(
        by_row.values().all(|v| v.len() == 1 && v[0] != "sending"),
        "a row reported twice"
    );
    assert_eq!(
        t.counter("invitationsCreated").await as usize,
        distinct_new,
        "an invitation was sent twice"
    );
    t.stop().await;
}

#[tokio::test]
async fn resume_after_a_crash_sends_nothing_twice() {
    let (t, distinct_new) = big_run("bulk-resume").await;
    // Some answers are lost after Graph acted: those rows must be resolved by lookup.
    t.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 5, "actFirst": true}]})).await;
    let opts = || BulkOptions {
        concurrency: 16,
        ..t.opts()
    };
    let mut run = t.client.bulk_invite(&t.input, opts()).unwrap();
    for _ in 0..700 {
        run.next().await.unwrap().unwrap();
    }
    drop(run); // the crash: rows in flight stay journaled as `sending`
    tokio::time::sleep(Duration::from_millis(200)).await;
    let summary = t.run(opts()).await.unwrap();
    assert!(summary.resumed >= 650, "{summary:?}");
    assert_eq!(summary.failed, 0, "{summary:?}");
    let by_row = results_by_row(&t);
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
        t.counter("usersCreated").await as usize,
        distinct_new,
        "a guest was created twice"
    );
    // No row asks for an email, and every one invited has its redeem URL (lost answers were
    // re-invited without an email for a new one).
    assert_eq!(t.outbox().await, json!([]));
    for rec in t.lines() {
        if rec[2] == "invited" {
            assert!(rec[4].starts_with("https://"), "no redeem URL: {rec:?}");
        }
    }
    t.stop().await;
}

#[tokio::test]
async fn admin_center_template_and_dry_run() {
    let t = Bulk::start(
        "bulk-template",
        "\u{feff}version:v1.0\r\nAdresse e-mail à inviter [inviteeEmail] Obligatoire,URL de redirection [inviteRedirectURL] Obligatoire,Envoyer un message d'invitation (true ou false) [sendEmail],Message d'invitation personnalisé [customizedMessageBody],Nom [inviteeName]\r\n\
         Example: Istokes@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome!,\r\n\
         ana@fabrikam.com,https://myapps.microsoft.com/,TRUE,\"Bonjour Ana,\r\nbienvenue\",Ana\r\n\
         luc@litware.com,https://myapps.microsoft.com/,false,,Luc\r\n",
    )
    .await;
    let dry_run = BulkOptions {
        dry_run: true,
        ..Default::default()
    };
    let dry = t.run(dry_run).await.unwrap();
    assert_eq!(dry.valid, 2);
    assert_eq!(t.counter("invitationsCreated").await, 0);
    let mut run = t.client.bulk_invite(&t.input, t.opts()).unwrap();
    let mut outcomes = vec![];
    while let Some(r) = run.next().await {
        let r = r.unwrap();
        assert_eq!(r.outcome, BulkOutcome::Invited, "{r:?}");
        assert!(r
            .redeem_url
            .as_deref()
            .unwrap_or("")
            .starts_with("https://login.microsoftonline.com/redeem"));
        outcomes.push(r.email);
    }
    outcomes.sort();
    assert_eq!(outcomes, vec!["ana@fabrikam.com", "luc@litware.com"]);
    assert_eq!(
        t.outbox_to().await,
        vec!["ana@fabrikam.com"],
        "only the row with sendEmail TRUE gets an email"
    );
    assert!(t.outbox().await[0]["customizedMessageBody"]
        .as_str()
        .unwrap()
        .contains("bienvenue"));
    t.stop().await;
}

#[tokio::test]
async fn malformed_input_is_refused_up_front() {
    let t = Bulk::start("bulk-bad", "name,phone\nx,y\n").await;
    let e = t.run(BulkOptions::default()).await.unwrap_err();
    assert_eq!(e.kind(), entra_invite::ErrorKind::InvalidInput);
    assert_eq!(e.field(), Some("csv"));
    let missing = t.dir.join("missing.csv");
    let e = t.client.bulk_invite(missing, BulkOptions::default()).err();
    assert_eq!(e.unwrap().field(), Some("input"));
    assert_eq!(t.counter("totalRequests").await, 0);
    t.stop().await;
}

#[tokio::test]
async fn a_failed_row_that_graph_may_have_created_is_looked_up_before_any_resend() {
    let t = Bulk::start("bulk-doubt", &csv_of(&["lagging@fabrikam.com"])).await;
    // Graph creates the guest but its answer (with the redeem URL) is unreadable, and queries
    // lag behind longer than this run waits for them: the row is failed, never resent.
    t.faults(unreadable_201(4000)).await;
    let opts = || BulkOptions {
        settle_timeout: Duration::from_secs(1),
        ..t.no_skip()
    };
    let first = t.run(opts()).await.unwrap();
    assert_eq!(first.failed, 1, "{first:?}");
    tokio::time::sleep(Duration::from_millis(4200)).await;
    // The next run, even without skip_existing, looks the failed row up instead of resending.
    let second = t.run(opts()).await.unwrap();
    assert_eq!((second.invited, second.failed), (1, 0), "{second:?}");
    // Found by lookup, then re-invited without an email for its redeem URL: one guest.
    assert_eq!(t.counter("usersCreated").await, 1);
    assert_eq!(t.route_count("POST /v1.0/invitations").await, 2);
    assert_eq!(t.outbox().await, json!([]));

    // With the default wait, one run settles it: the guest shows up within the wait.
    let env = Env::with_faults(unreadable_201(2000)).await;
    let results = t.dir.join("results-one-run.csv");
    let s = run(&env.unpaced(), &t.input, results_to(&results))
        .await
        .unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert_eq!(env.counter("usersCreated").await, 1);
    env.emu.stop().await;
}
