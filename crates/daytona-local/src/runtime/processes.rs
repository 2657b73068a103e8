//! Every process group a sandbox starts, so stopping or deleting the sandbox can kill them
//! all, and a timed-out command takes its whole group with it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

#[derive(Default)]
pub struct Processes {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    groups: HashMap<String, HashSet<i32>>,
    /// Builds being cancelled: a group one of them registers is killed at once, since it
    /// may have started after the cancel killed the rest.
    cancelled: HashSet<String>,
}

/// Sends SIGKILL to a whole process group.
pub fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: kill(2) with a negative pid signals the group; no memory is touched.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

impl Processes {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn register(&self, sandbox: &str, pgid: i32) {
        let mut inner = self.lock();
        if inner.cancelled.contains(sandbox) {
            kill_group(pgid);
        }
        inner.groups.entry(sandbox.to_string()).or_default().insert(pgid);
    }

    pub fn unregister(&self, sandbox: &str, pgid: i32) {
        if let Some(set) = self.lock().groups.get_mut(sandbox) {
            set.remove(&pgid);
        }
    }

    /// Kills every group the sandbox started.
    pub fn kill_all(&self, sandbox: &str) {
        for pgid in self.lock().groups.remove(sandbox).unwrap_or_default() {
            kill_group(pgid);
        }
    }

    /// Cancels a build: kills what it runs now and whatever it starts until [`forget`](Self::forget).
    pub fn cancel(&self, build: &str) {
        self.lock().cancelled.insert(build.to_string());
        self.kill_all(build);
    }

    pub fn is_cancelled(&self, build: &str) -> bool {
        self.lock().cancelled.contains(build)
    }

    /// The build has ended: its id is never used again.
    pub fn forget(&self, build: &str) {
        let mut inner = self.lock();
        inner.cancelled.remove(build);
        inner.groups.remove(build);
    }
}

/// Sends SIGKILL to every process of a session (a terminal's: an interactive shell puts
/// each job in a process group of its own, so killing one group is not enough).
pub fn kill_session(sid: i32) {
    if sid <= 1 {
        return;
    }
    let Ok(procs) = std::fs::read_dir("/proc") else { return };
    for entry in procs.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // After the command name in parentheses: state, ppid, pgrp, session.
        let session = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(3)?.parse::<i32>().ok());
        if session == Some(sid) {
            // SAFETY: kill(2) on a pid just read; no memory is touched.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// Whether any process of the group is still alive.
pub fn group_alive(pgid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    pgid > 1 && unsafe { libc::kill(-pgid, 0) } == 0
}

/// Kills a process group when dropped unless [`finished`](Self::finished) was called, so a
/// request that is cancelled or times out never leaves its processes behind.
pub struct GroupGuard<'a> {
    pub procs: &'a Processes,
    pub sandbox: String,
    pub pgid: i32,
    pub armed: bool,
}

impl<'a> GroupGuard<'a> {
    pub fn new(procs: &'a Processes, sandbox: &str, pgid: i32) -> Self {
        procs.register(sandbox, pgid);
        GroupGuard { procs, sandbox: sandbox.to_string(), pgid, armed: true }
    }

    /// The main process ended normally: background processes it left keep running (until
    /// the sandbox stops), and the group is forgotten once it is empty.
    pub fn finished(mut self) {
        self.armed = false;
        if !group_alive(self.pgid) {
            self.procs.unregister(&self.sandbox, self.pgid);
        }
    }
}

impl Drop for GroupGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            kill_group(self.pgid);
            self.procs.unregister(&self.sandbox, self.pgid);
        }
    }
}
