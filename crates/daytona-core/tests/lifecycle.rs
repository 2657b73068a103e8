//! DaytonaClient and SandboxClient against a scripted transport and a fake clock.

use std::cell::Cell;
use std::rc::Rc;

use daytona_core::params::{CreateSandboxParams, SandboxFilter};
use daytona_core::testing::{json, FakeClock, FnTransport};
use daytona_core::{Clock, DaytonaClient, DaytonaConfig, Error, Method};
use futures_executor::block_on;
use serde_json::json as j;

fn dto(state: &str) -> serde_json::Value {
    j!({"id": "sb-1", "name": "n", "organizationId": "org", "state": state, "toolboxProxyUrl": "http://h/toolbox", "env": {}, "labels": {}})
}

fn client(t: Rc<FnTransport>, clock: Rc<FakeClock>) -> DaytonaClient {
    let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
    DaytonaClient::new(Some(cfg), &|_| None, t, std::rc::Rc::new(daytona_core::testing::NoWs), clock).unwrap()
}

#[test]
fn create_waits_until_started_polling_the_sandbox() {
    let polls = Rc::new(Cell::new(0));
    let p = polls.clone();
    let t = FnTransport::new(move |req| match (req.method, req.url.as_str()) {
        (Method::Post, "http://h/api/sandbox") => json(200, dto("creating")),
        (Method::Get, "http://h/api/sandbox/sb-1") => {
            p.set(p.get() + 1);
            json(200, dto(if p.get() < 3 { "starting" } else { "started" }))
        }
        _ => json(500, j!({"message": "unexpected"})),
    });
    let clock = FakeClock::new();
    let sb = block_on(client(t.clone(), clock.clone()).create(CreateSandboxParams::default(), None)).unwrap();
    assert_eq!(sb.dto().state().unwrap().as_str(), "started");
    assert_eq!(polls.get(), 3);
    assert_eq!(clock.now_ms(), 200.0, "two 100 ms sleeps between three polls");
    let sent = t.sent.borrow();
    assert_eq!(sent[0].header("Authorization"), Some("Bearer k"));
    assert_eq!(sent[0].timeout_ms, Some(60_000));
}

#[test]
fn create_times_out_with_the_official_message_and_bounded_time() {
    let t = FnTransport::new(|req| match req.method {
        Method::Post => json(200, dto("creating")),
        _ => json(200, dto("starting")),
    });
    let clock = FakeClock::new();
    let err = block_on(client(t, clock.clone()).create(CreateSandboxParams::default(), Some(2.0))).err().unwrap();
    assert_eq!(err, Error::Timeout("Failed to create and start sandbox within 2 seconds. Operation timed out.".into()));
    assert!((2000.0..2200.0).contains(&clock.now_ms()), "gave up at {}", clock.now_ms());
}

#[test]
fn error_state_fails_the_wait_with_the_reason() {
    let t = FnTransport::new(|req| match req.method {
        Method::Post => json(200, dto("starting")),
        _ => json(200, j!({"id": "sb-1", "state": "error", "errorReason": "disk full", "toolboxProxyUrl": "http://h/toolbox"})),
    });
    let err = block_on(client(t, FakeClock::new()).create(CreateSandboxParams::default(), None)).err().unwrap();
    assert_eq!(err, Error::Other("Sandbox sb-1 failed to start with status: error, error reason: disk full".into()));
}

#[test]
fn stop_and_delete_waits_treat_404_as_destroyed() {
    let t = FnTransport::new(|req| match (req.method, req.url.as_str()) {
        (Method::Get, "http://h/api/sandbox/sb-1") => json(404, j!({"message": "gone"})),
        (Method::Delete, _) => json(200, dto("destroying")),
        _ => json(200, dto("started")),
    });
    let c = client(t.clone(), FakeClock::new());
    let sb = block_on(c.get("sb-1")).err().unwrap();
    assert_eq!(sb.status(), Some(404));
    let sb = daytona_core::SandboxClient::new(c.context().clone(), serde_json::from_value(dto("started")).unwrap());
    block_on(sb.stop(None, false)).unwrap();
    block_on(sb.delete(None, true)).unwrap();
    assert_eq!(t.sent.borrow().iter().filter(|r| r.url.ends_with("/stop?force=false")).count(), 1);
}

#[test]
fn missing_toolbox_url_is_fetched() {
    let t = FnTransport::new(|req| match req.url.as_str() {
        "http://h/api/sandbox/sb-1/toolbox-proxy-url" => json(200, j!({"url": "http://tb/toolbox"})),
        _ => json(200, j!({"id": "sb-1", "state": "started"})),
    });
    let sb = block_on(client(t, FakeClock::new()).get("sb-1")).unwrap();
    assert_eq!(sb.dto().toolbox_proxy_url(), "http://tb/toolbox");
}

#[test]
fn find_one_by_labels_reports_not_found() {
    let t = FnTransport::new(|_| json(200, j!({"items": [], "total": 0, "page": 1, "totalPages": 0})));
    let filter = SandboxFilter { labels: Some([("a".into(), "b".into())].into()), ..Default::default() };
    let err = block_on(client(t.clone(), FakeClock::new()).find_one(filter)).err().unwrap();
    assert_eq!(err, Error::NotFound(r#"No sandbox found with labels {"a":"b"}"#.into()));
    assert!(t.sent.borrow()[0].url.ends_with("/sandbox/paginated?page=1&limit=1&labels=%7B%22a%22%3A%22b%22%7D"));
}

#[test]
fn negative_timeouts_are_rejected_before_any_request() {
    let t = FnTransport::new(|_| json(200, dto("started")));
    let err = block_on(client(t.clone(), FakeClock::new()).create(CreateSandboxParams::default(), Some(-1.0))).err().unwrap();
    assert!(matches!(err, Error::InvalidArgument(_)));
    assert!(t.sent.borrow().is_empty());
}

fn item(id: &str) -> serde_json::Value {
    j!({"id": id, "name": id, "organizationId": "org", "state": "started", "toolboxProxyUrl": "http://h/toolbox", "labels": {}})
}

#[test]
fn list_follows_cursors_until_none() {
    let t = FnTransport::new(|req| match req.url.as_str() {
        "http://h/api/sandbox?limit=2" => json(200, j!({"items": [item("a"), item("b")], "nextCursor": "2"})),
        "http://h/api/sandbox?cursor=2&limit=2" => json(200, j!({"items": [item("c")], "nextCursor": null})),
        _ => json(500, j!({"message": "unexpected"})),
    });
    let c = client(t, FakeClock::new());
    let q = daytona_core::params::ListSandboxesQuery { limit: Some(2), ..Default::default() };
    let (first, next) = block_on(c.list_cursor(&q, None)).unwrap();
    assert_eq!((first.len(), next.as_deref()), (2, Some("2")));
    let (rest, next) = block_on(c.list_cursor(&q, Some("2"))).unwrap();
    assert_eq!((rest[0].dto().id(), next), ("c", None));
}

#[test]
fn list_falls_back_between_the_cursor_and_the_paginated_endpoints() {
    // A server with only the paginated list: the iterator walks its pages.
    let only_paginated = FnTransport::new(|req| match req.url.as_str() {
        u if u.starts_with("http://h/api/sandbox?") || u == "http://h/api/sandbox" => json(404, j!({"message": "Cannot GET /api/sandbox"})),
        "http://h/api/sandbox/paginated?page=1" => json(200, j!({"items": [item("a")], "total": 2, "page": 1, "totalPages": 2})),
        "http://h/api/sandbox/paginated?page=2" => json(200, j!({"items": [item("b")], "total": 2, "page": 2, "totalPages": 2})),
        _ => json(500, j!({"message": "unexpected"})),
    });
    let c = client(only_paginated, FakeClock::new());
    let q = daytona_core::params::ListSandboxesQuery::default();
    let (a, next) = block_on(c.list_cursor(&q, None)).unwrap();
    assert_eq!((a[0].dto().id(), next.as_deref()), ("a", Some("2")));
    let (b, next) = block_on(c.list_cursor(&q, Some("2"))).unwrap();
    assert_eq!((b[0].dto().id(), next), ("b", None));

    // A server with only the cursor list: the seed's page is cut from it.
    let only_cursor = FnTransport::new(|req| match req.url.as_str() {
        u if u.starts_with("http://h/api/sandbox/paginated") => json(404, j!({"message": "Cannot GET"})),
        "http://h/api/sandbox?limit=200" => json(200, j!({"items": [item("a"), item("b")], "nextCursor": "2"})),
        "http://h/api/sandbox?cursor=2&limit=200" => json(200, j!({"items": [item("c")]})),
        _ => json(500, j!({"message": "unexpected"})),
    });
    let page = block_on(client(only_cursor, FakeClock::new()).list(None, Some(2), Some(2))).unwrap();
    assert_eq!((page.items.len(), page.total, page.page, page.total_pages), (1, 3, 2, 2));
    assert_eq!(page.items[0].dto().id(), "c");

    // An older server answering GET /sandbox with every sandbox as an array.
    let array = FnTransport::new(|_| json(200, j!([item("a"), item("b")])));
    let (all, next) = block_on(client(array, FakeClock::new()).list_cursor(&q, None)).unwrap();
    assert_eq!((all.len(), next), (2, None));
}
