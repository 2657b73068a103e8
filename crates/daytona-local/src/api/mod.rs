//! The platform REST API, mounted at `/api`.

pub mod sandbox;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(sandbox::router())
}
