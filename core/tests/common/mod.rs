//! Test helpers: an emulator per test and its control API.
#![allow(dead_code)]

use std::ops::Deref;
use std::path::{Path, PathBuf};

use entra_invite::{
    BulkOptions, BulkSummary, Client, ClientBuilder, Credential, Error, Invitation,
    InvitationRequest, InviteOutcome, Settings,
};
use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

pub struct Env {
    pub emu: Emulator,
    pub base: String,
    http: reqwest::Client,
}

/// Settings for the app `client_id` (with its secret) in the default tenant, against `graph_url`.
pub fn app_settings(graph_url: &str, client_id: &str, client_secret: &str) -> Settings {
    Settings {
        tenant: Some(DEFAULT_TENANT.into()),
        client_id: Some(client_id.into()),
        client_secret: Some(client_secret.into()),
        graph_url: Some(graph_url.into()),
        ..Default::default()
    }
}

/// An invitation to `email` that lands on My Apps.
pub fn req(email: &str) -> InvitationRequest {
    InvitationRequest::new(email, "https://myapps.microsoft.com/")
}

/// Faults scripting one rule for `method` on paths containing `path`; `rule` adds its status,
/// times, actFirst, drop...
pub fn scripted(method: &str, path: &str, rule: Value) -> Value {
    let mut r = json!({"method": method, "pathContains": path});
    if let (Some(r), Some(extra)) = (r.as_object_mut(), rule.as_object()) {
        r.extend(extra.clone());
    }
    json!({ "scripted": [r] })
}

/// Faults scripting one rule for `POST /invitations`.
pub fn on_invite(rule: Value) -> Value {
    scripted("POST", "/invitations", rule)
}

/// Graph creates the guest but its answer (with the redeem URL) is unreadable, and queries show
/// the new guest only after `lag_ms`.
pub fn unreadable_201(lag_ms: u64) -> Value {
    let mut f = on_invite(json!({"status": 201, "actFirst": true, "body": "{not json"}));
    f["replicationLagMs"] = json!(lag_ms);
    f
}

/// The error a client built from `s` meets looking up an address.
pub async fn lookup_err(s: Settings) -> Error {
    let client = s.build().expect("client builds");
    client.lookup("a@fabrikam.com").await.unwrap_err()
}

/// A self-signed certificate for `name` and its key, both PEM.
pub fn test_certificate(name: &str) -> (String, String) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let cert = rcgen::CertificateParams::new(vec![name.to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

/// An empty folder of this test process's own, `ei-{name}-{pid}` in the temp dir.
pub fn fresh_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ei-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Env {
    pub async fn start() -> Env {
        Env::start_with(Config::default()).await
    }

    /// An emulator started with `cfg`; the control API trusts its certificate when on https.
    pub async fn start_with(cfg: Config) -> Env {
        let emu = Emulator::start(cfg).await.expect("emulator starts");
        let base = emu.base_url().to_string();
        let mut http = reqwest::Client::builder();
        if let Some(pem) = emu.ca_cert_pem() {
            http =
                http.tls_certs_only(reqwest::Certificate::from_pem_bundle(pem.as_bytes()).unwrap());
        }
        Env {
            emu,
            base,
            http: http.build().unwrap(),
        }
    }

    /// An emulator with `faults` already active.
    pub async fn with_faults(faults: Value) -> Env {
        let env = Env::start().await;
        env.faults(faults).await;
        env
    }

    pub fn settings(&self) -> Settings {
        app_settings(&self.base, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    }

    pub fn client(&self) -> Client {
        self.settings().build().expect("client builds")
    }

    /// The default app's client with no client-side invitation pacing.
    pub fn unpaced(&self) -> Client {
        self.settings()
            .into_builder()
            .unwrap()
            .invitation_pacing(None)
            .build()
            .unwrap()
    }

    /// A client builder pointed at this emulator, with no tenant or credential yet.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder().graph_url(&self.base)
    }

    /// A client of the default tenant signing in with `cred`.
    pub fn client_with(&self, cred: Credential) -> Client {
        self.builder()
            .tenant(DEFAULT_TENANT)
            .credential(cred)
            .build()
            .unwrap()
    }

    /// One invitation to `email` by a fresh default client.
    pub async fn invite(&self, email: &str) -> Result<Invitation, Error> {
        self.client().invite(&req(email)).await
    }

    pub async fn invite_if_absent(&self, email: &str) -> Result<InviteOutcome, Error> {
        self.client().invite_if_absent(&req(email)).await
    }

    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/_emulator/{}", self.base, path);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.http.request(m, &url);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.expect("control API answers");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn counters(&self) -> Value {
        self.control("GET", "counters", None).await
    }

    pub async fn counter(&self, name: &str) -> u64 {
        self.counters().await[name].as_u64().unwrap_or(0)
    }

    /// Requests counted for a route key such as `POST /v1.0/invitations` (all statuses).
    pub async fn route_count(&self, route: &str) -> u64 {
        let c = self.counters().await;
        c["requests"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.starts_with(&format!("{route} ")))
                    .map(|(_, v)| v.as_u64().unwrap_or(0))
                    .sum()
            })
            .unwrap_or(0)
    }

    pub async fn faults(&self, f: Value) {
        self.control("PUT", "faults", Some(f)).await;
    }

    pub async fn redeem(&self, email: &str) -> Value {
        self.control("POST", "redeem", Some(json!({"email": email})))
            .await
    }

    pub async fn add_user(&self, u: Value) -> Value {
        self.control("POST", "users", Some(u)).await
    }

    /// Registers an app (`clientId`, its secret, certificate or federation, roles...).
    pub async fn add_app(&self, app: Value) -> Value {
        self.control("POST", "apps", Some(app)).await
    }

    /// An access token the emulator issues directly (`body`: e.g. `expiresInSecs`).
    pub async fn token(&self, body: Value) -> String {
        self.control("POST", "tokens", Some(body)).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A federated (workload identity) token for `subject`.
    pub async fn federated_token(&self, subject: &str) -> String {
        let t = self
            .control(
                "POST",
                "federated-token",
                Some(json!({ "subject": subject })),
            )
            .await;
        t["token"].as_str().unwrap().to_string()
    }

    /// Invitation emails "sent" so far.
    pub async fn outbox(&self) -> Value {
        self.control("GET", "outbox", None).await
    }

    /// Whom the emails sent so far went to, sorted.
    pub async fn outbox_to(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .outbox()
            .await
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["to"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    }
}

/// The heading of a plain bulk input CSV.
pub const HEAD: &str = "invitedUserEmailAddress,inviteRedirectUrl,sendInvitationMessage\n";

/// A plain bulk input: one row per address, to My Apps, no email.
pub fn csv_of<S: AsRef<str>>(rows: &[S]) -> String {
    let mut s = HEAD.to_string();
    for r in rows {
        s.push_str(&format!(
            "{},https://myapps.microsoft.com/,false\n",
            r.as_ref()
        ));
    }
    s
}

/// `n` rows `{prefix}{i}@fabrikam.com`.
pub fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{prefix}{i}@fabrikam.com"))
        .collect()
}

/// A results file's lines (row, email, outcome, user_id, redeem_url, message...).
pub fn lines(results: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(results).unwrap();
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// One bulk test's world: an emulator, an unpaced client, and a folder of its own holding the
/// input `in.csv`, with the results file's path beside it.
pub struct Bulk {
    pub env: Env,
    pub client: Client,
    pub dir: PathBuf,
    pub input: PathBuf,
    pub results: PathBuf,
}

impl Deref for Bulk {
    type Target = Env;
    fn deref(&self) -> &Env {
        &self.env
    }
}

impl Bulk {
    pub async fn start(name: &str, input_text: &str) -> Bulk {
        let env = Env::start().await;
        let dir = fresh_dir(name);
        let input = dir.join("in.csv");
        std::fs::write(&input, input_text).unwrap();
        Bulk {
            client: env.unpaced(),
            env,
            results: dir.join("results.csv"),
            input,
            dir,
        }
    }

    /// Options writing this test's results file.
    pub fn opts(&self) -> BulkOptions {
        results_to(&self.results)
    }

    /// [`Bulk::opts`] inviting every row, even addresses already in the tenant.
    pub fn no_skip(&self) -> BulkOptions {
        BulkOptions {
            skip_existing: false,
            ..self.opts()
        }
    }

    /// A whole run of this test's input.
    pub async fn run(&self, o: BulkOptions) -> Result<BulkSummary, Error> {
        run(&self.client, &self.input, o).await
    }

    pub fn lines(&self) -> Vec<Vec<String>> {
        lines(&self.results)
    }

    pub async fn stop(self) {
        self.env.emu.stop().await;
    }
}

/// Bulk options writing the results to `results`.
pub fn results_to(results: &Path) -> BulkOptions {
    BulkOptions {
        results: Some(results.to_path_buf()),
        ..Default::default()
    }
}

/// A whole bulk run of `input`.
pub async fn run(client: &Client, input: &Path, o: BulkOptions) -> Result<BulkSummary, Error> {
    client.bulk_invite(input, o)?.finish().await
}
