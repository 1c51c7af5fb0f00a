//! The control API: reset, tenants, apps, users, domains, redeem, outbox, counters, tokens.

mod common;

use common::{graph_error, invitation, start};
use serde_json::{json, Value};

#[tokio::test]
async fn reset_goes_back_to_defaults() {
    let env = start().await;
    let tok = env.token().await;
    env.invite(&tok, json!({"invitedUserEmailAddress": "r@fabrikam.com", "inviteRedirectUrl": "https://x.example", "sendInvitationMessage": true})).await;
    env.put_faults(json!({"latencyMs": {"min": 1, "max": 2}}))
        .await;
    env.control_post(
        "/_emulator/tenants",
        json!({"initialDomain": "gone.onmicrosoft.com"}),
    )
    .await;
    env.control_post("/_emulator/reset", json!({})).await;
    let r = env
        .http
        .post(env.url("/_emulator/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(env.control_get("/_emulator/outbox").await, json!([]));
    assert_eq!(
        env.control_get("/_emulator/faults").await["latencyMs"],
        Value::Null
    );
    let c = env.counters().await;
    assert_eq!(c["totalRequests"], 0);
    assert_eq!(c["invitationsCreated"], 0);
    let v: Value = env.get(&tok, "/v1.0/users").await.json().await.unwrap();
    assert_eq!(v["value"], json!([]));
    let r = env
        .token_response(
            "gone.onmicrosoft.com",
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn second_tenant_with_its_own_app_domains_and_users() {
    let env = start().await;
    let t = env
        .control_post("/_emulator/tenants", json!({"id": "aaaaaaaa-0000-0000-0000-000000000001", "initialDomain": "fabrikam.onmicrosoft.com", "verifiedDomains": ["fabrikam.com"]}))
        .await;
    assert_eq!(t["id"], "aaaaaaaa-0000-0000-0000-000000000001");
    let r = env
        .http
        .post(env.url("/_emulator/tenants"))
        .json(&json!({"initialDomain": "fabrikam.onmicrosoft.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    env.control_post("/_emulator/apps", json!({"tenant": "fabrikam.com", "clientId": "fab-app", "clientSecret": "pw", "roles": ["User.Invite.All", "User.Read.All"]})).await;
    let r = env
        .token_response(
            "aaaaaaaa-0000-0000-0000-000000000001",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "fab-app"),
                ("client_secret", "pw"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    let tok: Value = r.json().await.unwrap();
    let tok = tok["access_token"].as_str().unwrap();
    // fabrikam.com is verified here; contoso.com is external.
    graph_error(
        env.invite(tok, invitation("x@fabrikam.com")).await,
        400,
        "BadRequest",
    )
    .await;
    let v: Value = env
        .invite(tok, invitation("x@contoso.com"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["invitedUser"]["userPrincipalName"],
        "x_contoso.com#EXT#@fabrikam.onmicrosoft.com"
    );
    // Users are per tenant.
    let default_tok = env.token().await;
    let list: Value = env
        .get(&default_tok, "/v1.0/users")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["value"], json!([]));
    // Apps are per tenant too.
    let r = env
        .token_response(
            "contoso.com",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "fab-app"),
                ("client_secret", "pw"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn seed_users_and_conflicts() {
    let env = start().await;
    let tok = env.token().await;
    let u = env.control_post("/_emulator/users", json!({"displayName": "Megan", "userPrincipalName": "megan@contoso.com", "mail": "megan@contoso.com"})).await;
    assert_eq!(u["userType"], "Member");
    assert_eq!(u["accountEnabled"], true);
    assert_eq!(u["proxyAddresses"], json!(["SMTP:megan@contoso.com"]));
    assert!(u["id"].is_string());
    let g = env
        .control_post("/_emulator/users", json!({"id": "99999999-aaaa-bbbb-cccc-000000000001", "mail": "ext@partner.org", "userPrincipalName": "ext_partner.org#EXT#@contoso.onmicrosoft.com", "userType": "Guest", "creationType": "Invitation", "externalUserState": "PendingAcceptance"}))
        .await;
    assert!(g["externalUserStateChangeDateTime"].is_string());
    let r = env
        .http
        .post(env.url("/_emulator/users"))
        .json(&json!({"userPrincipalName": "MEGAN@contoso.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = env
        .http
        .post(env.url("/_emulator/users"))
        .json(&json!({"displayName": "no name"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = env
        .http
        .post(env.url("/_emulator/users"))
        .json(&json!({"tenant": "nowhere.com", "mail": "a@b.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = env
        .http
        .post(env.url("/_emulator/users"))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Seeded guest is re-invitable (same id).
    let v: Value = env
        .invite(&tok, invitation("ext@partner.org"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["invitedUser"]["id"],
        "99999999-aaaa-bbbb-cccc-000000000001"
    );
    let v: Value = env
        .get(
            &tok,
            "/v1.0/users?$filter=userType eq 'Member'&$select=displayName",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["value"], json!([{"displayName": "Megan"}]));
}

#[tokio::test]
async fn redeem_by_id_or_email() {
    let env = start().await;
    let tok = env.token().await;
    let v: Value = env
        .invite(&tok, invitation("red@fabrikam.com"))
        .await
        .json()
        .await
        .unwrap();
    let id = v["invitedUser"]["id"].as_str().unwrap();
    let before: Value = env
        .get(
            &tok,
            &format!("/v1.0/users/{id}?$select=externalUserStateChangeDateTime"),
        )
        .await
        .json()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let u = env
        .control_post("/_emulator/redeem", json!({"email": "RED@fabrikam.com"}))
        .await;
    assert_eq!(u["externalUserState"], "Accepted");
    assert_ne!(
        u["externalUserStateChangeDateTime"],
        before["externalUserStateChangeDateTime"]
    );
    let after: Value = env
        .get(&tok, &format!("/v1.0/users/{id}?$select=externalUserState"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["externalUserState"], "Accepted");
    let u = env
        .control_post("/_emulator/redeem", json!({"userId": id}))
        .await;
    assert_eq!(u["externalUserState"], "Accepted");
    // Filter on the new state.
    let v: Value = env
        .get(&tok, "/v1.0/users?$filter=externalUserState eq 'Accepted'")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    let r = env
        .http
        .post(env.url("/_emulator/redeem"))
        .json(&json!({"email": "nobody@x.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = env
        .http
        .post(env.url("/_emulator/redeem"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let m = env
        .control_post("/_emulator/users", json!({"mail": "m@contoso.com"}))
        .await;
    let r = env
        .http
        .post(env.url("/_emulator/redeem"))
        .json(&json!({"userId": m["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn counters_use_route_templates() {
    let env = start().await;
    let tok = env.token().await;
    let v: Value = env
        .invite(&tok, invitation("c@fabrikam.com"))
        .await
        .json()
        .await
        .unwrap();
    let id = v["invitedUser"]["id"].as_str().unwrap();
    env.get(&tok, &format!("/v1.0/users/{id}")).await;
    env.get(&tok, "/beta/users/nobody").await;
    let c = env.counters().await;
    assert_eq!(c["requests"]["POST /{tenant}/oauth2/v2.0/token 200"], 1);
    assert_eq!(c["requests"]["POST /v1.0/invitations 201"], 1);
    assert_eq!(c["requests"]["GET /v1.0/users/{id} 200"], 1);
    assert_eq!(c["requests"]["GET /beta/users/{id} 404"], 1);
    assert_eq!(c["totalRequests"], 4);
    assert_eq!(c["tokenRequests"], 1);
}

#[tokio::test]
async fn static_tokens_and_unknown_routes() {
    let env = start().await;
    let v = env
        .control_post(
            "/_emulator/tokens",
            json!({"roles": ["User.Read.All"], "expiresInSecs": 120}),
        )
        .await;
    assert_eq!(v["expires_in"], 120);
    let tok = v["access_token"].as_str().unwrap();
    assert_eq!(env.get(tok, "/v1.0/users").await.status(), 200);
    assert_eq!(
        env.invite(tok, invitation("n@fabrikam.com")).await.status(),
        401
    );
    let r = env
        .http
        .get(env.url("/_emulator/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Unknown Graph segment and unknown version.
    graph_error(env.get(tok, "/v1.0/groups").await, 400, "BadRequest").await;
    let v = graph_error(env.get(tok, "/v2.0/users").await, 400, "BadRequest").await;
    assert_eq!(v["error"]["message"], "Invalid version: v2.0");
    graph_error(
        env.http
            .delete(env.url("/v1.0/users"))
            .bearer_auth(tok)
            .send()
            .await
            .unwrap(),
        405,
        "Request_BadRequest",
    )
    .await;
}
