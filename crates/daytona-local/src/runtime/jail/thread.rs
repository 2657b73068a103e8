//! A thread per running sandbox, on which every process of the sandbox is spawned. A
//! process starts in the cgroups of the thread that forks it, so placing this one thread in
//! the sandbox's cgroups once (cgroup v1 allows single threads there) spares each new
//! process a cgroup migration, which costs 6-20 ms per hierarchy (the kernel waits out an
//! RCU grace period each time).

use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::JoinHandle;

use super::cgroups::Cgroups;

type Job = Box<dyn FnOnce() + Send>;

pub struct SandboxThread {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

impl SandboxThread {
    /// Starts the thread and moves it into the groups whose `tasks` files are given.
    pub fn start(id: &str, tasks: Vec<PathBuf>) -> io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (ready_tx, ready) = mpsc::channel::<io::Result<()>>();
        // Spawning tokio processes needs the runtime's context on this thread too.
        let runtime = tokio::runtime::Handle::try_current().ok();
        let handle = std::thread::Builder::new().name(format!("sandbox-{id}")).spawn(move || {
            let placed = Cgroups::join_thread(&tasks);
            let ok = placed.is_ok();
            let _ = ready_tx.send(placed);
            if !ok {
                return;
            }
            let _context = runtime.as_ref().map(|r| r.enter());
            for job in queue {
                job();
            }
        })?;
        ready.recv().map_err(|_| io::Error::other("sandbox thread ended at start"))??;
        Ok(SandboxThread { jobs: Mutex::new(Some(jobs)), handle: Mutex::new(Some(handle)) })
    }

    /// Runs `f` on the thread and waits for its result.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> io::Result<T> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.as_ref().ok_or_else(|| io::Error::other("sandbox is stopping"))?.send(job).map_err(|_| io::Error::other("sandbox thread ended"))?;
        drop(jobs);
        rx.recv().map_err(|_| io::Error::other("sandbox thread ended"))
    }

    /// Ends the thread (it leaves the sandbox's cgroups as it exits).
    pub fn stop(&self) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(h) = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = h.join();
        }
    }
}
