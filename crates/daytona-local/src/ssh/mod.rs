//! The SSH endpoint: `ssh -p PORT <token>@host` opens a shell in the sandbox
//! an SSH access token names. The token is the user name and the whole credential (the
//! `none` method, as Daytona's gateway), so any OpenSSH client works without keys.
//!
//! Each session channel runs one program in the sandbox's jail: with a terminal (`pty-req`)
//! the shell or command gets a real PTY; without one it gets pipes, so `ssh … cmd > file`
//! copies bytes exactly and stderr stays apart. A revoked token ends its sessions. Local
//! port forwards (`ssh -L`) reach ports on the sandbox's own loopback.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::PrivateKey;
use russh::server::{Auth, ChannelOpenHandle, Handle, Msg, Server, Session};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, MethodSet};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, watch};

use crate::runtime::command::{sandbox_command, shell};
use crate::runtime::exec::one_shot::OUTPUT_GRACE;
use crate::runtime::exec::pty::{self, Pty, Terminal};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::time::now_ms;
use crate::state::AppState;

/// Serves SSH on `listener` until the process ends.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let config = russh::server::Config {
        methods: MethodSet::from(&[MethodKind::None][..]),
        keys: vec![host_key(&state.api_key)],
        // A shell may sit idle for hours; dead clients are found by keepalives instead.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        auth_rejection_time: Duration::from_millis(500),
        nodelay: true,
        ..Default::default()
    };
    Gateway(state).run_on_socket(Arc::new(config), &listener).await
}

/// The host key: derived from the API key, like the preview tokens, so it stays the same
/// across restarts (clients' `known_hosts` stay valid) with nothing to store.
fn host_key(api_key: &str) -> PrivateKey {
    let seed: [u8; 32] = crate::secrets::derive(api_key, "ssh-host-key").try_into().expect("HMAC-SHA256 is 32 bytes");
    PrivateKey::new(KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed)), "daytona-local").expect("an Ed25519 key pair is a valid key")
}

struct Gateway(AppState);

impl Server for Gateway {
    type Handler = Connection;

    fn new_client(&mut self, _: Option<std::net::SocketAddr>) -> Connection {
        Connection { state: self.0.clone(), sandbox: None, revoked: None, channels: HashMap::new() }
    }
}

/// One client connection: the sandbox its token opened, and its session channels.
struct Connection {
    state: AppState,
    sandbox: Option<String>,
    revoked: Option<watch::Receiver<bool>>,
    channels: HashMap<ChannelId, Chan>,
}

#[derive(Default)]
struct Chan {
    /// Terminal size from `pty-req`; None: pipes.
    pty: Option<(u16, u16)>,
    envs: BTreeMap<String, String>,
    /// Client input, written by a task of its own so a program that does not read its
    /// input never blocks the connection; dropping it is EOF.
    input: Option<mpsc::UnboundedSender<Vec<u8>>>,
    terminal: Option<Arc<Pty>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Chan {
    /// The client left or closed the channel: its program ends with it.
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

impl Connection {
    fn start(&mut self, channel: ChannelId, command: Option<String>, session: &mut Session) -> Result<(), russh::Error> {
        let Some(sandbox) = self.sandbox.clone() else { return session.channel_failure(channel) };
        let Some(chan) = self.channels.get_mut(&channel) else { return session.channel_failure(channel) };
        if chan.task.is_some() {
            return session.channel_failure(channel);
        }
        let started = match SandboxCtx::open(&self.state.sandboxes, &sandbox) {
            Ok(sb) => match chan.pty {
                Some((cols, rows)) => start_terminal(&self.state, &sb, chan, command.as_deref(), (cols, rows), session.handle(), channel),
                None => start_piped(&self.state, &sb, chan, command, session.handle(), channel),
            },
            Err(e) => Err(public(e)),
        };
        match started {
            Ok(()) => session.channel_success(channel),
            Err(why) => {
                tracing::warn!(sandbox = %sandbox, "ssh: {why}");
                session.extended_data(channel, 1, format!("daytona-local: {why}\r\n"))?;
                session.channel_failure(channel)
            }
        }
    }
}

/// What the client is told of an error: internal ones are logged, not echoed.
fn public(e: crate::runtime::Error) -> String {
    match e {
        crate::runtime::Error::Internal(e) => {
            tracing::error!(error = %e, "ssh: internal error");
            "internal error (see the server's log)".into()
        }
        other => other.to_string(),
    }
}

fn start_terminal(
    state: &AppState,
    sb: &SandboxCtx,
    chan: &mut Chan,
    command: Option<&str>,
    (cols, rows): (u16, u16),
    handle: Handle,
    channel: ChannelId,
) -> Result<(), String> {
    let id = format!("ssh-{}", uuid::Uuid::new_v4().simple());
    let envs = std::mem::take(&mut chan.envs);
    let term = pty::spawn_pty(&state.sandboxes, sb, Terminal { id: &id, cwd: None, cols, rows, envs, command }).map_err(public)?;
    let (input, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = term.clone();
    tokio::spawn(async move {
        while let Some(bytes) = rx.recv().await {
            pty::write_input(&writer, bytes).await;
        }
    });
    let (state, out) = (state.clone(), term.clone());
    chan.task = Some(tokio::spawn(async move {
        let mut killer = KillOnDrop { pty: out.clone(), state, armed: true };
        let (_, _, mut chunks) = out.attach(None);
        let code = tokio::select! {
            code = out.exited() => code,
            _ = async { while let Some(c) = chunks.recv().await { if handle.data(channel, c).await.is_err() { break } } } => out.exited().await,
        };
        // What came out before the exit was queued before it: deliver it.
        while let Ok(c) = chunks.try_recv() {
            let _ = handle.data(channel, c).await;
        }
        killer.armed = false;
        finish(&handle, channel, code).await;
    }));
    chan.input = Some(input);
    chan.terminal = Some(term);
    Ok(())
}

/// Kills a terminal's programs when its task is aborted before they ended.
struct KillOnDrop {
    pty: Arc<Pty>,
    state: AppState,
    armed: bool,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.pty.kill(&self.state.sandboxes);
        }
    }
}

/// Without a terminal: `command` through the shell, or the shell reading its commands from
/// the client (`echo ls | ssh …`).
fn start_piped(state: &AppState, sb: &SandboxCtx, chan: &mut Chan, command: Option<String>, handle: Handle, channel: ChannelId) -> Result<(), String> {
    let mut cmd = sandbox_command(&state.sandboxes, sb, shell(), None, &chan.envs).map_err(public)?;
    if let Some(c) = &command {
        cmd.arg("-c").arg(c);
    }
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let (mut child, group) = state.sandboxes.spawn(&sb.dto.id, move || cmd.spawn()).map_err(public)?;
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let (input, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    if let Some(mut stdin) = stdin {
        tokio::spawn(async move {
            while let Some(bytes) = rx.recv().await {
                if stdin.write_all(&bytes).await.is_err() {
                    break;
                }
            }
        });
    }
    chan.task = Some(tokio::spawn(async move {
        let out = tokio::spawn(relay(stdout, handle.clone(), channel, None));
        let err = tokio::spawn(relay(stderr, handle.clone(), channel, Some(1)));
        let code = child.wait().await.ok().and_then(|s| s.code()).unwrap_or(255);
        // A background job may hold the pipes open: its output is not waited for long.
        let _ = tokio::time::timeout(OUTPUT_GRACE, async { (out.await, err.await) }).await;
        group.release();
        finish(&handle, channel, code).await;
    }));
    chan.input = Some(input);
    Ok(())
}

/// A terminal size from the client; 0 (a client without a terminal of its own, `ssh -tt`
/// from a script) means 80×24.
fn size(cols: u32, rows: u32) -> (u16, u16) {
    let dim = |v: u32, default: u16| if v == 0 { default } else { v.min(1000) as u16 };
    (dim(cols, 80), dim(rows, 24))
}

async fn relay(from: Option<impl AsyncRead + Unpin>, handle: Handle, channel: ChannelId, ext: Option<u32>) {
    let Some(mut from) = from else { return };
    let mut buf = vec![0u8; 32 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buf).await {
        let bytes = buf[..n].to_vec();
        let sent = match ext {
            Some(e) => handle.extended_data(channel, e, bytes).await,
            None => handle.data(channel, bytes).await,
        };
        if sent.is_err() {
            return;
        }
    }
}

async fn finish(handle: &Handle, channel: ChannelId, code: i32) {
    let _ = handle.exit_status_request(channel, code.clamp(0, 255) as u32).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        let Some((sandbox, revoked)) = self.state.ssh_accesses.validate(user, now_ms()) else { return Ok(Auth::reject()) };
        self.sandbox = Some(sandbox);
        self.revoked = Some(revoked);
        Ok(Auth::Accept)
    }

    /// Revocation ends the connection (the session's handle is first known here).
    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        if let Some(mut revoked) = self.revoked.take() {
            let handle = session.handle();
            tokio::spawn(async move {
                if revoked.wait_for(|r| *r).await.is_ok() {
                    let _ = handle.disconnect(russh::Disconnect::ByApplication, "SSH access revoked".into(), String::new()).await;
                }
            });
        }
        Ok(())
    }

    /// `ssh -L LOCAL:localhost:PORT`: a connection to PORT on the sandbox's own loopback (in
    /// its network namespace). Other hosts are refused: the sandbox's own network is
    /// reached from inside it, not through the SSH endpoint.
    async fn channel_open_direct_tcpip(
        &mut self,
        channel: Channel<Msg>,
        host: &str,
        port: u32,
        _: &str,
        _: u32,
        reply: ChannelOpenHandle,
        _: &mut Session,
    ) -> Result<(), Self::Error> {
        let local = matches!(host, "localhost" | "127.0.0.1" | "::1");
        let (Some(sandbox), Ok(port), true) = (self.sandbox.clone(), u16::try_from(port), local) else {
            reply.reject(ChannelOpenFailure::AdministrativelyProhibited).await;
            return Ok(());
        };
        let connected = match SandboxCtx::open(&self.state.sandboxes, &sandbox) {
            Ok(_) => self.state.sandboxes.connect(&sandbox, port).await,
            Err(e) => Err(std::io::Error::other(public(e))),
        };
        match connected {
            Ok(mut tcp) => {
                reply.accept().await;
                tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut channel.into_stream(), &mut tcp).await;
                });
            }
            Err(e) => {
                tracing::info!(sandbox = %sandbox, port, error = %e, "ssh: port forward refused");
                reply.reject(ChannelOpenFailure::ConnectFailed).await;
            }
        }
        Ok(())
    }

    async fn channel_open_session(&mut self, channel: Channel<Msg>, reply: ChannelOpenHandle, _: &mut Session) -> Result<(), Self::Error> {
        // Requests and data reach the callbacks below; the channel object is not needed.
        self.channels.insert(channel.id(), Chan::default());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _: u32,
        _: u32,
        _: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(chan) = self.channels.get_mut(&channel) else { return session.channel_failure(channel) };
        chan.pty = Some(size(cols, rows));
        if !term.is_empty() {
            chan.envs.insert("TERM".into(), term.into());
        }
        session.channel_success(channel)
    }

    async fn env_request(&mut self, channel: ChannelId, name: &str, value: &str, session: &mut Session) -> Result<(), Self::Error> {
        // Only names a shell accepts; the rest are refused, as sshd's AcceptEnv would.
        let valid = crate::runtime::validate::env_names([&name.to_string()]).is_ok();
        match self.channels.get_mut(&channel) {
            Some(chan) if valid => {
                chan.envs.insert(name.into(), value.into());
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        self.start(channel, None, session)
    }

    async fn exec_request(&mut self, channel: ChannelId, data: &[u8], session: &mut Session) -> Result<(), Self::Error> {
        self.start(channel, Some(String::from_utf8_lossy(data).into_owned()), session)
    }

    async fn data(&mut self, channel: ChannelId, data: &[u8], _: &mut Session) -> Result<(), Self::Error> {
        if let Some(input) = self.channels.get(&channel).and_then(|c| c.input.as_ref()) {
            let _ = input.send(data.to_vec());
        }
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, _: &mut Session) -> Result<(), Self::Error> {
        // A terminal's input has no end (the shell sees ^D instead); pipes close.
        if let Some(chan) = self.channels.get_mut(&channel).filter(|c| c.terminal.is_none()) {
            chan.input = None;
        }
        Ok(())
    }

    async fn channel_close(&mut self, channel: ChannelId, _: &mut Session) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }

    async fn window_change_request(&mut self, channel: ChannelId, cols: u32, rows: u32, _: u32, _: u32, _: &mut Session) -> Result<(), Self::Error> {
        if let Some(t) = self.channels.get(&channel).and_then(|c| c.terminal.as_ref()) {
            let (cols, rows) = size(cols, rows);
            t.resize(cols, rows);
        }
        Ok(())
    }
}
