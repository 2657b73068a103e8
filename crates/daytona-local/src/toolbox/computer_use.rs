//! Computer use: a real desktop per sandbox ([`desktop`]), driven through
//! X tools ([`tools`]), with screenshots and screen recordings ([`recording`]). Without
//! those programs on the host every route but the recordings' answers 503, as Daytona's
//! daemon does while its computer-use plugin is not loaded.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use daytona_types::toolbox::computer_use::{
    ComputerUseResponse, ComputerUseStatusResponse, DisplayInfo, DisplayInfoResponse, KeyboardHotkeyRequest, KeyboardPressRequest, KeyboardTypeRequest,
    ListRecordingsResponse, MouseClickRequest, MouseDragRequest, MousePosition, MouseScrollRequest, ProcessErrorsResponse, ProcessLogsResponse,
    ProcessRestartResponse, ProcessStatusResponse, Recording, ScreenshotResponse, ScrollResponse, StartRecordingRequest, StopRecordingRequest, WindowsResponse,
};
use daytona_types::toolbox::Empty;
use serde::Deserialize;

use crate::runtime::desktop::tools::{self, button, chord, on_screen, xdotool, Shot};
use crate::runtime::desktop::{self, desktops, process_name, Desktop, DESKTOP, HEIGHT, WIDTH};

use crate::http::AppJson;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

/// The host programs computer use needs (Debian: xvfb, openbox, xdotool, wmctrl, ffmpeg).
const PROGRAMS: [&str; 5] = ["Xvfb", "openbox", "xdotool", "wmctrl", "ffmpeg"];

pub fn router() -> Router<AppState> {
    let desktop = Router::new()
        .route("/computeruse/start", post(start))
        .route("/computeruse/stop", post(stop))
        .route("/computeruse/status", get(status))
        .route("/computeruse/process-status", get(status))
        .route("/computeruse/process/{name}/status", get(process_status))
        .route("/computeruse/process/{name}/restart", post(restart))
        .route("/computeruse/process/{name}/logs", get(process_logs))
        .route("/computeruse/process/{name}/errors", get(process_errors))
        .route("/computeruse/mouse/position", get(mouse_position))
        .route("/computeruse/mouse/move", post(mouse_move))
        .route("/computeruse/mouse/click", post(mouse_click))
        .route("/computeruse/mouse/drag", post(mouse_drag))
        .route("/computeruse/mouse/scroll", post(mouse_scroll))
        .route("/computeruse/keyboard/type", post(keyboard_type))
        .route("/computeruse/keyboard/key", post(keyboard_key))
        .route("/computeruse/keyboard/hotkey", post(keyboard_hotkey))
        .route("/computeruse/screenshot", get(screenshot))
        .route("/computeruse/screenshot/region", get(screenshot))
        .route("/computeruse/screenshot/compressed", get(screenshot))
        .route("/computeruse/screenshot/region/compressed", get(screenshot))
        .route("/computeruse/display/info", get(display_info))
        .route("/computeruse/display/windows", get(display_windows))
        .route_layer(axum::middleware::from_fn(require_programs));
    let recordings = Router::new()
        .route("/computeruse/recordings", get(list_recordings))
        .route("/computeruse/recordings/start", post(start_recording))
        .route("/computeruse/recordings/stop", post(stop_recording))
        .route("/computeruse/recordings/{id}", get(get_recording).delete(delete_recording))
        .route("/computeruse/recordings/{id}/download", get(download_recording));
    desktop.merge(recordings)
}

/// 503 while a program computer use needs is missing from the host.
async fn require_programs(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let missing: Vec<&str> = PROGRAMS.into_iter().filter(|p| crate::runtime::jail::find_program(p).is_none()).collect();
    if missing.is_empty() {
        return next.run(req).await;
    }
    let why = format!(
        "Computer-use functionality is not available: missing on this host: {}; install xvfb, openbox, xdotool, wmctrl and ffmpeg (scripts/setup.sh does)",
        missing.join(", ")
    );
    Error::Status(503, why).into_response()
}

fn desktop_of(state: &AppState, sb: &SandboxCtx) -> Option<Arc<Desktop>> {
    desktops(&state.sandboxes).get(&sb.dto.id, DESKTOP)
}

/// The sandbox's desktop, which must be running.
fn running(state: &AppState, sb: &SandboxCtx) -> Result<Arc<Desktop>, Error> {
    desktop_of(state, sb).filter(|d| d.running("xvfb")).ok_or_else(|| Error::Invalid("computer use is not started: call computerUse.start() first".into()))
}

async fn start(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<ComputerUseResponse>, Error> {
    let desktop = desktops(&state.sandboxes).get_or_insert(&sb.dto.id, DESKTOP, Desktop::default);
    desktop.start(&state.sandboxes, &sb).await?;
    // Ready once the window manager answers (window lists need it).
    for _ in 0..100 {
        if tools::run(&state.sandboxes, &sb, &desktop, "wmctrl", &["-m".into()]).await.is_ok() || !desktop.running("openbox") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(Json(ComputerUseResponse { message: "Computer use processes started successfully".into(), status: desktop.status() }))
}

async fn stop(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<ComputerUseResponse>, Error> {
    let Some(desktop) = desktop_of(&state, &sb) else {
        return Ok(Json(ComputerUseResponse { message: "Computer use processes stopped successfully".into(), status: desktop::status_of(|_| None) }));
    };
    desktop.recordings.stop_all(&sb).await;
    desktop.stop();
    // Stopped by hand, the X server's watcher no longer speaks for it (see Desktop::spawn).
    crate::runtime::command::displays(&state.sandboxes).remove(&sb.dto.id, crate::runtime::command::DISPLAY);
    Ok(Json(ComputerUseResponse { message: "Computer use processes stopped successfully".into(), status: desktop.status() }))
}

async fn status(State(state): State<AppState>, sb: SandboxCtx) -> Json<ComputerUseStatusResponse> {
    let running = desktop_of(&state, &sb).map_or(0, |d| d.status().values().filter(|p| p.running).count());
    let status = match running {
        0 => "inactive",
        n if n == desktop::PROCESSES.len() => "active",
        _ => "partial",
    };
    Json(ComputerUseStatusResponse { status: status.into() })
}

async fn process_status(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessStatusResponse>, Error> {
    let name = process_name(&name)?;
    let running = desktop_of(&state, &sb).is_some_and(|d| d.running(name));
    Ok(Json(ProcessStatusResponse { process_name: name.into(), running }))
}

async fn restart(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessRestartResponse>, Error> {
    let name = process_name(&name)?;
    let desktop = running(&state, &sb)?;
    desktop.restart(&state.sandboxes, &sb, name).await?;
    Ok(Json(ProcessRestartResponse { message: format!("Process {name} restarted successfully"), process_name: name.into() }))
}

async fn process_logs(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessLogsResponse>, Error> {
    let name = process_name(&name)?;
    let logs = desktop_of(&state, &sb).map(|d| d.output(name, false)).unwrap_or_default();
    Ok(Json(ProcessLogsResponse { process_name: name.into(), logs }))
}

async fn process_errors(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessErrorsResponse>, Error> {
    let name = process_name(&name)?;
    let errors = desktop_of(&state, &sb).map(|d| d.output(name, true)).unwrap_or_default();
    Ok(Json(ProcessErrorsResponse { process_name: name.into(), errors }))
}

async fn mouse_position(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<MousePosition>, Error> {
    let desktop = running(&state, &sb)?;
    Ok(Json(tools::mouse_position(&state.sandboxes, &sb, &desktop).await?))
}

async fn mouse_move(State(state): State<AppState>, sb: SandboxCtx, AppJson(to): AppJson<MousePosition>) -> Result<Json<MousePosition>, Error> {
    let desktop = running(&state, &sb)?;
    on_screen(to.x, to.y)?;
    xdotool(&state.sandboxes, &sb, &desktop, vec!["mousemove".into(), "--sync".into(), to.x.to_string(), to.y.to_string()]).await?;
    Ok(Json(tools::mouse_position(&state.sandboxes, &sb, &desktop).await?))
}

async fn mouse_click(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseClickRequest>) -> Result<Json<MousePosition>, Error> {
    let desktop = running(&state, &sb)?;
    on_screen(req.x, req.y)?;
    let mut args = vec!["mousemove".into(), "--sync".into(), req.x.to_string(), req.y.to_string(), "click".into()];
    if req.double == Some(true) {
        args.extend(["--repeat".into(), "2".into(), "--delay".into(), "100".into()]);
    }
    args.push(button(req.button.as_deref())?.into());
    xdotool(&state.sandboxes, &sb, &desktop, args).await?;
    Ok(Json(MousePosition { x: req.x, y: req.y }))
}

async fn mouse_drag(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseDragRequest>) -> Result<Json<MousePosition>, Error> {
    let desktop = running(&state, &sb)?;
    on_screen(req.start_x, req.start_y)?;
    on_screen(req.end_x, req.end_y)?;
    let b = button(req.button.as_deref())?;
    let args = [
        "mousemove",
        "--sync",
        &req.start_x.to_string(),
        &req.start_y.to_string(),
        "mousedown",
        b,
        "mousemove",
        "--sync",
        &req.end_x.to_string(),
        &req.end_y.to_string(),
        "mouseup",
        b,
    ];
    xdotool(&state.sandboxes, &sb, &desktop, args.map(String::from).to_vec()).await?;
    Ok(Json(MousePosition { x: req.end_x, y: req.end_y }))
}

async fn mouse_scroll(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseScrollRequest>) -> Result<Json<ScrollResponse>, Error> {
    let desktop = running(&state, &sb)?;
    on_screen(req.x, req.y)?;
    // X's wheel: button 4 is up, 5 down.
    let wheel = match req.direction.as_str() {
        "up" => "4",
        "down" => "5",
        other => return Err(Error::Invalid(format!("direction must be up or down, not {other:?}"))),
    };
    let amount = req.amount.unwrap_or(1).clamp(1, 100).to_string();
    let args = ["mousemove", "--sync", &req.x.to_string(), &req.y.to_string(), "click", "--repeat", &amount, "--delay", "20", wheel];
    xdotool(&state.sandboxes, &sb, &desktop, args.map(String::from).to_vec()).await?;
    Ok(Json(ScrollResponse { success: true }))
}

async fn keyboard_type(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardTypeRequest>) -> Result<Json<Empty>, Error> {
    let desktop = running(&state, &sb)?;
    // One argument of a program is at most 128 KiB; typing is far slower than that anyway.
    if req.text.len() > 64 * 1024 {
        return Err(Error::Invalid("text to type is limited to 64 KiB".into()));
    }
    let delay = req.delay.unwrap_or(12).min(1000).to_string();
    xdotool(&state.sandboxes, &sb, &desktop, vec!["type".into(), "--delay".into(), delay, "--".into(), req.text]).await?;
    Ok(Json(Empty {}))
}

async fn keyboard_key(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardPressRequest>) -> Result<Json<Empty>, Error> {
    let desktop = running(&state, &sb)?;
    let keys = chord(req.modifiers.iter().map(String::as_str).chain([req.key.as_str()]))?;
    xdotool(&state.sandboxes, &sb, &desktop, vec!["key".into(), "--".into(), keys]).await?;
    Ok(Json(Empty {}))
}

async fn keyboard_hotkey(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardHotkeyRequest>) -> Result<Json<Empty>, Error> {
    let desktop = running(&state, &sb)?;
    let keys = chord(req.keys.split('+'))?;
    xdotool(&state.sandboxes, &sb, &desktop, vec!["key".into(), "--".into(), keys]).await?;
    Ok(Json(Empty {}))
}

/// Every screenshot route's parameters: the region ones add `x, y, width, height`, the
/// compressed ones `format, quality, scale`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShotQuery {
    show_cursor: Option<String>,
    #[serde(rename = "show_cursor")]
    show_cursor_alias: Option<String>,
    x: Option<String>,
    y: Option<String>,
    width: Option<String>,
    height: Option<String>,
    format: Option<String>,
    quality: Option<String>,
    scale: Option<String>,
}

fn number<T: std::str::FromStr>(name: &str, v: Option<&str>, default: T) -> Result<T, Error> {
    match v.filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| Error::Invalid(format!("{name} must be a number, not {s:?}"))),
    }
}

async fn screenshot(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<ShotQuery>) -> Result<Json<ScreenshotResponse>, Error> {
    let desktop = running(&state, &sb)?;
    let cursor = q.show_cursor.or(q.show_cursor_alias).is_some_and(|s| s == "true" || s == "1");
    let region = (
        number("x", q.x.as_deref(), 0)?,
        number("y", q.y.as_deref(), 0)?,
        number("width", q.width.as_deref(), WIDTH)?,
        number("height", q.height.as_deref(), HEIGHT)?,
    );
    let shot = Shot {
        region,
        cursor,
        format: q.format.filter(|f| !f.is_empty()).unwrap_or_else(|| "png".into()),
        quality: number("quality", q.quality.as_deref(), 85)?,
        scale: number("scale", q.scale.as_deref(), 1.0)?,
    };
    let image = tools::screenshot(&state.sandboxes, &sb, &desktop, &shot).await?;
    let cursor_position = if cursor { Some(tools::mouse_position(&state.sandboxes, &sb, &desktop).await?) } else { None };
    Ok(Json(ScreenshotResponse { size_bytes: Some(image.len() as u64), screenshot: base64::engine::general_purpose::STANDARD.encode(image), cursor_position }))
}

async fn display_info(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<DisplayInfoResponse>, Error> {
    running(&state, &sb)?;
    Ok(Json(DisplayInfoResponse { displays: vec![DisplayInfo { id: 0, x: 0, y: 0, width: WIDTH, height: HEIGHT, is_active: true }] }))
}

async fn display_windows(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<WindowsResponse>, Error> {
    let desktop = running(&state, &sb)?;
    Ok(Json(WindowsResponse { windows: tools::windows(&state.sandboxes, &sb, &desktop).await? }))
}

async fn list_recordings(State(state): State<AppState>, sb: SandboxCtx) -> Json<ListRecordingsResponse> {
    Json(ListRecordingsResponse { recordings: desktop_of(&state, &sb).map(|d| d.recordings.list()).unwrap_or_default() })
}

async fn start_recording(State(state): State<AppState>, sb: SandboxCtx, body: axum::body::Bytes) -> Result<(StatusCode, Json<Recording>), Error> {
    // The body is optional (`{}` or `{ label }`).
    let req: StartRecordingRequest =
        if body.is_empty() { Default::default() } else { serde_json::from_slice(&body).map_err(|e| Error::Invalid(format!("invalid body: {e}")))? };
    let desktop = running(&state, &sb)?;
    let recording = desktop.recordings.start(&state.sandboxes, &sb, &desktop.display_env(), (WIDTH, HEIGHT), req.label.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(recording)))
}

async fn stop_recording(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<StopRecordingRequest>) -> Result<Json<Recording>, Error> {
    Ok(Json(recordings_of(&state, &sb, &req.id)?.recordings.stop(&sb, &req.id).await?))
}

fn recordings_of(state: &AppState, sb: &SandboxCtx, id: &str) -> Result<Arc<Desktop>, Error> {
    desktop_of(state, sb).ok_or_else(|| Error::NotFound(format!("recording {id} not found")))
}

async fn get_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<Json<Recording>, Error> {
    Ok(Json(recordings_of(&state, &sb, &id)?.recordings.get(&id)?))
}

async fn delete_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<StatusCode, Error> {
    recordings_of(&state, &sb, &id)?.recordings.delete(&sb, &id)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn download_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<Response, Error> {
    let path = recordings_of(&state, &sb, &id)?.recordings.finished_file(&id)?;
    let file = tokio::fs::File::open(sb.fs.resolve(&path)?.host).await.map_err(|_| Error::NotFound(format!("the file of recording {id} is gone")))?;
    let name = path.rsplit('/').next().unwrap_or("recording.mp4");
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response())
}
