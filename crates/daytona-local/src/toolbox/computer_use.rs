//! `/computeruse/…`: a sandbox's desktop ([`crate::runtime::desktop`]), driven through X
//! tools, with screenshots, screen recordings and its accessibility tree. Without
//! those programs on the host every route but the recordings' answers 503, as Daytona's
//! daemon does while its computer-use plugin is not loaded.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use daytona_types::toolbox::computer_use::{
    AccessibilityNodeRequest, ComputerUseResponse, ComputerUseStatusResponse, DisplayInfoResponse, KeyboardHotkeyRequest, KeyboardPressRequest,
    KeyboardTypeRequest, ListRecordingsResponse, MouseClickRequest, MouseDragRequest, MousePosition, MouseScrollRequest, ProcessErrorsResponse,
    ProcessLogsResponse, ProcessRestartResponse, ProcessStatusResponse, Recording, ScreenshotResponse, ScrollResponse, StartRecordingRequest,
    StopRecordingRequest, WindowsResponse,
};
use daytona_types::toolbox::Empty;
use serde::Deserialize;

use crate::runtime::desktop::tools::{self, Shot};
use crate::runtime::desktop::{a11y, control, HEIGHT, WIDTH};

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
        .route("/computeruse/a11y/tree", get(a11y_tree))
        .route("/computeruse/a11y/find", post(a11y_find))
        .route("/computeruse/a11y/node/{what}", post(a11y_node))
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

async fn start(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<ComputerUseResponse>, Error> {
    Ok(Json(control::start(&state.sandboxes, &sb).await?))
}

async fn stop(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<ComputerUseResponse>, Error> {
    Ok(Json(control::stop(&state.sandboxes, &sb).await?))
}

async fn status(State(state): State<AppState>, sb: SandboxCtx) -> Json<ComputerUseStatusResponse> {
    Json(control::status(&state.sandboxes, &sb))
}

async fn process_status(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessStatusResponse>, Error> {
    Ok(Json(control::process_status(&state.sandboxes, &sb, &name)?))
}

async fn restart(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessRestartResponse>, Error> {
    Ok(Json(control::restart(&state.sandboxes, &sb, &name).await?))
}

async fn process_logs(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessLogsResponse>, Error> {
    Ok(Json(control::process_logs(&state.sandboxes, &sb, &name)?))
}

async fn process_errors(State(state): State<AppState>, sb: SandboxCtx, Path((_, name)): Path<(String, String)>) -> Result<Json<ProcessErrorsResponse>, Error> {
    Ok(Json(control::process_errors(&state.sandboxes, &sb, &name)?))
}

async fn mouse_position(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<MousePosition>, Error> {
    Ok(Json(control::mouse_position(&state.sandboxes, &sb).await?))
}

async fn mouse_move(State(state): State<AppState>, sb: SandboxCtx, AppJson(to): AppJson<MousePosition>) -> Result<Json<MousePosition>, Error> {
    Ok(Json(control::mouse_move(&state.sandboxes, &sb, to).await?))
}

async fn mouse_click(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseClickRequest>) -> Result<Json<MousePosition>, Error> {
    Ok(Json(control::mouse_click(&state.sandboxes, &sb, req).await?))
}

async fn mouse_drag(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseDragRequest>) -> Result<Json<MousePosition>, Error> {
    Ok(Json(control::mouse_drag(&state.sandboxes, &sb, req).await?))
}

async fn mouse_scroll(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<MouseScrollRequest>) -> Result<Json<ScrollResponse>, Error> {
    Ok(Json(control::mouse_scroll(&state.sandboxes, &sb, req).await?))
}

async fn keyboard_type(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardTypeRequest>) -> Result<Json<Empty>, Error> {
    Ok(Json(control::keyboard_type(&state.sandboxes, &sb, req).await?))
}

async fn keyboard_key(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardPressRequest>) -> Result<Json<Empty>, Error> {
    Ok(Json(control::keyboard_key(&state.sandboxes, &sb, req).await?))
}

async fn keyboard_hotkey(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<KeyboardHotkeyRequest>) -> Result<Json<Empty>, Error> {
    Ok(Json(control::keyboard_hotkey(&state.sandboxes, &sb, req).await?))
}

async fn display_info(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<DisplayInfoResponse>, Error> {
    Ok(Json(control::display_info(&state.sandboxes, &sb)?))
}

async fn display_windows(State(state): State<AppState>, sb: SandboxCtx) -> Result<Json<WindowsResponse>, Error> {
    Ok(Json(control::display_windows(&state.sandboxes, &sb).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TreeQuery {
    scope: Option<String>,
    pid: Option<i64>,
    max_depth: Option<i64>,
}

async fn a11y_tree(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<TreeQuery>) -> Result<Json<serde_json::Value>, Error> {
    a11y_request(&state, &sb, "tree", serde_json::json!({ "scope": q.scope, "pid": q.pid, "maxDepth": q.max_depth })).await
}

async fn a11y_find(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<serde_json::Value>) -> Result<Json<serde_json::Value>, Error> {
    a11y_request(&state, &sb, "find", req).await
}

/// `focus`, `invoke` or `value` a node.
async fn a11y_node(
    State(state): State<AppState>,
    sb: SandboxCtx,
    Path((_, what)): Path<(String, String)>,
    AppJson(req): AppJson<AccessibilityNodeRequest>,
) -> Result<Json<serde_json::Value>, Error> {
    if !matches!(what.as_str(), "focus" | "invoke" | "value") {
        return Err(Error::NotFound(format!("no accessibility operation {what:?}: focus, invoke or value")));
    }
    a11y_request(&state, &sb, &what, serde_json::to_value(req).map_err(|e| Error::Internal(e.into()))?).await
}

async fn a11y_request(state: &AppState, sb: &SandboxCtx, op: &str, req: serde_json::Value) -> Result<Json<serde_json::Value>, Error> {
    let desktop = control::running(&state.sandboxes, sb)?;
    Ok(Json(a11y::request(&state.sandboxes, sb, &desktop, op, req).await?))
}

async fn list_recordings(State(state): State<AppState>, sb: SandboxCtx) -> Json<ListRecordingsResponse> {
    Json(control::list_recordings(&state.sandboxes, &sb))
}

async fn stop_recording(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<StopRecordingRequest>) -> Result<Json<Recording>, Error> {
    Ok(Json(control::stop_recording(&state.sandboxes, &sb, req).await?))
}

async fn get_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<Json<Recording>, Error> {
    Ok(Json(control::get_recording(&state.sandboxes, &sb, &id)?))
}

async fn delete_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<StatusCode, Error> {
    control::delete_recording(&state.sandboxes, &sb, &id)?;
    Ok(StatusCode::NO_CONTENT)
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
    let desktop = control::running(&state.sandboxes, &sb)?;
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

async fn start_recording(State(state): State<AppState>, sb: SandboxCtx, body: axum::body::Bytes) -> Result<(StatusCode, Json<Recording>), Error> {
    // The body is optional (`{}` or `{ label }`).
    let req: StartRecordingRequest =
        if body.is_empty() { Default::default() } else { serde_json::from_slice(&body).map_err(|e| Error::Invalid(format!("invalid body: {e}")))? };
    let desktop = control::running(&state.sandboxes, &sb)?;
    let recording = desktop.recordings.start(&state.sandboxes, &sb, &desktop.display_env(), (WIDTH, HEIGHT), req.label.as_deref())?;
    Ok((StatusCode::CREATED, Json(recording)))
}

async fn download_recording(State(state): State<AppState>, sb: SandboxCtx, Path((_, id)): Path<(String, String)>) -> Result<Response, Error> {
    let path = control::recordings_of(&state.sandboxes, &sb, &id)?.recordings.finished_file(&id)?;
    let file = tokio::fs::File::open(sb.fs.resolve(&path)?.host).await.map_err(|_| Error::NotFound(format!("the file of recording {id} is gone")))?;
    let name = path.rsplit('/').next().unwrap_or("recording.mp4");
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response())
}
