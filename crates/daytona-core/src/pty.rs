//! PTYs: REST for listing, resizing and killing; a WebSocket per attached
//! client for the terminal itself. The event loop that feeds callbacks lives with the
//! caller (the facade spawns it); this is the protocol.

use std::collections::BTreeMap;

use base64::Engine;
use daytona_types::framing::pty_control::{self, Control};
use serde::Deserialize;

use crate::call::{read, Call, Json};
use crate::endpoints::{query, segment};
use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;
use crate::transport::{HttpRequest, Method, WsConnection, WsMessage};

pub const EXIT_CONTROL: &str = "X-Daytona-Pty-Exit-Control";

/// `createPty`'s options, minus the callback.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PtyCreateOptions {
    pub id: String,
    pub cols: Option<u16>,
    pub rows: Option<u16>,
    pub cwd: Option<String>,
    pub envs: Option<BTreeMap<String, String>>,
}

/// What an attached terminal reports, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum PtyEvent {
    Connected,
    Data(Vec<u8>),
    /// The server could not attach.
    Error(String),
    /// The shell ended (from the control message or the close frame).
    Exited {
        exit_code: Option<i32>,
        reason: Option<String>,
    },
}

pub struct PtyConnection {
    conn: Box<dyn WsConnection>,
    exited: std::cell::Cell<bool>,
}

impl PtyConnection {
    /// The next event; `None` when the connection is over.
    pub async fn next(&self) -> Option<PtyEvent> {
        {
            let msg = self.conn.recv().await?;
            Some(match msg {
                WsMessage::Binary(b) => PtyEvent::Data(b),
                WsMessage::Text(t) => match pty_control::parse(&t) {
                    Some(Control::Connected) => PtyEvent::Connected,
                    Some(Control::Error(e)) => PtyEvent::Error(e),
                    Some(Control::Exited { exit_code, reason }) => {
                        self.exited.set(true);
                        PtyEvent::Exited { exit_code, reason }
                    }
                    None => PtyEvent::Data(t.into_bytes()),
                },
                WsMessage::Close(code, reason) => {
                    if self.exited.replace(true) {
                        return None; // the exit was already reported
                    }
                    let (exit_code, reason) = pty_control::close_reason(code, &reason);
                    PtyEvent::Exited { exit_code, reason }
                }
            })
        }
    }

    /// Keystrokes, as a binary frame.
    pub fn send_input(&self, bytes: Vec<u8>) -> Result<()> {
        self.conn.send(WsMessage::Binary(bytes)).map_err(|e| Error::Connection(e.to_string()))
    }

    /// Detaches; the shell keeps running.
    pub fn close(&self) {
        self.conn.close();
    }
}

#[derive(Clone)]
pub struct PtyClient {
    sandbox: SandboxClient,
}

impl PtyClient {
    pub fn new(sandbox: SandboxClient) -> Self {
        PtyClient { sandbox }
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/process/pty{rest}", self.sandbox.toolbox_base())
    }

    /// Starts a shell in a new PTY and attaches to it.
    pub async fn create(&self, o: PtyCreateOptions) -> Result<PtyConnection> {
        if o.id.is_empty() {
            return Err(Error::InvalidArgument("PTY id is required".into()));
        }
        let q = query([
            ("id", Some(o.id.clone())),
            ("cols", Some(o.cols.unwrap_or(80).to_string())),
            ("rows", Some(o.rows.unwrap_or(24).to_string())),
            ("cwd", o.cwd.filter(|c| !c.is_empty())),
        ]);
        let mut protocols = Vec::new();
        if let Some(envs) = o.envs.filter(|e| !e.is_empty()) {
            let json = serde_json::to_vec(&envs).unwrap_or_default();
            protocols.push(format!("X-Daytona-Pty-Envs~{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)));
        }
        protocols.push(EXIT_CONTROL.into());
        let conn = self.sandbox.ws_connect(&format!("/process/pty/create-connect{q}"), protocols).await?;
        Ok(PtyConnection { conn, exited: Default::default() })
    }

    /// Attaches to a running PTY; recent output is replayed first.
    pub async fn connect(&self, id: &str) -> Result<PtyConnection> {
        let conn = self.sandbox.ws_connect(&format!("/process/pty/{}/connect", segment(id)), vec![EXIT_CONTROL.into()]).await?;
        Ok(PtyConnection { conn, exited: Default::default() })
    }

    pub async fn list(&self) -> Result<Vec<serde_json::Value>> {
        let resp: serde_json::Value = self.sandbox.ctx().json(HttpRequest::new(Method::Get, self.url(""))).await?;
        Ok(resp.get("sessions").and_then(|s| s.as_array()).cloned().unwrap_or_default())
    }

    /// `serde_json::Value`.
    pub fn info(&self, id: &str) -> Call<Json> {
        self.sandbox.call(HttpRequest::new(Method::Get, self.url(&format!("/{}", segment(id)))), read::json)
    }

    pub fn kill(&self, id: &str) -> Call<()> {
        self.sandbox.call(HttpRequest::new(Method::Delete, self.url(&format!("/{}", segment(id)))), read::nothing)
    }

    /// `serde_json::Value`.
    pub fn resize(&self, id: &str, cols: u16, rows: u16) -> Call<Json> {
        let req = HttpRequest::json(Method::Post, self.url(&format!("/{}/resize", segment(id))), &serde_json::json!({ "cols": cols, "rows": rows }));
        self.sandbox.call(req, read::json)
    }
}
