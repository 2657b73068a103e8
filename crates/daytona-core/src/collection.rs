//! A collection of the API (`{apiUrl}/{path}…`) whose requests and answers the official SDK
//! hands on as they are, and so does this client: `daytona.warmPool` (`warm-pools`) and
//! `daytona.secret` (`secret`).

use crate::call::{read, Call, Json};
use crate::context::ClientContext;
use crate::endpoints::segment;
use crate::transport::{HttpRequest, Method};

pub struct CollectionClient {
    ctx: ClientContext,
    path: &'static str,
}

impl CollectionClient {
    pub fn new(ctx: ClientContext, path: &'static str) -> Self {
        CollectionClient { ctx, path }
    }

    fn url(&self, id: &str) -> String {
        format!("{}/{}/{}", self.ctx.api_url(), self.path, segment(id))
    }

    /// `GET {path}{rest}`: the list (warm pools: `WarmPool[]`), or with `rest`
    /// `/paginated?…` a page of it (secrets: `ListSecretsResponse`).
    pub fn list(&self, rest: &str) -> Call<Json> {
        self.ctx.call(HttpRequest::new(Method::Get, format!("{}/{}{rest}", self.ctx.api_url(), self.path)), read::json)
    }

    pub fn get(&self, id: &str) -> Call<Json> {
        self.ctx.call(HttpRequest::new(Method::Get, self.url(id)), read::json)
    }

    /// `POST {path}` with the creation parameters; answers what was made.
    pub fn create(&self, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Post, format!("{}/{}", self.ctx.api_url(), self.path), params), read::json)
    }

    /// `PATCH {path}/{id}` with what changes; answers the item.
    pub fn update(&self, id: &str, params: Json) -> Call<Json> {
        self.ctx.call(HttpRequest::with_json(Method::Patch, self.url(id), params), read::json)
    }

    pub fn delete(&self, id: &str) -> Call<()> {
        self.ctx.call(HttpRequest::new(Method::Delete, self.url(id)), read::nothing)
    }
}
