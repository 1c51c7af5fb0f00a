//! Bulk as users really run it, mistakes included: the input named as the results, a results
//! file reused for another input, a fixed row re-run, two runs on one file, answers lost after
//! Graph acted, a journal cut by a crash, formulas in the input.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use entra_invite::{BulkOptions, BulkSummary, Client, ErrorKind};
use serde_json::{json, Value};

use common::Env;

const HEAD: &str = "invitedUserEmailAddress,inviteRedirectUrl,sendInvitationMessage\n";

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ei-trust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn csv_of(rows: &[&str]) -> String {
    let mut s = HEAD.to_string();
    for r in rows {
        s.push_str(&format!("{r},https://myapps.microsoft.com/,false\n"));
    }
    s
}

fn unpaced(env: &Env) -> Client {
    env.settings()
        .into_builder()
        .unwrap()
        .invitation_pacing(None)
        .build()
        .unwrap()
}

fn opts(results: &Path) -> BulkOptions {
    BulkOptions {
        results: Some(results.to_path_buf()),
        ..Default::default()
    }
}

async fn run(
    client: &Client,
    input: &Path,
    o: BulkOptions,
) -> Result<BulkSummary, entra_invite::Error> {
    client.bulk_invite(input, o)?.finish().await
}

/// The results file's lines as (row, email, outcome, user_id, redeem_url, message).
fn lines(results: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(results).unwrap();
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A guest invited without an email, outside any bulk run (an earlier onboarding, or an
/// invitation that went out just before a crash).
async fn invited_quietly(client: &Client, email: &str) -> entra_invite::Invitation {
    client
        .invite(
            &entra_invite::InvitationRequest::new(email, "https://myapps.microsoft.com/")
                .send_message(false),
        )
        .await
        .unwrap()
}

fn outbox_to(outbox: &Value) -> Vec<String> {
    let mut v: Vec<String> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["to"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_input_is_never_the_results_nor_overwritten() {
    let env = Env::start().await;
    let d = dir("files");
    let input = d.join("partners.tmp");
    let text = csv_of(&["ann@fabrikam.com", "bob@fabrikam.com"]);
    std::fs::write(&input, &text).unwrap();
    let client = unpaced(&env);

    // The same file, also spelt another way and through a hard link.
    std::fs::hard_link(&input, d.join("link.csv")).unwrap();
    for same in [
        input.clone(),
        d.join(".").join("partners.tmp"),
        d.join("link.csv"),
    ] {
        let e = run(&client, &input, opts(&same)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("results"), "{e}");
        assert!(e.message().contains("input"), "{e}");
    }
    // A CSV of the user's own at the results path is left alone.
    let theirs = d.join("partners.csv");
    std::fs::write(&theirs, "name,phone\nAnn,555\n").unwrap();
    let e = run(&client, &input, opts(&theirs)).await.unwrap_err();
    assert!(
        e.message().contains("not an entra-invite results file"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "name,phone\nAnn,555\n"
    );
    // A folder as the results: refused, and nothing left beside it.
    let folder = d.join("out");
    std::fs::create_dir(&folder).unwrap();
    let e = run(&client, &input, opts(&folder)).await.unwrap_err();
    assert!(e.message().contains("folder"), "{e}");
    assert_eq!(
        env.counter("totalRequests").await,
        0,
        "refused before sending"
    );

    // `partners.tmp` in, `partners2.csv` out: the input survives byte for byte, and no
    // temporary file is left behind.
    let results = d.join("partners2.csv");
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!(s.invited, 2);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let mut names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "link.csv",
            "out",
            "partners.csv",
            "partners.tmp",
            "partners2.csv",
            "partners2.csv.lock"
        ]
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn rows_are_known_by_address_fixed_and_inserted_rows_are_invited() {
    let env = Env::start().await;
    let d = dir("identity");
    let input = d.join("in.csv");
    let results = d.join("results.csv");
    let client = unpaced(&env);
    std::fs::write(
        &input,
        csv_of(&["ann@fabrikam.com", "bob@@fabrikam.com", "cy@fabrikam.com"]),
    )
    .unwrap();
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!((s.invited, s.invalid), (2, 1), "{s:?}");

    // Fixed in place: the fixed row is invited, the others are not redone.
    std::fs::write(
        &input,
        csv_of(&["ann@fabrikam.com", "bob@fabrikam.com", "cy@fabrikam.com"]),
    )
    .unwrap();
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!((s.invited, s.invalid, s.resumed), (1, 0, 2), "{s:?}");
    assert_eq!((s.added, s.fixed, s.removed), (1, 1, 0), "{s:?}");
    assert!(s.input_changed);

    // A row inserted at the top shifts every other row: only the new one is invited.
    std::fs::write(
        &input,
        csv_of(&[
            "new@fabrikam.com",
            "ann@fabrikam.com",
            "bob@fabrikam.com",
            "cy@fabrikam.com",
        ]),
    )
    .unwrap();
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!((s.invited, s.resumed, s.added), (1, 3, 1), "{s:?}");
    assert_eq!(env.counter("usersCreated").await, 4);

    // The same input again: nothing to do, nothing changed.
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!(
        (s.invited, s.resumed, s.added, s.input_changed),
        (0, 4, 0, false),
        "{s:?}"
    );

    // One line per row, numbered as the input is now.
    let l = lines(&results);
    let rows: Vec<(&str, &str)> = l.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(
        rows,
        [
            ("2", "new@fabrikam.com"),
            ("3", "ann@fabrikam.com"),
            ("4", "bob@fabrikam.com"),
            ("5", "cy@fabrikam.com")
        ]
    );
    assert!(
        l.iter()
            .all(|r| r[2] == "invited" && r[4].starts_with("https://")),
        "{l:?}"
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn a_results_file_reused_for_another_input_skips_nobody() {
    let env = Env::start().await;
    let d = dir("reuse");
    let results = d.join("results.csv");
    let client = unpaced(&env);
    let first = d.join("march.csv");
    std::fs::write(&first, csv_of(&["ann@fabrikam.com", "bob@fabrikam.com"])).unwrap();
    run(&client, &first, opts(&results)).await.unwrap();
    let second = d.join("april.csv");
    std::fs::write(
        &second,
        csv_of(&["dan@fabrikam.com", "eve@fabrikam.com", "ann@fabrikam.com"]),
    )
    .unwrap();
    let s = run(&client, &second, opts(&results)).await.unwrap();
    assert_eq!(
        (s.invited, s.resumed, s.added, s.removed),
        (2, 1, 2, 1),
        "{s:?}"
    );
    assert!(s.input_changed);
    assert_eq!(env.counter("usersCreated").await, 4);
    // Bob's line is kept (with no row: he is not in this input), so nothing done is forgotten.
    let l = lines(&results);
    assert_eq!(l.len(), 4, "{l:?}");
    assert!(l
        .iter()
        .any(|r| r[0].is_empty() && r[1] == "bob@fabrikam.com" && r[2] == "invited"));
    env.emu.stop().await;
}

#[tokio::test]
async fn two_runs_on_one_results_file_never_invite_twice() {
    let env = Env::start().await;
    let d = dir("concurrent");
    let input = d.join("in.csv");
    let emails: Vec<String> = (0..40).map(|i| format!("g{i}@fabrikam.com")).collect();
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    std::fs::write(&input, csv_of(&refs)).unwrap();
    let results = d.join("results.csv");
    env.faults(json!({"latencyMs": {"min": 20, "max": 40}}))
        .await;
    let client = unpaced(&env);
    let a = client.bulk_invite(&input, opts(&results)).unwrap();
    let b = client.bulk_invite(&input, opts(&results)).unwrap();
    let (ra, rb) = tokio::join!(a.finish(), b.finish());
    let (ok, refused): (Vec<_>, Vec<_>) = [ra, rb].into_iter().partition(|r| r.is_ok());
    assert_eq!((ok.len(), refused.len()), (1, 1));
    let e = refused.into_iter().next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("results"))
    );
    assert!(
        e.message().contains("in use by entra-invite bulk (process"),
        "{e}"
    );
    // Waiting instead: the second run starts when the first is done, and has nothing to do.
    let results = d.join("results2.csv");
    let a = client
        .bulk_invite(
            &input,
            BulkOptions {
                wait: true,
                ..opts(&results)
            },
        )
        .unwrap();
    let b = client
        .bulk_invite(
            &input,
            BulkOptions {
                wait: true,
                ..opts(&results)
            },
        )
        .unwrap();
    let (ra, rb) = tokio::join!(a.finish(), b.finish());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(
        (ra.existing + rb.existing, ra.resumed + rb.resumed),
        (40, 40),
        "{ra:?} {rb:?}"
    );
    assert_eq!(env.counter("usersCreated").await, 40);
    assert_eq!(env.counter("invitationsCreated").await, 40);
    env.emu.stop().await;
}

#[tokio::test]
async fn lost_answers_are_settled_in_the_same_run_with_one_email_and_a_redeem_url() {
    let env = Env::start().await;
    let d = dir("lost");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        format!("{HEAD}mail@fabrikam.com,https://myapps.microsoft.com/,true\nquiet@fabrikam.com,https://myapps.microsoft.com/,false\n"),
    )
    .unwrap();
    let results = d.join("results.csv");
    // Both invitations are created, then their answers are lost (a 503, a dropped connection),
    // and new guests take 1.5 s to show in queries.
    env.faults(json!({"scripted": [
        {"method": "POST", "pathContains": "/invitations", "status": 503, "actFirst": true},
        {"method": "POST", "pathContains": "/invitations", "drop": true, "actFirst": true}],
        "replicationLagMs": 1500}))
        .await;
    let client = Client::clone(&unpaced(&env));
    let s = run(
        &client,
        &input,
        BulkOptions {
            skip_existing: false,
            concurrency: 1,
            ..opts(&results)
        },
    )
    .await
    .unwrap();
    assert_eq!((s.invited, s.failed), (2, 0), "{s:?}");
    assert_eq!(env.counter("usersCreated").await, 2);
    assert_eq!(
        outbox_to(&env.control("GET", "outbox", None).await),
        ["mail@fabrikam.com"]
    );
    let l = lines(&results);
    let quiet = l.iter().find(|r| r[1] == "quiet@fabrikam.com").unwrap();
    assert!(
        quiet[4].starts_with("https://"),
        "the no-email guest has a redeem URL: {quiet:?}"
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn a_503_storm_is_settled_in_one_run() {
    let env = Env::start().await;
    let d = dir("storm");
    let input = d.join("in.csv");
    let emails: Vec<String> = (0..30).map(|i| format!("s{i}@fabrikam.com")).collect();
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    std::fs::write(&input, csv_of(&refs)).unwrap();
    let results = d.join("results.csv");
    // Half the invitations fail with 503 (nothing created), 1 s Retry-After.
    env.faults(json!({"random": [{"rate": 0.5, "statuses": [503], "methods": ["POST"], "pathContains": "/invitations"}], "seed": 7})).await;
    let s = run(
        &unpaced(&env),
        &input,
        BulkOptions {
            settle_timeout: Duration::from_millis(300),
            ..opts(&results)
        },
    )
    .await
    .unwrap();
    assert_eq!((s.invited, s.failed), (30, 0), "{s:?}");
    assert_eq!(env.counter("usersCreated").await, 30);
    assert_eq!(env.counter("earlyRetries").await, 0);
    env.emu.stop().await;
}

/// Writes a results file as a crash would leave it: a `sending` line, then a final line cut
/// short (no line break).
fn crashed_results(path: &Path, email: &str, cut_tail: &str) {
    std::fs::write(
        path,
        format!(
            "row,email,outcome,user_id,redeem_url,error_kind,error_code,message,request_id,sent_at,input\n\
             2,{email},sending,,,,,,,2020-01-01T00:00:00Z,\n{cut_tail}"
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn a_line_cut_by_a_crash_is_looked_up_never_taken_as_settled_or_unsent() {
    let env = Env::start().await;
    let d = dir("cut");
    let client = unpaced(&env);
    let input = d.join("in.csv");
    std::fs::write(&input, csv_of(&["cut@fabrikam.com"])).unwrap();
    // The invitation went out (no email) before the crash.
    let inv = invited_quietly(&client, "cut@fabrikam.com").await;
    let id = inv.invited_user_id().unwrap().to_string();
    for tail in [
        format!("2,cut@fabrikam.com,invited,{id},https://login.microsoftonline.com/redeem?rd=htt"),
        "2,cut@fabrikam.com,inv".to_string(),
        "2,cut@fabr".to_string(),
    ] {
        let results = d.join("results.csv");
        crashed_results(&results, "cut@fabrikam.com", &tail);
        let before = env.counter("invitationsCreated").await;
        let s = run(
            &client,
            &input,
            BulkOptions {
                skip_existing: false,
                ..opts(&results)
            },
        )
        .await
        .unwrap();
        assert_eq!((s.invited, s.resumed, s.failed), (1, 0, 0), "{tail}: {s:?}");
        let l = lines(&results);
        assert_eq!(l.len(), 1, "{l:?}");
        assert_eq!(l[0][3], id, "the same guest, found by lookup");
        assert!(
            l[0][4].starts_with("https://") && !l[0][4].ends_with("rd=htt"),
            "a fresh URL: {l:?}"
        );
        // Re-invited once, without an email, for that URL; no new user.
        assert_eq!(env.counter("invitationsCreated").await, before + 1);
    }
    assert_eq!(env.counter("usersCreated").await, 1);
    assert_eq!(env.control("GET", "outbox", None).await, json!([]));
    env.emu.stop().await;
}

#[tokio::test]
async fn a_no_email_row_settled_without_a_redeem_url_gets_one() {
    let env = Env::start().await;
    let d = dir("nourl");
    let client = unpaced(&env);
    let input = d.join("in.csv");
    std::fs::write(&input, csv_of(&["old@fabrikam.com"])).unwrap();
    let inv = invited_quietly(&client, "old@fabrikam.com").await;
    let results = d.join("results.csv");
    // As the previous version wrote it: `invited`, no URL.
    std::fs::write(
        &results,
        format!("row,email,outcome,user_id,redeem_url,error_kind,error_code,message,request_id\n2,old@fabrikam.com,invited,{},,,,the answer was lost,\n", inv.invited_user_id().unwrap()),
    )
    .unwrap();
    let s = run(&client, &input, opts(&results)).await.unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert!(lines(&results)[0][4].starts_with("https://"));
    assert_eq!(env.control("GET", "outbox", None).await, json!([]));
    env.emu.stop().await;
}

#[tokio::test]
async fn output_cells_cannot_run_as_formulas_and_huge_text_is_summarised() {
    let env = Env::start().await;
    let d = dir("cells");
    let input = d.join("in.csv");
    let huge = "x".repeat(10 * 1024 * 1024);
    std::fs::write(
        &input,
        format!(
            "{HEAD}\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",https://myapps.microsoft.com/,false\n\
             +cmd@fabrikam.com,https://myapps.microsoft.com/,false\n\
             -2+3,https://myapps.microsoft.com/,false\n\
             @SUM(A1),https://myapps.microsoft.com/,false\n\
             {huge},https://myapps.microsoft.com/,false\n"
        ),
    )
    .unwrap();
    let results = d.join("results.csv");
    let s = run(&unpaced(&env), &input, opts(&results)).await.unwrap();
    assert_eq!(s.invalid, 5, "{s:?}");
    let size = std::fs::metadata(&results).unwrap().len();
    assert!(size < 8 * 1024, "the results file is {size} bytes");
    let l = lines(&results);
    assert_eq!(l.len(), 5, "one line per row, the heading once: {l:?}");
    assert!(l.iter().all(|r| r[0].parse::<u64>().is_ok()), "{l:?}");
    for l in l {
        for cell in &l {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula: {l:?}"
            );
        }
    }
    // Invalid rows are counted on every run, not taken as settled.
    let s = run(&unpaced(&env), &input, opts(&results)).await.unwrap();
    assert_eq!((s.invalid, s.resumed), (5, 0), "{s:?}");
    env.emu.stop().await;
}

#[tokio::test]
async fn an_invitation_graph_said_it_created_is_never_sent_again() {
    let env = Env::start().await;
    let d = dir("created");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        format!("{HEAD}loud@fabrikam.com,https://myapps.microsoft.com/,true\n"),
    )
    .unwrap();
    let results = d.join("results.csv");
    // Created, answer unreadable, and the guest stays invisible longer than this run waits.
    env.faults(
        json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 201,
        "actFirst": true, "body": "{not json"}], "replicationLagMs": 4000}),
    )
    .await;
    let o = || BulkOptions {
        skip_existing: false,
        settle_timeout: Duration::from_millis(500),
        ..opts(&results)
    };
    let client = unpaced(&env);
    let s = run(&client, &input, o()).await.unwrap();
    assert_eq!(
        (s.invited, s.failed),
        (1, 0),
        "the email has the link: {s:?}"
    );
    // Re-run at once, the guest still invisible: nothing is sent again.
    let s = run(&client, &input, o()).await.unwrap();
    assert_eq!((s.resumed, s.invited), (1, 0), "{s:?}");
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 1);
    assert_eq!(
        outbox_to(&env.control("GET", "outbox", None).await),
        ["loud@fabrikam.com"]
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn a_refused_invitation_is_sent_again_not_taken_for_a_lost_one() {
    let env = Env::start().await;
    let d = dir("refused");
    let client = unpaced(&env);
    // A guest from an earlier onboarding, re-invited on purpose (--no-skip-existing).
    invited_quietly(&client, "back@fabrikam.com").await;
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        format!("{HEAD}back@fabrikam.com,https://myapps.microsoft.com/,true\n"),
    )
    .unwrap();
    let results = d.join("results.csv");
    env.faults(
        json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 400}]}),
    )
    .await;
    let o = || BulkOptions {
        skip_existing: false,
        ..opts(&results)
    };
    let s = run(&client, &input, o()).await.unwrap();
    assert_eq!(s.failed, 1, "{s:?}");
    // Graph refused it, so nothing is pending: the re-run sends it (and the guest gets the
    // email), rather than finding the old guest and calling the row invited.
    let s = run(&client, &input, o()).await.unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert_eq!(
        outbox_to(&env.control("GET", "outbox", None).await),
        ["back@fabrikam.com"]
    );
    env.emu.stop().await;
}

#[tokio::test]
async fn odd_settings_and_files_are_refused_before_anything_is_sent() {
    let env = Env::start().await;
    let d = dir("odd");
    let (input, results) = (d.join("in.csv"), d.join("results.csv"));
    std::fs::write(&input, csv_of(&["ann@fabrikam.com"])).unwrap();
    let client = unpaced(&env);
    let e = run(
        &client,
        &input,
        BulkOptions {
            settle_timeout: Duration::from_secs(10_u64.pow(12)),
            ..opts(&results)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("settle_timeout"), "{e}");
    // A file of the user's own where the lock goes.
    std::fs::write(d.join("results.csv.lock"), "my notes\n").unwrap();
    let e = run(&client, &input, opts(&results)).await.unwrap_err();
    assert!(e.message().contains("not an entra-invite lock file"), "{e}");
    assert_eq!(
        std::fs::read_to_string(d.join("results.csv.lock")).unwrap(),
        "my notes\n"
    );
    assert_eq!(env.counter("totalRequests").await, 0);
    env.emu.stop().await;
}
