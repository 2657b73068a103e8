//! The S3-compatible object storage that build contexts are uploaded to (the push
//! access of `GET /api/object-storage/push-access`), at `{public url}/s3/{bucket}/{key}`, path-style. Enough of S3 for AWS SDKs and
//! our package: `ListObjectsV2`, `PutObject`, `GetObject`/`HeadObject`, `DeleteObject`, and
//! multipart uploads. Every request must carry a valid SigV4 signature made with the
//! credentials `GET /api/object-storage/push-access` hands out (derived from the API key,
//! so they need no storage and survive restarts). Objects are files under the data dir.

pub mod sigv4;

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::state::AppState;
use daytona_types::sigv4::hex;
use sigv4::Credentials;

/// The region the credentials are for (any region works; this one is what AWS SDKs default to).
pub const REGION: &str = "us-east-1";
/// Where the S3 API is mounted.
pub const PREFIX: &str = "/s3";

/// The credentials for this server's API key.
pub fn credentials(api_key: &str) -> Credentials {
    let derive = |what: &str| hex(&crate::secrets::derive(api_key, what));
    Credentials { access_key: format!("DTL{}", &derive("s3:access")[..17].to_uppercase()), secret: derive("s3:secret"), session_token: derive("s3:session") }
}

/// An S3 error answer.
#[derive(Debug)]
struct S3Error(StatusCode, &'static str, String);

impl IntoResponse for S3Error {
    fn into_response(self) -> Response {
        let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message></Error>", self.1, xml(&self.2));
        (self.0, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
    }
}

fn bad(msg: impl Into<String>) -> S3Error {
    S3Error(StatusCode::BAD_REQUEST, "InvalidRequest", msg.into())
}

fn internal(e: impl std::fmt::Display) -> S3Error {
    tracing::error!(error = %e, "object storage");
    S3Error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", "an internal error occurred".into())
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn xml_ok(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml")], format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")).into_response()
}

/// A bucket name as S3 allows them, and a key whose every segment is a plain name: the two
/// become a path under the objects directory, so nothing may climb out.
fn locate(root: &Path, path: &str) -> Result<(String, String, PathBuf), S3Error> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| bad("the path is not UTF-8"))?;
    let (bucket, key) = decoded.split_once('/').unwrap_or((&decoded, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !bucket.contains("..");
    if !bucket_ok {
        return Err(S3Error(StatusCode::BAD_REQUEST, "InvalidBucketName", format!("invalid bucket name {bucket:?}")));
    }
    let key_ok = key.is_empty() || key.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\0') && !s.starts_with(".upload-"));
    if !key_ok {
        return Err(bad(format!("invalid object key {key:?}")));
    }
    let file = root.join(bucket).join(key);
    Ok((bucket.to_string(), key.to_string(), file))
}

fn query_value<'a>(query: &'a str, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Every S3 request: checks the signature, then dispatches on method and query.
pub async fn handle(State(s): State<AppState>, req: Request) -> Response {
    match serve(&s, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve(s: &AppState, req: Request) -> Result<Response, S3Error> {
    let (parts, body) = req.into_parts();
    let full = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or_default().to_string();
    let creds = credentials(&s.api_key);
    sigv4::verify(&creds, &parts.method, &full, &query, &parts.headers, chrono::Utc::now().timestamp())
        .map_err(|(code, msg)| S3Error(StatusCode::FORBIDDEN, code, msg))?;
    let root = s.sandboxes.objects_root().to_path_buf();
    let (bucket, key, file) = locate(&root, full.strip_prefix(PREFIX).unwrap_or(&full).trim_start_matches('/'))?;
    let upload_id = query_value(&query, "uploadId").map(|u| u.into_owned());
    if let Some(id) = &upload_id {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(S3Error(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload".into()));
        }
    }
    let upload_dir = |id: &str| root.join(&bucket).join(format!(".upload-{id}"));
    let method = parts.method.clone();
    match (method, key.is_empty()) {
        (Method::GET, true) if query_value(&query, "list-type").as_deref() == Some("2") => list(&root, &bucket, &query).await,
        (Method::GET | Method::HEAD, true) => Err(bad("only ListObjectsV2 (list-type=2) is served on a bucket")),
        (Method::PUT, false) => {
            let target = match (&upload_id, query_value(&query, "partNumber")) {
                (Some(id), Some(n)) => {
                    let n: u32 = n.parse().ok().filter(|n| (1..=10_000).contains(n)).ok_or_else(|| bad("partNumber must be 1-10000"))?;
                    let dir = upload_dir(id);
                    if !dir.is_dir() {
                        return Err(S3Error(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload".into()));
                    }
                    dir.join(format!("{n:05}"))
                }
                _ => file,
            };
            let etag = receive(&parts.headers, body, &target).await?;
            Ok(([(header::ETAG, format!("\"{etag}\""))], "").into_response())
        }
        (Method::POST, false) if query_value(&query, "uploads").is_some() => {
            let id = uuid::Uuid::new_v4().to_string();
            tokio::fs::create_dir_all(upload_dir(&id)).await.map_err(internal)?;
            std::fs::write(upload_dir(&id).join("key"), &key).map_err(internal)?;
            Ok(xml_ok(format!(
                "<InitiateMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>",
                xml(&bucket),
                xml(&key)
            )))
        }
        (Method::POST, false) if upload_id.is_some() => {
            let dir = upload_dir(upload_id.as_deref().unwrap_or_default());
            let listed = axum::body::to_bytes(body, 1 << 20).await.map_err(|_| bad("the part list is too large"))?;
            let declared = parts.headers.get("x-amz-content-sha256").and_then(|v| v.to_str().ok()).unwrap_or_default();
            if declared != "UNSIGNED-PAYLOAD" && declared != hex(&Sha256::digest(&listed)) {
                return Err(S3Error(StatusCode::BAD_REQUEST, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256".into()));
            }
            complete(&dir, &String::from_utf8_lossy(&listed), &key, &file).await?;
            Ok(xml_ok(format!("<CompleteMultipartUploadResult><Bucket>{}</Bucket><Key>{}</Key></CompleteMultipartUploadResult>", xml(&bucket), xml(&key))))
        }
        (Method::DELETE, false) if upload_id.is_some() => {
            let _ = tokio::fs::remove_dir_all(upload_dir(upload_id.as_deref().unwrap_or_default())).await;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (Method::GET | Method::HEAD, false) => {
            let data = tokio::fs::read(&file).await.map_err(|_| S3Error(StatusCode::NOT_FOUND, "NoSuchKey", format!("no object {key}")))?;
            let len = data.len();
            let body = if parts.method == Method::HEAD { Body::empty() } else { Body::from(data) };
            Ok(([(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_LENGTH, len.to_string())], body).into_response())
        }
        (Method::DELETE, false) => {
            let _ = tokio::fs::remove_file(&file).await;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (m, _) => Err(S3Error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", format!("{m} is not supported here"))),
    }
}

/// A temporary file beside its target, removed unless it is moved into place: also when
/// the request is dropped midway (a client that went away).
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    fn beside(target: &Path) -> Result<Self, S3Error> {
        let parent = target.parent().ok_or_else(|| bad("invalid object key"))?;
        Ok(TempFile { path: parent.join(format!(".upload-{}", uuid::Uuid::new_v4())), armed: true })
    }

    async fn keep(mut self, target: &Path) -> Result<(), S3Error> {
        tokio::fs::rename(&self.path, target).await.map_err(|e| bad(format!("cannot store the object there: {e}")))?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes a body to `target` (atomically, through a temporary file), checking it against
/// the signed `x-amz-content-sha256`. Answers the body's MD5 (its ETag).
async fn receive(headers: &HeaderMap, body: Body, target: &Path) -> Result<String, S3Error> {
    let declared = headers.get("x-amz-content-sha256").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if declared.starts_with("STREAMING-") {
        return Err(S3Error(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "aws-chunked uploads are not supported: send the body with its SHA-256 or UNSIGNED-PAYLOAD".into(),
        ));
    }
    let parent = target.parent().ok_or_else(|| bad("invalid object key"))?;
    tokio::fs::create_dir_all(parent).await.map_err(|e| bad(format!("cannot store the object there: {e}")))?;
    let tmp = TempFile::beside(target)?;
    let mut out = tokio::fs::File::create(&tmp.path).await.map_err(internal)?;
    let (mut sha, mut md5) = (Sha256::new(), md5::Md5::new());
    let mut stream = body.into_data_stream();
    let written = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| bad(format!("reading the body: {e}")))?;
            sha.update(&chunk);
            md5.update(&chunk);
            out.write_all(&chunk).await.map_err(internal)?;
        }
        out.flush().await.map_err(internal)
    }
    .await;
    written.and_then(|()| match declared.as_str() {
        "UNSIGNED-PAYLOAD" => Ok(()),
        hash if hash == hex(&sha.finalize()) => Ok(()),
        _ => Err(S3Error(StatusCode::BAD_REQUEST, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256".into())),
    })?;
    tmp.keep(target).await?;
    Ok(hex(&md5.finalize()))
}

/// Joins the uploaded parts named in a `CompleteMultipartUpload` body, in its order.
async fn complete(dir: &Path, listed: &str, key: &str, file: &Path) -> Result<(), S3Error> {
    let started_for = tokio::fs::read_to_string(dir.join("key")).await.map_err(|_| S3Error(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload".into()))?;
    if started_for != key {
        return Err(S3Error(StatusCode::NOT_FOUND, "NoSuchUpload", "the upload is for another key".into()));
    }
    let numbers: Vec<u32> = listed.split("<PartNumber>").skip(1).filter_map(|s| s.split("</PartNumber>").next()?.trim().parse().ok()).collect();
    if numbers.is_empty() {
        return Err(S3Error(StatusCode::BAD_REQUEST, "MalformedXML", "no parts listed".into()));
    }
    let parent = file.parent().ok_or_else(|| bad("invalid object key"))?;
    tokio::fs::create_dir_all(parent).await.map_err(|e| bad(format!("cannot store the object there: {e}")))?;
    let tmp = TempFile::beside(file)?;
    let mut out = tokio::fs::File::create(&tmp.path).await.map_err(internal)?;
    for n in numbers {
        let mut part = tokio::fs::File::open(dir.join(format!("{n:05}")))
            .await
            .map_err(|_| S3Error(StatusCode::BAD_REQUEST, "InvalidPart", format!("part {n} was not uploaded")))?;
        tokio::io::copy(&mut part, &mut out).await.map_err(internal)?;
    }
    out.flush().await.map_err(internal)?;
    tmp.keep(file).await?;
    let _ = tokio::fs::remove_dir_all(dir).await;
    Ok(())
}

/// `ListObjectsV2` with `prefix` and `max-keys` (keys in byte order). The walk starts at the
/// prefix's directory (checked as keys are), not at the bucket's root.
async fn list(root: &Path, bucket: &str, query: &str) -> Result<Response, S3Error> {
    let prefix = query_value(query, "prefix").unwrap_or_default().into_owned();
    let max: usize = query_value(query, "max-keys").and_then(|m| m.parse().ok()).unwrap_or(1000).min(1000);
    let dir = root.join(bucket);
    let start = match prefix.rsplit_once('/') {
        Some((folders, _)) => locate(root, &format!("{bucket}/{folders}"))?.2,
        None => dir.clone(),
    };
    let mut keys: Vec<(String, u64)> = walkdir::WalkDir::new(&start)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with(".upload-"))
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((e.path().strip_prefix(&dir).ok()?.to_str()?.to_string(), e.metadata().ok()?.len())))
        .filter(|(k, _)| k.starts_with(&prefix))
        .collect();
    keys.sort();
    let truncated = keys.len() > max;
    keys.truncate(max);
    let contents: String =
        keys.iter().map(|(k, size)| format!("<Contents><Key>{}</Key><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>", xml(k))).collect();
    Ok(xml_ok(format!(
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{}</Name><Prefix>{}</Prefix><KeyCount>{}</KeyCount><MaxKeys>{max}</MaxKeys><IsTruncated>{truncated}</IsTruncated>{contents}</ListBucketResult>",
        xml(bucket),
        xml(&prefix),
        keys.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_objects_directory() {
        let root = Path::new("/data/objects");
        let (b, k, f) = locate(root, "daytona-volume-builds/org/abc/context.tar").unwrap();
        assert_eq!((b.as_str(), k.as_str(), f), ("daytona-volume-builds", "org/abc/context.tar", root.join("daytona-volume-builds/org/abc/context.tar")));
        for bad in ["../etc/passwd", "bucket/../../x", "bucket/a//b", "ab/x", "Bucket/x", "bucket/%2e%2e/x", "bucket/.upload-x/key"] {
            assert!(locate(root, bad).is_err(), "{bad}");
        }
    }
}
