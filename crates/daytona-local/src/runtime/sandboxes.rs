//! The sandbox domain: creation, state transitions, resize and the lifecycle intervals.
//! A sandbox is a directory tree of its own under the data dir; its state lives in the
//! store. Handlers call these methods and never touch the store themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use daytona_types::api::sandbox::{BuildInfo, CreateSandbox, ResizeSandbox, Sandbox, SandboxState, UpdateSandboxNetworkSettings};
use daytona_types::api::snapshot::CreateSnapshot;
use daytona_types::toolbox::SystemMetrics;
use sha2::{Digest, Sha256};

use crate::egress::Egress;
use crate::runtime::image_builder::dockerfile;
use crate::runtime::in_background;
use crate::runtime::jail::{Jail, Tree};
use crate::runtime::links::{self, LinkNetwork, Links};
use crate::runtime::processes::{self, Child, Group, Processes};
use crate::runtime::registry::Live;
use crate::runtime::store::{Record, Store, StoreError};
use crate::runtime::time::{iso, now_ms};
use crate::runtime::validate::{amount, env_names, validate_name};
use crate::runtime::vault::Vault;
use crate::runtime::Error;

/// Limits and defaults that apply to every sandbox.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_cpu: u32,
    pub max_memory: u32,
    pub max_disk: u32,
}

pub(crate) const DEFAULT_CPU: f64 = 1.0;
pub(crate) const DEFAULT_MEMORY: f64 = 1.0;
/// The snapshot of sandboxes that name none: this host's system.
pub const DEFAULT_SNAPSHOT: &str = "daytona-local";
/// Disk (GiB) of a sandbox that asks for none.
pub const DEFAULT_DISK: f64 = 3.0;
const DEFAULT_AUTO_STOP_MIN: i64 = 15;
const DEFAULT_AUTO_ARCHIVE_MIN: i64 = 7 * 24 * 60;
/// What an auto-archive interval of 0 means: the maximum, 30 days.
pub const MAX_AUTO_ARCHIVE_MIN: i64 = 30 * 24 * 60;
const MINUTE_MS: i64 = 60_000;

pub struct SandboxManager {
    pub(crate) store: Store,
    /// The process groups each sandbox started; killed when it stops or is deleted.
    pub procs: Arc<Processes>,
    /// What lives only while a sandbox runs; ended with its processes.
    pub live: Live,
    /// What every sandbox process runs in.
    pub jail: Jail,
    pub(crate) root: PathBuf,
    /// Where volumes keep their files.
    pub(crate) volumes_root: PathBuf,
    /// Snapshot templates and build logs.
    pub(crate) snapshots_root: PathBuf,
    /// Object storage: build contexts that clients upload.
    pub(crate) objects_root: PathBuf,
    pub(crate) limits: Limits,
    pub(crate) organization_id: String,
    /// State changes, for the event socket.
    pub events: crate::runtime::events::SandboxEvents,
    /// What started sandboxes use, sampled.
    pub metrics: crate::runtime::metrics::Metrics,
    /// Held while warm pools are refilled.
    pub(crate) warm_refill: std::sync::Mutex<()>,
    /// Linked sandboxes and their addresses.
    links: Links,
    /// The organization's secrets.
    pub vault: Vault,
    /// Puts secrets' values in place in sandboxes' requests.
    pub(crate) egress: Arc<Egress>,
    /// This manager, for what outlives a call (the egress proxy's tasks).
    pub(crate) me: std::sync::Weak<SandboxManager>,
}

/// Which interval a setter changes.
#[derive(Debug, Clone, Copy)]
pub enum Interval {
    AutoStop,
    AutoArchive,
    AutoDelete,
    /// Idle minutes after which a started sandbox is paused (0 = never).
    AutoPause,
    /// The time to live: the sandbox is deleted that many minutes from now, whatever it is
    /// doing (0 = no TTL).
    Ttl,
}

/// The snapshot a sandbox's Dockerfile is built into: named by what it builds, so the
/// same image is built once.
fn build_snapshot_name(build: &BuildInfo) -> String {
    let mut h = Sha256::new();
    h.update(build.dockerfile_content.as_deref().unwrap_or_default());
    build.context_hashes.iter().flatten().for_each(|c| h.update(c));
    format!("daytona-local-build-{}", daytona_types::sigv4::hex(&h.finalize()[..8]))
}

/// When a sandbox with a time to live of `minutes` from `now` is deleted (0 = no TTL).
fn destroy_at(minutes: i64, now: i64) -> Option<String> {
    (minutes > 0).then(|| iso(now.saturating_add(minutes.saturating_mul(MINUTE_MS))))
}

/// An interval in minutes: from 0 to the API's largest (a 32-bit integer, about 4000 years).
fn non_negative(name: &str, v: i64) -> Result<i64, Error> {
    if !(0..=i64::from(i32::MAX)).contains(&v) {
        return Err(Error::invalid(format!("{name} must be an integer from 0 to {}", i32::MAX)));
    }
    Ok(v)
}

/// Checks a comma-separated list of IPv4 CIDRs such as `10.0.0.0/8,192.168.1.1/32`.
fn validate_cidrs(list: &str) -> Result<(), Error> {
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let ok = item.split_once('/').is_some_and(|(ip, bits)| ip.parse::<std::net::Ipv4Addr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 32));
        if !ok {
            return Err(Error::invalid(format!("Invalid CIDR in networkAllowList: {item}")));
        }
    }
    Ok(())
}

fn name_taken(name: &str) -> Error {
    Error::Conflict(format!("Sandbox with name {name} already exists"))
}

/// What a create may ask for that one machine cannot give (yet): refused by name, never
/// accepted and ignored.
fn refuse_unsupported(req: &CreateSandbox) -> Result<(), Error> {
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let refused = [
        (req.kvm == Some(true), "KVM sandboxes are not available on daytona-local"),
        (req.spot == Some(true), "spot sandboxes are not available on daytona-local"),
        (given(&req.otel_endpoint_override), "otelEndpointOverride is not supported by daytona-local: it exports no OpenTelemetry data"),
    ];
    match refused.iter().find(|(asked, _)| *asked) {
        Some((_, why)) => Err(Error::invalid(*why)),
        None => Ok(()),
    }
}

impl SandboxManager {
    /// `api_key` seals the organization's secrets ([`Vault`]); `egress` puts them in place.
    pub fn open(data_dir: &Path, limits: Limits, organization_id: String, jail: Jail, api_key: &str, egress: Arc<Egress>) -> anyhow::Result<Arc<Self>> {
        let root = data_dir.join("sandboxes");
        let volumes_root = data_dir.join("volumes");
        let snapshots_root = data_dir.join("snapshots");
        let objects_root = data_dir.join("objects");
        for dir in [&root, &volumes_root, &snapshots_root, &objects_root] {
            std::fs::create_dir_all(dir)?;
        }
        let store = Store::open(&data_dir.join("state.sqlite"))?;
        let events = crate::runtime::events::SandboxEvents::default();
        let m = Arc::new_cyclic(|me| SandboxManager {
            me: me.clone(),
            egress,
            store,
            procs: Default::default(),
            live: Live::default(),
            jail,
            root,
            volumes_root,
            snapshots_root,
            objects_root,
            limits,
            organization_id,
            events,
            metrics: Default::default(),
            warm_refill: Default::default(),
            links: Links::default(),
            vault: Vault::new(api_key),
        });
        for rec in m.store.all()? {
            if let Some(owner) = &rec.dto.linked_sandbox_id {
                m.links.join(owner, &rec.dto.id);
            }
        }
        m.sweep_orphans(data_dir)?;
        m.fail_interrupted_builds()?;
        Ok(m)
    }

    /// A manager over `dir` without isolation, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(dir: &Path) -> Arc<Self> {
        let egress = Arc::new(Egress::new(dir).expect("an egress CA"));
        Self::open(dir, Limits { max_cpu: 4, max_memory: 8, max_disk: 10 }, "org".into(), Jail::off(), "key", egress).expect("a manager over a temp dir")
    }

    /// Where object storage keeps its buckets.
    pub fn objects_root(&self) -> &Path {
        &self.objects_root
    }

    /// The sandbox's directories on this machine.
    pub fn tree(&self, id: &str) -> Tree {
        Tree::new(self.root.join(id))
    }

    /// Mounts a new sandbox's disk, makes its directories (its home a copy of its
    /// snapshot's, if any) and starts its jail.
    pub(crate) fn mount_new(&self, dto: &Sandbox) -> Result<(), Error> {
        self.mount(dto)?;
        self.make_tree(&dto.id)?;
        if let Some(template) = self.template_of(dto) {
            crate::runtime::copy_tree::copy_tree(&template, &self.tree(&dto.id).home)
                .map_err(|e| Error::Internal(anyhow::anyhow!("cannot copy the snapshot's files: {e}")))?;
        }
        self.ensure_running(dto)
    }

    /// The command a sandbox's snapshot starts it with: ENTRYPOINT followed by CMD (exec
    /// forms as arguments), shell-quoted for a session; none for the default snapshot or a
    /// snapshot without either.
    pub fn entrypoint_of(&self, dto: &Sandbox) -> Option<String> {
        let rec = self.snapshot_of(dto)?;
        let argv: Vec<String> = rec.dto.entrypoint.into_iter().flatten().chain(rec.config.cmd.into_iter().flatten()).collect();
        (!argv.is_empty()).then(|| shell_words::join(&argv))
    }

    /// The template home of the snapshot a sandbox was made from (none for the default).
    fn template_of(&self, dto: &Sandbox) -> Option<PathBuf> {
        Some(self.snapshot_template(&self.snapshot_of(dto)?.dto.id))
    }

    /// The snapshot a sandbox was made from (none for the default).
    pub(crate) fn snapshot_of(&self, dto: &Sandbox) -> Option<crate::runtime::store::SnapshotRecord> {
        let name = dto.snapshot.as_deref().filter(|s| *s != DEFAULT_SNAPSHOT)?;
        self.store.snapshot(name).ok()?
    }

    pub(crate) fn make_tree(&self, id: &str) -> std::io::Result<()> {
        let t = self.tree(id);
        [t.home, t.tmp, t.run].iter().try_for_each(std::fs::create_dir_all)
    }

    /// The sandbox's directories with its volumes.
    pub fn sandbox_tree(&self, dto: &Sandbox) -> Tree {
        Tree { volumes: self.volume_mounts(dto), ..self.tree(&dto.id) }
    }

    /// Sets up the jail a started sandbox runs in (after a server restart it is not there).
    pub fn ensure_running(&self, dto: &Sandbox) -> Result<(), Error> {
        if self.jail.running(&dto.id) {
            return Ok(());
        }
        let tree = self.sandbox_tree(dto);
        // A subpath's directory is made when first mounted.
        tree.volumes.iter().try_for_each(|(dir, _)| std::fs::create_dir_all(dir))?;
        self.mount(dto)?;
        let group = self.links.group(&dto.id);
        match &group {
            Some(g) => self.write_hosts(g, Some(dto)),
            None => std::fs::write(&tree.hosts, links::hosts_file(dto, &[]))?,
        }
        self.jail.start(dto, &tree).map_err(|e| Error::Internal(anyhow::anyhow!("cannot start sandbox {}: {e}", dto.id)))?;
        if let Some((owner, members)) = group {
            // The owner links every member that runs; a member, itself.
            for (member, n) in members.iter().filter(|(m, _)| dto.id == owner || *m == dto.id) {
                if self.jail.running(&owner) && self.jail.running(member) {
                    if let Err(e) = self.jail.link(&owner, member, *n) {
                        tracing::warn!(owner = %owner, sandbox = %member, error = %e, "could not link the sandboxes' networks");
                    }
                }
            }
        }
        if self.jail.is_on() {
            self.intercept(dto)?;
        }
        Ok(())
    }

    /// A connection to `port` on the sandbox's own loopback (previews, SSH forwards).
    pub async fn connect(self: &Arc<Self>, id: &str, port: u16) -> std::io::Result<tokio::net::TcpStream> {
        let (me, id) = (Arc::clone(self), id.to_string());
        // Connecting blocks (a thread joins the sandbox's namespace): off the async workers.
        let stream = tokio::task::spawn_blocking(move || me.jail.connect(&id, port)).await.map_err(std::io::Error::other)??;
        stream.set_nonblocking(true)?;
        tokio::net::TcpStream::from_std(stream)
    }

    /// Writes the `/etc/hosts` of every sandbox of a link network: each finds the others by
    /// name and id. `starting` may not be stored yet (a new sandbox).
    fn write_hosts(&self, (owner, members): &LinkNetwork, starting: Option<&Sandbox>) {
        let ids = std::iter::once((owner, 1)).chain(members.iter().map(|(m, n)| (m, *n)));
        let dto = |id: &str| match starting.filter(|s| s.id == id) {
            Some(s) => Some(s.clone()),
            None => Some(self.store.get(id).ok()??.dto),
        };
        let peers: Vec<(String, Sandbox)> = ids.filter_map(|(id, n)| Some((format!("10.0.3.{n}"), dto(id)?))).collect();
        let refs: Vec<(String, &Sandbox)> = peers.iter().map(|(a, p)| (a.clone(), p)).collect();
        for (_, sb) in &peers {
            // A sandbox whose disk is not mounted gets its file at its next start.
            let _ = std::fs::write(self.tree(&sb.id).hosts, links::hosts_file(sb, &refs));
        }
    }

    /// The sandbox a new one is linked to (`linkedSandbox`, an id or name), checked as
    /// Daytona checks it.
    fn link_owner(&self, key: &str, req: &CreateSandbox) -> Result<Sandbox, Error> {
        if req.build_info.is_some() {
            return Err(Error::invalid("linkedSandbox is not supported with declarative builds. Create a sandbox from a snapshot"));
        }
        if req.auto_delete_interval != Some(0) {
            return Err(Error::invalid("Linked sandboxes must be ephemeral (set autoDeleteInterval to 0)"));
        }
        if !self.jail.is_on() {
            return Err(Error::invalid("linkedSandbox needs isolation, and this daytona-local runs with --no-isolation"));
        }
        let owner = self.store.get(key)?.ok_or_else(|| Error::NotFound(format!("Sandbox with ID or name {key} not found")))?.dto;
        if owner.linked_sandbox_id.is_some() {
            return Err(Error::invalid(format!("Linked sandbox {} is itself linked to another sandbox; chained links are not allowed", owner.id)));
        }
        if !matches!(owner.state, Some(SandboxState::Started | SandboxState::Stopped)) {
            let state = owner.state.map_or("unknown", SandboxState::as_str);
            return Err(Error::invalid(format!("Linked sandbox must be in STARTED or STOPPED state with an assigned runner (current: {state})")));
        }
        Ok(owner)
    }

    /// Mounts the sandbox's disk, where its tree lives.
    pub(crate) fn mount(&self, dto: &Sandbox) -> Result<(), Error> {
        self.jail.mount(dto, &self.tree(&dto.id)).map_err(|e| Error::Internal(anyhow::anyhow!("cannot mount the disk of sandbox {}: {e}", dto.id)))
    }

    /// Stops every sandbox's processes (server shutdown).
    pub fn shutdown(&self) {
        self.jail.shutdown();
    }

    /// Stores a new sandbox; its name must be free.
    pub(crate) fn insert(&self, rec: &Record) -> Result<(), Error> {
        self.store.insert(rec).map_err(|e| match e {
            StoreError::NameTaken => name_taken(&rec.dto.name),
            other => other.into(),
        })
    }

    pub(crate) fn load(&self, id_or_name: &str) -> Result<Record, Error> {
        self.store.get(id_or_name)?.ok_or_else(|| Error::sandbox_not_found(id_or_name))
    }

    /// Adds to a DTO on its way to a client what is live rather than stored: how the sandbox
    /// is isolated, and an out-of-memory kill since it started.
    pub fn present(&self, dto: &mut Sandbox) {
        dto.isolation = Some(self.jail.describe());
        // What one machine has of the platform's options: no spot or KVM.
        dto.auto_pause_interval.get_or_insert(0);
        dto.spot.get_or_insert(false);
        dto.kvm.get_or_insert(false);
        let kills = if dto.state == Some(SandboxState::Started) { self.jail.oom_kills(&dto.id) } else { 0 };
        if kills > 0 {
            dto.error_reason = Some(format!("Out of memory: the kernel killed {kills} process(es) of this sandbox at its memory limit of {} GiB", dto.memory));
        }
    }

    pub(crate) fn save(&self, rec: &mut Record, now: i64) -> Result<Sandbox, Error> {
        rec.dto.updated_at = Some(iso(now));
        self.store.update(rec)?;
        self.events.saved(&rec.dto);
        Ok(rec.dto.clone())
    }

    pub(crate) fn set_state(rec: &mut Record, state: SandboxState, now: i64) {
        if rec.dto.state != Some(state) {
            rec.state_changed_ms = now;
        }
        rec.dto.state = Some(state);
        rec.dto.desired_state = Some(
            match state {
                SandboxState::Stopped => "stopped",
                SandboxState::Archived => "archived",
                SandboxState::Destroyed => "destroyed",
                SandboxState::Paused => "paused",
                _ => "started",
            }
            .into(),
        );
    }

    pub(crate) fn touch(rec: &mut Record, now: i64) {
        rec.last_activity_ms = now;
        rec.dto.last_activity_at = Some(iso(now));
    }

    pub fn create(self: &Arc<Self>, req: CreateSandbox) -> Result<Sandbox, Error> {
        self.create_sandbox(req, true)
    }

    /// A new sandbox, or with `from_pool` one a warm pool of its snapshot has ready, when the
    /// request asks for nothing a made sandbox cannot take afterwards.
    pub(crate) fn create_sandbox(self: &Arc<Self>, mut req: CreateSandbox, from_pool: bool) -> Result<Sandbox, Error> {
        if let Some(name) = &req.name {
            validate_name(name)?;
        }
        if req.build_info.is_some() && req.snapshot.is_some() {
            return Err(Error::invalid("Cannot specify both a snapshot and a build info"));
        }
        let has_resources = req.cpu.is_some() || req.memory.is_some() || req.disk.is_some() || req.gpu.is_some();
        if req.build_info.is_none() && has_resources {
            return Err(Error::invalid("Cannot specify Sandbox resources when using a snapshot"));
        }
        if req.gpu.unwrap_or(0.0) > 0.0 || req.gpu_type.as_ref().is_some_and(|g| !g.is_empty()) {
            return Err(Error::invalid("GPU sandboxes are not available on daytona-local"));
        }
        refuse_unsupported(&req)?;
        if let Some(proxy) = req.outbound_proxy_url.as_deref().filter(|p| !p.is_empty()) {
            if !(proxy.starts_with("http://") || proxy.starts_with("https://")) {
                return Err(Error::invalid("outboundProxyUrl must be an http:// or https:// URL"));
            }
            // What Daytona does with it: the proxy variables of the sandbox's processes.
            for var in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
                req.env.entry(var.into()).or_insert_with(|| proxy.into());
            }
        }
        let volumes = match req.volumes.as_deref() {
            Some(wanted) if !wanted.is_empty() => Some(self.resolve_volumes(wanted)?),
            _ => None,
        };
        self.check_network(req.network_block_all, req.network_allow_list.as_deref(), req.domain_allow_list.as_deref())?;
        let secrets = self.resolve_secrets(req.secrets.as_deref().unwrap_or_default())?;
        let linked = match req.linked_sandbox.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(key) => Some(self.link_owner(key, &req)?.id),
            None => None,
        };
        if req.env.keys().chain(req.labels.keys()).any(|k| k.is_empty()) {
            return Err(Error::invalid("env and label keys must not be empty"));
        }
        let l = &self.limits;
        let mut cpu = amount("cpu", req.cpu.unwrap_or(DEFAULT_CPU), l.max_cpu)?;
        let mut memory = amount("memory", req.memory.unwrap_or(DEFAULT_MEMORY), l.max_memory)?;
        let mut disk = amount("disk", req.disk.unwrap_or(DEFAULT_DISK), l.max_disk)?;
        // A Dockerfile with steps is built into a snapshot first; the sandbox waits for it.
        let build = req.build_info.as_mut().filter(|b| b.dockerfile_content.as_deref().is_some_and(dockerfile::has_build_steps));
        let building = match build {
            Some(b) => {
                let name = build_snapshot_name(b);
                b.snapshot_ref = Some(name.clone());
                self.ensure_build(&name, b, cpu, memory, disk)?;
                Some(name)
            }
            None => None,
        };
        let mut env = req.env;
        if let Some(snapshot) = req.snapshot.as_deref().filter(|s| *s != DEFAULT_SNAPSHOT) {
            let rec = self.active_snapshot(snapshot)?;
            (cpu, memory, disk) = (rec.dto.cpu, rec.dto.mem, rec.dto.disk);
            env = rec.config.env.into_iter().chain(env).collect();
        }
        Self::mount_env(&mut env, &[], &secrets);
        let auto_pause = non_negative("autoPauseInterval", req.auto_pause_interval.unwrap_or(0))?;
        // An idle sandbox is paused or stopped, not both: asking for auto-pause turns the
        // default auto-stop off.
        let auto_stop = non_negative("autoStopInterval", req.auto_stop_interval.unwrap_or(if auto_pause > 0 { 0 } else { DEFAULT_AUTO_STOP_MIN }))?;
        if auto_stop > 0 && auto_pause > 0 {
            return Err(Error::invalid("autoStopInterval and autoPauseInterval cannot both be set"));
        }
        let auto_archive = non_negative("autoArchiveInterval", req.auto_archive_interval.unwrap_or(DEFAULT_AUTO_ARCHIVE_MIN))?;
        let ttl = non_negative("ttlMinutes", req.ttl_minutes.unwrap_or(0))?;

        let now = now_ms();
        let poolable = from_pool
            && building.is_none()
            && volumes.is_none()
            && !req.network_block_all.unwrap_or(false)
            && req.network_allow_list.as_deref().is_none_or(|l| l.trim().is_empty())
            && linked.is_none()
            && secrets.is_empty()
            && req.user.as_deref().is_none_or(|u| u == "daytona");
        if let Some(name) = req.name.as_deref().filter(|_| poolable) {
            if self.store.get(name)?.is_some() {
                return Err(name_taken(name));
            }
        }
        if let Some(mut rec) = if poolable { self.take_warm(req.snapshot.as_deref(), req.target.as_deref())? } else { None } {
            let d = &mut rec.dto;
            d.name = req.name.unwrap_or_else(|| d.id.clone());
            d.env = Some(d.env.take().unwrap_or_default().into_iter().chain(env).collect());
            d.labels = req.labels;
            d.public = req.public.unwrap_or(false);
            d.outbound_proxy_url = req.outbound_proxy_url.filter(|p| !p.is_empty());
            d.auto_destroy_at = destroy_at(ttl, now);
            (d.auto_stop_interval, d.auto_pause_interval, d.auto_archive_interval) = (Some(auto_stop), Some(auto_pause), Some(auto_archive));
            d.auto_delete_interval = Some(req.auto_delete_interval.unwrap_or(-1));
            Self::touch(&mut rec, now);
            let dto = self.save(&mut rec, now)?;
            tracing::info!(sandbox = %dto.id, pool = ?dto.warm_pool_id, "taken from a warm pool");
            self.refill_warm_pools();
            return Ok(dto);
        }

        let id = uuid::Uuid::new_v4().to_string();
        let mut rec = Record {
            dto: Sandbox {
                id: id.clone(),
                organization_id: self.organization_id.clone(),
                name: req.name.unwrap_or_else(|| id.clone()),
                snapshot: req.snapshot.or(building.clone()).or_else(|| req.build_info.is_none().then(|| DEFAULT_SNAPSHOT.into())),
                user: req.user.unwrap_or_else(|| "daytona".into()),
                env: Some(env),
                labels: req.labels,
                public: req.public.unwrap_or(false),
                network_block_all: req.network_block_all.unwrap_or(false),
                network_allow_list: req.network_allow_list,
                linked_sandbox_id: linked.clone(),
                outbound_proxy_url: req.outbound_proxy_url.filter(|p| !p.is_empty()),
                auto_destroy_at: destroy_at(ttl, now),
                target: req.target.unwrap_or_else(|| "local".into()),
                cpu,
                gpu: 0.0,
                memory,
                disk,
                auto_stop_interval: Some(auto_stop),
                auto_pause_interval: Some(auto_pause),
                auto_archive_interval: Some(auto_archive),
                auto_delete_interval: Some(req.auto_delete_interval.unwrap_or(-1)),
                build_info: req.build_info,
                volumes,
                created_at: Some(iso(now)),
                backup_state: Some("None".into()),
                recoverable: Some(false),
                sandbox_class: Some("container".into()),
                daemon_version: Some(env!("CARGO_PKG_VERSION").into()),
                ..Default::default()
            },
            created_ms: now,
            last_activity_ms: now,
            state_changed_ms: now,
        };
        Self::touch(&mut rec, now);
        Self::set_state(&mut rec, if building.is_some() { SandboxState::PendingBuild } else { SandboxState::Started }, now);
        rec.dto.updated_at = Some(iso(now));
        if let Some(owner) = &linked {
            self.links.join(owner, &id).ok_or_else(|| Error::invalid(format!("Sandbox {owner} has as many linked sandboxes as it can (253)")))?;
        }
        let mounts: Vec<(String, String)> = secrets.iter().map(|(var, s)| (var.clone(), s.id.clone())).collect();
        let made = self.store.set_sandbox_secrets(&id, &mounts).map_err(Error::from);
        let made = made.and_then(|()| if building.is_some() { Ok(()) } else { self.mount_new(&rec.dto) });
        if let Err(e) = made.and_then(|()| self.insert(&rec)) {
            self.links.leave(&id);
            let _ = self.store.set_sandbox_secrets(&id, &[]);
            self.remove_tree(&id);
            return Err(e);
        }
        tracing::info!(sandbox = %id, name = %rec.dto.name, "created");
        self.events.saved(&rec.dto);
        if let Some(snapshot) = building {
            let me = Arc::clone(self);
            in_background(move || me.finish_build(&id, &snapshot));
        }
        Ok(rec.dto)
    }

    /// Starts building the snapshot a sandbox's Dockerfile names, unless it is built or
    /// being built; a failed build is tried again.
    fn ensure_build(self: &Arc<Self>, name: &str, build: &BuildInfo, cpu: f64, memory: f64, disk: f64) -> Result<(), Error> {
        match self.store.snapshot(name)? {
            Some(rec) if !matches!(rec.dto.state.as_str(), "build_failed" | "error") => return Ok(()),
            // Another create may be retrying the same build right now: then it is theirs.
            Some(_) => match self.delete_snapshot(name) {
                Err(Error::NotFound(_)) => return Ok(()),
                other => other?,
            },
            None => {}
        }
        let req = CreateSnapshot {
            name: name.into(),
            build_info: Some(BuildInfo { snapshot_ref: None, ..build.clone() }),
            cpu: Some(cpu),
            memory: Some(memory),
            disk: Some(disk),
            ..Default::default()
        };
        match self.create_snapshot(req) {
            // Another sandbox asked for the same build at the same moment.
            Err(Error::Conflict(_)) => Ok(()),
            other => other.map(drop),
        }
    }

    /// Waits for a sandbox's snapshot to be built, then makes the sandbox from it (or marks
    /// it `build_failed` with the build's reason). Gives up if the sandbox is deleted.
    fn finish_build(&self, id: &str, snapshot: &str) {
        let mut marked = false;
        let outcome = loop {
            let Ok(mut rec) = self.load(id) else { return };
            match self.store.snapshot(snapshot) {
                Ok(Some(s)) if s.dto.is_settled() => break (rec, s.dto),
                Ok(Some(_)) if !marked => {
                    marked = true;
                    Self::set_state(&mut rec, SandboxState::BuildingSnapshot, now_ms());
                    let _ = self.save(&mut rec, now_ms());
                }
                Ok(Some(_)) => {}
                _ => break (rec, Default::default()),
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        let (mut rec, snap) = outcome;
        let now = now_ms();
        let made = match snap.state.as_str() {
            "active" => {
                if let Ok(s) = self.active_snapshot(snapshot) {
                    rec.dto.env = Some(s.config.env.into_iter().chain(rec.dto.env.take().unwrap_or_default()).collect());
                }
                self.mount_new(&rec.dto).map_err(|e| e.to_string())
            }
            "" => Err(format!("snapshot {snapshot} is gone")),
            _ => Err(snap.error_reason.unwrap_or_else(|| format!("the build of snapshot {snapshot} failed"))),
        };
        // The record as it is now (labels or intervals may have changed during the build),
        // with the env it was made with. Deleted meanwhile: so must be what was just made.
        let env = rec.dto.env.take();
        let Ok(mut rec) = self.load(id) else {
            self.remove_tree(id);
            return;
        };
        rec.dto.env = env;
        match made {
            Ok(()) => Self::set_state(&mut rec, SandboxState::Started, now),
            Err(why) => {
                Self::set_state(&mut rec, SandboxState::BuildFailed, now);
                rec.dto.error_reason = Some(why);
            }
        }
        if let Err(e) = self.save(&mut rec, now) {
            tracing::warn!(sandbox = %id, error = %e, "build result not saved");
        }
    }

    /// Sandboxes that were waiting for a build when the server stopped: that wait is gone.
    pub(crate) fn fail_interrupted_sandbox_builds(&self) -> Result<(), StoreError> {
        for mut rec in self.store.all()? {
            if matches!(rec.dto.state, Some(SandboxState::PendingBuild | SandboxState::BuildingSnapshot)) {
                let now = now_ms();
                Self::set_state(&mut rec, SandboxState::BuildFailed, now);
                rec.dto.error_reason = Some("daytona-local stopped during the build".into());
                rec.dto.updated_at = Some(iso(now));
                self.store.update(&rec)?;
            }
        }
        Ok(())
    }

    /// Where a sandbox's build log is: its snapshot's.
    pub fn build_snapshot_of(&self, id_or_name: &str) -> Result<String, Error> {
        let dto = self.load(id_or_name)?.dto;
        let name = dto
            .build_info
            .and_then(|b| b.snapshot_ref)
            .ok_or_else(|| Error::invalid("This sandbox was not built from a Dockerfile, so it has no build logs"))?;
        Ok(self.snapshot(&name)?.id)
    }

    pub fn get(&self, id_or_name: &str) -> Result<Sandbox, Error> {
        Ok(self.load(id_or_name)?.dto)
    }

    /// The sandboxes a client sees: all but those waiting in warm pools.
    pub fn listed(&self) -> Result<Vec<Record>, Error> {
        let waiting = self.store.all_warm_members()?;
        Ok(self.all()?.into_iter().filter(|r| !waiting.contains(&r.dto.id)).collect())
    }

    pub fn all(&self) -> Result<Vec<Record>, Error> {
        Ok(self.store.all()?)
    }

    pub fn start(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        match rec.dto.state {
            Some(SandboxState::Started) => {}
            // Resumed where it was; after a server restart its processes are gone, and it
            // starts afresh.
            Some(SandboxState::Paused) => {
                if self.jail.running(&rec.dto.id) {
                    self.jail.freeze(&rec.dto.id, false).map_err(|e| anyhow::anyhow!("resuming sandbox {}: {e}", rec.dto.id))?;
                }
                self.ensure_running(&rec.dto)?;
                Self::set_state(&mut rec, SandboxState::Started, now);
            }
            Some(SandboxState::Stopped | SandboxState::Archived) => {
                self.mount(&rec.dto)?;
                if self.tree(&rec.dto.id).home.is_dir() {
                    self.ensure_running(&rec.dto)?;
                    Self::set_state(&mut rec, SandboxState::Started, now);
                } else {
                    // Its files are gone: that is an error a user can recover from.
                    Self::set_state(&mut rec, SandboxState::Error, now);
                    rec.dto.error_reason = Some("sandbox directory is missing".into());
                    rec.dto.recoverable = Some(true);
                }
            }
            Some(SandboxState::Error) => return Err(Error::invalid("Sandbox is in an error state; recover it first")),
            other => return Err(Error::invalid(format!("Sandbox cannot be started from state {}", other.map_or("unknown", SandboxState::as_str)))),
        }
        Self::touch(&mut rec, now);
        self.save(&mut rec, now)
    }

    pub fn stop(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        match rec.dto.state {
            Some(SandboxState::Started | SandboxState::Paused | SandboxState::Error) => {
                self.end_processes(&rec.dto.id);
                self.jail.stop(&rec.dto.id);
                Self::set_state(&mut rec, SandboxState::Stopped, now)
            }
            Some(SandboxState::Stopped) => {}
            other => return Err(Error::invalid(format!("Sandbox cannot be stopped from state {}", other.map_or("unknown", SandboxState::as_str)))),
        }
        if rec.dto.auto_delete_interval == Some(0) {
            return self.delete(id);
        }
        self.save(&mut rec, now)
    }

    /// The sandbox's id and the generation of its file-URL signing key.
    pub fn signing_generation(&self, id_or_name: &str) -> Result<(String, i64), Error> {
        let id = self.load(id_or_name)?.dto.id;
        let generation = self.store.signing_generation(&id)?;
        Ok((id, generation))
    }

    /// A new signing key for the sandbox: URLs signed with the earlier ones stop working.
    pub fn rotate_signing_key(&self, id_or_name: &str) -> Result<(String, i64), Error> {
        let id = self.load(id_or_name)?.dto.id;
        let generation = self.store.rotate_signing_key(&id)?;
        Ok((id, generation))
    }

    /// Measures a started sandbox now, and keeps the sample for its series.
    pub fn measure(&self, dto: &Sandbox) -> Result<SystemMetrics, Error> {
        self.metrics.sample(&self.jail, dto, &self.sandbox_tree(dto).home)
    }

    /// Samples every started sandbox (the background sampler); what cannot be measured is
    /// skipped.
    pub fn sample_all(&self) {
        for rec in self.all().unwrap_or_default() {
            if rec.dto.state == Some(SandboxState::Started) {
                let _ = self.measure(&rec.dto);
            }
        }
    }

    /// Freezes every process of a started sandbox (the cgroup freezer): nothing of it runs
    /// until it is started again, and then everything goes on where it was.
    pub fn pause(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        match rec.dto.state {
            Some(SandboxState::Started) => {
                self.ensure_running(&rec.dto)?;
                self.jail.freeze(&rec.dto.id, true).map_err(|e| Error::Status(503, format!("Sandbox cannot be paused on this host: {e}")))?;
                Self::set_state(&mut rec, SandboxState::Paused, now);
            }
            Some(SandboxState::Paused) => {}
            other => return Err(Error::invalid(format!("Sandbox cannot be paused from state {}", other.map_or("unknown", SandboxState::as_str)))),
        }
        self.save(&mut rec, now)
    }

    pub fn archive(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        match rec.dto.state {
            Some(SandboxState::Stopped | SandboxState::Archived) => Self::set_state(&mut rec, SandboxState::Archived, now),
            _ => return Err(Error::invalid("Sandbox must be stopped before it can be archived")),
        }
        self.save(&mut rec, now)
    }

    /// Puts a sandbox into the error state, as a host failure would (the fault mode's
    /// `error` fault); `recover` brings it back.
    pub fn break_down(&self, id: &str, reason: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        Self::set_state(&mut rec, SandboxState::Error, now);
        rec.dto.error_reason = Some(reason.to_string());
        rec.dto.recoverable = Some(true);
        self.save(&mut rec, now)
    }

    pub fn recover(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        if rec.dto.state != Some(SandboxState::Error) {
            return Err(Error::invalid("Sandbox is not in a recoverable state"));
        }
        let now = now_ms();
        self.mount(&rec.dto)?;
        self.make_tree(&rec.dto.id)?;
        self.ensure_running(&rec.dto)?;
        rec.dto.error_reason = None;
        rec.dto.recoverable = Some(false);
        Self::set_state(&mut rec, SandboxState::Started, now);
        Self::touch(&mut rec, now);
        self.save(&mut rec, now)
    }

    /// Removes the record and the sandbox's tree. Answers the last DTO, marked destroyed.
    /// Deletes a sandbox, and the sandboxes linked to it.
    pub fn delete(&self, id: &str) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        let group = self.links.group(&rec.dto.id);
        if let Some((owner, members)) = group.as_ref().filter(|(owner, _)| *owner == rec.dto.id) {
            for (member, _) in members {
                match self.delete(member) {
                    Ok(_) | Err(Error::NotFound(_)) => {}
                    Err(e) => tracing::warn!(owner = %owner, sandbox = %member, error = %e, "linked sandbox not deleted"),
                }
            }
        }
        self.store.delete(&rec.dto.id)?;
        self.store.set_sandbox_secrets(&rec.dto.id, &[])?;
        self.links.leave(&rec.dto.id);
        if let Some(rest) = group.filter(|(owner, _)| *owner != rec.dto.id).and_then(|(owner, _)| self.links.group(&owner)) {
            self.write_hosts(&rest, None);
        }
        self.remove_tree(&rec.dto.id);
        self.metrics.forget(&rec.dto.id);
        Self::set_state(&mut rec, SandboxState::Destroyed, now);
        rec.dto.updated_at = Some(iso(now));
        tracing::info!(sandbox = %rec.dto.id, "deleted");
        self.events.saved(&rec.dto);
        Ok(rec.dto)
    }

    /// [`processes::spawn`] in this sandbox.
    pub fn spawn<C: Child + Send + 'static>(&self, sandbox: &str, spawn: impl FnOnce() -> std::io::Result<C> + Send + 'static) -> Result<(C, Group), Error> {
        processes::spawn(&self.jail, &self.procs, sandbox, spawn)
    }

    /// Kills every process the sandbox started and forgets what lived with them (sessions,
    /// PTYs, interpreter contexts, language servers, the desktop).
    fn end_processes(&self, id: &str) {
        self.procs.kill_all(id);
        self.live.end(id);
    }

    /// Ends the sandbox's processes and removes its jail and files.
    pub(crate) fn remove_tree(&self, id: &str) {
        self.end_processes(id);
        let tree = self.tree(id);
        self.jail.remove(id, &tree);
        if let Err(e) = std::fs::remove_dir_all(&tree.dir).or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) }) {
            tracing::warn!(sandbox = %id, error = %e, "sandbox files not removed");
        }
    }

    /// What daytona-local can do of a network setting: all of them with isolation (each
    /// sandbox has its own network namespace), none without; domain allow lists are refused.
    fn check_network(&self, block_all: Option<bool>, allow_list: Option<&str>, domain_allow_list: Option<&str>) -> Result<(), Error> {
        if domain_allow_list.is_some_and(|d| !d.trim().is_empty()) {
            return Err(Error::invalid(
                "domainAllowList is not supported by daytona-local: use networkAllowList with the CIDRs of the addresses the sandbox may reach",
            ));
        }
        let listed = allow_list.is_some_and(|l| !l.trim().is_empty());
        if let Some(list) = allow_list {
            validate_cidrs(list)?;
        }
        if (block_all == Some(true) || listed) && !self.jail.is_on() {
            let what = if listed { "networkAllowList" } else { "networkBlockAll" };
            return Err(Error::invalid(format!("{what} needs isolation, and this daytona-local runs with --no-isolation")));
        }
        Ok(())
    }

    /// `POST /sandbox/{id}/network-settings`: takes effect at once, for the sandbox's new
    /// connections (ones already open stay).
    pub fn update_network(&self, id: &str, req: UpdateSandboxNetworkSettings) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        self.check_network(req.network_block_all, req.network_allow_list.as_deref(), req.domain_allow_list.as_deref())?;
        if let Some(block) = req.network_block_all {
            rec.dto.network_block_all = block;
        }
        if let Some(list) = req.network_allow_list {
            rec.dto.network_allow_list = Some(list).filter(|l| !l.trim().is_empty());
        }
        self.jail.set_network(&rec.dto).map_err(|e| Error::Internal(anyhow::anyhow!("could not change the sandbox's network: {e}")))?;
        self.save(&mut rec, now_ms())
    }

    /// cpu and memory change live on a started sandbox; disk only on a stopped one, and
    /// never shrinks.
    pub fn resize(&self, id: &str, req: ResizeSandbox) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        if req.cpu.is_none() && req.memory.is_none() && req.disk.is_none() {
            return Err(Error::invalid("At least one of cpu, memory or disk must be given"));
        }
        let running = match rec.dto.state {
            Some(SandboxState::Started) => true,
            Some(SandboxState::Stopped) => false,
            _ => return Err(Error::invalid("Sandbox must be started or stopped to be resized")),
        };
        let l = &self.limits;
        let cpu = req.cpu.map(|v| amount("cpu", v, l.max_cpu)).transpose()?;
        let memory = req.memory.map(|v| amount("memory", v, l.max_memory)).transpose()?;
        let disk = req.disk.map(|v| amount("disk", v, l.max_disk)).transpose()?;
        if let Some(d) = disk {
            if running {
                return Err(Error::invalid("Disk can only be resized while the sandbox is stopped"));
            }
            if d < rec.dto.disk {
                return Err(Error::invalid("Disk size cannot be decreased"));
            }
        }
        rec.dto.cpu = cpu.unwrap_or(rec.dto.cpu);
        rec.dto.memory = memory.unwrap_or(rec.dto.memory);
        rec.dto.disk = disk.unwrap_or(rec.dto.disk);
        if running {
            self.jail.resize(&rec.dto).map_err(|e| Error::Internal(anyhow::anyhow!("resize: {e}")))?;
        }
        self.save(&mut rec, now_ms())
    }

    pub fn set_labels(&self, id: &str, labels: BTreeMap<String, String>) -> Result<Sandbox, Error> {
        if labels.keys().any(|k| k.is_empty()) {
            return Err(Error::invalid("label keys must not be empty"));
        }
        let mut rec = self.load(id)?;
        rec.dto.labels = labels;
        self.save(&mut rec, now_ms())
    }

    pub fn set_interval(&self, id: &str, which: Interval, minutes: i64) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        match which {
            Interval::AutoStop => rec.dto.auto_stop_interval = Some(non_negative("autoStopInterval", minutes)?),
            Interval::AutoPause => rec.dto.auto_pause_interval = Some(non_negative("autoPauseInterval", minutes)?),
            Interval::AutoArchive => rec.dto.auto_archive_interval = Some(non_negative("autoArchiveInterval", minutes)?),
            // Negative disables auto-delete; 0 deletes as soon as the sandbox stops.
            Interval::AutoDelete => rec.dto.auto_delete_interval = Some(minutes.clamp(-1, i64::from(i32::MAX))),
            Interval::Ttl => rec.dto.auto_destroy_at = destroy_at(non_negative("ttlMinutes", minutes)?, now_ms()),
        }
        self.save(&mut rec, now_ms())
    }

    /// Changes the environment the sandbox's new processes get (those running keep theirs):
    /// `unset` names are removed, then `set` is applied. Answers the environment now.
    pub fn update_env(&self, id: &str, set: BTreeMap<String, String>, unset: Vec<String>) -> Result<BTreeMap<String, String>, Error> {
        env_names(set.keys().chain(&unset))?;
        let mut rec = self.load(id)?;
        let env = rec.dto.env.get_or_insert_with(BTreeMap::new);
        for name in &unset {
            env.remove(name);
        }
        env.extend(set);
        let env = env.clone();
        self.save(&mut rec, now_ms())?;
        Ok(env)
    }

    pub fn refresh_activity(&self, id: &str) -> Result<(), Error> {
        let mut rec = self.load(id)?;
        let now = now_ms();
        Self::touch(&mut rec, now);
        self.save(&mut rec, now).map(drop)
    }

    /// Applies auto-stop, auto-delete and auto-archive as of `now`. Returns what it did, for
    /// the log and for tests.
    pub fn reap(&self, now: i64) -> Result<Vec<(String, &'static str)>, Error> {
        let mut done = Vec::new();
        for rec in self.all()? {
            let id = rec.dto.id.clone();
            let idle = now - rec.last_activity_ms;
            let since_change = now - rec.state_changed_ms;
            let auto_stop = rec.dto.auto_stop_interval.unwrap_or(0);
            let auto_pause = rec.dto.auto_pause_interval.unwrap_or(0);
            let auto_delete = rec.dto.auto_delete_interval.unwrap_or(-1);
            let auto_archive = match rec.dto.auto_archive_interval.unwrap_or(0) {
                0 => MAX_AUTO_ARCHIVE_MIN,
                m => m,
            };
            let destroy_at = rec.dto.auto_destroy_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
            if destroy_at.is_some_and(|t| t.timestamp_millis() <= now) {
                self.delete(&id)?;
                done.push((id, "deleted (its time to live ended)"));
                continue;
            }
            match rec.dto.state {
                Some(SandboxState::Started) if auto_stop > 0 && idle >= auto_stop.saturating_mul(MINUTE_MS) => {
                    self.stop(&id)?;
                    done.push((id, "stopped"));
                }
                // A host that cannot pause (no freezer) leaves it running, and says why.
                Some(SandboxState::Started) if auto_pause > 0 && idle >= auto_pause.saturating_mul(MINUTE_MS) => match self.pause(&id) {
                    Ok(_) => done.push((id, "paused")),
                    Err(e) => tracing::warn!(sandbox = %id, error = %e, "auto-pause failed"),
                },
                Some(SandboxState::Stopped) if auto_delete >= 0 && since_change >= auto_delete.saturating_mul(MINUTE_MS) => {
                    self.delete(&id)?;
                    done.push((id, "deleted"));
                }
                Some(SandboxState::Stopped) if since_change >= auto_archive.saturating_mul(MINUTE_MS) => {
                    self.archive(&id)?;
                    done.push((id, "archived"));
                }
                _ => {}
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager(dir: &Path) -> Arc<SandboxManager> {
        SandboxManager::for_tests(dir)
    }

    fn create(m: &Arc<SandboxManager>, stop: i64, archive: i64, delete: i64) -> String {
        let req =
            CreateSandbox { auto_stop_interval: Some(stop), auto_archive_interval: Some(archive), auto_delete_interval: Some(delete), ..Default::default() };
        m.create(req).unwrap().id
    }

    #[test]
    fn reaper_stops_idle_then_archives_or_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let keep = create(&m, 0, 0, -1);
        let stops = create(&m, 5, 60, -1);
        let deletes = create(&m, 5, 60, 10);
        let now = now_ms();
        assert!(m.reap(now).unwrap().is_empty());
        let did = m.reap(now + 5 * MINUTE_MS).unwrap();
        assert_eq!(did.len(), 2, "{did:?}");
        assert_eq!(m.get(&stops).unwrap().state, Some(SandboxState::Stopped));
        // The stop just happened (real time), so measure the later steps from now.
        let t = now_ms();
        m.reap(t + 10 * MINUTE_MS).unwrap();
        assert!(matches!(m.get(&deletes), Err(Error::NotFound(_))));
        assert!(!dir.path().join("sandboxes").join(&deletes).exists());
        assert_eq!(m.get(&stops).unwrap().state, Some(SandboxState::Stopped));
        m.reap(t + 60 * MINUTE_MS).unwrap();
        assert_eq!(m.get(&stops).unwrap().state, Some(SandboxState::Archived));
        assert_eq!(m.get(&keep).unwrap().state, Some(SandboxState::Started));
    }

    #[test]
    fn a_time_to_live_deletes_whatever_the_state_and_can_be_moved_or_lifted() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let req = CreateSandbox { ttl_minutes: Some(10), ..Default::default() };
        let running = m.create(req.clone()).unwrap().id;
        let stopped = m.create(req.clone()).unwrap().id;
        let lifted = m.create(req).unwrap().id;
        assert!(m.get(&running).unwrap().auto_destroy_at.is_some());
        m.stop(&stopped).unwrap();
        assert_eq!(m.set_interval(&lifted, Interval::Ttl, 0).unwrap().auto_destroy_at, None);
        assert!(matches!(m.set_interval(&lifted, Interval::Ttl, -1), Err(Error::Invalid(_))));
        let now = now_ms();
        assert!(m.reap(now + 9 * MINUTE_MS).unwrap().is_empty());
        let did = m.reap(now + 10 * MINUTE_MS).unwrap();
        assert_eq!(did.len(), 2, "{did:?}");
        assert!(matches!(m.get(&running), Err(Error::NotFound(_))));
        assert!(matches!(m.get(&stopped), Err(Error::NotFound(_))));
        assert_eq!(m.get(&lifted).unwrap().state, Some(SandboxState::Started));
        // Set again, the time to live counts from now.
        let moved = m.set_interval(&lifted, Interval::Ttl, 1).unwrap().auto_destroy_at.unwrap();
        let at = chrono::DateTime::parse_from_rfc3339(&moved).unwrap().timestamp_millis();
        assert!(at >= now + MINUTE_MS && at <= now_ms() + MINUTE_MS, "{moved}");
    }

    #[test]
    fn auto_delete_zero_deletes_on_stop() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let id = create(&m, 0, 0, 0);
        assert_eq!(m.stop(&id).unwrap().state, Some(SandboxState::Destroyed));
        assert!(m.get(&id).is_err());
    }

    #[test]
    fn missing_tree_makes_start_fail_recoverably() {
        let dir = tempfile::tempdir().unwrap();
        let m = manager(dir.path());
        let id = create(&m, 0, 0, -1);
        m.stop(&id).unwrap();
        std::fs::remove_dir_all(m.tree(&id).home).unwrap();
        let dto = m.start(&id).unwrap();
        assert_eq!((dto.state, dto.recoverable), (Some(SandboxState::Error), Some(true)));
        assert_eq!(m.recover(&id).unwrap().state, Some(SandboxState::Started));
        assert!(m.tree(&id).home.is_dir());
    }

    #[test]
    fn cidr_validation() {
        assert!(validate_cidrs("10.0.0.0/8, 192.168.1.1/32").is_ok());
        assert!(validate_cidrs("10.0.0.0").is_err());
        assert!(validate_cidrs("10.0.0.0/33").is_err());
    }
}
