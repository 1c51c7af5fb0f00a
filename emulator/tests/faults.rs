//! Faults: scripted answers (actFirst, drop), throttling with every Retry-After form,
//! early retries, random failures with a seed, latency, drops, replication lag.

mod common;

use std::time::{Duration, Instant};

use common::{graph_error, guest_id, invitation, start, start_signed_in, start_with, values};
use entra_invite_emulator::{Config, Faults, RandomFault};
use serde_json::json;

#[tokio::test]
async fn scripted_status_with_retry_after_then_early_retry_is_429() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"scripted": [{"method": "POST", "pathContains": "/invitations", "status": 503, "times": 1, "retryAfter": "2"}]}))
        .await;
    let r = env.invite(&tok, invitation("a@fabrikam.com")).await;
    assert_eq!(r.headers()["retry-after"], "2");
    graph_error(r, 503, "ServiceUnavailable").await;
    assert_eq!(env.counters().await["invitationsCreated"], 0);
    // Retrying at once is early: 429 again, counted.
    let r = env.invite(&tok, invitation("a@fabrikam.com")).await;
    assert!(r.headers().contains_key("retry-after"));
    let v = graph_error(r, 429, "TooManyRequests").await;
    assert_eq!(v["error"]["message"], "Please retry again later.");
    let c = env.counters().await;
    assert_eq!(c["earlyRetries"], 1);
    assert_eq!(c["requests"]["POST /v1.0/invitations 503"], 1);
    assert_eq!(c["requests"]["POST /v1.0/invitations 429"], 1);
    // Another route of the same token is not affected.
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    env.invite_created(&tok, invitation("a@fabrikam.com")).await;
}

#[tokio::test]
async fn act_first_creates_then_fails() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(
        json!({"scripted": [{"pathContains": "/invitations", "status": 500, "actFirst": true}]}),
    )
    .await;
    let r = env.invite(&tok, invitation("amb@fabrikam.com")).await;
    graph_error(r, 500, "InternalServerError").await;
    let v = env
        .get_json(&tok, "/v1.0/users?$filter=mail eq 'amb@fabrikam.com'")
        .await;
    assert_eq!(values(&v).len(), 1);
    assert_eq!(env.counters().await["invitationsCreated"], 1);
}

#[tokio::test]
async fn scripted_drop_closes_the_connection() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"scripted": [
        {"pathContains": "/invitations", "drop": true, "times": 1},
        {"pathContains": "/invitations", "drop": true, "actFirst": true, "times": 1}
    ]}))
    .await;
    let err = env.try_invite(&tok, &invitation("drop@fabrikam.com")).await;
    assert!(err.is_err(), "{err:?}");
    assert_eq!(env.counters().await["invitationsCreated"], 0);
    let err = env.try_invite(&tok, &invitation("drop@fabrikam.com")).await;
    assert!(err.is_err());
    assert_eq!(env.counters().await["invitationsCreated"], 1);
    assert_eq!(
        env.counters().await["requests"]["POST /v1.0/invitations dropped"],
        2
    );
    env.invite_created(&tok, invitation("drop@fabrikam.com"))
        .await;
}

#[tokio::test]
async fn drop_rate_one_drops_graph_requests_only() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"dropRate": 1.0})).await;
    assert!(env
        .http
        .get(env.url("/v1.0/users"))
        .bearer_auth(&tok)
        .send()
        .await
        .is_err());
    // The control API and the token endpoint are not dropped.
    env.token().await;
    env.bare(reqwest::Method::DELETE, "/_emulator/faults").await;
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
}

async fn throttled_retry_after(format: &str) -> Option<String> {
    let (env, tok) = start_signed_in().await;
    env.put_faults(
        json!({"throttle": {"invitations": {"limit": 2, "windowMs": 60000}, "retryAfter": format}}),
    )
    .await;
    for i in 0..2 {
        env.invite_created(&tok, invitation(&format!("t{i}@fabrikam.com")))
            .await;
    }
    let r = env.invite(&tok, invitation("t9@fabrikam.com")).await;
    let ra = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    graph_error(r, 429, "TooManyRequests").await;
    assert_eq!(env.counters().await["invitationsCreated"], 2);
    ra
}

#[tokio::test]
async fn throttle_retry_after_forms() {
    let int = throttled_retry_after("integer").await.unwrap();
    assert!(int.parse::<u64>().unwrap() >= 20, "{int}");
    let dec = throttled_retry_after("decimal").await.unwrap();
    assert!(
        dec.contains('.') && dec.parse::<f64>().unwrap() > 20.0,
        "{dec}"
    );
    let date = throttled_retry_after("httpDate").await.unwrap();
    assert!(httpdate::parse_http_date(&date).is_ok(), "{date}");
    let pair = throttled_retry_after("pair").await.unwrap();
    let (a, b) = pair.split_once(',').unwrap();
    assert!(
        a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok(),
        "{pair}"
    );
    assert!(throttled_retry_after("absent").await.is_none());
}

#[tokio::test]
async fn throttle_default_bucket_is_150_per_5s_per_tenant() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"throttle": {"invitations": {}}}))
        .await;
    assert_eq!(
        env.control_get("/_emulator/faults").await["throttle"]["invitations"],
        json!({"limit": 150, "windowMs": 5000})
    );
    let mut created = 0;
    let mut throttled = 0;
    let started = std::time::Instant::now();
    for i in 0..160 {
        let r = env
            .invite(&tok, invitation(&format!("b{i}@fabrikam.com")))
            .await;
        match r.status().as_u16() {
            201 => created += 1,
            429 => throttled += 1,
            s => panic!("{s}"),
        }
    }
    // Refill during the run (30 per second) may add a few beyond 150; a slow machine adds more.
    let refill = (started.elapsed().as_secs_f64() * 30.0).ceil() as usize + 1;
    assert!(
        created >= 150 && created <= 150 + refill,
        "{created} created, refill allowance {refill}"
    );
    assert_eq!(created + throttled, 160);
    assert!(throttled >= 1 || refill > 10, "nothing was throttled");
    // Another tenant has its own bucket.
    env.control_post(
        "/_emulator/tenants",
        json!({"initialDomain": "fabrikam.onmicrosoft.com"}),
    )
    .await;
    env.control_post("/_emulator/apps", json!({"tenant": "fabrikam.onmicrosoft.com", "clientId": "fab", "clientSecret": "s", "roles": ["User.Invite.All"]})).await;
    let other = env.token_in("fabrikam.onmicrosoft.com", "fab", "s").await;
    let other = other.as_str();
    env.invite_created(other, invitation("x@contoso.org")).await;
}

#[tokio::test]
async fn users_bucket_throttles_reads() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(
        json!({"throttle": {"users": {"limit": 1, "windowMs": 60000}, "retryAfter": "decimal"}}),
    )
    .await;
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
    let r = env.get(&tok, "/v1.0/users").await;
    assert!(r.headers()["retry-after"].to_str().unwrap().contains('.'));
    graph_error(r, 429, "TooManyRequests").await;
    // Invitations have no bucket here.
    env.invite_created(&tok, invitation("free@fabrikam.com"))
        .await;
}

async fn random_statuses(seed: u64) -> Vec<u16> {
    let faults = Faults {
        random: vec![RandomFault {
            rate: 0.5,
            statuses: vec![],
            methods: vec!["GET".into()],
            path_contains: None,
            ..RandomFault::default()
        }],
        seed: Some(seed),
        ..Faults::default()
    };
    let env = start_with(Config {
        faults,
        ..Config::default()
    })
    .await;
    let mut out = Vec::new();
    for _ in 0..30 {
        // A fresh token each time so early-retry detection does not mask the pattern.
        let tok = env.static_token(json!({})).await;
        out.push(env.get(&tok, "/v1.0/domains").await.status().as_u16());
    }
    out
}

#[tokio::test]
async fn random_faults_are_reproducible_with_a_seed() {
    let a = random_statuses(42).await;
    let b = random_statuses(42).await;
    assert_eq!(a, b);
    assert!(a.contains(&200));
    assert!(a.iter().any(|s| *s != 200));
    assert!(
        a.iter().all(|s| [200, 429, 500, 502, 503, 504].contains(s)),
        "{a:?}"
    );
    let c = random_statuses(7).await;
    assert_ne!(a, c);
}

#[tokio::test]
async fn random_fault_filters_by_method_and_path() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"random": [{"rate": 1.0, "statuses": [507], "methods": ["POST"], "pathContains": "/invitations"}]})).await;
    graph_error(
        env.invite(&tok, invitation("r@fabrikam.com")).await,
        507,
        "InsufficientStorage",
    )
    .await;
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
}

#[tokio::test]
async fn latency_is_added() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"latencyMs": {"min": 150, "max": 150}}))
        .await;
    let t = Instant::now();
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn replication_lag_hides_new_guests_from_get_by_id() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(json!({"replicationLagMs": 700})).await;
    let v = env.invite_json(&tok, invitation("lag@fabrikam.com")).await;
    let id = guest_id(&v);
    env.get_refused(
        &tok,
        &format!("/v1.0/users/{id}"),
        404,
        "Request_ResourceNotFound",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(750)).await;
    assert_eq!(
        env.get(&tok, &format!("/v1.0/users/{id}")).await.status(),
        200
    );
}

#[tokio::test]
async fn faults_api_round_trip_and_validation() {
    let env = start().await;
    let f = json!({"throttle": {"invitations": {"limit": 10, "windowMs": 1000}, "users": null, "retryAfter": "pair"},
                   "random": [], "scripted": [], "latencyMs": {"min": 0, "max": 0}, "dropRate": 0.0, "replicationLagMs": 0, "seed": 42});
    env.put_faults(f.clone()).await;
    assert_eq!(env.control_get("/_emulator/faults").await, f);
    for bad in [
        json!({"dropRate": 2}),
        json!({"bogus": 1}),
        json!({"throttle": {"retryAfter": "weekly"}}),
        json!({"random": [{"rate": 0.5, "statuses": [200]}]}),
    ] {
        let r = env
            .send_json(reqwest::Method::PUT, "/_emulator/faults", &bad)
            .await;
        assert_eq!(r.status(), 400, "{bad}");
    }
    let r = env.bare(reqwest::Method::DELETE, "/_emulator/faults").await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        env.control_get("/_emulator/faults").await,
        json!(Faults::default())
    );
}

#[tokio::test]
async fn drop_mid_response_sends_headers_then_cuts_the_body() {
    let (env, tok) = start_signed_in().await;
    env.put_faults(
        json!({"scripted": [{"pathContains": "/invitations", "dropMidResponse": true}]}),
    )
    .await;
    let r = env.invite(&tok, invitation("mid@fabrikam.com")).await;
    assert_eq!(r.status(), 201);
    assert!(r.bytes().await.is_err());
    assert_eq!(env.counters().await["invitationsCreated"], 1);
    // The next one is normal again.
    env.invite_created(&tok, invitation("mid@fabrikam.com"))
        .await;
}

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// The `x-ms-throttle-scope` and `x-ms-throttle-information` of an answer.
fn throttle(r: &reqwest::Response) -> (Option<String>, Option<String>) {
    (
        header(r, "x-ms-throttle-scope"),
        header(r, "x-ms-throttle-information"),
    )
}

#[tokio::test]
async fn throttled_answers_carry_throttle_scope_and_information() {
    use entra_invite_emulator::{DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID};
    let (env, tok) = start_signed_in().await;
    env.put_faults(
        json!({"throttle": {"invitations": {"limit": 1, "windowMs": 60000},
                                       "users": {"limit": 1, "windowMs": 60000}}}),
    )
    .await;
    let ok = env.invite(&tok, invitation("one@fabrikam.com")).await;
    assert_eq!(ok.status(), 201);
    assert_eq!(header(&ok, "x-ms-throttle-scope"), None);
    // The invitation limit is per tenant for all apps; writes.
    let r = env.invite(&tok, invitation("two@fabrikam.com")).await;
    let write_limit = Some("WriteLimitExceeded".to_string());
    assert_eq!(
        throttle(&r),
        (
            Some(format!(
                "Tenant/Write/{DEFAULT_CLIENT_ID}/{DEFAULT_TENANT_ID}"
            )),
            write_limit.clone()
        )
    );
    graph_error(r, 429, "TooManyRequests").await;
    // Retrying before Retry-After is answered the same way.
    let r = env.invite(&tok, invitation("two@fabrikam.com")).await;
    assert_eq!(throttle(&r).1, write_limit);
    assert_eq!(r.status(), 429);
    assert_eq!(env.counters().await["earlyRetries"], 1);
    // Reads of users: app+tenant resource units.
    assert_eq!(env.get(&tok, "/v1.0/users").await.status(), 200);
    let r = env.get(&tok, "/v1.0/users").await;
    assert_eq!(r.status(), 429);
    let unit_limit = Some("ResourceUnitLimitExceeded".to_string());
    assert_eq!(
        throttle(&r),
        (
            Some(format!(
                "Tenant_Application/Read/{DEFAULT_CLIENT_ID}/{DEFAULT_TENANT_ID}"
            )),
            unit_limit.clone()
        )
    );
    assert_eq!(header(&r, "x-ms-resource-unit"), None);
    // Scripted 429s look the same; other statuses carry none.
    env.put_faults(json!({"scripted": [{"method": "GET", "pathContains": "/domains", "status": 429},
                                       {"method": "GET", "pathContains": "/domains", "status": 503}]}))
        .await;
    let r = env.get(&tok, "/v1.0/domains").await;
    assert_eq!(r.status(), 429);
    assert_eq!(throttle(&r).1, unit_limit);
    let r = env.get(&tok, "/v1.0/domains").await;
    assert_eq!(r.status(), 503);
    assert_eq!(header(&r, "x-ms-throttle-scope"), None);
}
