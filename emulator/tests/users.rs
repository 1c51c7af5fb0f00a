//! GET /users (filter, select, paging, count), /users/$count, /users/{id|upn}, /domains.

mod common;

use common::{graph_error, invitation, start, Env};
use serde_json::{json, Value};

async fn seed_guests(env: &Env, tok: &str, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = env
            .invite(tok, invitation(&format!("guest{i:03}@fabrikam.com")))
            .await;
        assert_eq!(r.status(), 201);
        out.push(r.json().await.unwrap());
    }
    out
}

async fn list(env: &Env, tok: &str, query: &str, eventual: bool) -> reqwest::Response {
    let mut req = env
        .http
        .get(env.url(&format!("/v1.0/users{query}")))
        .bearer_auth(tok);
    if eventual {
        req = req.header("ConsistencyLevel", "eventual");
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn default_properties_and_select() {
    let env = start().await;
    let tok = env.token().await;
    seed_guests(&env, &tok, 1).await;
    let v: Value = list(&env, &tok, "", false).await.json().await.unwrap();
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#users", env.base)
    );
    let u = &v["value"][0];
    let keys: Vec<&str> = u.as_object().unwrap().keys().map(String::as_str).collect();
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
    let v: Value = list(
        &env,
        &tok,
        "?$select=id,externalUserState,creationType",
        false,
    )
    .await
    .json()
    .await
    .unwrap();
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
    graph_error(
        list(&env, &tok, "?$select=nope", false).await,
        400,
        "BadRequest",
    )
    .await;
}

#[tokio::test]
async fn lookup_filter_like_the_client_sends() {
    let env = start().await;
    let tok = env.token().await;
    env.invite(&tok, invitation("o'neil@fabrikam.com")).await;
    env.invite(&tok, invitation("other@fabrikam.com")).await;
    let e = "o''neil@fabrikam.com";
    let filter = format!("userPrincipalName eq '{e}' or mail eq '{e}' or proxyAddresses/any(x:x eq 'SMTP:{e}') or otherMails/any(x:x eq '{e}')");
    let r = env
        .http
        .get(env.url("/v1.0/users"))
        .query(&[
            ("$filter", filter.as_str()),
            ("$select", "id,mail,externalUserState"),
        ])
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let vals = v["value"].as_array().unwrap();
    assert_eq!(vals.len(), 1);
    assert_eq!(vals[0]["mail"], "o'neil@fabrikam.com");
    // Other default-mode operators.
    for (q, n) in [
        ("startsWith(mail,'o')", 2),
        ("externalUserState eq 'PendingAcceptance'", 2),
        ("userType in ('Guest','Member')", 2),
        ("mail eq 'nobody@x.com'", 0),
    ] {
        let r = env
            .http
            .get(env.url("/v1.0/users"))
            .query(&[("$filter", q)])
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{q}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["value"].as_array().unwrap().len(), n, "{q}");
    }
    // Percent-encoded by hand, + for spaces.
    let r = list(
        &env,
        &tok,
        "?%24filter=mail+eq+%27other%40fabrikam.com%27",
        false,
    )
    .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn advanced_queries_need_header_and_count() {
    let env = start().await;
    let tok = env.token().await;
    seed_guests(&env, &tok, 3).await;
    let q = "?$filter=endsWith(mail,'@fabrikam.com')";
    let v = graph_error(
        list(&env, &tok, q, false).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    assert_eq!(v["error"]["message"], "Unsupported Query.");
    graph_error(
        list(&env, &tok, q, true).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    graph_error(
        list(&env, &tok, &format!("{q}&$count=true"), false).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    let v: Value = list(&env, &tok, &format!("{q}&$count=true"), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["@odata.count"], 3);
    assert_eq!(v["value"].as_array().unwrap().len(), 3);
    // $count=true without the header is silently ignored.
    let v: Value = list(&env, &tok, "?$count=true", false)
        .await
        .json()
        .await
        .unwrap();
    assert!(v.get("@odata.count").is_none());
    // ne needs advanced too.
    graph_error(
        list(&env, &tok, "?$filter=userType ne 'Member'", false).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    // $search without the header.
    let v = graph_error(
        list(&env, &tok, "?$search=\"displayName:guest\"", false).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ConsistencyLevel: eventual"));
}

#[tokio::test]
async fn filter_errors_and_or_limit() {
    let env = start().await;
    let tok = env.token().await;
    let ors: Vec<String> = (0..16).map(|i| format!("mail eq 'a{i}@x.com'")).collect();
    let r = env
        .http
        .get(env.url("/v1.0/users"))
        .query(&[("$filter", ors.join(" or "))])
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    let v = graph_error(r, 400, "Request_UnsupportedQuery").await;
    assert_eq!(
        v["error"]["message"],
        "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15."
    );
    let r = env
        .http
        .get(env.url("/v1.0/users"))
        .query(&[("$filter", ors[..15].join(" or "))])
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for bad in [
        "mail eq",
        "((((",
        "mail eq 'x",
        "UserState eq 'x'",
        "mail eq 'x' or '1' eq '1'",
        "\u{0}",
    ] {
        let r = env
            .http
            .get(env.url("/v1.0/users"))
            .query(&[("$filter", bad)])
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        let v: Value = r.json().await.unwrap();
        assert!(v["error"]["code"].is_string());
    }
}

#[tokio::test]
async fn paging_250_guests_with_skiptoken() {
    let env = start().await;
    let tok = env.token().await;
    seed_guests(&env, &tok, 250).await;
    let mut url = env.url("/v1.0/users?$filter=userType eq 'Guest'&$select=id,mail&$count=true");
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let r = env
            .http
            .get(&url)
            .bearer_auth(&tok)
            .header("ConsistencyLevel", "eventual")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        if pages == 0 {
            assert_eq!(v["@odata.count"], 250);
        } else {
            assert!(v.get("@odata.count").is_none());
        }
        pages += 1;
        for u in v["value"].as_array().unwrap() {
            assert!(seen.insert(u["id"].as_str().unwrap().to_string()));
        }
        match v["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&format!("{}/v1.0/users?", env.base)));
                assert!(next.contains("$skiptoken="));
                assert!(next.contains("$select=id,mail"));
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 250);
    // $top
    let v: Value = list(&env, &tok, "?$top=999", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 250);
    assert!(v.get("@odata.nextLink").is_none());
    let v: Value = list(&env, &tok, "?$top=7", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["value"].as_array().unwrap().len(), 7);
    for bad in ["?$top=1000", "?$top=0", "?$top=x"] {
        graph_error(
            list(&env, &tok, bad, false).await,
            400,
            "Request_BadRequest",
        )
        .await;
    }
    let v = graph_error(
        list(&env, &tok, "?$skip=10", false).await,
        400,
        "Request_BadRequest",
    )
    .await;
    assert_eq!(
        v["error"]["message"],
        "'$skip' is not supported by the service."
    );
    graph_error(
        list(&env, &tok, "?$skiptoken=garbage", false).await,
        400,
        "Request_BadRequest",
    )
    .await;
}

#[tokio::test]
async fn count_segment() {
    let env = start().await;
    let tok = env.token().await;
    seed_guests(&env, &tok, 4).await;
    let v = graph_error(
        env.get(&tok, "/v1.0/users/$count").await,
        400,
        "Request_BadRequest",
    )
    .await;
    assert_eq!(v["error"]["message"], "$count is not currently supported.");
    let r = env
        .http
        .get(env.url("/v1.0/users/$count"))
        .query(&[("$filter", "startsWith(mail,'guest00')")])
        .bearer_auth(&tok)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(r.text().await.unwrap(), "4");
}

#[tokio::test]
async fn get_by_id_and_upn() {
    let env = start().await;
    let tok = env.token().await;
    let inv = &seed_guests(&env, &tok, 1).await[0];
    let id = inv["invitedUser"]["id"].as_str().unwrap();
    let upn = inv["invitedUser"]["userPrincipalName"].as_str().unwrap();
    let r = env.get(&tok, &format!("/v1.0/users/{id}")).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#users/$entity", env.base)
    );
    assert_eq!(v["id"], id);
    let encoded = upn.replace('#', "%23").to_uppercase();
    let v: Value = env
        .get(
            &tok,
            &format!("/v1.0/users/{encoded}?$select=externalUserState"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["externalUserState"], "PendingAcceptance");
    assert_eq!(
        v["@odata.context"],
        format!(
            "{}/v1.0/$metadata#users(externalUserState)/$entity",
            env.base
        )
    );
    let v = graph_error(
        env.get(&tok, "/v1.0/users/nobody@contoso.com").await,
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
        let v = graph_error(env.get(&none, p).await, 403, "Authorization_RequestDenied").await;
        assert_eq!(
            v["error"]["message"],
            "Insufficient privileges to complete the operation."
        );
    }
    graph_error(
        env.get("", "/v1.0/users").await,
        401,
        "InvalidAuthenticationToken",
    )
    .await;
}

#[tokio::test]
async fn domains_list_the_tenant() {
    let env = start().await;
    let tok = env.token().await;
    env.control_post(
        "/_emulator/domains",
        json!({"id": "fabrikam.net", "isVerified": false}),
    )
    .await;
    let r = env.get(&tok, "/v1.0/domains").await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["@odata.context"],
        format!("{}/v1.0/$metadata#domains", env.base)
    );
    let ids: Vec<(&str, bool)> = v["value"]
        .as_array()
        .unwrap()
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
    graph_error(
        env.get("", "/v1.0/domains").await,
        401,
        "InvalidAuthenticationToken",
    )
    .await;
}

#[tokio::test]
async fn search_with_eventual_consistency() {
    let env = start().await;
    let tok = env.token().await;
    for (email, name) in [
        ("taylor@fabrikam.com", "Taylor Swift"),
        ("sam@fabrikam.com", "Sam Taylorson"),
        ("lee@other.org", "Lee Chan"),
    ] {
        env.invite(&tok, json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://x.example", "invitedUserDisplayName": name}))
            .await;
    }
    let names = |v: &Value| -> Vec<String> {
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["displayName"].as_str().unwrap().to_string())
            .collect()
    };
    let v: Value = list(
        &env,
        &tok,
        "?$search=\"displayName:taylor\"&$count=true",
        true,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(names(&v), ["Taylor Swift", "Sam Taylorson"]);
    assert_eq!(v["@odata.count"], 2);
    let v: Value = list(
        &env,
        &tok,
        "?$search=\"displayName:taylor\" AND \"mail:sam\"",
        true,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(names(&v), ["Sam Taylorson"]);
    let v: Value = list(
        &env,
        &tok,
        "?$search=\"displayName:lee\" OR \"mail:taylor\"",
        true,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(names(&v), ["Taylor Swift", "Lee Chan"]);
    graph_error(
        list(&env, &tok, "?$search=taylor", true).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
    graph_error(
        list(&env, &tok, "?$search=\"jobTitle:x\"", true).await,
        400,
        "Request_UnsupportedQuery",
    )
    .await;
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u[key].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn orderby_display_name_and_upn() {
    let env = start().await;
    let tok = env.token().await;
    for (name, email) in [
        ("carol", "c@fabrikam.com"),
        ("Alice", "z@fabrikam.com"),
        ("bob", "a@fabrikam.com"),
    ] {
        let r = env
            .invite(
                &tok,
                json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://x.example",
                       "invitedUserDisplayName": name}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    // Alone, $orderby is a default query; case-insensitive; asc is the default.
    let v: Value = list(&env, &tok, "?$orderby=displayName", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&v, "displayName"), ["Alice", "bob", "carol"]);
    let v: Value = list(&env, &tok, "?$orderby=displayName%20desc", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&v, "displayName"), ["carol", "bob", "Alice"]);
    let v: Value = list(&env, &tok, "?$orderby=userPrincipalName+asc", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        names(&v, "userPrincipalName"),
        [
            "a_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "c_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "z_fabrikam.com#EXT#@contoso.onmicrosoft.com"
        ]
    );
    let v: Value = list(&env, &tok, "?$orderby=userPrincipalName desc", false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&v, "displayName"), ["Alice", "carol", "bob"]);
    // With $filter it needs the advanced pair.
    let q = "?$filter=userType eq 'Guest'&$orderby=displayName desc";
    let r = list(&env, &tok, q, false).await;
    let e = graph_error(r, 400, "Request_UnsupportedQuery").await;
    assert_eq!(
        e["error"]["message"],
        "Sorting not supported for current query."
    );
    let r = list(&env, &tok, q, true).await;
    graph_error(r, 400, "Request_UnsupportedQuery").await;
    let v: Value = list(&env, &tok, &format!("{q}&$count=true"), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["@odata.count"], 3);
    assert_eq!(names(&v, "displayName"), ["carol", "bob", "Alice"]);
    // Other properties cannot be sorted on; junk is a syntax error.
    let r = list(&env, &tok, "?$orderby=createdDateTime desc", false).await;
    let e = graph_error(r, 400, "Request_UnsupportedQuery").await;
    assert_eq!(
        e["error"]["message"],
        "Unsupported sort property 'createdDateTime' for 'User'."
    );
    let r = list(&env, &tok, "?$orderby=displayName sideways", false).await;
    graph_error(r, 400, "BadRequest").await;
}

#[tokio::test]
async fn orderby_pages_through_the_sorted_result() {
    let env = start().await;
    let tok = env.token().await;
    // Invited in reverse order, so directory order is the opposite of the sort.
    for i in (0..25).rev() {
        let r = env
            .invite(
                &tok,
                json!({"invitedUserEmailAddress": format!("p{i:02}@fabrikam.com"),
                       "inviteRedirectUrl": "https://x.example", "invitedUserDisplayName": format!("P{i:02}")}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let mut seen = Vec::new();
    let mut next = Some(env.url("/v1.0/users?$orderby=displayName&$top=10&$select=displayName"));
    while let Some(url) = next {
        let v: Value = env
            .http
            .get(url)
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(names(&v, "displayName"));
        next = v["@odata.nextLink"].as_str().map(String::from);
    }
    let want: Vec<String> = (0..25).map(|i| format!("P{i:02}")).collect();
    assert_eq!(seen, want);
}
