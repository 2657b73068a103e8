//! Computer-use DTOs: the sandbox's desktop, its input devices, screenshots
//! and screen recordings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A desktop process. (Daytona's v0.190 daemon capitalises these keys; the client model
/// and this server use the declared lowercase names.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProcessStatus {
    pub running: bool,
    pub priority: i32,
    pub auto_restart: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
}

/// `start` and `stop`: what happened, and every desktop process.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComputerUseResponse {
    pub message: String,
    pub status: BTreeMap<String, ProcessStatus>,
}

/// `active` (every process running), `partial`, or `inactive`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ComputerUseStatusResponse {
    #[cfg_attr(feature = "ts", tsify(type = "\"active\" | \"partial\" | \"inactive\" | string"))]
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProcessStatusResponse {
    pub process_name: String,
    pub running: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProcessRestartResponse {
    pub message: String,
    pub process_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProcessLogsResponse {
    pub process_name: String,
    pub logs: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProcessErrorsResponse {
    pub process_name: String,
    pub errors: String,
}

/// A point on the screen: the mouse's position, a move's target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct MousePosition {
    pub x: i32,
    pub y: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MouseClickRequest {
    pub x: i32,
    pub y: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub double: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MouseDragRequest {
    pub start_x: i32,
    pub start_y: i32,
    pub end_x: i32,
    pub end_y: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MouseScrollRequest {
    pub x: i32,
    pub y: i32,
    /// `up` or `down`.
    pub direction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScrollResponse {
    pub success: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyboardTypeRequest {
    pub text: String,
    /// Milliseconds between keystrokes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyboardPressRequest {
    pub key: String,
    #[serde(default)]
    pub modifiers: Vec<String>,
}

/// `keys`: e.g. `ctrl+shift+t`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyboardHotkeyRequest {
    pub keys: String,
}

/// `screenshot`: standard base64 of the image bytes, without a `data:` prefix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotResponse {
    pub screenshot: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_position: Option<MousePosition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DisplayInfo {
    pub id: u32,
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub is_active: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct DisplayInfoResponse {
    pub displays: Vec<DisplayInfo>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct WindowInfo {
    pub id: u64,
    pub title: String,
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub is_active: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct WindowsResponse {
    pub windows: Vec<WindowInfo>,
}

/// A screen recording; `status` is `recording`, `completed` or `failed`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Recording {
    pub id: String,
    pub file_name: String,
    pub file_path: String,
    pub start_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[cfg_attr(feature = "ts", tsify(type = "\"recording\" | \"completed\" | \"failed\" | string"))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ListRecordingsResponse {
    pub recordings: Vec<Recording>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StartRecordingRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StopRecordingRequest {
    pub id: String,
}

/// `POST /computeruse/a11y/node/{focus,invoke,value}` body: the node, and the action to
/// invoke or the value to set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessibilityNodeRequest {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}
