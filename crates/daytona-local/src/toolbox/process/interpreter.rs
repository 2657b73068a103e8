//! The stateful Python interpreter: one worker process per context, whose
//! variables persist between runs; runs on a context are queued in order. A run streams
//! over a WebSocket; at its timeout the worker is interrupted (SIGINT), and killed if it
//! does not stop within two seconds.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use daytona_types::toolbox::process::{InterpreterContext, ListContextsResponse};
use daytona_types::toolbox::MessageResponse;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout};

use crate::runtime::command::{check_envs, sandbox_command};
use crate::runtime::processes::Group;
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use crate::toolbox::ws;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/interpreter/context", get(list).post(create))
        .route("/process/interpreter/context/{context_id}", delete(remove))
        .route("/process/interpreter/execute", get(execute))
}

const WORKER: &str = include_str!("interpreter_worker.py");
const DEFAULT_TIMEOUT_S: f64 = 600.0;
const INTERRUPT_GRACE: Duration = Duration::from_secs(2);

/// One run, as the worker reads it: a line of JSON on its stdin.
#[derive(Serialize)]
struct WorkerRun<'a> {
    code: &'a str,
    envs: &'a BTreeMap<String, String>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Dropped with the worker (deleted, died, timed out), the group is killed.
    group: Group,
}

pub struct Context {
    info: InterpreterContext,
    /// Held for a whole run: runs on one context go one at a time, in order.
    worker: tokio::sync::Mutex<Option<Worker>>,
}

/// All interpreter contexts.
pub type Contexts = PerSandbox<Context>;

/// The sandboxes' contexts, kept by the sandbox manager with the rest of what lives while a sandbox runs.
pub fn contexts(state: &AppState) -> std::sync::Arc<Contexts> {
    state.sandboxes.live.of()
}

#[derive(Deserialize, Default)]
struct CreateBody {
    cwd: Option<String>,
    language: Option<String>,
}

fn new_context(sb: &SandboxCtx, id: String, cwd: Option<&str>) -> Result<Context, Error> {
    let cwd = sb.fs.resolve(cwd.unwrap_or(""))?.virt;
    let info = InterpreterContext { id, cwd, created_at: chrono::Utc::now().to_rfc3339(), active: true, language: "python".into() };
    Ok(Context { info, worker: tokio::sync::Mutex::new(None) })
}

/// The body is optional (`{}` or nothing).
async fn create(State(state): State<AppState>, sb: SandboxCtx, body: axum::body::Bytes) -> Result<Json<InterpreterContext>, Error> {
    let body: CreateBody = if body.is_empty() {
        CreateBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Error::Invalid(format!("bad request: invalid request body: {e}")))?
    };
    if body.language.as_deref().is_some_and(|l| l != "python") {
        return Err(Error::Invalid("bad request: only python contexts are supported".into()));
    }
    let ctx = new_context(&sb, uuid::Uuid::new_v4().to_string(), body.cwd.as_deref())?;
    let info = ctx.info.clone();
    contexts(&state).insert(&sb.dto.id, &info.id, Arc::new(ctx));
    Ok(Json(info))
}

async fn list(State(state): State<AppState>, sb: SandboxCtx) -> Json<ListContextsResponse> {
    let contexts: Vec<InterpreterContext> =
        contexts(&state).list(&sb.dto.id).into_iter().filter(|(id, _)| id != "default").map(|(_, c)| c.info.clone()).collect();
    Json(ListContextsResponse { contexts })
}

async fn remove(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Result<Json<MessageResponse>, Error> {
    if id == "default" {
        return Err(Error::Invalid("bad request: the default context cannot be deleted".into()));
    }
    let ctx = contexts(&state).remove(&sb.dto.id, &id).ok_or_else(|| Error::NotFound(format!("not found: context {id}")))?;
    ctx.worker.lock().await.take();
    Ok(Json(MessageResponse { message: "Context deleted successfully".into() }))
}

async fn spawn_worker(state: &AppState, sb: &SandboxCtx, ctx: &Context) -> Result<Worker, Error> {
    let mut cmd = sandbox_command(&state.sandboxes, sb, "python3", Some(&ctx.info.cwd), &BTreeMap::new())?;
    cmd.args(["-u", "-c", WORKER]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).kill_on_drop(true);
    let (mut child, group) = state.sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    let stdin = child.stdin.take().ok_or_else(|| Error::Internal(anyhow::anyhow!("worker stdin")))?;
    let stdout = BufReader::new(child.stdout.take().ok_or_else(|| Error::Internal(anyhow::anyhow!("worker stdout")))?);
    Ok(Worker { child, stdin, stdout, group })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunRequest {
    code: Option<String>,
    context_id: Option<String>,
    envs: Option<BTreeMap<String, String>>,
    timeout: Option<f64>,
}

async fn execute(State(state): State<AppState>, sb: SandboxCtx, req: axum::extract::Request) -> Result<Response, Error> {
    let Some((upgrade, _)) = ws::upgrade(req, &state).await? else {
        return Ok((StatusCode::BAD_REQUEST, "a WebSocket upgrade is required").into_response());
    };
    Ok(upgrade.on_upgrade(move |socket| run_session(socket, state, sb)))
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.to_string().into() }))).await;
}

async fn run_session(mut socket: WebSocket, state: AppState, sb: SandboxCtx) {
    let first = match tokio::time::timeout(Duration::from_secs(30), socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => t.as_bytes().to_vec(),
        Ok(Some(Ok(Message::Binary(b)))) => b.to_vec(),
        _ => return close(&mut socket, 1002, "failed to read first message").await,
    };
    let Ok(req) = serde_json::from_slice::<RunRequest>(&first) else {
        return close(&mut socket, 1002, "invalid JSON payload").await;
    };
    let Some(code) = req.code.filter(|c| !c.trim().is_empty()) else {
        return close(&mut socket, 1008, "code is required").await;
    };
    let timeout = req.timeout.unwrap_or(DEFAULT_TIMEOUT_S);
    if timeout < 0.0 {
        return close(&mut socket, 1008, "timeout must not be negative").await;
    }
    let envs = req.envs.unwrap_or_default();
    if check_envs(&envs).is_err() {
        return close(&mut socket, 1008, "invalid environment variable name").await;
    }
    let id = req.context_id.filter(|c| !c.is_empty()).unwrap_or_else(|| "default".into());
    let ctx = match contexts(&state).get(&sb.dto.id, &id) {
        Some(c) => c,
        None if id == "default" => match new_context(&sb, id.clone(), None) {
            Ok(c) => contexts(&state).get_or_insert(&sb.dto.id, &id, || c),
            Err(_) => return close(&mut socket, 1011, "cannot create the default context").await,
        },
        None => return close(&mut socket, 1008, &format!("context not found: {id}")).await,
    };
    let mut slot = ctx.worker.lock().await;
    if slot.as_mut().is_none_or(|w| w.child.try_wait().ok().flatten().is_some()) {
        match spawn_worker(&state, &sb, &ctx).await {
            Ok(w) => *slot = Some(w),
            Err(e) => return close(&mut socket, 1011, &format!("failed to start the interpreter: {e}")).await,
        }
    }
    let Some(worker) = slot.as_mut() else { return };
    let line = serde_json::to_string(&WorkerRun { code: &code, envs: &envs }).unwrap_or_default() + "\n";
    if worker.stdin.write_all(line.as_bytes()).await.is_err() {
        return close(&mut socket, 1011, "interpreter is not running").await;
    }
    let deadline = (timeout > 0.0).then(|| tokio::time::Instant::now() + Duration::from_secs_f64(timeout));
    let mut interrupted_at: Option<tokio::time::Instant> = None;
    let mut out = String::new();
    let mut client_gone = false;
    loop {
        let wake = match (interrupted_at, deadline) {
            (Some(t), _) => Some(t + INTERRUPT_GRACE),
            (None, d) => d,
        };
        out.clear();
        let read = worker.stdout.read_line(&mut out);
        let event = match wake {
            Some(w) => tokio::time::timeout_at(w, read).await.ok(),
            None => Some(read.await),
        };
        match event {
            Some(Ok(0)) | Some(Err(_)) => {
                // The worker died (os._exit, a crash): the context starts afresh next time.
                slot.take();
                return close(&mut socket, 1001, "worker process ended").await;
            }
            Some(Ok(_)) => {
                let done = serde_json::from_str::<serde_json::Value>(&out)
                    .map(|v| v["type"] == "control" && (v["text"] == "completed" || v["text"] == "interrupted"))
                    .unwrap_or(false);
                // A client that left still lets the run finish, so no stale output is left
                // for the next run on this context.
                if !client_gone && socket.send(Message::Text(out.trim_end().to_string().into())).await.is_err() {
                    client_gone = true;
                }
                if done {
                    return close(&mut socket, if interrupted_at.is_some() { 4008 } else { 1000 }, "").await;
                }
            }
            None if interrupted_at.is_none() => {
                // SAFETY: kill(2) with SIGINT on the worker's pid; no memory is touched.
                unsafe {
                    libc::kill(state.sandboxes.jail.program_pid(worker.group.pgid()), libc::SIGINT);
                }
                interrupted_at = Some(tokio::time::Instant::now());
            }
            None => {
                slot.take();
                return close(&mut socket, 4008, "Execution timed out").await;
            }
        }
    }
}
