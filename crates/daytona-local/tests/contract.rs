//! Contract tests: the real SDK core (daytona-core) against the real server, in-process on
//! a free port, plus raw HTTP checks of the server's answers to bad input.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use daytona_core::args::FromArg;
use daytona_core::endpoints::files::Upload;
use daytona_core::file_system::{DownloadItem, FileSystemClient};
use daytona_core::params::{CreateSandboxParams, ResizeParams, SandboxFilter};
use daytona_core::transport::{Body, FormValue, LocalBoxFuture};
use daytona_core::SandboxClient;
use daytona_core::{Clock, DaytonaClient, DaytonaConfig, Error, HttpRequest, HttpResponse, HttpTransport, TransportError};
use daytona_local::runtime::sandboxes::{Limits, SandboxManager};
use daytona_local::state::AppState;
use daytona_types::api::sandbox::{Sandbox, SandboxState};
use serde_json::json;

const KEY: &str = "test-key";

struct TestApp {
    api: String,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { max_cpu: 4, max_memory: 8, max_disk: 10 };
    let egress = Arc::new(daytona_local::egress::Egress::new(dir.path()).unwrap());
    let sandboxes = SandboxManager::open(dir.path(), limits, "org-test".into(), daytona_local::runtime::jail::Jail::off(), KEY, egress).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(sandboxes, KEY, &base, 0);
    tokio::spawn(async move { axum::serve(listener, daytona_local::app(state)).await.unwrap() });
    TestApp { api: format!("{base}/api"), _dir: dir }
}

/// A native transport for the core, on reqwest.
struct Reqwest(reqwest::Client);

impl HttpTransport for Reqwest {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes()).unwrap();
            let mut b = self.0.request(method, &req.url);
            for (k, v) in &req.headers {
                b = b.header(k, v);
            }
            match req.body {
                Body::Empty => {}
                Body::Bytes(bytes) => b = b.body(bytes),
                Body::Form(parts) => {
                    let mut form = reqwest::multipart::Form::new();
                    for p in parts {
                        form = match p.value {
                            FormValue::Text(t) => form.text(p.name, t),
                            FormValue::Bytes(bytes) => form.part(p.name, reqwest::multipart::Part::bytes(bytes).file_name(p.filename.unwrap_or_default())),
                            FormValue::Opaque(_) => unreachable!("native tests send bytes"),
                        };
                    }
                    b = b.multipart(form);
                }
            }
            if let Some(ms) = req.timeout_ms {
                b = b.timeout(Duration::from_millis(ms));
            }
            let resp = b.send().await.map_err(|e| {
                if e.is_timeout() {
                    TransportError::Timeout(req.timeout_ms.unwrap_or(0))
                } else {
                    TransportError::Network(e.to_string())
                }
            })?;
            let status = resp.status().as_u16();
            let headers = resp.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
            let body = resp.bytes().await.map_err(|e| TransportError::Network(e.to_string()))?.to_vec();
            Ok(HttpResponse { status, headers, body })
        })
    }
}

struct TokioClock(std::time::Instant);

impl Clock for TokioClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(ms)))
    }
}

fn client(api: &str, key: &str) -> DaytonaClient {
    let cfg = DaytonaConfig { api_key: Some(key.into()), api_url: Some(api.into()), ..Default::default() };
    DaytonaClient::new(
        Some(cfg),
        &|_| None,
        Rc::new(Reqwest(reqwest::Client::new())),
        Rc::new(daytona_core::testing::NoWs),
        Rc::new(TokioClock(std::time::Instant::now())),
    )
    .unwrap()
}

/// Params as a JS caller writes them, read as the SDK reads them.
fn params(v: serde_json::Value) -> CreateSandboxParams {
    CreateSandboxParams::from_arg(&v, "params").unwrap()
}

/// The DTO as the SDK keeps it, read as the server's typed DTO: the two agree.
fn typed(sb: &SandboxClient) -> Sandbox {
    serde_json::from_value(serde_json::to_value(&*sb.dto()).unwrap()).unwrap()
}

#[tokio::test]
async fn lifecycle_through_the_core() {
    let app = spawn_app().await;
    let d = client(&app.api, KEY);
    let sb = d.create(params(json!({"name": "life", "envVars": {"A": "1"}, "labels": {"team": "x"}, "autoStopInterval": 30})), None).await.unwrap();
    {
        let dto = typed(&sb);
        assert_eq!(dto.state, Some(SandboxState::Started));
        assert_eq!(dto.labels.get("code-toolbox-language").map(String::as_str), Some("python"));
        assert_eq!(dto.env.as_ref().unwrap().get("A").map(String::as_str), Some("1"));
        assert_eq!(dto.toolbox_proxy_url, app.api.replace("/api", "/toolbox"));
        assert_eq!((dto.auto_stop_interval, dto.organization_id.as_str()), (Some(30), "org-test"));
    }
    sb.stop(None, false).await.unwrap();
    assert_eq!(typed(&sb).state, Some(SandboxState::Stopped));
    sb.archive().await.unwrap();
    assert_eq!(typed(&sb).state, Some(SandboxState::Archived));
    sb.start(None).await.unwrap();
    assert_eq!(typed(&sb).state, Some(SandboxState::Started));
    sb.refresh_activity().await.unwrap();
    let labels = sb.set_labels([("k".to_string(), "v".to_string())].into()).await.unwrap();
    assert_eq!(labels.get("k").and_then(serde_json::Value::as_str), Some("v"));
    sb.set_autostop_interval(0.0).await.unwrap();
    sb.set_auto_archive_interval(60.0).await.unwrap();
    sb.set_auto_delete_interval(-1.0).await.unwrap();
    sb.refresh_data().await.unwrap();
    assert_eq!((typed(&sb).auto_stop_interval, typed(&sb).auto_archive_interval), (Some(0), Some(60)));
    let by_name = d.get("life").await.unwrap();
    assert_eq!(typed(&by_name).id, typed(&sb).id);
    sb.delete(None, true).await.unwrap();
    assert_eq!(d.get("life").await.err().unwrap().status(), Some(404));
}

#[tokio::test]
async fn list_pages_and_label_filters() {
    let app = spawn_app().await;
    let d = client(&app.api, KEY);
    for i in 0..5 {
        let team = if i % 2 == 0 { "even" } else { "odd" };
        d.create(params(json!({"name": format!("s{i}"), "labels": {"team": team}})), None).await.unwrap();
    }
    let page = d.list(None, Some(1), Some(2)).await.unwrap();
    assert_eq!((page.items.len(), page.total, page.page, page.total_pages), (2, 5, 1, 3));
    let last = d.list(None, Some(3), Some(2)).await.unwrap();
    assert_eq!(last.items.len(), 1);
    let even = d.list(Some([("team".to_string(), "even".to_string())].into()), None, None).await.unwrap();
    assert_eq!(even.total, 3);
    assert!(even.items.iter().all(|s| typed(s).labels["team"] == "even"));
    let one = d.find_one(SandboxFilter { labels: Some([("team".into(), "odd".into())].into()), ..Default::default() }).await.unwrap();
    assert_eq!(typed(&one).labels["team"], "odd");
    let none = d.find_one(SandboxFilter { labels: Some([("team".into(), "none".into())].into()), ..Default::default() }).await;
    assert!(matches!(none, Err(Error::NotFound(_))));
}

#[tokio::test]
async fn resize_rules() {
    let app = spawn_app().await;
    let d = client(&app.api, KEY);
    let sb = d.create(params(json!({"image": "debian:12", "resources": {"cpu": 1, "memory": 1, "disk": 3}})), None).await.unwrap();
    sb.resize(ResizeParams { cpu: Some(2.0), memory: Some(4.0), ..Default::default() }, None).await.unwrap();
    assert_eq!((typed(&sb).cpu, typed(&sb).memory), (2.0, 4.0));
    let hot_disk = sb.resize(ResizeParams { disk: Some(5.0), ..Default::default() }, None).await.err().unwrap();
    assert_eq!(hot_disk.status(), Some(400), "{hot_disk}");
    sb.stop(None, false).await.unwrap();
    sb.resize(ResizeParams { disk: Some(5.0), ..Default::default() }, None).await.unwrap();
    assert_eq!(typed(&sb).disk, 5.0);
    let shrink = sb.resize(ResizeParams { disk: Some(4.0), ..Default::default() }, None).await.err().unwrap();
    assert!(shrink.to_string().contains("decreased"), "{shrink}");
    let too_big = sb.resize(ResizeParams { cpu: Some(64.0), ..Default::default() }, None).await.err().unwrap();
    assert_eq!(too_big.status(), Some(400));
    let gpu = sb.resize(ResizeParams { gpu: Some(json!(1)), ..Default::default() }, None).await.err().unwrap();
    assert!(matches!(gpu, Error::InvalidArgument(_)));
}

#[tokio::test]
async fn wrong_key_and_unknown_sandbox() {
    let app = spawn_app().await;
    let err = client(&app.api, "nope").get("x").await.err().unwrap();
    assert!(matches!(&err, Error::Api { status: 401, message, .. } if message == "Invalid or missing API key"), "{err:?}");
    let err = client(&app.api, KEY).get("missing").await.err().unwrap();
    assert!(matches!(&err, Error::Api { status: 404, message, .. } if message == "Sandbox with ID or name missing not found"), "{err:?}");
}

#[tokio::test]
async fn bad_input_gets_daytona_error_bodies() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: &str, body: Option<&'static str>| {
        let mut b = http.request(method, format!("{}{path}", app.api)).bearer_auth(KEY);
        if let Some(body) = body {
            b = b.header("content-type", "application/json").body(body);
        }
        b.send()
    };
    let cases = [
        (send(reqwest::Method::POST, "/sandbox", Some("{not json")).await.unwrap(), 400),
        (send(reqwest::Method::POST, "/sandbox", Some(r#"{"cpu":"many","buildInfo":{}}"#)).await.unwrap(), 422),
        (send(reqwest::Method::POST, "/sandbox", Some(r#"{"cpu":2}"#)).await.unwrap(), 400),
        (send(reqwest::Method::POST, "/sandbox", Some(r#"{"networkAllowList":"10.0.0.0/99"}"#)).await.unwrap(), 400),
        (send(reqwest::Method::POST, "/sandbox/missing/start", None).await.unwrap(), 404),
        (send(reqwest::Method::POST, "/sandbox/missing/autostop/abc", None).await.unwrap(), 400),
        (send(reqwest::Method::GET, "/sandbox?states=bogus", None).await.unwrap(), 400),
        (send(reqwest::Method::GET, "/sandbox/paginated?limit=0", None).await.unwrap(), 400),
        (send(reqwest::Method::GET, "/nowhere", None).await.unwrap(), 404),
    ];
    for (resp, want) in cases {
        assert_eq!(resp.status().as_u16(), want, "{}", resp.url());
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["statusCode"], want);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        assert!(body["error"].is_string() && body["timestamp"].is_string(), "{body}");
    }
    let dup = json!({"name": "twin"}).to_string();
    let post = |b: String| http.post(format!("{}/sandbox", app.api)).bearer_auth(KEY).header("content-type", "application/json").body(b).send();
    assert_eq!(post(dup.clone()).await.unwrap().status().as_u16(), 200);
    assert_eq!(post(dup).await.unwrap().status().as_u16(), 409);
}

#[tokio::test]
async fn cursor_list_serves_the_current_official_sdk() {
    let app = spawn_app().await;
    let d = client(&app.api, KEY);
    for i in 0..3 {
        d.create(params(json!({"name": format!("c{i}"), "labels": {"x": "y"}})), None).await.unwrap();
    }
    let http = reqwest::Client::new();
    let get = |q: &str| http.get(format!("{}/sandbox{q}", app.api)).bearer_auth(KEY).send();
    let first: serde_json::Value = get("?limit=2&labels=%7B%22x%22%3A%22y%22%7D&states=started&states=stopped").await.unwrap().json().await.unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert!(first["items"][0].get("env").is_none(), "list items carry no env");
    let cursor = first["nextCursor"].as_str().unwrap();
    let rest: serde_json::Value = get(&format!("?limit=2&cursor={cursor}")).await.unwrap().json().await.unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["nextCursor"].is_null());
}

#[tokio::test]
async fn cors_preflight_is_answered_without_credentials() {
    let app = spawn_app().await;
    let resp = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/sandbox", app.api))
        .header("origin", "http://example.test")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,x-daytona-source,content-type")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert!(resp.headers()["access-control-allow-headers"].to_str().unwrap().contains("x-daytona-source"));
}

#[tokio::test]
async fn request_deadline_becomes_a_connection_timeout() {
    // A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let cfg = DaytonaConfig { api_key: Some(KEY.into()), api_url: Some(api.clone()), request_timeout_ms: Some(300.0), ..Default::default() };
    let quick = DaytonaClient::new(
        Some(cfg),
        &|_| None,
        Rc::new(Reqwest(reqwest::Client::new())),
        Rc::new(daytona_core::testing::NoWs),
        Rc::new(TokioClock(std::time::Instant::now())),
    )
    .unwrap();
    let err = quick.get("sb").await.err().unwrap();
    assert!(matches!(err, Error::ConnectionTimeout(_)), "{err:?}");
    // A create's deadline is its timeout, and says so in the official words.
    let err = client(&api, KEY).create(CreateSandboxParams::default(), Some(0.3)).await.err().unwrap();
    assert_eq!(err, Error::Timeout("Failed to create and start sandbox within 0.3 seconds. Operation timed out.".into()));
}

#[tokio::test]
async fn files_through_the_core() {
    let app = spawn_app().await;
    let sb = client(&app.api, KEY).create(CreateSandboxParams::default(), None).await.unwrap();
    let fs = FileSystemClient::new(sb.clone());
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let uploads = vec![
        Upload { data: FormValue::Bytes(data.clone()), destination: "d/a.bin".into() },
        Upload { data: FormValue::Bytes(b"tmp".to_vec()), destination: "/tmp/b.txt".into() },
    ];
    fs.upload_files(uploads, None).unwrap().await.unwrap();
    let mut dl = fs.download(vec!["d/a.bin".into(), "missing".into(), "/tmp/b.txt".into()], None, 0).await.unwrap();
    let (mut got, mut starts, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(item) = dl.next().await.unwrap() {
        match item {
            DownloadItem::Start { path, .. } => starts.push(path),
            DownloadItem::Data(d) if starts.len() == 1 => got.extend(d),
            DownloadItem::Failed { path, error } => failures.push((path, error.status())),
            _ => {}
        }
    }
    assert_eq!(got, data);
    assert_eq!(starts, ["d/a.bin", "/tmp/b.txt"]);
    assert_eq!(failures, [("missing".to_string(), Some(404))]);
    let info: daytona_types::toolbox::files::FileInfo = fs.get_file_details("d/a.bin").await.unwrap().decode().unwrap();
    assert_eq!((info.size, info.path.as_deref()), (200_000, Some("/home/daytona/d/a.bin")));
    let escape = fs.list_files("../..", None).unwrap().await.err().unwrap();
    assert!(matches!(&escape, Error::Api { status: 403, code: Some(c), .. } if c == "FILE_ACCESS_DENIED"), "{escape:?}");
}
