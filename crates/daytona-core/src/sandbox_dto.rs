//! The Sandbox DTO as the server sent it (`GET /sandbox/{id}` and every lifecycle answer): a
//! JSON object whose fields go back to JS as they are (the facade's getters), with typed
//! reads of the few the SDK acts on. The typed struct of some forty fields in
//! `daytona-types` stays the server's; decoding it here cost about 9 KB of wasm (gzip) for
//! values the SDK never reads.

use daytona_types::api::sandbox::SandboxState;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SandboxDto(Map<String, Value>);

impl SandboxDto {
    /// A DTO that knows only its id: what a handle holds before its first answer.
    pub fn with_id(id: &str) -> Self {
        let mut dto = SandboxDto::default();
        dto.set("id", id);
        dto
    }

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

    pub fn id(&self) -> &str {
        self.text("id").unwrap_or_default()
    }

    pub fn organization_id(&self) -> &str {
        self.text("organizationId").unwrap_or_default()
    }

    /// Empty until known (list items may not carry it).
    pub fn toolbox_proxy_url(&self) -> &str {
        self.text("toolboxProxyUrl").unwrap_or_default()
    }

    pub fn created_at(&self) -> Option<&str> {
        self.text("createdAt")
    }

    pub fn error_reason(&self) -> Option<&str> {
        self.text("errorReason")
    }

    /// A state this SDK does not know is `Unknown`, not an error.
    pub fn state(&self) -> Option<SandboxState> {
        self.text("state").map(|s| SandboxState::ALL.into_iter().find(|k| k.as_str() == s).unwrap_or(SandboxState::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_reads_of_an_answer_and_the_rest_as_sent() {
        let dto: SandboxDto =
            serde_json::from_str(r#"{"id":"a","state":"started","cpu":2,"labels":{"k":"v"},"errorReason":null,"organizationId":"o"}"#).unwrap();
        assert_eq!((dto.id(), dto.organization_id(), dto.state(), dto.error_reason()), ("a", "o", Some(SandboxState::Started), None));
        assert_eq!(dto.get("cpu"), Some(&Value::from(2)));
        assert_eq!(dto.get("labels").and_then(|l| l.get("k")), Some(&Value::from("v")));
        assert_eq!(dto.toolbox_proxy_url(), "");
    }

    #[test]
    fn a_new_state_is_unknown_and_a_missing_one_none() {
        let dto: SandboxDto = serde_json::from_str(r#"{"id":"a","state":"teleporting"}"#).unwrap();
        assert_eq!(dto.state(), Some(SandboxState::Unknown));
        assert_eq!(SandboxDto::with_id("b").state(), None);
        assert_eq!(SandboxDto::with_id("b").id(), "b");
    }
}
