//! The operations, one file each. Public methods hop onto the shared runtime (`spawn`), so the
//! one connection pool is always driven by the runtime that owns it, whoever awaits.

mod guests;
pub(crate) mod invite;
mod lookup;
mod status;

pub use guests::GuestPages;

use reqwest::Method;
use serde_json::Value;

use crate::client::Inner;
use crate::error::Error;
use crate::http::{GraphRequest, GraphResponse};

impl Inner {
    pub(crate) async fn get(
        &self,
        path_and_query: &str,
        headers: Vec<(&'static str, String)>,
    ) -> Result<GraphResponse, Error> {
        let url = self.transport.url(path_and_query)?;
        self.transport
            .send(GraphRequest {
                method: Method::GET,
                url,
                body: None,
                headers,
                idempotent: true,
                paced: false,
            })
            .await
    }

    pub(crate) async fn post_invitation(&self, body: Value) -> Result<GraphResponse, Error> {
        let url = self.transport.url("invitations")?;
        self.transport
            .send(GraphRequest {
                method: Method::POST,
                url,
                body: Some(body),
                headers: vec![],
                idempotent: false,
                paced: true,
            })
            .await
    }
}
