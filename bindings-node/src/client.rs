//! `NativeClient`: the core `Client`. Each method awaits the core's future once, on the core
//! runtime (napi's backend, `runtime.rs`); `?` maps core errors (core/src/bindings/napi.rs).

use entra_invite::{
    BulkOptions, Client, ExternalUserState, GuestStatus, Invitation, InvitationRequest,
    InviteOutcome, Lookup, Settings,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::auth::{JsTokenSource, ProviderFn};
use crate::pagers::{BulkPager, GuestPager};
use crate::runtime::{until_cancelled, Cancel};

#[napi]
pub struct NativeClient {
    inner: Client,
}

#[napi]
impl NativeClient {
    /// `tokenProvider` is passed apart from the options (a function).
    #[napi(
        catch_unwind,
        constructor,
        ts_args_type = "options?: ClientOptions | null, tokenProvider?: (() => Promise<TokenAnswer>) | null"
    )]
    pub fn new(options: Option<Settings>, token_provider: Option<ProviderFn>) -> Result<Self> {
        let mut settings = options.unwrap_or_default();
        settings.token_source = token_provider.map(JsTokenSource::shared);
        Ok(NativeClient {
            inner: settings.build()?,
        })
    }

    /// The azure-identity environment variables (see the core's `Settings::from_env`).
    #[napi(catch_unwind, factory)]
    pub fn from_env() -> Result<Self> {
        Ok(NativeClient {
            inner: Settings::from_env().build()?,
        })
    }

    #[napi(catch_unwind, getter)]
    pub fn tenant(&self) -> String {
        self.inner.tenant().to_string()
    }

    #[napi(catch_unwind, getter)]
    pub fn graph_url(&self) -> String {
        self.inner.graph_base().to_string()
    }

    #[napi(catch_unwind)]
    pub async fn invite(
        &self,
        request: InvitationRequest,
        cancel: Option<&Cancel>,
    ) -> Result<Invitation> {
        until_cancelled(cancel, self.inner.invite(&request)).await
    }

    #[napi(catch_unwind)]
    pub async fn invite_if_absent(
        &self,
        request: InvitationRequest,
        cancel: Option<&Cancel>,
    ) -> Result<InviteOutcome> {
        until_cancelled(cancel, self.inner.invite_if_absent(&request)).await
    }

    #[napi(catch_unwind)]
    pub async fn lookup(&self, email: String, cancel: Option<&Cancel>) -> Result<Lookup> {
        until_cancelled(cancel, self.inner.lookup(&email)).await
    }

    /// By email or user object id.
    #[napi(catch_unwind)]
    pub async fn status(&self, user: String, cancel: Option<&Cancel>) -> Result<GuestStatus> {
        until_cancelled(cancel, self.inner.status(&user)).await
    }

    #[napi(catch_unwind)]
    pub async fn reset_redemption(
        &self,
        user: String,
        request: InvitationRequest,
        cancel: Option<&Cancel>,
    ) -> Result<Invitation> {
        until_cancelled(cancel, self.inner.reset_redemption(&user, &request)).await
    }

    /// A pager over the tenant's guests, optionally only those in `state`.
    #[napi(catch_unwind)]
    pub fn guests(&self, state: Option<String>, page_size: Option<u32>) -> Result<GuestPager> {
        let state = state.map(|s| s.parse::<ExternalUserState>()).transpose()?;
        let mut pages = self.inner.guests(state);
        if let Some(n) = page_size {
            pages = pages.page_size(u16::try_from(n).unwrap_or(u16::MAX))?;
        }
        Ok(GuestPager::new(pages))
    }

    /// Starts a bulk run over a CSV file (the core spawns its driver on its runtime).
    #[napi(catch_unwind)]
    pub fn bulk_invite(&self, path: String, options: Option<BulkOptions>) -> Result<BulkPager> {
        let run = self.inner.bulk_invite(&path, options.unwrap_or_default())?;
        Ok(BulkPager::new(run))
    }
}
