//! `sandbox.fs`: file operations in a sandbox, through its toolbox.

use std::collections::VecDeque;

use daytona_types::framing::multipart::{self, Decoder, Event};
use daytona_types::toolbox::files::ReplaceRequest;
use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::call::{read, Call, Json};
use crate::context::ClientContext;
use crate::endpoints::files::{self as ep, Upload};
use crate::error::{Error, Result};
use crate::params::timeout_secs;
use crate::retry::Outcome;
use crate::sandbox::SandboxClient;
use crate::transport::{ByteStream, HttpRequest, HttpResponse, LocalBoxFuture, TransportError};

/// The official SDK's default for transfers: 30 minutes.
const TRANSFER_TIMEOUT_S: f64 = 1800.0;

#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct FilePermissionsParams {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub owner: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub group: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub mode: Option<String>,
}

impl FromArg for FilePermissionsParams {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(FilePermissionsParams { owner: f.opt("owner"), group: f.opt("group"), mode: f.opt("mode") })
    }
}

#[derive(Clone)]
pub struct FileSystemClient {
    sandbox: SandboxClient,
}

impl FileSystemClient {
    /// This client for one cancellable call: its requests carry `signal`.
    pub fn with_signal(&self, signal: crate::transport::Signal) -> Self {
        FileSystemClient { sandbox: self.sandbox.with_signal(signal) }
    }

    pub fn new(sandbox: SandboxClient) -> Self {
        FileSystemClient { sandbox }
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    pub fn create_folder(&self, path: &str, mode: &str) -> Call<()> {
        self.sandbox.call(ep::create_folder(&self.base(), path, mode), read::nothing)
    }

    pub fn delete_file(&self, path: &str, recursive: Option<bool>) -> Call<()> {
        self.sandbox.call(ep::delete(&self.base(), path, recursive), read::nothing)
    }

    /// `FileInfo`.
    pub fn get_file_details(&self, path: &str) -> Call<Json> {
        self.sandbox.call(ep::info(&self.base(), path), read::json)
    }

    /// The entries of `path`, and with `depth` > 1 theirs too (each with its full `path`).
    /// `Vec<FileInfo>`.
    pub fn list_files(&self, path: &str, depth: Option<f64>) -> Result<Call<Json>> {
        let depth = match depth {
            None => None,
            Some(d) if d.fract() == 0.0 && (1.0..=u32::MAX as f64).contains(&d) => Some(d as u32),
            Some(_) => return Err(crate::Error::Other("depth must be an integer of at least 1".into())),
        };
        Ok(self.sandbox.call(ep::list(&self.base(), path, depth), read::json))
    }

    pub fn move_files(&self, source: &str, destination: &str) -> Call<()> {
        self.sandbox.call(ep::move_files(&self.base(), source, destination), read::nothing)
    }

    pub fn set_file_permissions(&self, path: &str, p: FilePermissionsParams) -> Call<()> {
        self.sandbox.call(ep::set_permissions(&self.base(), path, p.owner, p.group, p.mode), read::nothing)
    }

    /// `Vec<Match>`.
    pub fn find_files(&self, path: &str, pattern: &str) -> Call<Json> {
        self.sandbox.call(ep::find(&self.base(), path, pattern), read::json)
    }

    /// `SearchFilesResponse`.
    pub fn search_files(&self, path: &str, pattern: &str) -> Call<Json> {
        self.sandbox.call(ep::search(&self.base(), path, pattern), read::json)
    }

    /// `Vec<ReplaceResult>`.
    pub fn replace_in_files(&self, files: Vec<String>, pattern: &str, new_value: &str) -> Call<Json> {
        let body = ReplaceRequest { files, pattern: pattern.into(), new_value: new_value.into() };
        self.sandbox.call(ep::replace(&self.base(), &body), read::json)
    }

    /// Uploads files in one multipart request; the data is never read by the core.
    pub fn upload_files(&self, files: Vec<Upload>, timeout: Option<f64>) -> Result<Call<()>> {
        let ms = (timeout_secs(timeout, TRANSFER_TIMEOUT_S)? * 1000.0) as u64;
        Ok(self.sandbox.call(ep::bulk_upload(&self.base(), files, ms), read::nothing))
    }

    /// Starts a bulk download; read it with [`Download::next`]. `read_ahead` is how much the
    /// transport may read before handing data on ([`HttpRequest::read_ahead`]): [`READ_AHEAD`]
    /// for a download read whole, 0 for one handed to a caller chunk by chunk.
    pub async fn download(&self, paths: Vec<String>, timeout: Option<f64>, read_ahead: u32) -> Result<Download> {
        let ms = (timeout_secs(timeout, TRANSFER_TIMEOUT_S)? * 1000.0) as u64;
        let mut req = ep::bulk_download(&self.base(), &paths, ms);
        req.read_ahead = read_ahead;
        let ctx = self.sandbox.ctx().clone();
        let (body, decoder) = Download::open_body(&ctx, req.clone()).await?;
        Ok(Download { body, decoder, queue: VecDeque::new(), part: None, ended: false, requested: paths, ctx, req, delivered: false, resends: 0 })
    }
}

/// What a bulk download yields, in order: for each part, `Start`, its `Data`, then `End`;
/// or `Failed` for a path the server could not send.
#[derive(Debug, PartialEq)]
pub enum DownloadItem {
    /// A file's data begins; `size` is its part's `Content-Length`, when the server sent one.
    Start {
        path: String,
        size: Option<u64>,
    },
    Data(Vec<u8>),
    End,
    Failed {
        path: String,
        error: Error,
    },
}

enum Part {
    File,
    /// An error part: its JSON is collected, then reported whole.
    Error {
        path: String,
        body: Vec<u8>,
    },
    /// A part nobody asked for: drained and ignored.
    Other,
}

/// How much of a download read whole the transport reads before handing it on.
pub const READ_AHEAD: u32 = 256 << 10;

/// A bulk download being read: holds one network chunk (or [`READ_AHEAD`] bytes) at a time,
/// never a whole file.
pub struct Download {
    body: Box<dyn ByteStream>,
    decoder: Decoder,
    queue: VecDeque<Event>,
    part: Option<Part>,
    ended: bool,
    requested: Vec<String>,
    /// To send the request again if the answer breaks off before anything was handed on.
    ctx: ClientContext,
    req: HttpRequest,
    delivered: bool,
    resends: u32,
}

/// The error an error part describes, classified like any API error.
fn part_error(body: &[u8]) -> Error {
    let status = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("statusCode").or_else(|| v.get("status_code")).and_then(|s| s.as_u64()))
        .unwrap_or(500) as u16;
    Error::from_response(&HttpResponse { status, headers: vec![], body: body.to_vec() })
}

impl Download {
    async fn open_body(ctx: &ClientContext, req: HttpRequest) -> Result<(Box<dyn ByteStream>, Decoder)> {
        let resp = ctx.send_streaming(req).await?;
        let boundary = resp.header("content-type").and_then(multipart::boundary).ok_or_else(|| Error::Other("bulk download answer is not multipart".into()))?;
        Ok((resp.body, Decoder::new(&boundary)))
    }

    pub async fn next(&mut self) -> Result<Option<DownloadItem>> {
        let item = self.next_item().await;
        self.delivered |= matches!(item, Ok(Some(_)));
        item
    }

    /// The answer broke off before any of it was handed on: the download starts over, as
    /// the retry policy allows (a download only reads, so it may be sent again). Boxed: the
    /// rare path stays out of the state machine every chunk goes through.
    fn start_over(&mut self, e: TransportError) -> LocalBoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let clock = self.ctx.clock_rc();
            match self.ctx.config().retry.delay(true, Outcome::Failed(&e), self.resends, clock.now_ms(), None) {
                Some(ms) if !self.delivered => clock.sleep(ms).await,
                _ => return Err(e.into()),
            }
            self.resends += 1;
            (self.body, self.decoder) = Download::open_body(&self.ctx, self.req.clone()).await?;
            self.queue.clear();
            self.part = None;
            Ok(())
        })
    }

    async fn next_item(&mut self) -> Result<Option<DownloadItem>> {
        loop {
            while let Some(event) = self.queue.pop_front() {
                match (event, &mut self.part) {
                    (Event::Part(h), _) => {
                        let (path, size) = (h.filename.unwrap_or_default(), h.content_length);
                        if !self.requested.contains(&path) {
                            self.part = Some(Part::Other);
                            continue;
                        }
                        if h.name.as_deref() == Some("error") {
                            self.part = Some(Part::Error { path, body: Vec::new() });
                        } else {
                            self.part = Some(Part::File);
                            return Ok(Some(DownloadItem::Start { path, size }));
                        }
                    }
                    (Event::Data(d), Some(Part::File)) => return Ok(Some(DownloadItem::Data(d))),
                    (Event::Data(d), Some(Part::Error { body, .. })) => body.extend(d),
                    (Event::Data(_), _) => {}
                    (Event::End, _) => match self.part.take() {
                        Some(Part::File) => return Ok(Some(DownloadItem::End)),
                        Some(Part::Error { path, body }) => return Ok(Some(DownloadItem::Failed { path, error: part_error(&body) })),
                        _ => {}
                    },
                }
            }
            if self.ended {
                return Ok(None);
            }
            match self.body.next_chunk().await {
                Some(Err(e)) => self.start_over(e).await?,
                Some(Ok(chunk)) => self.queue.extend(self.decoder.push(&chunk).map_err(|e| Error::Other(e.to_string()))?),
                None => {
                    self.ended = true;
                    self.decoder.finish().map_err(|e| Error::Other(e.to_string()))?;
                }
            }
        }
    }

    /// Reads a single-file download up to its data, so a file that cannot be sent fails here,
    /// before any byte; gives the file's size when the server sent it.
    pub async fn open(&mut self) -> Result<Option<u64>> {
        match self.next().await? {
            Some(DownloadItem::Start { size, .. }) => Ok(size),
            Some(DownloadItem::Failed { error, .. }) => Err(error),
            _ => Err(Error::Other(format!("No file data received for: {}", self.requested.join(", ")))),
        }
    }

    /// Reads the data of a single-file download, one chunk per call; `None` at the end.
    /// A failed part becomes the error; a missing one, "No data received for this file".
    pub async fn next_data(&mut self) -> Result<Option<Vec<u8>>> {
        loop {
            match self.next().await? {
                Some(DownloadItem::Data(d)) => return Ok(Some(d)),
                Some(DownloadItem::Start { .. }) => {}
                Some(DownloadItem::End) => {
                    // After a single file only the closing boundary is left: read it, for a
                    // body left unread is cancelled, and that costs its connection (no
                    // keep-alive). Several files are read on by the caller.
                    if self.requested.len() == 1 {
                        while self.next().await?.is_some() {}
                    }
                    return Ok(None);
                }
                None => return Ok(None),
                Some(DownloadItem::Failed { error, .. }) => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{FakeClock, FnTransport};
    use crate::transport::HttpResponse;
    use crate::{DaytonaConfig, SandboxClient};
    use futures_executor::block_on;

    fn fs_with_body(body: &'static [u8]) -> (FileSystemClient, std::rc::Rc<FnTransport>) {
        let t = FnTransport::new(move |_| {
            Ok(HttpResponse { status: 200, headers: vec![("content-type".into(), "multipart/form-data; boundary=X".into())], body: body.to_vec() })
        });
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = crate::DaytonaClient::new(Some(cfg), &|_| None, t.clone(), std::rc::Rc::new(crate::testing::NoWs), FakeClock::new()).unwrap();
        let dto = serde_json::from_value(serde_json::json!({"id": "sb", "toolboxProxyUrl": "http://h/toolbox"})).unwrap();
        (FileSystemClient::new(SandboxClient::new(client.context().clone(), dto)), t)
    }

    const BODY: &[u8] = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/a\"\r\n\r\nAAA\r\n--X\r\nContent-Disposition: form-data; name=\"error\"; filename=\"/b\"\r\nContent-Type: application/json\r\n\r\n{\"statusCode\":404,\"message\":\"not found: /b\",\"code\":\"FILE_NOT_FOUND\",\"source\":\"DAYTONA_DAEMON\"}\r\n--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/unasked\"\r\n\r\nZZ\r\n--X--\r\n";

    #[test]
    fn a_single_file_download_reads_its_body_to_the_end() {
        let (fs, _) = fs_with_body(b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/a\"\r\n\r\nAAA\r\n--X--\r\n");
        let mut dl = block_on(fs.download(vec!["/a".into()], None, 0)).unwrap();
        assert_eq!(block_on(dl.next_data()).unwrap(), Some(b"AAA".to_vec()));
        assert_eq!(block_on(dl.next_data()).unwrap(), None);
        assert!(dl.ended, "the body was read to its end, so its connection can be reused");
    }

    #[test]
    fn bulk_download_yields_files_and_typed_failures_in_order() {
        let (fs, t) = fs_with_body(BODY);
        let mut dl = block_on(fs.download(vec!["/a".into(), "/b".into()], None, 0)).unwrap();
        let mut items = Vec::new();
        while let Some(item) = block_on(dl.next()).unwrap() {
            items.push(item);
        }
        assert_eq!(items[..3], [DownloadItem::Start { path: "/a".into(), size: None }, DownloadItem::Data(b"AAA".to_vec()), DownloadItem::End]);
        let DownloadItem::Failed { path, error } = &items[3] else { panic!("{items:?}") };
        assert_eq!(path, "/b");
        assert!(matches!(error, Error::Api { status: 404, code: Some(c), .. } if c == "FILE_NOT_FOUND"));
        assert_eq!(items.len(), 4, "the unasked part is ignored");
        assert_eq!(t.sent.borrow()[0].url, "http://h/toolbox/sb/files/bulk-download");
        assert_eq!(t.sent.borrow()[0].timeout_ms, Some(1_800_000));
    }

    #[test]
    fn single_download_surfaces_the_part_error() {
        let (fs, _) = fs_with_body(BODY);
        let mut dl = block_on(fs.download(vec!["/b".into()], None, 0)).unwrap();
        assert!(matches!(block_on(dl.next_data()), Err(Error::Api { status: 404, .. })));
    }

    #[test]
    fn open_gives_the_size_then_the_data_or_fails_before_any_byte() {
        let (fs, _) = fs_with_body(b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/a\"\r\nContent-Length: 3\r\n\r\nAAA\r\n--X--\r\n");
        let mut dl = block_on(fs.download(vec!["/a".into()], None, 0)).unwrap();
        assert_eq!(block_on(dl.open()).unwrap(), Some(3));
        assert_eq!(block_on(dl.next_data()).unwrap(), Some(b"AAA".to_vec()));
        let (fs, _) = fs_with_body(BODY);
        let mut dl = block_on(fs.download(vec!["/b".into()], None, 0)).unwrap();
        assert!(matches!(block_on(dl.open()), Err(Error::Api { status: 404, .. })));
        let mut dl = block_on(fs.download(vec!["/missing".into()], None, 0)).unwrap();
        assert!(matches!(block_on(dl.open()), Err(Error::Other(m)) if m == "No file data received for: /missing"));
    }

    #[test]
    fn truncated_body_is_an_error_not_a_short_file() {
        let (fs, _) = fs_with_body(b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/a\"\r\n\r\nAA");
        let mut dl = block_on(fs.download(vec!["/a".into()], None, 0)).unwrap();
        let mut result = Ok(None);
        for _ in 0..10 {
            result = block_on(dl.next_data());
            if !matches!(result, Ok(Some(_))) {
                break;
            }
        }
        assert!(matches!(&result, Err(Error::Other(m)) if m.contains("closing boundary")), "{result:?}");
    }
}
