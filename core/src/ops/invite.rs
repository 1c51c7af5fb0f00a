//! `POST /invitations`: invite, invite-if-absent, and redemption reset.

use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, Inner};
use crate::error::{Error, ErrorKind};
use crate::models::{Invitation, InvitationRequest, InviteOutcome, Lookup, User};
use crate::runtime::spawn;
use crate::validate;

/// How often an ambiguous invitation is looked up before we conclude it was not created.
const RESOLVE_TRIES: u32 = 3;
const RESOLVE_PAUSE: Duration = Duration::from_millis(500);

impl Client {
    /// Invites one external user. Graph creates (or re-invites) the guest and answers with
    /// the invitation, whose `invite_redeem_url` is only ever available here.
    pub async fn invite(&self, req: &InvitationRequest) -> Result<Invitation, Error> {
        req.validate()?;
        let inner = self.inner.clone();
        let body = req.to_body(None);
        spawn(async move { inner.post_invitation(body).await?.json() }).await
    }

    /// Invites the user unless the address already has a user in the tenant.
    /// If the invitation's answer is lost (a failure after sending), the user is looked up
    /// rather than invited twice; found, it is reported as `Existing`.
    pub async fn invite_if_absent(&self, req: &InvitationRequest) -> Result<InviteOutcome, Error> {
        req.validate()?;
        let inner = self.inner.clone();
        let req = req.clone();
        spawn(async move { invite_if_absent(inner, req).await }).await
    }

    /// Resets a guest's redemption (`resetRedemption: true`): same object id, new invitation,
    /// possibly to a new address. `user` is an object id or the guest's current email.
    pub async fn reset_redemption(
        &self,
        user: &str,
        req: &InvitationRequest,
    ) -> Result<Invitation, Error> {
        req.validate()?;
        let user = user.trim().to_string();
        if !validate::is_object_id(&user) {
            validate::email("user", &user)?;
        }
        let inner = self.inner.clone();
        let req = req.clone();
        spawn(async move {
            let id = if validate::is_object_id(&user) {
                user
            } else {
                match inner.lookup(&user).await?.user {
                    Some(u) => u.id,
                    None => {
                        return Err(Error::new(
                            ErrorKind::NotFound,
                            format!("no user with the address {user}"),
                        ))
                    }
                }
            };
            inner.post_invitation(req.to_body(Some(&id))).await?.json()
        })
        .await
    }
}

async fn invite_if_absent(
    inner: Arc<Inner>,
    req: InvitationRequest,
) -> Result<InviteOutcome, Error> {
    let email = req.invited_user_email_address.trim().to_string();
    let found = inner.lookup(&email).await?;
    if let Some(u) = found.user {
        return Ok(InviteOutcome::existing(u));
    }
    if let Some(d) = found.verified_domain {
        return Err(Error::new(
            ErrorKind::VerifiedDomain,
            format!(
                "{email} is in {d}, a verified domain of this tenant: add them as a member instead"
            ),
        ));
    }
    let posted = inner
        .post_invitation(req.to_body(None))
        .await
        .and_then(|r| r.json::<Invitation>());
    match posted {
        Ok(inv) => Ok(InviteOutcome::invited(inv)),
        Err(e) if e.maybe_applied() => resolve_ambiguous(&inner, &req, &email, e).await,
        Err(e) => Err(e),
    }
}

/// After an invitation whose answer was lost: the user if it exists now, looking a few times
/// because a new guest can take a moment to appear in queries.
pub(crate) async fn confirm_by_lookup(inner: &Inner, email: &str) -> Result<Option<User>, Error> {
    for i in 0..RESOLVE_TRIES {
        if i > 0 {
            tokio::time::sleep(RESOLVE_PAUSE).await;
        }
        match inner.lookup(email).await {
            Ok(Lookup { user: Some(u), .. }) => return Ok(Some(u)),
            Ok(_) => {}
            Err(e) if i + 1 == RESOLVE_TRIES => return Err(e),
            Err(_) => {}
        }
    }
    Ok(None)
}

/// The invitation may or may not exist: find out before anything is resent.
async fn resolve_ambiguous(
    inner: &Inner,
    req: &InvitationRequest,
    email: &str,
    first: Error,
) -> Result<InviteOutcome, Error> {
    tracing::debug!(kind = %first.kind(), "invitation outcome unknown; looking the user up");
    if let Some(u) = confirm_by_lookup(inner, email).await? {
        return Ok(InviteOutcome::existing(u));
    }
    // Graph answered 2xx (its body was unreadable): the invitation exists even if queries do
    // not show it yet. Resending would email again and void the first redeem URL.
    if first.status().is_some_and(|s| (200..300).contains(&s)) {
        return Err(first);
    }
    // Not in the directory after several looks: the request was not carried out. One resend.
    let r = inner.post_invitation(req.to_body(None)).await?;
    Ok(InviteOutcome::invited(r.json()?))
}
