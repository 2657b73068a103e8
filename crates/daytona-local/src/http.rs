//! HTTP plumbing shared by `api/` and `toolbox/`: the domain's errors answered in the
//! Daytona API's (NestJS) error shape, which every SDK reads, and JSON bodies whose
//! rejections answer in that shape too; and the splicing of an upgraded connection, which
//! the preview proxy and the egress proxy share, and knowing a WebSocket request.

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use daytona_types::error::ErrorBody;

use crate::runtime::Error;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, body) = self.body();
        (status, Json(body)).into_response()
    }
}

/// The error shape with more fields beside it (a bulk upload's `files` and `errors`).
pub fn error_with<T: serde::Serialize>(err: Error, extra: T) -> Response {
    #[derive(serde::Serialize)]
    struct With<T> {
        #[serde(flatten)]
        body: ErrorBody,
        #[serde(flatten)]
        extra: T,
    }
    let (status, body) = err.body();
    (status, Json(With { body, extra })).into_response()
}

impl Error {
    fn body(&self) -> (StatusCode, ErrorBody) {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match self {
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "An unexpected error occurred.".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            status_code: Some(status.as_u16()),
            error: Some(status.canonical_reason().unwrap_or("Error").into()),
            message: Some(message.into()),
            timestamp: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            code: self.code().map(Into::into),
            source: self.code().map(|_| "DAYTONA_DAEMON".into()),
            ..Default::default()
        };
        (status, body)
    }
}

/// The framework's own refusals (a query or path that does not parse, a method a route does
/// not take, a body over the limit, an upgrade that is missing) come as plain text or
/// nothing: they are answered again in the error shape, with their text as the message.
pub async fn error_shape(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let resp = next.run(req).await;
    let json = resp.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if resp.status().as_u16() < 400 || json {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let message = if text.is_empty() { parts.status.canonical_reason().unwrap_or("Error").to_string() } else { text };
    let mut shaped = Error::Status(parts.status.as_u16(), message).into_response();
    // What else the answer said (`Allow`, `Retry-After`) stays.
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            shaped.headers_mut().append(name, value.clone());
        }
    }
    shaped
}

/// `Json` whose rejections (malformed JSON, wrong types, wrong content type) answer in the
/// same error shape instead of axum's plain text.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct AppJson<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Self {
        Error::Status(r.status().as_u16(), r.body_text())
    }
}

/// Once both sides of a 101 answer have switched protocols, copies bytes between them until
/// either closes (a WebSocket, say).
pub(crate) fn splice_upgrade<B>(client_side: hyper::upgrade::OnUpgrade, resp: &mut hyper::Response<B>) {
    let upstream = hyper::upgrade::on(resp);
    tokio::spawn(async move {
        if let (Ok(a), Ok(b)) = (client_side.await, upstream.await) {
            let _ = tokio::io::copy_bidirectional(&mut hyper_util::rt::TokioIo::new(a), &mut hyper_util::rt::TokioIo::new(b)).await;
        }
    });
}

/// Whether a request asks for a WebSocket.
pub fn is_upgrade(headers: &axum::http::HeaderMap) -> bool {
    headers.get("upgrade").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}
