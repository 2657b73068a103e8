use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use daytona_core::transport::LocalBoxFuture;
use daytona_core::Clock;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// `Date.now()` and a `setTimeout` promise.
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        let mut timer = JsValue::UNDEFINED;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            timer = super::set_timeout(&resolve, ms as f64);
        });
        Box::pin(Sleep { done: JsFuture::from(promise), timer })
    }
}

/// A timer that is cleared when its sleep is dropped: a sleep raced against work that
/// finished first (a deadline, a backoff) must not keep a Node process alive.
struct Sleep {
    done: JsFuture,
    timer: JsValue,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.done).poll(cx).map(drop)
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        super::clear_timeout(&self.timer);
    }
}
