//! PTY sessions: a real pseudo-terminal running an interactive shell.
//! Output goes to every attached client with back-pressure (a slow client slows the
//! terminal, as a real one would, and loses nothing; one that stops reading is dropped by
//! its connection's send timeout), and a bounded buffer of recent output lets a client that
//! reconnects see what it missed, from where it left off when it says so. The exit reaches
//! every client.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::sync::{Arc, Mutex};

use daytona_types::toolbox::process::{PtyExit, PtySessionInfo};
use portable_pty::{native_pty_system, MasterPty, PtySize};
use tokio::sync::{mpsc, watch};

use crate::runtime::command::{jailed, shell};
use crate::runtime::processes::{kill_group, kill_session};
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// Output kept for clients that (re)connect later.
const REPLAY_BYTES: usize = 1024 * 1024;
/// Chunks queued per client before the terminal waits for it.
const CLIENT_QUEUE: usize = 64;

/// How the shell ended: exit code and the reason clients are told.
#[derive(Debug, Clone, PartialEq)]
pub struct Exit {
    pub code: i32,
    pub reason: Option<&'static str>,
}

impl Exit {
    fn from_code(code: i32) -> Self {
        let reason = match code {
            0 => None,
            130 => Some("Ctrl+C"),
            137 => Some("SIGKILL"),
            143 => Some("SIGTERM"),
            c if c > 128 => Some("signal"),
            _ => Some("non-zero exit"),
        };
        Exit { code, reason }
    }

    /// The close frame's reason.
    pub fn close_reason(&self) -> String {
        let exit = PtyExit { exit_code: Some(self.code), exit_reason: self.reason.map(Into::into), error: None };
        serde_json::to_string(&exit).unwrap_or_default()
    }
}

struct Output {
    replay: VecDeque<u8>,
    /// Bytes the terminal has produced in all; the replay holds the last of them.
    produced: u64,
    clients: Vec<mpsc::Sender<Vec<u8>>>,
}

pub struct Pty {
    info: Mutex<PtySessionInfo>,
    master: Mutex<Box<dyn MasterPty + Send>>,
    writer: Mutex<Box<dyn Write + Send>>,
    output: Mutex<Output>,
    exit: watch::Sender<Option<Exit>>,
    pgid: i32,
    killed: std::sync::atomic::AtomicBool,
}

/// All PTYs.
pub type Ptys = PerSandbox<Pty>;

/// The sandboxes' ptys, kept by the sandbox manager with the rest of what lives while a sandbox runs.
pub fn ptys(sandboxes: &SandboxManager) -> Arc<Ptys> {
    sandboxes.live.of()
}

/// What a new terminal runs, and where.
pub struct Terminal<'a> {
    pub id: &'a str,
    pub cwd: Option<&'a str>,
    pub cols: u16,
    pub rows: u16,
    pub envs: std::collections::BTreeMap<String, String>,
    /// A command for the shell to run (`-c`); None for an interactive shell.
    pub command: Option<&'a str>,
}

impl Pty {
    /// Registers a client: the replay from `from` (a count of bytes produced; the whole
    /// replay when `None` or older than it), the offset it starts at, and a queue for what
    /// follows, taken under one lock so nothing falls between them.
    pub fn attach(&self, from: Option<u64>) -> (u64, Vec<u8>, mpsc::Receiver<Vec<u8>>) {
        let (tx, rx) = mpsc::channel(CLIENT_QUEUE);
        let mut out = self.output.lock().unwrap_or_else(|e| e.into_inner());
        out.clients.push(tx);
        let oldest = out.produced - out.replay.len() as u64;
        let start = from.unwrap_or(0).clamp(oldest, out.produced);
        (start, out.replay.iter().skip((start - oldest) as usize).copied().collect(), rx)
    }

    /// The exit code, once the shell has ended and all its output was delivered.
    pub async fn exited(&self) -> i32 {
        let mut exit = self.exit.subscribe();
        let code = exit.wait_for(|e| e.is_some()).await.ok().and_then(|e| e.as_ref().map(|e| e.code));
        code.unwrap_or(-1)
    }

    /// False once the shell has ended.
    pub fn resize(&self, cols: u16, rows: u16) -> bool {
        if self.exit.borrow().is_some() {
            return false;
        }
        let resized = self.master.lock().unwrap_or_else(|e| e.into_inner()).resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 });
        let mut info = self.info.lock().unwrap_or_else(|e| e.into_inner());
        (info.cols, info.rows) = (cols, rows);
        resized.is_ok()
    }

    /// Ends the shell's session: it and every job it started.
    pub fn kill(&self, sandboxes: &SandboxManager) {
        self.killed.store(true, std::sync::atomic::Ordering::SeqCst);
        kill_session(sandboxes.jail.program_pid(self.pgid));
        kill_group(self.pgid);
    }

    /// How the shell ended, once it has.
    pub fn exit(&self) -> Option<Exit> {
        self.exit.borrow().clone()
    }

    /// Hears the exit.
    pub fn exit_watch(&self) -> watch::Receiver<Option<Exit>> {
        self.exit.subscribe()
    }

    pub fn info(&self) -> PtySessionInfo {
        let mut info = self.info.lock().unwrap_or_else(|e| e.into_inner()).clone();
        info.active = self.exit.borrow().is_none();
        info
    }
}

/// Reads the terminal until it closes; each chunk goes to the replay buffer and, with
/// back-pressure, to every client.
fn pump_output(pty: Arc<Pty>, mut reader: Box<dyn Read + Send>) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = buf[..n].to_vec();
        let clients = {
            let mut out = pty.output.lock().unwrap_or_else(|e| e.into_inner());
            out.replay.extend(&chunk);
            out.produced += chunk.len() as u64;
            let excess = out.replay.len().saturating_sub(REPLAY_BYTES);
            out.replay.drain(..excess);
            out.clients.retain(|c| !c.is_closed());
            out.clients.clone()
        };
        for c in clients {
            let _ = c.blocking_send(chunk.clone());
        }
    }
}

/// Starts a shell on a new terminal. Not listed among the sandbox's PTY sessions until the
/// caller adds it (SSH's terminals are not).
pub fn spawn_pty(sandboxes: &SandboxManager, sb: &SandboxCtx, t: Terminal) -> Result<Arc<Pty>, Error> {
    let Terminal { id, cols, rows, envs, .. } = t;
    let cwd = match t.cwd.filter(|c| !c.is_empty()) {
        Some(c) => sb.fs.resolve(c)?,
        None => sb.fs.resolve("")?,
    };
    let pair =
        native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).map_err(|e| Error::Internal(anyhow::anyhow!("openpty: {e}")))?;
    let mut cmd = jailed(sandboxes, sb, shell(), Some(&cwd.virt), &envs)?;
    match t.command {
        Some(c) => cmd.arg("-c").arg(c),
        None => cmd.arg("-i"),
    };
    if !envs.contains_key("TERM") {
        cmd.env("TERM", "xterm-256color");
    }
    // The shell gets the terminal as its stdio and controlling terminal, leading a session
    // of its own. portable-pty spawns only plain commands, and this one must also join the
    // jail, so it is spawned here from the slave's path. The hook below runs after the
    // jail's, in the shell's own process; what was spawned leads a process group.
    let tty = pair.master.tty_name().ok_or_else(|| Error::Internal(anyhow::anyhow!("PTY has no name")))?;
    let slave = std::fs::OpenOptions::new().read(true).write(true).custom_flags(libc::O_NOCTTY).open(&tty)?;
    cmd.stdin(slave.try_clone()?).stdout(slave.try_clone()?).stderr(slave).process_group(0);
    // SAFETY: setsid and ioctl are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
    drop(pair.slave);
    let pgid = group.pgid();
    let reader = pair.master.try_clone_reader().map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    let writer = pair.master.take_writer().map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    let info =
        PtySessionInfo { id: id.to_string(), cwd: cwd.virt, envs, cols, rows, created_at: chrono::Utc::now().to_rfc3339(), active: true, lazy_start: false };
    let pty = Arc::new(Pty {
        info: Mutex::new(info),
        master: Mutex::new(pair.master),
        writer: Mutex::new(writer),
        output: Mutex::new(Output { replay: VecDeque::new(), produced: 0, clients: Vec::new() }),
        exit: watch::channel(None).0,
        pgid,
        killed: Default::default(),
    });
    let reader_pty = pty.clone();
    let reader_thread = std::thread::spawn(move || pump_output(reader_pty, reader));
    let waiter = pty.clone();
    std::thread::spawn(move || {
        let status = child.wait();
        // All output is delivered before anyone hears of the exit.
        let _ = reader_thread.join();
        let code = if waiter.killed.load(std::sync::atomic::Ordering::SeqCst) {
            137
        } else {
            status.map(|s| s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0))).unwrap_or(-1)
        };
        group.release();
        waiter.exit.send_replace(Some(Exit::from_code(code)));
    });
    Ok(pty)
}

pub async fn write_input(pty: &Arc<Pty>, bytes: Vec<u8>) {
    let pty = pty.clone();
    let _ = tokio::task::spawn_blocking(move || {
        let mut w = pty.writer.lock().unwrap_or_else(|e| e.into_inner());
        let _ = w.write_all(&bytes).and_then(|_| w.flush());
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_reasons() {
        assert_eq!(Exit::from_code(0).close_reason(), r#"{"exitCode":0}"#);
        assert_eq!(Exit::from_code(3).close_reason(), r#"{"exitCode":3,"exitReason":"non-zero exit"}"#);
        assert_eq!(Exit::from_code(137).reason, Some("SIGKILL"));
    }
}
