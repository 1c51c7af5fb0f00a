//! "Does this address already have a user?" — verified domains first, then Graph's filter.

use crate::client::{Client, Inner};
use crate::error::{Error, ErrorKind};
use crate::models::{Lookup, User, USER_SELECT};
use crate::odata;
use crate::runtime::spawn;
use crate::validate;

#[derive(serde::Deserialize)]
struct Page<T> {
    value: Vec<T>,
}

#[derive(serde::Deserialize)]
struct Domain {
    id: String,
    #[serde(default, rename = "isVerified")]
    is_verified: bool,
}

impl Client {
    /// Finds the user behind an email address (UPN, mail, proxy address or other mail).
    /// A user found wins; otherwise an address in a verified domain is reported as such,
    /// since Graph refuses to invite it.
    pub async fn lookup(&self, email: &str) -> Result<Lookup, Error> {
        validate::email("email", email)?;
        let inner = self.inner.clone();
        let email = email.trim().to_string();
        spawn(async move { inner.lookup(&email).await }).await
    }

    /// The tenant's verified domains (cached for the client's life).
    pub async fn verified_domains(&self) -> Result<Vec<String>, Error> {
        let inner = self.inner.clone();
        spawn(async move { Ok(inner.verified_domains().await?.unwrap_or_default()) }).await
    }
}

impl Inner {
    pub(crate) async fn lookup(&self, email: &str) -> Result<Lookup, Error> {
        let domain = email
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let verified = self
            .verified_domains()
            .await?
            .and_then(|ds| ds.into_iter().find(|d| d.eq_ignore_ascii_case(&domain)));
        let q = odata::query(&[
            ("$filter", &odata::lookup_filter(email)),
            ("$select", USER_SELECT),
            ("$top", "5"),
        ]);
        let page: Page<User> = self.get(&format!("users{q}"), vec![]).await?.json()?;
        // Prefer the user whose mail is the address itself, then any match.
        let mut users = page.value;
        let best = users
            .iter()
            .position(|u| {
                u.mail
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(email))
            })
            .unwrap_or(0);
        if !users.is_empty() {
            return Ok(Lookup::existing(users.swap_remove(best)));
        }
        Ok(match verified {
            Some(d) => Lookup::verified_domain(d),
            None => Lookup::not_found(),
        })
    }

    /// `None` when the app may not read domains: the check is then left to Graph's answer.
    pub(crate) async fn verified_domains(&self) -> Result<Option<Vec<String>>, Error> {
        self.domains
            .get_or_try_init(|| async {
                match self.get("domains?$select=id,isVerified", vec![]).await {
                    Ok(r) => {
                        let p: Page<Domain> = r.json()?;
                        Ok(Some(
                            p.value
                                .into_iter()
                                .filter(|d| d.is_verified)
                                .map(|d| d.id)
                                .collect(),
                        ))
                    }
                    Err(e) if e.kind() == ErrorKind::PermissionDenied => {
                        tracing::debug!(
                            "cannot read the tenant's domains; skipping the verified-domain check"
                        );
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            })
            .await
            .cloned()
    }
}
