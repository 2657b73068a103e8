//! Polling a sandbox until it reaches a state (pure-polling cadence: 100 ms
//! for the first 5 s, then ×1.1 per poll up to 1 s). Time comes from the injected clock.

use daytona_types::api::sandbox::SandboxState;

use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;
use crate::sandbox_dto::SandboxDto;
use crate::transport::LocalBoxFuture;

pub(crate) struct Wait<'a> {
    /// Seconds; 0 = no limit.
    pub timeout_s: f64,
    pub is_target: &'a dyn Fn(SandboxState) -> bool,
    /// Stop and delete waits treat 404 as `destroyed` and ride out other poll errors.
    pub tolerant: bool,
    pub failure: &'a dyn Fn(&SandboxDto) -> String,
    pub timeout_message: &'a str,
}

impl SandboxClient {
    /// Boxed: one copy for the many lifecycle calls that wait.
    pub(crate) fn wait_for<'a>(&'a self, w: Wait<'a>) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(self.wait_for_inner(w))
    }

    async fn wait_for_inner(&self, w: Wait<'_>) -> Result<()> {
        if self.dto().state().is_some_and(|s| (w.is_target)(s)) {
            return Ok(());
        }
        let clock = self.ctx().clock();
        let start = clock.now_ms();
        let deadline = (w.timeout_s > 0.0).then_some(start + w.timeout_s * 1000.0);
        let mut interval = 100.0_f64;
        loop {
            let state = match self.refresh_data().await {
                Ok(()) => self.dto().state(),
                Err(e) if w.tolerant && e.status() == Some(404) => Some(SandboxState::Destroyed),
                Err(_) if w.tolerant => None,
                Err(e) => return Err(e),
            };
            match state {
                Some(s) if (w.is_target)(s) => return Ok(()),
                Some(s) if s.is_error() => return Err(Error::Other((w.failure)(&self.dto()))),
                _ => {}
            }
            let now = clock.now_ms();
            let sleep_ms = match deadline {
                Some(d) if now >= d => return Err(Error::Timeout(w.timeout_message.to_string())),
                Some(d) => interval.min(d - now),
                None => interval,
            };
            clock.sleep(sleep_ms.max(1.0) as u64).await;
            if clock.now_ms() - start >= 5000.0 {
                interval = (interval * 1.1).min(1000.0);
            }
        }
    }
}
