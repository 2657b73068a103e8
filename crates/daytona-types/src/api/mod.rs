//! The platform REST API (`{apiUrl}/…`).

pub mod sandbox;
