//! What JS callers pass, read from the JSON that JS itself writes of it. One small reader per
//! parameter type, from the [`Value`] the SDK already parses answers into, in place of a serde
//! decoder per type: those cost kilobytes of wasm apiece.
//! Unknown fields are ignored and `null` means "not given", as in the official SDK.

use std::cell::RefCell;
use std::collections::BTreeMap;

use daytona_types::api::sandbox::{SandboxVolume, UpdateSandboxNetworkSettings};
use daytona_types::toolbox::lsp::Position;
use daytona_types::toolbox::process::SessionExecuteRequest;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A type read from a caller's argument.
pub trait FromArg: Sized {
    /// `v` as this type; `name` (a field or parameter) is named in the error.
    fn from_arg(v: &Value, name: &str) -> Result<Self>;
}

fn expected(name: &str, what: &str) -> Error {
    Error::InvalidArgument(format!("invalid argument: `{name}` must be {what}"))
}

fn required(key: &str) -> Error {
    Error::InvalidArgument(format!("invalid argument: `{key}` is required"))
}

/// The one field `key` of the object argument `v` (named `name`) that a caller reads.
pub fn field<T: FromArg>(v: &Value, name: &str, key: &str) -> Result<Option<T>> {
    let f = Fields::of(v, name)?;
    let value = f.opt(key);
    f.done(value)
}

/// [`field`], which must be there.
pub fn required_field<T: FromArg>(v: &Value, name: &str, key: &str) -> Result<T> {
    field(v, name, key)?.ok_or_else(|| required(key))
}

/// The fields of an object argument. Reads never fail on their own: the first error is kept
/// and [`Fields::done`] reports it, so a reader is one straight line of field reads (an early
/// return per field would cost wasm for dropping the fields read before it).
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    error: RefCell<Option<Error>>,
}

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value, name: &str) -> Result<Self> {
        let map = v.as_object().ok_or_else(|| expected(name, "an object"))?;
        Ok(Fields { map, error: RefCell::new(None) })
    }

    fn fail(&self, e: Error) {
        self.error.borrow_mut().get_or_insert(e);
    }

    /// A field; absent or `null` is `None`.
    pub fn opt<T: FromArg>(&self, key: &str) -> Option<T> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => T::from_arg(v, key).map_err(|e| self.fail(e)).ok(),
        }
    }

    pub fn required<T: FromArg + Default>(&self, key: &str) -> T {
        if matches!(self.map.get(key), None | Some(Value::Null)) {
            self.fail(required(key));
        }
        self.or_default(key)
    }

    /// A field that may be absent, as its default.
    pub fn or_default<T: FromArg + Default>(&self, key: &str) -> T {
        self.opt(key).unwrap_or_default()
    }

    pub fn keys(&self) -> impl Iterator<Item = &'a str> {
        self.map.keys().map(String::as_str)
    }

    /// `value`, read from these fields, or the first error a read met.
    pub fn done<T>(&self, value: T) -> Result<T> {
        self.error.take().map_or(Ok(value), Err)
    }
}

impl FromArg for String {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        v.as_str().map(str::to_owned).ok_or_else(|| expected(name, "a string"))
    }
}

impl FromArg for bool {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        v.as_bool().ok_or_else(|| expected(name, "a boolean"))
    }
}

impl FromArg for f64 {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        v.as_f64().ok_or_else(|| expected(name, "a number"))
    }
}

macro_rules! whole_number_args {
    ($($t:ty),*) => {$(
        impl FromArg for $t {
            fn from_arg(v: &Value, name: &str) -> Result<Self> {
                v.as_u64().and_then(|n| <$t>::try_from(n).ok()).ok_or_else(|| expected(name, "a non-negative whole number"))
            }
        }
    )*};
}
whole_number_args!(u16, u32, u64);

impl<T: FromArg> FromArg for Vec<T> {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        v.as_array().ok_or_else(|| expected(name, "a list"))?.iter().map(|item| T::from_arg(item, name)).collect()
    }
}

/// Labels, environment variables and the like: an object of strings.
impl FromArg for BTreeMap<String, String> {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        // Inserted one by one: `collect` into a map compiles a sort of its own.
        let mut map = BTreeMap::new();
        for (k, v) in Fields::of(v, name)?.map {
            map.insert(k.clone(), v.as_str().ok_or_else(|| expected(name, "an object of strings"))?.to_owned());
        }
        Ok(map)
    }
}

/// Passed on as given.
impl FromArg for Value {
    fn from_arg(v: &Value, _: &str) -> Result<Self> {
        Ok(v.clone())
    }
}

impl FromArg for SandboxVolume {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(SandboxVolume { volume_id: f.required("volumeId"), mount_path: f.required("mountPath"), subpath: f.opt("subpath") })
    }
}

impl FromArg for UpdateSandboxNetworkSettings {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(UpdateSandboxNetworkSettings {
            network_block_all: f.opt("networkBlockAll"),
            network_allow_list: f.opt("networkAllowList"),
            domain_allow_list: f.opt("domainAllowList"),
        })
    }
}

impl FromArg for Position {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(Position { line: f.required("line"), character: f.required("character") })
    }
}

impl FromArg for SessionExecuteRequest {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(SessionExecuteRequest {
            command: f.required("command"),
            run_async: f.opt("runAsync"),
            is_async: f.opt("async"),
            suppress_input_echo: f.opt("suppressInputEcho"),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message<T: FromArg + std::fmt::Debug>(v: Value) -> String {
        match T::from_arg(&v, "arg") {
            Err(Error::InvalidArgument(m)) => m,
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn fields_read_what_is_given_and_name_what_is_wrong() {
        let v = json!({ "volumeId": "v", "mountPath": "/m", "subpath": null, "other": 1 });
        assert_eq!(SandboxVolume::from_arg(&v, "volume").unwrap(), SandboxVolume { volume_id: "v".into(), mount_path: "/m".into(), subpath: None });
        assert_eq!(message::<SandboxVolume>(json!({ "volumeId": "v" })), "invalid argument: `mountPath` is required");
        assert_eq!(message::<SandboxVolume>(json!({ "volumeId": 1, "mountPath": "/m" })), "invalid argument: `volumeId` must be a string");
        assert_eq!(message::<SandboxVolume>(json!("v")), "invalid argument: `arg` must be an object");
    }

    #[test]
    fn numbers_lists_and_maps() {
        assert_eq!(u16::from_arg(&json!(80), "cols").unwrap(), 80);
        for bad in [json!(80.5), json!(-1), json!(70000), json!("80")] {
            assert_eq!(message::<u16>(bad), "invalid argument: `arg` must be a non-negative whole number");
        }
        assert_eq!(Vec::<String>::from_arg(&json!(["a", "b"]), "files").unwrap(), ["a", "b"]);
        assert_eq!(message::<Vec<String>>(json!(["a", 1])), "invalid argument: `arg` must be a string");
        let map = BTreeMap::<String, String>::from_arg(&json!({ "A": "1" }), "env").unwrap();
        assert_eq!(map, BTreeMap::from([("A".to_string(), "1".to_string())]));
        assert_eq!(message::<BTreeMap<String, String>>(json!({ "A": 1 })), "invalid argument: `arg` must be an object of strings");
        assert_eq!(message::<bool>(json!(1)), "invalid argument: `arg` must be a boolean");
        assert_eq!(message::<f64>(json!("NaN")), "invalid argument: `arg` must be a number");
    }
}
