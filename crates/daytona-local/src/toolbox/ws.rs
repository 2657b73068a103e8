//! What every toolbox WebSocket shares: upgrading only when asked, picking the
//! subprotocol a client offered, and the fault a rule set for the connection.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::faults::rules::Fault;
use crate::faults::WsFault;
use crate::runtime::Error;
use crate::state::AppState;

pub const EXIT_CONTROL: &str = "X-Daytona-Pty-Exit-Control";
const SDK_VERSION_PREFIX: &str = "X-Daytona-SDK-Version~";

/// The subprotocols the client offered, in its order.
pub fn offered(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Clients that offer subprotocols require one to be selected: the exit-control token when
/// offered (it means `exited` messages are understood), else the SDK-version token, else the
/// first offered. Never a data-carrying token such as `X-Daytona-Pty-Envs~…` unless alone.
pub fn choose(offered: &[String]) -> Option<String> {
    offered.iter().find(|p| *p == EXIT_CONTROL).or_else(|| offered.iter().find(|p| p.starts_with(SDK_VERSION_PREFIX))).or_else(|| offered.first()).cloned()
}

/// The upgrade for a request that asked for one, with the chosen subprotocol; `None` for a
/// plain HTTP request.
pub async fn upgrade(req: Request, state: &AppState) -> Result<Option<(Upgrade, Vec<String>)>, Error> {
    if !crate::http::is_upgrade(req.headers()) {
        return Ok(None);
    }
    let offered = offered(req.headers());
    let (mut parts, _) = req.into_parts();
    let fault = parts.extensions.remove::<WsFault>().map(|f| f.0);
    let ws = WebSocketUpgrade::from_request_parts(&mut parts, state).await.map_err(|e| Error::Invalid(e.to_string()))?;
    let ws = match choose(&offered) {
        Some(p) => ws.protocols([p]),
        None => ws,
    };
    Ok(Some((Upgrade { ws, fault }, offered)))
}

/// A WebSocket upgrade that hands its handler a [`Socket`].
pub struct Upgrade {
    ws: WebSocketUpgrade,
    fault: Option<Fault>,
}

impl Upgrade {
    pub fn on_upgrade<F, Fut>(self, handler: F) -> Response
    where
        F: FnOnce(Socket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let fault = self.fault;
        self.ws.on_upgrade(move |inner| handler(Socket { inner: Some(inner), fault, sent: 0 }))
    }
}

/// A toolbox WebSocket. What the server sends goes through the connection's fault, if a
/// rule set one: cut after N bytes, or binary messages split mid-character.
pub struct Socket {
    /// `None` once a fault cut the connection (dropping it closes the TCP connection
    /// without a close frame).
    inner: Option<WebSocket>,
    fault: Option<Fault>,
    /// Payload bytes sent so far.
    sent: u64,
}

impl Socket {
    pub async fn send(&mut self, msg: Message) -> Result<(), axum::Error> {
        let Some(inner) = self.inner.as_mut() else { return Err(axum::Error::new("connection cut by an injected fault")) };
        // Without a fault (always, outside the fault mode) a message goes as it is, uncopied.
        if self.fault.is_none() {
            return inner.send(msg).await;
        }
        let payload = match &msg {
            Message::Binary(b) => b.clone(),
            Message::Text(t) => Bytes::copy_from_slice(t.as_bytes()),
            _ => return inner.send(msg).await,
        };
        let binary = matches!(msg, Message::Binary(_));
        match self.fault {
            Some(Fault::Reset { after_bytes }) if self.sent + payload.len() as u64 > after_bytes => {
                let head = payload.slice(..(after_bytes - self.sent) as usize);
                let head = if binary { Message::Binary(head) } else { Message::Text(String::from_utf8_lossy(&head).into_owned().into()) };
                let _ = inner.send(head).await;
                self.inner = None;
                Err(axum::Error::new("connection cut by an injected fault"))
            }
            Some(Fault::Split) if binary && payload.len() > 1 => {
                let at = payload.iter().position(|b| b & 0xC0 == 0x80).filter(|&i| i > 0).unwrap_or(payload.len() / 2);
                inner.send(Message::Binary(payload.slice(..at))).await?;
                inner.send(Message::Binary(payload.slice(at..))).await
            }
            _ => {
                self.sent += payload.len() as u64;
                inner.send(msg).await
            }
        }
    }

    pub async fn recv(&mut self) -> Option<Result<Message, axum::Error>> {
        self.inner.as_mut()?.recv().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_control_wins_then_sdk_version() {
        let o = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(choose(&o(&["X-Daytona-Pty-Envs~e30", EXIT_CONTROL])).as_deref(), Some(EXIT_CONTROL));
        assert_eq!(choose(&o(&["X-Daytona-SDK-Version~0.218.0", "X-Daytona-Pty-Envs~e30"])).as_deref(), Some("X-Daytona-SDK-Version~0.218.0"));
        assert_eq!(choose(&o(&[])), None);
    }
}
