//! GET /users (filter, select, paging, count), /users/$count, /users/{id|upn}, /domains.

mod common;

use common::{
    graph_error, graph_error_in, invitation, json, message, ok_json, start, start_signed_in,
    values, Env,
};
use serde_json::{json, Value};

async fn seed_guests(env: &Env, tok: &str, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            env.invite_created(tok, invitation(&format!("guest{i:03}@fabrikam.com")))
                .await,
        );
    }
    out
}

/// `(email, display name)` of the guests `$search` runs over.
const SEARCHED: [(&str, &str); 3] = [
    ("taylor@fabrikam.com", "Taylor Swift"),
    ("sam@fabrikam.com", "Sam Taylorson"),
    ("lee@other.org", "Lee Chan"),
];

/// `(email, display name)` of the guests `$orderby` sorts: the mailboxes sort in another
/// order than the names.
const SORTED: [(&str, &str); 3] = [
    ("c@fabrikam.com", "carol"),
    ("z@fabrikam.com", "Alice"),
    ("a@fabrikam.com", "bob"),
];

/// Invites each `(email, display name)` of `guests`.
async fn seed_named(env: &Env, tok: &str, guests: &[(&str, &str)]) {
    for (email, name) in guests {
        env.invite_created(
            tok,
            json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://x.example",
                   "invitedUserDisplayName": name}),
        )
        .await;
    }
}

/// GET /v1.0/users with `query` as written, `ConsistencyLevel: eventual` when `eventual`.
async fn list(env: &Env, tok: &str, query: &str, eventual: bool) -> reqwest::Response {
    env.get_query(tok, &format!("/v1.0/users{query}"), &[], eventual)
        .await
}

/// The answer to [`list`], which must succeed.
async fn list_ok(env: &Env, tok: &str, query: &str, eventual: bool) -> Value {
    ok_json(list(env, tok, query, eventual).await, query).await
}

/// GET /v1.0/users with `$filter` (encoded by the client) and no header.
async fn filtered(env: &Env, tok: &str, filter: &str) -> reqwest::Response {
    env.get_query(tok, "/v1.0/users", &[("$filter", filter)], false)
        .await
}

/// Asserts that each `(query, eventual)` of `cases` is refused with 400 and `code`;
/// returns the error bodies in order.
async fn refused(env: &Env, tok: &str, code: &str, cases: &[(&str, bool)]) -> Vec<Value> {
    let mut out = Vec::new();
    for &(query, eventual) in cases {
        let r = list(env, tok, query, eventual).await;
        let case = format!("{query} (eventual: {eventual})");
        out.push(graph_error_in(&case, r, 400, code).await);
    }
    out
}

/// `query` is an advanced query: refused (400 `Request_UnsupportedQuery`) without
/// `ConsistencyLevel: eventual`, without `$count=true` or without both, answered with
/// both. Returns the refusal of `query` alone and the answer.
async fn advanced(env: &Env, tok: &str, query: &str) -> (Value, Value) {
    let counted = format!("{query}&$count=true");
    let cases = [(query, false), (query, true), (counted.as_str(), false)];
    let errors = refused(env, tok, "Request_UnsupportedQuery", &cases).await;
    let v = list_ok(env, tok, &counted, true).await;
    (errors[0].clone(), v)
}

fn names(v: &Value, key: &str) -> Vec<String> {
    values(v)
        .iter()
        .map(|u| u[key].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn default_properties_and_select() {
    let (env, tok) = start_signed_in().await;
    seed_guests(&env, &tok, 1).await;
    let v = list_ok(&env, &tok, "", false).await;
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#users", env.base)
    );
    let u = &v["value"][0];
    let keys: Vec<&str> = u.as_object().unwrap().keys().map(String::as_str).collect();
    // Graph's documented default property set, restated against the emulator's constant.
    assert_eq!(
        keys,
        [
            "businessPhones",
            "displayName",
            "givenName",
            "id",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName"
        ]
    );
    assert!(u.get("externalUserState").is_none());
    let v = list_ok(
        &env,
        &tok,
        "?$select=id,externalUserState,creationType",
        false,
    )
    .await;
    assert_eq!(
        v["@odata.context"],
        format!(
            "{}/v1.0/$metadata#users(id,externalUserState,creationType)",
            env.base
        )
    );
    assert_eq!(v["value"][0]["externalUserState"], "PendingAcceptance");
    assert_eq!(v["value"][0]["creationType"], "Invitation");
    assert_eq!(v["value"][0].as_object().unwrap().len(), 3);
    refused(&env, &tok, "BadRequest", &[("?$select=nope", false)]).await;
}

#[tokio::test]
async fn lookup_filter_like_the_client_sends() {
    let (env, tok) = start_signed_in().await;
    env.invite(&tok, invitation("o'neil@fabrikam.com")).await;
    env.invite(&tok, invitation("other@fabrikam.com")).await;
    let e = "o''neil@fabrikam.com";
    let filter = format!("userPrincipalName eq '{e}' or mail eq '{e}' or proxyAddresses/any(x:x eq 'SMTP:{e}') or otherMails/any(x:x eq '{e}')");
    let query = [
        ("$filter", filter.as_str()),
        ("$select", "id,mail,externalUserState"),
    ];
    let r = env.get_query(&tok, "/v1.0/users", &query, false).await;
    let v = ok_json(r, &filter).await;
    let vals = values(&v);
    assert_eq!(vals.len(), 1);
    assert_eq!(vals[0]["mail"], "o'neil@fabrikam.com");
    // Other default-mode operators.
    for (q, n) in [
        ("startsWith(mail,'o')", 2),
        ("externalUserState eq 'PendingAcceptance'", 2),
        ("userType in ('Guest','Member')", 2),
        ("mail eq 'nobody@x.com'", 0),
    ] {
        let v = ok_json(filtered(&env, &tok, q).await, q).await;
        assert_eq!(values(&v).len(), n, "{q}");
    }
    // Percent-encoded by hand, + for spaces.
    let v = list_ok(
        &env,
        &tok,
        "?%24filter=mail+eq+%27other%40fabrikam.com%27",
        false,
    )
    .await;
    assert_eq!(values(&v).len(), 1);
}

#[tokio::test]
async fn advanced_queries_need_header_and_count() {
    let (env, tok) = start_signed_in().await;
    seed_guests(&env, &tok, 3).await;
    let (e, v) = advanced(&env, &tok, "?$filter=endsWith(mail,'@fabrikam.com')").await;
    assert_eq!(e["error"]["message"], "Unsupported Query.");
    assert_eq!(v["@odata.count"], 3);
    assert_eq!(values(&v).len(), 3);
    // $count=true without the header is silently ignored.
    let v = list_ok(&env, &tok, "?$count=true", false).await;
    assert!(v.get("@odata.count").is_none());
    let errors = refused(
        &env,
        &tok,
        "Request_UnsupportedQuery",
        &[
            // ne needs advanced too.
            ("?$filter=userType ne 'Member'", false),
            // $search without the header.
            ("?$search=\"displayName:guest\"", false),
        ],
    )
    .await;
    assert!(message(&errors[1]).contains("ConsistencyLevel: eventual"));
}

#[tokio::test]
async fn filter_errors_and_or_limit() {
    let (env, tok) = start_signed_in().await;
    let ors: Vec<String> = (0..16).map(|i| format!("mail eq 'a{i}@x.com'")).collect();
    let r = filtered(&env, &tok, &ors.join(" or ")).await;
    let v = graph_error(r, 400, "Request_UnsupportedQuery").await;
    assert_eq!(
        v["error"]["message"],
        "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15."
    );
    let r = filtered(&env, &tok, &ors[..15].join(" or ")).await;
    assert_eq!(r.status(), 200);
    for bad in [
        "mail eq",
        "((((",
        "mail eq 'x",
        "UserState eq 'x'",
        "mail eq 'x' or '1' eq '1'",
        "\u{0}",
    ] {
        let r = filtered(&env, &tok, bad).await;
        assert_eq!(r.status(), 400, "{bad}");
        let v = json(r).await;
        assert!(v["error"]["code"].is_string(), "{bad}");
    }
}

#[tokio::test]
async fn paging_250_guests_with_skiptoken() {
    let (env, tok) = start_signed_in().await;
    seed_guests(&env, &tok, 250).await;
    let pages = env
        .pages(
            &tok,
            "/v1.0/users?$filter=userType eq 'Guest'&$select=id,mail&$count=true",
            true,
        )
        .await;
    assert_eq!(pages.len(), 3);
    let mut seen = std::collections::HashSet::new();
    for (i, v) in pages.iter().enumerate() {
        if i == 0 {
            assert_eq!(v["@odata.count"], 250);
        } else {
            assert!(v.get("@odata.count").is_none(), "page {i}");
        }
        for u in values(v) {
            assert!(seen.insert(u["id"].as_str().unwrap().to_string()));
        }
        if let Some(next) = v["@odata.nextLink"].as_str() {
            assert!(next.starts_with(&format!("{}/v1.0/users?", env.base)));
            assert!(next.contains("$skiptoken="));
            assert!(next.contains("$select=id,mail"));
        }
    }
    assert_eq!(seen.len(), 250);
    // $top
    let v = list_ok(&env, &tok, "?$top=999", false).await;
    assert_eq!(values(&v).len(), 250);
    assert!(v.get("@odata.nextLink").is_none());
    let v = list_ok(&env, &tok, "?$top=7", false).await;
    assert_eq!(values(&v).len(), 7);
    let errors = refused(
        &env,
        &tok,
        "Request_BadRequest",
        &[
            ("?$top=1000", false),
            ("?$top=0", false),
            ("?$top=x", false),
            ("?$skip=10", false),
            ("?$skiptoken=garbage", false),
        ],
    )
    .await;
    assert_eq!(
        errors[3]["error"]["message"],
        "'$skip' is not supported by the service."
    );
}

#[tokio::test]
async fn count_segment() {
    let (env, tok) = start_signed_in().await;
    seed_guests(&env, &tok, 4).await;
    let v = env
        .get_refused(&tok, "/v1.0/users/$count", 400, "Request_BadRequest")
        .await;
    assert_eq!(v["error"]["message"], "$count is not currently supported.");
    let query = [("$filter", "startsWith(mail,'guest00')")];
    let r = env
        .get_query(&tok, "/v1.0/users/$count", &query, true)
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(r.text().await.unwrap(), "4");
}

#[tokio::test]
async fn get_by_id_and_upn() {
    let (env, tok) = start_signed_in().await;
    let inv = &seed_guests(&env, &tok, 1).await[0];
    let id = inv["invitedUser"]["id"].as_str().unwrap();
    let upn = inv["invitedUser"]["userPrincipalName"].as_str().unwrap();
    let v = ok_json(env.get(&tok, &format!("/v1.0/users/{id}")).await, id).await;
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#users/$entity", env.base)
    );
    assert_eq!(v["id"], id);
    let encoded = upn.replace('#', "%23").to_uppercase();
    let v = env.user(&tok, &encoded, "externalUserState").await;
    assert_eq!(v["externalUserState"], "PendingAcceptance");
    assert_eq!(
        v["@odata.context"],
        format!(
            "{}/v1.0/$metadata#users(externalUserState)/$entity",
            env.base
        )
    );
    let v = env
        .get_refused(
            &tok,
            "/v1.0/users/nobody@contoso.com",
            404,
            "Request_ResourceNotFound",
        )
        .await;
    assert_eq!(v["error"]["message"], "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.");
}

#[tokio::test]
async fn permissions() {
    let env = start().await;
    let none = env.static_token(json!({"roles": []})).await;
    for p in ["/v1.0/users", "/v1.0/users/x", "/v1.0/users/$count"] {
        let v = env
            .get_refused(&none, p, 403, "Authorization_RequestDenied")
            .await;
        assert_eq!(
            v["error"]["message"],
            "Insufficient privileges to complete the operation."
        );
    }
    for p in ["/v1.0/users", "/v1.0/domains"] {
        env.get_refused("", p, 401, "InvalidAuthenticationToken")
            .await;
    }
}

#[tokio::test]
async fn domains_list_the_tenant() {
    let (env, tok) = start_signed_in().await;
    env.control_post(
        "/_emulator/domains",
        json!({"id": "fabrikam.net", "isVerified": false}),
    )
    .await;
    let v = ok_json(env.get(&tok, "/v1.0/domains").await, "domains").await;
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#domains", env.base)
    );
    let ids: Vec<(&str, bool)> = values(&v)
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap(),
                d["isVerified"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("contoso.onmicrosoft.com", true),
            ("contoso.com", true),
            ("fabrikam.net", false)
        ]
    );
}

#[tokio::test]
async fn search_with_eventual_consistency() {
    let (env, tok) = start_signed_in().await;
    seed_named(&env, &tok, &SEARCHED).await;
    let counted = "?$search=\"displayName:taylor\"&$count=true";
    for (q, want) in [
        (counted, &["Taylor Swift", "Sam Taylorson"][..]),
        (
            "?$search=\"displayName:taylor\" AND \"mail:sam\"",
            &["Sam Taylorson"],
        ),
        (
            "?$search=\"displayName:lee\" OR \"mail:taylor\"",
            &["Taylor Swift", "Lee Chan"],
        ),
    ] {
        let v = list_ok(&env, &tok, q, true).await;
        assert_eq!(names(&v, "displayName"), want, "{q}");
    }
    assert_eq!(list_ok(&env, &tok, counted, true).await["@odata.count"], 2);
    refused(
        &env,
        &tok,
        "Request_UnsupportedQuery",
        &[("?$search=taylor", true), ("?$search=\"jobTitle:x\"", true)],
    )
    .await;
}

#[tokio::test]
async fn orderby_display_name_and_upn() {
    let (env, tok) = start_signed_in().await;
    seed_named(&env, &tok, &SORTED).await;
    // Alone, $orderby is a default query; case-insensitive; asc is the default.
    for (q, key, want) in [
        (
            "?$orderby=displayName",
            "displayName",
            ["Alice", "bob", "carol"],
        ),
        (
            "?$orderby=displayName%20desc",
            "displayName",
            ["carol", "bob", "Alice"],
        ),
        (
            "?$orderby=userPrincipalName+asc",
            "userPrincipalName",
            [
                "a_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                "c_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                "z_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            ],
        ),
        (
            "?$orderby=userPrincipalName desc",
            "displayName",
            ["Alice", "carol", "bob"],
        ),
    ] {
        let v = list_ok(&env, &tok, q, false).await;
        assert_eq!(names(&v, key), want, "{q}");
    }
    // With $filter it needs the advanced pair.
    let q = "?$filter=userType eq 'Guest'&$orderby=displayName desc";
    let (e, v) = advanced(&env, &tok, q).await;
    assert_eq!(
        e["error"]["message"],
        "Sorting not supported for current query."
    );
    assert_eq!(v["@odata.count"], 3);
    assert_eq!(names(&v, "displayName"), ["carol", "bob", "Alice"]);
    // Other properties cannot be sorted on; junk is a syntax error.
    let r = list(&env, &tok, "?$orderby=createdDateTime desc", false).await;
    let e = graph_error(r, 400, "Request_UnsupportedQuery").await;
    assert_eq!(
        e["error"]["message"],
        "Unsupported sort property 'createdDateTime' for 'User'."
    );
    refused(
        &env,
        &tok,
        "BadRequest",
        &[("?$orderby=displayName sideways", false)],
    )
    .await;
}

#[tokio::test]
async fn orderby_pages_through_the_sorted_result() {
    let (env, tok) = start_signed_in().await;
    // Invited in reverse order, so directory order is the opposite of the sort.
    let guests: Vec<(String, String)> = (0..25)
        .rev()
        .map(|i| (format!("p{i:02}@fabrikam.com"), format!("P{i:02}")))
        .collect();
    let guests: Vec<(&str, &str)> = guests
        .iter()
        .map(|(e, n)| (e.as_str(), n.as_str()))
        .collect();
    seed_named(&env, &tok, &guests).await;
    let path = "/v1.0/users?$orderby=displayName&$top=10&$select=displayName";
    let seen: Vec<String> = env
        .pages(&tok, path, false)
        .await
        .iter()
        .flat_map(|v| names(v, "displayName"))
        .collect();
    let want: Vec<String> = (0..25).map(|i| format!("P{i:02}")).collect();
    assert_eq!(seen, want);
}
