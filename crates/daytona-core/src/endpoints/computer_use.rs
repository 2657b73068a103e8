//! `{toolbox}/computeruse/…`.

use daytona_types::toolbox::computer_use::{
    AccessibilityNodeRequest, KeyboardHotkeyRequest, KeyboardPressRequest, KeyboardTypeRequest, MouseClickRequest, MouseDragRequest, MousePosition,
    MouseScrollRequest, StartRecordingRequest, StopRecordingRequest,
};

use serde_json::Value;

use super::{query, segment};
use crate::args::{Fields, FromArg};
use crate::transport::{HttpRequest, Method};

fn get(base: &str, path: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/computeruse/{path}"))
}

fn post(base: &str, path: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, format!("{base}/computeruse/{path}"))
}

fn post_json<T: serde::Serialize>(base: &str, path: &str, body: &T) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/computeruse/{path}"), body)
}

pub fn start(base: &str) -> HttpRequest {
    post(base, "start")
}

pub fn stop(base: &str) -> HttpRequest {
    post(base, "stop")
}

pub fn status(base: &str) -> HttpRequest {
    get(base, "process-status")
}

/// `what`: `status`, `restart` (a POST), `logs` or `errors`.
pub fn process(base: &str, name: &str, what: &str) -> HttpRequest {
    let path = format!("process/{}/{what}", segment(name));
    if what == "restart" {
        post(base, &path)
    } else {
        get(base, &path)
    }
}

pub fn mouse_position(base: &str) -> HttpRequest {
    get(base, "mouse/position")
}

pub fn mouse_move(base: &str, to: &MousePosition) -> HttpRequest {
    post_json(base, "mouse/move", to)
}

pub fn mouse_click(base: &str, body: &MouseClickRequest) -> HttpRequest {
    post_json(base, "mouse/click", body)
}

pub fn mouse_drag(base: &str, body: &MouseDragRequest) -> HttpRequest {
    post_json(base, "mouse/drag", body)
}

pub fn mouse_scroll(base: &str, body: &MouseScrollRequest) -> HttpRequest {
    post_json(base, "mouse/scroll", body)
}

pub fn keyboard_type(base: &str, body: &KeyboardTypeRequest) -> HttpRequest {
    post_json(base, "keyboard/type", body)
}

pub fn keyboard_press(base: &str, body: &KeyboardPressRequest) -> HttpRequest {
    post_json(base, "keyboard/key", body)
}

pub fn keyboard_hotkey(base: &str, body: &KeyboardHotkeyRequest) -> HttpRequest {
    post_json(base, "keyboard/hotkey", body)
}

/// A screen region.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(type_prefix = "Screenshot"))]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl FromArg for Region {
    fn from_arg(v: &Value, name: &str) -> crate::Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(Region { x: f.required("x"), y: f.required("y"), width: f.required("width"), height: f.required("height") })
    }
}

/// What a screenshot is of and how it is encoded; only what is given is sent.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct ScreenshotOptions {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub show_cursor: Option<bool>,
    #[cfg_attr(feature = "ts", tsify(optional, type = "\"png\" | \"jpeg\" | \"webp\" | string"))]
    pub format: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quality: Option<u32>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub scale: Option<f64>,
}

impl FromArg for ScreenshotOptions {
    fn from_arg(v: &Value, name: &str) -> crate::Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(ScreenshotOptions { show_cursor: f.opt("showCursor"), format: f.opt("format"), quality: f.opt("quality"), scale: f.opt("scale") })
    }
}

/// The four screenshot routes: with or without a region, compressed (options) or not.
pub fn screenshot(base: &str, region: Option<Region>, options: &ScreenshotOptions, compressed: bool) -> HttpRequest {
    let mut pairs = Vec::new();
    if let Some(r) = region {
        pairs.extend([
            ("x", Some(r.x.to_string())),
            ("y", Some(r.y.to_string())),
            ("width", Some(r.width.to_string())),
            ("height", Some(r.height.to_string())),
        ]);
    }
    pairs.push(("showCursor", options.show_cursor.map(|c| c.to_string())));
    if compressed {
        pairs.extend([
            ("format", options.format.clone()),
            ("quality", options.quality.map(|q| q.to_string())),
            ("scale", options.scale.map(|s| s.to_string())),
        ]);
    }
    let path = match (region.is_some(), compressed) {
        (false, false) => "screenshot",
        (true, false) => "screenshot/region",
        (false, true) => "screenshot/compressed",
        (true, true) => "screenshot/region/compressed",
    };
    get(base, &format!("{path}{}", query(pairs)))
}

pub fn display_info(base: &str) -> HttpRequest {
    get(base, "display/info")
}

pub fn windows(base: &str) -> HttpRequest {
    get(base, "display/windows")
}

pub fn recording_start(base: &str, body: &StartRecordingRequest) -> HttpRequest {
    post_json(base, "recordings/start", body)
}

pub fn recording_stop(base: &str, body: &StopRecordingRequest) -> HttpRequest {
    post_json(base, "recordings/stop", body)
}

pub fn recordings(base: &str) -> HttpRequest {
    get(base, "recordings")
}

pub fn recording(base: &str, id: &str) -> HttpRequest {
    get(base, &format!("recordings/{}", segment(id)))
}

pub fn recording_delete(base: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, format!("{base}/computeruse/recordings/{}", segment(id)))
}

pub fn recording_download(base: &str, id: &str) -> HttpRequest {
    get(base, &format!("recordings/{}/download", segment(id)))
}

/// `GET /computeruse/a11y/tree?scope&pid&maxDepth` (`query`, encoded, or empty).
pub fn a11y_tree(base: &str, query: &str) -> HttpRequest {
    get(base, &format!("a11y/tree{query}"))
}

/// `POST /computeruse/a11y/find` with a `FindAccessibilityNodesRequest`.
pub fn a11y_find(base: &str, options: crate::call::Json) -> HttpRequest {
    HttpRequest::with_json(Method::Post, format!("{base}/computeruse/a11y/find"), options)
}

/// `POST /computeruse/a11y/node/{what}`: `focus`, `invoke` or `value`.
pub fn a11y_node(base: &str, what: &str, body: &AccessibilityNodeRequest) -> HttpRequest {
    post_json(base, &format!("a11y/node/{what}"), body)
}
