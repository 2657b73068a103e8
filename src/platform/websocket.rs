use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use daytona_core::transport::{HostBuffer, LocalBoxFuture, Payload, Signal, WsConnection, WsConnector, WsMessage};
use daytona_core::TransportError;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::WebSocket;

/// WebSockets through the runtime's global `WebSocket` (browsers, Workers, Deno, Bun,
/// Node >= 22), or the class the Node entry supplies where there is none (`ws` on Node 20).
/// Events are read with `Reflect`, not typed casts: Node has no global `CloseEvent`, and
/// `ws`'s events are its own classes, so an `instanceof` check would fail.
pub struct JsWebSockets;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = __webSocketClass, catch)]
    async fn web_socket_class() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __closeOnAbort)]
    fn close_on_abort(socket: &WebSocket, signal: &JsValue);
    #[wasm_bindgen(js_name = __listenWs)]
    fn listen(socket: &WebSocket, on_message: &js_sys::Function);
}

#[derive(Default)]
struct Inbox {
    opened: Option<Result<(), String>>,
    queue: VecDeque<WsMessage>,
    closed: bool,
    waker: Option<Waker>,
}

impl Inbox {
    fn wake(&mut self) {
        if let Some(w) = self.waker.take() {
            w.wake();
        }
    }
}

struct JsWs {
    socket: WebSocket,
    inbox: Rc<RefCell<Inbox>>,
    _handlers: [Closure<dyn FnMut(JsValue)>; 3],
    _on_message: Closure<dyn FnMut(Option<String>, JsValue)>,
}

impl Drop for JsWs {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onerror(None);
        self.socket.set_onclose(None);
        if self.socket.ready_state() <= WebSocket::OPEN {
            let _ = self.socket.close();
        }
    }
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

/// A binary message's bytes, left in JS memory (see [`Payload`]).
struct JsBytes(Uint8Array);

impl HostBuffer for JsBytes {
    fn byte_len(&self) -> usize {
        self.0.length() as usize
    }

    fn to_vec(&self) -> Vec<u8> {
        self.0.to_vec()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `bytes` as a Uint8Array of JS's own: the one received, or a copy of the core's.
pub fn js_bytes(bytes: &Payload) -> Uint8Array {
    match bytes {
        Payload::Host(h) => match h.as_any().downcast_ref::<JsBytes>() {
            Some(b) => b.0.clone(),
            None => Uint8Array::from(h.to_vec().as_slice()),
        },
        Payload::Owned(b) => Uint8Array::from(b.as_slice()),
    }
}

impl WsConnection for JsWs {
    fn send(&self, msg: WsMessage) -> Result<(), TransportError> {
        let sent = match msg {
            WsMessage::Text(t) => self.socket.send_with_str(&t),
            // A JS-owned copy: some runtimes (workerd) read the bytes after `send` returns,
            // when a view into wasm memory may already have been reused.
            WsMessage::Binary(b) => self.socket.send_with_array_buffer_view(&js_bytes(&b)),
            WsMessage::Close(..) => self.socket.close(),
        };
        sent.map_err(|_| TransportError::Network("WebSocket is not open".into()))
    }

    fn recv(&self) -> LocalBoxFuture<'_, Option<WsMessage>> {
        let inbox = self.inbox.clone();
        Box::pin(poll_fn(move |cx| {
            let mut i = inbox.borrow_mut();
            match i.queue.pop_front() {
                Some(m) => Poll::Ready(Some(m)),
                None if i.closed => Poll::Ready(None),
                None => {
                    i.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }))
    }

    fn close(&self) {
        let _ = self.socket.close();
    }
}

impl WsConnector for JsWebSockets {
    fn connect(&self, url: String, protocols: Vec<String>, signal: Option<Signal>) -> LocalBoxFuture<'_, Result<Box<dyn WsConnection>, TransportError>> {
        Box::pin(async move {
            let class = web_socket_class()
                .await
                .map_err(|e| Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default())
                .and_then(|c| c.dyn_into::<js_sys::Function>().map_err(|_| "the WebSocket given is not a class".to_string()))
                .map_err(TransportError::Network)?;
            let list: js_sys::Array = protocols.iter().map(|p| JsValue::from_str(p)).collect();
            let args = js_sys::Array::of2(&url.into(), &list);
            // The bindings below are structural (property and method names), so any class with
            // the WHATWG interface serves.
            let socket: WebSocket = Reflect::construct(&class, &args).map_err(|e| TransportError::Network(format!("{e:?}")))?.unchecked_into();
            if let Some(signal) = signal.as_ref().and_then(super::js_signal) {
                close_on_abort(&socket, signal);
            }
            let inbox = Rc::new(RefCell::new(Inbox::default()));
            let on = |f: Box<dyn FnMut(JsValue)>| Closure::wrap(f);
            let (i1, i2, i3, i4) = (inbox.clone(), inbox.clone(), inbox.clone(), inbox.clone());
            let onopen = on(Box::new(move |_| {
                let mut i = i1.borrow_mut();
                i.opened = Some(Ok(()));
                i.wake();
            }));
            // Text, or bytes as a Uint8Array (see `__listenWs`).
            let onmessage = Closure::<dyn FnMut(Option<String>, JsValue)>::new(move |text: Option<String>, bytes: JsValue| {
                let msg = match text {
                    Some(t) => WsMessage::Text(t),
                    None => WsMessage::Binary(Payload::Host(Rc::new(JsBytes(bytes.unchecked_into())))),
                };
                let mut i = i2.borrow_mut();
                i.queue.push_back(msg);
                i.wake();
            });
            let onerror = on(Box::new(move |_| {
                let mut i = i3.borrow_mut();
                if i.opened.is_none() {
                    i.opened = Some(Err("WebSocket connection failed".into()));
                }
                i.wake();
            }));
            let onclose = on(Box::new(move |e| {
                let code = field(&e, "code").as_f64().map(|c| c as u16);
                let reason = field(&e, "reason").as_string().unwrap_or_default();
                let mut i = i4.borrow_mut();
                if i.opened.is_none() {
                    i.opened = Some(Err(format!("WebSocket closed before opening (code {})", code.unwrap_or(0))));
                }
                if !i.closed {
                    i.queue.push_back(WsMessage::Close(code, reason));
                    i.closed = true;
                }
                i.wake();
            }));
            socket.set_onopen(Some(onopen.as_ref().unchecked_ref()));
            listen(&socket, onmessage.as_ref().unchecked_ref());
            socket.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            socket.set_onclose(Some(onclose.as_ref().unchecked_ref()));
            let conn = JsWs { socket, inbox: inbox.clone(), _handlers: [onopen, onerror, onclose], _on_message: onmessage };
            let opened = poll_fn(|cx| {
                let mut i = inbox.borrow_mut();
                match i.opened.clone() {
                    Some(r) => Poll::Ready(r),
                    None => {
                        i.waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                }
            })
            .await;
            opened.map_err(TransportError::Network)?;
            Ok(Box::new(conn) as Box<dyn WsConnection>)
        })
    }
}
