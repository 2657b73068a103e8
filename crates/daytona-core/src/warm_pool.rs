//! `daytona.warmPool`: sandboxes made ahead from a snapshot (`{apiUrl}/warm-pools…`). The
//! official SDK hands requests and answers on as they are; so does this client.

use crate::call::{read, Call, Json};
use crate::context::ClientContext;
use crate::endpoints::segment;
use crate::transport::{HttpRequest, Method};

pub struct WarmPoolClient {
    ctx: ClientContext,
}

impl WarmPoolClient {
    pub fn new(ctx: ClientContext) -> Self {
        WarmPoolClient { ctx }
    }

    fn url(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => format!("{}/warm-pools/{}", self.ctx.api_url(), segment(id)),
            None => format!("{}/warm-pools", self.ctx.api_url()),
        }
    }

    /// `WarmPool[]`.
    pub fn list(&self) -> Call<Json> {
        self.ctx.call(HttpRequest::new(Method::Get, self.url(None)), read::json)
    }

    /// `POST /warm-pools` with `CreateWarmPool`; answers the `WarmPool`.
    pub fn create(&self, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Post, self.url(None), params), read::json)
    }

    /// `PATCH /warm-pools/{id}` with `UpdateWarmPool`; answers the `WarmPool`.
    pub fn update(&self, id: &str, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Patch, self.url(Some(id)), params), read::json)
    }

    pub fn delete(&self, id: &str) -> Call<()> {
        self.ctx.call(HttpRequest::new(Method::Delete, self.url(Some(id))), read::nothing)
    }
}
