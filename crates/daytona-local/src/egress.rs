//! The egress proxy that puts secrets' values in place of their placeholders. A sandbox with
//! secrets has its outbound TCP connections to ports 80 and 443 redirected (nftables, inside
//! its own namespace) to a listener this server holds in that namespace. Each connection is
//! answered as HTTP/1.1 (over TLS for 443, with a certificate for the name the client asked
//! for, signed by this server's own CA, which every sandbox trusts) and forwarded to where it
//! was going, from inside the sandbox's namespace, so its network rules still apply. On the
//! way, each placeholder of a secret mounted in the sandbox, in the request line or a header,
//! becomes the secret's value if the request goes to one of the secret's hosts. Bodies pass
//! unchanged; values never reach the sandbox.
//!
//! Hand-written where no library does it: the substitution itself, and reading a
//! redirected connection's original destination (`SO_ORIGINAL_DST`).

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
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

pub struct Egress {
    ca: rcgen::Certificate,
    ca_key: rcgen::KeyPair,
    bundle: PathBuf,
    /// A server config per name clients asked for, with its certificate.
    servers: Mutex<HashMap<String, Arc<ServerConfig>>>,
    client: Arc<ClientConfig>,
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
        let mut roots = rustls::RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        let mut client = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        client.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Egress { ca, ca_key, bundle, servers: Mutex::default(), client: Arc::new(client) })
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
    /// until the returned task is aborted.
    pub fn serve(self: &Arc<Self>, sandboxes: Arc<dyn Sandboxes>, id: String, listener: std::net::TcpListener) -> io::Result<tokio::task::JoinHandle<()>> {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let me = self.clone();
        Ok(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (me, sandboxes, id) = (me.clone(), sandboxes.clone(), id.clone());
                tokio::spawn(async move {
                    if let Err(e) = me.connection(sandboxes, &id, stream).await {
                        tracing::debug!(sandbox = %id, error = %e, "egress: connection ended");
                    }
                });
            }
        }))
    }

    async fn connection(&self, sandboxes: Arc<dyn Sandboxes>, id: &str, stream: TcpStream) -> io::Result<()> {
        let to = original_destination(&stream)?;
        let (sb, sid) = (sandboxes.clone(), id.to_string());
        let upstream = tokio::task::spawn_blocking(move || sb.connect_out(&sid, to)).await.map_err(io::Error::other)??;
        upstream.set_nonblocking(true)?;
        let upstream = TcpStream::from_std(upstream)?;
        let mounted = Arc::new(sandboxes.mounted(id));
        let mut first = [0u8; 1];
        if stream.peek(&mut first).await? == 1 && first[0] == 0x16 {
            // TLS: a certificate for the name the client asked for (else the address).
            let start = LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream).await?;
            let name = start.client_hello().server_name().map(str::to_string).unwrap_or_else(|| to.ip().to_string());
            let inbound = start.into_stream(self.server(&name)?).await?;
            let server_name = ServerName::try_from(name.clone()).map_err(tls_error)?;
            let outbound = TlsConnector::from(self.client.clone()).connect(server_name, upstream).await?;
            relay(inbound, outbound, Some(name), mounted).await
        } else {
            relay(stream, upstream, None, mounted).await
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

/// HTTP/1.1 from `inbound` to `outbound`, request by request, with secrets put in place.
/// `tls_name` is the name a TLS client asked for; plain HTTP goes by the Host header.
async fn relay<I, O>(inbound: I, outbound: O, tls_name: Option<String>, mounted: Arc<Vec<Mounted>>) -> io::Result<()>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    O: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(outbound)).await.map_err(io::Error::other)?;
    tokio::spawn(conn);
    let sender = Arc::new(tokio::sync::Mutex::new(sender));
    let service = service_fn(move |mut req: Request<Incoming>| {
        let (sender, mounted, tls_name) = (sender.clone(), mounted.clone(), tls_name.clone());
        async move {
            let host = tls_name.or_else(|| req.headers().get(hyper::header::HOST)?.to_str().ok().map(|h| h.rsplit_once(':').map_or(h, |(n, _)| n).to_string()));
            put_values(&mut req, host.as_deref().unwrap_or_default(), &mounted);
            sender.lock().await.send_request(req).await
        }
    });
    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(inbound), service).await.map_err(io::Error::other)
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

/// Replaces, in the request target and every header, the placeholders of the secrets that
/// may go to `host` with their values.
fn put_values<B>(req: &mut Request<B>, host: &str, mounted: &[Mounted]) {
    let usable: Vec<&Mounted> = mounted.iter().filter(|m| allowed(&m.hosts, host)).collect();
    let replace = |text: &str| usable.iter().fold(text.to_string(), |t, m| t.replace(&m.placeholder, &m.value));
    let target = req.uri().to_string();
    if usable.iter().any(|m| target.contains(&m.placeholder)) {
        if let Ok(uri) = replace(&target).parse::<Uri>() {
            *req.uri_mut() = uri;
        }
    }
    for value in req.headers_mut().values_mut() {
        let Ok(text) = value.to_str() else { continue };
        if usable.iter().any(|m| text.contains(&m.placeholder)) {
            if let Ok(v) = replace(text).parse() {
                *value = v;
            }
        }
    }
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
    fn placeholders_become_values_only_for_their_hosts() {
        let mounted = [secret("dtn_secret_a", "value-a", &["api.example.com"]), secret("dtn_secret_b", "value-b", &[])];
        let mut req = Request::builder()
            .uri("/v1?key=dtn_secret_a&b=dtn_secret_b")
            .header("authorization", "Bearer dtn_secret_a")
            .header("x-other", "dtn_secret_b and dtn_secret_a")
            .body(())
            .unwrap();
        put_values(&mut req, "api.example.com", &mounted);
        assert_eq!(req.uri(), "/v1?key=value-a&b=value-b");
        assert_eq!(req.headers()["authorization"], "Bearer value-a");
        assert_eq!(req.headers()["x-other"], "value-b and value-a");
        let mut elsewhere = Request::builder().header("authorization", "Bearer dtn_secret_a dtn_secret_b").body(()).unwrap();
        put_values(&mut elsewhere, "other.example.com", &mounted);
        assert_eq!(elsewhere.headers()["authorization"], "Bearer dtn_secret_a value-b", "a's value stays home");
    }
}
