//! The Sandbox DTO as the server sent it (`GET /sandbox/{id}` and every lifecycle answer):
//! the facade's getters hand its fields on; the SDK reads the few below. Decoding the typed
//! struct of some forty fields cost about 9 KB of wasm (gzip).

use daytona_types::api::sandbox::SandboxState;

use crate::json_object::json_dto;

json_dto! {
    /// `Sandbox`, as sent.
    SandboxDto
}

impl SandboxDto {
    /// A DTO that knows only its id: what a handle holds before its first answer.
    pub fn with_id(id: &str) -> Self {
        let mut dto = SandboxDto::default();
        dto.set("id", id);
        dto
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
        assert_eq!(dto.get("cpu"), Some(&serde_json::Value::from(2)));
        assert_eq!(dto.get("labels").and_then(|l| l.get("k")).and_then(|v| v.as_str()), Some("v"));
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
