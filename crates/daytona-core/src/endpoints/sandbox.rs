//! `{apiUrl}/sandbox…`.

use std::collections::BTreeMap;

use daytona_types::api::sandbox::{CreateSandbox, CreateSandboxSnapshot, ForkSandbox, ResizeSandbox, SandboxLabels, UpdateSandboxNetworkSettings};

use super::{query, segment};
use crate::params::ListSandboxesQuery;
use crate::transport::{HttpRequest, Method};

fn url(api: &str, id: &str, rest: &str) -> String {
    format!("{api}/sandbox/{}{rest}", segment(id))
}

pub(crate) fn with_timeout(mut req: HttpRequest, timeout_s: f64) -> HttpRequest {
    req.timeout_ms = Some((timeout_s * 1000.0) as u64);
    req
}

pub fn create(api: &str, body: &CreateSandbox, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::json(Method::Post, format!("{api}/sandbox"), body), timeout_s)
}

/// Where the build log of a sandbox made from a Dockerfile is.
pub fn build_logs_url(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, url(api, id, "/build-logs-url"))
}

pub fn get(api: &str, id_or_name: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, url(api, id_or_name, ""))
}

/// The seed SDK's `list(labels, page, limit)`: `GET /sandbox/paginated`.
pub fn list_paginated(api: &str, labels: Option<&BTreeMap<String, String>>, page: Option<u64>, limit: Option<u64>) -> HttpRequest {
    let q = query([
        ("page", page.map(|p| p.to_string())),
        ("limit", limit.map(|l| l.to_string())),
        // Labels travel as one JSON-encoded parameter.
        ("labels", labels.map(|l| serde_json::to_string(l).unwrap_or_default())),
    ]);
    HttpRequest::new(Method::Get, format!("{api}/sandbox/paginated{q}"))
}

/// The current official SDK's `list(query)`: one page of `GET /sandbox` from `cursor`, with
/// the query's filters under the API's parameter names (arrays as repeated keys).
pub fn list(api: &str, q: &ListSandboxesQuery, cursor: Option<&str>) -> HttpRequest {
    let num = |v: Option<f64>| v.map(|n| n.to_string());
    let flag = |v: Option<bool>| v.map(|b| b.to_string());
    let pairs = [
        ("cursor", cursor.map(str::to_owned)),
        ("limit", q.limit.map(|l| l.to_string())),
        ("id", q.id.clone()),
        ("name", q.name.clone()),
        ("labels", q.labels.as_ref().map(|l| serde_json::to_string(l).unwrap_or_default())),
    ]
    .into_iter()
    .chain(repeated("states", &q.states))
    .chain(repeated("snapshots", &q.snapshots))
    .chain(repeated("regionIds", &q.targets))
    .chain([
        ("minCpu", num(q.min_cpu)),
        ("maxCpu", num(q.max_cpu)),
        ("minMemoryGiB", num(q.min_memory_gib)),
        ("maxMemoryGiB", num(q.max_memory_gib)),
        ("minDiskGiB", num(q.min_disk_gib)),
        ("maxDiskGiB", num(q.max_disk_gib)),
        ("isPublic", flag(q.is_public)),
        ("isRecoverable", flag(q.is_recoverable)),
        ("createdAtAfter", q.created_at_after.clone()),
        ("createdAtBefore", q.created_at_before.clone()),
        ("lastEventAfter", q.last_activity_after.clone()),
        ("lastEventBefore", q.last_activity_before.clone()),
        ("autoDestroyAtAfter", q.auto_destroy_at_after.clone()),
        ("autoDestroyAtBefore", q.auto_destroy_at_before.clone()),
        ("sort", q.sort.clone()),
        ("order", q.order.clone()),
    ]);
    HttpRequest::new(Method::Get, format!("{api}/sandbox{}", query(pairs)))
}

/// An array parameter as repeated keys (`states=a&states=b`), as the generated clients send it.
fn repeated<'a>(key: &'static str, values: &'a Option<Vec<String>>) -> impl Iterator<Item = (&'static str, Option<String>)> + 'a {
    values.iter().flatten().map(move |v| (key, Some(v.clone())))
}

pub fn toolbox_proxy_url(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, url(api, id, "/toolbox-proxy-url"))
}

pub fn preview_url(api: &str, id: &str, port: u16) -> HttpRequest {
    HttpRequest::new(Method::Get, url(api, id, &format!("/ports/{port}/preview-url")))
}

/// `expiresInSeconds` is left out when not given (the server's default is 60).
pub fn signed_preview_url(api: &str, id: &str, port: u16, expires_in_s: Option<u64>) -> HttpRequest {
    let q = query([("expiresInSeconds", expires_in_s.map(|s| s.to_string()))]);
    HttpRequest::new(Method::Get, url(api, id, &format!("/ports/{port}/signed-preview-url{q}")))
}

pub fn expire_signed_preview_url(api: &str, id: &str, port: u16, token: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, url(api, id, &format!("/ports/{port}/signed-preview-url/{}/expire", segment(token))))
}

/// `expiresInMinutes` is left out when not given (the server's default is 60); it is
/// written as JavaScript writes a number (`5`, `0.5`).
pub fn create_ssh_access(api: &str, id: &str, expires_in_min: Option<f64>) -> HttpRequest {
    let q = query([("expiresInMinutes", expires_in_min.map(|m| m.to_string()))]);
    HttpRequest::new(Method::Post, url(api, id, &format!("/ssh-access{q}")))
}

pub fn revoke_ssh_access(api: &str, id: &str, token: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, url(api, id, &format!("/ssh-access{}", query([("token", Some(token.to_string()))]))))
}

/// Not under a sandbox: the token alone names one.
pub fn validate_ssh_access(api: &str, token: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/sandbox/ssh-access/validate{}", query([("token", Some(token.to_string()))])))
}

pub fn start(api: &str, id: &str, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::new(Method::Post, url(api, id, "/start")), timeout_s)
}

pub fn stop(api: &str, id: &str, force: bool, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::new(Method::Post, url(api, id, &format!("/stop?force={force}"))), timeout_s)
}

pub fn recover(api: &str, id: &str, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::new(Method::Post, url(api, id, "/recover")), timeout_s)
}

pub fn pause(api: &str, id: &str, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::new(Method::Post, url(api, id, "/pause")), timeout_s)
}

pub fn fork(api: &str, id: &str, body: &ForkSandbox, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::json(Method::Post, url(api, id, "/fork"), body), timeout_s)
}

pub fn create_snapshot(api: &str, id: &str, body: &CreateSandboxSnapshot, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::json(Method::Post, url(api, id, "/snapshot"), body), timeout_s)
}

pub fn archive(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, url(api, id, "/archive"))
}

pub fn delete(api: &str, id: &str, timeout_s: f64) -> HttpRequest {
    with_timeout(HttpRequest::new(Method::Delete, url(api, id, "")), timeout_s)
}

/// Resize carries the sandbox's organization header even in API-key mode.
pub fn network_settings(api: &str, id: &str, body: &UpdateSandboxNetworkSettings) -> HttpRequest {
    HttpRequest::json(Method::Post, url(api, id, "/network-settings"), body)
}

pub fn secrets(api: &str, id: &str, body: &daytona_types::api::secret::UpdateSandboxSecrets) -> HttpRequest {
    HttpRequest::json(Method::Put, url(api, id, "/secrets"), body)
}

pub fn resize(api: &str, id: &str, organization_id: &str, body: &ResizeSandbox, timeout_s: f64) -> HttpRequest {
    let mut req = HttpRequest::json(Method::Post, url(api, id, "/resize"), body);
    if !organization_id.is_empty() {
        req.headers.push(("X-Daytona-Organization-ID".into(), organization_id.into()));
    }
    with_timeout(req, timeout_s)
}

pub fn set_labels(api: &str, id: &str, labels: &BTreeMap<String, String>) -> HttpRequest {
    HttpRequest::json(Method::Put, url(api, id, "/labels"), &SandboxLabels { labels: labels.clone() })
}

/// Which interval a setter changes; each has its own path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    AutoStop,
    AutoArchive,
    AutoDelete,
    AutoPause,
    Ttl,
}

pub fn set_interval(api: &str, id: &str, which: Interval, minutes: i64) -> HttpRequest {
    let path = match which {
        Interval::AutoStop => "autostop",
        Interval::AutoArchive => "autoarchive",
        Interval::AutoDelete => "autodelete",
        Interval::AutoPause => "autopause",
        Interval::Ttl => "ttl",
    };
    HttpRequest::new(Method::Post, url(api, id, &format!("/{path}/{minutes}")))
}

/// The official SDK sends `{}` here.
pub fn refresh_activity(api: &str, id: &str) -> HttpRequest {
    HttpRequest::json(Method::Post, url(api, id, "/last-activity"), &serde_json::json!({}))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ssh_access_minutes_are_written_as_javascript_writes_numbers() {
        assert_eq!(super::create_ssh_access("http://h/api", "sb", Some(5.0)).url, "http://h/api/sandbox/sb/ssh-access?expiresInMinutes=5");
        assert_eq!(super::create_ssh_access("http://h/api", "sb", Some(0.05)).url, "http://h/api/sandbox/sb/ssh-access?expiresInMinutes=0.05");
        assert_eq!(super::create_ssh_access("http://h/api", "sb", None).url, "http://h/api/sandbox/sb/ssh-access");
    }

    use super::*;

    const API: &str = "http://h/api";

    #[test]
    fn paths_and_methods() {
        let cases = [
            (get(API, "a b"), Method::Get, "http://h/api/sandbox/a%20b"),
            (start(API, "s1", 60.0), Method::Post, "http://h/api/sandbox/s1/start"),
            (stop(API, "s1", false, 60.0), Method::Post, "http://h/api/sandbox/s1/stop?force=false"),
            (recover(API, "s1", 60.0), Method::Post, "http://h/api/sandbox/s1/recover"),
            (archive(API, "s1"), Method::Post, "http://h/api/sandbox/s1/archive"),
            (delete(API, "s1", 60.0), Method::Delete, "http://h/api/sandbox/s1"),
            (set_interval(API, "s1", Interval::AutoStop, 15), Method::Post, "http://h/api/sandbox/s1/autostop/15"),
            (set_interval(API, "s1", Interval::AutoArchive, 0), Method::Post, "http://h/api/sandbox/s1/autoarchive/0"),
            (set_interval(API, "s1", Interval::AutoDelete, -1), Method::Post, "http://h/api/sandbox/s1/autodelete/-1"),
            (toolbox_proxy_url(API, "s1"), Method::Get, "http://h/api/sandbox/s1/toolbox-proxy-url"),
        ];
        for (req, method, url) in cases {
            assert_eq!((req.method, req.url.as_str()), (method, url));
        }
    }

    #[test]
    fn lifecycle_timeouts_become_request_deadlines() {
        assert_eq!(start(API, "s", 2.5).timeout_ms, Some(2500));
        assert_eq!(start(API, "s", 0.0).timeout_ms, Some(0));
        assert_eq!(get(API, "s").timeout_ms, None);
    }

    #[test]
    fn cursor_list_sends_the_api_parameter_names() {
        let q = ListSandboxesQuery {
            labels: Some(BTreeMap::from([("x".into(), "y".into())])),
            states: Some(vec!["started".into(), "stopped".into()]),
            targets: Some(vec!["eu".into()]),
            min_memory_gib: Some(1.5),
            last_activity_after: Some("2026-01-01T00:00:00.000Z".into()),
            sort: Some("name".into()),
            ..Default::default()
        };
        assert_eq!(
            list(API, &q, Some("200")).url,
            "http://h/api/sandbox?cursor=200&labels=%7B%22x%22%3A%22y%22%7D&states=started&states=stopped&regionIds=eu\
             &minMemoryGiB=1.5&lastEventAfter=2026-01-01T00%3A00%3A00.000Z&sort=name"
        );
        assert_eq!(list(API, &ListSandboxesQuery::default(), None).url, "http://h/api/sandbox");
    }

    #[test]
    fn paginated_list_sends_labels_as_json() {
        let labels: BTreeMap<String, String> = [("x".into(), "y".into())].into();
        let req = list_paginated(API, Some(&labels), Some(2), Some(10));
        assert_eq!(req.url, "http://h/api/sandbox/paginated?page=2&limit=10&labels=%7B%22x%22%3A%22y%22%7D");
        assert_eq!(list_paginated(API, None, None, None).url, "http://h/api/sandbox/paginated");
    }

    #[test]
    fn resize_and_labels_bodies() {
        let req = resize(API, "s", "org-1", &ResizeSandbox { cpu: Some(2.0), memory: None, disk: None }, 60.0);
        assert_eq!(req.body.bytes(), Some(&br#"{"cpu":2}"#[..]));
        assert_eq!(req.header("X-Daytona-Organization-ID"), Some("org-1"));
        let req = set_labels(API, "s", &[("k".into(), "v".into())].into());
        assert_eq!((req.method, req.body.bytes()), (Method::Put, Some(&br#"{"labels":{"k":"v"}}"#[..])));
        assert_eq!(refresh_activity(API, "s").body.bytes(), Some(&b"{}"[..]));
    }
}
