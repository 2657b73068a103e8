//! `sandbox.computerUse`: the sandbox's desktop, through its toolbox. One
//! client for the desktop and its parts (mouse, keyboard, screenshot, display, recording),
//! which the facade shows as the official SDK's sub-objects.

use daytona_types::toolbox::computer_use::{
    AccessibilityNodeRequest, KeyboardHotkeyRequest, KeyboardPressRequest, KeyboardTypeRequest, MouseClickRequest, MouseDragRequest, MousePosition,
    MouseScrollRequest, StartRecordingRequest, StopRecordingRequest,
};

use crate::call::{read, Call, Json};
use crate::context::decode;
use crate::endpoints::computer_use as ep;
pub use crate::endpoints::computer_use::{Region, ScreenshotOptions};
use crate::json_object::JsonObject;
use crate::sandbox::SandboxClient;

#[derive(Clone)]
pub struct ComputerUseClient {
    sandbox: SandboxClient,
}

impl ComputerUseClient {
    pub fn new(sandbox: SandboxClient) -> Self {
        ComputerUseClient { sandbox }
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    /// `ComputerUseResponse`.
    pub fn start(&self) -> Call<Json> {
        self.sandbox.call(ep::start(&self.base()), read::json)
    }

    /// `ComputerUseResponse`.
    pub fn stop(&self) -> Call<Json> {
        self.sandbox.call(ep::stop(&self.base()), read::json)
    }

    /// `ComputerUseStatusResponse`.
    pub fn status(&self) -> Call<Json> {
        self.sandbox.call(ep::status(&self.base()), read::json)
    }

    /// A desktop process's `status`, `restart`, `logs` or `errors`, as the server answers.
    /// `serde_json::Value`.
    pub fn process(&self, name: &str, what: &str) -> Call<Json> {
        self.sandbox.call(ep::process(&self.base(), name, what), read::json)
    }

    /// `MousePosition`.
    pub fn mouse_position(&self) -> Call<Json> {
        self.sandbox.call(ep::mouse_position(&self.base()), read::json)
    }

    /// `MousePosition`.
    pub fn mouse_move(&self, x: i32, y: i32) -> Call<Json> {
        self.sandbox.call(ep::mouse_move(&self.base(), &MousePosition { x, y }), read::json)
    }

    /// The official SDK's defaults: the left button, one click.
    /// `MousePosition`.
    pub fn click(&self, x: i32, y: i32, button: Option<String>, double: Option<bool>) -> Call<Json> {
        let body = MouseClickRequest { x, y, button: Some(button.unwrap_or_else(|| "left".into())), double: Some(double.unwrap_or(false)) };
        self.sandbox.call(ep::mouse_click(&self.base(), &body), read::json)
    }

    /// `MousePosition`.
    pub fn drag(&self, from: MousePosition, to: MousePosition, button: Option<String>) -> Call<Json> {
        let body = MouseDragRequest { start_x: from.x, start_y: from.y, end_x: to.x, end_y: to.y, button: Some(button.unwrap_or_else(|| "left".into())) };
        self.sandbox.call(ep::mouse_drag(&self.base(), &body), read::json)
    }

    /// Whether the wheel turned.
    pub fn scroll(&self, x: i32, y: i32, direction: &str, amount: Option<u32>) -> Call<bool> {
        let body = MouseScrollRequest { x, y, direction: direction.into(), amount: Some(amount.unwrap_or(1)) };
        self.sandbox.call(ep::mouse_scroll(&self.base(), &body), |resp| {
            Ok(decode::<JsonObject>(&resp.body)?.get("success").and_then(serde_json::Value::as_bool).unwrap_or(false))
        })
    }

    pub fn type_text(&self, text: &str, delay_ms: Option<u32>) -> Call<()> {
        self.sandbox.call(ep::keyboard_type(&self.base(), &KeyboardTypeRequest { text: text.into(), delay: delay_ms }), read::nothing)
    }

    pub fn press(&self, key: &str, modifiers: Vec<String>) -> Call<()> {
        self.sandbox.call(ep::keyboard_press(&self.base(), &KeyboardPressRequest { key: key.into(), modifiers }), read::nothing)
    }

    pub fn hotkey(&self, keys: &str) -> Call<()> {
        self.sandbox.call(ep::keyboard_hotkey(&self.base(), &KeyboardHotkeyRequest { keys: keys.into() }), read::nothing)
    }

    /// `ScreenshotResponse`.
    pub fn screenshot(&self, region: Option<Region>, options: &ScreenshotOptions, compressed: bool) -> Call<Json> {
        self.sandbox.call(ep::screenshot(&self.base(), region, options, compressed), read::json)
    }

    /// `DisplayInfoResponse`.
    pub fn display_info(&self) -> Call<Json> {
        self.sandbox.call(ep::display_info(&self.base()), read::json)
    }

    /// `WindowsResponse`.
    pub fn windows(&self) -> Call<Json> {
        self.sandbox.call(ep::windows(&self.base()), read::json)
    }

    /// `Recording`.
    pub fn recording_start(&self, label: Option<String>) -> Call<Json> {
        self.sandbox.call(ep::recording_start(&self.base(), &StartRecordingRequest { label }), read::json)
    }

    /// `Recording`.
    pub fn recording_stop(&self, id: &str) -> Call<Json> {
        self.sandbox.call(ep::recording_stop(&self.base(), &StopRecordingRequest { id: id.into() }), read::json)
    }

    /// `ListRecordingsResponse`.
    pub fn recordings(&self) -> Call<Json> {
        self.sandbox.call(ep::recordings(&self.base()), read::json)
    }

    /// `Recording`.
    pub fn recording(&self, id: &str) -> Call<Json> {
        self.sandbox.call(ep::recording(&self.base(), id), read::json)
    }

    /// `AccessibilityTreeResponse`: the tree of the focused application (`scope`
    /// `focused`, the default), of process `pid` (`pid`) or of the whole desktop (`all`).
    /// `query` is `?scope&pid&maxDepth` (encoded), or empty.
    pub fn accessibility_tree(&self, query: &str) -> Call<Json> {
        self.sandbox.call(ep::a11y_tree(&self.base(), query), read::json)
    }

    /// `AccessibilityNodesResponse`; `options` is a `FindAccessibilityNodesRequest`.
    pub fn accessibility_find(&self, options: Json) -> Call<Json> {
        self.sandbox.call(ep::a11y_find(&self.base(), options), read::json)
    }

    /// Focuses a node (`focus`), invokes one of its actions (`invoke`, `action`; its first
    /// by default) or sets its text or value (`value`).
    pub fn accessibility_node(&self, what: &str, id: String, action: Option<String>, value: Option<String>) -> Call<()> {
        self.sandbox.call(ep::a11y_node(&self.base(), what, &AccessibilityNodeRequest { id, action, value }), read::nothing)
    }

    pub fn recording_delete(&self, id: &str) -> Call<()> {
        self.sandbox.call(ep::recording_delete(&self.base(), id), read::nothing)
    }

    /// A finished recording's file (an MP4).
    pub fn recording_download(&self, id: &str) -> Call<Vec<u8>> {
        self.sandbox.call(ep::recording_download(&self.base(), id), |resp| Ok(resp.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{json, FakeClock, FnTransport, NoWs};
    use crate::{DaytonaClient, DaytonaConfig};
    use futures_executor::block_on;

    #[test]
    fn screenshots_send_what_is_given_to_the_route_of_their_kind() {
        let t = FnTransport::new(|_| json(200, serde_json::json!({"screenshot": "AA=="})));
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = DaytonaClient::new(Some(cfg), &|_| None, t.clone(), std::rc::Rc::new(NoWs), FakeClock::new()).unwrap();
        let dto = serde_json::from_value(serde_json::json!({"id": "sb", "toolboxProxyUrl": "http://h/toolbox"})).unwrap();
        let cu = ComputerUseClient::new(SandboxClient::new(client.context().clone(), dto));
        let region = Region { x: 10, y: 20, width: 300, height: 200 };
        block_on(cu.screenshot(None, &ScreenshotOptions { show_cursor: Some(false), ..Default::default() }, false).send()).unwrap();
        block_on(cu.screenshot(Some(region), &ScreenshotOptions::default(), false).send()).unwrap();
        let opts = ScreenshotOptions { format: Some("jpeg".into()), quality: Some(50), scale: Some(0.5), ..Default::default() };
        block_on(cu.screenshot(Some(region), &opts, true).send()).unwrap();
        let urls: Vec<String> = t.sent.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(
            urls,
            [
                "http://h/toolbox/sb/computeruse/screenshot?showCursor=false",
                "http://h/toolbox/sb/computeruse/screenshot/region?x=10&y=20&width=300&height=200",
                "http://h/toolbox/sb/computeruse/screenshot/region/compressed?x=10&y=20&width=300&height=200&format=jpeg&quality=50&scale=0.5",
            ]
        );
    }
}
