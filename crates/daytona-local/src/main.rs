use clap::Parser;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("DAYTONA_LOCAL_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cfg = daytona_local::Config::parse();
    // Before any thread exists: a process can change its mount namespace only while it is
    // single-threaded.
    if !cfg.no_isolation {
        daytona_local::runtime::jail::private_mounts()
            .map_err(|e| anyhow::anyhow!(daytona_local::runtime::jail::refusal(&format!("cannot make a private mount namespace ({e})"))))?;
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(daytona_local::run(cfg))
}
