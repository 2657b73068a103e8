//! `{apiUrl}/snapshots…`.

use daytona_types::api::snapshot::CreateSnapshot;

use super::sandbox::with_timeout;
use super::{query, segment};
use crate::transport::{HttpRequest, Method};

pub fn list(api: &str, page: Option<u64>, limit: Option<u64>, source_sandbox_id: Option<&str>) -> HttpRequest {
    let q = query([("page", page.map(|p| p.to_string())), ("limit", limit.map(|l| l.to_string())), ("sourceSandboxId", source_sandbox_id.map(str::to_owned))]);
    HttpRequest::new(Method::Get, format!("{api}/snapshots{q}"))
}

pub fn get(api: &str, id_or_name: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/snapshots/{}", segment(id_or_name)))
}

/// `timeout_s` 0 means no deadline.
pub fn create(api: &str, body: &CreateSnapshot, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::json(Method::Post, format!("{api}/snapshots"), body), timeout_s)
}

pub fn delete(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, format!("{api}/snapshots/{}", segment(id)))
}

pub fn activate(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, format!("{api}/snapshots/{}/activate", segment(id)))
}

pub fn build_logs_url(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/snapshots/{}/build-logs-url", segment(id)))
}

/// The log itself, kept open while the build runs: `<url>?follow=true`.
pub fn follow_logs(url: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{url}?follow=true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_match_the_protocol() {
        assert_eq!(list("http://h/api", Some(2), Some(10), None).url, "http://h/api/snapshots?page=2&limit=10");
        assert_eq!(list("http://h/api", None, None, Some("sb 1")).url, "http://h/api/snapshots?sourceSandboxId=sb+1");
        assert_eq!(list("http://h/api", None, None, None).url, "http://h/api/snapshots");
        assert_eq!(get("http://h/api", "team/py:3").url, "http://h/api/snapshots/team%2Fpy%3A3");
        let c = create("http://h/api", &CreateSnapshot { name: "s".into(), image_name: Some("alpine".into()), ..Default::default() }, 0.0);
        assert_eq!((c.method, c.body.bytes()), (Method::Post, Some(&br#"{"name":"s","imageName":"alpine"}"#[..])));
        assert_eq!(activate("http://h/api", "i").url, "http://h/api/snapshots/i/activate");
        assert_eq!(delete("http://h/api", "i").method, Method::Delete);
        assert_eq!(build_logs_url("http://h/api", "i").url, "http://h/api/snapshots/i/build-logs-url");
        assert_eq!(follow_logs("http://x/logs").url, "http://x/logs?follow=true");
    }
}
