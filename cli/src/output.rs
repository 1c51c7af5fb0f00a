//! How results are shown: a readable table, or JSON with `--json`.

use entra_invite::{Error, GuestStatus, Invitation, InviteOutcome, Lookup, User};
use serde_json::{json, Value};

pub fn invitation_json(inv: &Invitation) -> Value {
    serde_json::to_value(inv).unwrap_or(Value::Null)
}

pub fn user_json(u: &User) -> Value {
    serde_json::to_value(u).unwrap_or(Value::Null)
}

pub fn status_json(s: &GuestStatus) -> Value {
    json!({
        "userId": s.user_id,
        "email": s.email,
        "displayName": s.display_name,
        "userPrincipalName": s.user_principal_name,
        "userType": s.user_type,
        "externalUserState": s.raw_state,
        "externalUserStateChangeDateTime": s.changed_at.map(|d| d.to_rfc3339()),
    })
}

pub fn lookup_json(l: &Lookup) -> Value {
    json!({"exists": l.exists, "user": l.user.as_ref().map(user_json),
        "verifiedDomain": l.verified_domain})
}

pub fn outcome_json(o: &InviteOutcome) -> Value {
    json!({"invited": o.invited, "invitation": o.invitation.as_ref().map(invitation_json),
        "user": o.user.as_ref().map(user_json)})
}

pub fn error_json(e: &Error) -> Value {
    json!({"error": {
        "kind": e.kind().as_str(), "message": e.message(), "field": e.field(), "status": e.status(),
        "code": e.code(), "requestId": e.request_id(), "clientRequestId": e.client_request_id(),
        "retryAfterSeconds": e.retry_after().map(|d| d.as_secs_f64()),
    }})
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// Rows of label/value pairs, aligned.
pub fn fields(rows: &[(&str, String)]) -> String {
    let w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:<w$}  {v}\n"))
        .collect()
}

pub fn invitation_text(inv: &Invitation) -> String {
    fields(&[
        ("invitation", opt(&inv.id).to_string()),
        ("email", opt(&inv.invited_user_email_address).to_string()),
        ("user id", inv.invited_user_id().unwrap_or("-").to_string()),
        (
            "upn",
            inv.invited_user
                .as_ref()
                .and_then(|u| u.user_principal_name.clone())
                .unwrap_or_else(|| "-".into()),
        ),
        ("type", opt(&inv.invited_user_type).to_string()),
        (
            "email sent",
            inv.send_invitation_message.unwrap_or(false).to_string(),
        ),
        ("status", opt(&inv.status).to_string()),
        ("redeem url", opt(&inv.invite_redeem_url).to_string()),
    ])
}

pub fn user_text(u: &User) -> String {
    fields(&[
        ("user id", u.id.clone()),
        ("name", opt(&u.display_name).to_string()),
        ("mail", opt(&u.mail).to_string()),
        ("upn", opt(&u.user_principal_name).to_string()),
        ("type", opt(&u.user_type).to_string()),
        ("state", opt(&u.external_user_state).to_string()),
    ])
}

pub fn lookup_text(email: &str, l: &Lookup) -> String {
    match (&l.user, &l.verified_domain) {
        (Some(u), _) => format!("{email}: exists\n{}", user_text(u)),
        (None, Some(d)) => format!("{email}: no user, and {d} is a verified domain of the tenant (add them as a member, not a guest)\n"),
        (None, None) => format!("{email}: no user in the tenant\n"),
    }
}

pub fn status_text(s: &GuestStatus) -> String {
    fields(&[
        ("user id", s.user_id.clone()),
        ("email", opt(&s.email).to_string()),
        ("upn", opt(&s.user_principal_name).to_string()),
        ("type", opt(&s.user_type).to_string()),
        ("state", opt(&s.raw_state).to_string()),
        (
            "changed",
            s.changed_at
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| "-".into()),
        ),
    ])
}

pub fn guests_table(gs: &[GuestStatus]) -> String {
    let rows: Vec<[String; 4]> = gs
        .iter()
        .map(|g| {
            [
                opt(&g.email).to_string(),
                opt(&g.raw_state).to_string(),
                g.changed_at
                    .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_else(|| "-".into()),
                g.user_id.clone(),
            ]
        })
        .collect();
    let head = ["EMAIL", "STATE", "CHANGED (UTC)", "USER ID"];
    let mut w = head.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.len());
        }
    }
    let line = |c: [&str; 4]| {
        format!(
            "{:<a$}  {:<b$}  {:<c$}  {}\n",
            c[0],
            c[1],
            c[2],
            c[3],
            a = w[0],
            b = w[1],
            c = w[2]
        )
    };
    let mut out = line(head);
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
    }
    out.push_str(&format!("{} guest(s)\n", rows.len()));
    out
}

pub fn error_text(e: &Error) -> String {
    let mut s = format!("error: {}: {}", e.kind(), e.message());
    if let Some(c) = e.code() {
        s.push_str(&format!("\n  code: {c}"));
    }
    if let Some(st) = e.status() {
        s.push_str(&format!("\n  status: {st}"));
    }
    if let Some(r) = e.request_id() {
        s.push_str(&format!("\n  request-id: {r}"));
    }
    if let Some(r) = e.retry_after() {
        s.push_str(&format!("\n  retry after: {:.1}s", r.as_secs_f64()));
    }
    s
}
