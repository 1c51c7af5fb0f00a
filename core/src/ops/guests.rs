//! Every guest of the tenant, page by page, optionally filtered by acceptance state.

use std::sync::Arc;

use futures_util::stream::{self, Stream};
use serde::Deserialize;
use url::Url;

use crate::client::{Client, Inner};
use crate::error::{Error, ErrorKind};
use crate::http::GraphRequest;
use crate::models::{ExternalUserState, GuestStatus, User, USER_SELECT};
use crate::odata;
use crate::runtime::spawn;

/// Page size asked for by default: Graph's maximum for `/users`.
const PAGE_SIZE: u16 = 999;

#[derive(Deserialize)]
struct Page {
    value: Vec<User>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    count: Option<u64>,
}

/// A cursor over the guest list. Each `next_page` is one Graph request.
pub struct GuestPages {
    inner: Arc<Inner>,
    next: Option<Next>,
    total: Option<u64>,
}

enum Next {
    /// The filter and page size of the first request.
    First(String, u16),
    Link(String),
}

impl Client {
    /// Guests (`userType eq 'Guest'`), all of them or those in `state`.
    pub fn guests(&self, state: Option<ExternalUserState>) -> GuestPages {
        let mut filter = "userType eq 'Guest'".to_string();
        if let Some(s) = state {
            filter.push_str(&format!(
                " and externalUserState eq {}",
                odata::string_literal(s.as_str())
            ));
        }
        GuestPages {
            inner: self.inner.clone(),
            next: Some(Next::First(filter, PAGE_SIZE)),
            total: None,
        }
    }
}

impl GuestPages {
    /// Guests per request (1 to 999, Graph's maximum; the default).
    pub fn page_size(mut self, n: u16) -> Result<Self, Error> {
        if !(1..=PAGE_SIZE).contains(&n) {
            return Err(Error::invalid_input(
                "page_size",
                format!("must be 1 to {PAGE_SIZE}, not {n}"),
            ));
        }
        if let Some(Next::First(f, _)) = self.next.take() {
            self.next = Some(Next::First(f, n));
        }
        Ok(self)
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<GuestStatus>>, Error> {
        let Some(next) = self.next.take() else {
            return Ok(None);
        };
        let inner = self.inner.clone();
        let page = spawn(async move { fetch(&inner, next).await }).await?;
        if self.total.is_none() {
            self.total = page.count;
        }
        self.next = page.next_link.map(Next::Link);
        Ok(Some(
            page.value.into_iter().map(GuestStatus::from_user).collect(),
        ))
    }

    /// Graph's count of all matching guests, known after the first page.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Every guest as a stream (pages fetched lazily).
    pub fn into_stream(self) -> impl Stream<Item = Result<GuestStatus, Error>> + Send {
        stream::unfold(
            (self, Vec::<GuestStatus>::new().into_iter(), false),
            |(mut pages, mut buf, done)| async move {
                loop {
                    if let Some(g) = buf.next() {
                        return Some((Ok(g), (pages, buf, done)));
                    }
                    if done {
                        return None;
                    }
                    match pages.next_page().await {
                        Ok(Some(v)) => buf = v.into_iter(),
                        Ok(None) => return None,
                        Err(e) => return Some((Err(e), (pages, Vec::new().into_iter(), true))),
                    }
                }
            },
        )
    }

    /// All guests at once.
    pub async fn collect_all(mut self) -> Result<Vec<GuestStatus>, Error> {
        let mut all = Vec::new();
        while let Some(p) = self.next_page().await? {
            all.extend(p);
        }
        Ok(all)
    }
}

async fn fetch(inner: &Inner, next: Next) -> Result<Page, Error> {
    // Graph does not carry request headers over to the next page: send them every time.
    let headers = vec![("ConsistencyLevel", "eventual".to_string())];
    match next {
        Next::First(filter, top) => {
            // `$count=true` with `ConsistencyLevel: eventual` gives the total on the first page.
            let top = top.to_string();
            let q = odata::query(&[
                ("$filter", &filter),
                ("$select", USER_SELECT),
                ("$top", &top),
                ("$count", "true"),
            ]);
            inner.get(&format!("users{q}"), headers).await?.json()
        }
        Next::Link(link) => {
            let url = Url::parse(&link).map_err(|e| {
                Error::new(
                    ErrorKind::Protocol,
                    format!("Graph sent an unusable nextLink: {e}"),
                )
            })?;
            if !inner.transport.same_origin(&url) {
                return Err(Error::new(
                    ErrorKind::Protocol,
                    format!(
                        "refusing to follow a nextLink to {}: not the Graph origin",
                        url.origin().ascii_serialization()
                    ),
                ));
            }
            let req = GraphRequest {
                method: reqwest::Method::GET,
                url,
                body: None,
                headers,
                idempotent: true,
                paced: false,
            };
            inner.transport.send(req).await?.json()
        }
    }
}
