//! The desktop's input and output through the programs X users run: `xdotool` for the mouse
//! and keyboard, `wmctrl` for the window list, `ffmpeg`'s `x11grab` for screenshots. Each
//! runs in the sandbox's jail, connected to its display; arguments go to them as argv,
//! never through a shell.

use std::collections::BTreeMap;
use std::time::Duration;

use daytona_types::toolbox::computer_use::{MousePosition, WindowInfo};

use super::{Desktop, HEIGHT, WIDTH};
use crate::runtime::command::sandbox_command;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

const TOOL_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `program` on the desktop's display; its stdout, or its stderr as the error.
pub async fn run(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop, program: &str, args: &[String]) -> Result<Vec<u8>, Error> {
    let envs = BTreeMap::from([("DISPLAY".to_string(), desktop.display_env())]);
    let mut cmd = sandbox_command(sandboxes, sb, program, None, &envs)?;
    cmd.args(args).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let (child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    let out = tokio::time::timeout(TOOL_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| Error::coded(408, "REQUEST_TIMEOUT", format!("{program} did not finish in {} s", TOOL_TIMEOUT.as_secs())))??;
    group.release();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Invalid(format!("{program} failed: {}", err.trim())));
    }
    Ok(out.stdout)
}

fn strings<const N: usize>(args: [&str; N]) -> Vec<String> {
    args.map(String::from).to_vec()
}

pub async fn xdotool(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop, args: Vec<String>) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(&run(sandboxes, sb, desktop, "xdotool", &args).await?).into_owned())
}

pub async fn mouse_position(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop) -> Result<MousePosition, Error> {
    let out = xdotool(sandboxes, sb, desktop, strings(["getmouselocation", "--shell"])).await?;
    let field = |k: &str| out.lines().find_map(|l| l.strip_prefix(k)?.strip_prefix('=')?.parse::<i32>().ok());
    Ok(MousePosition { x: field("X").unwrap_or(0), y: field("Y").unwrap_or(0) })
}

/// A point on the screen; the desktop is WIDTH×HEIGHT.
pub fn on_screen(x: i32, y: i32) -> Result<(), Error> {
    if (0..WIDTH as i32).contains(&x) && (0..HEIGHT as i32).contains(&y) {
        Ok(())
    } else {
        Err(Error::Invalid(format!("({x}, {y}) is off the screen, which is {WIDTH}×{HEIGHT}")))
    }
}

/// X's button number for a button name.
pub fn button(name: Option<&str>) -> Result<&'static str, Error> {
    match name.unwrap_or("left") {
        "left" => Ok("1"),
        "middle" => Ok("2"),
        "right" => Ok("3"),
        other => Err(Error::Invalid(format!("unknown mouse button {other:?}: left, middle or right"))),
    }
}

/// An X keysym for a key name: the usual names (`enter`, `esc`, `ctrl`, `cmd`, `pageup`…)
/// in any case, or a keysym or single character as it is.
pub fn keysym(name: &str) -> Result<String, Error> {
    let mapped = match name.to_ascii_lowercase().as_str() {
        "enter" | "return" => "Return",
        "esc" | "escape" => "Escape",
        "backspace" => "BackSpace",
        "tab" => "Tab",
        "space" => "space",
        "delete" | "del" => "Delete",
        "insert" => "Insert",
        "up" => "Up",
        "down" => "Down",
        "left" => "Left",
        "right" => "Right",
        "home" => "Home",
        "end" => "End",
        "pageup" | "page_up" => "Prior",
        "pagedown" | "page_down" => "Next",
        "ctrl" | "control" => "ctrl",
        "alt" | "option" => "alt",
        "shift" => "shift",
        "cmd" | "command" | "super" | "win" | "meta" => "super",
        _ => {
            let valid = name.chars().count() == 1 || (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if !valid {
                return Err(Error::Invalid(format!("unknown key {name:?}")));
            }
            return Ok(name.to_string());
        }
    };
    Ok(mapped.to_string())
}

/// A key chord for `xdotool key`: modifiers and key joined by `+`.
pub fn chord<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<String, Error> {
    let keys = keys.into_iter().map(str::trim).filter(|k| !k.is_empty()).map(keysym).collect::<Result<Vec<_>, _>>()?;
    if keys.is_empty() {
        return Err(Error::Invalid("no key given".into()));
    }
    Ok(keys.join("+"))
}

pub async fn windows(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop) -> Result<Vec<WindowInfo>, Error> {
    let list = match run(sandboxes, sb, desktop, "wmctrl", &strings(["-lG"])).await {
        Ok(out) => String::from_utf8_lossy(&out).into_owned(),
        // Before the window manager lists its first window, there is no list: no windows.
        Err(e) if e.to_string().contains("client list") => String::new(),
        Err(e) => return Err(e),
    };
    // No window is active until one is focused: that is not an error.
    let active = xdotool(sandboxes, sb, desktop, strings(["getactivewindow"])).await.ok().and_then(|a| a.trim().parse::<u64>().ok());
    Ok(list.lines().filter_map(|l| window(l, active)).collect())
}

/// A `wmctrl -lG` line: `0x00200003  0 10   10   484  316  host title words`.
fn window(line: &str, active: Option<u64>) -> Option<WindowInfo> {
    let mut parts = line.split_whitespace();
    let id = u64::from_str_radix(parts.next()?.trim_start_matches("0x"), 16).ok()?;
    let _desktop = parts.next()?;
    let nums: Vec<i64> = parts.by_ref().take(4).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let _host = parts.next();
    let title = parts.collect::<Vec<_>>().join(" ");
    Some(WindowInfo { id, title, x: nums[0] as i32, y: nums[1] as i32, width: nums[2] as u32, height: nums[3] as u32, is_active: active == Some(id) })
}

/// Image formats a screenshot can be taken in, with ffmpeg's encoder for each.
pub fn encoder(format: &str) -> Result<&'static str, Error> {
    match format {
        "png" => Ok("png"),
        "jpeg" | "jpg" => Ok("mjpeg"),
        "webp" => Ok("libwebp"),
        other => Err(Error::Invalid(format!("unknown format {other:?}: png, jpeg or webp"))),
    }
}

/// A screenshot of a region (`x, y, width, height`), scaled, in `format`.
pub struct Shot {
    pub region: (u32, u32, u32, u32),
    pub cursor: bool,
    pub format: String,
    /// 1–100 (JPEG and WebP).
    pub quality: u32,
    /// 0.1–1.
    pub scale: f64,
}

pub async fn screenshot(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop, shot: &Shot) -> Result<Vec<u8>, Error> {
    let (x, y, w, h) = shot.region;
    if w == 0 || h == 0 || x.saturating_add(w) > WIDTH || y.saturating_add(h) > HEIGHT {
        return Err(Error::Invalid(format!("region {w}×{h} at ({x}, {y}) is not within the screen, which is {WIDTH}×{HEIGHT}")));
    }
    if !(1..=100).contains(&shot.quality) {
        return Err(Error::Invalid("quality must be between 1 and 100".into()));
    }
    if !(0.1..=1.0).contains(&shot.scale) {
        return Err(Error::Invalid("scale must be between 0.1 and 1.0".into()));
    }
    let codec = encoder(&shot.format)?;
    let scaled = |v: u32| ((v as f64 * shot.scale).round() as u32).max(1);
    let mut args = strings(["-hide_banner", "-loglevel", "error", "-f", "x11grab", "-draw_mouse"]);
    args.push(if shot.cursor { "1" } else { "0" }.into());
    args.extend(["-video_size".into(), format!("{w}x{h}"), "-i".into(), format!("{}+{x},{y}", desktop.display_env()), "-frames:v".into(), "1".into()]);
    if shot.scale < 1.0 {
        args.extend(["-vf".into(), format!("scale={}:{}", scaled(w), scaled(h))]);
    }
    args.extend(["-c:v".into(), codec.into()]);
    match codec {
        // mjpeg's scale is 2 (best) to 31.
        "mjpeg" => args.extend(["-q:v".into(), (2 + (100 - shot.quality) * 29 / 99).to_string()]),
        "libwebp" => args.extend(["-quality".into(), shot.quality.to_string()]),
        _ => {}
    }
    args.extend(strings(["-f", "image2pipe", "-"]));
    run(sandboxes, sb, desktop, "ffmpeg", &args).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_become_keysyms() {
        assert_eq!(chord(["ctrl", "shift", "T"]).unwrap(), "ctrl+shift+T");
        assert_eq!(chord("cmd+Enter".split('+')).unwrap(), "super+Return");
        assert_eq!(keysym("F5").unwrap(), "F5");
        assert!(keysym("a b").is_err());
        assert!(chord(["", " "]).is_err());
    }

    #[test]
    fn wmctrl_lines_become_windows() {
        let w = window("0x00200003  0 10   10   484  316  vm my term", Some(0x200003)).unwrap();
        assert_eq!((w.id, w.title.as_str(), w.x, w.width, w.is_active), (0x200003, "my term", 10, 484, true));
        assert!(window("garbage", None).is_none());
    }
}
