//! The per-sandbox toolbox API (`{toolboxProxyUrl}/{sandboxId}/…`), served by the daemon.

pub mod computer_use;
pub mod files;
pub mod git;
pub mod lsp;
pub mod process;
