//! `daytona.secret`: the organization's secrets (`{apiUrl}/secret…`). The official SDK hands
//! requests and answers on as they are; so does this client.

use crate::call::{read, Call, Json};
use crate::context::ClientContext;
use crate::endpoints::segment;
use crate::transport::{HttpRequest, Method};

pub struct SecretClient {
    ctx: ClientContext,
}

impl SecretClient {
    pub fn new(ctx: ClientContext) -> Self {
        SecretClient { ctx }
    }

    fn url(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => format!("{}/secret/{}", self.ctx.api_url(), segment(id)),
            None => format!("{}/secret", self.ctx.api_url()),
        }
    }

    /// `ListSecretsResponse`: `{ items, total, nextCursor }`; `query` is `?cursor&limit&name&sort&order`
    /// (encoded), or empty.
    pub fn list(&self, query: &str) -> Call<Json> {
        self.ctx.call(HttpRequest::new(Method::Get, format!("{}/paginated{query}", self.url(None))), read::json)
    }

    /// `Secret`.
    pub fn get(&self, id: &str) -> Call<Json> {
        self.ctx.call(HttpRequest::new(Method::Get, self.url(Some(id))), read::json)
    }

    /// `POST /secret` with `CreateSecret`; answers the `Secret`.
    pub fn create(&self, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Post, self.url(None), params), read::json)
    }

    /// `PATCH /secret/{id}` with `UpdateSecret`; answers the `Secret`.
    pub fn update(&self, id: &str, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Patch, self.url(Some(id)), params), read::json)
    }

    pub fn delete(&self, id: &str) -> Call<()> {
        self.ctx.call(HttpRequest::new(Method::Delete, self.url(Some(id))), read::nothing)
    }
}
