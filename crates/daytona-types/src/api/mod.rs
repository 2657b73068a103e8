//! The platform REST API (`{apiUrl}/…`).

pub mod sandbox;
pub mod snapshot;
pub mod volume;
