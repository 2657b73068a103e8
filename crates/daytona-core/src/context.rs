//! The shared, cheap-to-clone handle every client holds: transport, clock and configuration.

use std::cell::RefCell;
use std::rc::Rc;

use serde::de::DeserializeOwned;

use crate::call::{Call, Read};
use crate::config::ResolvedConfig;
use crate::error::{Error, Result};
use crate::json_object::JsonObject;
use crate::retry::Outcome;
use crate::transport::{Clock, HttpRequest, HttpResponse, HttpTransport, LocalBoxFuture, Signal, StreamingResponse, WsConnector};

#[derive(Clone)]
pub struct ClientContext {
    transport: Rc<dyn HttpTransport>,
    ws: Rc<dyn WsConnector>,
    clock: Rc<dyn Clock>,
    config: Rc<ResolvedConfig>,
    /// `GET /config`'s analytics URL once known (shared by every sandbox of the client).
    pub(crate) analytics_url: Rc<RefCell<Option<Option<String>>>>,
    /// Put on every request sent through this handle (see [`with_signal`](Self::with_signal)).
    signal: Option<Signal>,
}

impl ClientContext {
    pub fn new(config: ResolvedConfig, transport: Rc<dyn HttpTransport>, ws: Rc<dyn WsConnector>, clock: Rc<dyn Clock>) -> Self {
        ClientContext { transport, ws, clock, config: Rc::new(config), analytics_url: Rc::default(), signal: None }
    }

    /// The raw transport, for requests to other servers (object storage), which must not
    /// carry the Daytona headers.
    /// This handle for one cancellable call: its requests carry `signal`.
    pub fn with_signal(&self, signal: Signal) -> Self {
        ClientContext { signal: Some(signal), ..self.clone() }
    }

    /// The call's signal, for what it must stop besides requests (WebSockets).
    pub(crate) fn signal(&self) -> Option<Signal> {
        self.signal.clone()
    }

    /// This handle without a call's signal: for what must outlive a cancelled call (the
    /// clean-up after it, the sandbox it made).
    pub fn without_signal(&self) -> Self {
        ClientContext { signal: None, ..self.clone() }
    }

    pub fn transport(&self) -> Rc<dyn HttpTransport> {
        self.transport.clone()
    }

    pub fn clock_rc(&self) -> Rc<dyn Clock> {
        self.clock.clone()
    }

    pub fn ws(&self) -> &dyn WsConnector {
        &*self.ws
    }

    pub fn config(&self) -> &ResolvedConfig {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    pub fn api_url(&self) -> &str {
        &self.config.api_url
    }

    /// Sends `req` with the configured headers and deadline; non-2xx answers become
    /// [`Error::Api`]. A request's own `timeout_ms` (0 = none) overrides the configured one.
    /// Requests safe to repeat are retried as the configured policy says.
    ///
    /// Boxed, like the other futures many methods await: one copy in the wasm rather than one
    /// inlined into each caller's state machine.
    pub fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse>> {
        Box::pin(async move {
            match self.with_retries(req, false).await? {
                Answer::Whole(resp) => Ok(resp),
                Answer::Stream(resp) => resp.collect().await.map_err(Error::from),
            }
        })
    }

    /// Like [`send`](Self::send), with the body left to read in chunks (error bodies are
    /// read whole and turned into [`Error::Api`]). Only the answer's head is retried, never a
    /// body already being read.
    pub fn send_streaming(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<StreamingResponse>> {
        Box::pin(async move {
            match self.with_retries(req, true).await? {
                Answer::Stream(resp) => Ok(resp),
                Answer::Whole(resp) => Ok(resp.into()),
            }
        })
    }

    /// Sends `req` (whole, or `streaming`) until a success, a failure for good, or the policy
    /// says stop; each retry gets what is left of the request's deadline. One function for
    /// both kinds of answer, so the wasm holds one copy of the loop.
    async fn with_retries(&self, req: HttpRequest, streaming: bool) -> Result<Answer> {
        let req = self.prepare(req);
        let started = self.clock.now_ms();
        let policy = self.config.retry;
        let mut n = 0;
        loop {
            let mut this = req.clone();
            let left = req.timeout_ms.map(|ms| ms as f64 - (self.clock.now_ms() - started));
            if let Some(left) = left {
                this.timeout_ms = Some(left.max(1.0) as u64);
            }
            let answer = if streaming {
                match self.transport.send_streaming(this).await {
                    Ok(resp) if (200..300).contains(&resp.status) => Ok(Answer::Stream(resp)),
                    Ok(resp) => resp.collect().await.map(Answer::Whole),
                    Err(e) => Err(e),
                }
            } else {
                self.transport.send(this).await.map(Answer::Whole)
            };
            let (err, delay) = match answer {
                Ok(Answer::Whole(resp)) if !resp.is_success() => {
                    let err = Error::from_response(&resp);
                    let delay = policy.delay(req.repeatable, Outcome::Answer(&resp, &err), n, self.clock.now_ms(), left);
                    (err, delay)
                }
                Ok(answer) => return Ok(answer),
                Err(e) => {
                    let delay = policy.delay(req.repeatable, Outcome::Failed(&e), n, self.clock.now_ms(), left);
                    (e.into(), delay)
                }
            };
            match delay {
                Some(ms) => self.clock.sleep(ms).await,
                None => return Err(err),
            }
            n += 1;
        }
    }

    fn prepare(&self, mut req: HttpRequest) -> HttpRequest {
        for (name, value) in self.config.headers() {
            // The configured JWT organization wins over a per-call one (resize).
            req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
            req.headers.push((name, value));
        }
        // No default deadline (the official SDK's is 24 hours): a timer and an AbortSignal per
        // request cost ~50 µs in Node (measured), for a limit nothing reaches.
        req.timeout_ms = req.timeout_ms.or(self.config.request_timeout_ms).filter(|ms| *ms > 0);
        req.signal = self.signal.clone();
        req
    }

    /// A call on this context: `req`, and `read` for its answer.
    pub(crate) fn call<T>(&self, req: HttpRequest, read: Read<T>) -> Call<T> {
        Call::new(self, req, read)
    }

    /// [`send`](Self::send), then decode the JSON body.
    pub async fn json<T: DeserializeOwned>(&self, req: HttpRequest) -> Result<T> {
        decode(&self.send(req).await?.body)
    }

    /// [`send`](Self::send), then read the string `key` the JSON answer must have.
    pub async fn json_text(&self, req: HttpRequest, key: &str) -> Result<String> {
        require_text(&self.send(req).await?.body, key)
    }
}

pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::Other(format!("failed to decode response: {e}")))
}

/// The string `key` of a JSON object answer (`{"dir": …}`, `{"url": …}` and the like): one
/// reader for them all rather than a typed decoder each. Absent or null is `None`.
pub fn decode_text(body: &[u8], key: &str) -> Result<Option<String>> {
    Ok(decode::<JsonObject>(body)?.text(key).map(str::to_string))
}

/// [`decode_text`] of a field the answer must have.
pub fn require_text(body: &[u8], key: &str) -> Result<String> {
    decode_text(body, key)?.ok_or_else(|| missing_field(key))
}

/// The error of an answer without a field the SDK needs.
pub fn missing_field(key: &str) -> Error {
    Error::Other(format!("failed to decode response: missing field `{key}`"))
}

/// A successful answer, whole or with its body still to read; an error answer is always whole.
enum Answer {
    Whole(HttpResponse),
    Stream(StreamingResponse),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_text_field_of_an_answer() {
        assert_eq!(require_text(br#"{"dir":"/home/daytona","extra":1}"#, "dir").unwrap(), "/home/daytona");
        assert_eq!(decode_text(br#"{"value":null}"#, "value").unwrap(), None);
        let missing = require_text(br#"{"url":7}"#, "url").unwrap_err().to_string();
        assert_eq!(missing, "failed to decode response: missing field `url`");
        assert!(require_text(b"[1]", "url").unwrap_err().to_string().starts_with("failed to decode response"));
    }
}
