//! The platform REST API, mounted at `/api`.

pub mod config;
pub mod events;
pub mod object_storage;
pub mod preview;
pub mod sandbox;
pub mod secret;
pub mod snapshot;
pub mod ssh_access;
pub mod volume;
pub mod warm_pool;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(config::router())
        .merge(object_storage::router())
        .merge(preview::router())
        .merge(sandbox::router())
        .merge(secret::router())
        .merge(snapshot::router())
        .merge(ssh_access::router())
        .merge(volume::router())
        .merge(warm_pool::router())
        .route(
            crate::faults::ROUTE.trim_start_matches("/api"),
            axum::routing::get(crate::faults::list).put(crate::faults::replace).delete(crate::faults::clear),
        )
}
