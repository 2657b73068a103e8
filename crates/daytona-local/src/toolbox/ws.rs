//! What every toolbox WebSocket shares: upgrading only when asked, and picking the
//! subprotocol a client offered.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;

use crate::runtime::Error;
use crate::state::AppState;

pub const EXIT_CONTROL: &str = "X-Daytona-Pty-Exit-Control";
const SDK_VERSION_PREFIX: &str = "X-Daytona-SDK-Version~";

/// The subprotocols the client offered, in its order.
pub fn offered(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Clients that offer subprotocols require one to be selected: the exit-control token when
/// offered (it means `exited` messages are understood), else the SDK-version token, else the
/// first offered. Never a data-carrying token such as `X-Daytona-Pty-Envs~…` unless alone.
pub fn choose(offered: &[String]) -> Option<String> {
    offered.iter().find(|p| *p == EXIT_CONTROL).or_else(|| offered.iter().find(|p| p.starts_with(SDK_VERSION_PREFIX))).or_else(|| offered.first()).cloned()
}

/// The upgrade for a request that asked for one, with the chosen subprotocol; `None` for a
/// plain HTTP request.
pub async fn upgrade(req: Request, state: &AppState) -> Result<Option<(WebSocketUpgrade, Vec<String>)>, Error> {
    let is_ws = req.headers().get("upgrade").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if !is_ws {
        return Ok(None);
    }
    let offered = offered(req.headers());
    let (mut parts, _) = req.into_parts();
    let ws = WebSocketUpgrade::from_request_parts(&mut parts, state).await.map_err(|e| Error::Invalid(e.to_string()))?;
    let ws = match choose(&offered) {
        Some(p) => ws.protocols([p]),
        None => ws,
    };
    Ok(Some((ws, offered)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_control_wins_then_sdk_version() {
        let o = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(choose(&o(&["X-Daytona-Pty-Envs~e30", EXIT_CONTROL])).as_deref(), Some(EXIT_CONTROL));
        assert_eq!(choose(&o(&["X-Daytona-SDK-Version~0.218.0", "X-Daytona-Pty-Envs~e30"])).as_deref(), Some("X-Daytona-SDK-Version~0.218.0"));
        assert_eq!(choose(&o(&[])), None);
    }
}
