//! `Client`: the core client. Core's async methods hand their work to the core runtime
//! themselves, so each export only awaits the core future: Swift's and Kotlin's executors never
//! run Rust I/O, and dropping the awaiting coroutine (Kotlin cancellation) drops the core's
//! `Spawned` handle, which aborts the Rust task.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use entra_invite::{
    ExternalUserState, GuestPages, GuestStatus, Invitation, InvitationRequest, InviteOutcome,
    Lookup, Settings,
};

use crate::config::ClientOptions;
use crate::errors::Result;

/// A Graph client for one tenant. Thread-safe; share one per app and tenant.
#[derive(uniffi::Object)]
pub struct Client {
    pub(crate) inner: entra_invite::Client,
}

#[uniffi::export]
impl Client {
    /// Checks the configuration (nothing is sent yet).
    #[uniffi::constructor]
    pub fn new(config: ClientOptions) -> Result<Arc<Self>> {
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
    pub fn graph_url(&self) -> String {
        self.inner.graph_base().to_string()
    }

    /// Invites one external user; the answer's `inviteRedeemUrl` is only ever available here.
    pub async fn invite(&self, request: InvitationRequest) -> Result<Invitation> {
        Ok(self.inner.invite(&request).await?)
    }

    /// Whether the address already has a user (or is in a verified domain of the tenant).
    pub async fn lookup(&self, email: String) -> Result<Lookup> {
        Ok(self.inner.lookup(&email).await?)
    }

    /// Invites the user unless the address already has one (never invites twice, even when an
    /// answer is lost).
    pub async fn invite_if_absent(&self, request: InvitationRequest) -> Result<InviteOutcome> {
        Ok(self.inner.invite_if_absent(&request).await?)
    }

    /// A guest's acceptance state, by email or object id.
    pub async fn status(&self, user: String) -> Result<GuestStatus> {
        Ok(self.inner.status(&user).await?)
    }

    /// Every guest of the tenant (all pages), or those in `state`.
    pub async fn guests(&self, state: Option<ExternalUserState>) -> Result<Vec<GuestStatus>> {
        Ok(self.inner.guests(state).collect_all().await?)
    }

    /// The guests page by page (`pageSize` 1 to 999, Graph's maximum and the default).
    pub fn guest_pages(
        &self,
        state: Option<ExternalUserState>,
        page_size: Option<u16>,
    ) -> Result<Arc<GuestPager>> {
        let mut pages = self.inner.guests(state);
        if let Some(n) = page_size {
            pages = pages.page_size(n)?;
        }
        Ok(Arc::new(GuestPager {
            pages: tokio::sync::Mutex::new(pages),
            total: AtomicU64::new(u64::MAX),
        }))
    }

    /// Resets a guest's redemption: same user object, a new invitation (possibly to a new
    /// address, given in `request`). `user` is an object id or the guest's current email.
    pub async fn reset_redemption(
        &self,
        user: String,
        request: InvitationRequest,
    ) -> Result<Invitation> {
        Ok(self.inner.reset_redemption(&user, &request).await?)
    }
}

/// A cursor over the guest list: each `nextPage()` is one Graph request.
#[derive(uniffi::Object)]
pub struct GuestPager {
    // An async lock: a page request holds it across its await.
    pages: tokio::sync::Mutex<GuestPages>,
    /// `u64::MAX` until Graph has told the count (readable while a page is being fetched).
    total: AtomicU64,
}

#[uniffi::export]
impl GuestPager {
    /// The next page, or null after the last.
    pub async fn next_page(&self) -> Result<Option<Vec<GuestStatus>>> {
        let mut pages = self.pages.lock().await;
        let page = pages.next_page().await?;
        if let Some(t) = pages.total() {
            self.total.store(t, Ordering::Relaxed);
        }
        Ok(page)
    }

    /// Graph's count of all matching guests, known after the first page.
    pub fn total(&self) -> Option<u64> {
        Some(self.total.load(Ordering::Relaxed)).filter(|t| *t != u64::MAX)
    }
}
