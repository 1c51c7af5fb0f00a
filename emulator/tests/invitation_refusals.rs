//! Invitations refused by tenant policy (allow/block list, cross-tenant access), by a
//! proxyAddresses conflict, and app-only resets of users holding directory roles.

mod common;

use common::{graph_error, guest_id, invitation, reset_invitation, start_signed_in, Env};
use serde_json::{json, Value};

const LIST_REFUSAL: &str = "This user can't be invited to this directory. Please try a different email address for the user or create a user account for them in your Azure AD directory.";
const CROSS_TENANT_ORG: &str = "This invitation is blocked by cross-tenant access settings in your organization. Your administrator must configure cross-tenant access settings to allow this invitation.";
const CROSS_TENANT_BOTH: &str = "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.";
const PROXY_CONFLICT: &str =
    "Another object with the same value for property proxyAddresses already exists.";

async fn set_policy(env: &Env, body: Value) -> reqwest::Response {
    env.post("/_emulator/policy", &body).await
}

async fn refused(env: &Env, tok: &str, email: &str, message: &str) {
    let v = env.invite_refused(tok, email, 400, "BadRequest").await;
    assert_eq!(v["error"]["message"], message, "{email}");
}

async fn created(env: &Env, tok: &str, email: &str) -> Value {
    env.invite_created(tok, invitation(email)).await
}

#[tokio::test]
async fn block_list_and_cross_tenant_access() {
    let (env, tok) = start_signed_in().await;
    // A guest invited before the domain was blocked.
    created(&env, &tok, "early@gmail.com").await;
    let r = set_policy(
        &env,
        json!({"blockedDomains": ["gmail.com", "*.blocked.example"],
               "crossTenantBlocked": [{"domain": "tailspin.com"},
                                      {"domain": "wingtip.com", "by": "both"}]}),
    )
    .await;
    assert_eq!(r.status(), 200);
    refused(&env, &tok, "pat@GMAIL.com", LIST_REFUSAL).await;
    refused(&env, &tok, "pat@eu.blocked.example", LIST_REFUSAL).await;
    // Re-inviting an existing guest is checked too.
    refused(&env, &tok, "early@gmail.com", LIST_REFUSAL).await;
    refused(&env, &tok, "lee@tailspin.com", CROSS_TENANT_ORG).await;
    refused(&env, &tok, "lee@wingtip.com", CROSS_TENANT_BOTH).await;
    created(&env, &tok, "pat@fabrikam.com").await;
    created(&env, &tok, "pat@blocked.example").await;
    assert_eq!(env.counters().await["invitationsCreated"], 3);
    // The beta endpoint refuses the same way.
    let r = env
        .post_as(&tok, "/beta/invitations", &invitation("x@gmail.com"))
        .await;
    graph_error(r, 400, "BadRequest").await;
    // The policy reads back; DELETE clears it; reset forgets it.
    let p = env.control_get("/_emulator/policy").await;
    assert_eq!(
        p["blockedDomains"],
        json!(["gmail.com", "*.blocked.example"])
    );
    assert_eq!(p["crossTenantBlocked"][0]["by"], "organization");
    assert_eq!(p["allowedDomains"], Value::Null);
    let r = env.bare(reqwest::Method::DELETE, "/_emulator/policy").await;
    assert_eq!(r.status(), 200);
    created(&env, &tok, "pat@gmail.com").await;
    set_policy(&env, json!({"blockedDomains": ["gmail.com"]})).await;
    env.control_post("/_emulator/reset", json!({})).await;
    assert_eq!(
        env.control_get("/_emulator/policy").await["blockedDomains"],
        Value::Null
    );
}

#[tokio::test]
async fn allow_list_status_override_and_validation() {
    let (env, tok) = start_signed_in().await;
    set_policy(&env, json!({"allowedDomains": ["fabrikam.com"]})).await;
    created(&env, &tok, "ok@fabrikam.com").await;
    refused(&env, &tok, "no@gmail.com", LIST_REFUSAL).await;
    // Status and code are data: the real ones were never captured.
    set_policy(
        &env,
        json!({"allowedDomains": ["fabrikam.com"], "errorStatus": 403, "errorCode": "Forbidden"}),
    )
    .await;
    let v = env
        .invite_refused(&tok, "no@gmail.com", 403, "Forbidden")
        .await;
    assert_eq!(v["error"]["message"], LIST_REFUSAL);
    // Entra has an allow list or a block list, never both; junk is refused.
    for bad in [
        json!({"allowedDomains": ["a.com"], "blockedDomains": ["b.com"]}),
        json!({"blockedDomains": [""]}),
        json!({"blockedDomain": ["b.com"]}),
        json!({"crossTenantBlocked": [{"domain": "b.com", "by": "nobody"}]}),
        json!({"errorStatus": 200}),
        json!({"tenant": "nowhere.example"}),
    ] {
        let r = set_policy(&env, bad.clone()).await;
        assert!(r.status().is_client_error(), "{bad}: {}", r.status());
    }
    // A second tenant's policy is its own.
    env.control_post(
        "/_emulator/tenants",
        json!({"initialDomain": "fabrikam.onmicrosoft.com"}),
    )
    .await;
    let r = set_policy(
        &env,
        json!({"tenant": "fabrikam.onmicrosoft.com", "blockedDomains": ["contoso.org"]}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let p = env
        .control_get("/_emulator/policy?tenant=fabrikam.onmicrosoft.com")
        .await;
    assert_eq!(p["blockedDomains"], json!(["contoso.org"]));
    assert_eq!(
        env.control_get("/_emulator/policy").await["allowedDomains"],
        json!(["fabrikam.com"])
    );
}

#[tokio::test]
async fn proxy_address_conflicts() {
    let (env, tok) = start_signed_in().await;
    // A member whose secondary SMTP address is the invitee's.
    env.seed_user(
        json!({"mail": "robin@contoso.com", "userPrincipalName": "robin@contoso.onmicrosoft.com",
               "proxyAddresses": ["SMTP:robin@contoso.com", "smtp:robin@partner.example"]}),
    )
    .await;
    refused(&env, &tok, "Robin@partner.example", PROXY_CONFLICT).await;
    // A group and an org contact holding an address.
    let g = env
        .control_post(
            "/_emulator/objects",
            json!({"displayName": "Sales", "proxyAddresses": ["SMTP:sales@partner.example"]}),
        )
        .await;
    assert_eq!(g["@odata.type"], "#microsoft.graph.group");
    env.control_post(
        "/_emulator/objects",
        json!({"@odata.type": "#microsoft.graph.orgContact", "proxyAddresses": ["smtp:kim@partner.example"]}),
    )
    .await;
    refused(&env, &tok, "sales@partner.example", PROXY_CONFLICT).await;
    refused(&env, &tok, "kim@partner.example", PROXY_CONFLICT).await;
    env.post_status(
        "/_emulator/objects",
        &json!({"@odata.type": "#microsoft.graph.device", "proxyAddresses": ["SMTP:a@b.c"]}),
        400,
    )
    .await;
    // The guest's own proxy address is no conflict: re-inviting works.
    let a = created(&env, &tok, "sam@partner.example").await;
    let b = created(&env, &tok, "sam@partner.example").await;
    assert_eq!(a["invitedUser"]["id"], b["invitedUser"]["id"]);
    // A reset to an address another object holds is refused; to the user's own, accepted.
    let id = guest_id(&a);
    let reset = |email: &str| reset_invitation(email, id);
    let r = env.invite(&tok, reset("sales@partner.example")).await;
    let v = graph_error(r, 400, "BadRequest").await;
    assert_eq!(v["error"]["message"], PROXY_CONFLICT);
    assert_eq!(
        env.invite_status(&tok, reset("sam@partner.example")).await,
        201
    );
}

#[tokio::test]
async fn disabled_member_gets_the_blocked_sign_in_variant() {
    let (env, tok) = start_signed_in().await;
    let (id, v) = env
        .invite_existing(
            &tok,
            json!({"mail": "gone@fabrikam.com", "userPrincipalName": "gone@contoso.onmicrosoft.com",
                   "accountEnabled": false}),
            "gone@fabrikam.com",
        )
        .await;
    assert_eq!(
        v["error"]["message"],
        format!("The invited user already exists in the directory as object ID: {id}, but the account is blocked from signing in. If the account is unblocked, they can use that account to sign in to shared apps and resources.")
    );
}

#[tokio::test]
async fn app_only_reset_refused_for_role_holders() {
    let (env, tok) = start_signed_in().await;
    let admin = env.seed_user(json!({"mail": "admin@fabrikam.com", "userPrincipalName": "admin_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                   "userType": "Guest", "creationType": "Invitation", "externalUserState": "Accepted",
                   "directoryRoles": ["User Administrator"]}),
        )
        .await;
    assert_eq!(admin["directoryRoles"], json!(["User Administrator"]));
    let id = admin["id"].as_str().unwrap();
    // Roles are not a user property Graph returns.
    let u = env.user(&tok, id, "id,displayName").await;
    assert!(u.get("directoryRoles").is_none());
    let r = env
        .invite(&tok, reset_invitation("admin2@fabrikam.com", id))
        .await;
    let v = graph_error(r, 403, "Authorization_RequestDenied").await;
    assert_eq!(
        v["error"]["message"],
        "For app-only calls, the redemption status can't be reset if there are any roles assigned to the target user account."
    );
    // Nothing changed.
    let u = env.user(&tok, id, "externalUserState").await;
    assert_eq!(u["externalUserState"], "Accepted");
    // A guest without roles can be reset.
    let plain = created(&env, &tok, "plain@fabrikam.com").await;
    env.invite_created(
        &tok,
        reset_invitation("plain2@fabrikam.com", guest_id(&plain)),
    )
    .await;
    // Bad roles input is refused.
    env.post_status(
        "/_emulator/users",
        &json!({"mail": "x@fabrikam.com", "directoryRoles": "User Administrator"}),
        400,
    )
    .await;
}
