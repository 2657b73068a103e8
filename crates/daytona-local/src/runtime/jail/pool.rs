//! Sandboxes made ahead of time, so that creating or starting one does not wait for the
//! slow parts: a generic [`Holder`] (namespaces, ~10 ms, and the default network, ~10 ms
//! more) and a formatted, mounted disk of the
//! default size (~20 ms). A background thread keeps a few of each ready. It sits in a
//! cgroup of its own, so what it starts is found and ended with the server's groups.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::cgroups::Cgroups;
use super::disk::{Disks, WarmDisk};
use super::holder::{Holder, Spec};
use super::network::{Network, Policy};

/// How many of each to keep ready.
const HOLDERS: usize = 3;
const DISKS: usize = 2;

#[derive(Default)]
struct Ready {
    holders: VecDeque<Holder>,
    disks: VecDeque<WarmDisk>,
}

struct Shared {
    ready: Mutex<Ready>,
    wake: Condvar,
    stopping: AtomicBool,
}

pub struct Pool {
    shared: Arc<Shared>,
    /// The size of the disks it makes.
    disk_gib: f64,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl Pool {
    /// Starts the thread that fills the pool; `tasks` are the `tasks` files of the pool's
    /// cgroups (v1), which it joins first.
    pub fn start(generic: Spec, network: Arc<Network>, disks: Arc<Disks>, disk_gib: f64, tasks: Vec<PathBuf>) -> Self {
        let shared = Arc::new(Shared { ready: Mutex::default(), wake: Condvar::new(), stopping: AtomicBool::new(false) });
        let s = shared.clone();
        let worker = std::thread::Builder::new()
            .name("sandbox-pool".into())
            .spawn(move || {
                if let Err(e) = Cgroups::join_thread(&tasks) {
                    tracing::warn!(error = %e, "sandbox pool: cannot join its cgroup; no sandboxes are made ahead");
                    return;
                }
                let mut n = 0u64;
                while !s.stopping.load(Ordering::SeqCst) {
                    let (holders, disks_ready) = {
                        let r = s.ready.lock().unwrap_or_else(|e| e.into_inner());
                        (r.holders.len(), r.disks.len())
                    };
                    if holders < HOLDERS {
                        match Holder::spawn(generic.clone()).and_then(|h| h.set_network(&network, &Policy::default()).map(|()| h)) {
                            Ok(h) => s.ready.lock().unwrap_or_else(|e| e.into_inner()).holders.push_back(h),
                            Err(e) => {
                                tracing::warn!(error = %e, "sandbox pool: holder");
                                return;
                            }
                        }
                        continue;
                    }
                    if disks_ready < DISKS {
                        n += 1;
                        match disks.warm(n, disk_gib) {
                            Ok(d) => s.ready.lock().unwrap_or_else(|e| e.into_inner()).disks.push_back(d),
                            Err(e) => {
                                tracing::warn!(error = %e, "sandbox pool: disk");
                                return;
                            }
                        }
                        continue;
                    }
                    let r = s.ready.lock().unwrap_or_else(|e| e.into_inner());
                    let full = r.holders.len() >= HOLDERS && r.disks.len() >= DISKS;
                    if full && !s.stopping.load(Ordering::SeqCst) {
                        drop(s.wake.wait(r));
                    }
                }
            })
            .ok();
        Pool { shared, disk_gib, worker: Mutex::new(worker) }
    }

    /// A generic holder with the default network, if one is ready.
    pub fn holder(&self) -> Option<Holder> {
        let h = self.shared.ready.lock().unwrap_or_else(|e| e.into_inner()).holders.pop_front();
        self.shared.wake.notify_one();
        h.filter(|h| h.alive())
    }

    /// A ready disk of `gib`, if one is (they are all of the default size).
    pub fn disk(&self, gib: f64) -> Option<WarmDisk> {
        if gib != self.disk_gib {
            return None;
        }
        let d = self.shared.ready.lock().unwrap_or_else(|e| e.into_inner()).disks.pop_front();
        self.shared.wake.notify_one();
        d
    }

    /// Stops the thread and releases what was made ahead.
    pub fn stop(&self, disks: &Disks) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.wake.notify_all();
        if let Some(w) = self.worker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = w.join();
        }
        let mut r = self.shared.ready.lock().unwrap_or_else(|e| e.into_inner());
        r.holders.drain(..).for_each(|h| h.kill());
        r.disks.drain(..).for_each(|d| disks.discard(d));
    }
}
