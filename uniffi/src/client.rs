//! `Client`: the core client; every async method hands its work to the core runtime
//! (`entra_invite::spawn`) and only awaits the result, so Swift's and Kotlin's executors never
//! run Rust I/O and no second runtime exists. Dropping the awaiting coroutine (Kotlin
//! cancellation) drops the `Spawned` handle, which aborts the Rust task.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use entra_invite as core;
use entra_invite::{spawn, Settings};

use crate::config::ClientConfig;
use crate::errors::Result;
use crate::models::{
    ExternalUserState, GuestStatus, Invitation, InvitationRequest, InviteOutcome, Lookup,
};

/// A Graph client for one tenant. Thread-safe; share one per app and tenant.
#[derive(uniffi::Object)]
pub struct Client {
    pub(crate) inner: core::Client,
}

#[uniffi::export]
impl Client {
    /// Checks the configuration (nothing is sent yet).
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>> {
        let inner = Settings::from(config).build()?;
        Ok(Arc::new(Client { inner }))
    }

    /// From the azure-identity variables (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
    /// `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_FEDERATED_TOKEN_FILE`,
    /// `AZURE_AUTHORITY_HOST`) plus `ENTRA_INVITE_GRAPH_URL` and `ENTRA_INVITE_CA_CERT`.
    #[uniffi::constructor]
    pub fn from_env() -> Result<Arc<Self>> {
        let inner = Settings::from_env().build()?;
        Ok(Arc::new(Client { inner }))
    }

    /// The tenant this client works in.
    pub fn tenant(&self) -> String {
        self.inner.tenant().to_string()
    }

    /// The Graph base URL in use (`https://graph.microsoft.com/v1.0`).
    pub fn graph_base(&self) -> String {
        self.inner.graph_base().to_string()
    }

    /// Invites one external user; the answer's `inviteRedeemUrl` is only ever available here.
    pub async fn invite(&self, request: InvitationRequest) -> Result<Invitation> {
        let client = self.inner.clone();
        let req = core::InvitationRequest::from(request);
        let inv = spawn(async move { client.invite(&req).await }).await?;
        Ok((&inv).into())
    }

    /// Whether the address already has a user (or is in a verified domain of the tenant).
    pub async fn lookup(&self, email: String) -> Result<Lookup> {
        let client = self.inner.clone();
        let found = spawn(async move { client.lookup(&email).await }).await?;
        Ok((&found).into())
    }

    /// Invites the user unless the address already has one (never invites twice, even when an
    /// answer is lost).
    pub async fn invite_if_absent(&self, request: InvitationRequest) -> Result<InviteOutcome> {
        let client = self.inner.clone();
        let req = core::InvitationRequest::from(request);
        let out = spawn(async move { client.invite_if_absent(&req).await }).await?;
        Ok((&out).into())
    }

    /// A guest's acceptance state, by email or object id.
    pub async fn status(&self, user: String) -> Result<GuestStatus> {
        let client = self.inner.clone();
        let st = spawn(async move { client.status(&user).await }).await?;
        Ok((&st).into())
    }

    /// Every guest of the tenant (all pages), or those in `state`.
    pub async fn guests(&self, state: Option<ExternalUserState>) -> Result<Vec<GuestStatus>> {
        let client = self.inner.clone();
        let all =
            spawn(async move { client.guests(state.map(Into::into)).collect_all().await }).await?;
        Ok(all.iter().map(Into::into).collect())
    }

    /// The guests page by page (`pageSize` 1 to 999, Graph's maximum and the default).
    pub fn guest_pages(
        &self,
        state: Option<ExternalUserState>,
        page_size: Option<u16>,
    ) -> Result<Arc<GuestPager>> {
        let mut pages = self.inner.guests(state.map(Into::into));
        if let Some(n) = page_size {
            pages = pages.page_size(n)?;
        }
        Ok(Arc::new(GuestPager {
            pages: Arc::new(tokio::sync::Mutex::new(pages)),
            total: Arc::new(AtomicU64::new(u64::MAX)),
        }))
    }

    /// Resets a guest's redemption: same user object, a new invitation (possibly to a new
    /// address, given in `request`). `user` is an object id or the guest's current email.
    pub async fn reset_redemption(
        &self,
        user: String,
        request: InvitationRequest,
    ) -> Result<Invitation> {
        let client = self.inner.clone();
        let req = core::InvitationRequest::from(request);
        let inv = spawn(async move { client.reset_redemption(&user, &req).await }).await?;
        Ok((&inv).into())
    }
}

/// A cursor over the guest list: each `nextPage()` is one Graph request.
#[derive(uniffi::Object)]
pub struct GuestPager {
    pages: Arc<tokio::sync::Mutex<core::GuestPages>>,
    /// `u64::MAX` until Graph has told the count.
    total: Arc<AtomicU64>,
}

#[uniffi::export]
impl GuestPager {
    /// The next page, or null after the last.
    pub async fn next_page(&self) -> Result<Option<Vec<GuestStatus>>> {
        let pages = self.pages.clone();
        let total = self.total.clone();
        let page = spawn(async move {
            let mut p = pages.lock().await;
            let page = p.next_page().await?;
            if let Some(t) = p.total() {
                total.store(t, Ordering::Relaxed);
            }
            Ok(page)
        })
        .await?;
        Ok(page.map(|v| v.iter().map(Into::into).collect()))
    }

    /// Graph's count of all matching guests, known after the first page.
    pub fn total(&self) -> Option<u64> {
        match self.total.load(Ordering::Relaxed) {
            u64::MAX => None,
            t => Some(t),
        }
    }
}
