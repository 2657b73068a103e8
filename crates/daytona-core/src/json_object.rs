//! A JSON object as a server sent it: its fields go back to JS as they are, and the SDK reads
//! the few it acts on. The typed structs of every field stay the server's (`daytona-types`):
//! decoding them here cost wasm for values the SDK never reads.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonObject(Map<String, Value>);

impl JsonObject {
    /// A field as the server sent it (`None` when absent).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Replaces a field, as a later answer would.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.0.insert(key.into(), value.into());
    }

    /// A string field; `None` when absent, null or not a string.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }
}

/// Declares a DTO kept as a [`JsonObject`], with its typed reads as methods.
macro_rules! json_dto {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name($crate::json_object::JsonObject);

        impl std::ops::Deref for $name {
            type Target = $crate::json_object::JsonObject;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
pub(crate) use json_dto;
