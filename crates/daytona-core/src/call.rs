//! One request and how to read its answer: what most SDK methods are.
//!
//! A [`Call`] is built synchronously and sent by whoever holds it. Rust callers `.await` it;
//! the wasm facade takes it apart and sends every call through one shared future, so no
//! method compiles an async state machine of its own.

use std::future::IntoFuture;

use serde::de::DeserializeOwned;

use crate::context::{decode, ClientContext};
use crate::error::Result;
use crate::transport::{HttpRequest, HttpResponse, LocalBoxFuture};

/// Turns a successful answer into the call's result.
pub type Read<T> = fn(HttpResponse) -> Result<T>;

#[must_use = "a call does nothing until it is sent or awaited"]
pub struct Call<T> {
    ctx: ClientContext,
    req: HttpRequest,
    read: Read<T>,
}

impl<T> Call<T> {
    pub(crate) fn new(ctx: &ClientContext, req: HttpRequest, read: Read<T>) -> Self {
        Call { ctx: ctx.clone(), req, read }
    }

    /// Sends the request with the context's headers and deadline, then reads the answer.
    pub async fn send(self) -> Result<T> {
        (self.read)(self.ctx.send(self.req).await?)
    }

    /// The context to send with, the request, and the reader of its answer.
    pub fn into_parts(self) -> (ClientContext, HttpRequest, Read<T>) {
        (self.ctx, self.req, self.read)
    }
}

impl<T: 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = LocalBoxFuture<'static, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// An answer the SDK hands on as the server sent it. Only its user decodes it: JS's own
/// `JSON.parse` in the facade (no Rust decoder per type in the wasm), serde in Rust.
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub Vec<u8>);

impl Json {
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        decode(&self.0)
    }
}

/// [`Read`]ers for the common answers.
pub mod read {
    use super::*;

    /// Nothing to read (the status said it all).
    pub fn nothing(_: HttpResponse) -> Result<()> {
        Ok(())
    }

    /// The JSON body, undecoded.
    pub fn json(resp: HttpResponse) -> Result<Json> {
        Ok(Json(resp.body))
    }
}
