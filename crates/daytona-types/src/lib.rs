//! Daytona wire types: the JSON bodies exchanged between an SDK and a Daytona server.
//!
//! Shared by `daytona-core` (the SDK side) and `daytona-local` (the server side), so the two
//! cannot disagree about a field name (or a signature: SigV4 is here too). No I/O, no
//! wasm-bindgen. Shapes follow Daytona's public API, as the official SDK's API clients send
//! and read them.

pub mod api;
pub mod error;
pub mod file_urls;
pub mod framing;
pub mod num;
pub mod sigv4;
pub mod toolbox;
