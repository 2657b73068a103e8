use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::rc::Rc;
use std::task::{Poll, Waker};

use daytona_core::pty::{PtyClient, PtyConnection, PtyEvent};
use daytona_core::{Clock, Error};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::callbacks::JsCallback;
use crate::convert::to_js;
use crate::errors::JsResult;
use crate::platform::{js_bytes, JsClock};
use crate::promise::{abortable_by, call, promise, settled};

#[wasm_bindgen(typescript_custom_section)]
const PTY_TS: &'static str = r#"
export interface PtyCreateOptions { id: string; cwd?: string; envs?: Record<string, string>; cols?: number; rows?: number; onData: (data: Uint8Array) => void | Promise<void>; }
export interface PtyConnectOptions { onData: (data: Uint8Array) => void | Promise<void>; }
export interface PtyResult { exitCode?: number; error?: string; }
"#;

#[derive(Default)]
struct State {
    connected: bool,
    /// Set once the shell exited or the connection ended: (exit code, error).
    exit: Option<(Option<i32>, Option<String>)>,
    error: Option<String>,
    waiters: Vec<Waker>,
}

/// Wakes whoever waits on the state after a change.
fn update(state: &Rc<RefCell<State>>, f: impl FnOnce(&mut State)) {
    let mut s = state.borrow_mut();
    f(&mut s);
    for w in s.waiters.drain(..) {
        w.wake();
    }
}

/// Resolves when `ready` says so.
async fn until<T>(state: &Rc<RefCell<State>>, ready: impl Fn(&State) -> Option<T>) -> T {
    poll_fn(|cx| {
        let mut s = state.borrow_mut();
        match ready(&s) {
            Some(v) => Poll::Ready(v),
            None => {
                s.waiters.push(cx.waker().clone());
                Poll::Pending
            }
        }
    })
    .await
}

/// Resolves once the server confirms the connection, or the PTY fails or ends; a timeout
/// after `timeout` seconds (default 10).
async fn connected(state: &Rc<RefCell<State>>, timeout: Option<f64>) -> JsResult<()> {
    let ms = (timeout.unwrap_or(10.0).max(0.0) * 1000.0) as u64;
    let ready = until(state, |s| {
        if let Some(e) = &s.error {
            return Some(Err(e.clone()));
        }
        (s.connected || s.exit.is_some()).then_some(Ok(()))
    });
    let sleep = JsClock.sleep(ms);
    let (mut ready, mut sleep) = (std::pin::pin!(ready), sleep);
    let outcome = poll_fn(|cx| {
        if let Poll::Ready(r) = ready.as_mut().poll(cx) {
            return Poll::Ready(Some(r));
        }
        sleep.as_mut().poll(cx).map(|_| None)
    })
    .await;
    match outcome {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(Error::Connection(e).into()),
        None => Err(Error::Timeout("PTY connection timeout".into()).into()),
    }
}

/// A terminal attached over a WebSocket: output goes to `onData` (as `Uint8Array`; a
/// returned Promise is awaited before the next chunk), input goes with `sendInput`.
#[wasm_bindgen]
pub struct PtyHandle {
    id: String,
    conn: Rc<PtyConnection>,
    client: PtyClient,
    state: Rc<RefCell<State>>,
}

impl PtyHandle {
    /// Starts the pump that feeds `onData` and records the connection's progress.
    pub fn start(id: String, conn: PtyConnection, client: PtyClient, on_data: Option<JsCallback>) -> PtyHandle {
        let conn = Rc::new(conn);
        let state = Rc::new(RefCell::new(State::default()));
        let (pump_conn, pump_state) = (conn.clone(), state.clone());
        wasm_bindgen_futures::spawn_local(async move {
            while let Some(event) = pump_conn.next().await {
                match event {
                    PtyEvent::Connected => update(&pump_state, |s| s.connected = true),
                    PtyEvent::Data(bytes) => {
                        if let Some(cb) = &on_data {
                            // A throwing callback must not stop the terminal.
                            let _ = cb.call(&js_bytes(&bytes).into()).await;
                        }
                    }
                    PtyEvent::Error(e) => update(&pump_state, |s| s.error = Some(e)),
                    PtyEvent::Exited { exit_code, reason } => update(&pump_state, |s| {
                        s.connected = true;
                        s.exit.get_or_insert((exit_code, reason));
                    }),
                }
            }
            update(&pump_state, |s| {
                s.exit.get_or_insert((None, s.error.clone()));
            });
        });
        PtyHandle { id, conn, client, state }
    }

    /// `sendInput`'s work, done at once: the socket queues the bytes.
    fn send(&self, data: JsValue) -> JsResult<()> {
        if self.state.borrow().exit.is_some() {
            return Err(Error::Connection("PTY is not connected".into()).into());
        }
        let bytes = match data.as_string() {
            Some(s) => s.into_bytes(),
            None => js_sys::Uint8Array::new(&data).to_vec(),
        };
        Ok(self.conn.send_input(bytes)?)
    }
}

#[wasm_bindgen]
impl PtyHandle {
    /// The PTY session id.
    #[wasm_bindgen(getter, js_name = sessionId)]
    pub fn session_id(&self) -> String {
        self.id.clone()
    }

    /// The exit code, once the shell has exited.
    #[wasm_bindgen(getter, js_name = exitCode)]
    pub fn exit_code(&self) -> Option<i32> {
        self.state.borrow().exit.as_ref().and_then(|e| e.0)
    }

    /// The exit reason or connection error, if any; or how much output a reconnect could not
    /// recover (more than the server keeps was printed while the connection was down).
    #[wasm_bindgen(getter)]
    pub fn error(&self) -> Option<String> {
        let s = self.state.borrow();
        let lost = self.conn.lost_bytes();
        let gap = || (lost > 0).then(|| format!("{lost} bytes of terminal output were lost while reconnecting"));
        s.exit.as_ref().and_then(|e| e.1.clone()).or_else(|| s.error.clone()).or_else(gap)
    }

    /// Whether the terminal is attached (not reconnecting after a drop) and its shell still
    /// running.
    #[wasm_bindgen(js_name = isConnected)]
    pub fn is_connected(&self) -> bool {
        let s = self.state.borrow();
        s.connected && s.exit.is_none() && !self.conn.is_reattaching()
    }

    /// Waits until the server confirms the connection (default 10 s).
    /// @throws {DaytonaTimeoutError} "PTY connection timeout"; {DaytonaConnectionError} if it failed.
    #[wasm_bindgen(js_name = waitForConnection, unchecked_return_type = "Promise<void>")]
    pub fn wait_for_connection(&self, timeout: Option<f64>) -> Promise {
        let state = self.state.clone();
        promise(async move { connected(&state, timeout).await })
    }

    /// Sends keystrokes: a string (UTF-8) or bytes.
    /// @throws {DaytonaConnectionError} "PTY is not connected" once it has ended.
    #[wasm_bindgen(js_name = sendInput, unchecked_return_type = "Promise<void>")]
    pub fn send_input(&self, #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue) -> Promise {
        settled(self.send(data))
    }

    /// Resizes the terminal.
    #[wasm_bindgen(unchecked_return_type = "Promise<PtySessionInfo>")]
    pub fn resize(&self, cols: u16, rows: u16) -> Promise {
        call(self.client.resize(&self.id, cols, rows))
    }

    /// Waits for the shell to exit: `{ exitCode, error? }`. `options.signal` cancels the
    /// wait (the shell keeps running).
    #[wasm_bindgen(unchecked_return_type = "Promise<PtyResult>")]
    pub fn wait(&self, #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue) -> Promise {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct PtyResult {
            #[serde(skip_serializing_if = "Option::is_none")]
            exit_code: Option<i32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<String>,
        }
        let state = self.state.clone();
        abortable_by(&options, async move {
            let (exit_code, error) = until(&state, |s| s.exit.clone()).await;
            Ok(to_js(&PtyResult { exit_code, error }))
        })
    }

    /// Kills the shell (and everything it started).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn kill(&self) -> Promise {
        call(self.client.kill(&self.id))
    }

    /// Detaches; the shell keeps running and can be reattached with `connectPty`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn disconnect(&self) -> Promise {
        self.conn.close();
        settled(Ok(()))
    }
}
