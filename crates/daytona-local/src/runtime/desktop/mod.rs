//! A sandbox's desktop: a real X display (Xvfb) with a window manager (openbox), both run
//! in the sandbox's jail. The display listens only on its socket file in the sandbox's own
//! `/tmp` (no TCP, no abstract socket), so no other sandbox can reach it. Programs the
//! sandbox starts while it runs get `DISPLAY`. Where the host has AT-SPI, the desktop also
//! runs an accessibility bus ([`a11y`]), which programs find through the display.

pub mod a11y;
pub mod control;
pub mod recording;
pub mod tools;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use daytona_types::toolbox::computer_use::ProcessStatus;
use tokio::io::AsyncReadExt;

use crate::runtime::command::{displays, sandbox_command, Display, DISPLAY};
use crate::runtime::processes::kill_group;
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;
use recording::Recordings;

pub const WIDTH: u32 = 1024;
pub const HEIGHT: u32 = 768;
/// Output kept of each process, for `getProcessLogs`/`getProcessErrors`.
const LOG_BYTES: usize = 64 * 1024;

/// The desktop's processes, in start order, with their priorities (as Daytona's supervisor
/// numbers them: lower starts first).
pub const PROCESSES: [(&str, i32); 2] = [("xvfb", 100), ("openbox", 200)];
/// The accessibility bus: started after [`PROCESSES`] where the host has it, not one of them
/// (a desktop without it is complete).
const A11Y: &str = "a11y";
/// Its launcher (Debian's at-spi2-core).
const A11Y_BUS: &str = "/usr/libexec/at-spi-bus-launcher";

/// Whether the host has the accessibility bus and a session bus to run it under.
pub fn a11y_available() -> bool {
    std::path::Path::new(A11Y_BUS).is_file() && crate::runtime::jail::find_program("dbus-run-session").is_some()
}

/// Each sandbox's desktop, under this id.
pub const DESKTOP: &str = "desktop";
pub type Desktops = PerSandbox<Desktop>;

/// The sandboxes' desktops, kept by the sandbox manager with the rest of what lives while a
/// sandbox runs.
pub fn desktops(sandboxes: &SandboxManager) -> Arc<Desktops> {
    sandboxes.live.of()
}

pub struct Desktop {
    pub display: u32,
    procs: Mutex<BTreeMap<&'static str, Proc>>,
    pub recordings: Recordings,
}

#[derive(Default)]
struct Proc {
    /// Process group of the running process; None once it exited or was stopped.
    pgid: Arc<Mutex<Option<i32>>>,
    logs: Arc<Mutex<Vec<u8>>>,
    errors: Arc<Mutex<Vec<u8>>>,
}

impl Proc {
    fn pgid(&self) -> Option<i32> {
        *self.pgid.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ends the process, if it runs.
    fn end(&self) {
        if let Some(pgid) = self.pgid.lock().unwrap_or_else(|e| e.into_inner()).take() {
            kill_group(pgid);
        }
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        self.procs.get_mut().unwrap_or_else(|e| e.into_inner()).values().for_each(Proc::end);
        if let Some(taken) = TAKEN.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            taken.remove(&self.display);
        }
    }
}

/// Display numbers in use by this server; with isolation off, sandboxes share the host's
/// `/tmp/.X11-unix`, so the number must also be free there.
static TAKEN: Mutex<Option<HashSet<u32>>> = Mutex::new(None);

fn allocate_display() -> u32 {
    let mut taken = TAKEN.lock().unwrap_or_else(|e| e.into_inner());
    let taken = taken.get_or_insert_with(HashSet::new);
    let n = (100..).find(|n| !taken.contains(n) && !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()).unwrap_or(100);
    taken.insert(n);
    n
}

/// A new desktop takes a display number of its own.
impl Default for Desktop {
    fn default() -> Self {
        Desktop { display: allocate_display(), procs: Default::default(), recordings: Default::default() }
    }
}

impl Desktop {
    pub fn display_env(&self) -> String {
        format!(":{}", self.display)
    }

    /// `-noreset`: without it the server resets whenever its last client leaves (the
    /// readiness probe, or the last window closing), and a client coming in meanwhile fails.
    fn command(&self, name: &str) -> (&'static str, Vec<String>) {
        match name {
            "xvfb" => (
                "Xvfb",
                [&self.display_env(), "-screen", "0", &format!("{WIDTH}x{HEIGHT}x24"), "-nolisten", "tcp", "-nolisten", "local", "-noreset"]
                    .map(String::from)
                    .to_vec(),
            ),
            A11Y => ("dbus-run-session", ["--", A11Y_BUS, "--launch-immediately"].map(String::from).to_vec()),
            _ => ("openbox", Vec::new()),
        }
    }

    /// Starts every process that is not running, in order; waits for the display.
    pub async fn start(&self, sandboxes: &SandboxManager, sb: &SandboxCtx) -> Result<(), Error> {
        for (name, _) in PROCESSES {
            if !self.running(name) {
                self.spawn(sandboxes, sb, name).await?;
            }
        }
        if a11y_available() && !self.running(A11Y) {
            self.spawn(sandboxes, sb, A11Y).await?;
        }
        Ok(())
    }

    async fn spawn(&self, sandboxes: &SandboxManager, sb: &SandboxCtx, name: &'static str) -> Result<(), Error> {
        let (program, args) = self.command(name);
        let envs = BTreeMap::from([("DISPLAY".to_string(), self.display_env())]);
        let mut cmd = sandbox_command(sandboxes, sb, program, None, &envs)?;
        cmd.args(&args).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        cmd.kill_on_drop(false);
        let (mut child, group) = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
        let pgid = group.pgid();
        let proc = Proc::default();
        *proc.pgid.lock().unwrap_or_else(|e| e.into_inner()) = Some(pgid);
        tokio::spawn(keep_tail(child.stdout.take(), proc.logs.clone()));
        tokio::spawn(keep_tail(child.stderr.take(), proc.errors.clone()));
        let slot = proc.pgid.clone();
        // While the X server runs, programs the sandbox starts open their windows on it. Its
        // watcher takes the display back if it exits on its own; stopped or restarted, its
        // slot is empty by then, and whoever stopped it does.
        let announced = (name == "xvfb").then(|| {
            let displays = displays(sandboxes);
            displays.insert(&sb.dto.id, DISPLAY, Arc::new(Display(self.display_env())));
            (displays, sb.dto.id.clone())
        });
        tokio::spawn(async move {
            let _ = child.wait().await;
            group.release();
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            if *slot == Some(pgid) {
                *slot = None;
                if let Some((displays, sandbox)) = announced {
                    displays.remove(&sandbox, DISPLAY);
                }
            }
        });
        self.procs.lock().unwrap_or_else(|e| e.into_inner()).insert(name, proc);
        if name == "xvfb" {
            // The display is up when its socket takes connections: the file appears (bind)
            // a moment before it listens, and a client that comes in between is refused.
            // Jailed, the socket is in the sandbox's own /tmp; without isolation, the host's.
            let socket = if sandboxes.jail.is_on() {
                sb.fs.resolve(&format!("/tmp/.X11-unix/X{}", self.display))?.host
            } else {
                std::path::PathBuf::from(format!("/tmp/.X11-unix/X{}", self.display))
            };
            for _ in 0..100 {
                if tokio::net::UnixStream::connect(&socket).await.is_ok() {
                    return Ok(());
                }
                if !self.running(name) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            return Err(Error::Internal(anyhow::anyhow!("Xvfb did not start: {}", self.output(name, false))));
        }
        if name == A11Y {
            // Programs look for the bus as they start, so it is up before start answers: its
            // socket is in the home's cache (no XDG_RUNTIME_DIR here), named after the display.
            let socket = sb.fs.resolve(&format!(".cache/at-spi/bus_{}", self.display))?.host;
            for _ in 0..100 {
                if socket.exists() || !self.running(name) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Ok(())
    }

    /// Ends every process (last started first).
    pub fn stop(&self) {
        let procs = self.procs.lock().unwrap_or_else(|e| e.into_inner());
        std::iter::once(A11Y).chain(PROCESSES.iter().rev().map(|(name, _)| *name)).filter_map(|name| procs.get(name)).for_each(Proc::end);
    }

    pub async fn restart(&self, sandboxes: &SandboxManager, sb: &SandboxCtx, name: &'static str) -> Result<(), Error> {
        if let Some(p) = self.procs.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            p.end();
        }
        self.spawn(sandboxes, sb, name).await
    }

    pub fn running(&self, name: &str) -> bool {
        self.procs.lock().unwrap_or_else(|e| e.into_inner()).get(name).is_some_and(|p| p.pgid().is_some())
    }

    pub fn status(&self) -> BTreeMap<String, ProcessStatus> {
        let procs = self.procs.lock().unwrap_or_else(|e| e.into_inner());
        status_of(|name| procs.get(name).and_then(Proc::pgid).map(|p| p as u32))
    }

    /// What a process wrote to stdout (`errors`: stderr), the last 64 KiB.
    pub fn output(&self, name: &str, errors: bool) -> String {
        let procs = self.procs.lock().unwrap_or_else(|e| e.into_inner());
        let Some(p) = procs.get(name) else { return String::new() };
        let buf = if errors { &p.errors } else { &p.logs };
        let text = String::from_utf8_lossy(&buf.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
        text
    }
}

/// Every desktop process's status, given the pid of those running.
pub fn status_of(pid: impl Fn(&str) -> Option<u32>) -> BTreeMap<String, ProcessStatus> {
    PROCESSES
        .iter()
        .map(|(name, priority)| {
            let pid = pid(name);
            (name.to_string(), ProcessStatus { running: pid.is_some(), priority: *priority, auto_restart: false, pid })
        })
        .collect()
}

/// A process name of the request, as the desktop knows it.
pub fn process_name(name: &str) -> Result<&'static str, Error> {
    PROCESSES
        .iter()
        .map(|(n, _)| *n)
        .find(|n| *n == name)
        .ok_or_else(|| Error::NotFound(format!("no desktop process {name:?}: the processes are {}", PROCESSES.map(|(n, _)| n).join(", "))))
}

async fn keep_tail(from: Option<impl tokio::io::AsyncRead + Unpin>, into: Arc<Mutex<Vec<u8>>>) {
    let Some(mut from) = from else { return };
    let mut buf = vec![0u8; 8192];
    while let Ok(n @ 1..) = from.read(&mut buf).await {
        let mut tail = into.lock().unwrap_or_else(|e| e.into_inner());
        tail.extend_from_slice(&buf[..n]);
        let excess = tail.len().saturating_sub(LOG_BYTES);
        tail.drain(..excess);
    }
}
