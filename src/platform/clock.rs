use daytona_core::transport::LocalBoxFuture;
use daytona_core::Clock;
use wasm_bindgen_futures::JsFuture;

/// `Date.now()` and a `setTimeout` promise.
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            super::set_timeout(&resolve, ms as f64);
        });
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }
}
