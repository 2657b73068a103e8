//! The egress proxy that puts secrets' values in place of their placeholders. A sandbox with
//! secrets has its outbound TCP connections to ports 80 and 443 redirected (nftables, inside
//! its own namespace) to a listener this server holds in that namespace. Each connection is
//! answered as HTTP/1.1 (over TLS for 443, with a certificate for the name the client asked
//! for, signed by this server's own CA, which every sandbox trusts) and forwarded to where it
//! was going, from inside the sandbox's namespace, so its network rules still apply. On the
//! way, each placeholder of a secret mounted in the sandbox, in a request header, becomes the
//! secret's value if the request goes to one of the secret's hosts: over TLS, the name the
//! upstream certificate was checked for (and the Host header must name it too); over plain
//! HTTP, a Host that is the address connected to or resolves to it. Values are taken back
//! out of response headers and bodies, so no value reaches the sandbox. Upgrades (WebSockets)
//! pass as they are, without values.
//!
//! Hand-written where no library does it: the substitution and its reverse on a streamed
//! body, and reading a redirected connection's original destination (`SO_ORIGINAL_DST`).

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConfig, ServerConfig};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::{LazyConfigAcceptor, TlsConnector};

use crate::runtime::jail::TRUSTED_BUNDLE;

/// A secret mounted in a sandbox, as the proxy uses it.
pub struct Mounted {
    pub placeholder: String,
    pub value: String,
    /// Where the value may go; none: anywhere.
    pub hosts: Vec<String>,
}

/// What the proxy needs of the sandboxes.
pub trait Sandboxes: Send + Sync {
    /// The secrets mounted in a sandbox now (a rotated value counts at once).
    fn mounted(&self, id: &str) -> Vec<Mounted>;
    /// A connection to `to` from inside the sandbox's namespace, marked so that the redirect
    /// lets it pass.
    fn connect_out(&self, id: &str, to: SocketAddr) -> io::Result<std::net::TcpStream>;
}

/// Connections one sandbox may have open through the proxy at once.
const MAX_CONNECTIONS: usize = 256;
/// How long a client may take to start its TLS handshake or send a request's head.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Certificates kept for the names clients asked for, at most.
const MAX_CERTIFICATES: usize = 1024;

pub struct Egress {
    ca: rcgen::Certificate,
    ca_key: rcgen::KeyPair,
    bundle: PathBuf,
    /// A server config per name clients asked for, with its certificate.
    servers: Mutex<HashMap<String, Arc<ServerConfig>>>,
    client: OnceLock<Arc<ClientConfig>>,
}

fn tls_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Egress {
    /// A CA of this server's own (new at each start: sandboxes start with it) and the bundle
    /// sandboxes trust, written under `dir`. Upstream servers are checked against the host's
    /// roots (`SSL_CERT_FILE` and `SSL_CERT_DIR` are honoured).
    pub fn new(dir: &Path) -> io::Result<Egress> {
        let ca_key = rcgen::KeyPair::generate().map_err(tls_error)?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, "daytona-local egress CA");
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
        let ca = params.self_signed(&ca_key).map_err(tls_error)?;
        let host_roots = std::fs::read_to_string(TRUSTED_BUNDLE).unwrap_or_default();
        let bundle = dir.join("egress-ca-bundle.pem");
        std::fs::write(&bundle, format!("{host_roots}\n{}", ca.pem()))?;
        Ok(Egress { ca, ca_key, bundle, servers: Mutex::default(), client: OnceLock::new() })
    }

    /// How upstream servers are reached over TLS: made at the first such connection (reading
    /// the host's roots is work a server without secrets in use need not do at start).
    fn client(&self) -> io::Result<Arc<ClientConfig>> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        let mut roots = rustls::RootCertStore::empty();
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        let mut client = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        client.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(self.client.get_or_init(|| Arc::new(client)).clone())
    }

    /// The bundle sandboxes get at [`TRUSTED_BUNDLE`].
    pub fn bundle(&self) -> &Path {
        &self.bundle
    }

    /// A server config with a certificate for `name`, signed by this CA.
    fn server(&self, name: &str) -> io::Result<Arc<ServerConfig>> {
        if let Some(c) = self.servers.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(c.clone());
        }
        // Names are the client's to choose: the cache starts over rather than grow forever.
        let mut servers = self.servers.lock().unwrap_or_else(|e| e.into_inner());
        if servers.len() >= MAX_CERTIFICATES {
            servers.clear();
        }
        drop(servers);
        let key = rcgen::KeyPair::generate().map_err(tls_error)?;
        let cert = rcgen::CertificateParams::new(vec![name.to_string()]).map_err(tls_error)?.signed_by(&key, &self.ca, &self.ca_key).map_err(tls_error)?;
        let chain = vec![cert.der().clone(), self.ca.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let mut config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(tls_error)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let config = Arc::new(config);
        self.servers.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), config.clone());
        Ok(config)
    }

    /// Serves the connections redirected from sandbox `id` to `listener` (in its namespace),
    /// until the returned task is aborted, which ends its open connections too.
    pub fn serve(self: &Arc<Self>, sandboxes: Arc<dyn Sandboxes>, id: String, listener: std::net::TcpListener) -> io::Result<tokio::task::JoinHandle<()>> {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let me = self.clone();
        Ok(tokio::spawn(async move {
            // Dropped with this task: every connection ends with it.
            let mut open = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) if open.len() < MAX_CONNECTIONS => {
                            let (me, sandboxes, id) = (me.clone(), sandboxes.clone(), id.clone());
                            open.spawn(async move {
                                if let Err(e) = me.connection(sandboxes, &id, stream).await {
                                    tracing::debug!(sandbox = %id, error = %e, "egress: connection ended");
                                }
                            });
                        }
                        Ok(_) => tracing::warn!(sandbox = %id, "egress: too many connections; one refused"),
                        // Out of file descriptors, say: the redirect stays, so keep accepting.
                        Err(e) => {
                            tracing::warn!(sandbox = %id, error = %e, "egress: accept failed");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    },
                    Some(_) = open.join_next() => {}
                }
            }
        }))
    }

    async fn connection(&self, sandboxes: Arc<dyn Sandboxes>, id: &str, stream: TcpStream) -> io::Result<()> {
        let to = original_destination(&stream)?;
        // Only redirected connections: one straight to the listener would reach itself.
        if to.ip().is_loopback() || to.ip().is_unspecified() {
            return Err(io::Error::other(format!("not a redirected connection ({to})")));
        }
        let mut first = [0u8; 1];
        let peeked = tokio::time::timeout(CLIENT_TIMEOUT, stream.peek(&mut first)).await.map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
        let (sb, sid) = (sandboxes.clone(), id.to_string());
        let upstream = tokio::task::spawn_blocking(move || sb.connect_out(&sid, to)).await.map_err(io::Error::other)??;
        upstream.set_nonblocking(true)?;
        let upstream = TcpStream::from_std(upstream)?;
        let target = Target { sandboxes, id: id.to_string(), to, tls_name: None };
        if peeked == 1 && first[0] == 0x16 {
            // TLS: a certificate for the name the client asked for (else the address).
            let accept = async {
                let start = LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream).await?;
                let name = start.client_hello().server_name().map(str::to_string).unwrap_or_else(|| to.ip().to_string());
                let config = self.server(&name)?;
                Ok::<_, io::Error>((start.into_stream(config).await?, name))
            };
            let (inbound, name) = tokio::time::timeout(CLIENT_TIMEOUT, accept).await.map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
            let server_name = ServerName::try_from(name.clone()).map_err(tls_error)?;
            let outbound = TlsConnector::from(self.client()?).connect(server_name, upstream).await?;
            relay(inbound, outbound, Arc::new(Target { tls_name: Some(name), ..target })).await
        } else {
            relay(stream, upstream, Arc::new(target)).await
        }
    }
}

/// Where one proxied connection goes, and whose it is.
struct Target {
    sandboxes: Arc<dyn Sandboxes>,
    id: String,
    /// The address the sandbox connected to.
    to: SocketAddr,
    /// The name the upstream certificate was checked for (TLS).
    tls_name: Option<String>,
}

impl Target {
    /// The host a request goes to, if the values of its secrets may go with it: over TLS the
    /// checked name, which the Host header must agree with; over plain HTTP the Host header,
    /// if it is the address connected to or resolves to it.
    async fn host<B>(&self, req: &Request<B>) -> Option<String> {
        let header =
            req.headers().get(hyper::header::HOST).and_then(|h| h.to_str().ok()).map(|h| h.rsplit_once(':').map_or(h, |(n, _)| n).to_ascii_lowercase());
        match &self.tls_name {
            Some(name) => header.is_none_or(|h| h.eq_ignore_ascii_case(name)).then(|| name.to_ascii_lowercase()),
            None => {
                let host = header?;
                let here = match host.parse::<IpAddr>() {
                    Ok(ip) => ip == self.to.ip(),
                    Err(_) => tokio::net::lookup_host((host.as_str(), self.to.port())).await.is_ok_and(|mut a| a.any(|a| a.ip() == self.to.ip())),
                };
                here.then_some(host)
            }
        }
    }
}

/// Where a redirected connection was going (`SO_ORIGINAL_DST`, IPv4).
fn original_destination(stream: &TcpStream) -> io::Result<SocketAddr> {
    // SAFETY: sockaddr_in is plain data; getsockopt(2) writes at most `len` bytes into it.
    unsafe {
        let mut addr: libc::sockaddr_in = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        if libc::getsockopt(stream.as_raw_fd(), libc::SOL_IP, libc::SO_ORIGINAL_DST, (&mut addr as *mut libc::sockaddr_in).cast(), &mut len) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(SocketAddr::from((Ipv4Addr::from(u32::from_be(addr.sin_addr.s_addr)), u16::from_be(addr.sin_port))))
    }
}

type ProxyBody = http_body_util::combinators::BoxBody<Bytes, hyper::Error>;

/// HTTP/1.1 from `inbound` to `outbound`, request by request: secrets put in place on the way
/// out, taken out again on the way back.
async fn relay<I, O>(inbound: I, outbound: O, target: Arc<Target>) -> io::Result<()>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    O: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(outbound)).await.map_err(io::Error::other)?;
    tokio::spawn(conn.with_upgrades());
    let sender = Arc::new(tokio::sync::Mutex::new(sender));
    let service = service_fn(move |mut req: Request<Incoming>| {
        let (sender, target) = (sender.clone(), target.clone());
        async move {
            // An upgrade (a WebSocket) passes as it is, with no values: what flows after it
            // is not HTTP, so nothing could take them back out of it.
            if req.headers().contains_key(hyper::header::UPGRADE) {
                let client_side = hyper::upgrade::on(&mut req);
                let mut resp = sender.lock().await.send_request(req).await?;
                if resp.status() == hyper::StatusCode::SWITCHING_PROTOCOLS {
                    crate::http::splice_upgrade(client_side, &mut resp);
                }
                return Ok(resp.map(BodyExt::boxed));
            }
            // Read for each request: a rotated or detached secret counts at once.
            let mounted = target.sandboxes.mounted(&target.id);
            let host = target.host(&req).await;
            let usable: Vec<Mounted> = mounted.into_iter().filter(|m| host.as_deref().is_some_and(|h| allowed(&m.hosts, h))).collect();
            put_values(&mut req, &usable);
            let resp = sender.lock().await.send_request(req).await?;
            Ok::<_, hyper::Error>(take_values(resp, usable))
        }
    });
    hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(CLIENT_TIMEOUT)
        .serve_connection(TokioIo::new(inbound), service)
        .with_upgrades()
        .await
        .map_err(io::Error::other)
}

/// Whether `host` is one of `hosts` (exactly, or under a `*.` wildcard); no hosts: any.
fn allowed(hosts: &[String], host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    hosts.is_empty()
        || hosts.iter().any(|h| {
            let h = h.to_ascii_lowercase();
            match h.strip_prefix('*') {
                Some(suffix) => host.ends_with(suffix) && host.len() > suffix.len(),
                None => host == h,
            }
        })
}

/// Replaces the placeholders of `usable` secrets in every request header with their values
/// (not in the request line, which servers echo in errors).
fn put_values<B>(req: &mut Request<B>, usable: &[Mounted]) {
    swap_in_headers(req.headers_mut(), usable.iter().map(|m| (m.placeholder.as_str(), m.value.as_str())));
}

/// Replaces, in every header that holds one, each `from` of `pairs` with its `to`.
fn swap_in_headers<'a>(headers: &mut hyper::HeaderMap, pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
    for value in headers.values_mut() {
        let Ok(text) = value.to_str() else { continue };
        if pairs.clone().any(|(from, _)| text.contains(from)) {
            if let Ok(v) = pairs.clone().fold(text.to_string(), |t, (from, to)| t.replace(from, to)).parse() {
                *value = v;
            }
        }
    }
}

/// The response with the values of `usable` secrets back as their placeholders, in its
/// headers and its body (streamed: each chunk is held back by as many bytes as the longest
/// value, less one, so a value split between chunks is found too).
fn take_values(resp: Response<Incoming>, usable: Vec<Mounted>) -> Response<ProxyBody> {
    let (mut head, body) = resp.into_parts();
    if usable.is_empty() {
        return Response::from_parts(head, body.boxed());
    }
    swap_in_headers(&mut head.headers, usable.iter().map(|m| (m.value.as_str(), m.placeholder.as_str())));
    // A body whose length changes is sent chunked.
    head.headers.remove(hyper::header::CONTENT_LENGTH);
    let keep = usable.iter().map(|m| m.value.len()).max().unwrap_or(1).saturating_sub(1);
    let usable = Arc::new(usable);
    let chunks = body.into_data_stream();
    let scrubbed = futures_util::stream::unfold((chunks, Vec::<u8>::new(), false), move |(mut chunks, mut carry, done)| {
        let usable = usable.clone();
        async move {
            if done {
                return None;
            }
            let (out, done) = match chunks.next().await {
                Some(Ok(chunk)) => {
                    carry.extend_from_slice(&chunk);
                    let scrubbed = scrub(&carry, &usable);
                    let cut = scrubbed.len().saturating_sub(keep);
                    let out = scrubbed[..cut].to_vec();
                    carry = scrubbed[cut..].to_vec();
                    (Ok(Frame::data(Bytes::from(out))), false)
                }
                Some(Err(e)) => (Err(e), true),
                None => (Ok(Frame::data(Bytes::from(scrub(&std::mem::take(&mut carry), &usable)))), true),
            };
            Some((out, (chunks, carry, done)))
        }
    });
    Response::from_parts(head, BodyExt::boxed(StreamBody::new(scrubbed)))
}

/// `bytes` with every value of `usable` replaced by its placeholder.
fn scrub(bytes: &[u8], usable: &[Mounted]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in usable {
        let (value, placeholder) = (m.value.as_bytes(), m.placeholder.as_bytes());
        if value.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out[i..].starts_with(value) {
                next.extend_from_slice(placeholder);
                i += value.len();
            } else {
                next.push(out[i]);
                i += 1;
            }
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(placeholder: &str, value: &str, hosts: &[&str]) -> Mounted {
        Mounted { placeholder: placeholder.into(), value: value.into(), hosts: hosts.iter().map(|h| h.to_string()).collect() }
    }

    #[test]
    fn hosts_match_exactly_or_under_a_wildcard() {
        let hosts = ["api.example.com".to_string(), "*.example.org".to_string()];
        assert!(allowed(&hosts, "API.example.com"));
        assert!(allowed(&hosts, "a.b.example.org"));
        assert!(!allowed(&hosts, "example.org"));
        assert!(!allowed(&hosts, "evil-example.org"));
        assert!(!allowed(&hosts, "api.example.com.evil"));
        assert!(allowed(&[], "anything"));
    }

    #[test]
    fn placeholders_become_values_in_headers_only() {
        let usable = [secret("dtn_secret_a", "value-a", &[]), secret("dtn_secret_b", "value-b", &[])];
        let mut req = Request::builder()
            .uri("/v1?key=dtn_secret_a")
            .header("authorization", "Bearer dtn_secret_a")
            .header("x-other", "dtn_secret_b and dtn_secret_a")
            .body(())
            .unwrap();
        put_values(&mut req, &usable);
        assert_eq!(req.uri(), "/v1?key=dtn_secret_a", "not in the request line");
        assert_eq!(req.headers()["authorization"], "Bearer value-a");
        assert_eq!(req.headers()["x-other"], "value-b and value-a");
    }

    #[test]
    fn values_are_taken_back_out_even_across_chunks() {
        let usable = [secret("dtn_secret_a", "value-a", &[])];
        assert_eq!(scrub(b"echo: value-a and value-a.", &usable), b"echo: dtn_secret_a and dtn_secret_a.");
        assert_eq!(scrub(b"value-", &usable), b"value-");
    }
}
