//! The thin-client floor for `bench/run.sh`: raw reqwest + serde_json on a current-thread tokio
//! runtime, the same requests and workloads as `client-bench` (one JSON line of figures).
//!
//!   reqwest-floor --workload seq-invite --n 500 --url URL --token TOKEN

use std::time::Instant;

use entra_invite_bench::{run_workload, ClientArgs, Ops, REDIRECT, USER_SELECT};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InviteBody<'a> {
    invited_user_email_address: &'a str,
    invite_redirect_url: &'a str,
    invited_user_display_name: &'a str,
    send_invitation_message: bool,
    invited_user_type: &'a str,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct InvitationOut {
    id: String,
    status: String,
    invite_redeem_url: Option<String>,
    invited_user_email_address: Option<String>,
    invited_user: IdOnly,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct UserOut {
    id: String,
    display_name: Option<String>,
    mail: Option<String>,
    user_principal_name: Option<String>,
    user_type: Option<String>,
    external_user_state: Option<String>,
}

#[derive(Deserialize)]
struct Page {
    value: Vec<UserOut>,
}

struct Raw {
    http: reqwest::Client,
    base: String,
    auth: String,
}

fn err(e: reqwest::Error) -> String {
    e.to_string()
}

/// The answer's JSON body.
async fn body<T: DeserializeOwned>(r: reqwest::Response) -> Result<T, String> {
    serde_json::from_slice(&r.bytes().await.map_err(err)?).map_err(|e| e.to_string())
}

impl Raw {
    /// GET `{base}/{path}` with `query`; any status but 2xx is an error.
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, String> {
        let r = self
            .http
            .get(format!("{}/{path}", self.base))
            .query(query)
            .header("authorization", &self.auth)
            .send()
            .await
            .map_err(err)?
            .error_for_status()
            .map_err(err)?;
        body(r).await
    }
}

impl Ops for Raw {
    async fn invite(&self, email: String) -> Result<String, String> {
        let payload = serde_json::to_vec(&InviteBody {
            invited_user_email_address: &email,
            invite_redirect_url: REDIRECT,
            invited_user_display_name: "Guest User",
            send_invitation_message: false,
            invited_user_type: "Guest",
        })
        .map_err(|e| e.to_string())?;
        let r = self
            .http
            .post(format!("{}/invitations", self.base))
            .header("authorization", &self.auth)
            .header("content-type", "application/json")
            .body(payload)
            .send()
            .await
            .map_err(err)?;
        if r.status().as_u16() != 201 {
            return Err(format!("HTTP {}", r.status()));
        }
        let inv: InvitationOut = body(r).await?;
        if inv.status != "PendingAcceptance" {
            return Err(inv.status);
        }
        Ok(inv.invited_user.id)
    }

    async fn lookup(&self, email: String) -> Result<(), String> {
        let filter = format!("mail eq '{email}'");
        let page: Page = self
            .get(
                "users",
                &[("$filter", filter.as_str()), ("$select", USER_SELECT)],
            )
            .await?;
        page.value
            .first()
            .map(drop)
            .ok_or_else(|| "no user".to_string())
    }

    async fn status(&self, id: String) -> Result<(), String> {
        let u: UserOut = self
            .get(&format!("users/{id}"), &[("$select", USER_SELECT)])
            .await?;
        u.external_user_state
            .map(drop)
            .ok_or_else(|| "no externalUserState".to_string())
    }
}

fn main() {
    let started = Instant::now();
    let args = ClientArgs::from_env();
    let s0 = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ops = Raw {
        http: reqwest::Client::new(),
        base: format!("{}/v1.0", args.url),
        auth: format!("Bearer {}", args.token),
    };
    let setup_ms = s0.elapsed().as_secs_f64() * 1e3;
    let out = rt.block_on(run_workload(
        "reqwest (raw)",
        &ops,
        &args,
        started,
        setup_ms,
    ));
    println!("{out}");
}
