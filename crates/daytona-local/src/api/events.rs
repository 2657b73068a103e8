//! `GET /api/socket.io/?EIO=4&transport=websocket`: Daytona's event socket, over which the
//! official SDK hears of sandbox state changes. Socket.IO v5 over Engine.IO v4, WebSocket
//! transport only, the default namespace, text packets: the handful the SDK uses are written
//! here by hand (a Socket.IO server crate would bring long-polling, upgrades and binary
//! attachments, none of which a client of this endpoint sends).
//!
//! The API key comes in the Socket.IO CONNECT packet (`40{"token":…}`), not in a header, so
//! the route sits outside the API key layer. A wrong key gets CONNECT_ERROR, which clients
//! take as final; a right one gets every sandbox's state changes (one organization here).

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use daytona_types::api::events::{EngineOpen, SandboxStateUpdated, SocketConnectError, SocketConnected, SANDBOX_STATE_UPDATED};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::runtime::Error;
use crate::secrets::constant_time_eq;
use crate::state::AppState;

const PING_INTERVAL: Duration = Duration::from_secs(25);
const PING_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_PAYLOAD: u64 = 1_000_000;

/// `GET /api/socket.io/`; other methods are refused in the error shape.
pub fn route() -> axum::routing::MethodRouter<AppState> {
    axum::routing::get(handle).fallback(|| async { ([(axum::http::header::ALLOW, "GET")], Error::Status(405, "Method Not Allowed".into())) })
}

async fn handle(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let query = query.unwrap_or_default();
    let param = |key: &str| form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    if param("EIO").as_deref() != Some("4") {
        return Error::Invalid("Unsupported protocol version: EIO=4 only".into()).into_response();
    }
    if param("transport").as_deref() != Some("websocket") {
        return Error::Invalid("Transport unknown: websocket only".into()).into_response();
    }
    match ws {
        Ok(ws) => ws.on_upgrade(move |socket| serve(state, socket)),
        Err(r) => Error::Invalid(r.body_text()).into_response(),
    }
}

#[derive(Deserialize, Default)]
struct ConnectAuth {
    token: Option<String>,
}

fn packet(prefix: &str, body: &impl serde::Serialize) -> Message {
    Message::Text(format!("{prefix}{}", serde_json::to_string(body).unwrap_or_default()).into())
}

fn sid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

async fn serve(state: AppState, mut socket: WebSocket) {
    let open = EngineOpen {
        sid: sid(),
        upgrades: [],
        ping_interval: PING_INTERVAL.as_millis() as u64,
        ping_timeout: PING_TIMEOUT.as_millis() as u64,
        max_payload: MAX_PAYLOAD,
    };
    if socket.send(packet("0", &open)).await.is_err() {
        return;
    }
    let mut events = None;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
    let mut heard = tokio::time::Instant::now();
    loop {
        let next_event = async {
            match events.as_mut() {
                Some(rx) => Some(tokio::sync::broadcast::Receiver::recv(rx).await),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { return };
                heard = tokio::time::Instant::now();
                let Message::Text(text) = msg else {
                    if matches!(msg, Message::Close(_)) { return }
                    continue;
                };
                match text.as_str() {
                    // Pong; Engine.IO close; Socket.IO DISCONNECT.
                    "3" => {}
                    "1" | "41" => return,
                    t if t.starts_with("40") => {
                        let auth: ConnectAuth = serde_json::from_str(&t[2..]).unwrap_or_default();
                        let valid = auth.token.is_some_and(|k| constant_time_eq(k.as_bytes(), state.api_key.as_bytes()));
                        if !valid {
                            let _ = socket.send(packet("44", &SocketConnectError { message: "Unauthorized".into() })).await;
                            return;
                        }
                        events = Some(state.sandboxes.events.subscribe());
                        if socket.send(packet("40", &SocketConnected { sid: sid() })).await.is_err() {
                            return;
                        }
                    }
                    _ => {}
                }
            }
            _ = ping.tick() => {
                if heard.elapsed() > PING_INTERVAL + PING_TIMEOUT || socket.send(Message::Text("2".into())).await.is_err() {
                    return;
                }
            }
            Some(event) = next_event => {
                let change = match event {
                    Ok(change) => change,
                    // Missed changes: the client's polling still sees the state.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                let Some(new_state) = change.sandbox.state else { continue };
                let payload = SandboxStateUpdated {
                    sandbox: super::sandbox::render(&state, change.sandbox),
                    old_state: change.old_state,
                    new_state,
                };
                let event = (SANDBOX_STATE_UPDATED, payload);
                if socket.send(packet("42", &event)).await.is_err() {
                    return;
                }
            }
        }
    }
}
