//! The stateful Python interpreter: one worker process per context, whose variables persist
//! between runs; runs on a context are queued in order. At its timeout a run's worker is
//! interrupted (SIGINT), and killed if it does not stop within two seconds.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use daytona_types::toolbox::process::{InterpreterContext, InterpreterRunRequest};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::runtime::command::sandbox_command;
use crate::runtime::processes::Group;
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::validate::env_names;
use crate::runtime::Error;

const WORKER: &str = include_str!("interpreter_worker.py");
const DEFAULT_TIMEOUT_S: f64 = 600.0;
pub const INTERRUPT_GRACE: Duration = Duration::from_secs(2);
/// The context runs go to when they name none; it cannot be deleted.
const DEFAULT: &str = "default";

/// One run, as the worker reads it: a line of JSON on its stdin.
#[derive(Serialize)]
struct WorkerRun<'a> {
    code: &'a str,
    envs: &'a BTreeMap<String, String>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Dropped with the worker (deleted, died, timed out), the group is killed.
    group: Group,
}

pub struct Context {
    info: InterpreterContext,
    /// Held for a whole run: runs on one context go one at a time, in order.
    worker: Arc<Mutex<Option<Worker>>>,
}

/// All interpreter contexts.
pub type Contexts = PerSandbox<Context>;

/// The sandboxes' contexts, kept by the sandbox manager with the rest of what lives while a
/// sandbox runs.
pub fn contexts(sandboxes: &SandboxManager) -> Arc<Contexts> {
    sandboxes.live.of()
}

fn new_context(sb: &SandboxCtx, id: String, cwd: Option<&str>) -> Result<Context, Error> {
    let cwd = sb.fs.resolve(cwd.unwrap_or(""))?.virt;
    let info = InterpreterContext { id, cwd, created_at: chrono::Utc::now().to_rfc3339(), active: true, language: "python".into() };
    Ok(Context { info, worker: Arc::new(Mutex::new(None)) })
}

/// A new context, working in `cwd` (default the home).
pub fn create(sandboxes: &SandboxManager, sb: &SandboxCtx, cwd: Option<&str>, language: Option<&str>) -> Result<InterpreterContext, Error> {
    if language.is_some_and(|l| l != "python") {
        return Err(Error::Invalid("bad request: only python contexts are supported".into()));
    }
    let ctx = new_context(sb, uuid::Uuid::new_v4().to_string(), cwd)?;
    let info = ctx.info.clone();
    contexts(sandboxes).insert(&sb.dto.id, &info.id, Arc::new(ctx));
    Ok(info)
}

/// The contexts clients made (not the default one).
pub fn list(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Vec<InterpreterContext> {
    contexts(sandboxes).list(&sb.dto.id).into_iter().filter(|(id, _)| id != DEFAULT).map(|(_, c)| c.info.clone()).collect()
}

/// Deletes a context, ending its worker.
pub async fn remove(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<(), Error> {
    if id == DEFAULT {
        return Err(Error::Invalid("bad request: the default context cannot be deleted".into()));
    }
    let ctx = contexts(sandboxes).remove(&sb.dto.id, id).ok_or_else(|| Error::NotFound(format!("not found: context {id}")))?;
    ctx.worker.lock().await.take();
    Ok(())
}

fn spawn_worker(sandboxes: &SandboxManager, sb: &SandboxCtx, ctx: &Context) -> Result<Worker, Error> {
    let mut cmd = sandbox_command(sandboxes, sb, "python3", Some(&ctx.info.cwd), &BTreeMap::new())?;
    cmd.args(["-u", "-c", WORKER]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).kill_on_drop(true);
    let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    let stdin = child.stdin.take().ok_or_else(|| Error::Internal(anyhow::anyhow!("worker stdin")))?;
    let stdout = BufReader::new(child.stdout.take().ok_or_else(|| Error::Internal(anyhow::anyhow!("worker stdout")))?);
    Ok(Worker { child, stdin, stdout, group })
}

/// How a run could not start, or ended.
#[derive(Debug, PartialEq)]
pub enum End {
    /// The code ran to its end (or raised).
    Completed,
    /// Interrupted at its timeout, and stopped.
    Interrupted,
    /// Did not stop when interrupted: the worker was killed.
    TimedOut,
    /// The worker died (`os._exit`, a crash): the context starts afresh next time.
    WorkerEnded,
    /// The request was refused.
    Refused(String),
    /// The interpreter could not run it.
    Failed(String),
}

/// A run in progress: its worker's output, line by line (JSON messages), until it ends.
pub struct Run {
    slot: OwnedMutexGuard<Option<Worker>>,
    pid: i32,
    deadline: Option<tokio::time::Instant>,
    interrupted_at: Option<tokio::time::Instant>,
    /// What was read of a line not yet complete: a read cut short by the deadline keeps it.
    partial: Vec<u8>,
}

/// Starts a run on its context (the default one made when first used), waiting for the
/// context's runs before it.
pub async fn start(sandboxes: &SandboxManager, sb: &SandboxCtx, req: InterpreterRunRequest) -> Result<Run, End> {
    let code = req.code.filter(|c| !c.trim().is_empty()).ok_or_else(|| End::Refused("code is required".into()))?;
    let timeout = req.timeout.unwrap_or(DEFAULT_TIMEOUT_S);
    if timeout < 0.0 {
        return Err(End::Refused("timeout must not be negative".into()));
    }
    let envs = req.envs.unwrap_or_default();
    env_names(envs.keys()).map_err(|_| End::Refused("invalid environment variable name".into()))?;
    let id = req.context_id.filter(|c| !c.is_empty()).unwrap_or_else(|| DEFAULT.into());
    let ctx = match contexts(sandboxes).get(&sb.dto.id, &id) {
        Some(c) => c,
        None if id == DEFAULT => match new_context(sb, id.clone(), None) {
            Ok(c) => contexts(sandboxes).get_or_insert(&sb.dto.id, &id, || c),
            Err(_) => return Err(End::Failed("cannot create the default context".into())),
        },
        None => return Err(End::Refused(format!("context not found: {id}"))),
    };
    let mut slot = ctx.worker.clone().lock_owned().await;
    if slot.as_mut().is_none_or(|w| w.child.try_wait().ok().flatten().is_some()) {
        match spawn_worker(sandboxes, sb, &ctx) {
            Ok(w) => *slot = Some(w),
            Err(e) => return Err(End::Failed(format!("failed to start the interpreter: {e}"))),
        }
    }
    let Some(worker) = slot.as_mut() else { return Err(End::Failed("interpreter is not running".into())) };
    let line = serde_json::to_string(&WorkerRun { code: &code, envs: &envs }).unwrap_or_default() + "\n";
    if worker.stdin.write_all(line.as_bytes()).await.is_err() {
        return Err(End::Failed("interpreter is not running".into()));
    }
    let pid = sandboxes.jail.program_pid(worker.group.pgid());
    let deadline = (timeout > 0.0).then(|| tokio::time::Instant::now() + Duration::from_secs_f64(timeout));
    Ok(Run { slot, pid, deadline, interrupted_at: None, partial: Vec::new() })
}

/// Interrupts the code a worker runs (SIGINT, as Ctrl+C).
pub fn interrupt(pid: i32) {
    signal(pid, libc::SIGINT);
}

/// Ends a worker whose code did not stop when interrupted; its context starts afresh.
pub fn kill(pid: i32) {
    signal(pid, libc::SIGKILL);
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) on the worker's pid; no memory is touched.
    unsafe {
        libc::kill(pid, sig);
    }
}

impl Run {
    /// The worker's pid, for [`interrupt`] while the run is being read.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The next line the worker printed, or how the run ended. The line that says the run
    /// completed or was interrupted comes before the end.
    pub async fn next(&mut self) -> Result<String, End> {
        let Some(worker) = self.slot.as_mut() else { return Err(End::WorkerEnded) };
        loop {
            let wake = match (self.interrupted_at, self.deadline) {
                (Some(t), _) => Some(t + INTERRUPT_GRACE),
                (None, d) => d,
            };
            // `read_until` into a buffer that outlives the call, because the deadline may cut
            // the read short (`read_line` would lose what it had read).
            let read = worker.stdout.read_until(b'\n', &mut self.partial);
            let event = match wake {
                Some(w) => tokio::time::timeout_at(w, read).await.ok(),
                None => Some(read.await),
            };
            match event {
                Some(Ok(0)) | Some(Err(_)) => {
                    self.slot.take();
                    return Err(End::WorkerEnded);
                }
                Some(Ok(_)) => {
                    let line = std::mem::take(&mut self.partial);
                    return Ok(String::from_utf8_lossy(&line).trim_end().to_string());
                }
                None if self.interrupted_at.is_none() => {
                    interrupt(self.pid);
                    self.interrupted_at = Some(tokio::time::Instant::now());
                }
                None => {
                    self.slot.take();
                    return Err(End::TimedOut);
                }
            }
        }
    }

    /// How a run ends after `line`, if it does: the worker's `completed` or `interrupted`
    /// control message.
    pub fn end_after(&self, line: &str) -> Option<End> {
        let v = serde_json::from_str::<serde_json::Value>(line).ok()?;
        let done = v["type"] == "control" && (v["text"] == "completed" || v["text"] == "interrupted");
        done.then(|| if self.interrupted_at.is_some() { End::Interrupted } else { End::Completed })
    }
}
