//! Daytona's event socket (`{apiUrl}/socket.io/`, Socket.IO over Engine.IO 4): the packets a
//! server sends. Sandbox events go to every client of the organization, which routes them by
//! sandbox id.

use serde::Serialize;

use super::sandbox::{Sandbox, SandboxState};

/// Engine.IO's open packet (`0{…}`). No upgrades: the socket starts as a WebSocket.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineOpen {
    pub sid: String,
    pub upgrades: [String; 0],
    pub ping_interval: u64,
    pub ping_timeout: u64,
    pub max_payload: u64,
}

/// Socket.IO's CONNECT answer (`40{…}`).
#[derive(Debug, Clone, Serialize)]
pub struct SocketConnected {
    pub sid: String,
}

/// Socket.IO's CONNECT_ERROR (`44{…}`): final, the client does not reconnect.
#[derive(Debug, Clone, Serialize)]
pub struct SocketConnectError {
    pub message: String,
}

/// The `sandbox.state.updated` event's payload.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxStateUpdated {
    pub sandbox: Sandbox,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_state: Option<SandboxState>,
    pub new_state: SandboxState,
}

pub const SANDBOX_STATE_UPDATED: &str = "sandbox.state.updated";
