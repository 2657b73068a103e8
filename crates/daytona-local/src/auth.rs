//! Every API and toolbox request must carry `Authorization: Bearer <api key>` (object
//! storage and previews check their own credentials; see `app()`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::runtime::Error;
use crate::secrets::constant_time_eq;
use crate::state::AppState;

/// The API key as a bearer token; or, on a sandbox's toolbox only, that sandbox's preview
/// token in the `DAYTONA_SANDBOX_AUTH_KEY` query parameter (browser WebSockets).
pub async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = req.headers().get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some_and(|key| constant_time_eq(key.as_bytes(), state.api_key.as_bytes())) || preview_token_ok(&state, &req) {
        next.run(req).await
    } else {
        Error::Unauthorized.into_response()
    }
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
