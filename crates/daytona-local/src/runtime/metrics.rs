//! What a sandbox uses: CPU and memory from its cgroups, disk from the filesystem of its
//! files. The latest on demand, and a series sampled in the background over a bounded window.

use std::collections::{HashMap, VecDeque};
use std::ffi::CString;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use daytona_types::api::sandbox::{Sandbox, SandboxState};
use daytona_types::api::telemetry::{MetricDataPoint, MetricSeries, SANDBOX_METRICS};
use daytona_types::toolbox::SystemMetrics;

use crate::runtime::jail::Jail;
use crate::runtime::time::{iso, now_ms};
use crate::runtime::Error;

/// How often started sandboxes are sampled, and how many samples each keeps (an hour).
pub const SAMPLE_EVERY: Duration = Duration::from_secs(5);
const KEEP: usize = 720;
/// The shortest span a CPU percentage is measured over.
const MIN_SPAN: Duration = Duration::from_millis(200);
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

#[derive(Default)]
pub struct Metrics {
    tracks: Mutex<HashMap<String, Track>>,
}

#[derive(Default)]
struct Track {
    /// The last CPU reading: when, and the sandbox's total CPU time then.
    cpu: Option<(Instant, u64)>,
    series: VecDeque<(i64, SystemMetrics)>,
}

/// Total, used and free bytes of the filesystem `path` is on.
fn disk(path: &Path) -> std::io::Result<(u64, u64, u64)> {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: statvfs(3) writes into the zeroed struct we own; the path is NUL-terminated.
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let total = s.f_blocks as u64 * s.f_frsize as u64;
    let free = s.f_bfree as u64 * s.f_frsize as u64;
    Ok((total, total - free, s.f_bavail as u64 * s.f_frsize as u64))
}

impl Metrics {
    /// Measures the sandbox now (a started one: the CPU share needs its processes) and keeps
    /// the sample in its series. Blocks for up to [`MIN_SPAN`] when it has no recent reading.
    pub fn sample(&self, jail: &Jail, dto: &Sandbox, home: &Path) -> Result<SystemMetrics, Error> {
        if dto.state != Some(SandboxState::Started) {
            return Err(Error::Conflict(format!("Sandbox {} is not started", dto.id)));
        }
        let unavailable = |e: std::io::Error| Error::Status(503, format!("Metrics are not available on this host: {e}"));
        let usage = || jail.usage(&dto.id).map_err(unavailable);
        let last = self.tracks.lock().unwrap_or_else(|e| e.into_inner()).get(&dto.id).and_then(|t| t.cpu);
        let (since, cpu_before) = match last.filter(|(at, _)| at.elapsed() >= MIN_SPAN) {
            Some(reading) => reading,
            None => {
                let first = (Instant::now(), usage()?.cpu_ns);
                std::thread::sleep(MIN_SPAN);
                first
            }
        };
        let now = usage()?;
        let at = Instant::now();
        let span_ns = at.duration_since(since).as_nanos() as f64;
        let busy = now.cpu_ns.saturating_sub(cpu_before) as f64 / (span_ns * dto.cpu.max(0.01));
        let (disk_total, disk_used, disk_free) = disk(home).map_err(unavailable)?;
        let ms = now_ms();
        let m = SystemMetrics {
            cpu_count: dto.cpu,
            cpu_used_pct: (busy * 10_000.0).round() / 100.0,
            disk_free,
            disk_total,
            disk_used,
            mem_cache: now.cache_bytes,
            mem_total: (dto.memory * GIB) as u64,
            mem_used: now.memory_bytes.saturating_sub(now.cache_bytes),
            timestamp: iso(ms),
            timestamp_unix: ms / 1000,
        };
        let mut tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        let track = tracks.entry(dto.id.clone()).or_default();
        track.cpu = Some((at, now.cpu_ns));
        if track.series.len() == KEEP {
            track.series.pop_front();
        }
        track.series.push_back((ms, m.clone()));
        Ok(m)
    }

    /// The samples taken between `from_ms` and `to_ms`, one series per metric asked for
    /// (all when none is named); names it does not know get no series.
    pub fn series(&self, id: &str, from_ms: i64, to_ms: i64, names: &[String]) -> Vec<MetricSeries> {
        let tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        let samples: Vec<&(i64, SystemMetrics)> =
            tracks.get(id).map(|t| t.series.iter().filter(|(at, _)| (from_ms..=to_ms).contains(at)).collect()).unwrap_or_default();
        let value = |field: &str, m: &SystemMetrics| match field {
            "cpuUsedPct" => m.cpu_used_pct,
            "cpuCount" => m.cpu_count,
            "memUsed" => m.mem_used as f64,
            "memTotal" => m.mem_total as f64,
            "memCache" => m.mem_cache as f64,
            "diskUsed" => m.disk_used as f64,
            _ => m.disk_total as f64,
        };
        SANDBOX_METRICS
            .iter()
            .filter(|(name, _)| names.is_empty() || names.iter().any(|n| n == name))
            .map(|(name, field)| MetricSeries {
                metric_name: (*name).into(),
                data_points: samples.iter().map(|(_, m)| MetricDataPoint { timestamp: m.timestamp.clone(), value: value(field, m) }).collect(),
            })
            .collect()
    }

    /// Drops what is kept of a deleted sandbox.
    pub fn forget(&self, id: &str) {
        self.tracks.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }
}
