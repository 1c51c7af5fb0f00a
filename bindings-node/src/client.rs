//! `NativeClient`: the core `Client`, one promise per operation, each run on the core runtime.

use std::sync::Arc;

use entra_invite::{BulkRun, Client, GuestPages, Settings};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::auth::{JsTokenSource, ProviderFn};
use crate::errors::{invalid, to_napi};
use crate::models;
use crate::runtime::{promise, Cancel};

#[napi]
pub struct NativeClient {
    inner: Client,
}

#[napi]
impl NativeClient {
    /// `options` as documented in `index.d.ts`; `tokenProvider` is passed apart (a function).
    #[napi(catch_unwind, constructor)]
    pub fn new(options: Option<Value>, token_provider: Option<ProviderFn>) -> Result<Self> {
        let provider = token_provider.map(JsTokenSource::shared);
        let settings =
            models::settings(&options.unwrap_or(Value::Null), provider).map_err(to_napi)?;
        Ok(NativeClient {
            inner: settings.build().map_err(to_napi)?,
        })
    }

    /// The azure-identity environment variables (see the core's `Settings::from_env`).
    #[napi(catch_unwind, factory)]
    pub fn from_env() -> Result<Self> {
        Ok(NativeClient {
            inner: Settings::from_env().build().map_err(to_napi)?,
        })
    }

    #[napi(catch_unwind, getter)]
    pub fn tenant(&self) -> String {
        self.inner.tenant().to_string()
    }

    #[napi(catch_unwind, getter)]
    pub fn graph_base(&self) -> String {
        self.inner.graph_base().to_string()
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn invite(
        &self,
        env: &Env,
        request: Value,
        cancel: Option<&Cancel>,
    ) -> Result<AsyncBlock<Value>> {
        let client = self.inner.clone();
        promise(env, cancel, async move {
            let inv = client.invite(&models::request(&request)?).await?;
            models::invitation(&inv)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn invite_if_absent(
        &self,
        env: &Env,
        request: Value,
        cancel: Option<&Cancel>,
    ) -> Result<AsyncBlock<Value>> {
        let client = self.inner.clone();
        promise(env, cancel, async move {
            let out = client.invite_if_absent(&models::request(&request)?).await?;
            models::outcome(&out)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn lookup(
        &self,
        env: &Env,
        email: String,
        cancel: Option<&Cancel>,
    ) -> Result<AsyncBlock<Value>> {
        let client = self.inner.clone();
        promise(env, cancel, async move {
            models::lookup(&client.lookup(&email).await?)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn status(
        &self,
        env: &Env,
        user: String,
        cancel: Option<&Cancel>,
    ) -> Result<AsyncBlock<Value>> {
        let client = self.inner.clone();
        promise(env, cancel, async move {
            models::status(&client.status(&user).await?)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn reset_redemption(
        &self,
        env: &Env,
        user: String,
        request: Value,
        cancel: Option<&Cancel>,
    ) -> Result<AsyncBlock<Value>> {
        let client = self.inner.clone();
        promise(env, cancel, async move {
            let inv = client
                .reset_redemption(&user, &models::request(&request)?)
                .await?;
            models::invitation(&inv)
        })
    }

    /// A pager over the tenant's guests (`state`: `PendingAcceptance`, `Accepted` or null).
    #[napi(catch_unwind)]
    pub fn guests(&self, state: Option<String>, page_size: Option<u32>) -> Result<GuestPager> {
        let state = models::state(state.as_deref()).map_err(to_napi)?;
        let mut pages = self.inner.guests(state);
        if let Some(n) = page_size {
            let n = u16::try_from(n)
                .map_err(|_| to_napi(invalid("pageSize", format!("must be 1 to 999, not {n}"))))?;
            pages = pages.page_size(n).map_err(to_napi)?;
        }
        Ok(GuestPager {
            pages: Arc::new(tokio::sync::Mutex::new(pages)),
        })
    }
}

#[napi]
impl NativeClient {
    /// Starts a bulk run over a CSV file; results arrive through `BulkPager.next()`.
    #[napi(catch_unwind)]
    pub fn bulk_invite(&self, path: String, options: Option<Value>) -> Result<BulkPager> {
        let opts = models::bulk_options(&options.unwrap_or(Value::Null)).map_err(to_napi)?;
        // The core spawns the run's driver on its own runtime.
        let run = self.inner.bulk_invite(&path, opts).map_err(to_napi)?;
        Ok(BulkPager {
            run: Arc::new(tokio::sync::Mutex::new(run)),
        })
    }
}

/// Finished rows one by one: `next()` gives a result object, `null` after the last row.
#[napi]
pub struct BulkPager {
    run: Arc<tokio::sync::Mutex<BulkRun>>,
}

#[napi]
impl BulkPager {
    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn next(&self, env: &Env, cancel: Option<&Cancel>) -> Result<AsyncBlock<Value>> {
        let run = self.run.clone();
        promise(env, cancel, async move {
            let mut r = run.lock().await;
            match r.next().await {
                None => Ok(Value::Null),
                Some(res) => Ok(models::bulk_result(&res?)),
            }
        })
    }

    /// Counts so far: `{ invited, existing, failed, invalid, valid, resumed, added, fixed,
    /// removed, inputChanged }`.
    #[napi(catch_unwind, ts_return_type = "Promise<any>")]
    pub fn summary(&self, env: &Env) -> Result<AsyncBlock<Value>> {
        let run = self.run.clone();
        promise(env, None, async move {
            Ok(models::bulk_summary(&run.lock().await.summary()))
        })
    }
}

/// One page per `nextPage()` call: `{ value: [status...], total }`, `null` after the last
/// (`total` is Graph's count of every matching guest).
#[napi]
pub struct GuestPager {
    pages: Arc<tokio::sync::Mutex<GuestPages>>,
}

#[napi]
impl GuestPager {
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<{ value: any[], total: number | null } | null>"
    )]
    pub fn next_page(&self, env: &Env, cancel: Option<&Cancel>) -> Result<AsyncBlock<Value>> {
        let pages = self.pages.clone();
        promise(env, cancel, async move {
            let mut p = pages.lock().await;
            let Some(items) = p.next_page().await? else {
                return Ok(Value::Null);
            };
            let value = items
                .iter()
                .map(models::status)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(serde_json::json!({ "value": value, "total": p.total() }))
        })
    }
}
