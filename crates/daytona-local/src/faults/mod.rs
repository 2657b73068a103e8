//! Fault injection: rules that make this server misbehave on purpose, so clients (our SDK's
//! tests, and users' own code) can be tried against what production networks do: rate
//! limits, gateway error pages, slow answers, connections cut mid-answer, sandboxes that
//! vanish or break. Rules come from `--faults FILE` and from `GET/PUT/DELETE /api/local/faults`
//! (behind the API key like every API route); they are checked in order, the first that
//! matches a request applies.

pub mod rules;

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;

use rules::{Fault, FaultBody, RuleSet};

use crate::http::AppJson;
use crate::runtime::Error;
use crate::state::AppState;

/// Where the rules are read and set; never faulted itself.
pub const ROUTE: &str = "/api/local/faults";

/// The middleware: applies the first matching rule's fault, or runs the request as is.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path() == ROUTE {
        return next.run(req).await;
    }
    let Some(fault) = state.faults.take(req.method().as_str(), req.uri().path()) else { return next.run(req).await };
    if crate::http::is_upgrade(req.headers()) && matches!(fault, Fault::Reset { .. } | Fault::Split) {
        // Applied to the messages by the handler's socket (`toolbox::ws::Socket`).
        let mut req = req;
        req.extensions_mut().insert(WsFault(fault));
        return next.run(req).await;
    }
    match fault {
        Fault::Status { status, body, retry_after } => {
            read_body(req).await;
            status_answer(status, body, retry_after.as_deref())
        }
        Fault::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Fault::Reset { after_bytes } => cut_after(next.run(req).await, after_bytes),
        Fault::Split => next.run(req).await,
        Fault::Error { reason } => {
            if let Some(id) = rules::sandbox_in(req.uri().path()) {
                let reason = reason.unwrap_or_else(|| "injected fault: the sandbox's host failed".into());
                if let Err(e) = state.sandboxes.break_down(id, &reason) {
                    return e.into_response();
                }
            }
            next.run(req).await
        }
        Fault::Vanish => {
            let id = rules::sandbox_in(req.uri().path()).unwrap_or_default().to_string();
            read_body(req).await;
            Error::NotFound(format!("Sandbox with ID or name {id} not found")).into_response()
        }
    }
}

/// Reads a request that is answered without being run, as a proxy in front would: a body left
/// unread makes the server close the connection, which a client reusing it may see as lost.
async fn read_body(req: Request) {
    let mut data = req.into_body().into_data_stream();
    while let Some(Ok(_)) = data.next().await {}
}

/// A fault for a WebSocket's messages, handed from the middleware to the upgrade.
#[derive(Clone)]
pub struct WsFault(pub Fault);

fn status_answer(status: u16, body: FaultBody, retry_after: Option<&str>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let title = format!("{} {}", code.as_u16(), code.canonical_reason().unwrap_or("Error"));
    let mut resp = match body {
        FaultBody::Html => {
            let page = format!("<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
            (code, [(header::CONTENT_TYPE, "text/html")], page).into_response()
        }
        FaultBody::Empty => code.into_response(),
        FaultBody::Json => Error::Status(status, format!("injected fault: {title}")).into_response(),
    };
    if let Some(v) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// The answer with its body cut after `n` bytes: the connection is aborted there, as a
/// crashed proxy or a dropped network would leave it. With `n` = 0 nothing of the answer is
/// sent; otherwise its head and first `n` bytes reach the client before the cut.
fn cut_after(resp: Response, n: u64) -> Response {
    let (parts, body) = resp.into_parts();
    let stream = futures_util::stream::unfold((body.into_data_stream(), n), move |(mut data, left)| async move {
        if left == 0 {
            if n > 0 {
                // Time for the server to flush what was sent before the abort discards it.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            return Some((Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset")), (data, 0)));
        }
        match data.next().await {
            Some(Ok(chunk)) => {
                let take = chunk.len().min(left as usize);
                Some((Ok(Bytes::copy_from_slice(&chunk[..take])), (data, left - take as u64)))
            }
            Some(Err(e)) => Some((Err(std::io::Error::other(e)), (data, 0))),
            None => None,
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// `GET /api/local/faults`: the rules in force, with what is left of their `times`.
pub async fn list(State(state): State<AppState>) -> Json<RuleSet> {
    Json(RuleSet { rules: state.faults.rules() })
}

/// `PUT /api/local/faults`: replaces the rules.
pub async fn replace(State(state): State<AppState>, AppJson(set): AppJson<RuleSet>) -> Result<Json<RuleSet>, Error> {
    state.faults.set(set.rules)?;
    Ok(Json(RuleSet { rules: state.faults.rules() }))
}

/// `DELETE /api/local/faults`: clears every rule.
pub async fn clear(State(state): State<AppState>) -> StatusCode {
    let _ = state.faults.set(Vec::new());
    StatusCode::NO_CONTENT
}
