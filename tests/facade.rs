//! wasm-bindgen-test suite for the facade, run by `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome` against a daytona-local the test command starts.
//! The server's URL and key come in at compile time (DAYTONA_TEST_API_URL/_KEY).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use daytona_wasm::{Daytona, JsErr, PtyHandle, Sandbox};
use js_sys::{Object, Reflect};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const API_URL: &str = env!("DAYTONA_TEST_API_URL");
const API_KEY: &str = env!("DAYTONA_TEST_API_KEY");

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn client(key: &str) -> Daytona {
    Daytona::new(obj(&[("apiKey", key.into()), ("apiUrl", API_URL.into())])).map_err(JsValue::from).unwrap()
}

/// `daytona.create(params, options)`, which returns a plain promise (it may be cancelled).
async fn create(d: &Daytona, params: JsValue, options: JsValue) -> Result<Sandbox, JsValue> {
    Sandbox::try_from_js_value(JsFuture::from(d.create(params, options)).await?)
}

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

/// The error's class name and status, as JS sees them.
fn class_of(e: JsErr) -> (String, Option<f64>) {
    let v = JsValue::from(e);
    (prop(&v, "name").as_string().unwrap(), prop(&v, "statusCode").as_f64())
}

#[wasm_bindgen_test]
async fn lifecycle_through_the_facade() {
    let d = client(API_KEY);
    let params = obj(&[("labels", obj(&[("suite", "facade".into())]))]);
    let sb = create(&d, params, JsValue::UNDEFINED).await.unwrap();
    assert_eq!(sb.state().as_string().as_deref(), Some("started"));
    assert_eq!(prop(&sb.labels(), "suite").as_string().as_deref(), Some("facade"));
    JsFuture::from(sb.stop(None, None, JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(sb.state().as_string().as_deref(), Some("stopped"));
    JsFuture::from(sb.start(Some(30.0), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(sb.state().as_string().as_deref(), Some("started"));
    JsFuture::from(sb.resize(obj(&[("cpu", 2.into())]), None)).await.unwrap();
    assert_eq!(sb.cpu().as_f64(), Some(2.0));
    let id = sb.id().as_string().unwrap();
    JsFuture::from(sb.delete(None, Some(true), JsValue::UNDEFINED)).await.unwrap();
    let gone = JsErr::from_js(JsFuture::from(d.get(id)).await.expect_err("deleted sandbox must be gone"));
    assert_eq!(class_of(gone), ("DaytonaNotFoundError".into(), Some(404.0)));
}

#[wasm_bindgen_test]
async fn wrong_key_is_an_authentication_error() {
    let err = JsErr::from_js(JsFuture::from(client("wrong").get("x".into())).await.err().unwrap());
    assert_eq!(class_of(err), ("DaytonaAuthenticationError".into(), Some(401.0)));
}

#[wasm_bindgen_test]
async fn bad_arguments_are_rejected_before_any_request() {
    let d = client(API_KEY);
    let err = create(&d, obj(&[("language", "cobol".into())]), JsValue::UNDEFINED).await.err().unwrap();
    assert_eq!(class_of(JsErr::from_js(err)), ("DaytonaInvalidArgumentError".into(), None));
    // A bare number is accepted as the timeout, as in the official SDK.
    let sb = create(&d, JsValue::UNDEFINED, 5.into()).await.unwrap();
    JsFuture::from(sb.delete(None, None, JsValue::UNDEFINED)).await.unwrap();
}

#[wasm_bindgen_test]
fn missing_credentials_throw_synchronously() {
    let err = Daytona::new(obj(&[("apiUrl", API_URL.into())])).err().unwrap();
    assert_eq!(class_of(err).0, "DaytonaAuthenticationError");
}

#[wasm_bindgen_test]
async fn file_round_trip_through_the_facade() {
    let d = client(API_KEY);
    let sb = create(&d, JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap();
    let fs = sb.fs();
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let upload = js_sys::Uint8Array::from(data.as_slice());
    JsFuture::from(fs.upload_file(upload.into(), "dir/data.bin".into(), None, JsValue::UNDEFINED)).await.unwrap();
    let back = JsFuture::from(fs.download_file("dir/data.bin".into(), JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&back).to_vec(), data);
    let missing =
        JsErr::from_js(JsFuture::from(fs.download_file("nope.bin".into(), JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED)).await.err().unwrap());
    assert_eq!(class_of(missing), ("DaytonaFileNotFoundError".into(), Some(404.0)));
    JsFuture::from(sb.delete(None, None, JsValue::UNDEFINED)).await.unwrap();
}

/// A function that appends each chunk's text to a shared JS array.
fn collector() -> (js_sys::Array, js_sys::Function) {
    let chunks = js_sys::Array::new();
    let sink = chunks.clone();
    let f = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        sink.push(&v);
    });
    (chunks, f.into_js_value().unchecked_into())
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn pty_and_interpreter_over_websockets_through_the_facade() {
    let d = client(API_KEY);
    let sb = create(&d, JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap();
    let (chunks, on_data) = collector();
    let opts = obj(&[("id", "facade-pty".into()), ("onData", on_data.into())]);
    let pty = PtyHandle::try_from_js_value(JsFuture::from(sb.process().create_pty(opts)).await.unwrap()).unwrap();
    JsFuture::from(pty.wait_for_connection(None)).await.unwrap();
    JsFuture::from(pty.send_input("echo facade-$((20+22)); exit 7\n".into())).await.unwrap();
    let result = JsFuture::from(pty.wait(JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(prop(&result, "exitCode").as_f64(), Some(7.0));
    let text: String = chunks.iter().map(|c| String::from_utf8_lossy(&js_sys::Uint8Array::new(&c).to_vec()).into_owned()).collect();
    assert!(text.contains("facade-42"), "{text}");

    let run = JsFuture::from(sb.code_interpreter().run_code("x = 6\nprint(x * 7)".into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(prop(&run, "stdout").as_string().as_deref(), Some("42\n"));
    JsFuture::from(sb.delete(None, None, JsValue::UNDEFINED)).await.unwrap();
}
