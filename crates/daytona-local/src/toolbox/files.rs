//! `/files…`: listing, details, folders, delete, move, permissions, search,
//! find/replace, and streamed bulk upload and download. Every path goes through
//! [`SandboxFs::resolve`](crate::runtime::sandbox_fs::SandboxFs::resolve) first.

use std::io::{BufRead, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Multipart, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::error::ErrorBody;
use daytona_types::toolbox::files::{
    DownloadFilesRequest, FileInfo, Match, ReplaceRequest, ReplaceResult, SearchFilesResponse, UploadResponse, UploadedFile, DOWNLOAD_BOUNDARY,
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::http::AppJson;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandbox_fs::{Resolved, SandboxFs};
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/files", get(list).delete(delete))
        .route("/files/info", get(info))
        .route("/files/folder", post(create_folder))
        .route("/files/move", post(move_files))
        .route("/files/permissions", post(set_permissions))
        .route("/files/find", get(find))
        .route("/files/search", get(search))
        .route("/files/replace", post(replace))
        .route("/files/download", get(download_one))
        .route("/files/bulk-download", post(bulk_download))
        // Uploads stream to disk, so the body size is not limited here.
        .route("/files/bulk-upload", post(bulk_upload).layer(DefaultBodyLimit::disable()))
}

/// Read buffer for streaming files: memory per transfer stays bounded by a few of these.
const CHUNK: usize = 64 * 1024;

fn not_found(path: &str) -> Error {
    Error::coded(404, "FILE_NOT_FOUND", format!("not found: {path}: no such file or directory"))
}

/// Maps an I/O error on `path` to the daemon's typed errors.
fn io_error(path: &str, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => not_found(path),
        std::io::ErrorKind::PermissionDenied => Error::coded(403, "FILE_ACCESS_DENIED", format!("forbidden: {path}: permission denied")),
        std::io::ErrorKind::AlreadyExists => Error::Conflict(format!("conflict: {path} already exists")),
        _ => Error::coded(500, "FILE_READ_FAILED", format!("internal server error: {path}: {e}")),
    }
}

fn bad_path(msg: impl Into<String>) -> Error {
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
struct PathQuery {
    #[serde(default)]
    path: String,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    path: String,
    depth: Option<usize>,
}

async fn list(sb: SandboxCtx, Query(q): Query<ListQuery>) -> Result<Json<Vec<FileInfo>>, Error> {
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
    Ok(Json(out))
}

async fn info(sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Json<FileInfo>, Error> {
    let r = sb.fs.resolve(&q.path)?;
    let meta = std::fs::metadata(&r.host).map_err(|e| io_error(&q.path, e))?;
    Ok(Json(file_info(base_name(&r), Some(r.virt.clone()), &meta)))
}

#[derive(Deserialize)]
struct FolderQuery {
    path: String,
    mode: Option<String>,
}

async fn create_folder(sb: SandboxCtx, Query(q): Query<FolderQuery>) -> Result<StatusCode, Error> {
    let mode = parse_mode(q.mode.as_deref().unwrap_or("755"))?;
    let r = sb.fs.resolve(&q.path)?;
    std::fs::create_dir_all(&r.host).map_err(|e| io_error(&q.path, e))?;
    std::fs::set_permissions(&r.host, std::fs::Permissions::from_mode(mode)).map_err(|e| io_error(&q.path, e))?;
    Ok(StatusCode::CREATED)
}

/// The sandbox's home and `/tmp` themselves may not be deleted or moved.
fn not_a_root(fs: &SandboxFs, r: &Resolved, shown: &str) -> Result<(), Error> {
    if fs.is_root(&r.host) {
        return Err(Error::coded(403, "FILE_ACCESS_DENIED", format!("forbidden: {shown} is a sandbox root")));
    }
    Ok(())
}

#[derive(Deserialize)]
struct DeleteQuery {
    path: String,
    #[serde(default)]
    recursive: Option<String>,
}

async fn delete(sb: SandboxCtx, Query(q): Query<DeleteQuery>) -> Result<StatusCode, Error> {
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
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct MoveQuery {
    source: String,
    destination: String,
}

async fn move_files(sb: SandboxCtx, Query(q): Query<MoveQuery>) -> Result<StatusCode, Error> {
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
    Ok(StatusCode::OK)
}

#[derive(Deserialize)]
struct PermissionsQuery {
    path: String,
    owner: Option<String>,
    group: Option<String>,
    mode: Option<String>,
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

async fn set_permissions(sb: SandboxCtx, Query(q): Query<PermissionsQuery>) -> Result<StatusCode, Error> {
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
    Ok(StatusCode::OK)
}

#[derive(Deserialize)]
struct PatternQuery {
    #[serde(default)]
    path: String,
    pattern: String,
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

async fn find(sb: SandboxCtx, Query(q): Query<PatternQuery>) -> Result<Json<Vec<Match>>, Error> {
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
    Ok(Json(matches))
}

async fn search(sb: SandboxCtx, Query(q): Query<PatternQuery>) -> Result<Json<SearchFilesResponse>, Error> {
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
    Ok(Json(SearchFilesResponse { files }))
}

/// Writes `bytes` to `target` through a temporary sibling and a rename, so readers never see
/// a half-written file and a failure leaves the old one in place.
fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_sibling(target);
    let res = std::fs::write(&tmp, bytes).and_then(|_| {
        if let Ok(meta) = target.metadata() {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, target)
    });
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

fn temp_sibling(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.daytona-{}.part", uuid::Uuid::new_v4().simple()))
}

async fn replace(sb: SandboxCtx, AppJson(req): AppJson<ReplaceRequest>) -> Result<Json<Vec<ReplaceResult>>, Error> {
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
    Ok(Json(results))
}

/// The index in a `files[<i>].path` / `files[<i>].file` field name.
fn upload_field(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix("files[")?;
    let (index, kind) = rest.split_once("].")?;
    Some((index, kind))
}

/// A temporary file that is removed unless it was renamed into place, even when the
/// request is dropped mid-way (a client that disconnects cancels the handler).
struct PartialFile(Option<PathBuf>);

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Streams one upload part to a temporary sibling of its target, then renames it into place.
async fn receive_file(field: &mut axum::extract::multipart::Field<'_>, target: &Path) -> Result<u64, Error> {
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let tmp = temp_sibling(target);
    let mut guard = PartialFile(Some(tmp.clone()));
    let mut out = tokio::fs::File::create(&tmp).await?;
    let mut written = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| Error::Invalid(format!("upload interrupted: {e}")))? {
        out.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    out.flush().await?;
    out.sync_all().await?;
    if let Ok(meta) = tokio::fs::metadata(target).await {
        tokio::fs::set_permissions(&tmp, meta.permissions()).await?;
    }
    tokio::fs::rename(&tmp, target).await?;
    guard.0 = None;
    Ok(written)
}

/// `files[i].path` then `files[i].file` pairs; the destination comes only from the path
/// field (browsers put the whole path in the part's filename, Node only the base name).
async fn bulk_upload(sb: SandboxCtx, multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> Response {
    let Ok(mut multipart) = multipart else {
        let refused = UploadResponse { files: vec![], errors: Some(vec!["invalid multipart form".into()]) };
        return (StatusCode::BAD_REQUEST, Json(refused)).into_response();
    };
    let mut paths = std::collections::HashMap::<String, String>::new();
    let (mut done, mut errors) = (Vec::new(), Vec::<String>::new());
    // 400 unless a file did not fit on the sandbox's disk.
    let mut status = StatusCode::BAD_REQUEST;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                errors.push(format!("upload interrupted: {e}"));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        match upload_field(&name) {
            Some((index, "path")) => match field.text().await {
                Ok(p) => {
                    paths.insert(index.to_string(), p.trim().to_string());
                }
                Err(e) => errors.push(format!("{name}: {e}")),
            },
            Some((index, "file")) => {
                let Some(path) = paths.get(index).cloned() else {
                    errors.push(format!("{name}: no files[{index}].path before it"));
                    continue;
                };
                match sb.fs.resolve(&path) {
                    Err(e) => errors.push(format!("{path}: {e}")),
                    Ok(r) => match receive_file(&mut field, &r.host).await {
                        Ok(bytes) => done.push(UploadedFile { path: r.virt, bytes }),
                        Err(e) => {
                            if e.status() == StatusCode::INSUFFICIENT_STORAGE.as_u16() {
                                status = StatusCode::INSUFFICIENT_STORAGE;
                            }
                            errors.push(format!("{path}: {e}"))
                        }
                    },
                }
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        (StatusCode::OK, Json(UploadResponse { files: done, errors: None })).into_response()
    } else {
        (status, Json(UploadResponse { files: done, errors: Some(errors) })).into_response()
    }
}

/// `attachment`/`form-data` filename parameters: the raw UTF-8 path (what simple parsers
/// read) plus RFC 5987 `filename*` (what busboy prefers).
fn filename_params(path: &str) -> String {
    let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
    let encoded = percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC);
    format!("filename=\"{escaped}\"; filename*=utf-8''{encoded}")
}

/// Opens a file for download, or says why not, with the daemon's typed errors.
async fn open_for_download(fs: &SandboxFs, path: &str) -> Result<(tokio::fs::File, u64), Error> {
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

/// Sends a file in chunks; stops quietly when the client goes away.
async fn pump_file(mut file: tokio::fs::File, tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>) -> bool {
    let mut buf = vec![0u8; CHUNK];
    loop {
        match file.read(&mut buf).await {
            Ok(0) => return true,
            Ok(n) => {
                if tx.send(Ok(Bytes::copy_from_slice(&buf[..n]))).await.is_err() {
                    return false;
                }
            }
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return false;
            }
        }
    }
}

fn channel_body(rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Body {
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }))
}

/// One multipart part per requested path, in order: `file` with the bytes, or `error` with
/// the daemon's error JSON. Files are streamed through a small bounded channel.
async fn bulk_download(sb: SandboxCtx, AppJson(req): AppJson<DownloadFilesRequest>) -> Result<Response, Error> {
    if req.paths.is_empty() {
        return Err(Error::Invalid("bad request: no paths given".into()));
    }
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let fs = sb.fs.clone();
    tokio::spawn(async move {
        for path in req.paths {
            let opened = open_for_download(&fs, &path).await;
            let head = match &opened {
                Ok((_, len)) => format!(
                    "--{DOWNLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; {}\r\nContent-Type: {}\r\nContent-Length: {len}\r\n\r\n",
                    filename_params(&path),
                    mime_guess::from_path(&path).first_or_octet_stream()
                ),
                Err(e) => format!(
                    "--{DOWNLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name=\"error\"; {}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{}",
                    filename_params(&path),
                    error_json(e, &path)
                ),
            };
            if tx.send(Ok(Bytes::from(head))).await.is_err() {
                return;
            }
            if let Ok((file, _)) = opened {
                if !pump_file(file, &tx).await {
                    return;
                }
            }
            if tx.send(Ok(Bytes::from_static(b"\r\n"))).await.is_err() {
                return;
            }
        }
        let _ = tx.send(Ok(Bytes::from(format!("--{DOWNLOAD_BOUNDARY}--\r\n")))).await;
    });
    Ok(([(header::CONTENT_TYPE, format!("multipart/form-data; boundary={DOWNLOAD_BOUNDARY}"))], channel_body(rx)).into_response())
}

/// The error part's JSON: the daemon's structured shape.
fn error_json(e: &Error, path: &str) -> String {
    let body = ErrorBody {
        status_code: Some(e.status()),
        message: Some(e.to_string().into()),
        code: Some(e.wire_code().into()),
        source: Some("DAYTONA_DAEMON".into()),
        path: Some(path.to_string()),
        timestamp: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        ..Default::default()
    };
    let mut v = serde_json::to_value(body).unwrap_or_default();
    v["method"] = "POST".into();
    v.to_string()
}

async fn download_one(sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Response, Error> {
    let (file, len) = open_for_download(&sb.fs, &q.path).await?;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        pump_file(file, &tx).await;
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; {}", filename_params(&q.path))),
        ],
        channel_body(rx),
    )
        .into_response())
}
