//! `/process/…`: commands, code-run and sessions, run as real processes in the sandbox's
//! home with its environment, each in a process group the sandbox owns.

mod code_run;
mod execute;
mod interpreter;
pub mod pty;
pub mod session;

use std::collections::BTreeMap;
use std::path::Path;

use axum::Router;

use super::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

pub use execute::OUTPUT_GRACE;
pub use interpreter::Contexts;
pub use pty::Ptys;
pub use session::Sessions;

pub fn router() -> Router<AppState> {
    Router::new().merge(execute::router()).merge(code_run::router()).merge(session::router()).merge(pty::router()).merge(interpreter::router())
}

/// The shell commands run in: bash where there is one, else sh.
pub fn shell() -> &'static str {
    if Path::new("/bin/bash").exists() {
        "/bin/bash"
    } else {
        "/bin/sh"
    }
}

/// Env names must look like shell identifiers.
pub fn check_envs(envs: &BTreeMap<String, String>) -> Result<(), Error> {
    for k in envs.keys() {
        let mut chars = k.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(Error::Invalid(format!("bad request: invalid environment variable name {k:?}")));
        }
    }
    Ok(())
}

/// A command in the sandbox's jail: working directory (default the home), the sandbox's env
/// plus `envs`. Without a process group or stdio set yet.
pub fn jailed(state: &AppState, sb: &SandboxCtx, program: &str, cwd: Option<&str>, envs: &BTreeMap<String, String>) -> Result<std::process::Command, Error> {
    check_envs(envs)?;
    let dir = match cwd.filter(|c| !c.is_empty()) {
        Some(c) => sb.fs.resolve(c)?.host,
        None => sb.fs.home().to_path_buf(),
    };
    if !dir.is_dir() {
        return Err(Error::Invalid(format!("bad request: working directory {} does not exist", cwd.unwrap_or_default())));
    }
    let mut cmd = state.sandboxes.jail.command(&sb.dto, &sb.tree, program, &dir)?;
    cmd.envs(sb.dto.env.iter().flatten());
    // Programs started while the desktop runs open their windows on it.
    if let Some(desktop) = crate::toolbox::computer_use::desktops(state).get(&sb.dto.id, crate::toolbox::computer_use::DESKTOP).filter(|d| d.running("xvfb")) {
        cmd.env("DISPLAY", desktop.display_env());
    }
    cmd.envs(envs);
    Ok(cmd)
}

/// [`jailed`], as a tokio command leading a process group of its own.
pub fn sandbox_command(
    state: &AppState,
    sb: &SandboxCtx,
    program: &str,
    cwd: Option<&str>,
    envs: &BTreeMap<String, String>,
) -> Result<tokio::process::Command, Error> {
    let mut cmd = tokio::process::Command::from(jailed(state, sb, program, cwd, envs)?);
    cmd.process_group(0).kill_on_drop(true);
    Ok(cmd)
}
