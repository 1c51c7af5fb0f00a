//! Test support for entra-invite users: an in-process Graph emulator with its control API, so
//! every language's testing package (`entra-invite-testing` on PyPI and npm, the Kotlin and
//! Swift testing artifacts) is the same code. The product crates never depend on this one, so
//! production packages do not carry the emulator.

use std::sync::atomic::{AtomicU32, Ordering};

use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

use entra_invite::{Error, ErrorKind, Settings};

pub use entra_invite_emulator::{READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};

/// A running emulator. Must be started and stopped on the shared runtime (`entra_invite::spawn`).
pub struct TestEmulator {
    emu: Option<Emulator>,
    url: String,
    ca_cert_pem: Option<String>,
    http: reqwest::Client,
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Network, format!("emulator: {e}"))
}

impl TestEmulator {
    /// Starts on an ephemeral loopback port; `https` serves TLS with a fresh self-signed cert.
    pub async fn start(https: bool) -> Result<Self, Error> {
        static N: AtomicU32 = AtomicU32::new(0);
        let mut cfg = Config::default();
        if https {
            let n = N.fetch_add(1, Ordering::Relaxed);
            cfg.https = Some(std::env::temp_dir().join(format!(
                "entra-invite-emulator-{}-{n}.pem",
                std::process::id()
            )));
        }
        let emu = Emulator::start(cfg).await.map_err(fail)?;
        let url = emu.base_url().to_string();
        let ca_cert_pem = emu.ca_cert_pem().map(str::to_string);
        let mut b = entra_invite::runtime::http_builder();
        if let Some(pem) = &ca_cert_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(fail)?;
            b = b.tls_certs_only(certs);
        }
        let http = b.build().map_err(fail)?;
        Ok(TestEmulator {
            emu: Some(emu),
            url,
            ca_cert_pem,
            http,
        })
    }

    /// Base URL (`http://127.0.0.1:PORT`): pass it as `graph_url`.
    pub fn url(&self) -> &str {
        &self.url
    }
    pub fn tenant(&self) -> &'static str {
        DEFAULT_TENANT
    }
    pub fn client_id(&self) -> &'static str {
        DEFAULT_CLIENT_ID
    }
    pub fn client_secret(&self) -> &'static str {
        DEFAULT_CLIENT_SECRET
    }
    /// The self-signed certificate to trust, when started with https.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_cert_pem.as_deref()
    }

    /// Settings for a client of the default app against this emulator.
    pub fn settings(&self) -> Settings {
        Settings {
            tenant: Some(DEFAULT_TENANT.into()),
            client_id: Some(DEFAULT_CLIENT_ID.into()),
            client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
            graph_url: Some(self.url.clone()),
            ca_cert_pem: self.ca_cert_pem.clone(),
            ..Default::default()
        }
    }

    /// Any control-API call: `method` `/_emulator/{path}` with an optional JSON body.
    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, Error> {
        let m = reqwest::Method::from_bytes(method.as_bytes()).map_err(fail)?;
        let mut r = self.http.request(
            m,
            format!("{}/_emulator/{}", self.url, path.trim_start_matches('/')),
        );
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.map_err(fail)?;
        let status = resp.status();
        let text = resp.text().await.map_err(fail)?;
        if !status.is_success() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("emulator {method} {path}: {status} {text}"),
            )
            .with_status(status.as_u16()));
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The guest accepts their invitation (by email or user id).
    pub async fn redeem(&self, email_or_id: &str) -> Result<Value, Error> {
        let body = if uuid::Uuid::parse_str(email_or_id.trim()).is_ok() {
            json!({"userId": email_or_id})
        } else {
            json!({"email": email_or_id})
        };
        self.control("POST", "redeem", Some(body)).await
    }
    /// Invitation emails "sent" so far.
    pub async fn outbox(&self) -> Result<Value, Error> {
        self.control("GET", "outbox", None).await
    }
    /// Replaces the active faults (the Faults JSON of the emulator's CONTROL_API.md).
    pub async fn set_faults(&self, faults: Value) -> Result<(), Error> {
        self.control("PUT", "faults", Some(faults))
            .await
            .map(|_| ())
    }
    /// Request counters (per route and status, invitations created, early retries, tokens).
    pub async fn stats(&self) -> Result<Value, Error> {
        self.control("GET", "counters", None).await
    }
    pub async fn add_user(&self, user: Value) -> Result<Value, Error> {
        self.control("POST", "users", Some(user)).await
    }
    pub async fn reset(&self) -> Result<(), Error> {
        self.control("POST", "reset", None).await.map(|_| ())
    }

    pub async fn stop(mut self) {
        if let Some(e) = self.emu.take() {
            e.stop().await;
        }
    }
}
