//! `/process/pty…`: terminals ([`crate::runtime::exec::pty`]) over WebSockets.

use axum::extract::ws::{CloseFrame, Message};
use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use daytona_types::framing::pty_control::Control;
use daytona_types::toolbox::process::{PtyListResponse, PtySessionInfo};
use daytona_types::toolbox::MessageResponse;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::exec::pty::{ptys, spawn_pty, write_input, Pty, Terminal};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use crate::toolbox::ws::{self, Socket, EXIT_CONTROL};

/// Largest frame made by joining queued chunks.
const COALESCE_BYTES: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/pty", get(list))
        .route("/process/pty/create-connect", get(create_connect))
        .route("/process/pty/{pty_id}", get(info).delete(kill))
        .route("/process/pty/{pty_id}/connect", get(connect))
        .route("/process/pty/{pty_id}/resize", post(resize))
}

fn not_found(id: &str) -> Response {
    Error::NotFound(format!("PTY session {id} not found")).into_response()
}

#[derive(Deserialize)]
struct CreateQuery {
    id: Option<String>,
    cols: Option<String>,
    rows: Option<String>,
    cwd: Option<String>,
}

/// A dimension from the query: non-numbers fall back to the default; 1–1000 otherwise.
fn dimension(v: Option<&str>, default: u16) -> Result<u16, Error> {
    match v.and_then(|s| s.parse::<u32>().ok()) {
        None => Ok(default),
        Some(n @ 1..=1000) => Ok(n as u16),
        Some(_) => Err(Error::Invalid("cols and rows must be between 1 and 1000".into())),
    }
}

/// Extra env from the `X-Daytona-Pty-Envs~<base64url(JSON)>` subprotocol token.
fn envs_from(offered: &[String]) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let Some(token) = offered.iter().find_map(|p| p.strip_prefix("X-Daytona-Pty-Envs~")) else { return Ok(Default::default()) };
    let bytes =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).map_err(|_| Error::Invalid("bad PTY envs token".into()))?;
    serde_json::from_slice(&bytes).map_err(|_| Error::Invalid("bad PTY envs token".into()))
}

/// How long one send may wait on a client that does not read: past it the client is
/// dropped, so it cannot hold up the terminal for the others attached.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle connection is pinged; a client silent for two of these is gone.
const PING_EVERY: Duration = Duration::from_secs(20);

/// Sends within [`SEND_TIMEOUT`]; false when the client is gone or too slow.
async fn send(socket: &mut Socket, msg: Message) -> bool {
    matches!(tokio::time::timeout(SEND_TIMEOUT, socket.send(msg)).await, Ok(Ok(())))
}

/// Types the client's keys within [`SEND_TIMEOUT`]; false when the terminal does not take
/// them (its shell blocked writing output this client does not read: dropping the client
/// unblocks it).
async fn type_keys(pty: &Arc<Pty>, bytes: Vec<u8>) -> bool {
    tokio::time::timeout(SEND_TIMEOUT, write_input(pty, bytes)).await.is_ok()
}

/// Streams the terminal to one client and its keystrokes back, until the shell exits or
/// the client leaves (which leaves the shell running). Output starts at `from` (see
/// [`Pty::attach`]); the `connected` message says where, so the client can resume later.
async fn serve_client(mut socket: Socket, pty: Arc<Pty>, exit_control: bool, from: Option<u64>) {
    let (offset, replay, mut output) = pty.attach(from);
    if !send(&mut socket, Message::Text(Control::Connected { offset: Some(offset) }.encode().into())).await {
        return;
    }
    if !replay.is_empty() && !send(&mut socket, Message::Binary(replay.into())).await {
        return;
    }
    let mut exit = pty.exit_watch();
    let mut last_heard = tokio::time::Instant::now();
    let mut ping = tokio::time::interval_at(last_heard + PING_EVERY, PING_EVERY);
    loop {
        tokio::select! {
            chunk = output.recv() => match chunk {
                Some(mut bytes) => {
                    // Whatever else is already queued goes in the same frame: fewer, larger
                    // frames when the terminal produces faster than the client reads.
                    while bytes.len() < COALESCE_BYTES {
                        match output.try_recv() {
                            Ok(more) => bytes.extend(more),
                            Err(_) => break,
                        }
                    }
                    if !send(&mut socket, Message::Binary(bytes.into())).await { return }
                }
                None => return,
            },
            msg = socket.recv() => {
                last_heard = tokio::time::Instant::now();
                match msg {
                    Some(Ok(Message::Binary(b))) => if !type_keys(&pty, b.to_vec()).await { return },
                    Some(Ok(Message::Text(t))) => if !type_keys(&pty, t.as_bytes().to_vec()).await { return },
                    Some(Ok(_)) => {}
                    _ => return,
                }
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > 2 * PING_EVERY || !send(&mut socket, Message::Ping(Default::default())).await { return }
            },
            _ = async { drop(exit.wait_for(|e| e.is_some()).await) } => break,
        }
    }
    // Output still queued for this client was produced before the exit: deliver it.
    while let Ok(bytes) = output.try_recv() {
        if !send(&mut socket, Message::Binary(bytes.into())).await {
            return;
        }
    }
    let Some(exit) = pty.exit() else { return };
    if exit_control {
        let msg = Control::Exited { exit_code: Some(exit.code), reason: exit.reason.map(Into::into) };
        send(&mut socket, Message::Text(msg.encode().into())).await;
    }
    let code = if exit.code == 0 { 1000 } else { 1011 };
    send(&mut socket, Message::Close(Some(CloseFrame { code, reason: exit.close_reason().into() }))).await;
}

async fn create_connect(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<CreateQuery>, req: axum::extract::Request) -> Result<Response, Error> {
    let id = q.id.clone().filter(|i| !i.is_empty()).ok_or_else(|| Error::Invalid("PTY id is required".into()))?;
    let Some((upgrade, offered)) = ws::upgrade(req, &state).await? else {
        return Err(Error::Invalid("a WebSocket upgrade is required".into()));
    };
    if ptys(&state.sandboxes).contains(&sb.dto.id, &id) {
        return Err(Error::Conflict(format!("PTY session {id} already exists")));
    }
    let (cols, rows) = (dimension(q.cols.as_deref(), 80)?, dimension(q.rows.as_deref(), 24)?);
    let pty = spawn_pty(&state.sandboxes, &sb, Terminal { id: &id, cwd: q.cwd.as_deref(), cols, rows, envs: envs_from(&offered)?, command: None })?;
    ptys(&state.sandboxes).insert(&sb.dto.id, &id, pty.clone());
    let exit_control = offered.iter().any(|p| p == EXIT_CONTROL);
    Ok(upgrade.on_upgrade(move |socket| serve_client(socket, pty, exit_control, None)))
}

/// `?offset=N`: resume after the first N bytes of output (as counted from a `connected`
/// message's offset); without it, the whole replay.
#[derive(Deserialize)]
struct ConnectQuery {
    offset: Option<String>,
}

async fn connect(
    State(state): State<AppState>,
    sb: SandboxCtx,
    UrlPath((_, id)): UrlPath<(String, String)>,
    Query(q): Query<ConnectQuery>,
    req: axum::extract::Request,
) -> Result<Response, Error> {
    let Some(pty) = ptys(&state.sandboxes).get(&sb.dto.id, &id) else { return Ok(not_found(&id)) };
    let from = q.offset.map(|o| o.parse::<u64>()).transpose().map_err(|_| Error::Invalid("offset must be a count of bytes".into()))?;
    let Some((upgrade, offered)) = ws::upgrade(req, &state).await? else {
        return Err(Error::Invalid("a WebSocket upgrade is required".into()));
    };
    let exit_control = offered.iter().any(|p| p == EXIT_CONTROL);
    Ok(upgrade.on_upgrade(move |socket| serve_client(socket, pty, exit_control, from)))
}

async fn list(State(state): State<AppState>, sb: SandboxCtx) -> Json<PtyListResponse> {
    let sessions: Vec<PtySessionInfo> = ptys(&state.sandboxes).list(&sb.dto.id).iter().map(|(_, p)| p.info()).collect();
    Json(PtyListResponse { sessions })
}

async fn info(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Response {
    match ptys(&state.sandboxes).get(&sb.dto.id, &id) {
        Some(p) => Json(p.info()).into_response(),
        None => not_found(&id),
    }
}

async fn kill(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Response {
    let Some(pty) = ptys(&state.sandboxes).remove(&sb.dto.id, &id) else { return not_found(&id) };
    pty.kill(&state.sandboxes);
    Json(MessageResponse { message: "PTY session deleted".into() }).into_response()
}

#[derive(Deserialize)]
struct ResizeBody {
    cols: Option<u32>,
    rows: Option<u32>,
}

async fn resize(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>, body: axum::body::Bytes) -> Response {
    let gone = || Error::Status(410, format!("PTY session {id} is not available")).into_response();
    let Some(pty) = ptys(&state.sandboxes).get(&sb.dto.id, &id) else { return gone() };
    let size = serde_json::from_slice::<ResizeBody>(&body).ok().and_then(|b| Some((b.cols?, b.rows?)));
    let Some((cols @ 1..=1000, rows @ 1..=1000)) = size else {
        return Error::invalid("cols and rows are required, 1 to 1000").into_response();
    };
    if !pty.resize(cols as u16, rows as u16) {
        return gone();
    }
    Json(pty.info()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envs_token_and_dimensions() {
        let token = format!("X-Daytona-Pty-Envs~{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"TERM":"xterm"}"#));
        assert_eq!(envs_from(&[token]).unwrap().get("TERM").map(String::as_str), Some("xterm"));
        assert!(envs_from(&["X-Daytona-Pty-Envs~!!".into()]).is_err());
        assert_eq!(dimension(Some("abc"), 80).unwrap(), 80);
        assert!(dimension(Some("1001"), 80).is_err());
    }
}
