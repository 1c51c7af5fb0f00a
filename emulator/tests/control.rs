//! The control API: reset, tenants, apps, users, domains, redeem, outbox, counters, tokens.

mod common;

use common::{
    graph_error, guest_id, invitation, secret_form, start, start_signed_in, values, SCOPE,
};
use serde_json::{json, Value};

#[tokio::test]
async fn reset_goes_back_to_defaults() {
    let (env, tok) = start_signed_in().await;
    env.invite(&tok, json!({"invitedUserEmailAddress": "r@fabrikam.com", "inviteRedirectUrl": "https://x.example", "sendInvitationMessage": true})).await;
    env.put_faults(json!({"latencyMs": {"min": 1, "max": 2}}))
        .await;
    env.control_post(
        "/_emulator/tenants",
        json!({"initialDomain": "gone.onmicrosoft.com"}),
    )
    .await;
    env.control_post("/_emulator/reset", json!({})).await;
    // Without a body too.
    let r = env.bare(reqwest::Method::POST, "/_emulator/reset").await;
    assert_eq!(r.status(), 200);
    assert_eq!(env.control_get("/_emulator/outbox").await, json!([]));
    assert_eq!(
        env.control_get("/_emulator/faults").await["latencyMs"],
        Value::Null
    );
    let c = env.counters().await;
    assert_eq!(c["totalRequests"], 0);
    assert_eq!(c["invitationsCreated"], 0);
    let v = env.get_json(&tok, "/v1.0/users").await;
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
    env.post_status(
        "/_emulator/tenants",
        &json!({"initialDomain": "fabrikam.onmicrosoft.com"}),
        409,
    )
    .await;
    env.control_post("/_emulator/apps", json!({"tenant": "fabrikam.com", "clientId": "fab-app", "clientSecret": "pw", "roles": ["User.Invite.All", "User.Read.All"]})).await;
    let tok = env
        .token_in("aaaaaaaa-0000-0000-0000-000000000001", "fab-app", "pw")
        .await;
    let tok = tok.as_str();
    // fabrikam.com is verified here; contoso.com is external.
    graph_error(
        env.invite(tok, invitation("x@fabrikam.com")).await,
        400,
        "BadRequest",
    )
    .await;
    let v = env.invite_json(tok, invitation("x@contoso.com")).await;
    assert_eq!(
        v["invitedUser"]["userPrincipalName"],
        "x_contoso.com#EXT#@fabrikam.onmicrosoft.com"
    );
    // Users are per tenant.
    let default_tok = env.token().await;
    let list = env.get_json(&default_tok, "/v1.0/users").await;
    assert_eq!(list["value"], json!([]));
    // Apps are per tenant too.
    let r = env
        .token_response("contoso.com", &secret_form("fab-app", "pw", SCOPE))
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn seed_users_and_conflicts() {
    let (env, tok) = start_signed_in().await;
    let u = env.seed_user(json!({"displayName": "Megan", "userPrincipalName": "megan@contoso.com", "mail": "megan@contoso.com"})).await;
    assert_eq!(u["userType"], "Member");
    assert_eq!(u["accountEnabled"], true);
    assert_eq!(u["proxyAddresses"], json!(["SMTP:megan@contoso.com"]));
    assert!(u["id"].is_string());
    let g = env.seed_user(json!({"id": "99999999-aaaa-bbbb-cccc-000000000001", "mail": "ext@partner.org", "userPrincipalName": "ext_partner.org#EXT#@contoso.onmicrosoft.com", "userType": "Guest", "creationType": "Invitation", "externalUserState": "PendingAcceptance"}))
        .await;
    assert!(g["externalUserStateChangeDateTime"].is_string());
    for (body, status) in [
        (json!({"userPrincipalName": "MEGAN@contoso.com"}), 409),
        (json!({"displayName": "no name"}), 400),
        (json!({"tenant": "nowhere.com", "mail": "a@b.com"}), 404),
    ] {
        env.post_status("/_emulator/users", &body, status).await;
    }
    let r = env
        .post_raw(None, "/_emulator/users", "application/json", "{oops")
        .await;
    assert_eq!(r.status(), 400);
    // Seeded guest is re-invitable (same id).
    let v = env.invite_json(&tok, invitation("ext@partner.org")).await;
    assert_eq!(
        v["invitedUser"]["id"],
        "99999999-aaaa-bbbb-cccc-000000000001"
    );
    let v = env
        .get_json(
            &tok,
            "/v1.0/users?$filter=userType eq 'Member'&$select=displayName",
        )
        .await;
    assert_eq!(v["value"], json!([{"displayName": "Megan"}]));
}

#[tokio::test]
async fn redeem_by_id_or_email() {
    let (env, tok) = start_signed_in().await;
    let v = env.invite_json(&tok, invitation("red@fabrikam.com")).await;
    let id = guest_id(&v);
    let before = env.user(&tok, id, "externalUserStateChangeDateTime").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let u = env
        .control_post("/_emulator/redeem", json!({"email": "RED@fabrikam.com"}))
        .await;
    assert_eq!(u["externalUserState"], "Accepted");
    assert_ne!(
        u["externalUserStateChangeDateTime"],
        before["externalUserStateChangeDateTime"]
    );
    let after = env.user(&tok, id, "externalUserState").await;
    assert_eq!(after["externalUserState"], "Accepted");
    let u = env
        .control_post("/_emulator/redeem", json!({"userId": id}))
        .await;
    assert_eq!(u["externalUserState"], "Accepted");
    // Filter on the new state.
    let v = env
        .get_json(&tok, "/v1.0/users?$filter=externalUserState eq 'Accepted'")
        .await;
    assert_eq!(values(&v).len(), 1);
    let m = env.seed_user(json!({"mail": "m@contoso.com"})).await;
    for (body, status) in [
        (json!({"email": "nobody@x.com"}), 404),
        (json!({}), 400),
        (json!({"userId": m["id"]}), 400),
    ] {
        env.post_status("/_emulator/redeem", &body, status).await;
    }
}

#[tokio::test]
async fn counters_use_route_templates() {
    let (env, tok) = start_signed_in().await;
    let v = env.invite_json(&tok, invitation("c@fabrikam.com")).await;
    env.get(&tok, &format!("/v1.0/users/{}", guest_id(&v)))
        .await;
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
        env.invite_status(tok, invitation("n@fabrikam.com")).await,
        401
    );
    let r = env.bare(reqwest::Method::GET, "/_emulator/nope").await;
    assert_eq!(r.status(), 404);
    // Unknown Graph segment and unknown version.
    env.get_refused(tok, "/v1.0/groups", 400, "BadRequest")
        .await;
    let v = env.get_refused(tok, "/v2.0/users", 400, "BadRequest").await;
    assert_eq!(v["error"]["message"], "Invalid version: v2.0");
    let r = env
        .http
        .delete(env.url("/v1.0/users"))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    graph_error(r, 405, "Request_BadRequest").await;
}
