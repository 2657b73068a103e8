//! SSH access: tokens for daytona-local's SSH endpoint ([`crate::ssh`]).

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::api::sandbox::{Sandbox, SshAccess, SshAccessValidation};
use serde::Deserialize;

use crate::runtime::ssh_access::DEFAULT_MINUTES;
use crate::runtime::time::{iso, now_ms};
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/sandbox/{id}/ssh-access", post(create).delete(revoke)).route("/sandbox/ssh-access/validate", get(validate))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateQuery {
    expires_in_minutes: Option<String>,
}

async fn create(State(s): State<AppState>, Path(id): Path<String>, Query(q): Query<CreateQuery>) -> Result<Json<SshAccess>, Error> {
    let minutes = match q.expires_in_minutes.as_deref().filter(|m| !m.is_empty()) {
        None => DEFAULT_MINUTES,
        // Fractions of a minute are taken, as Daytona's API multiplies whatever number it gets.
        Some(m) => m
            .parse::<f64>()
            .ok()
            .filter(|m| *m > 0.0 && *m <= 525_600.0)
            .ok_or_else(|| Error::Invalid(format!("expiresInMinutes must be a number above 0 and at most 525600, not {m}")))?,
    };
    let dto = s.sandboxes.get(&id)?;
    let a = s.ssh_accesses.create(&dto.id, minutes, now_ms());
    let host = host_of(&s.public_url);
    let ssh_command = match s.ssh_port {
        22 => format!("ssh {}@{host}", a.token),
        port => format!("ssh -p {port} {}@{host}", a.token),
    };
    Ok(Json(SshAccess {
        id: a.id,
        sandbox_id: a.sandbox_id,
        token: a.token,
        expires_at: iso(a.expires_ms),
        created_at: iso(a.created_ms),
        updated_at: iso(a.created_ms),
        ssh_command,
    }))
}

/// The host clients reach this server at: SSH is served there too.
fn host_of(url: &str) -> &str {
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest).split('/').next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !h.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    host.trim_start_matches('[').trim_end_matches(']')
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// Without a token, every access of the sandbox is revoked.
async fn revoke(State(s): State<AppState>, Path(id): Path<String>, Query(q): Query<TokenQuery>) -> Result<Json<Sandbox>, Error> {
    let dto = s.sandboxes.get(&id)?;
    s.ssh_accesses.revoke(&dto.id, q.token.as_deref().filter(|t| !t.is_empty()));
    Ok(Json(dto))
}

async fn validate(State(s): State<AppState>, Query(q): Query<TokenQuery>) -> Json<SshAccessValidation> {
    let sandbox_id = q.token.and_then(|t| s.ssh_accesses.validate(&t, now_ms())).map(|(id, _)| id);
    Json(SshAccessValidation { valid: sandbox_id.is_some(), sandbox_id })
}

#[cfg(test)]
mod tests {
    #[test]
    fn host_of_a_public_url() {
        assert_eq!(super::host_of("http://127.0.0.1:3986"), "127.0.0.1");
        assert_eq!(super::host_of("https://sandboxes.example.com/base"), "sandboxes.example.com");
        assert_eq!(super::host_of("http://[::1]:80"), "::1");
    }
}
