//! Retry-After in every form, never retried early; POST /invitations never blindly resent.

mod common;

use std::time::{Duration, Instant};

use entra_invite::{ErrorKind, InvitationRequest, InviteOutcome};
use serde_json::json;

use common::Env;

fn req(email: &str) -> InvitationRequest {
    InvitationRequest::new(email, "https://myapps.microsoft.com/")
}

#[tokio::test]
async fn every_retry_after_form_is_honoured_never_early() {
    let env = Env::start().await;
    let client = env.client();
    for (i, form) in ["integer", "decimal", "httpDate", "pair"]
        .iter()
        .enumerate()
    {
        env.faults(json!({"throttle": {"invitations": {"limit": 1, "windowMs": 1500}, "retryAfter": form}})).await;
        let t0 = Instant::now();
        for j in 0..2 {
            client
                .invite(&req(&format!("ra{i}x{j}@fabrikam.com")))
                .await
                .unwrap_or_else(|e| panic!("{form}: {e}"));
        }
        // The second call had to wait out the bucket: some time must have passed.
        assert!(
            t0.elapsed() >= Duration::from_millis(500),
            "{form}: no wait at all"
        );
        assert_eq!(
            env.counter("earlyRetries").await,
            0,
            "{form}: retried before Retry-After"
        );
    }
    assert!(env.route_count("POST /v1.0/invitations").await >= 8);
    env.emu.stop().await;
}

#[tokio::test]
async fn throttled_without_retry_after_backs_off_and_succeeds() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 429, "times": 2}]})).await;
    let inv = env
        .client()
        .invite(&req("backoff@fabrikam.com"))
        .await
        .unwrap();
    assert_eq!(inv.status.as_deref(), Some("PendingAcceptance"));
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn a_503_on_invite_is_not_resent() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 1, "actFirst": true}]})).await;
    let e = env
        .client()
        .invite(&req("once@fabrikam.com"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert!(
        e.maybe_applied(),
        "the caller must be told the invitation may exist"
    );
    assert_eq!(
        env.route_count("POST /v1.0/invitations").await,
        1,
        "resent a non-idempotent POST"
    );
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn invite_if_absent_resolves_an_ambiguous_failure_by_lookup() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 1, "actFirst": true}]})).await;
    let out = env
        .client()
        .invite_if_absent(&req("ambiguous@fabrikam.com"))
        .await
        .unwrap();
    match out {
        InviteOutcome::Existing(u) => assert_eq!(u.mail.as_deref(), Some("ambiguous@fabrikam.com")),
        other => panic!("expected the created guest to be found, got {other:?}"),
    }
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 1);
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn invite_if_absent_resends_when_nothing_was_created() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 1, "actFirst": false}]})).await;
    let out = env
        .client()
        .invite_if_absent(&req("notcreated@fabrikam.com"))
        .await
        .unwrap();
    assert!(matches!(out, InviteOutcome::Invited(_)), "{out:?}");
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn dropped_connection_on_invite_is_ambiguous_not_resent() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "drop": true, "times": 1, "actFirst": true}]})).await;
    let e = env
        .client()
        .invite(&req("dropped@fabrikam.com"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.maybe_applied());
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn reads_are_retried_through_5xx() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "GET", "pathContains": "/users", "status": 500, "times": 2}]})).await;
    let l = env.client().lookup("nobody@fabrikam.com").await.unwrap();
    assert!(!l.exists());
    env.emu.stop().await;
}

#[tokio::test]
async fn slow_answers_time_out() {
    let env = Env::start().await;
    env.faults(json!({"latencyMs": {"min": 1500, "max": 1500}}))
        .await;
    let mut s = env.settings();
    s.timeout = Some(Duration::from_millis(300));
    s.max_retries = Some(0);
    let e = s
        .build()
        .unwrap()
        .lookup("slow@fabrikam.com")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    env.emu.stop().await;
}

#[tokio::test]
async fn invite_if_absent_never_resends_what_graph_answered_2xx() {
    let env = Env::start().await;
    // Graph created the guest (201) but the body is unreadable, and queries lag behind.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 201, "actFirst": true, "body": "{not json"}], "replicationLagMs": 5000})).await;
    let e = env
        .client()
        .invite_if_absent(&req("lagging@fabrikam.com"))
        .await
        .unwrap_err();
    assert!(e.maybe_applied(), "{e}");
    assert_eq!(e.status(), Some(201), "{e}");
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 1, "resent");
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}
