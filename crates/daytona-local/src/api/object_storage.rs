//! `GET /api/object-storage/push-access`: where and how clients upload
//! build contexts.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use daytona_types::api::object_storage::StorageAccess;

use crate::runtime::snapshots::BUILD_BUCKET;
use crate::s3;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/object-storage/push-access", get(push_access))
}

async fn push_access(State(s): State<AppState>) -> Json<StorageAccess> {
    let creds = s3::credentials(&s.api_key);
    Json(StorageAccess {
        access_key: creds.access_key,
        secret: creds.secret,
        session_token: creds.session_token,
        storage_url: format!("{}{}", s.public_url, s3::PREFIX),
        organization_id: s.sandboxes.organization_id.clone(),
        bucket: BUILD_BUCKET.into(),
        region: Some(s3::REGION.into()),
    })
}
