//! Snapshots: the templates sandboxes start from. A snapshot named after an
//! image is this host's system as it is (daytona-local has no container engine); one with
//! a Dockerfile is built in the background ([`crate::runtime::image_builder`]), its log written as it goes,
//! and its template is the home directory the build left.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use daytona_types::api::sandbox::{BuildInfo, Sandbox, SandboxState};
use daytona_types::api::snapshot::{CreateSnapshot, PaginatedSnapshots, Snapshot};

use crate::runtime::copy_tree::copy_tree;
use crate::runtime::image_builder::{dockerfile, Builder, ImageConfig};
use crate::runtime::in_background;
use crate::runtime::sandboxes::{SandboxManager, DEFAULT_CPU, DEFAULT_DISK, DEFAULT_MEMORY};
use crate::runtime::store::{SnapshotRecord, StoreError};
use crate::runtime::time::{iso, now_ms};
use crate::runtime::validate::amount;
use crate::runtime::Error;

const GIB: f64 = (1u64 << 30) as f64;
/// The bucket clients upload build contexts to.
pub const BUILD_BUCKET: &str = "daytona-volume-builds";

/// Snapshot names look like image references: `my-snap`, `team/python:3.12`.
fn validate_snapshot_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
    if !ok {
        return Err(Error::invalid("name must be 1-255 characters of letters, digits, '-', '_', '.', ':' or '/'"));
    }
    Ok(())
}

fn snapshot_not_found(id_or_name: &str) -> Error {
    Error::NotFound(format!("Snapshot {id_or_name} not found"))
}

fn size_gib(dir: &Path) -> f64 {
    let bytes: u64 = walkdir::WalkDir::new(dir).into_iter().flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum();
    (bytes as f64 / GIB * 1000.0).round() / 1000.0
}

impl SandboxManager {
    fn snapshot_dir(&self, id: &str) -> PathBuf {
        self.snapshots_root.join(id)
    }

    /// The home directory sandboxes from the snapshot start with.
    pub(crate) fn snapshot_template(&self, id: &str) -> PathBuf {
        self.snapshot_dir(id).join("home")
    }

    pub fn snapshot_log(&self, id: &str) -> PathBuf {
        self.snapshot_dir(id).join("build.log")
    }

    /// The uploaded context with this hash (`<org>/<hash>/context.tar` in the build bucket).
    fn context_tar(&self, hash: &str) -> Option<PathBuf> {
        if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let tar = self.objects_root.join(BUILD_BUCKET).join(&self.organization_id).join(hash).join("context.tar");
        tar.is_file().then_some(tar)
    }

    fn load_snapshot(&self, id_or_name: &str) -> Result<SnapshotRecord, Error> {
        self.store.snapshot(id_or_name)?.ok_or_else(|| snapshot_not_found(id_or_name))
    }

    pub fn snapshot(&self, id_or_name: &str) -> Result<Snapshot, Error> {
        Ok(self.load_snapshot(id_or_name)?.dto)
    }

    /// A snapshot sandboxes can start from now.
    pub(crate) fn active_snapshot(&self, id_or_name: &str) -> Result<SnapshotRecord, Error> {
        let rec = self.load_snapshot(id_or_name)?;
        if rec.dto.state != "active" {
            return Err(Error::invalid(format!("Snapshot {id_or_name} is {}", rec.dto.state)));
        }
        Ok(rec)
    }

    /// One page, newest first (page is 1-based; limit 1-200, default 100).
    /// `GET /snapshots`: a page, newest first; with `sourceSandboxId`, only snapshots taken
    /// of that sandbox, which no snapshot here is yet (every one is built or named).
    pub fn snapshots(&self, page: Option<u64>, limit: Option<u64>, source_sandbox_id: Option<&str>) -> Result<PaginatedSnapshots, Error> {
        let (page, limit) = (page.unwrap_or(1), limit.unwrap_or(100));
        if page == 0 || !(1..=200).contains(&limit) {
            return Err(Error::invalid("page must be at least 1 and limit between 1 and 200"));
        }
        let all = if source_sandbox_id.is_some() { Vec::new() } else { self.store.snapshots()? };
        let total = all.len() as u64;
        let items = all.into_iter().skip(((page - 1) * limit) as usize).take(limit as usize).collect();
        Ok(PaginatedSnapshots { items, total, page, total_pages: total.div_ceil(limit) })
    }

    /// A new snapshot's DTO: a fresh id, this server's organization and region.
    fn new_snapshot(&self, name: String, cpu: f64, mem: f64, disk: f64, now: i64) -> Snapshot {
        Snapshot {
            id: uuid::Uuid::new_v4().to_string(),
            organization_id: Some(self.organization_id.clone()),
            name,
            cpu,
            mem,
            disk,
            created_at: iso(now),
            updated_at: iso(now),
            region_ids: Some(vec!["local".into()]),
            ..Default::default()
        }
    }

    /// Stores a new snapshot; its name must be free.
    fn insert_snapshot(&self, rec: &SnapshotRecord, now: i64) -> Result<(), Error> {
        self.store.insert_snapshot(rec, now).map_err(|e| match e {
            StoreError::NameTaken => Error::Conflict(format!("Snapshot with name {} already exists", rec.dto.name)),
            other => other.into(),
        })
    }

    pub fn create_snapshot(self: &Arc<Self>, req: CreateSnapshot) -> Result<Snapshot, Error> {
        validate_snapshot_name(&req.name)?;
        if req.gpu.unwrap_or(0.0) > 0.0 || req.gpu_type.as_ref().is_some_and(|g| !g.is_empty()) {
            return Err(Error::invalid("GPU snapshots are not available on daytona-local"));
        }
        let dockerfile = match (req.image_name.as_deref(), &req.build_info) {
            (Some(_), Some(_)) => return Err(Error::invalid("Specify either imageName or buildInfo, not both")),
            (None, None) | (Some(""), None) => return Err(Error::invalid("imageName or buildInfo is required")),
            (Some(_), None) => None,
            (None, Some(b)) => {
                Some(b.dockerfile_content.clone().filter(|d| !d.trim().is_empty()).ok_or_else(|| Error::invalid("buildInfo.dockerfileContent is required"))?)
            }
        };
        let l = &self.limits;
        let cpu = amount("cpu", req.cpu.unwrap_or(DEFAULT_CPU), l.max_cpu)?;
        let mem = amount("memory", req.memory.unwrap_or(DEFAULT_MEMORY), l.max_memory)?;
        let disk = amount("disk", req.disk.unwrap_or(DEFAULT_DISK), l.max_disk)?;
        let now = now_ms();
        let base = self.new_snapshot(req.name, cpu, mem, disk, now);
        let id = base.id.clone();
        let dto = Snapshot {
            image_name: req.image_name.clone(),
            // A build starts at once, so it is `building` from the first answer (SDKs stream
            // the log of a building snapshot, not of a pending one).
            state: if dockerfile.is_some() { "building" } else { "active" }.into(),
            size: dockerfile.is_none().then_some(0.0),
            entrypoint: req.entrypoint,
            build_info: req.build_info.map(|b| BuildInfo { created_at: Some(iso(now)), updated_at: Some(iso(now)), ..b }),
            ..base
        };
        std::fs::create_dir_all(self.snapshot_template(&id))?;
        // The log exists from the first answer on, so a client may follow it at once.
        let first_line = match &req.image_name {
            Some(image) => format!("{image}: daytona-local has no container engine; sandboxes from this snapshot run on this host's system\n"),
            None => String::new(),
        };
        std::fs::write(self.snapshot_log(&id), first_line)?;
        let rec = SnapshotRecord { dto, config: ImageConfig::default() };
        if let Err(e) = self.insert_snapshot(&rec, now) {
            let _ = std::fs::remove_dir_all(self.snapshot_dir(&id));
            return Err(e);
        }
        tracing::info!(snapshot = %id, name = %rec.dto.name, "created");
        if let Some(text) = dockerfile {
            let me = Arc::clone(self);
            let hashes = rec.dto.build_info.as_ref().and_then(|b| b.context_hashes.clone()).unwrap_or_default();
            in_background(move || me.build_snapshot(rec, &text, &hashes));
        }
        self.snapshot(&id)
    }

    /// Builds a snapshot and records how it ended.
    fn build_snapshot(&self, mut rec: SnapshotRecord, dockerfile: &str, hashes: &[String]) {
        let built = self.run_build(&rec.dto, dockerfile, hashes);
        self.procs.forget(&rec.dto.id);
        rec.dto.updated_at = iso(now_ms());
        match built {
            Ok(config) => {
                rec.dto.state = "active".into();
                rec.dto.size = Some(size_gib(&self.snapshot_template(&rec.dto.id)));
                rec.dto.entrypoint = config.entrypoint.clone().or(rec.dto.entrypoint.take());
                rec.config = config;
                tracing::info!(snapshot = %rec.dto.id, "built");
            }
            Err(why) => {
                rec.dto.state = "build_failed".into();
                tracing::info!(snapshot = %rec.dto.id, reason = %why, "build failed");
                rec.dto.error_reason = Some(why);
            }
        }
        // Deleted during the build: what the build made goes too.
        if !matches!(self.store.snapshot(&rec.dto.id), Ok(Some(_))) {
            let _ = std::fs::remove_dir_all(self.snapshot_dir(&rec.dto.id));
            return;
        }
        if let Err(e) = self.store.update_snapshot(&rec) {
            tracing::warn!(snapshot = %rec.dto.id, error = %e, "build result not saved");
        }
    }

    /// Runs the build in a temporary sandbox (named by the snapshot's id) and keeps its home.
    fn run_build(&self, snap: &Snapshot, dockerfile: &str, hashes: &[String]) -> Result<ImageConfig, String> {
        let mut log = OpenOptions::new().create(true).append(true).open(self.snapshot_log(&snap.id)).map_err(|e| format!("cannot write the build log: {e}"))?;
        let fail = |log: &mut std::fs::File, why: String| {
            let _ = writeln!(log, "error: {why}");
            Err(why)
        };
        let steps = match dockerfile::parse(dockerfile) {
            Ok(steps) => steps,
            Err(why) => return fail(&mut log, why),
        };
        let mut contexts = Vec::new();
        for hash in hashes {
            match self.context_tar(hash) {
                Some(tar) => contexts.push(tar),
                None => return fail(&mut log, format!("the build context {hash} was not uploaded to object storage")),
            }
        }
        let dto = Sandbox { id: snap.id.clone(), cpu: snap.cpu, memory: snap.mem, disk: snap.disk, ..Default::default() };
        let ready = self.mount_new(&dto).map_err(|e| format!("cannot make the build's sandbox: {e}"));
        let built = ready.and_then(|()| {
            let tree = self.tree(&dto.id);
            let mut builder =
                Builder { jail: &self.jail, procs: &self.procs, dto: &dto, tree: &tree, contexts, log: log.try_clone().map_err(|e| e.to_string())? };
            let config = builder.run(&steps)?;
            copy_tree(&tree.home, &self.snapshot_template(&snap.id)).map_err(|e| format!("cannot keep the built files: {e}"))?;
            Ok(config)
        });
        self.remove_tree(&dto.id);
        match built {
            Ok(config) => {
                let _ = writeln!(log, "Successfully built snapshot {}", snap.name);
                Ok(config)
            }
            Err(why) => fail(&mut log, why),
        }
    }

    /// Deletes a snapshot; one being built has its build cancelled (the running step is
    /// killed, and the build thread cleans up after itself).
    /// `POST /sandbox/{id}/snapshot`: a new active snapshot named `name` whose files are the
    /// sandbox's home as it is now (its processes stand still meanwhile), with its resources
    /// and what its own snapshot set (environment, ENTRYPOINT, CMD). Answers the sandbox.
    pub fn snapshot_sandbox(&self, id: &str, name: String) -> Result<Sandbox, Error> {
        validate_snapshot_name(&name)?;
        let sandbox = self.load(id)?.dto;
        if !matches!(sandbox.state, Some(SandboxState::Started | SandboxState::Stopped)) {
            let state = sandbox.state.map_or("unknown", SandboxState::as_str);
            return Err(Error::invalid(format!("Sandbox {} must be started or stopped to be snapshotted (it is {state})", sandbox.id)));
        }
        // A stopped sandbox's files are on its disk, mounted again here.
        self.mount(&sandbox)?;
        let now = now_ms();
        let dto = Snapshot { state: "active".into(), ..self.new_snapshot(name, sandbox.cpu, sandbox.memory, sandbox.disk, now) };
        let id = dto.id.clone();
        let template = self.snapshot_template(&id);
        let config = self.snapshot_of(&sandbox).map(|s| s.config).unwrap_or_default();
        let made = self.copy_files_at_once(&sandbox, &template, None).and_then(|()| {
            std::fs::write(self.snapshot_log(&id), format!("Snapshot of sandbox {}\n", sandbox.id))?;
            let rec = SnapshotRecord { dto: Snapshot { size: Some(size_gib(&template)), ..dto }, config };
            self.insert_snapshot(&rec, now)
        });
        if let Err(e) = made {
            let _ = std::fs::remove_dir_all(self.snapshot_dir(&id));
            return Err(e);
        }
        tracing::info!(snapshot = %id, sandbox = %sandbox.id, "snapshot of a sandbox");
        self.get(&sandbox.id)
    }

    pub fn delete_snapshot(&self, id_or_name: &str) -> Result<(), Error> {
        let rec = self.load_snapshot(id_or_name)?;
        self.store.delete_snapshot(&rec.dto.id)?;
        if matches!(rec.dto.state.as_str(), "pending" | "building") {
            self.procs.cancel(&rec.dto.id);
        }
        if let Err(e) = std::fs::remove_dir_all(self.snapshot_dir(&rec.dto.id)) {
            tracing::warn!(snapshot = %rec.dto.id, error = %e, "snapshot files not removed");
        }
        tracing::info!(snapshot = %rec.dto.id, "deleted");
        Ok(())
    }

    /// Snapshots never go inactive here, so activating an active one changes nothing.
    pub fn activate_snapshot(&self, id_or_name: &str) -> Result<Snapshot, Error> {
        let mut rec = self.load_snapshot(id_or_name)?;
        match rec.dto.state.as_str() {
            "active" => {}
            "inactive" => {
                rec.dto.state = "active".into();
                rec.dto.updated_at = iso(now_ms());
                self.store.update_snapshot(&rec)?;
            }
            other => return Err(Error::invalid(format!("Snapshot {} is {other} and cannot be activated", rec.dto.name))),
        }
        Ok(rec.dto)
    }

    /// Builds a server stop cut short can never finish: mark them failed and remove their
    /// sandboxes.
    pub(crate) fn fail_interrupted_builds(&self) -> Result<(), StoreError> {
        for dto in self.store.snapshots()? {
            if let ("pending" | "building", Some(mut rec)) = (dto.state.as_str(), self.store.snapshot(&dto.id)?) {
                self.remove_tree(&dto.id);
                rec.dto.state = "build_failed".into();
                rec.dto.error_reason = Some("daytona-local stopped during the build".into());
                self.store.update_snapshot(&rec)?;
            }
        }
        self.fail_interrupted_sandbox_builds()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager(dir: &Path) -> Arc<SandboxManager> {
        SandboxManager::for_tests(dir)
    }

    fn settled(m: &SandboxManager, id: &str) -> Snapshot {
        for _ in 0..600 {
            let s = m.snapshot(id).unwrap();
            if s.is_settled() {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("build of {id} did not end");
    }

    fn build(dockerfile: &str) -> CreateSnapshot {
        CreateSnapshot {
            name: "s".into(),
            build_info: Some(BuildInfo { dockerfile_content: Some(dockerfile.into()), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn builds_record_files_env_and_logs() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let s = m
            .create_snapshot(build("FROM alpine\nENV GREETING='hi there'\nWORKDIR app\nRUN echo \"$GREETING\" > note && echo built\nCMD [\"sleep\", \"1\"]\n"))
            .unwrap();
        assert_eq!(s.state, "building");
        let s = settled(&m, &s.id);
        assert_eq!(s.state, "active", "{:?}", s.error_reason);
        assert_eq!(std::fs::read_to_string(m.snapshot_template(&s.id).join("app/note")).unwrap(), "hi there\n");
        let rec = m.active_snapshot("s").unwrap();
        assert_eq!(rec.config.env.get("GREETING").map(String::as_str), Some("hi there"));
        assert_eq!(rec.config.cmd, Some(vec!["sleep".to_string(), "1".into()]));
        let log = std::fs::read_to_string(m.snapshot_log(&s.id)).unwrap();
        assert!(log.contains("Step 4/5 : RUN echo") && log.contains("built\n") && log.contains("no container engine"), "{log}");
        assert!(!m.tree(&s.id).dir.exists(), "the build's sandbox is removed");
        assert!(matches!(m.create_snapshot(build("FROM a\n")), Err(Error::Conflict(_))));
        m.delete_snapshot("s").unwrap();
        assert!(matches!(m.snapshot("s"), Err(Error::NotFound(_))));
    }

    #[test]
    fn deleting_a_building_snapshot_cancels_its_build() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let s = m.create_snapshot(build("FROM a\nRUN echo started; sleep 600\n")).unwrap();
        let log = m.snapshot_log(&s.id);
        while !std::fs::read_to_string(&log).unwrap().contains("started") {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        m.delete_snapshot(&s.id).unwrap();
        assert!(matches!(m.snapshot(&s.id), Err(Error::NotFound(_))));
        // The build thread ends (its step killed) and removes what it made.
        for _ in 0..200 {
            if !m.snapshot_dir(&s.id).exists() && !m.tree(&s.id).dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the cancelled build left files behind");
    }

    #[test]
    fn a_failing_step_fails_the_build_with_its_output() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let s = m.create_snapshot(build("FROM a\nRUN echo about to fail; exit 3\nRUN echo never\n")).unwrap();
        let s = settled(&m, &s.id);
        assert_eq!(s.state, "build_failed");
        assert!(s.error_reason.as_deref().unwrap().contains("Step 2/3 (RUN echo about to fail; exit 3) failed: exited with code 3"), "{s:?}");
        let log = std::fs::read_to_string(m.snapshot_log(&s.id)).unwrap();
        assert!(log.contains("about to fail\n") && !log.contains("never\n"), "{log}");
        assert!(m.active_snapshot(&s.id).is_err());
        let page = m.snapshots(Some(1), Some(10), None).unwrap();
        assert_eq!(m.snapshots(Some(1), Some(10), Some("some-sandbox")).unwrap().total, 0);
        assert_eq!((page.total, page.total_pages, page.items.len()), (1, 1, 1));
    }
}
