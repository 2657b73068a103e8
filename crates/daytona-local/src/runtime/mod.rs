//! The domain: sandboxes, snapshots and volumes, the images they are built from, the jail
//! their processes run in, the store that keeps them, and what runs in a sandbox (`exec/`:
//! commands, code, sessions, terminals, the interpreter; git, files, language servers, the
//! desktop). Nothing here knows HTTP; `api/`, `toolbox/`, `s3/` and `ssh/` translate their
//! protocols to these calls and back.

pub mod command;
pub mod copy_tree;
pub mod desktop;
pub mod error;
pub mod events;
pub mod exec;
pub mod files;
pub mod forks;
pub mod git;
pub mod image_builder;
pub mod jail;
pub mod language_server;
pub mod language_servers;
pub mod links;
pub mod metrics;
pub mod orphans;
pub mod pending_file;
pub mod processes;
pub mod registry;
pub mod sandbox_ctx;
pub mod sandbox_fs;
pub mod sandbox_secrets;
pub mod sandboxes;
pub mod signed_urls;
pub mod snapshots;
pub mod ssh_access;
pub mod store;
pub mod time;
pub mod validate;
pub mod vault;
pub mod volumes;
pub mod warm_pools;
pub use error::Error;

/// Runs blocking work (a build) on a thread of its own, in the server's runtime context
/// when there is one: the sandboxes it starts spawn tokio processes later.
pub fn in_background(f: impl FnOnce() + Send + 'static) {
    let runtime = tokio::runtime::Handle::try_current().ok();
    std::thread::spawn(move || {
        let _context = runtime.as_ref().map(|r| r.enter());
        f()
    });
}
