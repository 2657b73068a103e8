//! Command-line configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Parser)]
#[command(name = "daytona-local", version, about = "Runs Daytona sandboxes on this machine, speaking Daytona's API")]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:3986")]
    pub listen: SocketAddr,
    /// Address the SSH endpoint listens on (`ssh -p PORT <token>@host`); port
    /// 0 picks a free port, which `createSshAccess`'s `sshCommand` names.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub ssh_listen: SocketAddr,
    /// Where sandboxes and the state database live.
    #[arg(long, env = "DAYTONA_LOCAL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// API key clients must send; by default one is generated and kept in the data dir.
    #[arg(long, env = "DAYTONA_LOCAL_API_KEY")]
    pub api_key: Option<String>,
    /// Base URL clients reach this server at, if not the listen address (e.g. behind a proxy).
    #[arg(long)]
    pub public_url: Option<String>,
    /// Organization id reported in sandbox DTOs.
    #[arg(long, default_value = "local")]
    pub organization_id: String,
    /// Largest cpu count a sandbox may ask for.
    #[arg(long, default_value_t = 4)]
    pub max_cpu: u32,
    /// Largest memory (GiB) a sandbox may ask for.
    #[arg(long, default_value_t = 8)]
    pub max_memory: u32,
    /// Largest disk (GiB) a sandbox may ask for.
    #[arg(long, default_value_t = 10)]
    pub max_disk: u32,
    /// Most processes (and threads) one sandbox may have at once.
    #[arg(long, default_value_t = 1024)]
    pub max_pids: u64,
    /// Run sandboxes as plain host processes, not isolated from the host or each other
    /// (for hosts without namespaces or cgroups).
    #[arg(long, env = "DAYTONA_LOCAL_NO_ISOLATION")]
    pub no_isolation: bool,
    /// Let sandboxes reach this host's loopback (at 10.0.2.2 inside them) and this server's
    /// ports; by default each sandbox reaches only the network beyond the host.
    #[arg(long, env = "DAYTONA_LOCAL_SANDBOX_HOST_ACCESS")]
    pub sandbox_host_access: bool,
    /// Fault injection: a JSON file of rules (`{ "rules": [...] }`, see the README) that make
    /// matching requests fail on purpose; `PUT /api/local/faults` changes them at run time.
    #[arg(long, env = "DAYTONA_LOCAL_FAULTS")]
    pub faults: Option<PathBuf>,
    /// How often auto-stop, auto-archive and auto-delete are enforced, in seconds.
    #[arg(long, default_value_t = 10)]
    pub reap_interval_secs: u64,
}

impl Config {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| {
            let base = std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
                .unwrap_or_else(|| PathBuf::from("."));
            base.join("daytona-local")
        })
    }
}
