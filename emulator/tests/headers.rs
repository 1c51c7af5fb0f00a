//! Headers every response carries.

mod common;

use common::start_signed_in;

fn check(r: &reqwest::Response, client_request_id: Option<&str>) {
    let h = r.headers();
    let rid = h["request-id"].to_str().unwrap();
    assert_eq!(rid.len(), 36);
    match client_request_id {
        Some(c) => assert_eq!(h["client-request-id"], c),
        None => assert_eq!(h["client-request-id"], rid),
    }
    assert!(httpdate::parse_http_date(h["date"].to_str().unwrap()).is_ok());
    assert_eq!(h["odata-version"], "4.0");
    assert!(h["x-ms-ags-diagnostic"]
        .to_str()
        .unwrap()
        .contains("ServerInfo"));
}

#[tokio::test]
async fn every_response_has_graph_headers() {
    let (env, tok) = start_signed_in().await;
    let r = env.get(&tok, "/v1.0/users").await;
    check(&r, None);
    assert_eq!(
        r.headers()["content-type"],
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
    );
    let r = env
        .http
        .get(env.url("/v1.0/users"))
        .bearer_auth(&tok)
        .header("client-request-id", "0f0e0d0c-1111-2222-3333-444455556666")
        .send()
        .await
        .unwrap();
    check(&r, Some("0f0e0d0c-1111-2222-3333-444455556666"));
    // Errors, the token endpoint and unknown routes too.
    let r = env
        .http
        .get(env.url("/v1.0/users/x"))
        .header("client-request-id", "abc")
        .send()
        .await
        .unwrap();
    check(&r, Some("abc"));
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["error"]["innerError"]["client-request-id"], "abc");
    let r = env.token_response("contoso.com", &[]).await;
    check(&r, None);
    let r = env.http.get(env.url("/nothing/here")).send().await.unwrap();
    check(&r, None);
}

#[tokio::test]
async fn users_responses_carry_resource_units() {
    let (env, tok) = start_signed_in().await;
    let ru = |r: &reqwest::Response| {
        r.headers()
            .get("x-ms-resource-unit")
            .map(|v| v.to_str().unwrap().to_string())
    };
    // GET users costs 2; $select and $top < 20 take one each off, never below 1.
    for (path, want) in [
        ("/v1.0/users", "2"),
        ("/v1.0/users?$select=id", "1"),
        ("/v1.0/users?$top=5", "1"),
        ("/v1.0/users?$select=id&$top=5", "1"),
        ("/v1.0/users?$top=50", "2"),
        ("/v1.0/users/nobody@contoso.com", "1"),
    ] {
        let r = env.get(&tok, path).await;
        assert_eq!(ru(&r).as_deref(), Some(want), "{path}");
    }
    // Other workloads have none.
    let r = env.get(&tok, "/v1.0/domains").await;
    assert_eq!(ru(&r), None);
}
