//! SDK-level parameter shapes (what JS callers pass), validated and turned into wire bodies.
//! Field names copy the official SDK so the same objects work unchanged.

use std::collections::BTreeMap;

use daytona_types::api::sandbox::{BuildInfo, CreateSandbox, ResizeSandbox, SandboxVolume};
use daytona_types::api::snapshot::CreateSnapshot;
use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::error::{Error, Result};

pub const CODE_TOOLBOX_LANGUAGE_LABEL: &str = "code-toolbox-language";
const LANGUAGES: [&str; 3] = ["python", "typescript", "javascript"];

/// `gpuType` may be one value or a list; the wire always wants a list.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

impl FromArg for OneOrMany {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        match v {
            Value::String(s) => Ok(OneOrMany::One(s.clone())),
            _ => Ok(OneOrMany::Many(FromArg::from_arg(v, name)?)),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct Resources {
    /// CPU cores.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub cpu: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub gpu: Option<f64>,
    /// Memory in GiB.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub memory: Option<f64>,
    /// Disk in GiB.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub disk: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(optional, type = "GpuType | GpuType[]"))]
    pub gpu_type: Option<OneOrMany>,
}

impl FromArg for Resources {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(Resources { cpu: f.opt("cpu"), gpu: f.opt("gpu"), memory: f.opt("memory"), disk: f.opt("disk"), gpu_type: f.opt("gpuType") })
    }
}

/// `CreateSandboxFromSnapshotParams | CreateSandboxFromImageParams`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateSandboxParams {
    pub name: Option<String>,
    pub user: Option<String>,
    pub language: Option<String>,
    pub env_vars: Option<BTreeMap<String, String>>,
    pub labels: Option<BTreeMap<String, String>>,
    pub public: Option<bool>,
    pub auto_stop_interval: Option<f64>,
    pub auto_archive_interval: Option<f64>,
    pub auto_delete_interval: Option<f64>,
    pub auto_pause_interval: Option<f64>,
    pub ttl_minutes: Option<f64>,
    pub volumes: Option<Vec<SandboxVolume>>,
    pub kvm: Option<bool>,
    pub network_block_all: Option<bool>,
    pub network_allow_list: Option<String>,
    pub domain_allow_list: Option<String>,
    pub outbound_proxy_url: Option<String>,
    pub otel_endpoint_override: Option<String>,
    pub ephemeral: Option<bool>,
    pub spot: Option<bool>,
    pub linked_sandbox: Option<String>,
    /// Environment variable → secret name.
    pub secrets: Option<BTreeMap<String, String>>,
    pub snapshot: Option<String>,
    /// An image name: the Dockerfile `FROM <image>`.
    pub image: Option<String>,
    /// An `Image` object's Dockerfile (the facade reads it from the object).
    pub dockerfile: Option<String>,
    /// The uploaded context of that `Image` (set by the facade).
    pub context_hashes: Vec<String>,
    pub resources: Option<Resources>,
}

impl FromArg for CreateSandboxParams {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(CreateSandboxParams {
            name: f.opt("name"),
            user: f.opt("user"),
            language: f.opt("language"),
            env_vars: f.opt("envVars"),
            labels: f.opt("labels"),
            public: f.opt("public"),
            auto_stop_interval: f.opt("autoStopInterval"),
            auto_archive_interval: f.opt("autoArchiveInterval"),
            auto_delete_interval: f.opt("autoDeleteInterval"),
            auto_pause_interval: f.opt("autoPauseInterval"),
            ttl_minutes: f.opt("ttlMinutes"),
            volumes: f.opt("volumes"),
            kvm: f.opt("kvm"),
            network_block_all: f.opt("networkBlockAll"),
            network_allow_list: f.opt("networkAllowList"),
            domain_allow_list: f.opt("domainAllowList"),
            outbound_proxy_url: f.opt("outboundProxyUrl"),
            otel_endpoint_override: f.opt("otelEndpointOverride"),
            ephemeral: f.opt("ephemeral"),
            spot: f.opt("spot"),
            linked_sandbox: f.opt("linkedSandbox"),
            secrets: f.opt("secrets"),
            snapshot: f.opt("snapshot"),
            image: f.opt("image"),
            dockerfile: None,
            context_hashes: Vec::new(),
            resources: f.opt("resources"),
        })
    }
}

/// Checks that an interval in minutes is a non-negative integer, as the official SDK does.
pub fn minutes(name: &str, v: f64) -> Result<i64> {
    if v.fract() != 0.0 || v < 0.0 || !v.is_finite() {
        return Err(Error::InvalidArgument(format!("{name} must be a non-negative integer")));
    }
    Ok(v as i64)
}

/// Checks that an interval in minutes is a whole number (negative allowed: auto-delete
/// uses it for "never").
pub fn whole_minutes(name: &str, v: f64) -> Result<i64> {
    if v.fract() != 0.0 || !v.is_finite() {
        return Err(Error::InvalidArgument(format!("{name} must be an integer")));
    }
    Ok(v as i64)
}

/// Checks an operation timeout in seconds (0 = none).
pub fn timeout_secs(v: Option<f64>, default: f64) -> Result<f64> {
    let t = v.unwrap_or(default);
    if t.is_nan() || t < 0.0 || !t.is_finite() {
        return Err(Error::InvalidArgument("Timeout must be a non-negative number".into()));
    }
    Ok(t)
}

impl CreateSandboxParams {
    /// Validates and builds the `POST /sandbox` body.
    pub fn into_body(self, target: Option<String>) -> Result<CreateSandbox> {
        let language = self.language.unwrap_or_else(|| "python".into());
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(Error::InvalidArgument(format!("Invalid {CODE_TOOLBOX_LANGUAGE_LABEL}: {language}. Supported languages: {}", LANGUAGES.join(", "))));
        }
        if self.snapshot.is_some() && (self.image.is_some() || self.dockerfile.is_some()) {
            return Err(Error::InvalidArgument("Specify either snapshot or image, not both".into()));
        }
        let auto_stop_interval = self.auto_stop_interval.map(|v| minutes("autoStopInterval", v)).transpose()?;
        let auto_pause_interval = self.auto_pause_interval.map(|v| minutes("autoPauseInterval", v)).transpose()?;
        let auto_archive_interval = self.auto_archive_interval.map(|v| minutes("autoArchiveInterval", v)).transpose()?;
        let ttl_minutes = self.ttl_minutes.map(|v| minutes("ttlMinutes", v)).transpose()?;
        let mut auto_delete_interval = self.auto_delete_interval.map(|v| whole_minutes("autoDeleteInterval", v)).transpose()?;
        let pausing = auto_pause_interval.is_some_and(|p| p != 0);
        if pausing && auto_stop_interval.is_some_and(|s| s != 0) {
            return Err(Error::InvalidArgument(
                "autoStopInterval and autoPauseInterval are mutually exclusive. Set at most one of them to a non-zero value".into(),
            ));
        }
        if pausing && (self.ephemeral == Some(true) || auto_delete_interval == Some(0)) {
            return Err(Error::InvalidArgument("Ephemeral sandboxes cannot have auto-pause enabled. Set autoPauseInterval to 0".into()));
        }
        if self.ephemeral == Some(true) {
            auto_delete_interval = Some(0);
        }
        let mut labels = self.labels.unwrap_or_default();
        labels.insert(CODE_TOOLBOX_LANGUAGE_LABEL.into(), language);
        let res = self.resources.unwrap_or_default();
        Ok(CreateSandbox {
            name: self.name,
            snapshot: self.snapshot,
            // As the official SDK: a name is `FROM <name>`; an Image also sends its (here
            // always empty) context hashes.
            build_info: match (self.dockerfile, self.image) {
                (Some(content), _) => Some(BuildInfo { dockerfile_content: Some(content), context_hashes: Some(self.context_hashes), ..Default::default() }),
                (None, Some(image)) => Some(BuildInfo { dockerfile_content: Some(format!("FROM {image}\n")), ..Default::default() }),
                (None, None) => None,
            },
            user: self.user,
            env: self.env_vars.unwrap_or_default(),
            labels,
            public: self.public,
            target,
            cpu: res.cpu,
            gpu: res.gpu,
            memory: res.memory,
            disk: res.disk,
            gpu_type: res.gpu_type.map(OneOrMany::into_vec),
            auto_stop_interval,
            auto_archive_interval,
            auto_delete_interval,
            volumes: self.volumes,
            network_block_all: self.network_block_all,
            network_allow_list: self.network_allow_list,
            auto_pause_interval,
            ttl_minutes,
            kvm: self.kvm,
            spot: self.spot,
            domain_allow_list: self.domain_allow_list,
            outbound_proxy_url: self.outbound_proxy_url,
            otel_endpoint_override: self.otel_endpoint_override,
            linked_sandbox: self.linked_sandbox,
            // As the official SDK sends them: one single-key object per variable.
            secrets: self.secrets.map(|s| s.into_iter().map(|(var, name)| BTreeMap::from([(var, name)])).collect()),
        })
    }
}

/// `daytona.snapshot.create(params)`. `image` is an image name; an `Image` arrives as its
/// Dockerfile (set by the facade).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct CreateSnapshotParams {
    pub name: String,
    #[cfg_attr(feature = "ts", tsify(type = "string | Image"))]
    pub image: Option<String>,
    #[cfg_attr(feature = "ts", serde(skip))]
    pub dockerfile: Option<String>,
    /// The uploaded context of that `Image` (set by the facade).
    #[cfg_attr(feature = "ts", serde(skip))]
    pub context_hashes: Vec<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub entrypoint: Option<Vec<String>>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub resources: Option<Resources>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub region_id: Option<String>,
}

impl FromArg for CreateSnapshotParams {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(CreateSnapshotParams {
            name: f.required("name"),
            image: f.opt("image"),
            dockerfile: None,
            context_hashes: Vec::new(),
            entrypoint: f.opt("entrypoint"),
            resources: f.opt("resources"),
            region_id: f.opt("regionId"),
        })
    }
}

impl CreateSnapshotParams {
    /// The `POST /snapshots` body: a name goes as `imageName` with the
    /// entrypoint beside it; a Dockerfile as `buildInfo` with the entrypoint appended to it.
    pub fn into_body(self, target: Option<String>) -> Result<CreateSnapshot> {
        let (image_name, entrypoint, build_info) = match (self.dockerfile, self.image) {
            (Some(mut dockerfile), _) => {
                if let Some(args) = &self.entrypoint {
                    let mut image = crate::image::Image::default();
                    image.entrypoint(args);
                    dockerfile += image.dockerfile();
                }
                (None, None, Some(BuildInfo { dockerfile_content: Some(dockerfile), context_hashes: Some(self.context_hashes), ..Default::default() }))
            }
            (None, Some(name)) => (Some(name), self.entrypoint, None),
            (None, None) => return Err(Error::InvalidArgument("image is required: an image name or an Image".into())),
        };
        let res = self.resources.unwrap_or_default();
        Ok(CreateSnapshot {
            name: self.name,
            image_name,
            entrypoint,
            build_info,
            cpu: res.cpu,
            gpu: res.gpu,
            memory: res.memory,
            disk: res.disk,
            gpu_type: res.gpu_type.map(OneOrMany::into_vec),
            region_id: self.region_id.or(target),
        })
    }
}

/// `sandbox.resize(resources)`: only cpu, memory and disk may change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResizeParams {
    pub cpu: Option<f64>,
    pub memory: Option<f64>,
    pub disk: Option<f64>,
    pub gpu: Option<Value>,
    pub gpu_type: Option<Value>,
}

impl FromArg for ResizeParams {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(ResizeParams { cpu: f.opt("cpu"), memory: f.opt("memory"), disk: f.opt("disk"), gpu: f.opt("gpu"), gpu_type: f.opt("gpuType") })
    }
}

impl ResizeParams {
    pub fn into_body(self) -> Result<ResizeSandbox> {
        if self.gpu.is_some() || self.gpu_type.is_some() {
            return Err(Error::InvalidArgument("Resize does not support changes to gpu or gpuType — to change GPU, create a new Sandbox".into()));
        }
        Ok(ResizeSandbox { cpu: self.cpu, memory: self.memory, disk: self.disk })
    }
}

/// `daytona.findOne(filter)`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(hashmap_as_object))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct SandboxFilter {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub id_or_name: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub id: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub name: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub labels: Option<BTreeMap<String, String>>,
}

impl FromArg for SandboxFilter {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(SandboxFilter { id_or_name: f.opt("idOrName"), id: f.opt("id"), name: f.opt("name"), labels: f.opt("labels") })
    }
}

/// The current official SDK's `list(query)`: filters and sorting of `GET /sandbox`. Times are
/// ISO 8601 strings (JSON's form of a `Date`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListSandboxesQuery {
    pub limit: Option<u64>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
    pub states: Option<Vec<String>>,
    pub snapshots: Option<Vec<String>>,
    pub targets: Option<Vec<String>>,
    pub min_cpu: Option<f64>,
    pub max_cpu: Option<f64>,
    pub min_memory_gib: Option<f64>,
    pub max_memory_gib: Option<f64>,
    pub min_disk_gib: Option<f64>,
    pub max_disk_gib: Option<f64>,
    pub is_public: Option<bool>,
    pub is_recoverable: Option<bool>,
    pub created_at_after: Option<String>,
    pub created_at_before: Option<String>,
    pub last_activity_after: Option<String>,
    pub last_activity_before: Option<String>,
    pub auto_destroy_at_after: Option<String>,
    pub auto_destroy_at_before: Option<String>,
}

impl FromArg for ListSandboxesQuery {
    /// Refuses keys a query does not have, so labels passed where a query belongs get a clear
    /// error instead of a list of everything.
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        if let Some(k) = f.keys().find(|k| !Self::KEYS.contains(k)) {
            return Err(Error::InvalidArgument(format!(
                "list query has no field `{k}` (filter by labels with {{ labels: {{ ... }} }}, or await list(labels, page, limit))"
            )));
        }
        f.done(ListSandboxesQuery {
            limit: f.opt("limit"),
            sort: f.opt("sort"),
            order: f.opt("order"),
            id: f.opt("id"),
            name: f.opt("name"),
            labels: f.opt("labels"),
            states: f.opt("states"),
            snapshots: f.opt("snapshots"),
            targets: f.opt("targets"),
            min_cpu: f.opt("minCpu"),
            max_cpu: f.opt("maxCpu"),
            min_memory_gib: f.opt("minMemoryGib"),
            max_memory_gib: f.opt("maxMemoryGib"),
            min_disk_gib: f.opt("minDiskGib"),
            max_disk_gib: f.opt("maxDiskGib"),
            is_public: f.opt("isPublic"),
            is_recoverable: f.opt("isRecoverable"),
            created_at_after: f.opt("createdAtAfter"),
            created_at_before: f.opt("createdAtBefore"),
            last_activity_after: f.opt("lastActivityAfter"),
            last_activity_before: f.opt("lastActivityBefore"),
            auto_destroy_at_after: f.opt("autoDestroyAtAfter"),
            auto_destroy_at_before: f.opt("autoDestroyAtBefore"),
        })
    }
}

impl ListSandboxesQuery {
    const KEYS: [&'static str; 23] = [
        "limit",
        "sort",
        "order",
        "id",
        "name",
        "labels",
        "states",
        "snapshots",
        "targets",
        "minCpu",
        "maxCpu",
        "minMemoryGib",
        "maxMemoryGib",
        "minDiskGib",
        "maxDiskGib",
        "isPublic",
        "isRecoverable",
        "createdAtAfter",
        "createdAtBefore",
        "lastActivityAfter",
        "lastActivityBefore",
        "autoDestroyAtAfter",
        "autoDestroyAtBefore",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_sends_todays_parameters_as_the_official_sdk_does() {
        let p = CreateSandboxParams {
            secrets: Some([("B".into(), "b-secret".into()), ("A".into(), "a-secret".into())].into()),
            linked_sandbox: Some("other".into()),
            domain_allow_list: Some("example.com".into()),
            ttl_minutes: Some(30.0),
            auto_pause_interval: Some(0.0),
            ..Default::default()
        };
        let body = serde_json::to_value(p.into_body(None).unwrap()).unwrap();
        assert_eq!(body["secrets"], serde_json::json!([{ "A": "a-secret" }, { "B": "b-secret" }]));
        assert_eq!((body["linkedSandbox"].as_str(), body["domainAllowList"].as_str()), (Some("other"), Some("example.com")));
        assert_eq!((body["ttlMinutes"].as_i64(), body["autoPauseInterval"].as_i64()), (Some(30), Some(0)));
        let both = CreateSandboxParams { auto_stop_interval: Some(5.0), auto_pause_interval: Some(5.0), ..Default::default() };
        assert!(matches!(both.into_body(None), Err(Error::InvalidArgument(m)) if m.contains("mutually exclusive")));
        let ephemeral = CreateSandboxParams { ephemeral: Some(true), auto_pause_interval: Some(5.0), ..Default::default() };
        assert!(matches!(ephemeral.into_body(None), Err(Error::InvalidArgument(m)) if m.starts_with("Ephemeral sandboxes")));
    }

    #[test]
    fn create_body_matches_the_official_minimal_body() {
        let p = CreateSandboxParams {
            env_vars: Some([("A".into(), "1".into())].into()),
            labels: Some([("x".into(), "y".into())].into()),
            auto_stop_interval: Some(10.0),
            ..Default::default()
        };
        let body = p.into_body(Some("us".into())).unwrap();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"env":{"A":"1"},"labels":{"code-toolbox-language":"python","x":"y"},"target":"us","autoStopInterval":10}"#
        );
    }

    #[test]
    fn image_name_becomes_a_from_line_and_gpu_type_a_list() {
        let p = CreateSandboxParams {
            image: Some("python:3.12".into()),
            resources: Some(Resources { cpu: Some(2.0), gpu_type: Some(OneOrMany::One("H100".into())), ..Default::default() }),
            ..Default::default()
        };
        let body = p.into_body(None).unwrap();
        assert_eq!(body.build_info.unwrap().dockerfile_content.as_deref(), Some("FROM python:3.12\n"));
        assert_eq!(body.gpu_type, Some(vec!["H100".to_string()]));
        assert_eq!(body.cpu, Some(2.0));
        let from_image = CreateSandboxParams { dockerfile: Some("FROM b\n".into()), ..Default::default() }.into_body(None).unwrap();
        assert_eq!(serde_json::to_value(from_image.build_info).unwrap(), serde_json::json!({"dockerfileContent": "FROM b\n", "contextHashes": []}));
    }

    #[test]
    fn validation_errors() {
        let bad = |p: CreateSandboxParams| matches!(p.into_body(None), Err(Error::InvalidArgument(_)));
        assert!(bad(CreateSandboxParams { language: Some("cobol".into()), ..Default::default() }));
        assert!(bad(CreateSandboxParams { auto_stop_interval: Some(-1.0), ..Default::default() }));
        assert!(bad(CreateSandboxParams { auto_archive_interval: Some(1.5), ..Default::default() }));
        assert!(bad(CreateSandboxParams { snapshot: Some("s".into()), image: Some("i".into()), ..Default::default() }));
        assert!(timeout_secs(Some(-1.0), 60.0).is_err());
        assert_eq!(timeout_secs(None, 60.0).unwrap(), 60.0);
    }

    #[test]
    fn ephemeral_forces_auto_delete_zero() {
        let p = CreateSandboxParams { ephemeral: Some(true), auto_delete_interval: Some(30.0), ..Default::default() };
        assert_eq!(p.into_body(None).unwrap().auto_delete_interval, Some(0));
    }

    #[test]
    fn params_are_read_from_the_callers_json() {
        let given = serde_json::json!({
            "language": "typescript", "envVars": { "A": "1" }, "autoStopInterval": 0, "unknown": true,
            "resources": { "cpu": 2, "gpuType": ["H100"] }, "volumes": [{ "volumeId": "v", "mountPath": "/data" }], "snapshot": null,
        });
        let p = CreateSandboxParams::from_arg(&given, "params").unwrap();
        assert_eq!((p.language.as_deref(), p.auto_stop_interval, p.snapshot), (Some("typescript"), Some(0.0), None));
        assert_eq!(p.resources.unwrap().gpu_type, Some(OneOrMany::Many(vec!["H100".into()])));
        assert_eq!(p.volumes.unwrap()[0].mount_path, "/data");
        // A wrong field is named, also inside a nested object.
        let bad = serde_json::json!({ "resources": { "cpu": "lots" } });
        assert!(matches!(CreateSandboxParams::from_arg(&bad, "params"), Err(Error::InvalidArgument(m)) if m == "invalid argument: `cpu` must be a number"));
        let labels_as_query = serde_json::json!({ "team": "a" });
        assert!(matches!(ListSandboxesQuery::from_arg(&labels_as_query, "query"), Err(Error::InvalidArgument(m)) if m.contains("no field `team`")));
        let query = ListSandboxesQuery::from_arg(&serde_json::json!({ "states": ["started"], "limit": 5 }), "query").unwrap();
        assert_eq!((query.states, query.limit), (Some(vec!["started".to_string()]), Some(5)));
    }

    #[test]
    fn resize_rejects_gpu() {
        let p = ResizeParams { gpu: Some(serde_json::json!(1)), ..Default::default() };
        assert!(matches!(p.into_body(), Err(Error::InvalidArgument(m)) if m.contains("gpu")));
        let ok = ResizeParams { cpu: Some(2.0), ..Default::default() }.into_body().unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"cpu":2}"#);
    }
}
