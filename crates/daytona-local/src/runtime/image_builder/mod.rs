//! Image builds without a container engine: a Dockerfile's steps are carried out in a
//! temporary sandbox on this host's system, and what they leave in its home becomes the
//! snapshot's template. `RUN` runs in the sandbox's jail, `ENV`/`ARG`/`WORKDIR` shape the
//! steps after them, `COPY` takes files from the uploaded build context, and
//! `CMD`/`ENTRYPOINT` are recorded. The base image's userland cannot be had this way:
//! the log says so at `FROM`, and a step that needs it (say, `apt-get`) fails as it would
//! on this host.

pub mod context;
pub mod dockerfile;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use daytona_types::api::sandbox::Sandbox;
use serde::{Deserialize, Serialize};

use crate::runtime::jail::{Jail, Tree};
use crate::runtime::processes::{self, Processes};
use crate::runtime::sandbox_fs::{SandboxFs, HOME};
use dockerfile::{Instr, Step};

/// What a build leaves besides the files: the image's config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageConfig {
    pub env: BTreeMap<String, String>,
    pub workdir: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
}

/// Where a build runs and writes.
pub struct Builder<'a> {
    pub jail: &'a Jail,
    pub procs: &'a Arc<Processes>,
    pub dto: &'a Sandbox,
    pub tree: &'a Tree,
    /// The context tars, in the order of the build's context hashes.
    pub contexts: Vec<PathBuf>,
    pub log: File,
}

/// The host's root is read-only in a sandbox, so pip installs into the home (`~/.local`,
/// on Python's path), which the template keeps.
const PIP_ENV: [(&str, &str); 2] = [("PIP_USER", "1"), ("PIP_BREAK_SYSTEM_PACKAGES", "1")];

fn absolute(workdir: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", workdir.trim_end_matches('/'))
    }
}

impl Builder<'_> {
    fn say(&mut self, line: &str) {
        // The log is best effort: a full disk must not fail the build itself.
        let _ = writeln!(self.log, "{line}");
    }

    /// Carries out the steps; the error is why the build failed (also in the log).
    pub fn run(&mut self, steps: &[Step]) -> Result<ImageConfig, String> {
        let fs = SandboxFs::new(self.tree.home.clone(), self.tree.tmp.clone());
        let mut config = ImageConfig::default();
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        let mut workdir = HOME.to_string();
        let total = steps.len();
        for (i, step) in steps.iter().enumerate() {
            if self.procs.is_cancelled(&self.dto.id) {
                return Err("the build was cancelled".into());
            }
            self.say(&format!("Step {}/{total} : {}", i + 1, step.text));
            let done = match &step.instr {
                Instr::From(image) => {
                    self.say(&format!(" ---> daytona-local has no container engine: the steps run on this host's system, not in {image}'s userland"));
                    Ok(())
                }
                Instr::Run(argv) => self.exec(argv, &fs, &workdir, &config.env, &args),
                Instr::Env(pairs) => {
                    config.env.extend(pairs.iter().cloned());
                    Ok(())
                }
                Instr::Arg(pairs) => {
                    args.extend(pairs.iter().filter_map(|(k, v)| Some((k.clone(), v.clone()?))));
                    Ok(())
                }
                Instr::Workdir(dir) => {
                    workdir = absolute(&workdir, dir);
                    config.workdir = Some(workdir.clone());
                    fs.resolve(&workdir)
                        .map_err(|_| format!("WORKDIR {workdir} is outside {HOME} and /tmp, where a daytona-local build can write"))
                        .and_then(|r| std::fs::create_dir_all(r.host).map_err(|e| format!("WORKDIR {workdir}: {e}")))
                }
                Instr::Copy { sources, dest } => self.copy(sources, &absolute(&workdir, dest), &fs),
                Instr::Cmd(argv) => {
                    config.cmd = Some(argv.clone());
                    Ok(())
                }
                Instr::Entrypoint(argv) => {
                    config.entrypoint = Some(argv.clone());
                    Ok(())
                }
                Instr::Ignored => {
                    self.say(" ---> not applied: it has no effect on daytona-local sandboxes");
                    Ok(())
                }
            };
            if let Err(why) = done {
                let why = format!("Step {}/{total} ({}) failed: {why}", i + 1, step.text);
                self.say(&why);
                return Err(why);
            }
        }
        Ok(config)
    }

    fn copy(&mut self, sources: &[String], dest: &str, fs: &SandboxFs) -> Result<(), String> {
        if fs.resolve(dest).is_err() {
            return Err(format!("the destination {dest} is outside {HOME} and /tmp, where a daytona-local build can write (and only {HOME} is kept)"));
        }
        let dest = if sources.len() > 1 && !dest.ends_with('/') { format!("{dest}/") } else { dest.to_string() };
        for source in sources {
            let (files, skipped) = context::copy(&self.contexts, source, &dest, fs)?;
            self.say(&format!(" ---> copied {files} file(s) from {source}"));
            for name in skipped {
                self.say(&format!(" ---> skipped {name}: only regular files and directories are copied"));
            }
        }
        Ok(())
    }

    /// Runs a program in the build's jail, its output into the log; fails unless it exits 0.
    fn exec(&mut self, argv: &[String], fs: &SandboxFs, workdir: &str, env: &BTreeMap<String, String>, args: &BTreeMap<String, String>) -> Result<(), String> {
        let (program, rest) = argv.split_first().ok_or("RUN needs a command")?;
        let cwd = fs.resolve(workdir).map_err(|e| format!("WORKDIR {workdir}: {e}"))?.host;
        std::fs::create_dir_all(&cwd).map_err(|e| format!("WORKDIR {workdir}: {e}"))?;
        let mut cmd = self.jail.command(self.dto, self.tree, program, &cwd).map_err(|e| e.to_string())?;
        let out = self.log.try_clone().map_err(|e| e.to_string())?;
        let err = self.log.try_clone().map_err(|e| e.to_string())?;
        cmd.args(rest).envs(PIP_ENV).envs(args).envs(env).stdin(Stdio::null()).stdout(out).stderr(err).process_group(0);
        let (mut child, group) =
            processes::spawn(self.jail, self.procs, &self.dto.id, move || cmd.spawn()).map_err(|e| format!("cannot run {program}: {e}"))?;
        let status = child.wait();
        // What a step left running in the background must not outlive it: it could change
        // the tree while a later COPY writes into it from outside the jail. Its process group
        // (dropped, it is killed), then (jailed) every process of the build, daemons that left
        // the group included.
        drop(group);
        self.jail.stop(&self.dto.id);
        match status.map_err(|e| e.to_string())?.code() {
            Some(0) => Ok(()),
            Some(code) => Err(format!("exited with code {code}")),
            None => Err("killed by a signal".into()),
        }
    }
}
