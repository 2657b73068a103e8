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
    assert_eq!(sb.dto().state.unwrap().as_str(), "started");
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
    assert_eq!(sb.dto().toolbox_proxy_url, "http://tb/toolbox");
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
