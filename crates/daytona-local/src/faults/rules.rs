//! The fault rules: what a rule matches and what it does, and the set in force.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::runtime::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// `GET`, `POST`, …; any method when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A glob over the request path: `*` within one segment, `**` across segments
    /// (`/toolbox/*/process/**`).
    pub path: String,
    /// Only requests naming this sandbox (by id or name) in their path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<String>,
    /// Applies to the first `times` matching requests, then is spent; forever when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// The chance (0 to 1) that a matching request is faulted; 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    pub fault: Fault,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Fault {
    /// Answers `status` without running the request, with a `Retry-After` when given.
    Status {
        status: u16,
        #[serde(default)]
        body: FaultBody,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    /// Runs the request after `ms` milliseconds.
    Delay { ms: u64 },
    /// Runs the request, then cuts the connection after `after_bytes` bytes of the answer's
    /// body (0: before any of it). On a WebSocket, after `after_bytes` bytes of the messages
    /// the server sends, without a close frame (the client sees 1006).
    Reset {
        #[serde(default)]
        after_bytes: u64,
    },
    /// On a WebSocket: each binary message the server sends goes as two, cut inside a
    /// multi-byte UTF-8 character where it has one, as a re-framing proxy may cut them.
    /// Plain HTTP requests are run as they are.
    Split,
    /// Answers as if the sandbox did not exist (404, without running the request).
    Vanish,
    /// Puts the sandbox the path names into the `error` state (with `reason`, recoverable),
    /// then runs the request.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// What a [`Fault::Status`] answer carries: a load balancer's HTML page, nothing, or
/// Daytona's JSON error shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultBody {
    #[default]
    Html,
    Empty,
    Json,
}

/// The rules in force, each with what is left of its `times`.
#[derive(Debug, Default)]
pub struct Faults(Mutex<Vec<Rule>>);

#[derive(Debug, Serialize, Deserialize)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl Faults {
    /// Rules from a JSON file (`{ "rules": [...] }`), checked as the endpoint checks them.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let set: RuleSet = serde_json::from_slice(&std::fs::read(path)?).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let faults = Faults::default();
        faults.set(set.rules).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(faults)
    }

    pub(super) fn set(&self, rules: Vec<Rule>) -> Result<(), Error> {
        for r in &rules {
            validate(r)?;
        }
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = rules;
        Ok(())
    }

    pub(super) fn rules(&self) -> Vec<Rule> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The fault for this request, if a rule applies (counting it against its `times`).
    pub(super) fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut rules = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let at = rules.iter().position(|r| matches(r, method, path))?;
        let rule = &mut rules[at];
        if rule.probability.is_some_and(|p| rand::random::<f64>() >= p) {
            return None;
        }
        let fault = rule.fault.clone();
        if let Some(times) = &mut rule.times {
            *times -= 1;
            if *times == 0 {
                rules.remove(at);
            }
        }
        Some(fault)
    }
}

fn validate(r: &Rule) -> Result<(), Error> {
    let bad = |what: &str| Err(Error::Invalid(format!("fault rule for {}: {what}", r.path)));
    if glob::Pattern::new(&r.path).is_err() {
        return bad("path is not a valid glob");
    }
    if r.times == Some(0) {
        return bad("times must be at least 1");
    }
    if r.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
        return bad("probability must be from 0 to 1");
    }
    match &r.fault {
        Fault::Status { status, .. } if !(400..=599).contains(status) => bad("status must be from 400 to 599"),
        Fault::Delay { ms } if *ms > 600_000 => bad("delay must be at most 600000 ms"),
        _ => Ok(()),
    }
}

pub(super) fn matches(r: &Rule, method: &str, path: &str) -> bool {
    let separators = glob::MatchOptions { require_literal_separator: true, ..Default::default() };
    r.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
        && glob::Pattern::new(&r.path).is_ok_and(|p| p.matches_with(path, separators))
        && r.sandbox.as_deref().is_none_or(|s| sandbox_in(path) == Some(s))
}

/// The sandbox a path names: `/api/sandbox/{id}/…` or `/toolbox/{id}/…`.
pub(super) fn sandbox_in(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/api/sandbox/").or_else(|| path.strip_prefix("/toolbox/"))?;
    rest.split('/').next().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: serde_json::Value) -> Rule {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn rules_match_method_path_and_sandbox() {
        let r = rule(serde_json::json!({ "method": "get", "path": "/toolbox/*/files/**", "sandbox": "sb1", "fault": { "kind": "vanish" } }));
        assert!(matches(&r, "GET", "/toolbox/sb1/files/download"));
        assert!(matches(&r, "GET", "/toolbox/sb1/files/a/b"));
        assert!(!matches(&r, "POST", "/toolbox/sb1/files/download"));
        assert!(!matches(&r, "GET", "/toolbox/sb2/files/download"));
        let one = rule(serde_json::json!({ "path": "/api/sandbox/*", "fault": { "kind": "delay", "ms": 5 } }));
        assert!(matches(&one, "DELETE", "/api/sandbox/x"));
        assert!(!matches(&one, "GET", "/api/sandbox/x/start"), "* stays within a segment");
    }

    #[test]
    fn times_are_counted_and_spent_rules_go() {
        let f = Faults::default();
        f.set(vec![rule(serde_json::json!({ "path": "/api/**", "times": 2, "fault": { "kind": "status", "status": 429, "retryAfter": "1" } }))]).unwrap();
        assert!(f.take("GET", "/api/sandbox").is_some());
        assert_eq!(f.rules()[0].times, Some(1));
        assert!(f.take("GET", "/api/sandbox").is_some());
        assert!(f.take("GET", "/api/sandbox").is_none());
        assert!(f.rules().is_empty());
    }

    #[test]
    fn bad_rules_are_refused_whole() {
        let f = Faults::default();
        for bad in [
            serde_json::json!({ "path": "[", "fault": { "kind": "vanish" } }),
            serde_json::json!({ "path": "/x", "times": 0, "fault": { "kind": "vanish" } }),
            serde_json::json!({ "path": "/x", "probability": 2.0, "fault": { "kind": "vanish" } }),
            serde_json::json!({ "path": "/x", "fault": { "kind": "status", "status": 200 } }),
        ] {
            assert!(f.set(vec![rule(bad.clone())]).is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<Rule>(serde_json::json!({ "path": "/x", "fault": { "kind": "explode" } })).is_err());
        assert!(f.rules().is_empty());
    }
}
