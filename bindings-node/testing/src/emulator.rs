//! The in-process Graph emulator (`entra_invite_testing::TestEmulator`) for users' own tests. It
//! runs on this addon's copy of the core runtime; clients reach it over loopback HTTP.

use std::sync::{Arc, Mutex};

use entra_invite_testing::{TestEmulator, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

/// A running emulator (`startEmulator()` makes one).
#[napi]
pub struct NativeEmulator {
    emu: Mutex<Option<Arc<TestEmulator>>>,
    url: String,
    tenant: String,
    client_id: String,
    client_secret: String,
    ca_cert_pem: Option<String>,
}

/// Starts an emulator on a free loopback port; `https` serves TLS with a fresh certificate.
#[napi(catch_unwind, ts_return_type = "Promise<NativeEmulator>")]
pub fn start_emulator(env: &Env, https: Option<bool>) -> Result<AsyncBlock<NativeEmulator>> {
    let https = https.unwrap_or(false);
    AsyncBlockBuilder::new(async move {
        // Already on the core runtime (napi's backend), as the emulator requires.
        let emu = TestEmulator::start(https).await?;
        Ok(NativeEmulator {
            url: emu.url().to_string(),
            tenant: emu.tenant().to_string(),
            client_id: emu.client_id().to_string(),
            client_secret: emu.client_secret().to_string(),
            ca_cert_pem: emu.ca_cert_pem().map(str::to_string),
            emu: Mutex::new(Some(Arc::new(emu))),
        })
    })
    .build(env)
}

impl NativeEmulator {
    fn running(&self) -> std::result::Result<Arc<TestEmulator>, entra_invite::Error> {
        self.emu
            .lock()
            .ok()
            .and_then(|g| g.clone())
            .ok_or_else(|| entra_invite::Error::invalid_input("emulator", "is stopped"))
    }

    fn call<F, Fut>(&self, env: &Env, f: F) -> Result<AsyncBlock<Value>>
    where
        F: FnOnce(Arc<TestEmulator>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = std::result::Result<Value, entra_invite::Error>> + Send,
    {
        let emu = self.running();
        AsyncBlockBuilder::new(async move { Ok(f(emu?).await?) }).build(env)
    }
}

#[napi]
impl NativeEmulator {
    #[napi(catch_unwind, getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }
    #[napi(catch_unwind, getter)]
    pub fn tenant(&self) -> String {
        self.tenant.clone()
    }
    #[napi(catch_unwind, getter)]
    pub fn client_id(&self) -> String {
        self.client_id.clone()
    }
    #[napi(catch_unwind, getter)]
    pub fn client_secret(&self) -> String {
        self.client_secret.clone()
    }
    /// The app without `User.Invite.All` (only `User.Read.All`).
    #[napi(catch_unwind, getter)]
    pub fn readonly_client_id(&self) -> String {
        READONLY_CLIENT_ID.to_string()
    }
    #[napi(catch_unwind, getter)]
    pub fn readonly_client_secret(&self) -> String {
        READONLY_CLIENT_SECRET.to_string()
    }
    /// The certificate to trust when started with https.
    #[napi(catch_unwind, getter)]
    pub fn ca_cert_pem(&self) -> Option<String> {
        self.ca_cert_pem.clone()
    }

    /// Any control-API call: `method` `/_emulator/{path}` with an optional JSON body.
    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn control(
        &self,
        env: &Env,
        method: String,
        path: String,
        body: Option<Value>,
    ) -> Result<AsyncBlock<Value>> {
        self.call(env, move |e| async move {
            e.control(&method, &path, body).await
        })
    }

    /// The guest accepts their invitation (by email or user id).
    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn redeem(&self, env: &Env, email_or_id: String) -> Result<AsyncBlock<Value>> {
        self.call(env, move |e| async move { e.redeem(&email_or_id).await })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any[]>")]
    pub fn outbox(&self, env: &Env) -> Result<AsyncBlock<Value>> {
        self.call(env, |e| async move { e.outbox().await })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn set_faults(&self, env: &Env, faults: Value) -> Result<AsyncBlock<Value>> {
        self.call(env, move |e| async move {
            e.set_faults(faults).await.map(|_| Value::Null)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn stats(&self, env: &Env) -> Result<AsyncBlock<Value>> {
        self.call(env, |e| async move { e.stats().await })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn add_user(&self, env: &Env, user: Value) -> Result<AsyncBlock<Value>> {
        self.call(env, move |e| async move { e.add_user(user).await })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn reset(&self, env: &Env) -> Result<AsyncBlock<Value>> {
        self.call(env, |e| async move { e.reset().await.map(|_| Value::Null) })
    }

    /// Stops the server (idempotent); waits for calls still in flight on this object.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn stop(&self, env: &Env) -> Result<AsyncBlock<Value>> {
        let taken = self.emu.lock().ok().and_then(|mut g| g.take());
        AsyncBlockBuilder::new(async move {
            let Some(mut emu) = taken else {
                return Ok(Value::Null);
            };
            loop {
                match Arc::try_unwrap(emu) {
                    Ok(e) => {
                        e.stop().await;
                        return Ok(Value::Null);
                    }
                    Err(shared) => {
                        emu = shared;
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                }
            }
        })
        .build(env)
    }
}
