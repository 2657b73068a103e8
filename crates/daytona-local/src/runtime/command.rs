//! Programs started in a sandbox (by toolbox routes, SSH sessions): in its jail, its home or a directory of it,
//! with its environment, leading a process group of its own.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::validate::env_names;
use crate::runtime::Error;

/// The X display of a sandbox's desktop while its server runs, which the desktop announces
/// here (under [`DISPLAY`]): programs started meanwhile open their windows on it.
pub struct Display(pub String);

pub const DISPLAY: &str = "desktop";

/// The displays the sandboxes' desktops serve.
pub fn displays(sandboxes: &SandboxManager) -> Arc<PerSandbox<Display>> {
    sandboxes.live.of()
}

/// The shell commands run in: bash where there is one, else sh.
pub fn shell() -> &'static str {
    if Path::new("/bin/bash").exists() {
        "/bin/bash"
    } else {
        "/bin/sh"
    }
}

/// A command in the sandbox's jail: working directory (default the home), the sandbox's env
/// plus `envs`. Without a process group or stdio set yet.
pub fn jailed(
    sandboxes: &SandboxManager,
    sb: &SandboxCtx,
    program: &str,
    cwd: Option<&str>,
    envs: &BTreeMap<String, String>,
) -> Result<std::process::Command, Error> {
    env_names(envs.keys())?;
    let dir = match cwd.filter(|c| !c.is_empty()) {
        Some(c) => sb.fs.resolve(c)?.host,
        None => sb.fs.home().to_path_buf(),
    };
    if !dir.is_dir() {
        return Err(Error::Invalid(format!("bad request: working directory {} does not exist", cwd.unwrap_or_default())));
    }
    let mut cmd = sandboxes.jail.command(&sb.dto, &sb.tree, program, &dir)?;
    cmd.envs(sb.dto.env.iter().flatten());
    // Programs started while the desktop runs open their windows on it.
    if let Some(display) = displays(sandboxes).get(&sb.dto.id, DISPLAY) {
        cmd.env("DISPLAY", &display.0);
    }
    cmd.envs(envs);
    Ok(cmd)
}

/// [`jailed`], as a tokio command leading a process group of its own.
pub fn sandbox_command(
    sandboxes: &SandboxManager,
    sb: &SandboxCtx,
    program: &str,
    cwd: Option<&str>,
    envs: &BTreeMap<String, String>,
) -> Result<tokio::process::Command, Error> {
    let mut cmd = tokio::process::Command::from(jailed(sandboxes, sb, program, cwd, envs)?);
    cmd.process_group(0).kill_on_drop(true);
    Ok(cmd)
}
