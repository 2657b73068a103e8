//! What the computer-use routes ask of a sandbox's desktop: start and stop it, drive its
//! mouse and keyboard, read its processes, windows and recordings.

use std::sync::Arc;

use daytona_types::toolbox::computer_use::{
    ComputerUseResponse, ComputerUseStatusResponse, DisplayInfo, DisplayInfoResponse, KeyboardHotkeyRequest, KeyboardPressRequest, KeyboardTypeRequest,
    ListRecordingsResponse, MouseClickRequest, MouseDragRequest, MousePosition, MouseScrollRequest, ProcessErrorsResponse, ProcessLogsResponse,
    ProcessRestartResponse, ProcessStatusResponse, Recording, ScrollResponse, StopRecordingRequest, WindowsResponse,
};
use daytona_types::toolbox::Empty;

use super::tools::{self, button, chord, on_screen, xdotool};
use super::{desktops, Desktop, DESKTOP, HEIGHT, WIDTH};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

pub fn desktop_of(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Option<Arc<Desktop>> {
    desktops(sandboxes).get(&sb.dto.id, DESKTOP)
}
/// The sandbox's desktop, which must be running.
pub fn running(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<Arc<Desktop>, Error> {
    desktop_of(sandboxes, sb).filter(|d| d.running("xvfb")).ok_or_else(|| Error::Invalid("computer use is not started: call computerUse.start() first".into()))
}
pub fn recordings_of(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<Arc<Desktop>, Error> {
    desktop_of(sandboxes, sb).ok_or_else(|| Error::NotFound(format!("recording {id} not found")))
}

pub async fn start(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<ComputerUseResponse, Error> {
    let desktop = desktops(sandboxes).get_or_insert(&sb.dto.id, DESKTOP, Desktop::default);
    desktop.start(sandboxes, sb).await?;
    // Ready once the window manager answers (window lists need it).
    for _ in 0..100 {
        if tools::run(sandboxes, sb, &desktop, "wmctrl", &["-m".into()]).await.is_ok() || !desktop.running("openbox") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(ComputerUseResponse { message: "Computer use processes started successfully".into(), status: desktop.status() })
}

pub async fn stop(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<ComputerUseResponse, Error> {
    let Some(desktop) = desktop_of(sandboxes, sb) else {
        return Ok(ComputerUseResponse { message: "Computer use processes stopped successfully".into(), status: super::status_of(|_| None) });
    };
    desktop.recordings.stop_all(sb).await;
    desktop.stop();
    // Stopped by hand, the X server's watcher no longer speaks for it (see Desktop::spawn).
    crate::runtime::command::displays(sandboxes).remove(&sb.dto.id, crate::runtime::command::DISPLAY);
    Ok(ComputerUseResponse { message: "Computer use processes stopped successfully".into(), status: desktop.status() })
}

pub fn status(sandboxes: &SandboxManager, sb: &SandboxCtx) -> ComputerUseStatusResponse {
    let running = desktop_of(sandboxes, sb).map_or(0, |d| d.status().values().filter(|p| p.running).count());
    let status = match running {
        0 => "inactive",
        n if n == super::PROCESSES.len() => "active",
        _ => "partial",
    };
    ComputerUseStatusResponse { status: status.into() }
}

pub fn process_status(sandboxes: &SandboxManager, sb: &SandboxCtx, name: &str) -> Result<ProcessStatusResponse, Error> {
    let name = super::process_name(name)?;
    let running = desktop_of(sandboxes, sb).is_some_and(|d| d.running(name));
    Ok(ProcessStatusResponse { process_name: name.into(), running })
}

pub async fn restart(sandboxes: &SandboxManager, sb: &SandboxCtx, name: &str) -> Result<ProcessRestartResponse, Error> {
    let name = super::process_name(name)?;
    let desktop = running(sandboxes, sb)?;
    desktop.restart(sandboxes, sb, name).await?;
    Ok(ProcessRestartResponse { message: format!("Process {name} restarted successfully"), process_name: name.into() })
}

pub fn process_logs(sandboxes: &SandboxManager, sb: &SandboxCtx, name: &str) -> Result<ProcessLogsResponse, Error> {
    let name = super::process_name(name)?;
    let logs = desktop_of(sandboxes, sb).map(|d| d.output(name, false)).unwrap_or_default();
    Ok(ProcessLogsResponse { process_name: name.into(), logs })
}

pub fn process_errors(sandboxes: &SandboxManager, sb: &SandboxCtx, name: &str) -> Result<ProcessErrorsResponse, Error> {
    let name = super::process_name(name)?;
    let errors = desktop_of(sandboxes, sb).map(|d| d.output(name, true)).unwrap_or_default();
    Ok(ProcessErrorsResponse { process_name: name.into(), errors })
}

pub async fn mouse_position(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<MousePosition, Error> {
    let desktop = running(sandboxes, sb)?;
    tools::mouse_position(sandboxes, sb, &desktop).await
}

pub async fn mouse_move(sandboxes: &SandboxManager, sb: &SandboxCtx, to: MousePosition) -> Result<MousePosition, Error> {
    let desktop = running(sandboxes, sb)?;
    on_screen(to.x, to.y)?;
    xdotool(sandboxes, sb, &desktop, vec!["mousemove".into(), "--sync".into(), to.x.to_string(), to.y.to_string()]).await?;
    tools::mouse_position(sandboxes, sb, &desktop).await
}

pub async fn mouse_click(sandboxes: &SandboxManager, sb: &SandboxCtx, req: MouseClickRequest) -> Result<MousePosition, Error> {
    let desktop = running(sandboxes, sb)?;
    on_screen(req.x, req.y)?;
    let mut args = vec!["mousemove".into(), "--sync".into(), req.x.to_string(), req.y.to_string(), "click".into()];
    if req.double == Some(true) {
        args.extend(["--repeat".into(), "2".into(), "--delay".into(), "100".into()]);
    }
    args.push(button(req.button.as_deref())?.into());
    xdotool(sandboxes, sb, &desktop, args).await?;
    Ok(MousePosition { x: req.x, y: req.y })
}

pub async fn mouse_drag(sandboxes: &SandboxManager, sb: &SandboxCtx, req: MouseDragRequest) -> Result<MousePosition, Error> {
    let desktop = running(sandboxes, sb)?;
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
    xdotool(sandboxes, sb, &desktop, args.map(String::from).to_vec()).await?;
    Ok(MousePosition { x: req.end_x, y: req.end_y })
}

pub async fn mouse_scroll(sandboxes: &SandboxManager, sb: &SandboxCtx, req: MouseScrollRequest) -> Result<ScrollResponse, Error> {
    let desktop = running(sandboxes, sb)?;
    on_screen(req.x, req.y)?;
    // X's wheel: button 4 is up, 5 down.
    let wheel = match req.direction.as_str() {
        "up" => "4",
        "down" => "5",
        other => return Err(Error::Invalid(format!("direction must be up or down, not {other:?}"))),
    };
    let amount = req.amount.unwrap_or(1).clamp(1, 100).to_string();
    let args = ["mousemove", "--sync", &req.x.to_string(), &req.y.to_string(), "click", "--repeat", &amount, "--delay", "20", wheel];
    xdotool(sandboxes, sb, &desktop, args.map(String::from).to_vec()).await?;
    Ok(ScrollResponse { success: true })
}

pub async fn keyboard_type(sandboxes: &SandboxManager, sb: &SandboxCtx, req: KeyboardTypeRequest) -> Result<Empty, Error> {
    let desktop = running(sandboxes, sb)?;
    // One argument of a program is at most 128 KiB; typing is far slower than that anyway.
    if req.text.len() > 64 * 1024 {
        return Err(Error::Invalid("text to type is limited to 64 KiB".into()));
    }
    let delay = req.delay.unwrap_or(12).min(1000).to_string();
    xdotool(sandboxes, sb, &desktop, vec!["type".into(), "--delay".into(), delay, "--".into(), req.text]).await?;
    Ok(Empty {})
}

pub async fn keyboard_key(sandboxes: &SandboxManager, sb: &SandboxCtx, req: KeyboardPressRequest) -> Result<Empty, Error> {
    let desktop = running(sandboxes, sb)?;
    let keys = chord(req.modifiers.iter().map(String::as_str).chain([req.key.as_str()]))?;
    xdotool(sandboxes, sb, &desktop, vec!["key".into(), "--".into(), keys]).await?;
    Ok(Empty {})
}

pub async fn keyboard_hotkey(sandboxes: &SandboxManager, sb: &SandboxCtx, req: KeyboardHotkeyRequest) -> Result<Empty, Error> {
    let desktop = running(sandboxes, sb)?;
    let keys = chord(req.keys.split('+'))?;
    xdotool(sandboxes, sb, &desktop, vec!["key".into(), "--".into(), keys]).await?;
    Ok(Empty {})
}

pub fn display_info(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<DisplayInfoResponse, Error> {
    running(sandboxes, sb)?;
    Ok(DisplayInfoResponse { displays: vec![DisplayInfo { id: 0, x: 0, y: 0, width: WIDTH, height: HEIGHT, is_active: true }] })
}

pub async fn display_windows(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<WindowsResponse, Error> {
    let desktop = running(sandboxes, sb)?;
    Ok(WindowsResponse { windows: tools::windows(sandboxes, sb, &desktop).await? })
}

pub fn list_recordings(sandboxes: &SandboxManager, sb: &SandboxCtx) -> ListRecordingsResponse {
    ListRecordingsResponse { recordings: desktop_of(sandboxes, sb).map(|d| d.recordings.list()).unwrap_or_default() }
}

pub async fn stop_recording(sandboxes: &SandboxManager, sb: &SandboxCtx, req: StopRecordingRequest) -> Result<Recording, Error> {
    recordings_of(sandboxes, sb, &req.id)?.recordings.stop(sb, &req.id).await
}

pub fn get_recording(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<Recording, Error> {
    recordings_of(sandboxes, sb, id)?.recordings.get(id)
}

pub fn delete_recording(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<(), Error> {
    recordings_of(sandboxes, sb, id)?.recordings.delete(sb, id)?;
    Ok(())
}
