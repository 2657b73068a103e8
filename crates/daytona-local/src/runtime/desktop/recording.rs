//! Screen recordings: ffmpeg's `x11grab` of the desktop into an H.264 MP4 file in the
//! sandbox's `~/.daytona/recordings`. Stopping sends ffmpeg `q`, so it finishes the file
//! (a killed ffmpeg leaves an MP4 without its index, which players refuse).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use daytona_types::toolbox::computer_use::Recording;
use tokio::io::AsyncWriteExt;
use tokio::process::Child;

use crate::runtime::command::sandbox_command;
use crate::runtime::processes::Group;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

pub const DIR: &str = "/home/daytona/.daytona/recordings";
const FRAME_RATE: &str = "10";

#[derive(Default)]
pub struct Recordings {
    entries: Mutex<BTreeMap<String, Entry>>,
}

struct Entry {
    recording: Recording,
    started: Instant,
    /// The ffmpeg process and its group while it records.
    child: Option<(Child, Group)>,
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("recording {id} not found"))
}

fn still_active(id: &str) -> Error {
    Error::coded(409, "RECORDING_STILL_ACTIVE", format!("recording {id} is still active: stop it first"))
}

/// The part of a label that is safe in a file name.
fn file_stem(label: Option<&str>) -> String {
    let clean: String = label.unwrap_or("").chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(64).collect();
    if clean.is_empty() {
        "recording".into()
    } else {
        clean
    }
}

impl Recordings {
    /// Records the desktop on `display` (e.g. `:100`), of `size` pixels, into an MP4 file.
    pub fn start(
        &self,
        sandboxes: &SandboxManager,
        sb: &SandboxCtx,
        display: &str,
        (width, height): (u32, u32),
        label: Option<&str>,
    ) -> Result<Recording, Error> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = chrono::Utc::now();
        let file_name = format!("{}_{}_{}.mp4", file_stem(label), now.format("%Y%m%d_%H%M%S"), &id[..8]);
        let file_path = format!("{DIR}/{file_name}");
        let dir = sb.fs.resolve(DIR)?;
        std::fs::create_dir_all(&dir.host)?;
        let envs = BTreeMap::from([("DISPLAY".to_string(), display.to_string())]);
        let mut cmd = sandbox_command(sandboxes, sb, "ffmpeg", None, &envs)?;
        cmd.args(["-hide_banner", "-loglevel", "error", "-f", "x11grab", "-framerate", FRAME_RATE, "-video_size", &format!("{width}x{height}")])
            .args(["-i", display, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", &file_path])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let child = sandboxes.spawn(&sb.dto.id, move || cmd.spawn())?;
        let recording = Recording {
            id: id.clone(),
            file_name,
            file_path,
            start_time: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            status: "recording".into(),
            ..Default::default()
        };
        self.lock().insert(id, Entry { recording: recording.clone(), started: Instant::now(), child: Some(child) });
        Ok(recording)
    }

    /// Stops a recording and waits for its file to be finished.
    pub async fn stop(&self, sb: &SandboxCtx, id: &str) -> Result<Recording, Error> {
        let (child, group) = {
            let mut entries = self.lock();
            let entry = entries.get_mut(id).ok_or_else(|| not_found(id))?;
            entry.child.take().ok_or_else(|| Error::Invalid(format!("recording {id} is not active")))?
        };
        let ok = finish(child, &group).await;
        group.release();
        let mut entries = self.lock();
        let entry = entries.get_mut(id).ok_or_else(|| not_found(id))?;
        let size = sb.fs.resolve(&entry.recording.file_path).ok().and_then(|p| std::fs::metadata(p.host).ok()).map(|m| m.len());
        let r = &mut entry.recording;
        r.status = if ok && size.is_some_and(|s| s > 0) { "completed" } else { "failed" }.into();
        r.end_time = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        r.duration_seconds = Some((entry.started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0);
        r.size_bytes = size;
        Ok(r.clone())
    }

    /// Stops every active recording (the desktop is stopping).
    pub async fn stop_all(&self, sb: &SandboxCtx) {
        let active: Vec<String> = self.lock().iter().filter(|(_, e)| e.child.is_some()).map(|(id, _)| id.clone()).collect();
        for id in active {
            let _ = self.stop(sb, &id).await;
        }
    }

    pub fn list(&self) -> Vec<Recording> {
        self.lock().values().map(|e| e.recording.clone()).collect()
    }

    pub fn get(&self, id: &str) -> Result<Recording, Error> {
        self.lock().get(id).map(|e| e.recording.clone()).ok_or_else(|| not_found(id))
    }

    /// A finished recording's file, by its sandbox path.
    pub fn finished_file(&self, id: &str) -> Result<String, Error> {
        let entries = self.lock();
        let entry = entries.get(id).ok_or_else(|| not_found(id))?;
        if entry.child.is_some() {
            return Err(still_active(id));
        }
        Ok(entry.recording.file_path.clone())
    }

    pub fn delete(&self, sb: &SandboxCtx, id: &str) -> Result<(), Error> {
        let path = self.finished_file(id)?;
        if let Ok(file) = sb.fs.resolve(&path) {
            let _ = std::fs::remove_file(file.host);
        }
        self.lock().remove(id);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Asks ffmpeg to finish (`q`), waiting up to 10 s before killing it. True if it finished.
async fn finish(mut child: Child, group: &Group) -> bool {
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"q").await;
        let _ = stdin.flush().await;
    }
    match tokio::time::timeout(Duration::from_secs(10), child.wait()).await {
        Ok(Ok(status)) => status.success(),
        _ => {
            group.kill();
            let _ = child.wait().await;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_become_safe_file_names() {
        assert_eq!(super::file_stem(Some("../../etc/passwd")), "etcpasswd");
        assert_eq!(super::file_stem(Some("demo-1")), "demo-1");
        assert_eq!(super::file_stem(None), "recording");
    }
}
