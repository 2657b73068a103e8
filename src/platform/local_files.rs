//! The local file system for build contexts, through the functions the Node entry
//! registers (`node:fs`); elsewhere every call is a `DaytonaInvalidArgumentError`.

use daytona_core::image::LocalKind;
use daytona_core::object_storage::{LocalFiles, RealPath};
use daytona_core::{Error, Result};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = __localPath, catch)]
    fn local_path(what: &str, path: &str) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __localList, catch)]
    fn local_list(what: &str, path: &str) -> std::result::Result<js_sys::Array, JsValue>;
    /// `{ real }` (links resolved), `{ dangling: true }`, or `{}` when nothing is there.
    #[wasm_bindgen(js_name = __realPath, catch)]
    fn real_path(what: &str, path: &str) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __readLocalBytes, catch)]
    fn read_local_bytes(what: &str, path: &str) -> std::result::Result<Vec<u8>, JsValue>;
}

fn kind_of(v: &JsValue) -> Option<LocalKind> {
    match v.as_string()?.as_str() {
        "file" => Some(LocalKind::File),
        "dir" => Some(LocalKind::Dir),
        _ => Some(LocalKind::Other),
    }
}

fn fail(path: &str, e: JsValue) -> Error {
    let msg = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "cannot read".into());
    if js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("DaytonaInvalidArgumentError") {
        return Error::InvalidArgument(msg);
    }
    Error::Other(format!("{path}: {msg}"))
}

/// Named after the operation that reads, for the error where there is no file system.
pub struct JsLocalFiles(pub &'static str);

impl LocalFiles for JsLocalFiles {
    fn kind(&self, path: &str) -> Result<Option<LocalKind>> {
        let info = local_path(self.0, path).map_err(|e| fail(path, e))?;
        Ok(js_sys::Reflect::get(&info, &"kind".into()).ok().and_then(|k| kind_of(&k)))
    }

    fn list(&self, dir: &str) -> Result<Vec<(String, LocalKind)>> {
        let entries = local_list(self.0, dir).map_err(|e| fail(dir, e))?;
        Ok(entries
            .iter()
            .filter_map(|e| {
                let pair = js_sys::Array::from(&e);
                Some((pair.get(0).as_string()?, kind_of(&pair.get(1))?))
            })
            .collect())
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        read_local_bytes(self.0, path).map_err(|e| fail(path, e))
    }

    fn real_path(&self, path: &str) -> Result<RealPath> {
        let found = real_path(self.0, path).map_err(|e| fail(path, e))?;
        let field = |k: &str| js_sys::Reflect::get(&found, &k.into()).ok();
        Ok(match (field("real").and_then(|r| r.as_string()), field("dangling").is_some_and(|d| d.is_truthy())) {
            (Some(real), _) => RealPath::Resolved(real),
            (None, true) => RealPath::Dangling,
            (None, false) => RealPath::Missing,
        })
    }
}
