//! Test support, shipped for users' own tests too: the core's in-process Graph emulator with
//! its control API (JSON text in and out), two probes showing where calls run, and a hook
//! forcing an internal panic (to prove none crosses into Kotlin or Swift).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_invite::spawn;
use entra_invite_testing::{self as testing, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use serde_json::Value;

use crate::config::ClientConfig;
use crate::errors::{invalid, Result};
use crate::secret::Secret;

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
/// certificate (trusted by the `clientConfig()` it hands out).
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

    /// A client configuration for the default app against this emulator.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            tenant: Some(self.tenant.clone()),
            client_id: Some(self.client_id.clone()),
            client_secret: Some(Secret::new(self.client_secret.clone())),
            certificate_path: None,
            certificate_password: None,
            federated_token_file: None,
            token: None,
            token_provider: None,
            cloud: None,
            graph_url: Some(self.url.clone()),
            authority_url: None,
            ca_cert: None,
            ca_cert_pem: self.ca_cert_pem.clone(),
            timeout: None,
            max_retries: None,
            invitations_per5s: None,
        }
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

/// Whether the library's runtime has started in this process (loading it starts nothing).
#[uniffi::export]
pub fn runtime_started() -> bool {
    entra_invite::runtime::is_started()
}

/// The name of the thread an async call runs on (`entra-invite-rt`).
#[uniffi::export]
pub async fn runtime_thread_name() -> Result<String> {
    let name = spawn(async { Ok(std::thread::current().name().unwrap_or("").to_string()) }).await?;
    Ok(name)
}

/// Test hook: a call whose task panics inside the library, on the path a bug's panic would
/// take. It fails with an `Internal` error (never a crash), and the library keeps working.
#[uniffi::export]
pub async fn debug_force_internal_error() -> Result<()> {
    entra_invite::runtime::spawn_panicking_task().await?;
    Ok(())
}
