//! A language server running in a sandbox, spoken to over its stdio: JSON-RPC messages with
//! `Content-Length` headers (the LSP base protocol). Written here rather than taken from a
//! crate: the LSP client crates bring their own process and runtime model, and the framing
//! is a dozen lines.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::ChildStdin;
use tokio::sync::oneshot;

use crate::runtime::command::sandbox_command;
use crate::runtime::processes::kill_group;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// How long a language server may take to answer (the first answers load the project).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest message taken from a language server.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

type Pending = Mutex<HashMap<u64, oneshot::Sender<Result<Value, String>>>>;

pub struct LanguageServer {
    stdin: Arc<tokio::sync::Mutex<ChildStdin>>,
    pending: Arc<Pending>,
    next_id: AtomicU64,
    alive: Arc<AtomicBool>,
    pgid: i32,
    /// Open documents and their versions.
    pub open: Mutex<HashMap<String, i32>>,
}

impl Drop for LanguageServer {
    fn drop(&mut self) {
        kill_group(self.pgid);
    }
}

impl LanguageServer {
    /// Starts `program` in the project directory `root` (a sandbox path) and initializes it.
    pub async fn start(sandboxes: &SandboxManager, sb: &SandboxCtx, program: &'static str, args: &[&str], root: &str) -> Result<Self, Error> {
        if crate::runtime::jail::find_program(program).is_none() {
            return Err(Error::Status(501, format!("{program} is not installed on this host (scripts/setup.sh installs it)")));
        }
        let mut cmd = sandbox_command(sandboxes, sb, program, Some(root), &BTreeMap::new())?;
        cmd.args(args).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null());
        let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
        let pgid = group.pgid();
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::Internal(anyhow::anyhow!("language server without stdio")));
        };
        let stdin = Arc::new(tokio::sync::Mutex::new(stdin));
        let (pending, alive) = (Arc::new(Pending::default()), Arc::new(AtomicBool::new(true)));
        let (reader_stdin, reader_pending, reader_alive) = (stdin.clone(), pending.clone(), alive.clone());
        tokio::spawn(async move {
            read_messages(stdout, &reader_stdin, &reader_pending).await;
            // Its output ended or broke the framing: either way it is done.
            group.kill();
            let _ = child.wait().await;
            reader_alive.store(false, Ordering::SeqCst);
            // Whoever still waits for an answer gets none.
            reader_pending.lock().unwrap_or_else(|e| e.into_inner()).clear();
            drop(group);
        });
        let server = LanguageServer { stdin, pending, next_id: AtomicU64::new(1), alive, pgid, open: Default::default() };
        let uri = file_uri(root);
        let capabilities = json!({
            "textDocument": {
                "synchronization": { "didSave": false },
                "completion": { "completionItem": { "snippetSupport": false, "documentationFormat": ["markdown", "plaintext"] } },
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            },
            "workspace": { "symbol": {}, "workspaceFolders": true, "configuration": true },
        });
        let name = root.rsplit('/').next().unwrap_or(root);
        server
            .request("initialize", json!({ "processId": null, "rootUri": uri, "rootPath": root, "capabilities": capabilities, "workspaceFolders": [{ "uri": uri, "name": name }] }))
            .await?;
        server.notify("initialized", json!({})).await?;
        Ok(server)
    }

    pub fn alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    pub async fn request(&self, method: &str, params: Value) -> Result<Value, Error> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).insert(id, tx);
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })).await?;
        match tokio::time::timeout(ANSWER_TIMEOUT, rx).await {
            Ok(Ok(Ok(v))) => Ok(v),
            Ok(Ok(Err(message))) => Err(Error::Invalid(format!("language server: {method}: {message}"))),
            Ok(Err(_)) => Err(Error::Internal(anyhow::anyhow!("the language server exited"))),
            Err(_) => {
                self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
                Err(Error::coded(408, "REQUEST_TIMEOUT", format!("the language server did not answer {method} in {} s", ANSWER_TIMEOUT.as_secs())))
            }
        }
    }

    pub async fn notify(&self, method: &str, params: Value) -> Result<(), Error> {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params })).await
    }

    async fn send(&self, msg: Value) -> Result<(), Error> {
        if !self.alive() {
            return Err(Error::Internal(anyhow::anyhow!("the language server exited")));
        }
        write_message(&self.stdin, &msg).await.map_err(|e| Error::Internal(anyhow::anyhow!("the language server stopped reading: {e}")))
    }

    /// Asks the server to exit, then ends its process group.
    pub async fn shutdown(&self) {
        if self.alive() {
            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                let _ = self.request("shutdown", Value::Null).await;
                let _ = self.notify("exit", Value::Null).await;
            })
            .await;
        }
        kill_group(self.pgid);
    }
}

/// `file://` + the percent-encoded sandbox path.
pub fn file_uri(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    format!("file://{}", percent_encoding::utf8_percent_encode(path, KEEP))
}

async fn write_message(stdin: &tokio::sync::Mutex<ChildStdin>, msg: &Value) -> std::io::Result<()> {
    let body = msg.to_string();
    let mut w = stdin.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    w.write_all(body.as_bytes()).await?;
    w.flush().await
}

/// Reads messages until the server closes its output: answers go to whoever waits for them;
/// the server's own requests get the answers an editor that offers nothing gives.
async fn read_messages(stdout: tokio::process::ChildStdout, stdin: &tokio::sync::Mutex<ChildStdin>, pending: &Pending) {
    let mut reader = BufReader::new(stdout);
    while let Some(msg) = read_message(&mut reader).await {
        let id = msg.get("id").cloned();
        match (msg.get("method").and_then(Value::as_str), id) {
            (Some(method), Some(id)) => {
                let result = match method {
                    // One (empty) setting per item asked for: the server's defaults.
                    "workspace/configuration" => Value::Array(vec![Value::Null; msg["params"]["items"].as_array().map_or(0, Vec::len)]),
                    _ => Value::Null,
                };
                let _ = write_message(stdin, &json!({ "jsonrpc": "2.0", "id": id, "result": result })).await;
            }
            (None, Some(id)) => {
                let Some(waiter) = id.as_u64().and_then(|id| pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&id)) else { continue };
                let answer = match msg.get("error") {
                    Some(e) => Err(e.get("message").and_then(Value::as_str).unwrap_or("error").to_string()),
                    None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
                };
                let _ = waiter.send(answer);
            }
            _ => {} // notifications: diagnostics, progress, logs
        }
    }
}

async fn read_message(reader: &mut BufReader<tokio::process::ChildStdout>) -> Option<Value> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.filter(|l| *l <= MAX_MESSAGE)?;
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_uris_are_percent_encoded_paths() {
        assert_eq!(super::file_uri("/home/daytona/my project/a.ts"), "file:///home/daytona/my%20project/a.ts");
    }
}
