//! PTY sessions: a real pseudo-terminal running an interactive shell.
//! Output goes to every attached WebSocket with back-pressure (a slow client slows the
//! terminal, as a real one would, and loses nothing), and a bounded buffer of recent output
//! lets a client that reconnects see what it missed. The exit reaches every client.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Path as UrlPath, Query, State};

use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};

use daytona_types::framing::pty_control::Control;
use daytona_types::toolbox::process::{PtyExit, PtyListResponse, PtySessionInfo};
use daytona_types::toolbox::MessageResponse;
use portable_pty::{native_pty_system, MasterPty, PtySize};
use serde::Deserialize;
use tokio::sync::{mpsc, watch};

use crate::runtime::command::{jailed, shell};
use crate::runtime::processes::{kill_group, kill_session};
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use crate::toolbox::ws::{self, EXIT_CONTROL};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/pty", get(list))
        .route("/process/pty/create-connect", get(create_connect))
        .route("/process/pty/{pty_id}", get(info).delete(kill))
        .route("/process/pty/{pty_id}/connect", get(connect))
        .route("/process/pty/{pty_id}/resize", post(resize))
}

/// Output kept for clients that (re)connect later.
const REPLAY_BYTES: usize = 1024 * 1024;
/// Chunks queued per client before the terminal waits for it.
const CLIENT_QUEUE: usize = 64;
/// Largest frame made by joining queued chunks.
const COALESCE_BYTES: usize = 256 * 1024;

/// How the shell ended: exit code and the reason clients are told.
#[derive(Debug, Clone, PartialEq)]
struct Exit {
    code: i32,
    reason: Option<&'static str>,
}

impl Exit {
    fn from_code(code: i32) -> Self {
        let reason = match code {
            0 => None,
            130 => Some("Ctrl+C"),
            137 => Some("SIGKILL"),
            143 => Some("SIGTERM"),
            c if c > 128 => Some("signal"),
            _ => Some("non-zero exit"),
        };
        Exit { code, reason }
    }

    /// The close frame's reason.
    fn close_reason(&self) -> String {
        let exit = PtyExit { exit_code: Some(self.code), exit_reason: self.reason.map(Into::into), error: None };
        serde_json::to_string(&exit).unwrap_or_default()
    }
}

struct Output {
    replay: VecDeque<u8>,
    clients: Vec<mpsc::Sender<Vec<u8>>>,
}

pub struct Pty {
    info: Mutex<PtySessionInfo>,
    master: Mutex<Box<dyn MasterPty + Send>>,
    writer: Mutex<Box<dyn Write + Send>>,
    output: Mutex<Output>,
    exit: watch::Sender<Option<Exit>>,
    pgid: i32,
    killed: std::sync::atomic::AtomicBool,
}

/// All PTYs.
pub type Ptys = PerSandbox<Pty>;

/// The sandboxes' ptys, kept by the sandbox manager with the rest of what lives while a sandbox runs.
pub fn ptys(state: &AppState) -> std::sync::Arc<Ptys> {
    state.sandboxes.live.of()
}

fn not_found(id: &str) -> Response {
    Error::NotFound(format!("PTY session {id} not found")).into_response()
}

/// What a new terminal runs, and where.
pub struct Terminal<'a> {
    pub id: &'a str,
    pub cwd: Option<&'a str>,
    pub cols: u16,
    pub rows: u16,
    pub envs: std::collections::BTreeMap<String, String>,
    /// A command for the shell to run (`-c`); None for an interactive shell.
    pub command: Option<&'a str>,
}

impl Pty {
    /// Registers a client: the replay so far and a queue for what follows, taken under one
    /// lock so nothing falls between them.
    pub fn attach(&self) -> (Vec<u8>, mpsc::Receiver<Vec<u8>>) {
        let (tx, rx) = mpsc::channel(CLIENT_QUEUE);
        let mut out = self.output.lock().unwrap_or_else(|e| e.into_inner());
        out.clients.push(tx);
        (out.replay.iter().copied().collect(), rx)
    }

    /// The exit code, once the shell has ended and all its output was delivered.
    pub async fn exited(&self) -> i32 {
        let mut exit = self.exit.subscribe();
        let code = exit.wait_for(|e| e.is_some()).await.ok().and_then(|e| e.as_ref().map(|e| e.code));
        code.unwrap_or(-1)
    }

    /// False once the shell has ended.
    pub fn resize(&self, cols: u16, rows: u16) -> bool {
        if self.exit.borrow().is_some() {
            return false;
        }
        let resized = self.master.lock().unwrap_or_else(|e| e.into_inner()).resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 });
        let mut info = self.info.lock().unwrap_or_else(|e| e.into_inner());
        (info.cols, info.rows) = (cols, rows);
        resized.is_ok()
    }

    /// Ends the shell's session: it and every job it started.
    pub fn kill(&self, state: &AppState) {
        self.killed.store(true, std::sync::atomic::Ordering::SeqCst);
        kill_session(state.sandboxes.jail.program_pid(self.pgid));
        kill_group(self.pgid);
    }

    fn info(&self) -> PtySessionInfo {
        let mut info = self.info.lock().unwrap_or_else(|e| e.into_inner()).clone();
        info.active = self.exit.borrow().is_none();
        info
    }
}

/// Reads the terminal until it closes; each chunk goes to the replay buffer and, with
/// back-pressure, to every client.
fn pump_output(pty: Arc<Pty>, mut reader: Box<dyn Read + Send>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = buf[..n].to_vec();
        let clients = {
            let mut out = pty.output.lock().unwrap_or_else(|e| e.into_inner());
            out.replay.extend(&chunk);
            let excess = out.replay.len().saturating_sub(REPLAY_BYTES);
            out.replay.drain(..excess);
            out.clients.retain(|c| !c.is_closed());
            out.clients.clone()
        };
        for c in clients {
            let _ = c.blocking_send(chunk.clone());
        }
    }
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

/// Starts a shell on a new terminal. Not listed among the sandbox's PTY sessions until the
/// caller adds it (SSH's terminals are not).
pub fn spawn_pty(state: &AppState, sb: &SandboxCtx, t: Terminal) -> Result<Arc<Pty>, Error> {
    let Terminal { id, cols, rows, envs, .. } = t;
    let cwd = match t.cwd.filter(|c| !c.is_empty()) {
        Some(c) => sb.fs.resolve(c)?,
        None => sb.fs.resolve("")?,
    };
    let pair =
        native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).map_err(|e| Error::Internal(anyhow::anyhow!("openpty: {e}")))?;
    let mut cmd = jailed(&state.sandboxes, sb, shell(), Some(&cwd.virt), &envs)?;
    match t.command {
        Some(c) => cmd.arg("-c").arg(c),
        None => cmd.arg("-i"),
    };
    if !envs.contains_key("TERM") {
        cmd.env("TERM", "xterm-256color");
    }
    // The shell gets the terminal as its stdio and controlling terminal, leading a session
    // of its own. portable-pty spawns only plain commands, and this one must also join the
    // jail, so it is spawned here from the slave's path. The hook below runs after the
    // jail's, in the shell's own process; what was spawned leads a process group.
    let tty = pair.master.tty_name().ok_or_else(|| Error::Internal(anyhow::anyhow!("PTY has no name")))?;
    let slave = std::fs::OpenOptions::new().read(true).write(true).custom_flags(libc::O_NOCTTY).open(&tty)?;
    cmd.stdin(slave.try_clone()?).stdout(slave.try_clone()?).stderr(slave).process_group(0);
    // SAFETY: setsid and ioctl are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (mut child, group) = state.sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    drop(pair.slave);
    let pgid = group.pgid();
    let reader = pair.master.try_clone_reader().map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    let writer = pair.master.take_writer().map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    let info =
        PtySessionInfo { id: id.to_string(), cwd: cwd.virt, envs, cols, rows, created_at: chrono::Utc::now().to_rfc3339(), active: true, lazy_start: false };
    let pty = Arc::new(Pty {
        info: Mutex::new(info),
        master: Mutex::new(pair.master),
        writer: Mutex::new(writer),
        output: Mutex::new(Output { replay: VecDeque::new(), clients: Vec::new() }),
        exit: watch::channel(None).0,
        pgid,
        killed: Default::default(),
    });
    let reader_pty = pty.clone();
    let reader_thread = std::thread::spawn(move || pump_output(reader_pty, reader));
    let waiter = pty.clone();
    std::thread::spawn(move || {
        let status = child.wait();
        // All output is delivered before anyone hears of the exit.
        let _ = reader_thread.join();
        let code = if waiter.killed.load(std::sync::atomic::Ordering::SeqCst) {
            137
        } else {
            status.map(|s| s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0))).unwrap_or(-1)
        };
        group.release();
        waiter.exit.send_replace(Some(Exit::from_code(code)));
    });
    Ok(pty)
}

/// Streams the terminal to one client and its keystrokes back, until the shell exits or
/// the client leaves (which leaves the shell running).
async fn serve_client(mut socket: WebSocket, pty: Arc<Pty>, exit_control: bool) {
    let (replay, mut output) = pty.attach();
    let connected = Control::Connected.encode();
    if socket.send(Message::Text(connected.into())).await.is_err() {
        return;
    }
    if !replay.is_empty() && socket.send(Message::Binary(replay.into())).await.is_err() {
        return;
    }
    let mut exit = pty.exit.subscribe();
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
                    if socket.send(Message::Binary(bytes.into())).await.is_err() { return }
                }
                None => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Binary(b))) => write_input(&pty, b.to_vec()).await,
                Some(Ok(Message::Text(t))) => write_input(&pty, t.as_bytes().to_vec()).await,
                Some(Ok(_)) => {}
                _ => return,
            },
            _ = async { drop(exit.wait_for(|e| e.is_some()).await) } => break,
        }
    }
    // Output still queued for this client was produced before the exit: deliver it.
    while let Ok(bytes) = output.try_recv() {
        if socket.send(Message::Binary(bytes.into())).await.is_err() {
            return;
        }
    }
    let Some(exit) = pty.exit.borrow().clone() else { return };
    if exit_control {
        let msg = Control::Exited { exit_code: Some(exit.code), reason: exit.reason.map(Into::into) };
        let _ = socket.send(Message::Text(msg.encode().into())).await;
    }
    let code = if exit.code == 0 { 1000 } else { 1011 };
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: exit.close_reason().into() }))).await;
}

pub async fn write_input(pty: &Arc<Pty>, bytes: Vec<u8>) {
    let pty = pty.clone();
    let _ = tokio::task::spawn_blocking(move || {
        let mut w = pty.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _ = w.write_all(&bytes).and_then(|_| w.flush());
    })
    .await;
}

async fn create_connect(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<CreateQuery>, req: axum::extract::Request) -> Result<Response, Error> {
    let id = q.id.clone().filter(|i| !i.is_empty()).ok_or_else(|| Error::Invalid("PTY id is required".into()))?;
    let Some((upgrade, offered)) = ws::upgrade(req, &state).await? else {
        return Err(Error::Invalid("a WebSocket upgrade is required".into()));
    };
    if ptys(&state).contains(&sb.dto.id, &id) {
        return Err(Error::Conflict(format!("PTY session {id} already exists")));
    }
    let (cols, rows) = (dimension(q.cols.as_deref(), 80)?, dimension(q.rows.as_deref(), 24)?);
    let pty = spawn_pty(&state, &sb, Terminal { id: &id, cwd: q.cwd.as_deref(), cols, rows, envs: envs_from(&offered)?, command: None })?;
    ptys(&state).insert(&sb.dto.id, &id, pty.clone());
    let exit_control = offered.iter().any(|p| p == EXIT_CONTROL);
    Ok(upgrade.on_upgrade(move |socket| serve_client(socket, pty, exit_control)))
}

async fn connect(
    State(state): State<AppState>,
    sb: SandboxCtx,
    UrlPath((_, id)): UrlPath<(String, String)>,
    req: axum::extract::Request,
) -> Result<Response, Error> {
    let Some(pty) = ptys(&state).get(&sb.dto.id, &id) else { return Ok(not_found(&id)) };
    let Some((upgrade, offered)) = ws::upgrade(req, &state).await? else {
        return Err(Error::Invalid("a WebSocket upgrade is required".into()));
    };
    let exit_control = offered.iter().any(|p| p == EXIT_CONTROL);
    Ok(upgrade.on_upgrade(move |socket| serve_client(socket, pty, exit_control)))
}

async fn list(State(state): State<AppState>, sb: SandboxCtx) -> Json<PtyListResponse> {
    let sessions: Vec<PtySessionInfo> = ptys(&state).list(&sb.dto.id).iter().map(|(_, p)| p.info()).collect();
    Json(PtyListResponse { sessions })
}

async fn info(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Response {
    match ptys(&state).get(&sb.dto.id, &id) {
        Some(p) => Json(p.info()).into_response(),
        None => not_found(&id),
    }
}

async fn kill(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>) -> Response {
    let Some(pty) = ptys(&state).remove(&sb.dto.id, &id) else { return not_found(&id) };
    pty.kill(&state);
    Json(MessageResponse { message: "PTY session deleted".into() }).into_response()
}

#[derive(Deserialize)]
struct ResizeBody {
    cols: Option<u32>,
    rows: Option<u32>,
}

async fn resize(State(state): State<AppState>, sb: SandboxCtx, UrlPath((_, id)): UrlPath<(String, String)>, body: axum::body::Bytes) -> Response {
    let gone = || Error::Status(410, format!("PTY session {id} is not available")).into_response();
    let Some(pty) = ptys(&state).get(&sb.dto.id, &id) else { return gone() };
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
    fn exit_reasons() {
        assert_eq!(Exit::from_code(0).close_reason(), r#"{"exitCode":0}"#);
        assert_eq!(Exit::from_code(3).close_reason(), r#"{"exitCode":3,"exitReason":"non-zero exit"}"#);
        assert_eq!(Exit::from_code(137).reason, Some("SIGKILL"));
    }

    #[test]
    fn envs_token_and_dimensions() {
        let token = format!("X-Daytona-Pty-Envs~{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"TERM":"xterm"}"#));
        assert_eq!(envs_from(&[token]).unwrap().get("TERM").map(String::as_str), Some("xterm"));
        assert!(envs_from(&["X-Daytona-Pty-Envs~!!".into()]).is_err());
        assert_eq!(dimension(Some("abc"), 80).unwrap(), 80);
        assert!(dimension(Some("1001"), 80).is_err());
    }
}
