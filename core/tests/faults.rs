//! The fault matrix: each injected fault, its expected outcome, and the emulator's counters
//! proving no early retry and no duplicate invitation.

mod common;

use std::time::{Duration, Instant};

use entra_invite::{Credential, ErrorKind, Settings};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::{app_settings, lookup_err, on_invite, req, scripted, Env};

/// Ends a test: no retry may have come before its Retry-After.
async fn stop_with_no_early_retries(env: Env) {
    assert_eq!(
        env.counter("earlyRetries").await,
        0,
        "a retry came before Retry-After"
    );
    env.emu.stop().await;
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
        let mut rule = json!({"status": status, "times": 2});
        if let Some(ra) = ra {
            rule["retryAfter"] = json!(ra);
        }
        env.faults(scripted("GET", "/users", rule)).await;
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
    stop_with_no_early_retries(env).await;
}

#[tokio::test]
async fn drops_before_and_after_the_server_acted() {
    let env = Env::start().await;
    let c = env.client();
    for (fault, email, sent_again) in [
        // Dropped before acting: invite_if_absent finds nothing and sends once more.
        (
            json!({"drop": true, "actFirst": false}),
            "before@fabrikam.com",
            true,
        ),
        // Dropped after acting: found by lookup, not sent again.
        (
            json!({"drop": true, "actFirst": true}),
            "after@fabrikam.com",
            false,
        ),
        // Cut mid-response (truncated JSON) after acting: same.
        (json!({"dropMidResponse": true}), "mid@fabrikam.com", false),
    ] {
        env.faults(on_invite(fault)).await;
        let out = c.invite_if_absent(&req(email)).await.unwrap();
        assert_eq!(out.invited, sent_again, "{email}: {out:?}");
    }
    // A plain invite reports the cut answer as ambiguous.
    env.faults(on_invite(json!({"dropMidResponse": true})))
        .await;
    let e = c.invite(&req("mid2@fabrikam.com")).await.unwrap_err();
    assert!(e.maybe_applied(), "{e}");
    // Reads are simply retried.
    env.faults(scripted("GET", "/users", json!({"drop": true, "times": 2})))
        .await;
    c.lookup("nobody@fabrikam.com").await.unwrap();
    assert_eq!(
        env.counter("invitationsCreated").await,
        4,
        "one invitation per address"
    );
    stop_with_no_early_retries(env).await;
}

#[tokio::test]
async fn token_expiry_mid_run_is_refreshed() {
    let env = Env::start().await;
    let id = "aaaaaaaa-0000-0000-0000-00000000beef";
    env.add_app(json!({"clientId": id, "clientSecret": "short-lived-secret", "roles": ["User.Invite.All", "User.Read.All"], "tokenLifetimeSecs": 1})).await;
    let c = app_settings(&env.base, id, "short-lived-secret")
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
    let token_503 = |times: u32| {
        scripted(
            "POST",
            "/oauth2/v2.0/token",
            json!({"status": 503, "times": times}),
        )
    };
    // Two failures are retried through.
    let env = Env::with_faults(token_503(2)).await;
    env.client().lookup("a@fabrikam.com").await.unwrap();
    env.faults(token_503(10)).await;
    let e = env.client().lookup("a@fabrikam.com").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    // Nothing listening at all.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let e = lookup_err(Settings {
        authority_url: Some(format!("http://127.0.0.1:{port}")),
        ..env.settings()
    })
    .await;
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
