//! Every API and toolbox request must carry `Authorization: Bearer <api key>` (object
//! storage and previews check their own credentials; see `app()`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use daytona_types::file_urls;

use crate::runtime::Error;
use crate::secrets::constant_time_eq;
use crate::state::AppState;

/// The API key as a bearer token; or, on a sandbox's toolbox only, that sandbox's preview
/// token in the `DAYTONA_SANDBOX_AUTH_KEY` query parameter (browser WebSockets).
pub async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = req.headers().get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some_and(|key| constant_time_eq(key.as_bytes(), state.api_key.as_bytes()))
        || preview_token_ok(&state, &req)
        || signed_file_url_ok(&state, &req)
    {
        next.run(req).await
    } else {
        Error::Unauthorized.into_response()
    }
}

/// A pre-signed file URL (`sandbox.downloadUrl` / `uploadUrl`): a download or an upload of
/// the one path it names, signed with the sandbox's current key, before it expires.
fn signed_file_url_ok(state: &AppState, req: &Request) -> bool {
    let Some((sandbox, route)) = req.uri().path().strip_prefix("/toolbox/").and_then(|p| p.split_once('/')) else { return false };
    let method = match (format!("/{route}"), req.method().as_str()) {
        (r, "GET" | "HEAD") if r == file_urls::DOWNLOAD.0 => file_urls::DOWNLOAD.1,
        (r, "POST") if r == file_urls::UPLOAD.0 => file_urls::UPLOAD.1,
        _ => return false,
    };
    let q: Vec<(String, String)> = form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes()).into_owned().collect();
    let one = |key: &str| q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let (Some(path), Some(expires), Some(signature)) = (one("path"), one("expires").and_then(|e| e.parse::<u64>().ok()), one("signature")) else {
        return false;
    };
    if expires != 0 && expires < crate::runtime::time::now_ms() as u64 / 1000 {
        return false;
    }
    let Ok((id, generation)) = state.sandboxes.signing_generation(sandbox) else { return false };
    let key = crate::secrets::signing_key(&state.api_key, &id, generation);
    constant_time_eq(signature.as_bytes(), file_urls::signature(&key, method, path, expires).as_bytes())
}

fn preview_token_ok(state: &AppState, req: &Request) -> bool {
    let Some(sandbox) = req.uri().path().strip_prefix("/toolbox/").and_then(|p| p.split('/').next()) else { return false };
    let query = req.uri().query().unwrap_or_default();
    let token = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "DAYTONA_SANDBOX_AUTH_KEY").map(|(_, v)| v.into_owned());
    let Some(token) = token else { return false };
    // The id in the path may be a name; tokens are issued for ids.
    let Ok(dto) = state.sandboxes.get(sandbox) else { return false };
    constant_time_eq(token.as_bytes(), crate::secrets::preview_token(&state.api_key, &dto.id).as_bytes())
}
