//! The two things a JavaScript `for await` walks: guests page by page, bulk results row by row.

use std::sync::Arc;

use entra_invite::{BulkResult, BulkRun, BulkSummary, GuestPages, GuestStatus};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio::sync::Mutex;

use crate::runtime::{until_cancelled, Cancel};

/// One page of guests; `total` is Graph's count of every matching guest.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct GuestPage {
    pub value: Vec<GuestStatus>,
    pub total: Option<f64>,
}

/// One page per `nextPage()` call, `null` after the last.
#[napi]
pub struct GuestPager {
    pages: Arc<Mutex<GuestPages>>,
}

impl GuestPager {
    pub(crate) fn new(pages: GuestPages) -> Self {
        GuestPager {
            pages: Arc::new(Mutex::new(pages)),
        }
    }
}

#[napi]
impl GuestPager {
    #[napi(catch_unwind)]
    pub async fn next_page(&self, cancel: Option<&Cancel>) -> Result<Option<GuestPage>> {
        let mut p = self.pages.lock().await;
        let page = until_cancelled(cancel, p.next_page()).await?;
        Ok(page.map(|value| GuestPage {
            value,
            total: p.total().map(|n| n as f64),
        }))
    }
}

/// Finished rows one by one: `next()` gives a result, `null` after the last row.
#[napi]
pub struct BulkPager {
    run: Arc<Mutex<BulkRun>>,
}

impl BulkPager {
    pub(crate) fn new(run: BulkRun) -> Self {
        BulkPager {
            run: Arc::new(Mutex::new(run)),
        }
    }
}

#[napi]
impl BulkPager {
    #[napi(catch_unwind)]
    pub async fn next(&self, cancel: Option<&Cancel>) -> Result<Option<BulkResult>> {
        let mut r = self.run.lock().await;
        let next = until_cancelled(cancel, async { Ok(r.next().await) }).await?;
        Ok(next.transpose()?)
    }

    /// Counts so far.
    #[napi(catch_unwind)]
    pub async fn summary(&self) -> BulkSummary {
        self.run.lock().await.summary()
    }
}
