//! `GET /sandbox/{id}/telemetry/metrics`: a sandbox's resource use over time, one series per
//! metric.

use serde::{Deserialize, Serialize};

/// The metrics the SDK asks for, and the `SandboxMetrics` field each fills.
pub const SANDBOX_METRICS: [(&str, &str); 7] = [
    ("daytona.sandbox.cpu.utilization", "cpuUsedPct"),
    ("daytona.sandbox.cpu.limit", "cpuCount"),
    ("daytona.sandbox.memory.usage", "memUsed"),
    ("daytona.sandbox.memory.limit", "memTotal"),
    ("daytona.sandbox.memory.cache", "memCache"),
    ("daytona.sandbox.filesystem.usage", "diskUsed"),
    ("daytona.sandbox.filesystem.total", "diskTotal"),
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricsResponse {
    pub series: Vec<MetricSeries>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricSeries {
    pub metric_name: String,
    pub data_points: Vec<MetricDataPoint>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricDataPoint {
    /// RFC 3339.
    pub timestamp: String,
    pub value: f64,
}
