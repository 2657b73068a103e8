//! PTYs: REST for listing, resizing and killing; a WebSocket per attached
//! client for the terminal itself. The event loop that feeds callbacks lives with the
//! caller (the facade spawns it); this is the protocol.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine;
use daytona_types::framing::pty_control::{self, Control};
use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::call::{read, Call, Json};
use crate::endpoints::{query, segment};
use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;
use crate::transport::{HttpRequest, Method, Payload, WsConnection, WsMessage};

pub const EXIT_CONTROL: &str = "X-Daytona-Pty-Exit-Control";

/// `createPty`'s options, minus the callback.
#[derive(Debug, Clone, Default)]
pub struct PtyCreateOptions {
    pub id: String,
    pub cols: Option<u16>,
    pub rows: Option<u16>,
    pub cwd: Option<String>,
    pub envs: Option<BTreeMap<String, String>>,
}

impl FromArg for PtyCreateOptions {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(PtyCreateOptions { id: f.required("id"), cols: f.opt("cols"), rows: f.opt("rows"), cwd: f.opt("cwd"), envs: f.opt("envs") })
    }
}

/// What an attached terminal reports, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum PtyEvent {
    Connected,
    Data(Payload),
    /// The server could not attach.
    Error(String),
    /// The shell ended (from the control message or the close frame).
    Exited {
        exit_code: Option<i32>,
        reason: Option<String>,
    },
}

/// An attached terminal. When its connection drops before the shell ends, it reattaches
/// (with the client's retry policy) from the last byte it delivered, if the server told it
/// where output starts (daytona-local does): nothing comes twice, and nothing is lost while
/// what was missed fits the server's replay buffer (what did not is counted in
/// [`lost_bytes`](Self::lost_bytes)).
pub struct PtyConnection {
    client: PtyClient,
    id: String,
    conn: RefCell<Rc<dyn WsConnection>>,
    exited: Cell<bool>,
    /// Bytes of the terminal's output delivered so far, counted from the server's offset.
    offset: Cell<Option<u64>>,
    /// Set by [`close`](Self::close): the drop is ours, not to be repaired.
    detached: Cell<bool>,
    /// From a drop until the new connection's `connected` message.
    reattaching: Cell<bool>,
    /// Output the server no longer had when a reattach asked for it.
    lost: Cell<u64>,
}

impl PtyConnection {
    fn new(client: &PtyClient, id: &str, conn: Box<dyn WsConnection>) -> Self {
        let (exited, offset, detached, reattaching, lost) = Default::default();
        PtyConnection { client: client.clone(), id: id.to_string(), conn: RefCell::new(conn.into()), exited, offset, detached, reattaching, lost }
    }

    /// Whether the connection dropped and is being made again.
    pub fn is_reattaching(&self) -> bool {
        self.reattaching.get()
    }

    /// Bytes of output that were gone from the server's replay when a reattach asked for
    /// them: they never reach the client.
    pub fn lost_bytes(&self) -> u64 {
        self.lost.get()
    }

    /// The next event; `None` when the connection is over.
    pub async fn next(&self) -> Option<PtyEvent> {
        loop {
            let conn = self.conn.borrow().clone();
            let msg = conn.recv().await?;
            let data = |b: Payload| {
                self.offset.set(self.offset.get().map(|o| o + b.byte_len() as u64));
                Some(PtyEvent::Data(b))
            };
            return match msg {
                WsMessage::Binary(b) => data(b),
                WsMessage::Text(t) => match pty_control::parse(&t) {
                    Some(Control::Connected { offset }) => {
                        // After a reattach, the first message of the new connection.
                        let resumed = self.reattaching.replace(false);
                        if let (true, Some(from), Some(asked)) = (resumed, offset, self.offset.get()) {
                            self.lost.set(self.lost.get() + from.saturating_sub(asked));
                        }
                        self.offset.set(offset);
                        if resumed {
                            continue;
                        }
                        Some(PtyEvent::Connected)
                    }
                    Some(Control::Error(e)) => Some(PtyEvent::Error(e)),
                    Some(Control::Exited { exit_code, reason }) => {
                        self.exited.set(true);
                        Some(PtyEvent::Exited { exit_code, reason })
                    }
                    None => data(t.into_bytes().into()),
                },
                WsMessage::Close(code, reason) => {
                    if self.exited.get() {
                        return None; // the exit was already reported
                    }
                    let dropped = code != Some(1000) && reason.is_empty();
                    if dropped && !self.detached.get() {
                        self.reattaching.set(true);
                        if self.reattach().await {
                            continue;
                        }
                        self.reattaching.set(false);
                    }
                    self.exited.set(true);
                    let (exit_code, reason) = pty_control::close_reason(code, &reason);
                    Some(PtyEvent::Exited { exit_code, reason })
                }
            };
        }
    }

    /// Reconnects from the last delivered byte, trying as the retry policy allows.
    async fn reattach(&self) -> bool {
        let Some(offset) = self.offset.get() else { return false };
        let ctx = self.client.sandbox.ctx();
        let policy = ctx.config().retry;
        for attempt in 0..policy.attempts {
            ctx.clock().sleep(policy.backoff(attempt, ctx.clock().now_ms())).await;
            if self.detached.get() {
                return false;
            }
            if let Ok(conn) = self.client.attach(&self.id, Some(offset)).await {
                // Detached while connecting: the new socket is not wanted either.
                if self.detached.get() {
                    conn.close();
                    return false;
                }
                *self.conn.borrow_mut() = conn.into();
                return true;
            }
        }
        false
    }

    /// Keystrokes, as a binary frame.
    pub fn send_input(&self, bytes: Vec<u8>) -> Result<()> {
        self.conn.borrow().send(WsMessage::Binary(bytes.into())).map_err(|e| Error::Connection(e.to_string()))
    }

    /// Detaches; the shell keeps running.
    pub fn close(&self) {
        self.detached.set(true);
        self.conn.borrow().close();
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
        Ok(PtyConnection::new(self, &o.id, conn))
    }

    /// Attaches to a running PTY; recent output is replayed first.
    pub async fn connect(&self, id: &str) -> Result<PtyConnection> {
        Ok(PtyConnection::new(self, id, self.attach(id, None).await?))
    }

    /// `GET /process/pty/{id}/connect[?offset=N]` as a WebSocket.
    async fn attach(&self, id: &str, offset: Option<u64>) -> Result<Box<dyn WsConnection>> {
        let q = query([("offset", offset.map(|o| o.to_string()))]);
        self.sandbox.ws_connect(&format!("/process/pty/{}/connect{q}", segment(id)), vec![EXIT_CONTROL.into()]).await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{json, FakeClock, FnTransport, ScriptedWs};
    use crate::{DaytonaClient, DaytonaConfig};
    use futures_executor::block_on;

    fn pty(scripts: Vec<Vec<WsMessage>>) -> (PtyClient, Rc<ScriptedWs>) {
        let t = FnTransport::new(|_| json(200, serde_json::json!({ "sandboxId": "sb", "url": "http://h/p", "token": "tok" })));
        let ws = Rc::new(ScriptedWs { scripts: RefCell::new(scripts.into()), ..Default::default() });
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = DaytonaClient::new(Some(cfg), &|_| None, t, ws.clone(), FakeClock::new()).unwrap();
        let dto = serde_json::from_value(serde_json::json!({"id": "sb", "organizationId": "org", "toolboxProxyUrl": "http://h/toolbox"})).unwrap();
        (PtyClient::new(SandboxClient::new(client.context().clone(), dto)), ws)
    }

    fn connected(offset: Option<u64>) -> WsMessage {
        WsMessage::Text(Control::Connected { offset }.encode())
    }

    fn events(conn: &PtyConnection) -> Vec<PtyEvent> {
        block_on(async {
            let mut out = Vec::new();
            while let Some(e) = conn.next().await {
                out.push(e);
            }
            out
        })
    }

    #[test]
    fn a_dropped_terminal_resumes_after_the_last_byte_it_delivered() {
        let (client, ws) = pty(vec![
            vec![connected(Some(0)), WsMessage::Binary(b"abc".to_vec().into()), WsMessage::Close(Some(1006), String::new())],
            vec![connected(Some(3)), WsMessage::Binary(b"def".to_vec().into()), WsMessage::Close(Some(1000), r#"{"exitCode":0}"#.into())],
        ]);
        let conn = block_on(client.connect("t")).unwrap();
        let got = events(&conn);
        let data = |b: &[u8]| PtyEvent::Data(b.to_vec().into());
        assert_eq!(got, [PtyEvent::Connected, data(b"abc"), data(b"def"), PtyEvent::Exited { exit_code: Some(0), reason: None }]);
        let urls = ws.urls.borrow();
        assert!(urls[0].starts_with("ws://h/toolbox/sb/process/pty/t/connect?DAYTONA_SANDBOX_AUTH_KEY=tok"), "{}", urls[0]);
        assert!(urls[1].starts_with("ws://h/toolbox/sb/process/pty/t/connect?offset=3&"), "{}", urls[1]);
    }

    #[test]
    fn a_drop_is_reported_when_the_server_gives_no_offset_or_cannot_be_reached() {
        let lost = PtyEvent::Exited { exit_code: None, reason: Some("PTY connection lost (close code 1006) before the process exited".into()) };
        let (client, ws) = pty(vec![vec![connected(None), WsMessage::Close(Some(1006), String::new())]]);
        assert_eq!(events(&block_on(client.connect("t")).unwrap()), [PtyEvent::Connected, lost.clone()]);
        assert_eq!(ws.urls.borrow().len(), 1, "no offset, no reattach");

        let (client, ws) = pty(vec![vec![connected(Some(0)), WsMessage::Close(Some(1006), String::new())]]);
        assert_eq!(events(&block_on(client.connect("t")).unwrap()), [PtyEvent::Connected, lost]);
        assert_eq!(ws.urls.borrow().len(), 4, "three attempts to reattach");
    }

    #[test]
    fn output_the_server_no_longer_has_is_counted_as_lost() {
        let (client, _) = pty(vec![
            vec![connected(Some(0)), WsMessage::Binary(b"abc".to_vec().into()), WsMessage::Close(Some(1006), String::new())],
            vec![connected(Some(10)), WsMessage::Binary(b"k".to_vec().into()), WsMessage::Close(Some(1000), r#"{"exitCode":0}"#.into())],
        ]);
        let conn = block_on(client.connect("t")).unwrap();
        assert_eq!(block_on(conn.next()), Some(PtyEvent::Connected));
        assert_eq!(block_on(conn.next()), Some(PtyEvent::Data(b"abc".to_vec().into())));
        assert!(!conn.is_reattaching());
        assert_eq!(block_on(conn.next()), Some(PtyEvent::Data(b"k".to_vec().into())));
        assert!(!conn.is_reattaching(), "connected again");
        assert_eq!(conn.lost_bytes(), 7, "asked from 3, the replay began at 10");
    }

    #[test]
    fn a_detached_terminal_is_not_reattached() {
        let (client, ws) = pty(vec![vec![connected(Some(0)), WsMessage::Close(Some(1006), String::new())]]);
        let conn = block_on(client.connect("t")).unwrap();
        conn.close();
        assert!(matches!(events(&conn).last(), Some(PtyEvent::Exited { exit_code: None, .. })));
        assert_eq!(ws.urls.borrow().len(), 1);
    }
}
