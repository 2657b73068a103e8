//! Fakes for tests, here and in dependent crates: a scripted transport and a manual clock.

use std::cell::{Cell, RefCell};
use std::future::ready;
use std::rc::Rc;

use crate::transport::{Clock, HttpRequest, HttpResponse, HttpTransport, LocalBoxFuture, TransportError, WsConnection, WsConnector};

type Handler = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError>>;

/// Answers each request with a handler and records what was sent.
pub struct FnTransport {
    handler: Handler,
    pub sent: RefCell<Vec<HttpRequest>>,
}

impl FnTransport {
    pub fn new(handler: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static) -> Rc<Self> {
        Rc::new(FnTransport { handler: Box::new(handler), sent: RefCell::new(Vec::new()) })
    }
}

impl HttpTransport for FnTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        let out = (self.handler)(&req);
        self.sent.borrow_mut().push(req);
        Box::pin(ready(out))
    }
}

/// A response with a JSON body.
pub fn json(status: u16, body: serde_json::Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status, headers: vec![], body: serde_json::to_vec(&body).unwrap_or_default() })
}

/// Time that moves only when code sleeps on it, so waits finish instantly in tests.
#[derive(Default)]
pub struct FakeClock {
    now: Rc<Cell<f64>>,
}

impl FakeClock {
    pub fn new() -> Rc<Self> {
        Rc::new(FakeClock::default())
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        self.now.set(self.now.get() + ms as f64);
        Box::pin(ready(()))
    }
}

/// A connector for tests that never need WebSockets.
pub struct NoWs;

impl WsConnector for NoWs {
    fn connect(
        &self,
        _url: String,
        _protocols: Vec<String>,
        _signal: Option<crate::transport::Signal>,
    ) -> LocalBoxFuture<'_, Result<Box<dyn WsConnection>, TransportError>> {
        Box::pin(ready(Err(TransportError::Network("no WebSockets in this test".into()))))
    }
}

/// A connector whose connections play scripted messages (one script per connection, in
/// order; a connection beyond the scripts fails) and record the URLs asked for.
#[derive(Default)]
pub struct ScriptedWs {
    pub scripts: RefCell<std::collections::VecDeque<Vec<crate::transport::WsMessage>>>,
    pub urls: RefCell<Vec<String>>,
}

impl WsConnector for ScriptedWs {
    fn connect(
        &self,
        url: String,
        _protocols: Vec<String>,
        _signal: Option<crate::transport::Signal>,
    ) -> LocalBoxFuture<'_, Result<Box<dyn WsConnection>, TransportError>> {
        self.urls.borrow_mut().push(url);
        let out = match self.scripts.borrow_mut().pop_front() {
            Some(script) => Ok(Box::new(Played(RefCell::new(script.into()))) as Box<dyn WsConnection>),
            None => Err(TransportError::Network("ECONNREFUSED".into())),
        };
        Box::pin(ready(out))
    }
}

struct Played(RefCell<std::collections::VecDeque<crate::transport::WsMessage>>);

impl WsConnection for Played {
    fn send(&self, _msg: crate::transport::WsMessage) -> Result<(), TransportError> {
        Ok(())
    }
    fn recv(&self) -> LocalBoxFuture<'_, Option<crate::transport::WsMessage>> {
        Box::pin(ready(self.0.borrow_mut().pop_front()))
    }
    fn close(&self) {}
}

/// An in-memory file tree for [`crate::object_storage::LocalFiles`]: path → `None` for a
/// directory, `Some(bytes)` for a file; `list` answers in path order.
pub struct MemFiles(pub std::collections::BTreeMap<String, Option<Vec<u8>>>);

impl crate::object_storage::LocalFiles for MemFiles {
    fn kind(&self, path: &str) -> crate::Result<Option<crate::image::LocalKind>> {
        use crate::image::LocalKind;
        Ok(self.0.get(path).map(|e| if e.is_some() { LocalKind::File } else { LocalKind::Dir }))
    }

    fn list(&self, dir: &str) -> crate::Result<Vec<(String, crate::image::LocalKind)>> {
        use crate::image::LocalKind;
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        Ok(self
            .0
            .iter()
            .filter_map(|(p, e)| {
                let name = p.strip_prefix(&prefix)?;
                (!name.contains('/')).then(|| (name.to_string(), if e.is_some() { LocalKind::File } else { LocalKind::Dir }))
            })
            .collect())
    }

    fn read(&self, path: &str) -> crate::Result<Vec<u8>> {
        self.0.get(path).cloned().flatten().ok_or_else(|| crate::Error::NotFound(path.into()))
    }

    /// No links in memory: what exists is where it is.
    fn real_path(&self, path: &str) -> crate::Result<crate::object_storage::RealPath> {
        use crate::object_storage::RealPath;
        Ok(if self.0.contains_key(path) { RealPath::Resolved(path.into()) } else { RealPath::Missing })
    }
}
