//! Bad input to the emulator itself gets Graph-shaped errors, never a panic or a hang.

mod common;

use std::time::Duration;

use common::{start, start_signed_in};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// (method, path, optional (content type, body))
type Case = (reqwest::Method, String, Option<(&'static str, String)>);

#[tokio::test]
async fn odd_requests_get_json_errors() {
    let (env, tok) = start_signed_in().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let long_filter = format!("$filter={}", "(".repeat(10_000));
    let cases: Vec<Case> = vec![
        (reqwest::Method::GET, "/v1.0/users/%FF%FE".into(), None),
        (reqwest::Method::GET, "/v1.0/users?$filter=%FF%FE".into(), None),
        (reqwest::Method::GET, format!("/v1.0/users?{long_filter}"), None),
        (reqwest::Method::GET, "/v1.0/users?$select=%00".into(), None),
        (reqwest::Method::GET, "/v1.0/users?$top=99999999999999999999999".into(), None),
        (reqwest::Method::GET, "/v1.0/users?$skiptoken=%F0%9F%92%A9".into(), None),
        (reqwest::Method::POST, "/v1.0/invitations".into(), Some(("application/json", deep.clone()))),
        (reqwest::Method::POST, "/v1.0/$batch".into(), Some(("application/json", deep))),
        (reqwest::Method::POST, "/v1.0/$batch".into(), Some(("application/json", "{\"requests\": 5}".into()))),
        (reqwest::Method::POST, "/v1.0/invitations".into(), Some(("application/json", "null".into()))),
        (reqwest::Method::POST, "/v1.0/invitations".into(), Some(("application/json", "\"x\"".into()))),
        (reqwest::Method::POST, "/v1.0/invitations".into(), Some(("application/json", "{\"invitedUserEmailAddress\": 5, \"inviteRedirectUrl\": []}".into()))),
        (reqwest::Method::POST, "/v1.0/invitations".into(), Some(("application/json", "{\"invitedUserEmailAddress\": \"a@b.com\", \"inviteRedirectUrl\": \"https://x\", \"invitedUserMessageInfo\": {\"ccRecipients\": [{\"emailAddress\": {\"address\": 7}}]}}".into()))),
        (reqwest::Method::PUT, "/_emulator/faults".into(), Some(("application/json", "[]".into()))),
        (reqwest::Method::POST, "/_emulator/apps".into(), Some(("application/json", "{\"clientId\": 1}".into()))),
        (reqwest::Method::PATCH, "/v1.0/invitations/x".into(), None),
        (reqwest::Method::GET, "/%2e%2e/%2e%2e/etc/passwd".into(), None),
    ];
    for (method, path, body) in cases {
        let mut req = env
            .http
            .request(method.clone(), env.url(&path))
            .bearer_auth(&tok);
        if let Some((ct, b)) = body {
            req = req.header("content-type", ct).body(b);
        }
        let r = tokio::time::timeout(Duration::from_secs(10), req.send())
            .await
            .unwrap_or_else(|_| panic!("{method} {path} hung"))
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = r.status().as_u16();
        assert!((400..500).contains(&status), "{method} {path}: {status}");
        let v: Value = r
            .json()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(v["error"]["code"].is_string(), "{method} {path}: {v}");
    }
    // Still serving.
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
}

#[tokio::test]
async fn raw_garbage_on_the_socket_does_not_hurt() {
    let env = start().await;
    let addr = env.base.trim_start_matches("http://").to_string();
    for junk in [
        &b"\x00\x01\x02garbage\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /v1.0/invitations HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{",
    ] {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(junk).await.unwrap();
        s.shutdown().await.unwrap();
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    }
    let tok = env.token().await;
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
}
