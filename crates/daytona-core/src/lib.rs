//! Daytona client logic in plain Rust.
//!
//! This crate never performs I/O. HTTP and time are injected through the [`HttpTransport`]
//! and [`Clock`] traits held by a [`ClientContext`]; `endpoints` builds requests and parses
//! responses as pure functions. The wasm facade plugs in `fetch` and `setTimeout`; native
//! tests plug in fakes or a real HTTP client. It builds for native targets and wasm32.

pub mod args;
pub mod build_logs;
pub mod call;
pub mod code_interpreter;
pub mod collection;
pub mod computer_use;
pub mod config;
pub mod context;
pub mod daytona;
pub mod endpoints;
pub mod error;
pub mod file_system;
pub mod file_urls;
pub mod git;
pub mod image;
pub mod json_object;
pub mod lsp;
pub mod metrics;
pub mod object_storage;
pub mod params;
pub mod process;
pub mod pty;
pub mod retry;
pub mod sandbox;
pub mod sandbox_dto;
mod small_sort;
pub mod snapshot;
pub mod testing;
pub mod transport;
pub mod volume;
mod wait;

pub use call::{Call, Json};
pub use config::{DaytonaConfig, ResolvedConfig};
pub use context::ClientContext;
pub use daytona::{DaytonaClient, SandboxPage};
pub use error::{Error, Result};
pub use sandbox::SandboxClient;
pub use sandbox_dto::SandboxDto;
pub use transport::{Clock, HttpRequest, HttpResponse, HttpTransport, Method, TransportError};

/// The official SDK version whose wire protocol this crate speaks. Sent as
/// `X-Daytona-SDK-Version`: daemons pick response formats from it.
pub const PROTOCOL_SDK_VERSION: &str = "0.218.0";
/// Sent as `X-Daytona-Source` so servers can tell this SDK from the official one.
pub const SDK_SOURCE: &str = "sdk-typescript-wasm";
