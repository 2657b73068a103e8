//! `DaytonaConfig` and its resolution against the environment.

use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::{PROTOCOL_SDK_VERSION, SDK_SOURCE};

pub const DEFAULT_API_URL: &str = "https://app.daytona.io/api";

/// What `new Daytona(config)` accepts. Unknown keys are ignored, as in the official SDK.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct DaytonaConfig {
    /// API key; or set DAYTONA_API_KEY.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub api_key: Option<String>,
    /// JWT, used with `organizationId` instead of an API key.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub jwt_token: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub organization_id: Option<String>,
    /// API base URL, e.g. `http://127.0.0.1:3986/api`; or set DAYTONA_API_URL.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub api_url: Option<String>,
    /// @deprecated Use `apiUrl`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub server_url: Option<String>,
    /// Target region; or set DAYTONA_TARGET.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub target: Option<String>,
    /// Deadline for each HTTP request in milliseconds (none by default; 0 = none).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub request_timeout_ms: Option<f64>,
    /// Retries of requests that are safe to repeat (on by default; `attempts: 0` = off).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub retry: Option<RetryConfig>,
}

/// `{ attempts, maxDelayMs }`: how many times a request may be repeated (default 3) and the
/// longest wait before one (default 20000 ms; a longer `Retry-After` is not waited for).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct RetryConfig {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub attempts: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_delay_ms: Option<f64>,
}

impl FromArg for DaytonaConfig {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(DaytonaConfig {
            api_key: f.opt("apiKey"),
            jwt_token: f.opt("jwtToken"),
            organization_id: f.opt("organizationId"),
            api_url: f.opt("apiUrl"),
            server_url: f.opt("serverUrl"),
            target: f.opt("target"),
            request_timeout_ms: f.opt("requestTimeoutMs"),
            retry: f.opt("retry"),
        })
    }
}

impl FromArg for RetryConfig {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(RetryConfig { attempts: f.opt("attempts"), max_delay_ms: f.opt("maxDelayMs") })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Credentials {
    ApiKey(String),
    Jwt { token: String, organization_id: String },
}

/// A validated configuration: credentials present, URL normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedConfig {
    pub credentials: Credentials,
    /// API base URL without a trailing slash.
    pub api_url: String,
    pub target: Option<String>,
    /// Default per-request deadline; `None` or `Some(0)` = none.
    pub request_timeout_ms: Option<u64>,
    pub retry: RetryPolicy,
}

fn retry_policy(given: Option<RetryConfig>) -> Result<RetryPolicy> {
    let mut policy = RetryPolicy::default();
    let Some(c) = given else { return Ok(policy) };
    let count = |v: f64, what: &str, max: f64| {
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= max {
            Ok(v)
        } else {
            Err(Error::InvalidArgument(format!("retry.{what} must be a whole number from 0 to {max}")))
        }
    };
    if let Some(n) = c.attempts {
        policy.attempts = count(n, "attempts", 10.0)? as u32;
    }
    if let Some(ms) = c.max_delay_ms {
        policy.max_delay_ms = count(ms, "maxDelayMs", 3_600_000.0)? as u64;
    }
    Ok(policy)
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

impl ResolvedConfig {
    /// Resolves like the official constructor: explicit config wins; the environment
    /// (`env`, which the facade reads from `process.env` only where it exists) fills gaps
    /// when the config is absent or incomplete.
    pub fn resolve(config: Option<DaytonaConfig>, env: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        let given = config.is_some();
        let c = config.unwrap_or_default();
        if let Some(ms) = c.request_timeout_ms {
            if !ms.is_finite() || ms < 0.0 {
                return Err(Error::InvalidArgument("requestTimeoutMs must be a non-negative finite number of milliseconds".into()));
            }
        }
        let retry = retry_policy(c.retry)?;
        let mut jwt = non_empty(c.jwt_token);
        // A JWT without an API key means JWT mode: the env API key must not take over.
        let mut api_key = non_empty(c.api_key);
        let mut org = non_empty(c.organization_id);
        let mut api_url = non_empty(c.api_url).or(non_empty(c.server_url));
        let mut target = non_empty(c.target);

        let complete =
            (api_key.is_some() && api_url.is_some() && target.is_some()) || (jwt.is_some() && org.is_some() && api_url.is_some() && target.is_some());
        if !given || !complete {
            let get = |k: &str| non_empty(env(k));
            if api_key.is_none() && jwt.is_none() {
                api_key = get("DAYTONA_API_KEY");
            }
            jwt = jwt.or_else(|| get("DAYTONA_JWT_TOKEN"));
            org = org.or_else(|| get("DAYTONA_ORGANIZATION_ID"));
            api_url = api_url.or_else(|| get("DAYTONA_API_URL")).or_else(|| get("DAYTONA_SERVER_URL"));
            target = target.or_else(|| get("DAYTONA_TARGET"));
        }

        let credentials = match (api_key, jwt) {
            (Some(key), _) => Credentials::ApiKey(key),
            (None, Some(token)) => match org {
                Some(organization_id) => Credentials::Jwt { token, organization_id },
                None => {
                    return Err(Error::Authentication(
                        "DAYTONA_ORGANIZATION_ID is required when authenticating with DAYTONA_JWT_TOKEN. \
                         It can also be provided via DaytonaConfig."
                            .into(),
                    ))
                }
            },
            (None, None) => {
                return Err(Error::Authentication(
                    "Authentication credentials not found. Set DAYTONA_API_KEY, or both DAYTONA_JWT_TOKEN \
                     and DAYTONA_ORGANIZATION_ID. These can also be provided via DaytonaConfig."
                        .into(),
                ))
            }
        };
        let api_url = api_url.unwrap_or_else(|| DEFAULT_API_URL.to_string()).trim_end_matches('/').to_string();
        Ok(ResolvedConfig { credentials, api_url, target, request_timeout_ms: c.request_timeout_ms.map(|ms| ms as u64), retry })
    }

    /// Headers sent on every API and toolbox request. `User-Agent` is left to
    /// the transport: browsers and Workers may not set it.
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![("X-Daytona-Source".to_string(), SDK_SOURCE.to_string()), ("X-Daytona-SDK-Version".to_string(), PROTOCOL_SDK_VERSION.to_string())];
        match &self.credentials {
            Credentials::ApiKey(key) => h.push(("Authorization".into(), format!("Bearer {key}"))),
            Credentials::Jwt { token, organization_id } => {
                h.push(("Authorization".into(), format!("Bearer {token}")));
                h.push(("X-Daytona-Organization-ID".into(), organization_id.clone()));
            }
        }
        h
    }

    /// The organization header configured for JWT mode, which overrides per-call org headers.
    pub fn organization_id(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::Jwt { organization_id, .. } => Some(organization_id),
            Credentials::ApiKey(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }
    const NO_ENV: &[(&str, &str)] = &[];

    #[test]
    fn explicit_config_wins_over_env() {
        let env = env_of(&[("DAYTONA_API_KEY", "envkey"), ("DAYTONA_API_URL", "http://env/api")]);
        let c = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://x/api/".into()), ..Default::default() };
        let r = ResolvedConfig::resolve(Some(c), &env).unwrap();
        assert_eq!(r.credentials, Credentials::ApiKey("k".into()));
        assert_eq!(r.api_url, "http://x/api");
    }

    #[test]
    fn env_fills_gaps_and_default_url_applies() {
        let r = ResolvedConfig::resolve(None, &env_of(&[("DAYTONA_API_KEY", "e"), ("DAYTONA_TARGET", "eu")])).unwrap();
        assert_eq!(r.credentials, Credentials::ApiKey("e".into()));
        assert_eq!(r.api_url, DEFAULT_API_URL);
        assert_eq!(r.target.as_deref(), Some("eu"));
    }

    #[test]
    fn jwt_mode_ignores_env_api_key_and_sends_org_header() {
        let env = env_of(&[("DAYTONA_API_KEY", "envkey"), ("DAYTONA_ORGANIZATION_ID", "org-1")]);
        let c = DaytonaConfig { jwt_token: Some("jwt".into()), ..Default::default() };
        let r = ResolvedConfig::resolve(Some(c), &env).unwrap();
        assert_eq!(r.credentials, Credentials::Jwt { token: "jwt".into(), organization_id: "org-1".into() });
        let h = r.headers();
        assert!(h.contains(&("Authorization".into(), "Bearer jwt".into())));
        assert!(h.contains(&("X-Daytona-Organization-ID".into(), "org-1".into())));
    }

    #[test]
    fn missing_credentials_and_missing_org_are_authentication_errors() {
        assert!(
            matches!(ResolvedConfig::resolve(None, &env_of(NO_ENV)), Err(Error::Authentication(m)) if m.starts_with("Authentication credentials not found"))
        );
        let c = DaytonaConfig { jwt_token: Some("jwt".into()), ..Default::default() };
        assert!(matches!(ResolvedConfig::resolve(Some(c), &env_of(NO_ENV)), Err(Error::Authentication(m)) if m.contains("ORGANIZATION_ID")));
    }

    #[test]
    fn bad_request_timeout_is_rejected() {
        let c = DaytonaConfig { api_key: Some("k".into()), request_timeout_ms: Some(-1.0), ..Default::default() };
        assert!(matches!(ResolvedConfig::resolve(Some(c), &env_of(NO_ENV)), Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn api_key_headers_name_this_sdk_and_protocol_version() {
        let c = DaytonaConfig { api_key: Some("k".into()), ..Default::default() };
        let h = ResolvedConfig::resolve(Some(c), &env_of(NO_ENV)).unwrap().headers();
        assert!(h.contains(&("X-Daytona-Source".into(), SDK_SOURCE.into())));
        assert!(h.contains(&("X-Daytona-SDK-Version".into(), PROTOCOL_SDK_VERSION.into())));
        assert!(!h.iter().any(|(k, _)| k == "X-Daytona-Organization-ID"));
    }
}
