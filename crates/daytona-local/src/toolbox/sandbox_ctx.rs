//! The sandbox a toolbox request is for, resolved from the `{sandbox_id}` in its path.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use daytona_types::api::sandbox::{Sandbox, SandboxState};

use crate::runtime::jail::Tree;
use crate::runtime::sandbox_fs::SandboxFs;
use crate::runtime::Error;
use crate::state::AppState;

/// The sandbox a toolbox request is for.
pub struct SandboxCtx {
    pub dto: Sandbox,
    pub fs: SandboxFs,
    pub tree: Tree,
}

impl FromRequestParts<AppState> for SandboxCtx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| Error::NotFound("sandbox id missing".into()))?;
        let id = params.iter().find(|(k, _)| *k == "sandbox_id").map(|(_, v)| v.to_string()).unwrap_or_default();
        SandboxCtx::open(state, &id)
    }
}

impl SandboxCtx {
    /// The sandbox `id`, which must be started; counts as activity.
    pub fn open(state: &AppState, id: &str) -> Result<Self, Error> {
        let dto = state.sandboxes.get(id)?;
        if dto.state != Some(SandboxState::Started) {
            return Err(Error::Conflict(format!("Sandbox {id} is not started")));
        }
        state.sandboxes.refresh_activity(&dto.id)?;
        state.sandboxes.ensure_running(&dto)?;
        let tree = state.sandboxes.sandbox_tree(&dto);
        let fs = SandboxFs::new(tree.home.clone(), tree.tmp.clone()).with_volumes(&tree.volumes);
        Ok(SandboxCtx { dto, fs, tree })
    }
}
