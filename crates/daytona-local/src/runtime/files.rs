//! Files in a sandbox (the `/files…` routes): listing, details, folders, delete, move,
//! permissions, search, find/replace, and what transfers need. Every path goes through
//! [`SandboxFs::resolve`](crate::runtime::sandbox_fs::SandboxFs::resolve) first.

use std::io::{BufRead, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use daytona_types::toolbox::files::{FileInfo, Match, ReplaceRequest, ReplaceResult, SearchFilesResponse};
use serde::Deserialize;

use crate::runtime::pending_file::write_atomically;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandbox_fs::{Resolved, SandboxFs};
use crate::runtime::Error;

pub fn not_found(path: &str) -> Error {
    Error::coded(404, "FILE_NOT_FOUND", format!("not found: {path}: no such file or directory"))
}

/// Maps an I/O error on `path` to the daemon's typed errors.
pub fn io_error(path: &str, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => not_found(path),
        std::io::ErrorKind::PermissionDenied => Error::coded(403, "FILE_ACCESS_DENIED", format!("forbidden: {path}: permission denied")),
        std::io::ErrorKind::AlreadyExists => Error::Conflict(format!("conflict: {path} already exists")),
        _ => match Error::from(e) {
            Error::Internal(e) => Error::coded(500, "FILE_READ_FAILED", format!("internal server error: {path}: {e}")),
            Error::Coded { status, code, message } => Error::Coded { status, code, message: format!("{message}: {path}") },
            client => client,
        },
    }
}

pub fn bad_path(msg: impl Into<String>) -> Error {
    Error::coded(400, "INVALID_FILE_PATH", msg)
}

/// Parses an octal mode such as `755`; set-uid/set-gid bits are refused.
fn parse_mode(mode: &str) -> Result<u32, Error> {
    let m = u32::from_str_radix(mode, 8).map_err(|_| Error::Invalid(format!("invalid mode {mode:?}: expected octal like 755")))?;
    if m > 0o1777 {
        return Err(Error::Invalid(format!("invalid mode {mode:?}: set-uid/set-gid bits are not allowed")));
    }
    Ok(m)
}

/// `ls -l`-style mode string, as Go's `FileMode.String()` writes it.
fn mode_string(meta: &std::fs::Metadata) -> String {
    let kind = if meta.is_dir() {
        'd'
    } else if meta.file_type().is_symlink() {
        'L'
    } else {
        '-'
    };
    let bits = meta.mode();
    let rwx = ['r', 'w', 'x'];
    let mut s = String::from(kind);
    for i in (0..9).rev() {
        s.push(if bits & (1 << i) != 0 { rwx[(8 - i) % 3] } else { '-' });
    }
    s
}

fn file_info(name: String, virt: Option<String>, meta: &std::fs::Metadata) -> FileInfo {
    let modified = chrono::DateTime::<chrono::Utc>::from(meta.modified().unwrap_or(std::time::UNIX_EPOCH));
    FileInfo {
        name,
        size: meta.len(),
        mode: mode_string(meta),
        mod_time: modified.format("%Y-%m-%d %H:%M:%S%.9f +0000 UTC").to_string(),
        modified_at: modified.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        is_dir: meta.is_dir(),
        owner: meta.uid().to_string(),
        group: meta.gid().to_string(),
        permissions: format!("{:04o}", meta.mode() & 0o7777),
        path: virt,
    }
}

fn base_name(r: &Resolved) -> String {
    r.virt.rsplit('/').next().unwrap_or_default().to_string()
}

#[derive(Deserialize)]
pub struct PathQuery {
    #[serde(default)]
    pub path: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub path: String,
    pub depth: Option<usize>,
}

pub fn list(sb: &SandboxCtx, q: ListQuery) -> Result<Vec<FileInfo>, Error> {
    let dir = sb.fs.resolve(&q.path)?;
    let meta = std::fs::metadata(&dir.host).map_err(|e| io_error(&q.path, e))?;
    if !meta.is_dir() {
        return Err(bad_path(format!("bad request: {} is not a directory", q.path)));
    }
    let depth = q.depth.unwrap_or(1).max(1);
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&dir.host).min_depth(1).max_depth(depth).sort_by_file_name();
    for entry in walker.into_iter().filter_map(Result::ok) {
        let Ok(meta) = entry.path().symlink_metadata() else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        out.push(file_info(name, sb.fs.virt(entry.path()), &meta));
    }
    Ok(out)
}

pub fn info(sb: &SandboxCtx, q: PathQuery) -> Result<FileInfo, Error> {
    let r = sb.fs.resolve(&q.path)?;
    let meta = std::fs::metadata(&r.host).map_err(|e| io_error(&q.path, e))?;
    Ok(file_info(base_name(&r), Some(r.virt.clone()), &meta))
}

#[derive(Deserialize)]
pub struct FolderQuery {
    pub path: String,
    pub mode: Option<String>,
}

pub fn create_folder(sb: &SandboxCtx, q: FolderQuery) -> Result<(), Error> {
    let mode = parse_mode(q.mode.as_deref().unwrap_or("755"))?;
    let r = sb.fs.resolve(&q.path)?;
    std::fs::create_dir_all(&r.host).map_err(|e| io_error(&q.path, e))?;
    std::fs::set_permissions(&r.host, std::fs::Permissions::from_mode(mode)).map_err(|e| io_error(&q.path, e))?;
    Ok(())
}

/// The sandbox's home and `/tmp` themselves may not be deleted or moved.
fn not_a_root(fs: &SandboxFs, r: &Resolved, shown: &str) -> Result<(), Error> {
    if fs.is_root(&r.host) {
        return Err(Error::coded(403, "FILE_ACCESS_DENIED", format!("forbidden: {shown} is a sandbox root")));
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct DeleteQuery {
    pub path: String,
    #[serde(default)]
    pub recursive: Option<String>,
}

pub fn delete(sb: &SandboxCtx, q: DeleteQuery) -> Result<(), Error> {
    let r = sb.fs.resolve(&q.path)?;
    not_a_root(&sb.fs, &r, &q.path)?;
    let meta = r.host.symlink_metadata().map_err(|e| io_error(&q.path, e))?;
    if meta.is_dir() {
        if q.recursive.as_deref() != Some("true") {
            return Err(Error::Invalid("bad request: cannot delete directory without recursive flag".into()));
        }
        std::fs::remove_dir_all(&r.host).map_err(|e| io_error(&q.path, e))?;
    } else {
        std::fs::remove_file(&r.host).map_err(|e| io_error(&q.path, e))?;
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct MoveQuery {
    pub source: String,
    pub destination: String,
}

pub fn move_files(sb: &SandboxCtx, q: MoveQuery) -> Result<(), Error> {
    let src = sb.fs.resolve(&q.source)?;
    let dst = sb.fs.resolve(&q.destination)?;
    not_a_root(&sb.fs, &src, &q.source)?;
    src.host.symlink_metadata().map_err(|e| io_error(&q.source, e))?;
    if dst.host.symlink_metadata().is_ok() {
        return Err(Error::Conflict(format!("conflict: destination {} already exists", q.destination)));
    }
    if let Some(parent) = dst.host.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(&q.destination, e))?;
    }
    std::fs::rename(&src.host, &dst.host).map_err(|e| io_error(&q.source, e))?;
    Ok(())
}

#[derive(Deserialize)]
pub struct PermissionsQuery {
    pub path: String,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub mode: Option<String>,
}

/// A user or group given by name or numeric id, looked up on this machine.
fn lookup_id(kind: &str, v: &str) -> Result<u32, Error> {
    if let Ok(id) = v.parse::<u32>() {
        return Ok(id);
    }
    let name = std::ffi::CString::new(v).map_err(|_| Error::Invalid(format!("invalid {kind} {v:?}")))?;
    // SAFETY: getpwnam/getgrnam take a NUL-terminated name and return a pointer into static
    // storage (or null), which we read at once and never keep.
    let id = unsafe {
        if kind == "owner" {
            let p = libc::getpwnam(name.as_ptr());
            (!p.is_null()).then(|| (*p).pw_uid)
        } else {
            let g = libc::getgrnam(name.as_ptr());
            (!g.is_null()).then(|| (*g).gr_gid)
        }
    };
    id.ok_or_else(|| Error::Invalid(format!("unknown {kind} {v:?}")))
}

pub fn set_permissions(sb: &SandboxCtx, q: PermissionsQuery) -> Result<(), Error> {
    let r = sb.fs.resolve(&q.path)?;
    r.host.metadata().map_err(|e| io_error(&q.path, e))?;
    let mode = q.mode.as_deref().filter(|m| !m.is_empty()).map(parse_mode).transpose()?;
    let uid = q.owner.as_deref().filter(|s| !s.is_empty()).map(|o| lookup_id("owner", o)).transpose()?;
    let gid = q.group.as_deref().filter(|s| !s.is_empty()).map(|g| lookup_id("group", g)).transpose()?;
    if uid.is_some() || gid.is_some() {
        std::os::unix::fs::chown(&r.host, uid, gid).map_err(|e| io_error(&q.path, e))?;
    }
    if let Some(mode) = mode {
        std::fs::set_permissions(&r.host, std::fs::Permissions::from_mode(mode)).map_err(|e| io_error(&q.path, e))?;
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct PatternQuery {
    #[serde(default)]
    pub path: String,
    pub pattern: String,
}

/// Regular files under `root` (not following symlinks), in name order.
fn files_under(root: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(root).sort_by_file_name().into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
}

/// A file whose first 512 bytes hold a NUL is binary and skipped by find.
fn is_binary(path: &Path) -> bool {
    let mut head = [0u8; 512];
    std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).map(|n| head[..n].contains(&0)).unwrap_or(true)
}

pub async fn find(sb: &SandboxCtx, q: PatternQuery) -> Result<Vec<Match>, Error> {
    let root = sb.fs.resolve(&q.path)?;
    root.host.metadata().map_err(|e| io_error(&q.path, e))?;
    let fs = sb.fs.clone();
    let matches = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for entry in files_under(&root.host).filter(|e| !is_binary(e.path())) {
            let Ok(file) = std::fs::File::open(entry.path()) else { continue };
            let shown = fs.virt(entry.path()).unwrap_or_default();
            for (i, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
                let Ok(line) = line else { break };
                let line = String::from_utf8_lossy(&line);
                if line.contains(&q.pattern) {
                    out.push(Match { file: shown.clone(), line: i as u64 + 1, content: line.trim_end_matches('\r').to_string() });
                }
            }
        }
        out
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    Ok(matches)
}

pub fn search(sb: &SandboxCtx, q: PatternQuery) -> Result<SearchFilesResponse, Error> {
    let root = sb.fs.resolve(&q.path)?;
    root.host.metadata().map_err(|e| io_error(&q.path, e))?;
    let glob = glob::Pattern::new(&q.pattern).map_err(|e| Error::Invalid(format!("invalid pattern: {e}")))?;
    let files = walkdir::WalkDir::new(&root.host)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| glob.matches(&e.file_name().to_string_lossy()))
        .filter_map(|e| sb.fs.virt(e.path()))
        .collect();
    Ok(SearchFilesResponse { files })
}

pub fn replace(sb: &SandboxCtx, req: ReplaceRequest) -> Result<Vec<ReplaceResult>, Error> {
    if req.pattern.is_empty() {
        return Err(Error::Invalid("bad request: pattern must not be empty".into()));
    }
    let results = req
        .files
        .iter()
        .map(|file| {
            let outcome = sb.fs.resolve(file).and_then(|r| {
                let text = std::fs::read_to_string(&r.host).map_err(|e| io_error(file, e))?;
                write_atomically(&r.host, text.replace(&req.pattern, &req.new_value).as_bytes()).map_err(|e| io_error(file, e))
            });
            match outcome {
                Ok(()) => ReplaceResult { file: file.clone(), success: true, error: None },
                Err(e) => ReplaceResult { file: file.clone(), success: false, error: Some(e.to_string()) },
            }
        })
        .collect();
    Ok(results)
}

/// Opens a file for download, or says why not, with the daemon's typed errors.
pub async fn open_for_download(fs: &SandboxFs, path: &str) -> Result<(tokio::fs::File, u64), Error> {
    if path.is_empty() {
        return Err(bad_path("bad request: path is required"));
    }
    let r = fs.resolve(path)?;
    let meta = tokio::fs::metadata(&r.host).await.map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(bad_path(format!("bad request: {path} is a directory")));
    }
    let file = tokio::fs::File::open(&r.host).await.map_err(|e| io_error(path, e))?;
    Ok((file, meta.len()))
}
