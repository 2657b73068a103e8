//! `/process/interpreter…`: interpreter contexts ([`crate::runtime::exec::interpreter`]);
//! a run streams the worker's messages over a WebSocket and closes with how it ended.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message};
use axum::extract::{Path as UrlPath, State};
use axum::response::Response;
use axum::routing::{delete, get};
use axum::{Json, Router};
use daytona_types::toolbox::process::{InterpreterContext, InterpreterRunRequest, ListContextsResponse};
use daytona_types::toolbox::MessageResponse;
use serde::Deserialize;

use crate::runtime::exec::interpreter::{self, End};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use crate::toolbox::ws::{self, Socket};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/interpreter/context", get(list).post(create))
        .route("/process/interpreter/context/{context_id}", delete(remove))
        .route("/process/interpreter/execute", get(execute))
}

#[derive(Deserialize, Default)]
struct CreateBody {
    cwd: Option<String>,
    language: Option<String>,
}

/// The body is optional (`{}` or nothing).
async fn create(State(state): State<AppState>, sb: SandboxCtx, body: axum::body::Bytes) -> Result<Json<InterpreterContext>, Error> {
    let body: CreateBody = if body.is_empty() {
        CreateBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Error::Invalid(format!("bad request: invalid request body: {e}")))?
    };
    Ok(Json(interpreter::create(&state.sandboxes, &sb, body.cwd.as_deref(), body.language.as_deref())?))
}

async fn list(State(state): State<AppState>, sb: SandboxCtx) -> Json<ListContextsResponse> {
    Json(ListContextsResponse { contexts: interpreter::list(&state.sandboxes, &sb) })
}

async fn remove(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Result<Json<MessageResponse>, Error> {
    interpreter::remove(&state.sandboxes, &sb, &id).await?;
    Ok(Json(MessageResponse { message: "Context deleted successfully".into() }))
}

async fn execute(State(state): State<AppState>, sb: SandboxCtx, req: axum::extract::Request) -> Result<Response, Error> {
    let Some((upgrade, _)) = ws::upgrade(req, &state).await? else {
        return Err(Error::Invalid("a WebSocket upgrade is required".into()));
    };
    Ok(upgrade.on_upgrade(move |socket| run_session(socket, state, sb)))
}

async fn close(socket: &mut Socket, end: End) {
    let (code, reason) = match end {
        End::Completed => (1000, String::new()),
        End::Interrupted => (4008, String::new()),
        End::TimedOut => (4008, "Execution timed out".into()),
        End::WorkerEnded => (1001, "worker process ended".into()),
        End::Refused(why) => (1008, why),
        End::Failed(why) => (1011, why),
    };
    close_with(socket, code, &reason).await;
}

/// The run the first message asks for, its messages relayed as text frames. A client that
/// leaves (a cancelled run) interrupts the code; the run is still read to its end, so no
/// stale output is left for the next run on its context.
async fn run_session(mut socket: Socket, state: AppState, sb: SandboxCtx) {
    let first = match tokio::time::timeout(Duration::from_secs(30), socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => t.as_bytes().to_vec(),
        Ok(Some(Ok(Message::Binary(b)))) => b.to_vec(),
        _ => return close_with(&mut socket, 1002, "failed to read first message").await,
    };
    let Ok(req) = serde_json::from_slice::<InterpreterRunRequest>(&first) else {
        return close_with(&mut socket, 1002, "invalid JSON payload").await;
    };
    let mut run = match interpreter::start(&state.sandboxes, &sb, req).await {
        Ok(run) => run,
        Err(end) => return close(&mut socket, end).await,
    };
    let pid = run.pid();
    // When the client left: its code was interrupted then, and is killed if still running
    // after the grace the run's own deadline gives.
    let (mut gone_at, mut killed): (Option<tokio::time::Instant>, bool) = (None, false);
    let leave = |gone_at: &mut Option<tokio::time::Instant>| {
        if gone_at.is_none() {
            interpreter::interrupt(pid);
            *gone_at = Some(tokio::time::Instant::now());
        }
    };
    loop {
        let step = {
            let next = run.next();
            tokio::pin!(next);
            loop {
                let kill_at = gone_at.map(|t| t + interpreter::INTERRUPT_GRACE);
                tokio::select! {
                    step = &mut next => break step,
                    msg = socket.recv(), if gone_at.is_none() => if matches!(msg, None | Some(Err(_)) | Some(Ok(Message::Close(_)))) {
                        leave(&mut gone_at);
                    },
                    _ = tokio::time::sleep_until(kill_at.unwrap_or_else(tokio::time::Instant::now)), if kill_at.is_some() && !killed => {
                        interpreter::kill(pid);
                        killed = true;
                    },
                }
            }
        };
        match step {
            Ok(line) => {
                if gone_at.is_none() && socket.send(Message::Text(line.clone().into())).await.is_err() {
                    leave(&mut gone_at);
                }
                if let Some(end) = run.end_after(&line) {
                    return close(&mut socket, end).await;
                }
            }
            Err(end) => return close(&mut socket, end).await,
        }
    }
}

async fn close_with(socket: &mut Socket, code: u16, reason: &str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.to_string().into() }))).await;
}
