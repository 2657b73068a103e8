//! `/process/session…`: sessions ([`crate::runtime::exec::session`]), their commands and logs.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::toolbox::process::{Command, CreateSessionRequest, Session, SessionExecuteRequest, SessionExecuteResponse, SessionInputRequest};

use crate::http::AppJson;
use crate::runtime::exec::session::{command, entrypoint, logs_of, session, sessions, start_command, CommandRun, ENTRYPOINT};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use crate::toolbox::ws::{self, Socket};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/session", get(list).post(create))
        .route("/process/session/{session_id}", get(get_one).delete(delete))
        .route("/process/session/{session_id}/exec", post(exec))
        .route("/process/session/{session_id}/command/{command_id}", get(get_command))
        .route("/process/session/{session_id}/command/{command_id}/logs", get(logs))
        .route("/process/session/{session_id}/command/{command_id}/input", post(input))
        .route("/process/session/entrypoint/logs", get(entrypoint_logs))
}

async fn create(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<CreateSessionRequest>) -> Result<StatusCode, Error> {
    crate::runtime::exec::session::create(&state.sandboxes, &sb, &req.session_id)?;
    Ok(StatusCode::CREATED)
}

async fn list(State(state): State<AppState>, sb: SandboxCtx) -> Json<Vec<Session>> {
    let sessions = sessions(&state.sandboxes).list(&sb.dto.id).iter().map(|(_, v)| v.info()).collect();
    Json(sessions)
}

async fn get_one(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, sid)): UrlPath<(String, String)>) -> Result<Json<Session>, Error> {
    if sid == ENTRYPOINT {
        return Ok(Json(entrypoint(&state.sandboxes, &sb).await?.info()));
    }
    Ok(Json(session(&state.sandboxes, &sb.dto.id, &sid)?.info()))
}

/// `GET /process/session/entrypoint/logs`: the entrypoint command's logs, as a command's
/// (empty when the snapshot has none; followed, the socket then closes at once).
async fn entrypoint_logs(State(state): State<AppState>, sb: SandboxCtx, req: axum::extract::Request) -> Result<Response, Error> {
    let run = entrypoint(&state.sandboxes, &sb).await?.first_command();
    match (ws::upgrade(req, &state).await?, run) {
        (Some((upgrade, _)), Some(run)) => Ok(upgrade.on_upgrade(move |socket| follow(socket, run))),
        (Some((upgrade, _)), None) => Ok(upgrade.on_upgrade(|mut socket| async move {
            let _ = socket.send(Message::Close(Some(CloseFrame { code: 1000, reason: "".into() }))).await;
        })),
        (None, run) => {
            let logs = run.map(|r| logs_of(&r)).unwrap_or_default();
            Ok(([(header::CONTENT_TYPE, "application/json")], Json(logs)).into_response())
        }
    }
}

async fn delete(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, sid)): UrlPath<(String, String)>) -> Result<StatusCode, Error> {
    crate::runtime::exec::session::delete(&state.sandboxes, &sb, &sid)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn exec(
    State(state): State<AppState>,
    sb: SandboxCtx,
    UrlPath((_, sid)): UrlPath<(String, String)>,
    AppJson(req): AppJson<SessionExecuteRequest>,
) -> Result<Response, Error> {
    if req.command.trim().is_empty() {
        return Err(Error::Invalid("bad request: command is required".into()));
    }
    if req.command.contains('\0') {
        return Err(Error::Invalid("bad request: command must not contain NUL bytes".into()));
    }
    let session = session(&state.sandboxes, &sb.dto.id, &sid)?;
    let run = start_command(&session, req.command.clone(), req.suppress_input_echo.unwrap_or(false)).await?;
    if req.run_async.or(req.is_async).unwrap_or(false) {
        let body = SessionExecuteResponse { cmd_id: run.id.clone(), ..Default::default() };
        return Ok((StatusCode::ACCEPTED, Json(body)).into_response());
    }
    run.finished().await;
    let logs = logs_of(&run);
    let body = SessionExecuteResponse {
        cmd_id: run.id.clone(),
        output: Some(logs.output),
        stdout: Some(logs.stdout),
        stderr: Some(logs.stderr),
        exit_code: run.exit_code(),
    };
    Ok(Json(body).into_response())
}

async fn get_command(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, sid, cid)): UrlPath<(String, String, String)>) -> Result<Json<Command>, Error> {
    Ok(Json(command(&state.sandboxes, &sb.dto.id, &sid, &cid)?.info()))
}

/// The logs so far as JSON; with `follow=true` over a WebSocket, the raw labelled log as
/// it grows, then a 1000 close once the command has ended.
async fn logs(
    State(state): State<AppState>,
    sb: SandboxCtx,
    UrlPath((_, sid, cid)): UrlPath<(String, String, String)>,
    req: axum::extract::Request,
) -> Result<Response, Error> {
    let run = command(&state.sandboxes, &sb.dto.id, &sid, &cid)?;
    match ws::upgrade(req, &state).await? {
        Some((upgrade, _)) => Ok(upgrade.on_upgrade(move |socket| follow(socket, run))),
        None => Ok(([(header::CONTENT_TYPE, "application/json")], Json(logs_of(&run))).into_response()),
    }
}

/// Largest frame sent to a follower; frames end at a line end where possible, so no frame
/// ends with a complete marker (the official SDK mis-parses those).
const FRAME: usize = 256 * 1024;

/// Cuts `bytes` into frames ending at line ends where possible.
fn frames(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let window = &rest[..rest.len().min(FRAME)];
        let cut = if window.len() < rest.len() { window.iter().rposition(|&b| b == b'\n').map_or(window.len(), |i| i + 1) } else { window.len() };
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    out
}

async fn follow(mut socket: Socket, run: Arc<CommandRun>) {
    let mut changes = run.changed.subscribe();
    let mut sent = 0;
    loop {
        // Exit first, then the log: the log is complete once the exit is recorded.
        let done = run.exit_code().is_some();
        let fresh = {
            let log = run.log.lock().unwrap_or_else(|e| e.into_inner());
            log[sent..].to_vec()
        };
        for frame in frames(&fresh) {
            if socket.send(Message::Binary(frame.to_vec().into())).await.is_err() {
                return;
            }
        }
        sent += fresh.len();
        if done {
            let _ = socket.send(Message::Close(Some(CloseFrame { code: 1000, reason: "".into() }))).await;
            return;
        }
        tokio::select! {
            changed = changes.changed() => if changed.is_err() { return },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                _ => {}
            },
        }
    }
}

async fn input(
    State(state): State<AppState>,
    sb: SandboxCtx,
    UrlPath((_, sid, cid)): UrlPath<(String, String, String)>,
    AppJson(req): AppJson<SessionInputRequest>,
) -> Result<StatusCode, Error> {
    crate::runtime::exec::session::send_input(&state.sandboxes, &sb, &sid, &cid, req.data).await?;
    Ok(StatusCode::NO_CONTENT)
}
