//! The platform REST API (`{apiUrl}/…`).

pub mod events;
pub mod object_storage;
pub mod sandbox;
pub mod snapshot;
pub mod volume;
