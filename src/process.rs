use daytona_core::process::{CodeRunParams, LogSink, ProcessClient};
use daytona_core::pty::{PtyClient, PtyCreateOptions};
use daytona_core::transport::LocalBoxFuture;
use daytona_types::toolbox::process::SessionExecuteRequest;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::callbacks::{call_opt, JsCallback};
use crate::convert::parse;
use crate::convert::{from_js, opt_from_js, to_js};
use crate::promise::{call, cancellable, promise};
use crate::pty_handle::PtyHandle;

#[wasm_bindgen(typescript_custom_section)]
const PROCESS_TS: &'static str = r#"
export interface ExecuteResponse { exitCode: number; result: string; artifacts?: ExecutionArtifacts; }
/** Options every cancellable call takes last: `signal` rejects it with an `AbortError` and stops its requests. */
export interface CallOptions { signal?: AbortSignal; }
export interface Process {
  /** The logs so far. */
  getSessionCommandLogs(sessionId: string, commandId: string): Promise<SessionCommandLogsResponse>;
  /** Streams the logs to the callbacks until the command ends; `options.signal` stops following. */
  getSessionCommandLogs(sessionId: string, commandId: string, onStdout: (chunk: string) => void, onStderr: (chunk: string) => void, options?: CallOptions): Promise<void>;
  /** The entrypoint's output so far. */
  getEntrypointLogs(): Promise<SessionCommandLogsResponse>;
  /** Streams the entrypoint's output to the callbacks until it ends. */
  getEntrypointLogs(onStdout: (chunk: string) => void, onStderr: (chunk: string) => void): Promise<void>;
}
"#;

/// Streams session output to JS callbacks.
struct JsLogSink {
    out: Option<JsCallback>,
    err: Option<JsCallback>,
}

impl LogSink for JsLogSink {
    fn stdout(&mut self, text: String) -> LocalBoxFuture<'_, daytona_core::Result<()>> {
        call_opt(&self.out, text.into())
    }
    fn stderr(&mut self, text: String) -> LocalBoxFuture<'_, daytona_core::Result<()>> {
        call_opt(&self.err, text.into())
    }
}

/// Runs commands and code in a Sandbox: one-shot commands, code in the Sandbox's language,
/// and sessions whose shell state (working directory, exported variables) persists.
#[wasm_bindgen]
pub struct Process {
    inner: ProcessClient,
    pty: PtyClient,
}

impl Process {
    pub fn new(inner: ProcessClient, pty: PtyClient) -> Self {
        Process { inner, pty }
    }
}

#[wasm_bindgen]
impl Process {
    /// Runs a shell command and waits for it.
    /// @param cwd - Working directory (default: the Sandbox home).
    /// @param env - Extra environment variables.
    /// @param timeout - Seconds; the command's process group is killed after it (0 = none).
    /// @returns `{ exitCode, result, artifacts: { stdout } }`, stdout and stderr together.
    ///
    /// @example
    /// const { exitCode, result } = await sandbox.process.executeCommand('ls -la', 'workspace');
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait for the command.
    #[wasm_bindgen(js_name = executeCommand, unchecked_return_type = "Promise<ExecuteResponse>")]
    pub fn execute_command(
        &self,
        command: String,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] cwd: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] env: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, ProcessClient::with_signal, |inner| async move {
            Ok(to_js(&inner.execute_command(&command, cwd, opt_from_js(env, "env")?, timeout).await?))
        })
    }

    /// Runs code in the Sandbox's language (python, typescript or javascript). Python
    /// matplotlib figures shown with `plt.show()` come back as `artifacts.charts`.
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait for the run.
    #[wasm_bindgen(js_name = codeRun, unchecked_return_type = "Promise<ExecuteResponse>")]
    pub fn code_run(
        &self,
        code: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CodeRunParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, ProcessClient::with_signal, |inner| async move {
            let params: CodeRunParams = from_js(params, "params")?;
            // Nulls stay null in the charts (`title: null`), as the official SDK passes them on.
            Ok(to_js(&inner.code_run(&code, params, timeout).await?))
        })
    }

    /// Creates a session: a shell that keeps its state between commands.
    #[wasm_bindgen(js_name = createSession, unchecked_return_type = "Promise<void>")]
    pub fn create_session(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String) -> Promise {
        call(self.inner.create_session(&session_id))
    }

    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Session>")]
    pub fn get_session(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String) -> Promise {
        call(self.inner.get_session(&session_id))
    }

    #[wasm_bindgen(js_name = listSessions, unchecked_return_type = "Promise<Session[]>")]
    pub fn list_sessions(&self) -> Promise {
        call(self.inner.list_sessions())
    }

    /// Ends a session and everything still running in it.
    #[wasm_bindgen(js_name = deleteSession, unchecked_return_type = "Promise<void>")]
    pub fn delete_session(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String) -> Promise {
        call(self.inner.delete_session(&session_id))
    }

    /// Runs a command in a session. Synchronously it resolves with the output
    /// (`stdout`/`stderr` apart) and exit code; with `runAsync` at once with `cmdId`.
    /// @param timeout - Seconds to wait for the answer (client side only).
    #[wasm_bindgen(js_name = executeSessionCommand, unchecked_return_type = "Promise<SessionExecuteResponse>")]
    pub fn execute_session_command(
        &self,
        #[wasm_bindgen(js_name = sessionId)] session_id: String,
        #[wasm_bindgen(unchecked_param_type = "SessionExecuteRequest")] req: JsValue,
        timeout: Option<f64>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let req: SessionExecuteRequest = from_js(req, "req")?;
            Ok(to_js(&inner.execute_session_command(&session_id, req, timeout).await?))
        })
    }

    #[wasm_bindgen(js_name = getSessionCommand, unchecked_return_type = "Promise<Command>")]
    pub fn get_session_command(
        &self,
        #[wasm_bindgen(js_name = sessionId)] session_id: String,
        #[wasm_bindgen(js_name = commandId)] command_id: String,
    ) -> Promise {
        call(self.inner.get_session_command(&session_id, &command_id))
    }

    /// The logs of a session command: so far, as `{ output, stdout, stderr }`; or, with
    /// `onStdout`/`onStderr`, streamed as they are written until the command ends.
    #[wasm_bindgen(js_name = getSessionCommandLogs, skip_typescript)]
    pub fn get_session_command_logs(&self, session_id: String, command_id: String, on_stdout: JsValue, on_stderr: JsValue, options: JsValue) -> Promise {
        cancellable(&self.inner, &options, ProcessClient::with_signal, |inner| async move {
            let (out, err) = (JsCallback::from_js(on_stdout), JsCallback::from_js(on_stderr));
            if out.is_none() && err.is_none() {
                return parse(inner.get_session_command_logs(&session_id, &command_id).await?);
            }
            let mut sink = JsLogSink { out, err };
            inner.follow_session_command_logs(&session_id, &command_id, &mut sink).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The session the Sandbox's entrypoint (its snapshot's ENTRYPOINT and CMD) runs in.
    #[wasm_bindgen(js_name = getEntrypointSession, unchecked_return_type = "Promise<Session>")]
    pub fn get_entrypoint_session(&self) -> Promise {
        call(self.inner.get_entrypoint_session())
    }

    /// The entrypoint's output: so far, as `{ output, stdout, stderr }`; or, with
    /// `onStdout`/`onStderr`, streamed as it is written until the entrypoint ends.
    #[wasm_bindgen(js_name = getEntrypointLogs, skip_typescript, unchecked_return_type = "Promise<any>")]
    pub fn get_entrypoint_logs(&self, on_stdout: JsValue, on_stderr: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (out, err) = (JsCallback::from_js(on_stdout), JsCallback::from_js(on_stderr));
            if out.is_none() && err.is_none() {
                return parse(inner.get_entrypoint_logs().await?);
            }
            let mut sink = JsLogSink { out, err };
            inner.follow_entrypoint_logs(&mut sink).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Starts an interactive shell in a new PTY and attaches to it.
    ///
    /// @example
    /// const pty = await sandbox.process.createPty({ id: 'term', cols: 120, rows: 30, onData: (d) => term.write(d) });
    /// await pty.waitForConnection();
    /// await pty.sendInput('ls\n');
    #[wasm_bindgen(js_name = createPty, unchecked_return_type = "Promise<PtyHandle>")]
    pub fn create_pty(&self, #[wasm_bindgen(unchecked_optional_param_type = "PtyCreateOptions")] options: JsValue) -> Promise {
        let pty = self.pty.clone();
        promise(async move {
            let on_data = JsCallback::property(&options, "onData");
            let opts: PtyCreateOptions = from_js(options, "options")?;
            let id = opts.id.clone();
            let conn = pty.create(opts).await?;
            Ok(PtyHandle::start(id, conn, pty.clone(), on_data))
        })
    }

    /// Attaches to a running PTY; output it produced meanwhile is replayed first.
    #[wasm_bindgen(js_name = connectPty, unchecked_return_type = "Promise<PtyHandle>")]
    pub fn connect_pty(
        &self,
        #[wasm_bindgen(js_name = sessionId)] session_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "PtyConnectOptions")] options: JsValue,
    ) -> Promise {
        let pty = self.pty.clone();
        promise(async move {
            let on_data = JsCallback::property(&options, "onData");
            let conn = pty.connect(&session_id).await?;
            Ok(PtyHandle::start(session_id, conn, pty.clone(), on_data))
        })
    }

    #[wasm_bindgen(js_name = listPtySessions, unchecked_return_type = "Promise<PtySessionInfo[]>")]
    pub fn list_pty_sessions(&self) -> Promise {
        let pty = self.pty.clone();
        promise(async move { Ok(to_js(&pty.list().await?)) })
    }

    #[wasm_bindgen(js_name = getPtySessionInfo, unchecked_return_type = "Promise<PtySessionInfo>")]
    pub fn get_pty_session_info(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String) -> Promise {
        call(self.pty.info(&session_id))
    }

    #[wasm_bindgen(js_name = killPtySession, unchecked_return_type = "Promise<void>")]
    pub fn kill_pty_session(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String) -> Promise {
        call(self.pty.kill(&session_id))
    }

    #[wasm_bindgen(js_name = resizePtySession, unchecked_return_type = "Promise<PtySessionInfo>")]
    pub fn resize_pty_session(&self, #[wasm_bindgen(js_name = sessionId)] session_id: String, cols: u16, rows: u16) -> Promise {
        call(self.pty.resize(&session_id, cols, rows))
    }

    /// Sends a line of input to a running session command.
    #[wasm_bindgen(js_name = sendSessionCommandInput, unchecked_return_type = "Promise<void>")]
    pub fn send_session_command_input(
        &self,
        #[wasm_bindgen(js_name = sessionId)] session_id: String,
        #[wasm_bindgen(js_name = commandId)] command_id: String,
        data: String,
    ) -> Promise {
        call(self.inner.send_session_command_input(&session_id, &command_id, &data))
    }
}
