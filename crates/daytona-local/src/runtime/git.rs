//! Git in a sandbox (the `/git/…` routes), backed by the real `git`. Credentials reach git only through
//! the environment of the one process that needs them (an inline credential helper reads
//! them), never a file, a URL or a log line.

use std::path::Path;
use std::time::Duration;

use daytona_types::toolbox::git::{
    FileStatus, GitAddRemoteRequest, GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitCommitResponse,
    GitConfigRequest, GitConfigResponse, GitConfigUserRequest, GitCredentialsRequest, GitInitRequest, GitRemote, GitRepoRequest, GitResetRequest,
    GitRestoreRequest, GitStatus, ListBranchResponse, ListRemotesResponse,
};
use serde::Deserialize;

use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// Network operations may take a while; nothing may hang forever.
const GIT_TIMEOUT: Duration = Duration::from_secs(600);

/// An inline credential helper: prints the credentials from this process's environment.
const CREDENTIAL_HELPER: &str = "!f() { echo \"username=$DAYTONA_GIT_USERNAME\"; echo \"password=$DAYTONA_GIT_PASSWORD\"; }; f";

/// git run in the sandbox's jail (a repository's hooks and config are the sandbox's code),
/// with the sandbox home as `HOME`, so the host's git config never applies.
struct Git<'a> {
    sandboxes: &'a SandboxManager,
    sb: &'a SandboxCtx,
    /// The working directory (a repository, or where to clone), on the host.
    dir: &'a Path,
    credentials: Option<(String, String)>,
}

/// Classifies git's complaint into the daemon's typed errors.
fn git_error(stderr: &str) -> Error {
    let msg = stderr.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("; ");
    let low = msg.to_lowercase();
    let (status, code) = if low.contains("authentication failed") || low.contains("could not read username") || low.contains("401") {
        (401, "GIT_AUTH_FAILED")
    } else if low.contains("did not match any") || low.contains("invalid reference") || (low.contains("branch") && low.contains("not found")) {
        (404, "GIT_BRANCH_NOT_FOUND")
    } else if low.contains("repository") && (low.contains("not found") || low.contains("does not exist")) {
        (404, "GIT_REPO_NOT_FOUND")
    } else if low.contains("already exists") {
        (409, "GIT_BRANCH_EXISTS")
    } else if low.contains("[rejected]") || low.contains("non-fast-forward") || low.contains("not possible to fast-forward") {
        (409, "GIT_PUSH_REJECTED")
    } else if low.contains("would be overwritten") {
        (409, "GIT_DIRTY_WORKTREE")
    } else if low.contains("not a git repository") {
        (400, "BAD_REQUEST")
    } else if [
        "could not resolve host",
        "failed to connect",
        "unable to access",
        "remote end hung up",
        "rpc failed",
        "connection refused",
        "connection reset",
        "timed out",
    ]
    .iter()
    .any(|m| low.contains(m))
    {
        (502, "GIT_TRANSPORT_FAILED")
    } else if low.contains("no space left") {
        (507, "INSUFFICIENT_STORAGE")
    } else if ["cannot fork", "resource temporarily unavailable", "unable to create", ".lock"].iter().any(|m| low.contains(m)) {
        (500, "INTERNAL_SERVER_ERROR")
    } else {
        // Anything else git refused is about what it was asked (a bad name, ref, key or
        // option, no upstream, nothing to do), not a failure of this server.
        (400, "BAD_REQUEST")
    };
    Error::coded(status, code, if msg.is_empty() { "git failed".to_string() } else { msg })
}

impl Git<'_> {
    async fn run(&self, args: &[&str]) -> Result<String, Error> {
        self.run_with_input(args, None).await
    }

    /// [`run`](Self::run) with `input` on git's stdin.
    async fn run_with_input(&self, args: &[&str], input: Option<String>) -> Result<String, Error> {
        for a in args.iter().copied().chain(input.as_deref()).chain(self.credentials.iter().flat_map(|(u, p)| [u.as_str(), p.as_str()])) {
            checked_arg(a)?;
        }
        match std::fs::metadata(self.dir) {
            Err(_) => return Err(Error::coded(404, "GIT_REPO_NOT_FOUND", "repository not found: no such directory")),
            Ok(m) if !m.is_dir() => return Err(Error::coded(400, "BAD_REQUEST", "bad request: the repository path is not a directory")),
            Ok(_) => {}
        }
        let jailed = self.sandboxes.jail.command(&self.sb.dto, &self.sb.tree, "git", self.dir)?;
        let mut cmd = tokio::process::Command::from(jailed);
        cmd.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            // Local transports could read the host's files: only network remotes are allowed.
            .args(["-c", "protocol.file.allow=never"])
            .kill_on_drop(true)
            .stdin(if input.is_some() { std::process::Stdio::piped() } else { std::process::Stdio::null() });
        // Without credentials in the request, the sandbox's own helpers apply (they run in its
        // jail, like every program it configures); with them, only ours does.
        if let Some((user, pass)) = &self.credentials {
            cmd.args(["-c", "credential.helper=", "-c", &format!("credential.helper={CREDENTIAL_HELPER}")])
                .env("DAYTONA_GIT_USERNAME", user)
                .env("DAYTONA_GIT_PASSWORD", pass);
        }
        cmd.args(args);
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let (mut child, group) = self.sandboxes.spawn(&self.sb.dto.id, move || cmd.spawn())?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            use tokio::io::AsyncWriteExt;
            stdin.write_all(input.as_bytes()).await?;
        }
        let out = tokio::time::timeout(GIT_TIMEOUT, child.wait_with_output())
            .await
            .map_err(|_| Error::coded(408, "REQUEST_TIMEOUT", "request timeout: git did not finish in time"))??;
        group.release();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else if out.status.code() == Some(1) && out.stderr.is_empty() && out.stdout.is_empty() {
            // `git config --get` of a key that is not set: no answer, not a failure.
            Err(Error::NotFound(String::new()))
        } else if out.stderr.is_empty() {
            Err(git_error(&String::from_utf8_lossy(&out.stdout)))
        } else {
            Err(git_error(&String::from_utf8_lossy(&out.stderr)))
        }
    }
}

/// Longest argument git is given: the kernel's limit for one is 128 KiB.
const MAX_ARG: usize = 64 * 1024;

/// An argument as git can take it: no NUL byte (nothing can pass one), not over [`MAX_ARG`].
fn checked_arg(a: &str) -> Result<&str, Error> {
    if a.contains('\0') {
        return Err(Error::Invalid("bad request: git arguments must not contain NUL bytes".into()));
    }
    if a.len() > MAX_ARG {
        return Err(Error::Invalid(format!("bad request: git arguments must be at most {MAX_ARG} bytes")));
    }
    Ok(a)
}

fn credentials(username: &Option<String>, password: &Option<String>) -> Option<(String, String)> {
    match (username, password) {
        (Some(u), Some(p)) if !u.is_empty() => Some((u.clone(), p.clone())),
        _ => None,
    }
}

/// A repository directory inside the sandbox.
fn repo<'a>(sandboxes: &'a SandboxManager, sb: &'a SandboxCtx, host: &'a Path, creds: Option<(String, String)>) -> Git<'a> {
    Git { sandboxes, sb, dir: host, credentials: creds }
}

/// Whether `url` names a network remote, the only kind git may reach (local transports could
/// read the host's files).
fn network_url(url: &str) -> bool {
    ["http://", "https://", "git://", "ssh://"].iter().any(|s| url.starts_with(s))
}

pub async fn clone(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitCloneRequest) -> Result<(), Error> {
    if !network_url(&req.url) {
        return Err(Error::Invalid("bad request: url must be an http(s), git or ssh URL".into()));
    }
    let target = sb.fs.resolve(&req.path)?;
    if target.host.exists() && std::fs::read_dir(&target.host).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Error::Conflict(format!("conflict: {} already exists and is not empty", req.path)));
    }
    let parent = target.host.parent().unwrap_or(sb.fs.home());
    // The first folder this clone makes, removed again if the clone fails.
    let made = parent.ancestors().take_while(|a| !a.exists()).last().map(Path::to_path_buf);
    std::fs::create_dir_all(parent)?;
    let git = repo(sandboxes, sb, parent, credentials(&req.username, &req.password));
    let host = sandboxes.jail.visible(&sb.tree, &target.host).to_string_lossy().into_owned();
    let depth = req.depth.map(|d| d.to_string());
    let mut args = vec![];
    if req.insecure_skip_tls == Some(true) {
        args.extend(["-c", "http.sslVerify=false"]);
    }
    args.push("clone");
    if let Some(b) = req.branch.as_deref().filter(|b| !b.is_empty()) {
        args.extend(["--branch", b]);
    }
    if let Some(d) = &depth {
        args.extend(["--depth", d]);
    }
    args.extend(["--", &req.url, &host]);
    let result = git.run(&args).await;
    if result.is_ok() {
        if let Some(commit) = req.commit_id.as_deref().filter(|c| !c.is_empty()) {
            let checkout = Git { dir: &target.host, ..git }.run(&["checkout", "--detach", "--end-of-options", commit, "--"]).await;
            if let Err(e) = checkout {
                let _ = std::fs::remove_dir_all(&target.host);
                return Err(e);
            }
        }
    }
    if let (Err(_), Some(made)) = (&result, made) {
        let _ = std::fs::remove_dir_all(made);
    }
    result.map(drop)
}

pub async fn add(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitAddRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    let mut args = vec!["add", "--"];
    args.extend(req.files.iter().map(String::as_str));
    repo(sandboxes, sb, &r.host, None).run(&args).await?;
    Ok(())
}

pub async fn commit(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitCommitRequest) -> Result<GitCommitResponse, Error> {
    let r = sb.fs.resolve(&req.path)?;
    let git = repo(sandboxes, sb, &r.host, None);
    let (name, email) = (format!("user.name={}", req.author), format!("user.email={}", req.email));
    let mut args = vec!["-c", &name, "-c", &email, "commit", "-m", &req.message];
    // (A merge being concluded may have nothing staged and still be a commit to make.)
    if req.allow_empty == Some(true) {
        args.push("--allow-empty");
    } else if git.run(&["rev-parse", "-q", "--verify", "MERGE_HEAD"]).await.is_err() && git.run(&["diff", "--cached", "--quiet"]).await.is_ok() {
        // Refused before git writes its message file: a refused request changes nothing.
        return Err(Error::coded(400, "BAD_REQUEST", "bad request: nothing to commit (no staged changes)"));
    }
    git.run(&args).await?;
    let hash = git.run(&["rev-parse", "HEAD"]).await?.trim().to_string();
    Ok(GitCommitResponse { hash })
}

pub async fn push(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitRepoRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    let remote = req.remote.as_deref().filter(|r| !r.is_empty()).unwrap_or("origin");
    let branch = req.branch.as_deref().filter(|b| !b.is_empty()).unwrap_or("HEAD");
    let mut args = vec!["push"];
    // The current branch is tracked unless told otherwise, as before `set_upstream` existed.
    if req.set_upstream != Some(false) {
        args.push("--set-upstream");
    }
    args.extend(["--", remote, branch]);
    repo(sandboxes, sb, &r.host, credentials(&req.username, &req.password)).run(&args).await?;
    Ok(())
}

pub async fn pull(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitRepoRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    let git = repo(sandboxes, sb, &r.host, credentials(&req.username, &req.password));
    let mut args = vec!["pull", "--ff-only"];
    // What is named is checked before the pull fetches anything (git writes FETCH_HEAD
    // however the fetch ends): a refused request changes nothing.
    let (remote, branch) = (req.remote.as_deref().filter(|r| !r.is_empty()), req.branch.as_deref().filter(|b| !b.is_empty()));
    if remote.is_some() || branch.is_some() {
        let remote = remote.unwrap_or("origin");
        // A remote is a configured one's name, or a network URL (as a clone's).
        if !network_url(remote) && git.run(&["remote", "get-url", "--", remote]).await.is_err() {
            return Err(Error::coded(400, "BAD_REQUEST", format!("bad request: no remote named {remote:?}")));
        }
        if let Some(branch) = branch {
            if git.run(&["check-ref-format", "--branch", branch]).await.is_err() {
                return Err(Error::coded(400, "BAD_REQUEST", format!("bad request: {branch:?} is not a valid branch name")));
            }
        }
        args.extend(["--", remote]);
        args.extend(branch);
    } else {
        git.run(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"]).await?;
    }
    git.run(&args).await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct PathQuery {
    path: String,
}

pub async fn branches(sandboxes: &SandboxManager, sb: &SandboxCtx, q: PathQuery) -> Result<ListBranchResponse, Error> {
    let r = sb.fs.resolve(&q.path)?;
    let out = repo(sandboxes, sb, &r.host, None).run(&["branch", "--format=%(HEAD) %(refname:short)"]).await?;
    let mut current = None;
    let branches = out
        .lines()
        .filter_map(|l| {
            // "* name" for the current branch, "  name" for the others.
            let name = l.get(2..)?;
            if name.starts_with('(') {
                return None; // "(HEAD detached at …)"
            }
            if l.starts_with('*') {
                current = Some(name.to_string());
            }
            Some(name.to_string())
        })
        .collect();
    Ok(ListBranchResponse { branches, current })
}

pub async fn create_branch(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitBranchRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    repo(sandboxes, sb, &r.host, None).run(&["branch", "--", &req.name]).await?;
    Ok(())
}

pub async fn delete_branch(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitBranchRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    repo(sandboxes, sb, &r.host, None).run(&["branch", "-D", "--", &req.name]).await?;
    Ok(())
}

pub async fn checkout(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitCheckoutRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    repo(sandboxes, sb, &r.host, None).run(&["checkout", "--end-of-options", &req.branch, "--"]).await?;
    Ok(())
}

pub async fn init(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitInitRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    std::fs::create_dir_all(&r.host)?;
    let branch = req.initial_branch.as_deref().filter(|b| !b.is_empty()).map(|b| format!("--initial-branch={b}"));
    let mut args = vec!["init", "--quiet"];
    if req.bare == Some(true) {
        args.push("--bare");
    }
    args.extend(branch.as_deref());
    repo(sandboxes, sb, &r.host, None).run(&args).await?;
    Ok(())
}

pub async fn reset(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitResetRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    let mode = match req.mode.as_deref() {
        None | Some("") => None,
        Some(m @ ("soft" | "mixed" | "hard" | "merge" | "keep")) => Some(format!("--{m}")),
        Some(m) => return Err(Error::Invalid(format!("invalid reset mode {m:?}: soft, mixed, hard, merge or keep"))),
    };
    let mut args = vec!["reset", "--quiet"];
    args.extend(mode.as_deref());
    args.push("--end-of-options");
    args.push(req.target.as_deref().filter(|t| !t.is_empty()).unwrap_or("HEAD"));
    if let Some(files) = req.files.as_ref().filter(|f| !f.is_empty()) {
        args.push("--");
        args.extend(files.iter().map(String::as_str));
    }
    repo(sandboxes, sb, &r.host, None).run(&args).await?;
    Ok(())
}

pub async fn restore(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitRestoreRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    if req.files.is_empty() {
        return Err(Error::Invalid("files must name at least one path".into()));
    }
    let source = req.source.as_deref().filter(|s| !s.is_empty()).map(|s| format!("--source={s}"));
    let mut args = vec!["restore"];
    if req.staged == Some(true) {
        args.push("--staged");
    }
    // git's own default: the work tree, unless only the index was asked for.
    if req.worktree == Some(true) || (req.staged != Some(true) && req.worktree.is_none()) {
        args.push("--worktree");
    }
    args.extend(source.as_deref());
    args.push("--");
    args.extend(req.files.iter().map(String::as_str));
    repo(sandboxes, sb, &r.host, None).run(&args).await?;
    Ok(())
}

pub async fn remotes(sandboxes: &SandboxManager, sb: &SandboxCtx, q: PathQuery) -> Result<ListRemotesResponse, Error> {
    let r = sb.fs.resolve(&q.path)?;
    let out = repo(sandboxes, sb, &r.host, None).run(&["remote", "-v"]).await?;
    // "origin\thttps://… (fetch)" and "(push)" lines: the fetch URL names the remote.
    let remotes =
        out.lines().filter_map(|l| l.strip_suffix(" (fetch)")?.split_once('\t')).map(|(name, url)| GitRemote { name: name.into(), url: url.into() }).collect();
    Ok(ListRemotesResponse { remotes })
}

pub async fn add_remote(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitAddRemoteRequest) -> Result<(), Error> {
    let r = sb.fs.resolve(&req.path)?;
    let git = repo(sandboxes, sb, &r.host, None);
    let exists = git.run(&["remote", "get-url", "--", &req.name]).await.is_ok();
    if exists && req.overwrite == Some(true) {
        git.run(&["remote", "set-url", "--", &req.name, &req.url]).await?;
    } else if exists {
        return Err(Error::coded(409, "CONFLICT", format!("remote {} already exists", req.name)));
    } else {
        git.run(&["remote", "add", "--", &req.name, &req.url]).await?;
    }
    if req.fetch == Some(true) {
        git.run(&["fetch", "--", &req.name]).await?;
    }
    Ok(())
}

/// `--global` (the default), `--local` (in `path`, which it needs) or `--system` (the host's,
/// read-only in a sandbox), and the directory git runs in.
fn config_scope(sb: &SandboxCtx, scope: Option<&str>, path: Option<&str>) -> Result<(&'static str, std::path::PathBuf), Error> {
    let dir = match path.filter(|p| !p.is_empty()) {
        Some(p) => sb.fs.resolve(p)?.host,
        None => sb.fs.home().to_path_buf(),
    };
    let flag = match scope.unwrap_or("global") {
        "global" => "--global",
        "local" if path.is_some_and(|p| !p.is_empty()) => "--local",
        "local" => return Err(Error::Invalid("the local scope needs a path".into())),
        "system" => "--system",
        other => return Err(Error::Invalid(format!("invalid scope {other:?}: global, local or system"))),
    };
    Ok((flag, dir))
}

pub async fn set_config(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitConfigRequest) -> Result<(), Error> {
    let (scope, dir) = config_scope(sb, req.scope.as_deref(), req.path.as_deref())?;
    repo(sandboxes, sb, &dir, None).run(&["config", scope, "--", &req.key, &req.value]).await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct ConfigQuery {
    key: String,
    scope: Option<String>,
    path: Option<String>,
}

pub async fn get_config(sandboxes: &SandboxManager, sb: &SandboxCtx, q: ConfigQuery) -> Result<GitConfigResponse, Error> {
    let (scope, dir) = config_scope(sb, q.scope.as_deref(), q.path.as_deref())?;
    let value = match repo(sandboxes, sb, &dir, None).run(&["config", scope, "--get", "--", &q.key]).await {
        Ok(out) => Some(out.trim_end_matches('\n').to_string()),
        Err(Error::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(GitConfigResponse { value })
}

pub async fn configure_user(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitConfigUserRequest) -> Result<(), Error> {
    let (scope, dir) = config_scope(sb, req.scope.as_deref(), req.path.as_deref())?;
    let git = repo(sandboxes, sb, &dir, None);
    // Both checked before either is written: a refused request changes nothing.
    checked_arg(&req.name)?;
    checked_arg(&req.email)?;
    git.run(&["config", scope, "--", "user.name", &req.name]).await?;
    git.run(&["config", scope, "--", "user.email", &req.email]).await?;
    Ok(())
}

/// Keeps the credentials in the sandbox's git credential store (`~/.git-credentials`, in
/// plain text, as the method's name warns) and turns the store on for its git. git writes the
/// file itself, in the jail, so a link the sandbox put there leads nowhere outside it.
pub async fn store_credentials(sandboxes: &SandboxManager, sb: &SandboxCtx, req: GitCredentialsRequest) -> Result<(), Error> {
    let protocol = req.protocol.as_deref().filter(|p| !p.is_empty()).unwrap_or("https");
    let host = req.host.as_deref().filter(|h| !h.is_empty()).unwrap_or("github.com");
    // The credential protocol is line-based: a newline in a value would forge another key.
    if [protocol, host, &req.username, &req.password].iter().any(|v| v.contains(['\n', '\0'])) {
        return Err(Error::Invalid("credentials must not contain newlines".into()));
    }
    let input = format!("protocol={protocol}\nhost={host}\nusername={}\npassword={}\n\n", req.username, req.password);
    let git = repo(sandboxes, sb, sb.fs.home(), None);
    git.run_with_input(&["credential-store", "store"], Some(input)).await?;
    git.run(&["config", "--global", "credential.helper", "store"]).await?;
    Ok(())
}

/// One porcelain-v2 status letter as a daemon status name.
fn status_name(c: char) -> &'static str {
    match c {
        'M' | 'T' => "Modified",
        'A' => "Added",
        'D' => "Deleted",
        'R' => "Renamed",
        'C' => "Copied",
        'U' => "Updated but unmerged",
        '?' => "Untracked",
        _ => "Unmodified",
    }
}

/// Parses `git status --porcelain=v2 --branch -z`.
fn parse_status(out: &str) -> GitStatus {
    let mut s = GitStatus::default();
    let mut records = out.split('\0').filter(|r| !r.is_empty());
    while let Some(rec) = records.next() {
        if let Some(head) = rec.strip_prefix("# branch.head ") {
            s.detached = Some(head == "(detached)");
            s.current_branch = if head == "(detached)" { "HEAD".into() } else { head.into() };
        } else if let Some(up) = rec.strip_prefix("# branch.upstream ") {
            s.upstream = Some(up.into());
        } else if let Some(ab) = rec.strip_prefix("# branch.ab ") {
            let mut it = ab.split(' ');
            s.ahead = it.next().and_then(|a| a.trim_start_matches('+').parse().ok());
            s.behind = it.next().and_then(|b| b.trim_start_matches('-').parse().ok());
        } else if rec.starts_with('#') {
        } else {
            let fields: Vec<&str> = rec.splitn(9, ' ').collect();
            let (xy, name, extra) = match fields[0] {
                "1" if fields.len() >= 9 => (fields[1], fields[8].to_string(), String::new()),
                // Renames carry the original path as the next NUL-separated record.
                "2" if fields.len() >= 9 => {
                    let name = rec.splitn(10, ' ').nth(9).unwrap_or_default().to_string();
                    (fields[1], name, records.next().unwrap_or_default().to_string())
                }
                "u" => (fields[1], rec.rsplit(' ').next().unwrap_or_default().to_string(), String::new()),
                "?" => ("??", rec[2..].to_string(), String::new()),
                _ => continue,
            };
            let mut chars = xy.chars();
            let (x, y) = (chars.next().unwrap_or('.'), chars.next().unwrap_or('.'));
            s.file_status.push(FileStatus { name, extra, staging: status_name(x).into(), worktree: status_name(y).into() });
        }
    }
    s.branch_published = Some(s.upstream.is_some());
    s.ahead.get_or_insert(0);
    s.behind.get_or_insert(0);
    s
}

pub async fn status(sandboxes: &SandboxManager, sb: &SandboxCtx, q: PathQuery) -> Result<GitStatus, Error> {
    let r = sb.fs.resolve(&q.path)?;
    let out = repo(sandboxes, sb, &r.host, None).run(&["status", "--porcelain=v2", "--branch", "-z"]).await?;
    Ok(parse_status(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_porcelain_v2() {
        let out = "# branch.oid abc\0# branch.head main\0# branch.upstream origin/main\0# branch.ab +2 -1\x001 .M N... 100644 100644 100644 a a src/a.rs\x001 A. N... 000000 100644 100644 0 b new file.txt\0? untracked.txt\0";
        let s = parse_status(out);
        assert_eq!((s.current_branch.as_str(), s.ahead, s.behind, s.branch_published), ("main", Some(2), Some(1), Some(true)));
        assert_eq!(s.file_status.len(), 3);
        assert_eq!(
            (s.file_status[0].name.as_str(), s.file_status[0].staging.as_str(), s.file_status[0].worktree.as_str()),
            ("src/a.rs", "Unmodified", "Modified")
        );
        assert_eq!((s.file_status[1].name.as_str(), s.file_status[1].staging.as_str()), ("new file.txt", "Added"));
        assert_eq!((s.file_status[2].name.as_str(), s.file_status[2].worktree.as_str()), ("untracked.txt", "Untracked"));
        let unpublished = parse_status("# branch.head feature\0");
        assert_eq!((unpublished.branch_published, unpublished.ahead), (Some(false), Some(0)));
    }

    #[test]
    fn classifies_git_errors() {
        let code = |s: &str| match git_error(s) {
            Error::Coded { code, .. } => code,
            _ => "",
        };
        assert_eq!(code("fatal: Authentication failed for 'http://x/r.git/'"), "GIT_AUTH_FAILED");
        assert_eq!(code("fatal: Remote branch nope not found in upstream origin"), "GIT_BRANCH_NOT_FOUND");
        assert_eq!(code("fatal: a branch named 'x' already exists"), "GIT_BRANCH_EXISTS");
        assert_eq!(code(" ! [rejected]        main -> main (fetch first)"), "GIT_PUSH_REJECTED");
        assert_eq!(code("remote: Repository not found."), "GIT_REPO_NOT_FOUND");
        assert_eq!(code("fatal: invalid reference: nope"), "GIT_BRANCH_NOT_FOUND");
    }
}
