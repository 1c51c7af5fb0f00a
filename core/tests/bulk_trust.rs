//! Bulk as users really run it, mistakes included: the input named as the results, a results
//! file reused for another input, a fixed row re-run, two runs on one file, answers lost after
//! Graph acted, a journal cut by a crash, formulas in the input.

mod common;

use std::path::Path;
use std::time::Duration;

use entra_invite::{BulkOptions, ErrorKind};
use serde_json::json;

use common::{
    csv_of, fresh_dir, numbered, on_invite, req, results_to, run, unreadable_201, Bulk, Env, HEAD,
};

#[tokio::test]
async fn the_input_is_never_the_results_nor_overwritten() {
    let env = Env::start().await;
    let d = &fresh_dir("trust-files");
    let input = d.join("partners.tmp");
    let text = csv_of(&["ann@fabrikam.com", "bob@fabrikam.com"]);
    std::fs::write(&input, &text).unwrap();
    let client = &env.unpaced();

    // The same file, also spelt another way and through a hard link.
    std::fs::hard_link(&input, d.join("link.csv")).unwrap();
    for same in [
        input.clone(),
        d.join(".").join("partners.tmp"),
        d.join("link.csv"),
    ] {
        let e = run(client, &input, results_to(&same)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("results"), "{e}");
        assert!(e.message().contains("input"), "{e}");
    }
    // A CSV of the user's own at the results path is left alone.
    let theirs = d.join("partners.csv");
    std::fs::write(&theirs, "name,phone\nAnn,555\n").unwrap();
    let e = run(client, &input, results_to(&theirs)).await.unwrap_err();
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
    let e = run(client, &input, results_to(&folder)).await.unwrap_err();
    assert!(e.message().contains("folder"), "{e}");
    assert_eq!(
        env.counter("totalRequests").await,
        0,
        "refused before sending"
    );

    // `partners.tmp` in, `partners2.csv` out: the input survives byte for byte, and no
    // temporary file is left behind.
    let results = d.join("partners2.csv");
    let s = run(client, &input, results_to(&results)).await.unwrap();
    assert_eq!(s.invited, 2);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    let mut names: Vec<String> = std::fs::read_dir(d)
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
    let (ann, bob, cy) = ("ann@fabrikam.com", "bob@fabrikam.com", "cy@fabrikam.com");
    let t = Bulk::start("trust-identity", &csv_of(&[ann, "bob@@fabrikam.com", cy])).await;
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!((s.invited, s.invalid), (2, 1), "{s:?}");

    // Fixed in place: the fixed row is invited, the others are not redone.
    std::fs::write(&t.input, csv_of(&[ann, bob, cy])).unwrap();
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!((s.invited, s.invalid, s.resumed), (1, 0, 2), "{s:?}");
    assert_eq!((s.added, s.fixed, s.removed), (1, 1, 0), "{s:?}");
    assert!(s.input_changed);

    // A row inserted at the top shifts every other row: only the new one is invited.
    std::fs::write(&t.input, csv_of(&["new@fabrikam.com", ann, bob, cy])).unwrap();
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!((s.invited, s.resumed, s.added), (1, 3, 1), "{s:?}");
    assert_eq!(t.counter("usersCreated").await, 4);

    // The same input again: nothing to do, nothing changed.
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!(
        (s.invited, s.resumed, s.added, s.input_changed),
        (0, 4, 0, false),
        "{s:?}"
    );

    // One line per row, numbered as the input is now.
    let l = t.lines();
    let rows: Vec<(&str, &str)> = l.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(
        rows,
        [("2", "new@fabrikam.com"), ("3", ann), ("4", bob), ("5", cy)]
    );
    assert!(
        l.iter()
            .all(|r| r[2] == "invited" && r[4].starts_with("https://")),
        "{l:?}"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_results_file_reused_for_another_input_skips_nobody() {
    // March's run, then April's input with the same results file.
    let t = Bulk::start(
        "trust-reuse",
        &csv_of(&["ann@fabrikam.com", "bob@fabrikam.com"]),
    )
    .await;
    t.run(t.opts()).await.unwrap();
    let april = t.dir.join("april.csv");
    let text = csv_of(&["dan@fabrikam.com", "eve@fabrikam.com", "ann@fabrikam.com"]);
    std::fs::write(&april, text).unwrap();
    let s = run(&t.client, &april, t.opts()).await.unwrap();
    assert_eq!(
        (s.invited, s.resumed, s.added, s.removed),
        (2, 1, 2, 1),
        "{s:?}"
    );
    assert!(s.input_changed);
    assert_eq!(t.counter("usersCreated").await, 4);
    // Bob's line is kept (with no row: he is not in this input), so nothing done is forgotten.
    let l = t.lines();
    assert_eq!(l.len(), 4, "{l:?}");
    assert!(l
        .iter()
        .any(|r| r[0].is_empty() && r[1] == "bob@fabrikam.com" && r[2] == "invited"));
    t.stop().await;
}

/// Two runs of the same input and results file at once (`wait`: the second waits its turn).
async fn two_at_once(
    t: &Bulk,
    results: &Path,
    wait: bool,
) -> [Result<entra_invite::BulkSummary, entra_invite::Error>; 2] {
    let o = || BulkOptions {
        wait,
        ..results_to(results)
    };
    let a = t.client.bulk_invite(&t.input, o()).unwrap();
    let b = t.client.bulk_invite(&t.input, o()).unwrap();
    let (ra, rb) = tokio::join!(a.finish(), b.finish());
    [ra, rb]
}

#[tokio::test]
async fn two_runs_on_one_results_file_never_invite_twice() {
    let t = Bulk::start("trust-concurrent", &csv_of(&numbered("g", 40))).await;
    t.faults(json!({"latencyMs": {"min": 20, "max": 40}})).await;
    let (ok, refused): (Vec<_>, Vec<_>) = two_at_once(&t, &t.results, false)
        .await
        .into_iter()
        .partition(|r| r.is_ok());
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
    let [ra, rb] = two_at_once(&t, &t.dir.join("results2.csv"), true).await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(
        (ra.existing + rb.existing, ra.resumed + rb.resumed),
        (40, 40),
        "{ra:?} {rb:?}"
    );
    assert_eq!(t.counter("usersCreated").await, 40);
    assert_eq!(t.counter("invitationsCreated").await, 40);
    t.stop().await;
}

#[tokio::test]
async fn lost_answers_are_settled_in_the_same_run_with_one_email_and_a_redeem_url() {
    let t = Bulk::start("trust-lost", &format!("{HEAD}mail@fabrikam.com,https://myapps.microsoft.com/,true\nquiet@fabrikam.com,https://myapps.microsoft.com/,false\n")).await;
    // Both invitations are created, then their answers are lost (a 503, a dropped connection),
    // and new guests take 1.5 s to show in queries.
    t.faults(json!({"scripted": [
        {"method": "POST", "pathContains": "/invitations", "status": 503, "actFirst": true},
        {"method": "POST", "pathContains": "/invitations", "drop": true, "actFirst": true}],
        "replicationLagMs": 1500}))
        .await;
    let s = t
        .run(BulkOptions {
            concurrency: 1,
            ..t.no_skip()
        })
        .await
        .unwrap();
    assert_eq!((s.invited, s.failed), (2, 0), "{s:?}");
    assert_eq!(t.counter("usersCreated").await, 2);
    assert_eq!(t.outbox_to().await, ["mail@fabrikam.com"]);
    let l = t.lines();
    let quiet = l.iter().find(|r| r[1] == "quiet@fabrikam.com").unwrap();
    assert!(
        quiet[4].starts_with("https://"),
        "the no-email guest has a redeem URL: {quiet:?}"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_503_storm_is_settled_in_one_run() {
    let t = Bulk::start("trust-storm", &csv_of(&numbered("s", 30))).await;
    // Half the invitations fail with 503 (nothing created), 1 s Retry-After.
    t.faults(json!({"random": [{"rate": 0.5, "statuses": [503], "methods": ["POST"], "pathContains": "/invitations"}], "seed": 7})).await;
    let s = t
        .run(BulkOptions {
            settle_timeout: Duration::from_millis(300),
            ..t.opts()
        })
        .await
        .unwrap();
    assert_eq!((s.invited, s.failed), (30, 0), "{s:?}");
    assert_eq!(t.counter("usersCreated").await, 30);
    assert_eq!(t.counter("earlyRetries").await, 0);
    t.stop().await;
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

/// A bulk test whose one row's guest was invited without an email before it began (an earlier
/// onboarding, or an invitation that went out just before a crash); also that guest's id.
async fn invited_before(name: &str, email: &str, sends: bool) -> (Bulk, String) {
    let t = Bulk::start(
        name,
        &format!("{HEAD}{email},https://myapps.microsoft.com/,{sends}\n"),
    )
    .await;
    let inv = t
        .client
        .invite(&req(email).send_message(false))
        .await
        .unwrap();
    let id = inv.invited_user_id().unwrap().to_string();
    (t, id)
}

#[tokio::test]
async fn a_line_cut_by_a_crash_is_looked_up_never_taken_as_settled_or_unsent() {
    // The invitation went out (no email) before the crash.
    let (t, id) = invited_before("trust-cut", "cut@fabrikam.com", false).await;
    for tail in [
        format!("2,cut@fabrikam.com,invited,{id},https://login.microsoftonline.com/redeem?rd=htt"),
        "2,cut@fabrikam.com,inv".to_string(),
        "2,cut@fabr".to_string(),
    ] {
        crashed_results(&t.results, "cut@fabrikam.com", &tail);
        let before = t.counter("invitationsCreated").await;
        let s = t.run(t.no_skip()).await.unwrap();
        assert_eq!((s.invited, s.resumed, s.failed), (1, 0, 0), "{tail}: {s:?}");
        let l = t.lines();
        assert_eq!(l.len(), 1, "{l:?}");
        assert_eq!(l[0][3], id, "the same guest, found by lookup");
        assert!(
            l[0][4].starts_with("https://") && !l[0][4].ends_with("rd=htt"),
            "a fresh URL: {l:?}"
        );
        // Re-invited once, without an email, for that URL; no new user.
        assert_eq!(t.counter("invitationsCreated").await, before + 1);
    }
    assert_eq!(t.counter("usersCreated").await, 1);
    assert_eq!(t.outbox().await, json!([]));
    t.stop().await;
}

#[tokio::test]
async fn a_no_email_row_settled_without_a_redeem_url_gets_one() {
    let (t, id) = invited_before("trust-nourl", "old@fabrikam.com", false).await;
    // As the previous version wrote it: `invited`, no URL.
    std::fs::write(
        &t.results,
        format!("row,email,outcome,user_id,redeem_url,error_kind,error_code,message,request_id\n2,old@fabrikam.com,invited,{id},,,,the answer was lost,\n"),
    )
    .unwrap();
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert!(t.lines()[0][4].starts_with("https://"));
    assert_eq!(t.outbox().await, json!([]));
    t.stop().await;
}

#[tokio::test]
async fn output_cells_cannot_run_as_formulas_and_huge_text_is_summarised() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let t = Bulk::start(
        "trust-cells",
        &format!(
            "{HEAD}\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",https://myapps.microsoft.com/,false\n\
             +cmd@fabrikam.com,https://myapps.microsoft.com/,false\n\
             -2+3,https://myapps.microsoft.com/,false\n\
             @SUM(A1),https://myapps.microsoft.com/,false\n\
             {huge},https://myapps.microsoft.com/,false\n"
        ),
    )
    .await;
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!(s.invalid, 5, "{s:?}");
    let size = std::fs::metadata(&t.results).unwrap().len();
    assert!(size < 8 * 1024, "the results file is {size} bytes");
    let l = t.lines();
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
    let s = t.run(t.opts()).await.unwrap();
    assert_eq!((s.invalid, s.resumed), (5, 0), "{s:?}");
    t.stop().await;
}

#[tokio::test]
async fn an_invitation_graph_said_it_created_is_never_sent_again() {
    let t = Bulk::start(
        "trust-created",
        &format!("{HEAD}loud@fabrikam.com,https://myapps.microsoft.com/,true\n"),
    )
    .await;
    // Created, answer unreadable, and the guest stays invisible longer than this run waits.
    t.faults(unreadable_201(4000)).await;
    let o = || BulkOptions {
        settle_timeout: Duration::from_millis(500),
        ..t.no_skip()
    };
    let s = t.run(o()).await.unwrap();
    assert_eq!(
        (s.invited, s.failed),
        (1, 0),
        "the email has the link: {s:?}"
    );
    // Re-run at once, the guest still invisible: nothing is sent again.
    let s = t.run(o()).await.unwrap();
    assert_eq!((s.resumed, s.invited), (1, 0), "{s:?}");
    assert_eq!(t.route_count("POST /v1.0/invitations").await, 1);
    assert_eq!(t.outbox_to().await, ["loud@fabrikam.com"]);
    t.stop().await;
}

#[tokio::test]
async fn a_refused_invitation_is_sent_again_not_taken_for_a_lost_one() {
    // A guest from an earlier onboarding, re-invited on purpose (--no-skip-existing).
    let (t, _) = invited_before("trust-refused", "back@fabrikam.com", true).await;
    t.faults(on_invite(json!({"status": 400}))).await;
    let s = t.run(t.no_skip()).await.unwrap();
    assert_eq!(s.failed, 1, "{s:?}");
    // Graph refused it, so nothing is pending: the re-run sends it (and the guest gets the
    // email), rather than finding the old guest and calling the row invited.
    let s = t.run(t.no_skip()).await.unwrap();
    assert_eq!((s.invited, s.failed), (1, 0), "{s:?}");
    assert_eq!(t.outbox_to().await, ["back@fabrikam.com"]);
    t.stop().await;
}

#[tokio::test]
async fn odd_settings_and_files_are_refused_before_anything_is_sent() {
    let t = Bulk::start("trust-odd", &csv_of(&["ann@fabrikam.com"])).await;
    let e = t
        .run(BulkOptions {
            settle_timeout: Duration::from_secs(10_u64.pow(12)),
            ..t.opts()
        })
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("settle_timeout"), "{e}");
    // A file of the user's own where the lock goes.
    let lock = t.dir.join("results.csv.lock");
    std::fs::write(&lock, "my notes\n").unwrap();
    let e = t.run(t.opts()).await.unwrap_err();
    assert!(e.message().contains("not an entra-invite lock file"), "{e}");
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), "my notes\n");
    assert_eq!(t.counter("totalRequests").await, 0);
    t.stop().await;
}
