//! The platform REST API (`{apiUrl}/…`).

pub mod config;
pub mod events;
pub mod object_storage;
pub mod sandbox;
pub mod secret;
pub mod snapshot;
pub mod telemetry;
pub mod volume;
pub mod warm_pool;
