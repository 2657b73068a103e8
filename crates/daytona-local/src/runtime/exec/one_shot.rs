//! One-shot programs (`POST /process/execute`, and the code runs): the program reads what
//! it is given on its stdin; stdout and stderr share one pipe, so the result keeps their
//! real interleaving.

use std::io::Read;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use daytona_types::toolbox::process::{ExecuteRequest, ExecuteResponse};
use tokio::io::AsyncWriteExt;

use crate::runtime::command::{sandbox_command, shell};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

pub fn timeout_error() -> Error {
    Error::coded(408, "PROCESS_EXECUTION_TIMEOUT", "request timeout: command execution timeout")
}

/// Runs `program` with `stdin` fed in, output of both streams captured together; kills the
/// whole group at the deadline. Returns (exit code, output).
pub async fn run_captured(
    sandboxes: &SandboxManager,
    sb: &SandboxCtx,
    mut cmd: tokio::process::Command,
    stdin: Vec<u8>,
    timeout_s: Option<u32>,
) -> Result<(i32, Vec<u8>), Error> {
    let (mut reader, writer) = std::io::pipe()?;
    cmd.stdin(Stdio::piped()).stdout(writer.try_clone()?).stderr(writer);
    // Our copies of the write end go with `cmd`; EOF comes when the group closes it.
    let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(&stdin).await;
    }
    // Output is gathered on a thread; a background process may hold the pipe open after
    // the shell exits, so the answer does not wait for it beyond a short grace.
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = buf.clone();
    let reader_done = tokio::task::spawn_blocking(move || {
        let mut chunk = [0u8; 64 * 1024];
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(&chunk[..n]);
        }
    });
    let finished = async {
        let status = child.wait().await?;
        let _ = tokio::time::timeout(OUTPUT_GRACE, reader_done).await;
        Ok::<_, Error>(status.code().unwrap_or(-1))
    };
    let code = match timeout_s.filter(|t| *t > 0) {
        Some(t) => tokio::time::timeout(Duration::from_secs(t as u64), finished).await.map_err(|_| timeout_error())??,
        None => finished.await?,
    };
    group.release();
    let out = std::mem::take(&mut *buf.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((code, out))
}

/// How long output may keep arriving after the main process exited.
pub const OUTPUT_GRACE: Duration = Duration::from_millis(500);

/// A command through the shell, in the request's directory with its variables.
pub async fn execute(sandboxes: &SandboxManager, sb: &SandboxCtx, req: ExecuteRequest) -> Result<ExecuteResponse, Error> {
    if req.command.trim().is_empty() {
        return Err(Error::Invalid("bad request: command is required".into()));
    }
    let cmd = sandbox_command(sandboxes, sb, shell(), req.cwd.as_deref(), &req.envs.clone().unwrap_or_default())?;
    let mut script = req.command.into_bytes();
    script.push(b'\n');
    let (exit_code, out) = run_captured(sandboxes, sb, cmd, script, req.timeout).await?;
    Ok(ExecuteResponse { exit_code, result: String::from_utf8_lossy(&out).into_owned() })
}
