//! The preview proxy: `/preview/{sandbox id or signed token}/{port}/…`, or the
//! host name `{port}-{sandbox id or signed token}.localhost` (browsers resolve `*.localhost`
//! to this machine, and the app then owns every path), reaches
//! a server a sandbox listens with on `port`, HTTP and WebSocket upgrades alike. A private
//! sandbox needs its preview token (the `X-Daytona-Preview-Token` header or the
//! `DAYTONA_SANDBOX_AUTH_KEY` query parameter) or the API key; a public one needs nothing;
//! a signed token opens its one port until it expires.
//!
//! Each sandbox has its own network namespace, so the connection is made inside it, to the
//! port on the sandbox's own loopback: a port says whose server it is.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;

use crate::runtime::Error;
use crate::secrets::constant_time_eq;
use crate::state::AppState;

pub const PREFIX: &str = "/preview/";
const TOKEN_HEADER: &str = "x-daytona-preview-token";
const TOKEN_QUERY: &str = "DAYTONA_SANDBOX_AUTH_KEY";

/// Headers of one hop only, never forwarded (an upgrade keeps `connection`/`upgrade`).
const HOP_BY_HOP: [&str; 7] = ["keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "proxy-connection"];

fn denied(status: StatusCode, msg: &str) -> Error {
    Error::Status(status.as_u16(), msg.into())
}

/// Which sandbox the request may reach, or why not.
fn authorize(s: &AppState, key: &str, port: u16, req: &Request) -> Result<daytona_types::api::sandbox::Sandbox, Error> {
    if let Some(id) = s.signed_urls.resolve(key, port) {
        return s.sandboxes.get(&id);
    }
    let Ok(dto) = s.sandboxes.get(key) else {
        // Not a sandbox: a signed token that is unknown, for another port, or expired.
        return Err(denied(StatusCode::FORBIDDEN, "Invalid or expired token"));
    };
    if dto.public {
        return Ok(dto);
    }
    let expected = crate::secrets::preview_token(&s.api_key, &dto.id);
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let query = req.uri().query().unwrap_or_default();
    let same = |given: &str, secret: &str| constant_time_eq(given.as_bytes(), secret.as_bytes());
    let in_query = form_urlencoded::parse(query.as_bytes()).any(|(k, v)| k == TOKEN_QUERY && same(&v, &expected));
    let bearer = header("authorization").and_then(|v| v.strip_prefix("Bearer ")).is_some_and(|k| same(k, &s.api_key));
    if header(TOKEN_HEADER).is_some_and(|t| same(t, &expected)) || in_query || bearer {
        Ok(dto)
    } else {
        Err(denied(StatusCode::UNAUTHORIZED, "This sandbox is private: send its preview token (X-Daytona-Preview-Token) or the API key"))
    }
}

/// Every request under `/preview/{key}/{port}/`.
pub async fn handle(State(s): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().strip_prefix(PREFIX).unwrap_or_default().to_string();
    let mut parts = path.splitn(3, '/');
    let (key, port, rest) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let prefix = format!("{PREFIX}{key}/{port}");
    respond(forward(&s, key, port, rest, &prefix, req).await)
}

/// `{port}-{key}.localhost[:…]` in the Host header: a preview by host name, which browsers
/// resolve to this machine. Answers (key, port).
pub fn preview_host(req: &Request) -> Option<(String, String)> {
    let host = req.headers().get(header::HOST)?.to_str().ok()?;
    let name = host.rsplit_once(':').map_or(host, |(h, p)| if p.bytes().all(|b| b.is_ascii_digit()) { h } else { host });
    let (label, domain) = name.split_once('.')?;
    let (port, key) = label.split_once('-')?;
    (domain.eq_ignore_ascii_case("localhost") && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())).then(|| (key.to_string(), port.to_string()))
}

/// A request to a preview host name: the whole path is the app's.
pub async fn handle_host(s: AppState, key: String, port: String, req: Request) -> Response {
    let rest = req.uri().path().trim_start_matches('/').to_string();
    respond(forward(&s, &key, &port, &rest, "", req).await)
}

fn respond(r: Result<Response, Error>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

/// Forwards to `rest` on the sandbox's `port`; `prefix` is where the app is mounted here.
async fn forward(s: &AppState, key: &str, port: &str, rest: &str, prefix: &str, mut req: Request) -> Result<Response, Error> {
    let port: u16 = port.parse().ok().filter(|p| *p > 0).ok_or_else(|| Error::Invalid(format!("Invalid port {port:?} in the preview URL")))?;
    let dto = authorize(s, key, port, &req)?;
    if dto.state != Some(daytona_types::api::sandbox::SandboxState::Started) {
        return Err(denied(StatusCode::BAD_GATEWAY, "The sandbox is not started"));
    }
    let stream = s.sandboxes.connect(&dto.id, port).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::ConnectionRefused => denied(StatusCode::BAD_GATEWAY, &format!("Nothing in sandbox {} listens on port {port}", dto.id)),
        _ => denied(StatusCode::BAD_GATEWAY, &format!("Could not reach port {port} in sandbox {}: {e}", dto.id)),
    })?;
    // The query minus the preview token, which is ours, not the app's.
    let query: Vec<(String, String)> = form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
        .filter(|(k, _)| k != TOKEN_QUERY)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let query = if query.is_empty() { String::new() } else { format!("?{}", form_urlencoded::Serializer::new(String::new()).extend_pairs(&query).finish()) };
    let target: Uri = format!("/{rest}{query}").parse().map_err(|_| Error::Invalid("Invalid preview path".into()))?;
    let upgrade = req.headers().get(header::UPGRADE).is_some();
    let client_side = upgrade.then(|| hyper::upgrade::on(&mut req));
    let (mut head, body) = req.into_parts();
    head.uri = target;
    for name in HOP_BY_HOP.iter().chain(&[TOKEN_HEADER]) {
        head.headers.remove(*name);
    }
    if !upgrade {
        head.headers.remove(header::CONNECTION);
    }
    if head.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) == Some(&*s.api_key) {
        head.headers.remove(header::AUTHORIZATION);
    }
    head.headers.insert(header::HOST, HeaderValue::from_str(&format!("127.0.0.1:{port}")).map_err(|e| Error::Internal(e.into()))?);
    if !prefix.is_empty() {
        head.headers.insert(HeaderName::from_static("x-forwarded-prefix"), HeaderValue::from_str(prefix).map_err(|e| Error::Internal(e.into()))?);
    }
    let unanswered = |e: hyper::Error| denied(StatusCode::BAD_GATEWAY, &format!("The sandbox's server on port {port} did not answer: {e}"));
    // One connection per request: ports of different sandboxes are different servers.
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(unanswered)?;
    tokio::spawn(conn.with_upgrades());
    let mut resp = sender.send_request(axum::http::Request::from_parts(head, body)).await.map_err(unanswered)?;
    if let (Some(client_side), StatusCode::SWITCHING_PROTOCOLS) = (client_side, resp.status()) {
        crate::http::splice_upgrade(client_side, &mut resp);
        let (head, _) = resp.into_parts();
        return Ok(Response::from_parts(head, Body::empty()));
    }
    let (mut head, body) = resp.into_parts();
    for name in HOP_BY_HOP {
        head.headers.remove(name);
    }
    // A private sandbox's answer depends on the credentials sent with the request: a cache
    // (the browser's) must not give it to a request without them.
    if !dto.public {
        head.headers.append(header::VARY, HeaderValue::from_static("X-Daytona-Preview-Token, Authorization"));
    }
    Ok(Response::from_parts(head, Body::new(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_host_names_are_port_dash_key_dot_localhost() {
        let req = |host: &str| Request::builder().header(header::HOST, host).body(Body::empty()).unwrap();
        assert_eq!(preview_host(&req("3000-abc.localhost:8080")), Some(("abc".into(), "3000".into())));
        assert_eq!(preview_host(&req("3000-a-b-c.localhost")), Some(("a-b-c".into(), "3000".into())));
        for other in ["127.0.0.1:8080", "localhost:8080", "x-abc.localhost", "3000-abc.example.com", "3000abc.localhost"] {
            assert_eq!(preview_host(&req(other)), None, "{other}");
        }
    }
}
