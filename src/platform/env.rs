use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// `process.env[name]`, read only where `process.env` exists (Node, Bun, Deno's Node mode,
/// Workers with nodejs_compat). Browsers and plain Workers have no environment.
pub fn env_var(name: &str) -> Option<String> {
    let process = Reflect::get(&js_sys::global(), &JsValue::from_str("process")).ok()?;
    if !process.is_object() {
        return None;
    }
    let env = Reflect::get(&process, &JsValue::from_str("env")).ok()?;
    if !env.is_object() {
        return None;
    }
    Reflect::get(&env, &JsValue::from_str(name)).ok()?.as_string()
}
