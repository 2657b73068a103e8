//! `{apiUrl}/object-storage…`.

use crate::transport::{HttpRequest, Method};

/// Credentials and place for uploading build contexts.
pub fn push_access(api: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/object-storage/push-access"))
}
