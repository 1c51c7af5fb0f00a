//! Test support for the Swift and Kotlin bindings, as a library of its own
//! (`libentra_invite_ffi_testing`): the in-process Graph emulator with its control API (JSON
//! text in and out). Shipped as the optional testing artifact (Maven
//! `com.entrainvite:entra-invite-testing`, SwiftPM product `EntraInviteTesting`), so the
//! production library never contains the emulator.
//!
//! What needs the production types (a `ClientOptions` for the emulator) is built in the
//! languages' own test-support code from this object's fields (`TestEmulator.clientConfig()`
//! in Kotlin and Swift). This library carries its own copy of the core and its runtime, on
//! which the emulator runs: accepted for test support.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_invite::spawn;
use entra_invite_testing::{self as testing, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use serde_json::Value;

uniffi::setup_scaffolding!("entra_invite_testing");

/// A failure of the emulator or of a call to it (not an error of the client under test).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum EmulatorError {
    /// A bad argument (e.g. a body that is not JSON), or the emulator is stopped.
    #[error("{detail}")]
    InvalidArgument { detail: String },
    /// The emulator failed to start or to answer (`kind`: the core's error kind).
    #[error("{kind}: {detail}")]
    Failed { kind: String, detail: String },
}

impl From<entra_invite::Error> for EmulatorError {
    fn from(e: entra_invite::Error) -> Self {
        EmulatorError::Failed {
            kind: e.kind().to_string(),
            detail: e.message().to_string(),
        }
    }
}

type Result<T> = std::result::Result<T, EmulatorError>;

fn invalid(field: &str, why: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::InvalidArgument {
        detail: format!("{field} {why}"),
    }
}

/// A running emulator: Graph's invitation and user endpoints plus the token endpoint, on a
/// loopback port (see `startEmulator`).
#[derive(uniffi::Object)]
pub struct TestEmulator {
    emu: Mutex<Option<Arc<testing::TestEmulator>>>,
    url: String,
    tenant: String,
    client_id: String,
    client_secret: String,
    ca_cert_pem: Option<String>,
}

/// Starts an emulator on a free loopback port; `https` serves TLS with a fresh self-signed
/// certificate (`caCertPem`, trusted by the `clientConfig()` the test support builds).
#[uniffi::export]
pub async fn start_emulator(https: bool) -> Result<Arc<TestEmulator>> {
    let emu = spawn(async move { testing::TestEmulator::start(https).await }).await?;
    Ok(Arc::new(TestEmulator {
        url: emu.url().to_string(),
        tenant: emu.tenant().to_string(),
        client_id: emu.client_id().to_string(),
        client_secret: emu.client_secret().to_string(),
        ca_cert_pem: emu.ca_cert_pem().map(str::to_string),
        emu: Mutex::new(Some(Arc::new(emu))),
    }))
}

fn json(field: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| invalid(field, format!("is not JSON: {e}")))
}

fn text(v: &Value) -> String {
    v.to_string()
}

impl TestEmulator {
    fn running(&self) -> Result<Arc<testing::TestEmulator>> {
        self.emu
            .lock()
            .ok()
            .and_then(|g| g.clone())
            .ok_or_else(|| invalid("emulator", "is stopped"))
    }
}

#[uniffi::export]
impl TestEmulator {
    /// Base URL (`http://127.0.0.1:PORT`): the client's `graphUrl`.
    pub fn url(&self) -> String {
        self.url.clone()
    }
    pub fn tenant(&self) -> String {
        self.tenant.clone()
    }
    /// The default app (may invite and read users).
    pub fn client_id(&self) -> String {
        self.client_id.clone()
    }
    /// The default app's secret (a well-known test value, not a real secret).
    pub fn client_secret(&self) -> String {
        self.client_secret.clone()
    }
    /// An app that may only read users (inviting is `PermissionDenied`).
    pub fn readonly_client_id(&self) -> String {
        READONLY_CLIENT_ID.to_string()
    }
    pub fn readonly_client_secret(&self) -> String {
        READONLY_CLIENT_SECRET.to_string()
    }
    /// The certificate to trust when started with https.
    pub fn ca_cert_pem(&self) -> Option<String> {
        self.ca_cert_pem.clone()
    }

    /// Any control-API call: `method` `/_emulator/{path}` with an optional JSON body; answers
    /// the JSON the emulator sent (`null` when it sent none).
    pub async fn control(
        &self,
        method: String,
        path: String,
        body: Option<String>,
    ) -> Result<String> {
        let emu = self.running()?;
        let body = body.map(|b| json("body", &b)).transpose()?;
        let v = spawn(async move { emu.control(&method, &path, body).await }).await?;
        Ok(text(&v))
    }

    /// The guest accepts their invitation (by email or object id); answers the user JSON.
    pub async fn redeem(&self, email_or_id: String) -> Result<String> {
        let emu = self.running()?;
        let v = spawn(async move { emu.redeem(&email_or_id).await }).await?;
        Ok(text(&v))
    }

    /// Invitation emails "sent" so far (a JSON array).
    pub async fn outbox(&self) -> Result<String> {
        let emu = self.running()?;
        let v = spawn(async move { emu.outbox().await }).await?;
        Ok(text(&v))
    }

    /// Replaces the active faults (throttling, scripted failures, latency...).
    pub async fn set_faults(&self, faults_json: String) -> Result<()> {
        let emu = self.running()?;
        let faults = json("faults", &faults_json)?;
        spawn(async move { emu.set_faults(faults).await }).await?;
        Ok(())
    }

    /// Request counters (`totalRequests`, `invitationsCreated`, per route...).
    pub async fn stats(&self) -> Result<String> {
        let emu = self.running()?;
        let v = spawn(async move { emu.stats().await }).await?;
        Ok(text(&v))
    }

    /// Adds a user (Graph user properties as JSON); answers the created user.
    pub async fn add_user(&self, user_json: String) -> Result<String> {
        let emu = self.running()?;
        let user = json("user", &user_json)?;
        let v = spawn(async move { emu.add_user(user).await }).await?;
        Ok(text(&v))
    }

    /// Back to the initial state (users, counters, outbox, faults).
    pub async fn reset(&self) -> Result<()> {
        let emu = self.running()?;
        spawn(async move { emu.reset().await }).await?;
        Ok(())
    }

    /// Stops the server (idempotent); waits for its calls still in flight.
    pub async fn stop(&self) -> Result<()> {
        let taken = self.emu.lock().ok().and_then(|mut g| g.take());
        let Some(mut emu) = taken else {
            return Ok(());
        };
        spawn(async move {
            loop {
                match Arc::try_unwrap(emu) {
                    Ok(e) => {
                        e.stop().await;
                        return Ok(());
                    }
                    Err(shared) => {
                        emu = shared;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            }
        })
        .await?;
        Ok(())
    }
}
