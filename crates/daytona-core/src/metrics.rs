//! `sandbox.getMetricsLatest()` and `sandbox.getMetrics(start, end)`: what a sandbox uses,
//! now and over time. Answers are handed on undecoded: the facade shapes them.

use daytona_types::api::telemetry::SANDBOX_METRICS;

use crate::call::{read, Call, Json};
use crate::context::ClientContext;
use crate::endpoints::{query, segment};
use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;
use crate::transport::{HttpRequest, Method};

/// A metrics series as its source wrote it.
pub enum MetricsAnswer {
    /// `{ series: [{ metricName, dataPoints: [{ timestamp, value }] }] }` from the API.
    Series(Json),
    /// `[{ metricName, timestamp, value }]` from the analytics API.
    Points(Json),
}

impl ClientContext {
    /// `GET /config`'s `analyticsApiUrl`, asked once per client (a failed ask is asked again).
    async fn analytics_api_url(&self) -> Result<Option<String>> {
        if let Some(known) = self.analytics_url.borrow().clone() {
            return Ok(known);
        }
        // The one field of `DaytonaConfiguration` the SDK acts on.
        let answer = self.send(HttpRequest::new(Method::Get, format!("{}/config", self.api_url()))).await?;
        let url = crate::context::decode_text(&answer.body, "analyticsApiUrl")?.filter(|u| !u.is_empty());
        *self.analytics_url.borrow_mut() = Some(url.clone());
        Ok(url)
    }
}

impl SandboxClient {
    /// `SystemMetrics`, from the sandbox's toolbox (`GET /system/metrics`).
    pub fn metrics_latest(&self) -> Call<Json> {
        self.call(HttpRequest::new(Method::Get, format!("{}/system/metrics", self.toolbox_base())), read::json)
    }

    /// The samples between two RFC 3339 times: from the analytics API when the platform has
    /// one (with the credentials alone, as the official SDK sends them), else from the API.
    pub async fn metrics(&self, from: &str, to: &str) -> Result<MetricsAnswer> {
        let ctx = self.ctx();
        let (id, org) = {
            let dto = self.dto();
            (dto.id().to_string(), dto.organization_id().to_string())
        };
        let names = SANDBOX_METRICS.iter().map(|(name, _)| *name);
        let Some(analytics) = ctx.analytics_api_url().await? else {
            let q =
                query([("from", Some(from.to_string())), ("to", Some(to.to_string()))].into_iter().chain(names.map(|n| ("metricNames", Some(n.to_string())))));
            let req = HttpRequest::new(Method::Get, format!("{}/sandbox/{}/telemetry/metrics{q}", ctx.api_url(), segment(&id)));
            return Ok(MetricsAnswer::Series(ctx.call(req, read::json).await?));
        };
        let q = query([("from", Some(from.to_string())), ("to", Some(to.to_string())), ("metricNames", Some(names.collect::<Vec<_>>().join(",")))]);
        let url = format!("{}/organization/{}/sandbox/{}/telemetry/metrics{q}", analytics.trim_end_matches('/'), segment(&org), segment(&id));
        let mut req = HttpRequest::new(Method::Get, url);
        req.headers = ctx.config().headers().into_iter().filter(|(k, _)| k == "Authorization").collect();
        let resp = ctx.transport().send(req).await?;
        if !resp.is_success() {
            return Err(Error::from_response(&resp));
        }
        Ok(MetricsAnswer::Points(Json(resp.body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{json, FakeClock, FnTransport, NoWs};
    use crate::{DaytonaClient, DaytonaConfig};
    use futures_executor::block_on;
    use std::rc::Rc;

    fn sandbox(analytics: Option<&'static str>) -> (SandboxClient, Rc<FnTransport>) {
        let t = FnTransport::new(move |req| match req.url.as_str() {
            "http://h/api/config" => json(200, serde_json::json!({ "version": "1", "analyticsApiUrl": analytics })),
            _ => json(200, serde_json::json!([])),
        });
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = DaytonaClient::new(Some(cfg), &|_| None, t.clone(), Rc::new(NoWs), FakeClock::new()).unwrap();
        let dto = serde_json::from_value(serde_json::json!({"id": "sb", "organizationId": "org", "toolboxProxyUrl": "http://h/toolbox"})).unwrap();
        (SandboxClient::new(client.context().clone(), dto), t)
    }

    #[test]
    fn series_come_from_the_api_without_an_analytics_url_and_config_is_asked_once() {
        let (sb, t) = sandbox(None);
        assert!(matches!(block_on(sb.metrics("2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z")), Ok(MetricsAnswer::Series(_))));
        block_on(sb.metrics("a", "b")).unwrap();
        let sent: Vec<String> = t.sent.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(sent.len(), 3, "{sent:?}");
        assert_eq!(sent[0], "http://h/api/config");
        assert!(sent[1].starts_with("http://h/api/sandbox/sb/telemetry/metrics?from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z&metricNames=daytona.sandbox.cpu.utilization&metricNames=daytona.sandbox.cpu.limit&"), "{}", sent[1]);
    }

    #[test]
    fn points_come_from_the_analytics_api_with_the_credentials_alone() {
        let (sb, t) = sandbox(Some("http://analytics/v1/"));
        assert!(matches!(block_on(sb.metrics("a", "b")), Ok(MetricsAnswer::Points(_))));
        let sent = t.sent.borrow();
        assert!(sent[1].url.starts_with("http://analytics/v1/organization/org/sandbox/sb/telemetry/metrics?from=a&to=b&metricNames=daytona.sandbox.cpu.utilization%2Cdaytona.sandbox.cpu.limit%2C"), "{}", sent[1].url);
        assert_eq!(sent[1].headers, [("Authorization".to_string(), "Bearer k".to_string())]);
    }
}
