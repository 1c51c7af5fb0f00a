//! Runs every shared scenario in tests/scenarios/ against the emulator through the Rust API.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use entra_invite::{
    Client, Error, ExternalUserState, Invitation, InvitationRequest, InviteOutcome, Lookup, User,
    UserType,
};
use entra_invite_emulator::{DEFAULT_CLIENT_ID, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use serde_json::{json, Value};

use common::Env;

/// tests/scenarios, or the directory named by `ENTRA_INVITE_SCENARIOS_DIR`.
fn scenario_dir() -> PathBuf {
    std::env::var_os("ENTRA_INVITE_SCENARIOS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios"))
}

fn subst(v: &Value, saved: &HashMap<String, Value>, ctx: &str) -> Value {
    match v {
        Value::String(s) if s.starts_with('$') => saved
            .get(&s[1..])
            .cloned()
            .unwrap_or_else(|| panic!("{ctx}: nothing saved as {s}")),
        Value::Array(a) => Value::Array(a.iter().map(|x| subst(x, saved, ctx)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), subst(x, saved, ctx)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `a.b.0.c`: object keys and array indices. A key or index that is not there fails the step
/// (naming the path), so a typo'd path never reads as JSON null.
fn at<'a>(v: &'a Value, path: &str, ctx: &str) -> &'a Value {
    path.split('.')
        .try_fold(v, |cur, k| match (cur, k.parse::<usize>()) {
            (Value::Array(a), Ok(i)) => a.get(i),
            (Value::Object(o), _) => o.get(k),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{ctx}: path {path} does not exist in {v}"))
}

fn s(input: &Value, k: &str) -> String {
    input[k].as_str().unwrap_or_default().to_string()
}

fn request(input: &Value) -> Result<InvitationRequest, Error> {
    let mut r = InvitationRequest::new(s(input, "email"), s(input, "redirectUrl"));
    r.invited_user_display_name = input["displayName"].as_str().map(String::from);
    r.send_invitation_message = input["sendMessage"].as_bool().unwrap_or(false);
    r.customized_message_body = input["message"].as_str().map(String::from);
    r.message_language = input["language"].as_str().map(String::from);
    r.cc_recipients = input["cc"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(Into::into))
                .collect()
        })
        .unwrap_or_default();
    if let Some(t) = input["userType"].as_str() {
        r.invited_user_type = UserType::from_str(t)?;
    }
    Ok(r)
}

/// The user properties the library `$select`s: Graph answers each of them, null when unset.
const USER_KEYS: [&str; 12] = [
    "id",
    "displayName",
    "mail",
    "userPrincipalName",
    "userType",
    "creationType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "accountEnabled",
    "otherMails",
    "proxyAddresses",
    "createdDateTime",
];

/// `v` with each of `keys` that it lacks set to null.
fn with_nulls(mut v: Value, keys: &[&str]) -> Value {
    if let Value::Object(o) = &mut v {
        for k in keys {
            o.entry(*k).or_insert(Value::Null);
        }
    }
    v
}

/// Graph's user JSON: the model leaves unset properties out, the canonical shape has them as
/// null (as the Kotlin and Swift runners build it), so a path to one is never "missing".
fn user_json(u: &User) -> Value {
    with_nulls(serde_json::to_value(u).unwrap(), &USER_KEYS)
}

/// Graph's invitation JSON, `invitedUser` with its `id` and `userPrincipalName` (null when unset).
fn invitation_json(i: &Invitation) -> Value {
    let mut v = serde_json::to_value(i).unwrap();
    if let Some(u) = v.get_mut("invitedUser").filter(|u| u.is_object()) {
        *u = with_nulls(u.take(), &["id", "userPrincipalName"]);
    }
    v
}

fn lookup_json(l: &Lookup) -> Value {
    json!({"exists": l.exists, "user": l.user.as_ref().map(user_json),
        "verifiedDomain": l.verified_domain})
}

async fn run_op(
    env: &Env,
    client: &Client,
    op: &str,
    input: &Value,
    dir: &Path,
) -> Result<Value, Error> {
    Ok(match op {
        "invite" => invitation_json(&client.invite(&request(input)?).await?),
        "inviteIfAbsent" => {
            let o: InviteOutcome = client.invite_if_absent(&request(input)?).await?;
            json!({"invited": o.invited, "invitation": o.invitation.as_ref().map(invitation_json),
                "user": o.user.as_ref().map(user_json)})
        }
        "lookup" => lookup_json(&client.lookup(&s(input, "email")).await?),
        "status" => {
            let st = client.status(&s(input, "user")).await?;
            json!({"userId": st.user_id, "email": st.email, "state": st.raw_state, "changedAt": st.changed_at.map(|d| d.to_rfc3339())})
        }
        "guests" => {
            let state = input["state"]
                .as_str()
                .map(ExternalUserState::from_str)
                .transpose()?;
            let all = client.guests(state).collect_all().await?;
            let mut emails: Vec<String> = all.iter().filter_map(|g| g.email.clone()).collect();
            emails.sort();
            json!({"count": all.len(), "emails": emails})
        }
        "reset" => {
            let req = InvitationRequest::new(s(input, "email"), s(input, "redirectUrl"));
            invitation_json(&client.reset_redemption(&s(input, "user"), &req).await?)
        }
        "redeem" => env.redeem(&s(input, "email")).await,
        "faults" if input.is_null() => env.control("DELETE", "faults", None).await,
        "faults" => env.control("PUT", "faults", Some(input.clone())).await,
        "counters" => env.counters().await,
        "bulk" => bulk(client, input, dir).await?,
        other => panic!("unknown op {other}"),
    })
}

/// Writes the step's CSV to a file, runs a bulk invitation over it to the end, and answers
/// the canonical `{ summary, rows }` (rows in file order), or `{ completed, refused }` for
/// `concurrent` runs. `dir` is the scenario's own folder, where named results files live.
async fn bulk(client: &Client, input: &Value, dir: &Path) -> Result<Value, Error> {
    use base64::Engine as _;
    let bytes = match input["csvBase64"].as_str() {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .expect("csvBase64 is base64"),
        None => s(input, "csv").into_bytes(),
    };
    let path = dir.join("input.csv");
    std::fs::write(&path, bytes).unwrap();
    let opts = entra_invite::BulkOptions {
        dry_run: input["dryRun"].as_bool().unwrap_or(false),
        skip_existing: input["skipExisting"].as_bool().unwrap_or(true),
        results: input["results"]
            .as_str()
            .map(|n| dir.join(format!("{n}.csv"))),
        ..Default::default()
    };
    if let Some(n) = input["concurrent"].as_u64() {
        // Every run starts before any is drained.
        let runs: Vec<_> = (0..n)
            .map(|_| client.bulk_invite(&path, opts.clone()))
            .collect::<Result<_, _>>()?;
        let ends = futures_util::future::join_all(runs.into_iter().map(|r| r.finish())).await;
        let (mut completed, mut refused) = (0, 0);
        for e in ends {
            match e {
                Ok(_) => completed += 1,
                Err(e) if e.field() == Some("results") => refused += 1,
                Err(e) => return Err(e),
            }
        }
        return Ok(json!({"completed": completed, "refused": refused}));
    }
    let mut run = client.bulk_invite(&path, opts)?;
    let mut rows = Vec::new();
    while let Some(r) = run.next().await {
        let r = r?;
        rows.push(
            json!({"row": r.row, "email": r.email, "outcome": r.outcome.as_str(),
            "errorKind": r.error_kind, "userId": r.user_id, "redeemUrl": r.redeem_url}),
        );
    }
    rows.sort_by_key(|r| r["row"].as_u64());
    let sm = run.summary();
    Ok(json!({
        "summary": {"invited": sm.invited, "existing": sm.existing, "failed": sm.failed,
            "invalid": sm.invalid, "valid": sm.valid, "resumed": sm.resumed, "added": sm.added,
            "fixed": sm.fixed, "removed": sm.removed, "inputChanged": sm.input_changed},
        "rows": rows,
    }))
}

/// The keys each part of a scenario may have (tests/scenarios/README.md). Step `input` objects
/// are op-specific and not checked.
const TOP_KEYS: &[&str] = &["name", "setup", "client", "steps"];
const SETUP_KEYS: &[&str] = &["users", "domains", "faults", "policy"];
const CLIENT_KEYS: &[&str] = &["app", "maxRetries", "timeoutSecs"];
const STEP_KEYS: &[&str] = &["op", "input", "expect"];
const EXPECT_KEYS: &[&str] = &["ok", "okPrefix", "okPresent", "save", "error", "noRequest"];
const ERROR_KEYS: &[&str] = &["kind", "code", "field", "maybeApplied"];

/// One line per key of the scenario that the format does not know (a typo'd key would
/// otherwise be ignored, and the expectation it was meant to carry would never run).
fn unknown_keys(sc: &Value, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |v: &Value, allowed: &[&str], ctx: &str, part: &str| {
        let keys = v.as_object().into_iter().flat_map(|o| o.keys());
        for k in keys.filter(|k| !allowed.contains(&k.as_str())) {
            let allowed = allowed.join(", ");
            out.push(format!(
                "{ctx}: unknown key \"{k}\" in {part} (allowed: {allowed})"
            ));
        }
    };
    check(sc, TOP_KEYS, name, "the scenario");
    check(&sc["setup"], SETUP_KEYS, name, "setup");
    check(&sc["client"], CLIENT_KEYS, name, "client");
    for (i, step) in sc["steps"].as_array().into_iter().flatten().enumerate() {
        let ctx = format!("{name} step {i} ({})", step["op"].as_str().unwrap_or("?"));
        let expect = &step["expect"];
        check(step, STEP_KEYS, &ctx, "the step");
        check(expect, EXPECT_KEYS, &ctx, "expect");
        check(&expect["error"], ERROR_KEYS, &ctx, "expect.error");
    }
    out
}

async fn run_scenario(path: &PathBuf) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let sc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let unknown = unknown_keys(&sc, &name);
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    let env = Env::start().await;
    let setup = &sc["setup"];
    for d in setup["domains"].as_array().into_iter().flatten() {
        env.control("POST", "domains", Some(d.clone())).await;
    }
    for u in setup["users"].as_array().into_iter().flatten() {
        env.add_user(u.clone()).await;
    }
    if !setup["policy"].is_null() {
        env.control("POST", "policy", Some(setup["policy"].clone()))
            .await;
    }
    if !setup["faults"].is_null() {
        env.faults(setup["faults"].clone()).await;
    }
    let mut settings = env.settings();
    match sc["client"]["app"].as_str().unwrap_or("default") {
        "default" => {}
        "readonly" => {
            settings.client_id = Some(READONLY_CLIENT_ID.into());
            settings.client_secret = Some(READONLY_CLIENT_SECRET.into());
        }
        "wrongSecret" => {
            settings.client_id = Some(DEFAULT_CLIENT_ID.into());
            settings.client_secret = Some("not-the-secret".into());
        }
        other => panic!("{name}: unknown app {other}"),
    }
    settings.max_retries = sc["client"]["maxRetries"].as_u64().map(|n| n as usize);
    if let Some(t) = sc["client"]["timeoutSecs"].as_f64() {
        settings.timeout = Some(std::time::Duration::from_secs_f64(t));
    }
    let client = settings.build().unwrap();
    let mut saved: HashMap<String, Value> = HashMap::new();
    let dir = std::env::temp_dir().join(format!(
        "ei-scenario-{}-{}",
        std::process::id(),
        name.trim_end_matches(".json")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, step) in sc["steps"].as_array().unwrap().iter().enumerate() {
        let op = step["op"].as_str().unwrap();
        let ctx = format!("{name} step {i} ({op})");
        let input = subst(&step["input"], &saved, &ctx);
        let expect = subst(&step["expect"], &saved, &ctx);
        let before = env.counter("totalRequests").await;
        let result = run_op(&env, &client, op, &input, &dir).await;
        let after = env.counter("totalRequests").await;
        if let Some(want) = expect.get("error") {
            let e = match result {
                Err(e) => e,
                Ok(v) => panic!("{ctx}: expected an error {want}, got {v}"),
            };
            if let Some(k) = want["kind"].as_str() {
                assert_eq!(e.kind().as_str(), k, "{ctx}: {e}");
            }
            if let Some(c) = want["code"].as_str() {
                assert_eq!(e.code(), Some(c), "{ctx}: {e}");
            }
            if let Some(f) = want["field"].as_str() {
                assert_eq!(e.field(), Some(f), "{ctx}: {e}");
            }
            if let Some(m) = want.get("maybeApplied").and_then(Value::as_bool) {
                assert_eq!(e.maybe_applied(), m, "{ctx}: maybeApplied of {e}");
            }
            if expect["noRequest"].as_bool() == Some(true) {
                // The counter read itself is not counted; nothing else may have happened.
                assert_eq!(before, after, "{ctx}: a request reached Graph");
            }
            continue;
        }
        if expect["noRequest"].as_bool() == Some(true) {
            assert_eq!(before, after, "{ctx}: a request reached Graph");
        }
        let v = result.unwrap_or_else(|e| panic!("{ctx}: {e}"));
        for (p, want) in expect["ok"].as_object().into_iter().flatten() {
            assert_eq!(at(&v, p, &ctx), want, "{ctx}: {p} in {v}");
        }
        for (p, want) in expect["okPrefix"].as_object().into_iter().flatten() {
            let got = at(&v, p, &ctx);
            let got = got
                .as_str()
                .unwrap_or_else(|| panic!("{ctx}: {p} = {got} is not a string"));
            assert!(
                got.starts_with(want.as_str().unwrap()),
                "{ctx}: {p} = {got}"
            );
        }
        for p in expect["okPresent"].as_array().into_iter().flatten() {
            let p = p.as_str().unwrap();
            assert!(!at(&v, p, &ctx).is_null(), "{ctx}: {p} is null in {v}");
        }
        for (k, p) in expect["save"].as_object().into_iter().flatten() {
            saved.insert(k.clone(), at(&v, p.as_str().unwrap(), &ctx).clone());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    env.emu.stop().await;
}

#[tokio::test]
async fn every_shared_scenario() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "scenarios missing");
    for f in &files {
        run_scenario(f).await;
    }
}
