//! daytona-local: a server that speaks Daytona's REST API and runs sandboxes on this machine.
//!
//! Layout: `runtime/` is the domain and knows no HTTP: sandboxes, snapshots, volumes, image
//! builds, the jail, the store, and what runs in a sandbox (commands, sessions, terminals,
//! the interpreter, git, files, language servers, the desktop). The protocols translate to
//! it and back: `api/` (the platform's REST routes and event socket), `toolbox/` (each
//! sandbox's daemon routes), `proxy` (previews), `s3/` (object storage) and `ssh/`; `http`
//! answers the domain's errors in Daytona's error shape, `auth` checks the API key,
//! `secrets` derives tokens from it, `faults` misbehaves on purpose when asked to.
//! `app()` builds the router so tests serve it in-process; `run()` is what the binary does.

pub mod api;
mod auth;
mod config;
pub mod egress;
pub mod faults;
mod http;
pub mod proxy;
pub mod runtime;
pub mod s3;
pub mod secrets;
pub mod ssh;
pub mod state;
pub mod toolbox;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, Method};
use axum::serve::ListenerExt;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

pub use config::Config;
use runtime::jail;
use runtime::sandboxes::{self, Limits, SandboxManager};
use runtime::Error;
use state::AppState;

/// The whole HTTP surface: preview host names (`{port}-{id}.localhost`) go to the preview
/// proxy; everything else to the API. Its layers, outermost first: CORS (answers browser preflights, which
/// carry no credentials, and decorates every answer), panic → 500 in our error shape, then
/// the API key check on everything but object storage and previews.
pub fn app(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([header::CONTENT_TYPE, header::RETRY_AFTER, HeaderName::from_static("x-daytona-api-version")])
        .max_age(Duration::from_secs(600));
    let api = Router::new()
        .nest("/api", api::router())
        .nest("/toolbox/{sandbox_id}", toolbox::router())
        .fallback(|uri: axum::http::Uri| async move { Error::NotFound(format!("Cannot find {}", uri.path())) })
        .layer(axum::middleware::from_fn(http::error_shape))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::require_api_key))
        // Outside the key check: a faulted request is answered as a proxy in front would.
        .layer(axum::middleware::from_fn_with_state(state.clone(), faults::inject))
        // Added after the API key check, so outside it: object storage checks its own (SigV4)
        // signatures, previews their own tokens (and public sandboxes need none).
        .route("/s3/{*path}", axum::routing::any(s3::handle))
        .route("/preview/{*path}", axum::routing::any(proxy::handle))
        // The event socket takes its key in its first packet.
        .route("/api/socket.io/", api::events::route())
        .route("/api/socket.io", api::events::route())
        .layer(CatchPanicLayer::custom(|_| axum::response::IntoResponse::into_response(Error::Internal(anyhow::anyhow!("handler panicked")))))
        .layer(cors)
        .with_state(state.clone());
    // A preview host name owns every path, so it is told apart before any route matches.
    Router::new().fallback(move |req: axum::extract::Request| {
        let (api, state) = (api.clone(), state.clone());
        async move {
            match proxy::preview_host(&req) {
                Some((key, port)) => proxy::handle_host(state, key, port, req).await,
                None => tower::ServiceExt::oneshot(api, req).await.unwrap_or_else(|never| match never {}),
            }
        }
    })
}

/// The API key: given, or else generated once and kept in the data dir.
fn api_key(cfg: &Config, data_dir: &std::path::Path) -> anyhow::Result<String> {
    if let Some(k) = cfg.api_key.clone().filter(|k| !k.is_empty()) {
        return Ok(k);
    }
    let path = data_dir.join("api-key");
    if let Ok(k) = std::fs::read_to_string(&path) {
        return Ok(k.trim().to_string());
    }
    let key = format!("dtn_{}", uuid::Uuid::new_v4().simple());
    std::fs::write(&path, &key)?;
    Ok(key)
}

pub async fn run(cfg: Config) -> anyhow::Result<()> {
    let data_dir = cfg.data_dir();
    std::fs::create_dir_all(&data_dir)?;
    // Absolute and without links: the jail hides it by this name.
    let data_dir = data_dir.canonicalize()?;
    let limits = Limits { max_cpu: cfg.max_cpu, max_memory: cfg.max_memory, max_disk: cfg.max_disk };
    let listener = tokio::net::TcpListener::bind(cfg.listen).await?;
    let addr = listener.local_addr()?;
    let ssh_listener = tokio::net::TcpListener::bind(cfg.ssh_listen).await?;
    let ssh_port = ssh_listener.local_addr()?.port();
    let egress = Arc::new(egress::Egress::new(&data_dir)?);
    let jail = if cfg.no_isolation {
        jail::Jail::off()
    } else {
        let trust = Some(egress.bundle().to_path_buf());
        jail::Jail::on(&data_dir, cfg.max_pids, sandboxes::DEFAULT_DISK, cfg.sandbox_host_access, vec![addr.port(), ssh_port], trust)
            .map_err(|what| anyhow::anyhow!(jail::refusal(&what)))?
    };
    let isolation = jail.describe();
    if jail.is_on() {
        tracing::info!("sandbox isolation: {isolation}");
    } else {
        tracing::warn!("sandbox isolation: {isolation}");
    }
    let api_key = api_key(&cfg, &data_dir)?;
    let sandboxes = SandboxManager::open(&data_dir, limits, cfg.organization_id.clone(), jail, &api_key, egress)?;
    let public_url = cfg.public_url.clone().unwrap_or_else(|| {
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        format!("http://{host}:{}", addr.port())
    });
    let mut state = AppState::new(sandboxes, &api_key, &public_url, ssh_port);
    if let Some(path) = &cfg.faults {
        state.faults = Arc::new(faults::rules::Faults::load(path)?);
        tracing::warn!("fault injection on: rules from {}", path.display());
    }
    let ssh_state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = ssh::serve(ssh_state, ssh_listener).await {
            tracing::error!(error = %e, "the SSH endpoint stopped");
        }
    });

    // Enforce auto-stop / auto-archive / auto-delete in the background.
    let reaper = state.clone();
    let every = Duration::from_secs(cfg.reap_interval_secs.max(1));
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match reaper.sandboxes.reap(runtime::time::now_ms()) {
                Ok(done) => done.iter().for_each(|(id, what)| tracing::info!(sandbox = %id, "auto-{what}")),
                Err(e) => tracing::warn!(error = %e, "lifecycle reaper failed"),
            }
        }
    });

    // Sample what started sandboxes use, for their metrics series.
    let sampler = state.sandboxes.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(runtime::metrics::SAMPLE_EVERY).await;
            let sandboxes = sampler.clone();
            let _ = tokio::task::spawn_blocking(move || sandboxes.sample_all()).await;
        }
    });

    // Printed on stdout for people and for scripts that start us on port 0.
    println!("DAYTONA_API_URL={}/api", state.public_url);
    println!("DAYTONA_API_KEY={}", state.api_key);
    tracing::info!(data_dir = %data_dir.display(), "daytona-local listening on {addr}, SSH on port {ssh_port}");
    // Without TCP_NODELAY a response written in two parts (head, then a small body) waits
    // for the client's delayed ACK: ~40 ms per small download (measured, bench/calls.mjs).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    tokio::spawn(runtime::exec::session::run_entrypoints(state.sandboxes.clone()));
    state.sandboxes.refill_warm_pools();
    let served = axum::serve(listener, app(state.clone())).with_graceful_shutdown(shutdown()).await;
    // Sandboxes end with the server: their processes, cgroups and mounts.
    state.sandboxes.shutdown();
    served?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
