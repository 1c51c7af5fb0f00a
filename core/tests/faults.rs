//! The fault matrix: each injected fault, its expected outcome, and the emulator's counters
//! proving no early retry and no duplicate invitation.

mod common;

use std::time::{Duration, Instant};

use entra_invite::{Credential, ErrorKind, InvitationRequest, InviteOutcome, Settings};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::Env;

fn req(email: &str) -> InvitationRequest {
    InvitationRequest::new(email, "https://myapps.microsoft.com/")
}

async fn no_early_retries(env: &Env) {
    assert_eq!(
        env.counter("earlyRetries").await,
        0,
        "a retry came before Retry-After"
    );
}

#[tokio::test]
async fn gets_retry_through_503_and_504_with_and_without_retry_after() {
    let env = Env::start().await;
    let c = env.client();
    for (status, ra) in [
        (503, Some("1")),
        (503, None),
        (504, Some("1")),
        (504, None),
        (502, None),
    ] {
        let mut f =
            json!({"method": "GET", "pathContains": "/users", "status": status, "times": 2});
        if let Some(ra) = ra {
            f["retryAfter"] = json!(ra);
        }
        env.faults(json!({ "scripted": [f] })).await;
        let t0 = Instant::now();
        let st = c.lookup("nobody@fabrikam.com").await;
        assert!(st.is_ok(), "{status} {ra:?}: {st:?}");
        if ra.is_some() {
            assert!(
                t0.elapsed() >= Duration::from_secs(2),
                "{status}: Retry-After not waited out"
            );
        }
    }
    no_early_retries(&env).await;
    env.emu.stop().await;
}

#[tokio::test]
async fn a_500_on_post_is_surfaced_not_resent() {
    let env = Env::start().await;
    env.faults(
        json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 500}]}),
    )
    .await;
    let e = env
        .client()
        .invite(&req("p500@fabrikam.com"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert!(e.maybe_applied());
    assert_eq!(env.route_count("POST /v1.0/invitations").await, 1);
    env.emu.stop().await;
}

#[tokio::test]
async fn drops_before_and_after_the_server_acted() {
    let env = Env::start().await;
    let c = env.client();
    // Dropped before acting: invite_if_absent finds nothing and sends once more.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "drop": true, "actFirst": false}]})).await;
    assert!(matches!(
        c.invite_if_absent(&req("before@fabrikam.com"))
            .await
            .unwrap(),
        InviteOutcome::Invited(_)
    ));
    // Dropped after acting: found by lookup, not sent again.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "drop": true, "actFirst": true}]})).await;
    assert!(matches!(
        c.invite_if_absent(&req("after@fabrikam.com"))
            .await
            .unwrap(),
        InviteOutcome::Existing(_)
    ));
    // Cut mid-response (truncated JSON) after acting: same.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "dropMidResponse": true}]})).await;
    assert!(matches!(
        c.invite_if_absent(&req("mid@fabrikam.com")).await.unwrap(),
        InviteOutcome::Existing(_)
    ));
    // A plain invite reports the cut answer as ambiguous.
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "dropMidResponse": true}]})).await;
    let e = c.invite(&req("mid2@fabrikam.com")).await.unwrap_err();
    assert!(e.maybe_applied(), "{e}");
    // Reads are simply retried.
    env.faults(json!({"scripted": [{"method": "GET", "pathContains": "/users", "drop": true, "times": 2}]})).await;
    c.lookup("nobody@fabrikam.com").await.unwrap();
    assert_eq!(
        env.counter("invitationsCreated").await,
        4,
        "one invitation per address"
    );
    no_early_retries(&env).await;
    env.emu.stop().await;
}

#[tokio::test]
async fn token_expiry_mid_run_is_refreshed() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-00000000beef";
    env.control("POST", "apps", Some(json!({"clientId": id, "clientSecret": "short-lived-secret", "roles": ["User.Invite.All", "User.Read.All"], "tokenLifetimeSecs": 1}))).await;
    let c = Settings {
        tenant: Some("contoso.onmicrosoft.com".into()),
        client_id: Some(id.into()),
        client_secret: Some("short-lived-secret".into()),
        graph_url: Some(env.base.clone()),
        ..Default::default()
    }
    .build()
    .unwrap();
    for i in 0..6 {
        c.invite(&req(&format!("tok{i}@fabrikam.com")))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(450)).await;
    }
    assert!(
        env.counter("tokenRequests").await >= 3,
        "tokens were not refreshed"
    );
    assert_eq!(env.counter("invitationsCreated").await, 6);
    env.emu.stop().await;
}

#[tokio::test]
async fn token_endpoint_failing_or_down() {
    let env = Env::start().await;
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/oauth2/v2.0/token", "status": 503, "times": 2}]})).await;
    // Two failures are retried through.
    env.client().lookup("a@fabrikam.com").await.unwrap();
    env.faults(json!({"scripted": [{"method": "POST", "pathContains": "/oauth2/v2.0/token", "status": 503, "times": 10}]})).await;
    let e = env.client().lookup("a@fabrikam.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    // Nothing listening at all.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut s = env.settings();
    s.authority_url = Some(format!("http://127.0.0.1:{port}"));
    let e = s
        .build()
        .unwrap()
        .lookup("a@fabrikam.com")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    env.emu.stop().await;
}

/// A server answering every request with `body` (status 200).
async fn fake_graph(body: &'static str) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let resp = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = s.write_all(resp.as_bytes()).await;
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn malformed_json_is_a_protocol_error() {
    for body in ["{not json", "{\"value\": [", "[]", "{\"value\": 5}"] {
        let url = fake_graph(body).await;
        let c = entra_invite::Client::builder()
            .credential(Credential::access_token("t"))
            .graph_url(&url)
            .build()
            .unwrap();
        let e = c.status("0b6d4c1e-1d1e-4a4b-9c9c-000000000000").await;
        let e2 = c.guests(None).next_page().await;
        assert_eq!(e.unwrap_err().kind(), ErrorKind::Protocol, "{body}");
        let e2 = e2.unwrap_err();
        assert_eq!(e2.kind(), ErrorKind::Protocol, "{body}: {e2}");
    }
}
