//! `ObjectStorage`: uploads a build context (a local file or directory) as
//! `<organizationId>/<hash>/context.tar` to an S3-compatible store, signed with SigV4, and
//! skips it when that hash is already stored. The hash is the official
//! SDK's, byte for byte, so both share what is stored.

pub mod sigv4;
pub mod tar;

use std::rc::Rc;

use daytona_types::sigv4::hex;
use md5::{Digest, Md5};
use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::context::ClientContext;
use crate::error::{Error, Result};
use crate::image::{ImageContext, LocalKind};
use crate::json_object::JsonObject;
use crate::transport::{Body, Clock, HttpRequest, HttpResponse, HttpTransport, Method};
use sigv4::{sign, Credentials};
use tar::{Entry, TarWriter};

/// Bodies above this go up as a multipart upload in parts of this size (S3's minimum part).
const PART: usize = 5 * 1024 * 1024;

/// The local file system, where the runtime has one (Node, Bun, Deno).
pub trait LocalFiles {
    /// What is at `path` (`None`: nothing).
    fn kind(&self, path: &str) -> Result<Option<LocalKind>>;
    /// A directory's entries in the runtime's `readdir` order.
    fn list(&self, dir: &str) -> Result<Vec<(String, LocalKind)>>;
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// Where `path` really is, links resolved.
    fn real_path(&self, path: &str) -> Result<RealPath>;
}

/// What resolving a path's links found.
#[derive(Debug, Clone, PartialEq)]
pub enum RealPath {
    Resolved(String),
    /// Something is there (a dangling link) but it leads nowhere.
    Dangling,
    Missing,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct ObjectStorageConfig {
    pub endpoint_url: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub session_token: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub bucket_name: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub region: Option<String>,
}

impl FromArg for ObjectStorageConfig {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(ObjectStorageConfig {
            endpoint_url: f.required("endpointUrl"),
            access_key_id: f.required("accessKeyId"),
            secret_access_key: f.required("secretAccessKey"),
            session_token: f.opt("sessionToken"),
            bucket_name: f.opt("bucketName"),
            region: f.opt("region"),
        })
    }
}

pub struct ObjectStorage {
    endpoint: String,
    bucket: String,
    creds: Credentials,
    transport: Rc<dyn HttpTransport>,
    clock: Rc<dyn Clock>,
}

fn join(dir: &str, name: &str) -> String {
    format!("{}/{name}", dir.trim_end_matches('/'))
}

fn relative<'a>(base: &str, path: &'a str) -> &'a str {
    path.strip_prefix(base).map_or(path, |r| r.trim_start_matches('/'))
}

pub fn md5_hex(data: &[u8]) -> String {
    hex(&Md5::digest(data))
}

/// The context hash: MD5 over the archive path, then a file's bytes, or for a directory
/// each file's path (relative to it) and bytes, depth first in `readdir` order, and the
/// relative path of each directory with no files or subdirectories.
pub fn context_hash(files: &dyn LocalFiles, path: &str, kind: LocalKind, archive_path: &str) -> Result<String> {
    fn walk(files: &dyn LocalFiles, dir: &str, base: &str, md5: &mut Md5) -> Result<()> {
        let entries = files.list(dir)?;
        if !entries.iter().any(|(_, k)| matches!(k, LocalKind::File | LocalKind::Dir)) {
            md5.update(relative(base, dir));
        }
        for (name, kind) in entries {
            let full = join(dir, &name);
            match kind {
                LocalKind::Dir => walk(files, &full, base, md5)?,
                LocalKind::File => {
                    md5.update(relative(base, &full));
                    md5.update(files.read(&full)?);
                }
                LocalKind::Other => {}
            }
        }
        Ok(())
    }
    let mut md5 = Md5::new();
    md5.update(archive_path);
    match kind {
        LocalKind::File => md5.update(files.read(path)?),
        _ => walk(files, path, path, &mut md5)?,
    }
    Ok(hex(&md5.finalize()))
}

/// The context as a tar whose entries are named by the archive path (without a leading `/`).
pub fn context_tar(files: &dyn LocalFiles, path: &str, kind: LocalKind, archive_path: &str, mtime_s: u64) -> Result<Vec<u8>> {
    fn walk(files: &dyn LocalFiles, tar: &mut TarWriter, dir: &str, name: &str, mtime: u64) -> Result<()> {
        tar.add(name, Entry::Dir, 0o755, mtime).map_err(Error::InvalidArgument)?;
        for (child, kind) in files.list(dir)? {
            let (full, named) = (join(dir, &child), join(name, &child));
            match kind {
                LocalKind::Dir => walk(files, tar, &full, &named, mtime)?,
                LocalKind::File => tar.add(&named, Entry::File(&files.read(&full)?), 0o644, mtime).map_err(Error::InvalidArgument)?,
                LocalKind::Other => {}
            }
        }
        Ok(())
    }
    let name = archive_path.trim_start_matches('/').trim_end_matches('/');
    let mut tar = TarWriter::default();
    match kind {
        LocalKind::File => tar.add(name, Entry::File(&files.read(path)?), 0o644, mtime_s).map_err(Error::InvalidArgument)?,
        _ => walk(files, &mut tar, path, name, mtime_s)?,
    }
    Ok(tar.finish())
}

/// AWS's encoding of one path segment or query value.
fn aws_encode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

impl ObjectStorage {
    pub fn new(config: ObjectStorageConfig, transport: Rc<dyn HttpTransport>, clock: Rc<dyn Clock>) -> Self {
        let creds = Credentials {
            access_key_id: config.access_key_id,
            secret_access_key: config.secret_access_key,
            session_token: config.session_token.filter(|t| !t.is_empty()),
            region: config.region.filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into()),
        };
        let bucket = config.bucket_name.filter(|b| !b.is_empty()).unwrap_or_else(|| "daytona-volume-builds".into());
        ObjectStorage { endpoint: config.endpoint_url.trim_end_matches('/').to_string(), bucket, creds, transport, clock }
    }

    /// Uploads `path` (archived under `archive_path`) for `organization_id` unless its hash is
    /// stored already; answers the hash.
    pub async fn upload(&self, files: &dyn LocalFiles, path: &str, organization_id: &str, archive_path: &str) -> Result<String> {
        let kind = files.kind(path)?.ok_or_else(|| Error::NotFound(format!("Path does not exist: {path}")))?;
        let hash = context_hash(files, path, kind, archive_path)?;
        let mtime = (self.clock.now_ms() / 1000.0) as u64;
        self.store(organization_id, &hash, || context_tar(files, path, kind, archive_path, mtime)).await
    }

    /// [`upload`](Self::upload) for content given in memory: a single file at `archive_path`,
    /// hashed as a local file would be.
    pub async fn upload_bytes(&self, data: &[u8], organization_id: &str, archive_path: &str) -> Result<String> {
        let mut md5 = Md5::new();
        md5.update(archive_path);
        md5.update(data);
        let hash = hex(&md5.finalize());
        let mtime = (self.clock.now_ms() / 1000.0) as u64;
        self.store(organization_id, &hash, || {
            let mut tar = TarWriter::default();
            tar.add(archive_path.trim_start_matches('/'), Entry::File(data), 0o644, mtime).map_err(Error::InvalidArgument)?;
            Ok(tar.finish())
        })
        .await
    }

    /// Puts `<org>/<hash>/context.tar` unless something is stored under that prefix.
    async fn store(&self, organization_id: &str, hash: &str, tar: impl FnOnce() -> Result<Vec<u8>>) -> Result<String> {
        let prefix = format!("{organization_id}/{hash}/");
        let listed = self.send(Method::Get, &format!("?list-type=2&max-keys=1&prefix={}", aws_encode(&prefix)), Vec::new()).await?;
        if !String::from_utf8_lossy(&listed.body).contains("<Contents>") {
            self.put(&format!("{prefix}context.tar"), tar()?).await?;
        }
        Ok(hash.to_string())
    }

    async fn put(&self, key: &str, data: Vec<u8>) -> Result<()> {
        let key = key.split('/').map(aws_encode).collect::<Vec<_>>().join("/");
        if data.len() <= PART {
            return self.send(Method::Put, &format!("{key}?x-id=PutObject"), data).await.map(drop);
        }
        let started = self.send(Method::Post, &format!("{key}?uploads"), Vec::new()).await?;
        let text = String::from_utf8_lossy(&started.body);
        let id = text
            .split("<UploadId>")
            .nth(1)
            .and_then(|s| s.split("</UploadId>").next())
            .ok_or_else(|| Error::Other("object storage: no UploadId in the multipart answer".into()))?;
        let id = aws_encode(id);
        let mut listed = String::new();
        for (i, part) in data.chunks(PART).enumerate() {
            let n = i + 1;
            let resp = self.send(Method::Put, &format!("{key}?partNumber={n}&uploadId={id}"), part.to_vec()).await?;
            let etag = resp.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("etag")).map(|(_, v)| v.clone()).unwrap_or_default();
            listed += &format!("<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>");
        }
        let done = format!("<CompleteMultipartUpload>{listed}</CompleteMultipartUpload>");
        self.send(Method::Post, &format!("{key}?uploadId={id}"), done.into_bytes()).await.map(drop)
    }

    /// A signed request to `{endpoint}/{bucket}/{rest}`; non-2xx answers are errors.
    async fn send(&self, method: Method, rest: &str, body: Vec<u8>) -> Result<HttpResponse> {
        let mut req = HttpRequest::new(method, format!("{}/{}/{rest}", self.endpoint, aws_encode(&self.bucket)));
        sign(&mut req, &self.creds, &body, self.clock.now_ms());
        if !body.is_empty() {
            req.body = Body::Bytes(body);
        }
        let resp = self.transport.send(req).await?;
        if !resp.is_success() {
            let text = String::from_utf8_lossy(&resp.body);
            let code = text.split("<Code>").nth(1).and_then(|s| s.split("</Code>").next()).unwrap_or("error");
            return Err(Error::Other(format!("object storage answered HTTP {}: {code}", resp.status)));
        }
        Ok(resp)
    }
}

/// Uploads an `Image`'s local context with push access from the Daytona API; answers the
/// context hashes in the context list's order.
pub async fn upload_contexts(ctx: &ClientContext, files: &dyn LocalFiles, contexts: &[ImageContext]) -> Result<Vec<String>> {
    if contexts.is_empty() {
        return Ok(Vec::new());
    }
    // `StorageAccess`, read field by field (a typed decoder costs wasm for six strings).
    let access: JsonObject = ctx.json(crate::endpoints::object_storage::push_access(ctx.api_url())).await?;
    let field =
        |key: &str| access.text(key).map(str::to_string).ok_or_else(|| Error::Other(format!("failed to decode response: no {key} in the storage access")));
    let config = ObjectStorageConfig {
        endpoint_url: field("storageUrl")?,
        access_key_id: field("accessKey")?,
        secret_access_key: field("secret")?,
        session_token: Some(field("sessionToken")?),
        bucket_name: Some(field("bucket")?),
        region: access.text("region").map(str::to_string),
    };
    let organization_id = field("organizationId")?;
    let storage = ObjectStorage::new(config, ctx.transport(), ctx.clock_rc());
    let mut hashes = Vec::with_capacity(contexts.len());
    for c in contexts {
        hashes.push(match &c.data {
            Some(data) => storage.upload_bytes(data, &organization_id, &c.archive_path).await?,
            None => storage.upload(files, &c.source_path, &organization_id, &c.archive_path).await?,
        });
    }
    Ok(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MemFiles as Mem;
    use std::collections::BTreeMap;

    fn tree() -> Mem {
        let mut m = BTreeMap::new();
        m.insert("/tmp/imgtest/a.txt".to_string(), Some(b"hi\n".to_vec()));
        m.insert("/tmp/imgtest/dir".to_string(), None);
        m.insert("/tmp/imgtest/dir/f".to_string(), Some(b"x\n".to_vec()));
        m.insert("/tmp/imgtest/dir/empty".to_string(), None);
        Mem(m)
    }

    /// The hashes the official SDK computes for the same tree.
    #[test]
    fn hashes_match_the_official_sdk() {
        let t = tree();
        assert_eq!(context_hash(&t, "/tmp/imgtest/a.txt", LocalKind::File, "/tmp/imgtest/a.txt").unwrap(), "86e3c99af7715281afbd2a4d34e5bba0");
        let mut no_empty = tree();
        no_empty.0.remove("/tmp/imgtest/dir/empty");
        assert_eq!(context_hash(&no_empty, "/tmp/imgtest/dir", LocalKind::Dir, "/tmp/imgtest/dir").unwrap(), "7c590dfda2d4dde0c169a789b486e896");
        // An empty directory adds its relative path.
        let mut with_empty = Md5::new();
        with_empty.update("/tmp/imgtest/dir");
        with_empty.update("empty");
        with_empty.update("f");
        with_empty.update("x\n");
        assert_eq!(context_hash(&t, "/tmp/imgtest/dir", LocalKind::Dir, "/tmp/imgtest/dir").unwrap(), hex(&with_empty.finalize()));
    }

    #[test]
    fn the_tar_holds_the_context_under_its_archive_path() {
        let t = tree();
        let bytes = context_tar(&t, "/tmp/imgtest/dir", LocalKind::Dir, "/tmp/imgtest/dir", 1_700_000_000).unwrap();
        let mut archive = ::tar::Archive::new(&bytes[..]);
        let mut seen = Vec::new();
        for e in archive.entries().unwrap() {
            let mut e = e.unwrap();
            let mut body = String::new();
            std::io::Read::read_to_string(&mut e, &mut body).unwrap();
            seen.push((e.path().unwrap().to_string_lossy().into_owned(), e.header().entry_type().is_dir(), body, e.header().mtime().unwrap()));
        }
        assert_eq!(
            seen,
            vec![
                ("tmp/imgtest/dir/".into(), true, String::new(), 1_700_000_000),
                ("tmp/imgtest/dir/empty/".into(), true, String::new(), 1_700_000_000),
                ("tmp/imgtest/dir/f".into(), false, "x\n".into(), 1_700_000_000),
            ]
        );
        let long = format!("{}/file.txt", "d".repeat(120));
        let mut w = TarWriter::default();
        w.add(&long, Entry::File(b"z"), 0o644, 0).unwrap();
        let bytes = w.finish();
        let mut archive = ::tar::Archive::new(&bytes[..]);
        assert_eq!(archive.entries().unwrap().next().unwrap().unwrap().path().unwrap().to_string_lossy(), long);
    }
}
