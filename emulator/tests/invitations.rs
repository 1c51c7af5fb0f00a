//! POST /invitations and the GETs Graph refuses.

mod common;

use common::{
    graph_error, graph_error_in, guest_id, invitation, json, message, reset_invitation, start,
    start_signed_in, values,
};
use entra_invite_emulator::{DEFAULT_TENANT_ID, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use serde_json::{json, Value};

#[tokio::test]
async fn creates_guest_with_defaults_echoed() {
    let (env, tok) = start_signed_in().await;
    let v = env
        .invite_created(&tok, invitation("Taylor@fabrikam.com"))
        .await;
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#invitations/$entity", env.base)
    );
    assert_eq!(v["invitedUserType"], "Guest");
    assert_eq!(v["sendInvitationMessage"], false);
    assert_eq!(v["resetRedemption"], false);
    assert_eq!(v["status"], "PendingAcceptance");
    assert_eq!(v["invitedUserDisplayName"], Value::Null);
    assert_eq!(v["inviteRedirectUrl"], "https://myapps.microsoft.com");
    assert_eq!(
        v["invitedUserMessageInfo"],
        json!({"messageLanguage": null, "customizedMessageBody": null,
               "ccRecipients": [{"emailAddress": {"name": null, "address": null}}]})
    );
    let upn = v["invitedUser"]["userPrincipalName"].as_str().unwrap();
    assert_eq!(upn, "Taylor_fabrikam.com#EXT#@contoso.onmicrosoft.com");
    let redeem = v["inviteRedeemUrl"].as_str().unwrap();
    let prefix = format!(
        "https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3d{DEFAULT_TENANT_ID}%26user%3d{}%26ticket%3d",
        v["id"].as_str().unwrap()
    );
    assert!(redeem.starts_with(&prefix), "{redeem}");
    assert!(redeem.ends_with("%26ver%3d2.0"));
    assert_ne!(v["id"], v["invitedUser"]["id"]);

    // The guest is materialised like a real one.
    let sel = "id,userPrincipalName,mail,otherMails,proxyAddresses,userType,creationType,externalUserState,externalUserStateChangeDateTime,identities,accountEnabled";
    let u = env.user(&tok, guest_id(&v), sel).await;
    assert_eq!(u["mail"], "Taylor@fabrikam.com");
    assert_eq!(u["otherMails"], json!(["Taylor@fabrikam.com"]));
    assert_eq!(u["proxyAddresses"], json!(["SMTP:Taylor@fabrikam.com"]));
    assert_eq!(u["userType"], "Guest");
    assert_eq!(u["creationType"], "Invitation");
    assert_eq!(u["externalUserState"], "PendingAcceptance");
    assert!(u["externalUserStateChangeDateTime"].is_string());
    assert_eq!(u["identities"][0]["signInType"], "userPrincipalName");
    assert_eq!(u["identities"][0]["issuer"], "contoso.onmicrosoft.com");
    assert_eq!(u["accountEnabled"], true);
    assert_eq!(env.counters().await["invitationsCreated"], 1);
}

#[tokio::test]
async fn beta_has_same_schema_and_its_own_context() {
    let (env, tok) = start_signed_in().await;
    let r = env
        .post_as(&tok, "/beta/invitations", &invitation("a@fabrikam.com"))
        .await;
    assert_eq!(r.status(), 201);
    let v = json(r).await;
    assert_eq!(
        v["@odata.context"],
        format!("{}/beta/$metadata#invitations/$entity", env.base)
    );
}

#[tokio::test]
async fn reinvite_returns_same_user_new_ticket_and_old_ticket_dies() {
    let (env, tok) = start_signed_in().await;
    let a = env.invite_json(&tok, invitation("sam@fabrikam.com")).await;
    let b = env.invite_json(&tok, invitation("SAM@fabrikam.com")).await;
    assert_eq!(a["invitedUser"]["id"], b["invitedUser"]["id"]);
    assert_ne!(a["inviteRedeemUrl"], b["inviteRedeemUrl"]);
    assert_ne!(a["id"], b["id"]);
    let uid = guest_id(&a);
    // Old ticket refused, new one accepted.
    let r = env
        .post(
            "/_emulator/redeem",
            &json!({"userId": uid, "inviteRedeemUrl": a["inviteRedeemUrl"]}),
        )
        .await;
    graph_error(r, 400, "InvalidTicket").await;
    let u = env
        .control_post(
            "/_emulator/redeem",
            json!({"userId": uid, "inviteRedeemUrl": b["inviteRedeemUrl"]}),
        )
        .await;
    assert_eq!(u["externalUserState"], "Accepted");
    assert_eq!(u["identities"][0]["issuer"], "ExternalAzureAD");
    // Only one user exists for that email.
    let list = env
        .get_json(&tok, "/v1.0/users?$filter=mail eq 'sam@fabrikam.com'")
        .await;
    assert_eq!(values(&list).len(), 1);
}

#[tokio::test]
async fn verified_domain_and_existing_member_are_rejected() {
    let (env, tok) = start_signed_in().await;
    let v = env
        .invite_refused(&tok, "bob@contoso.com", 400, "BadRequest")
        .await;
    assert_eq!(v["error"]["message"], "This user cannot be invited because the domain of the user's email address is a verified domain of this directory.");
    let v = env
        .invite_refused(&tok, "bob@CONTOSO.onmicrosoft.com", 400, "BadRequest")
        .await;
    assert!(message(&v).contains("verified domain"));

    let (id, v) = env
        .invite_existing(
            &tok,
            json!({"userPrincipalName": "carol@contoso.onmicrosoft.com", "mail": "carol@partner.org"}),
            "carol@partner.org",
        )
        .await;
    assert_eq!(
        v["error"]["message"],
        format!("The invited user already exists in the directory as objectID: {id}. They can use that account to sign in to shared apps and resources.")
    );
    let (_, v) = env
        .invite_existing(
            &tok,
            json!({"userPrincipalName": "dan@contoso.onmicrosoft.com", "mail": "dan@partner.org", "accountEnabled": false}),
            "dan@partner.org",
        )
        .await;
    assert!(message(&v).contains("blocked from signing in"));
}

#[tokio::test]
async fn validation_errors() {
    let (env, tok) = start_signed_in().await;
    let cases = [
        json!({"inviteRedirectUrl": "https://x.example"}),
        json!({"invitedUserEmailAddress": "a@b.com"}),
        json!({"invitedUserEmailAddress": "", "inviteRedirectUrl": "https://x.example"}),
        json!({"invitedUserEmailAddress": "not-an-email", "inviteRedirectUrl": "https://x.example"}),
        json!({"invitedUserEmailAddress": "a#b@fabrikam.com", "inviteRedirectUrl": "https://x.example"}),
        json!({"invitedUserEmailAddress": ".a@fabrikam.com", "inviteRedirectUrl": "https://x.example"}),
        json!({"invitedUserEmailAddress": "a@fabrikam.com", "inviteRedirectUrl": "not a url"}),
        json!({"invitedUserEmailAddress": "a@fabrikam.com", "inviteRedirectUrl": "https://x.example", "invitedUserType": "Admin"}),
        json!({"invitedUserEmailAddress": "a@fabrikam.com", "inviteRedirectUrl": "https://x.example", "sendInvitationMessage": "yes"}),
        json!({"invitedUserEmailAddress": "a@fabrikam.com", "inviteRedirectUrl": "https://x.example", "bogus": 1}),
        json!({"invitedUserEmailAddress": "a@fabrikam.com", "inviteRedirectUrl": "https://x.example", "resetRedemption": true}),
        json!([1, 2]),
    ];
    for body in cases {
        let r = env.invite(&tok, body.clone()).await;
        graph_error_in(&body.to_string(), r, 400, "BadRequest").await;
    }
    // Malformed JSON and a wrong content type get Graph's payload message.
    for (ct, body) in [("application/json", "{not json"), ("text/plain", "{}")] {
        let r = env
            .post_raw(Some(&tok), "/v1.0/invitations", ct, body)
            .await;
        let v = graph_error_in(ct, r, 400, "BadRequest").await;
        assert!(
            message(&v).starts_with("Unable to read JSON request payload"),
            "{ct}"
        );
    }
    // Oversized body.
    let big = format!(
        "{{\"invitedUserEmailAddress\":\"a@fabrikam.com\",\"inviteRedirectUrl\":\"https://x.example\",\"invitedUserDisplayName\":\"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    let r = env
        .post_raw(Some(&tok), "/v1.0/invitations", "application/json", big)
        .await;
    graph_error(r, 413, "RequestEntityTooLarge").await;
    assert_eq!(env.counters().await["invitationsCreated"], 0);
}

#[tokio::test]
async fn member_type_message_and_single_cc_go_to_outbox() {
    let (env, tok) = start_signed_in().await;
    let v = env
        .invite_created(
            &tok,
            json!({
                "invitedUserEmailAddress": "lee@fabrikam.com",
                "inviteRedirectUrl": "https://myapps.microsoft.com",
                "invitedUserDisplayName": "Lee",
                "invitedUserType": "Member",
                "sendInvitationMessage": true,
                "invitedUserMessageInfo": {
                    "messageLanguage": "fr-FR",
                    "customizedMessageBody": "Bienvenue",
                    "ccRecipients": [
                        {"emailAddress": {"address": "one@contoso.com"}},
                        {"emailAddress": {"address": "two@contoso.com"}}
                    ]
                }
            }),
        )
        .await;
    assert_eq!(v["invitedUserType"], "Member");
    assert_eq!(v["invitedUserDisplayName"], "Lee");
    assert_eq!(v["sendInvitationMessage"], true);
    let out = env.control_get("/_emulator/outbox").await;
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["to"], "lee@fabrikam.com");
    assert_eq!(out[0]["cc"], json!(["one@contoso.com"]));
    assert_eq!(out[0]["language"], "fr-FR");
    assert_eq!(out[0]["customizedMessageBody"], "Bienvenue");
    assert_eq!(out[0]["inviteRedeemUrl"], v["inviteRedeemUrl"]);
    assert!(out[0]["sentDateTime"].is_string());
    let u = env.user(&tok, guest_id(&v), "userType,displayName").await;
    assert_eq!(u["userType"], "Member");
    assert_eq!(u["displayName"], "Lee");
    // Without sendInvitationMessage nothing is sent.
    env.invite(&tok, invitation("quiet@fabrikam.com")).await;
    assert_eq!(
        env.control_get("/_emulator/outbox")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn reset_redemption() {
    let (env, tok) = start_signed_in().await;
    let a = env.invite_json(&tok, invitation("old@fabrikam.com")).await;
    let id = guest_id(&a);
    env.control_post("/_emulator/redeem", json!({"email": "old@fabrikam.com"}))
        .await;
    let b = env
        .invite_created(&tok, reset_invitation("new@fabrikam.com", id))
        .await;
    assert_eq!(b["resetRedemption"], true);
    assert_eq!(b["invitedUser"]["id"], id);
    assert_eq!(
        b["invitedUser"]["userPrincipalName"],
        a["invitedUser"]["userPrincipalName"]
    );
    let u = env.user(&tok, id, "externalUserState,otherMails").await;
    assert_eq!(u["externalUserState"], "PendingAcceptance");
    assert!(u["otherMails"]
        .as_array()
        .unwrap()
        .contains(&json!("new@fabrikam.com")));
    // Unknown id → 404; missing id → 400.
    let unknown = "00000000-0000-0000-0000-000000000000";
    let r = env
        .invite(&tok, reset_invitation("x@fabrikam.com", unknown))
        .await;
    graph_error(r, 404, "Request_ResourceNotFound").await;
    // A token without User.ReadWrite.All cannot reset.
    let weak = env
        .static_token(json!({"roles": ["User.Invite.All"]}))
        .await;
    let r = env
        .invite(&weak, reset_invitation("new@fabrikam.com", id))
        .await;
    graph_error(r, 403, "Authorization_RequestDenied").await;
}

#[tokio::test]
async fn permissions_and_tokens() {
    let env = start().await;
    let ro = env
        .token_for(READONLY_CLIENT_ID, READONLY_CLIENT_SECRET)
        .await;
    let v = env
        .invite_refused(&ro, "a@fabrikam.com", 401, "Unauthorized")
        .await;
    assert_eq!(v["error"]["message"], format!("Insufficient privileges to perform requested operation by the application '00000003-0000-0000-c000-000000000000'. ControllerName=MSGraphInviteAPI, ActionName=CreateInvite, URL absolute path=/api/{DEFAULT_TENANT_ID}/invites"));

    let r = env
        .post("/v1.0/invitations", &invitation("a@fabrikam.com"))
        .await;
    let v = graph_error(r, 401, "InvalidAuthenticationToken").await;
    assert_eq!(v["error"]["message"], "Access token is empty.");
    let v = env
        .invite_refused(
            "garbage",
            "a@fabrikam.com",
            401,
            "InvalidAuthenticationToken",
        )
        .await;
    assert!(message(&v).starts_with("Invalid JWT token"));
    let expired = env.static_token(json!({"expiresInSecs": -10})).await;
    let v = env
        .invite_refused(
            &expired,
            "a@fabrikam.com",
            401,
            "InvalidAuthenticationToken",
        )
        .await;
    assert_eq!(
        v["error"]["message"],
        "Access token has expired or is not yet valid."
    );
}

#[tokio::test]
async fn get_invitations_is_unknown_error_404() {
    let (env, tok) = start_signed_in().await;
    for p in [
        "/v1.0/invitations",
        "/v1.0/invitations/abc",
        "/beta/invitations/abc/invitedUser",
    ] {
        let v = env.get_refused(&tok, p, 404, "UnknownError").await;
        assert!(
            message(&v).contains("404 - File or directory not found."),
            "{p}"
        );
    }
}
