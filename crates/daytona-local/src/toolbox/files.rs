//! `/files…`: files in a sandbox ([`crate::runtime::files`]), and streamed bulk upload and
//! download (multipart in, multipart out).

use std::path::Path;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::error::ErrorBody;
use daytona_types::toolbox::files::{
    DownloadFilesRequest, FileInfo, Match, ReplaceRequest, ReplaceResult, SearchFilesResponse, UploadResponse, UploadV2Response, UploadedFile,
    DOWNLOAD_BOUNDARY,
};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::http::{error_with, AppJson};
use crate::runtime::files::{self, open_for_download, DeleteQuery, FolderQuery, ListQuery, MoveQuery, PathQuery, PatternQuery, PermissionsQuery};
use crate::runtime::pending_file::PendingFile;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

/// Read buffer for streaming files: memory per transfer stays bounded by a few of these.
const CHUNK: usize = 64 * 1024;

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
        .route("/files/upload-v2", post(upload_v2).layer(DefaultBodyLimit::disable()))
        .route("/files/bulk-download", post(bulk_download))
        // Uploads stream to disk, so the body size is not limited here.
        .route("/files/bulk-upload", post(bulk_upload).layer(DefaultBodyLimit::disable()))
}

async fn list(sb: SandboxCtx, Query(q): Query<ListQuery>) -> Result<Json<Vec<FileInfo>>, Error> {
    Ok(Json(files::list(&sb, q)?))
}

async fn info(sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Json<FileInfo>, Error> {
    Ok(Json(files::info(&sb, q)?))
}

async fn create_folder(sb: SandboxCtx, Query(q): Query<FolderQuery>) -> Result<StatusCode, Error> {
    files::create_folder(&sb, q)?;
    Ok(StatusCode::CREATED)
}

async fn delete(sb: SandboxCtx, Query(q): Query<DeleteQuery>) -> Result<StatusCode, Error> {
    files::delete(&sb, q)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn move_files(sb: SandboxCtx, Query(q): Query<MoveQuery>) -> Result<StatusCode, Error> {
    files::move_files(&sb, q)?;
    Ok(StatusCode::OK)
}

async fn set_permissions(sb: SandboxCtx, Query(q): Query<PermissionsQuery>) -> Result<StatusCode, Error> {
    files::set_permissions(&sb, q)?;
    Ok(StatusCode::OK)
}

async fn find(sb: SandboxCtx, Query(q): Query<PatternQuery>) -> Result<Json<Vec<Match>>, Error> {
    Ok(Json(files::find(&sb, q).await?))
}

async fn search(sb: SandboxCtx, Query(q): Query<PatternQuery>) -> Result<Json<SearchFilesResponse>, Error> {
    Ok(Json(files::search(&sb, q)?))
}

async fn replace(sb: SandboxCtx, AppJson(req): AppJson<ReplaceRequest>) -> Result<Json<Vec<ReplaceResult>>, Error> {
    Ok(Json(files::replace(&sb, req)?))
}

/// The index in a `files[<i>].path` / `files[<i>].file` field name.
fn upload_field(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix("files[")?;
    let (index, kind) = rest.split_once("].")?;
    Some((index, kind))
}

/// Streams one upload part to a [`PendingFile`], put in place once all of it is on disk.
async fn receive_file<E: std::fmt::Display>(mut data: impl Stream<Item = Result<Bytes, E>> + Unpin, target: &Path) -> Result<u64, Error> {
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let pending = PendingFile::create(target)?;
    let mut out = tokio::fs::File::from_std(pending.file.try_clone()?);
    let mut written = 0u64;
    while let Some(chunk) = data.next().await.transpose().map_err(|e| Error::Invalid(format!("upload interrupted: {e}")))? {
        out.write_all(&chunk).await?;
        written += chunk.len() as u64;
    }
    out.flush().await?;
    out.sync_all().await?;
    drop(out);
    tokio::task::spawn_blocking(move || pending.commit()).await.map_err(|e| Error::Internal(e.into()))??;
    Ok(written)
}

/// `files[i].path` then `files[i].file` pairs; the destination comes only from the path
/// field (browsers put the whole path in the part's filename, Node only the base name).
async fn bulk_upload(sb: SandboxCtx, multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>) -> Response {
    let Ok(mut multipart) = multipart else {
        let refused = UploadResponse { files: vec![], errors: Some(vec!["invalid multipart form".into()]) };
        return error_with(Error::Invalid("invalid multipart form".into()), refused);
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
        // Daytona's error shape, with what was stored and what failed beside it.
        let err = Error::Status(status.as_u16(), errors.join("; "));
        error_with(err, UploadResponse { files: done, errors: Some(errors) })
    }
}

/// `attachment`/`form-data` filename parameters: the raw UTF-8 path (what simple parsers
/// read) plus RFC 5987 `filename*` (what busboy prefers).
fn filename_params(path: &str) -> String {
    let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
    let encoded = percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC);
    format!("filename=\"{escaped}\"; filename*=utf-8''{encoded}")
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
/// the daemon's error JSON. Files are streamed through a small bounded channel; parts and
/// files smaller than a chunk are sent together, so a small download is one body chunk (one
/// read for the client instead of four).
async fn bulk_download(sb: SandboxCtx, AppJson(req): AppJson<DownloadFilesRequest>) -> Result<Response, Error> {
    if req.paths.is_empty() {
        return Err(Error::Invalid("bad request: no paths given".into()));
    }
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let fs = sb.fs.clone();
    tokio::spawn(async move {
        let mut out = Vec::new();
        let flush = |out: &mut Vec<u8>| Ok(Bytes::from(std::mem::take(out)));
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
            out.extend_from_slice(head.as_bytes());
            match opened {
                Ok((file, len)) if len < CHUNK as u64 => {
                    // As many bytes as the part's Content-Length says, even if the file grows.
                    if let Err(e) = file.take(len).read_to_end(&mut out).await {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
                Ok((file, _)) => {
                    if tx.send(flush(&mut out)).await.is_err() || !pump_file(file, &tx).await {
                        return;
                    }
                }
                Err(_) => {}
            }
            out.extend_from_slice(b"\r\n");
            if out.len() >= CHUNK && tx.send(flush(&mut out)).await.is_err() {
                return;
            }
        }
        out.extend_from_slice(format!("--{DOWNLOAD_BOUNDARY}--\r\n").as_bytes());
        let _ = tx.send(flush(&mut out)).await;
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

/// One file to `path` (parents made, a file there replaced), sent as the field `file` of a
/// multipart form or as the whole body: what a pre-signed upload URL takes.
async fn upload_v2(sb: SandboxCtx, Query(q): Query<PathQuery>, req: Request) -> Result<Json<UploadV2Response>, Error> {
    let target = sb.fs.resolve(&q.path)?;
    let form = req.headers().get(header::CONTENT_TYPE).and_then(|t| t.to_str().ok()).is_some_and(|t| t.starts_with("multipart/form-data"));
    if form {
        let mut multipart = Multipart::from_request(req, &()).await.map_err(|e| Error::Invalid(format!("invalid multipart form: {e}")))?;
        loop {
            match multipart.next_field().await.map_err(|e| Error::Invalid(format!("upload interrupted: {e}")))? {
                Some(mut field) if field.name() == Some("file") => break receive_file(&mut field, &target.host).await?,
                Some(_) => continue,
                None => return Err(Error::Invalid("the form has no field `file`".into())),
            };
        }
    } else {
        receive_file(req.into_body().into_data_stream(), &target.host).await?
    };
    let name = Path::new(&target.virt).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Json(UploadV2Response { name, path: target.virt, kind: "file".into() }))
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
