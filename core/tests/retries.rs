//! Retry-After in every form, never retried early; POST /invitations never blindly resent.

mod common;

use std::time::{Duration, Instant};

use entra_invite::{ErrorKind, Settings};
use serde_json::json;

use common::{lookup_err, on_invite, req, scripted, unreadable_201, Env};

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
    let env = Env::with_faults(on_invite(json!({"status": 429, "times": 2}))).await;
    let inv = env.invite("backoff@fabrikam.com").await.unwrap();
    assert_eq!(inv.status.as_deref(), Some("PendingAcceptance"));
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn a_failed_invite_is_surfaced_as_maybe_applied_never_resent() {
    // (fault on POST /invitations, the error's kind, invitations Graph created)
    for (fault, kind, created) in [
        // A 500 or a 503 on a POST, before or after Graph acted.
        (json!({"status": 500}), ErrorKind::Service, 0),
        (
            json!({"status": 503, "times": 1, "actFirst": true}),
            ErrorKind::Service,
            1,
        ),
        // The connection dropped after Graph acted.
        (
            json!({"drop": true, "times": 1, "actFirst": true}),
            ErrorKind::Network,
            1,
        ),
    ] {
        let env = Env::with_faults(on_invite(fault.clone())).await;
        let e = env.invite("once@fabrikam.com").await.unwrap_err();
        assert_eq!(e.kind(), kind, "{fault}: {e}");
        assert!(
            e.maybe_applied(),
            "{fault}: the caller must be told the invitation may exist"
        );
        assert_eq!(
            env.route_count("POST /v1.0/invitations").await,
            1,
            "{fault}: resent a non-idempotent POST"
        );
        assert_eq!(env.counter("invitationsCreated").await, created, "{fault}");
        env.emu.stop().await;
    }
}

#[tokio::test]
async fn invite_if_absent_resolves_an_ambiguous_failure_by_lookup() {
    // A 503 after Graph acted: the created guest is found, not invited again; a 503 before it
    // acted: nothing is found, and the invitation is sent once more.
    for (acted, email) in [
        (true, "ambiguous@fabrikam.com"),
        (false, "notcreated@fabrikam.com"),
    ] {
        let fault = json!({"status": 503, "times": 1, "actFirst": acted});
        let env = Env::with_faults(on_invite(fault)).await;
        let out = env.invite_if_absent(email).await.unwrap();
        assert_eq!(out.invited, !acted, "{out:?}");
        if acted {
            let u = out
                .user
                .expect("the created guest found, not invited again");
            assert_eq!(u.mail.as_deref(), Some(email));
            assert_eq!(env.route_count("POST /v1.0/invitations").await, 1);
        }
        assert_eq!(env.counter("invitationsCreated").await, 1);
        env.emu.stop().await;
    }
}

#[tokio::test]
async fn reads_are_retried_through_5xx() {
    let env = Env::with_faults(scripted(
        "GET",
        "/users",
        json!({"status": 500, "times": 2}),
    ))
    .await;
    let l = env.client().lookup("nobody@fabrikam.com").await.unwrap();
    assert!(!l.exists);
    env.emu.stop().await;
}

#[tokio::test]
async fn slow_answers_time_out() {
    let env = Env::with_faults(json!({"latencyMs": {"min": 1500, "max": 1500}})).await;
    let e = lookup_err(Settings {
        timeout: Some(Duration::from_millis(300)),
        max_retries: Some(0),
        ..env.settings()
    })
    .await;
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    env.emu.stop().await;
}

#[tokio::test]
async fn invite_if_absent_never_resends_what_graph_answered_2xx() {
    // Graph created the guest (201) but the body is unreadable, and queries lag behind.
    let env = Env::with_faults(unreadable_201(5000)).await;
    let e = env
        .invite_if_absent("lagging@fabrikam.com")
        .await
        .unwrap_err();
    assert!(e.maybe_applied(), "{e}");
    assert_eq!(e.status(), Some(201), "{e}");
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 1, "resent");
    assert_eq!(env.counter("invitationsCreated").await, 1);
    env.emu.stop().await;
}
