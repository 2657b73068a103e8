//! Sessions: a long-lived shell per session, so `cd` and exported variables
//! persist between commands. Each command's stdout and stderr go through FIFOs of their
//! own into a labelled log (`01 01 01` / `02 02 02` per line), which is what clients read.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use daytona_types::framing::demux::{encode_line, split, Stream};
use daytona_types::toolbox::process::{Command, Session, SessionCommandLogs};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::sync::watch;

use crate::runtime::command::{sandbox_command, shell};
use crate::runtime::processes::Group;
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// The session a sandbox's entrypoint runs in; no one else may create it.
pub const ENTRYPOINT: &str = "entrypoint";

/// One command run in a session.
pub struct CommandRun {
    pub id: String,
    pub command: String,
    /// The labelled log so far.
    pub log: Mutex<Vec<u8>>,
    /// Bumped whenever the log grows or the command ends, for waiters and followers.
    pub changed: watch::Sender<u64>,
    pub exit_code: Mutex<Option<i32>>,
    /// Input sent to the command is echoed into its log unless this is set.
    suppress_echo: bool,
}

impl CommandRun {
    pub fn exit_code(&self) -> Option<i32> {
        *self.exit_code.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn append(&self, bytes: &[u8]) {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn log_snapshot(&self) -> Vec<u8> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn info(&self) -> Command {
        Command { id: self.id.clone(), command: self.command.clone(), exit_code: self.exit_code() }
    }
}

pub struct SessionState {
    id: String,
    /// Where the per-command FIFOs and exit files live (outside the sandbox's home and /tmp).
    dir: PathBuf,
    /// `dir` as the session's shell sees it.
    dir_seen: PathBuf,
    stdin: tokio::sync::Mutex<tokio::process::ChildStdin>,
    /// The shell's process group: killed when the session is deleted or ends with its sandbox.
    group: Group,
    commands: Mutex<Vec<Arc<CommandRun>>>,
}

impl SessionState {
    pub fn info(&self) -> Session {
        let commands = self.commands.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|c| c.info()).collect();
        Session { session_id: self.id.clone(), commands }
    }

    /// The first command run in the session (the entrypoint's, in its session).
    pub fn first_command(&self) -> Option<Arc<CommandRun>> {
        self.commands.lock().unwrap_or_else(|e| e.into_inner()).first().cloned()
    }

    fn command(&self, id: &str) -> Result<Arc<CommandRun>, Error> {
        self.commands
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("not found: command {id} not found")))
    }
}

/// All sessions.
pub type Sessions = PerSandbox<SessionState>;

/// The sandboxes' sessions, kept by the sandbox manager with the rest of what lives while a sandbox runs.
pub fn sessions(sandboxes: &SandboxManager) -> Arc<Sessions> {
    sandboxes.live.of()
}

pub fn session(sandboxes: &SandboxManager, sandbox: &str, id: &str) -> Result<Arc<SessionState>, Error> {
    sessions(sandboxes).get(sandbox, id).ok_or_else(|| Error::NotFound(format!("not found: session {id} not found")))
}

/// A command run of a session.
pub fn command(sandboxes: &SandboxManager, sandbox: &str, session_id: &str, command: &str) -> Result<Arc<CommandRun>, Error> {
    session(sandboxes, sandbox, session_id)?.command(command)
}

fn mkfifo(path: &Path) -> std::io::Result<()> {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: a valid NUL-terminated path; mkfifo does not keep the pointer.
    if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Reads one FIFO line by line into the command's log with the stream's marker.
async fn label(path: PathBuf, stream: Stream, run: Arc<CommandRun>) {
    let Ok(rx) = tokio::net::unix::pipe::OpenOptions::new().open_receiver(&path) else { return };
    let mut reader = tokio::io::BufReader::with_capacity(64 * 1024, rx);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if line.last() != Some(&b'\n') {
                    line.push(b'\n');
                }
                let mut framed = Vec::with_capacity(line.len() + 3);
                encode_line(stream, &line, &mut framed);
                run.append(&framed);
            }
        }
    }
}

/// Opens a session of the sandbox under a client's id.
pub fn create(sandboxes: &SandboxManager, sb: &SandboxCtx, requested: &str) -> Result<(), Error> {
    let id = requested.trim();
    if id.is_empty() || id == ENTRYPOINT || id.contains('/') {
        return Err(Error::Invalid(format!("bad request: invalid session id {requested:?}")));
    }
    if sessions(sandboxes).contains(&sb.dto.id, id) {
        return Err(Error::Conflict(format!("conflict: session {id} already exists")));
    }
    open(sandboxes, sb, id).map(drop)
}

/// Ends a session: its shell and every command it runs.
pub fn delete(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<(), Error> {
    let session = sessions(sandboxes).remove(&sb.dto.id, id).ok_or_else(|| Error::NotFound(format!("not found: session {id} not found")))?;
    session.group.kill();
    let _ = std::fs::remove_dir_all(&session.dir);
    Ok(())
}

impl CommandRun {
    /// Waits until the command has ended.
    pub async fn finished(&self) {
        let mut changes = self.changed.subscribe();
        while self.exit_code().is_none() {
            if changes.changed().await.is_err() {
                break;
            }
        }
    }
}

/// Sends a line of input to a running command (echoed into its log unless it asked not to).
pub async fn send_input(sandboxes: &SandboxManager, sb: &SandboxCtx, sid: &str, cid: &str, data: String) -> Result<(), Error> {
    let session = session(sandboxes, &sb.dto.id, sid)?;
    let run = session.command(cid)?;
    if run.exit_code().is_some() {
        return Err(Error::coded(410, "COMMAND_ALREADY_COMPLETED", format!("gone: command {cid} has already completed")));
    }
    let mut data = data.into_bytes();
    if data.last() != Some(&b'\n') {
        data.push(b'\n');
    }
    // The echo goes into the log first: what the input makes the command print comes after.
    if !run.suppress_echo {
        let mut echo = Vec::new();
        encode_line(Stream::Stdout, &data, &mut echo);
        run.append(&echo);
    }
    session.stdin.lock().await.write_all(&data).await.map_err(|_| Error::coded(410, "SESSION_ENDED", format!("gone: session {sid} has ended")))?;
    Ok(())
}

/// Starts a session's shell in the sandbox's jail and registers the session.
fn open(sandboxes: &SandboxManager, sb: &SandboxCtx, id: &str) -> Result<Arc<SessionState>, Error> {
    let dir = sb.tree.run.join("sessions").join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&dir)?;
    let dir_seen = sandboxes.jail.visible(&sb.tree, &dir);
    let mut cmd = sandbox_command(sandboxes, sb, shell(), None, &Default::default())?;
    cmd.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).kill_on_drop(false);
    let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    let stdin = child.stdin.take().ok_or_else(|| Error::Internal(anyhow::anyhow!("session shell has no stdin")))?;
    // Reap the shell when it exits, whatever ends it.
    tokio::spawn(async move {
        let _ = child.wait().await;
    });
    let session = Arc::new(SessionState { id: id.to_string(), dir, dir_seen, stdin: tokio::sync::Mutex::new(stdin), group, commands: Mutex::new(Vec::new()) });
    sessions(sandboxes).insert(&sb.dto.id, id, session.clone());
    Ok(session)
}

/// The sandbox's entrypoint session: opened on first use after each start, running the
/// command its snapshot starts it with (none for the default snapshot).
pub async fn entrypoint(sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<Arc<SessionState>, Error> {
    // One opener at a time, so a start and a request never open it twice.
    static OPENING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _opening = OPENING.lock().await;
    if let Some(session) = sessions(sandboxes).get(&sb.dto.id, ENTRYPOINT) {
        return Ok(session);
    }
    let session = open(sandboxes, sb, ENTRYPOINT)?;
    if let Some(command) = sandboxes.entrypoint_of(&sb.dto) {
        start_command(&session, command, true).await?;
    }
    Ok(session)
}

/// Starts each sandbox's entrypoint as the sandbox starts (created, started again, or built),
/// for sandboxes whose snapshot has one; the others get an empty session when asked.
pub async fn run_entrypoints(sandboxes: Arc<SandboxManager>) {
    let mut changes = sandboxes.events.subscribe();
    loop {
        let change = match changes.recv().await {
            Ok(change) => change,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        if change.sandbox.state != Some(daytona_types::api::sandbox::SandboxState::Started) || sandboxes.entrypoint_of(&change.sandbox).is_none() {
            continue;
        }
        let sandboxes = sandboxes.clone();
        tokio::spawn(async move {
            let started = async { entrypoint(&sandboxes, &SandboxCtx::open(&sandboxes, &change.sandbox.id)?).await };
            if let Err(e) = started.await {
                tracing::warn!(sandbox = %change.sandbox.id, error = %e, "entrypoint not started");
            }
        });
    }
}

/// How long output may keep arriving after a command's exit code is written.
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// Starts a command in the session's shell and returns its run; a task records the exit.
pub async fn start_command(session: &Arc<SessionState>, command: String, suppress_echo: bool) -> Result<Arc<CommandRun>, Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let dir = session.dir.join(&id);
    std::fs::create_dir_all(&dir)?;
    // The shell names the files by where it sees them.
    let seen = session.dir_seen.join(&id);
    let (out, err, exit) = (dir.join("stdout"), dir.join("stderr"), dir.join("exit_code"));
    mkfifo(&out)?;
    mkfifo(&err)?;
    let run = Arc::new(CommandRun {
        id,
        command: command.clone(),
        log: Mutex::new(Vec::new()),
        changed: watch::channel(0).0,
        exit_code: Mutex::new(None),
        suppress_echo,
    });
    // Readers first: the shell's redirections block until the FIFOs have readers.
    let readers = [tokio::spawn(label(out.clone(), Stream::Stdout, run.clone())), tokio::spawn(label(err.clone(), Stream::Stderr, run.clone()))];
    let q = |name: &str| shell_words::quote(&seen.join(name).display().to_string()).into_owned();
    // Through `command eval` of the quoted text, so a command that does not parse fails with
    // status 2 instead of ending the session's shell (pasted as it is, a stray `)` would;
    // `command` keeps a special built-in's syntax error from ending a POSIX shell too).
    let script = format!(
        "{{ command eval {}\n}} > {} 2> {}; echo $? > {}; mv {} {}\n",
        shell_words::quote(&command),
        q("stdout"),
        q("stderr"),
        q("exit_code.tmp"),
        q("exit_code.tmp"),
        q("exit_code")
    );
    if session.stdin.lock().await.write_all(script.as_bytes()).await.is_err() {
        return Err(Error::coded(410, "SESSION_ENDED", format!("gone: session {} has ended", session.id)));
    }
    let watcher = run.clone();
    tokio::spawn(async move {
        let code = loop {
            if let Ok(text) = tokio::fs::read_to_string(&exit).await {
                break text.trim().parse().unwrap_or(-1);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        for r in readers {
            let _ = tokio::time::timeout(DRAIN_GRACE, r).await;
        }
        *watcher.exit_code.lock().unwrap_or_else(|e| e.into_inner()) = Some(code);
        watcher.changed.send_modify(|n| *n += 1);
        let _ = tokio::fs::remove_dir_all(dir).await;
    });
    session.commands.lock().unwrap_or_else(|e| e.into_inner()).push(run.clone());
    Ok(run)
}

/// A command's logs so far: the labelled log, and each stream alone.
pub fn logs_of(run: &CommandRun) -> SessionCommandLogs {
    let log = run.log_snapshot();
    let (stdout, stderr) = split(&log);
    SessionCommandLogs {
        output: String::from_utf8_lossy(&log).into_owned(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}
