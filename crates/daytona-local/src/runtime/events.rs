//! Sandbox state changes, for the event socket (`GET /api/socket.io/`). The manager reports
//! every sandbox it saves; a change of state since the last report is broadcast, except into
//! `error` and `build_failed`: the official SDK takes only the state from an event, so a wait
//! that failed on one would report no reason, where its polling brings the whole sandbox,
//! reason included.

use std::collections::HashMap;
use std::sync::Mutex;

use daytona_types::api::sandbox::{Sandbox, SandboxState};
use tokio::sync::broadcast;

/// How many changes a slow listener may fall behind before it misses some (it then still
/// polls, as every client does).
const BACKLOG: usize = 256;

#[derive(Clone, Debug)]
pub struct StateChange {
    pub sandbox: Sandbox,
    pub old_state: Option<SandboxState>,
}

pub struct SandboxEvents {
    tx: broadcast::Sender<StateChange>,
    last: Mutex<HashMap<String, SandboxState>>,
}

impl Default for SandboxEvents {
    fn default() -> Self {
        SandboxEvents { tx: broadcast::channel(BACKLOG).0, last: Mutex::new(HashMap::new()) }
    }
}

impl SandboxEvents {
    /// A sandbox as just saved (or deleted: state `destroyed`).
    pub fn saved(&self, dto: &Sandbox) {
        let Some(new) = dto.state else { return };
        let old = {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            if new == SandboxState::Destroyed {
                last.remove(&dto.id)
            } else {
                last.insert(dto.id.clone(), new)
            }
        };
        if old != Some(new) && !matches!(new, SandboxState::Error | SandboxState::BuildFailed) {
            // No listener is not an error.
            let _ = self.tx.send(StateChange { sandbox: dto.clone(), old_state: old });
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<StateChange> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dto(state: SandboxState) -> Sandbox {
        Sandbox { id: "a".into(), state: Some(state), ..Default::default() }
    }

    #[test]
    fn only_changes_of_state_are_broadcast_and_not_into_failures() {
        let events = SandboxEvents::default();
        let mut rx = events.subscribe();
        events.saved(&dto(SandboxState::Started));
        events.saved(&dto(SandboxState::Started));
        events.saved(&dto(SandboxState::Stopped));
        events.saved(&dto(SandboxState::Error));
        events.saved(&dto(SandboxState::Destroyed));
        let got: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok()).map(|c| (c.old_state, c.sandbox.state)).collect();
        use SandboxState::*;
        assert_eq!(got, [(None, Some(Started)), (Some(Started), Some(Stopped)), (Some(Error), Some(Destroyed))]);
    }
}
