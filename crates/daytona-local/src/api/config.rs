//! `GET /api/config`: what this platform says of itself. The official SDK reads
//! `analyticsApiUrl` from it for metrics; daytona-local has none, so metrics come from
//! `GET /api/sandbox/{id}/telemetry/metrics`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use daytona_types::api::config::DaytonaConfiguration;

use crate::runtime::sandboxes::{DEFAULT_SNAPSHOT, MAX_AUTO_ARCHIVE_MIN};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/config", get(config))
}

async fn config(State(s): State<AppState>) -> Json<DaytonaConfiguration> {
    Json(DaytonaConfiguration {
        version: env!("CARGO_PKG_VERSION").into(),
        proxy_template_url: format!("{}/preview/{{{{sandboxId}}}}/{{{{PORT}}}}", s.public_url),
        proxy_toolbox_url: s.toolbox_proxy_url(),
        default_snapshot: DEFAULT_SNAPSHOT.into(),
        dashboard_url: s.public_url.to_string(),
        max_auto_archive_interval: MAX_AUTO_ARCHIVE_MIN,
        environment: "local".into(),
        ..Default::default()
    })
}
