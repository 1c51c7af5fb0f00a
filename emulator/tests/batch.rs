//! POST /$batch.

mod common;

use common::{graph_error, graph_error_in, ok_json, start, start_signed_in};
use serde_json::{json, Value};

async fn batch(env: &common::Env, tok: &str, body: Value) -> reqwest::Response {
    env.post_as(tok, "/v1.0/$batch", &body).await
}

fn by_id(v: &Value) -> std::collections::HashMap<String, Value> {
    v["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

#[tokio::test]
async fn runs_items_through_the_router() {
    let (env, tok) = start_signed_in().await;
    let r = batch(&env, &tok, json!({"requests": [
        {"id": "1", "method": "POST", "url": "/invitations", "headers": {"Content-Type": "application/json"},
         "body": {"invitedUserEmailAddress": "b1@fabrikam.com", "inviteRedirectUrl": "https://x.example"}},
        {"id": "2", "method": "GET", "url": "users?$select=id"},
        {"id": "3", "method": "GET", "url": "/domains"},
        {"id": "4", "method": "GET", "url": "/users/nobody"},
        {"id": "5", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users"}
    ]}))
    .await;
    let v = ok_json(r, "batch").await;
    let m = by_id(&v);
    assert_eq!(m["1"]["status"], 201);
    assert_eq!(m["1"]["body"]["invitedUserEmailAddress"], "b1@fabrikam.com");
    assert_eq!(m["2"]["status"], 200);
    assert_eq!(m["3"]["status"], 200);
    assert_eq!(m["4"]["status"], 404);
    assert_eq!(m["4"]["body"]["error"]["code"], "Request_ResourceNotFound");
    assert_eq!(m["5"]["status"], 400);
    assert_eq!(
        env.counters().await["requests"]["POST /v1.0/invitations 201"],
        1
    );
}

#[tokio::test]
async fn limits_and_malformed_batches() {
    let (env, tok) = start_signed_in().await;
    let items: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/users"}))
        .collect();
    graph_error(
        batch(&env, &tok, json!({"requests": items})).await,
        400,
        "BadRequest",
    )
    .await;
    let items: Vec<Value> = (0..20)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/users"}))
        .collect();
    assert_eq!(
        batch(&env, &tok, json!({"requests": items})).await.status(),
        200
    );
    for bad in [
        json!({}),
        json!({"requests": []}),
        json!({"requests": [{"id": "1"}]}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/users"}, {"id": "1", "method": "GET", "url": "/users"}]}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/users", "dependsOn": ["9"]}]}),
    ] {
        let r = batch(&env, &tok, bad.clone()).await;
        graph_error_in(&bad.to_string(), r, 400, "BadRequest").await;
    }
    let r = env
        .post_raw(Some(&tok), "/v1.0/$batch", "application/json", "{")
        .await;
    graph_error(r, 400, "BadRequest").await;
    // A body without Content-Type fails that item only.
    let v: Value = batch(
        &env,
        &tok,
        json!({"requests": [{"id": "1", "method": "POST", "url": "/invitations", "body": {}}]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["responses"][0]["status"], 400);
}

#[tokio::test]
async fn depends_on_failure_gives_424() {
    let (env, tok) = start_signed_in().await;
    let ct = json!({"Content-Type": "application/json"});
    let v: Value = batch(&env, &tok, json!({"requests": [
        {"id": "1", "method": "POST", "url": "/invitations", "headers": ct, "body": {"invitedUserEmailAddress": "bad"}},
        {"id": "2", "method": "GET", "url": "/users", "dependsOn": ["1"]},
        {"id": "3", "method": "POST", "url": "/invitations", "headers": ct, "body": {"invitedUserEmailAddress": "ok@fabrikam.com", "inviteRedirectUrl": "https://x.example"}},
        {"id": "4", "method": "GET", "url": "/users", "dependsOn": ["3"]},
        {"id": "5", "method": "GET", "url": "/users", "dependsOn": ["2"]}
    ]}))
    .await
    .json()
    .await
    .unwrap();
    let m = by_id(&v);
    assert_eq!(m["1"]["status"], 400);
    assert_eq!(m["2"]["status"], 424);
    assert_eq!(m["3"]["status"], 201);
    assert_eq!(m["4"]["status"], 200);
    assert_eq!(m["4"]["body"]["value"].as_array().unwrap().len(), 1);
    assert_eq!(m["5"]["status"], 424);
}

#[tokio::test]
async fn items_are_throttled_individually() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"throttle": {"invitations": {"limit": 2, "windowMs": 60000}}}))
        .await;
    let items: Vec<Value> = (0..4)
        .map(|i| json!({"id": i.to_string(), "method": "POST", "url": "/invitations", "headers": {"Content-Type": "application/json"},
                         "body": {"invitedUserEmailAddress": format!("t{i}@fabrikam.com"), "inviteRedirectUrl": "https://x.example"}}))
        .collect();
    let r = batch(&env, &tok, json!({"requests": items})).await;
    let v = ok_json(r, "batch").await;
    let statuses: Vec<u64> = v["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        2,
        "{statuses:?}"
    );
    let throttled: Vec<&Value> = v["responses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == 429)
        .collect();
    assert_eq!(throttled.len(), 2);
    for t in throttled {
        assert!(t["headers"]["Retry-After"].is_string());
        assert_eq!(
            t["headers"]["x-ms-throttle-information"],
            "WriteLimitExceeded"
        );
        assert!(t["headers"]["x-ms-throttle-scope"]
            .as_str()
            .unwrap()
            .starts_with("Tenant/Write/"));
        assert_eq!(t["body"]["error"]["code"], "TooManyRequests");
    }
}

#[tokio::test]
async fn items_need_auth_like_any_request() {
    let env = start().await;
    let unauthenticated = json!({"requests": [{"id": "1", "method": "GET", "url": "/users"}]});
    let v = ok_json(env.post("/beta/$batch", &unauthenticated).await, "batch").await;
    assert_eq!(v["responses"][0]["status"], 401);
    assert_eq!(
        v["responses"][0]["body"]["error"]["code"],
        "InvalidAuthenticationToken"
    );
}
