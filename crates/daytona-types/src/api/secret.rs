//! `/secret`: the organization's secrets. A value goes in and never comes back out: a
//! sandbox's environment gets the secret's placeholder, not its value.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `dtn_secret_<id>`: what a sandbox's environment holds in the value's place.
    pub placeholder: String,
    /// Hosts the value may be sent to (`api.example.com`, `*.example.com`); none: any.
    pub hosts: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /secret` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateSecret {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts: Option<Vec<String>>,
}

/// `PATCH /secret/{id}` body: what is given changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateSecret {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts: Option<Vec<String>>,
}

/// `GET /secret/paginated` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSecretsResponse {
    pub items: Vec<Secret>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// `PUT /sandbox/{id}/secrets` body: `[{ "ENV_VAR": "secret-name" }, …]`, the whole set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateSandboxSecrets {
    pub secrets: Vec<std::collections::BTreeMap<String, String>>,
}
