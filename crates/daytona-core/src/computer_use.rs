//! `sandbox.computerUse`: the sandbox's desktop, through its toolbox. One
//! client for the desktop and its parts (mouse, keyboard, screenshot, display, recording),
//! which the facade shows as the official SDK's sub-objects.

use daytona_types::toolbox::computer_use::{
    ComputerUseResponse, ComputerUseStatusResponse, DisplayInfoResponse, KeyboardHotkeyRequest, KeyboardPressRequest, KeyboardTypeRequest,
    ListRecordingsResponse, MouseClickRequest, MouseDragRequest, MousePosition, MouseScrollRequest, Recording, ScreenshotResponse, ScrollResponse,
    StartRecordingRequest, StopRecordingRequest, WindowsResponse,
};
use serde::de::DeserializeOwned;

use crate::endpoints::computer_use as ep;
pub use crate::endpoints::computer_use::{Region, ScreenshotOptions};
use crate::error::Result;
use crate::sandbox::SandboxClient;
use crate::transport::HttpRequest;

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

    async fn json<T: DeserializeOwned>(&self, req: HttpRequest) -> Result<T> {
        self.sandbox.ctx().json(req).await
    }

    async fn send(&self, req: HttpRequest) -> Result<()> {
        self.sandbox.ctx().send(req).await.map(drop)
    }

    pub async fn start(&self) -> Result<ComputerUseResponse> {
        self.json(ep::start(&self.base())).await
    }

    pub async fn stop(&self) -> Result<ComputerUseResponse> {
        self.json(ep::stop(&self.base())).await
    }

    pub async fn status(&self) -> Result<ComputerUseStatusResponse> {
        self.json(ep::status(&self.base())).await
    }

    /// A desktop process's `status`, `restart`, `logs` or `errors`, as the server answers.
    pub async fn process(&self, name: &str, what: &str) -> Result<serde_json::Value> {
        self.json(ep::process(&self.base(), name, what)).await
    }

    pub async fn mouse_position(&self) -> Result<MousePosition> {
        self.json(ep::mouse_position(&self.base())).await
    }

    pub async fn mouse_move(&self, x: i32, y: i32) -> Result<MousePosition> {
        self.json(ep::mouse_move(&self.base(), &MousePosition { x, y })).await
    }

    /// The official SDK's defaults: the left button, one click.
    pub async fn click(&self, x: i32, y: i32, button: Option<String>, double: Option<bool>) -> Result<MousePosition> {
        let body = MouseClickRequest { x, y, button: Some(button.unwrap_or_else(|| "left".into())), double: Some(double.unwrap_or(false)) };
        self.json(ep::mouse_click(&self.base(), &body)).await
    }

    pub async fn drag(&self, from: MousePosition, to: MousePosition, button: Option<String>) -> Result<MousePosition> {
        let body = MouseDragRequest { start_x: from.x, start_y: from.y, end_x: to.x, end_y: to.y, button: Some(button.unwrap_or_else(|| "left".into())) };
        self.json(ep::mouse_drag(&self.base(), &body)).await
    }

    /// Whether the wheel turned.
    pub async fn scroll(&self, x: i32, y: i32, direction: &str, amount: Option<u32>) -> Result<bool> {
        let body = MouseScrollRequest { x, y, direction: direction.into(), amount: Some(amount.unwrap_or(1)) };
        let answer: ScrollResponse = self.json(ep::mouse_scroll(&self.base(), &body)).await?;
        Ok(answer.success)
    }

    pub async fn type_text(&self, text: &str, delay_ms: Option<u32>) -> Result<()> {
        self.send(ep::keyboard_type(&self.base(), &KeyboardTypeRequest { text: text.into(), delay: delay_ms })).await
    }

    pub async fn press(&self, key: &str, modifiers: Vec<String>) -> Result<()> {
        self.send(ep::keyboard_press(&self.base(), &KeyboardPressRequest { key: key.into(), modifiers })).await
    }

    pub async fn hotkey(&self, keys: &str) -> Result<()> {
        self.send(ep::keyboard_hotkey(&self.base(), &KeyboardHotkeyRequest { keys: keys.into() })).await
    }

    pub async fn screenshot(&self, region: Option<Region>, options: &ScreenshotOptions, compressed: bool) -> Result<ScreenshotResponse> {
        self.json(ep::screenshot(&self.base(), region, options, compressed)).await
    }

    pub async fn display_info(&self) -> Result<DisplayInfoResponse> {
        self.json(ep::display_info(&self.base())).await
    }

    pub async fn windows(&self) -> Result<WindowsResponse> {
        self.json(ep::windows(&self.base())).await
    }

    pub async fn recording_start(&self, label: Option<String>) -> Result<Recording> {
        self.json(ep::recording_start(&self.base(), &StartRecordingRequest { label })).await
    }

    pub async fn recording_stop(&self, id: &str) -> Result<Recording> {
        self.json(ep::recording_stop(&self.base(), &StopRecordingRequest { id: id.into() })).await
    }

    pub async fn recordings(&self) -> Result<ListRecordingsResponse> {
        self.json(ep::recordings(&self.base())).await
    }

    pub async fn recording(&self, id: &str) -> Result<Recording> {
        self.json(ep::recording(&self.base(), id)).await
    }

    pub async fn recording_delete(&self, id: &str) -> Result<()> {
        self.send(ep::recording_delete(&self.base(), id)).await
    }

    /// A finished recording's file (an MP4).
    pub async fn recording_download(&self, id: &str) -> Result<Vec<u8>> {
        Ok(self.sandbox.ctx().send(ep::recording_download(&self.base(), id)).await?.body)
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
        block_on(cu.screenshot(None, &ScreenshotOptions { show_cursor: Some(false), ..Default::default() }, false)).unwrap();
        block_on(cu.screenshot(Some(region), &ScreenshotOptions::default(), false)).unwrap();
        let opts = ScreenshotOptions { format: Some("jpeg".into()), quality: Some(50), scale: Some(0.5), ..Default::default() };
        block_on(cu.screenshot(Some(region), &opts, true)).unwrap();
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
