//! `POST /process/code-run` (protocol §7.4): code in the sandbox's language, with
//! matplotlib figures returned as chart artifacts (§11).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use daytona_types::toolbox::process::{CodeRunArtifacts, CodeRunRequest, CodeRunResponse, ARTIFACT_PREFIX};

use super::execute::run_captured;
use super::{sandbox_command, SandboxCtx};
use crate::error::{ApiError, AppJson};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/process/code-run", post(code_run))
}

/// Hooks `plt.show()` to print one artifact line per figure.
const CHART_WRAPPER: &str = include_str!("chart_wrapper.py");

/// Splits artifact lines (charts) out of the output.
fn split_artifacts(output: &str) -> (String, Vec<serde_json::Value>) {
    let mut text = String::with_capacity(output.len());
    let mut charts = Vec::new();
    for line in output.split_inclusive('\n') {
        match line.strip_prefix(ARTIFACT_PREFIX) {
            Some(json) => {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(json.trim_end()) {
                    if v["type"] == "chart" {
                        charts.push(v["value"].clone());
                    }
                }
            }
            None => text.push_str(line),
        }
    }
    (text, charts)
}

async fn code_run(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<CodeRunRequest>) -> Result<Json<CodeRunResponse>, ApiError> {
    let argv = req.argv.clone().unwrap_or_default();
    let envs = req.envs.clone().unwrap_or_default();
    let (program, mut args, source): (&str, Vec<String>, String) = match req.language.as_str() {
        "python" => {
            let code = if req.code.contains("matplotlib") { format!("{CHART_WRAPPER}\n{}", req.code) } else { req.code.clone() };
            ("python3", vec!["-u".into(), "-".into()], code)
        }
        // `node -` reads the program from stdin; like Daytona's daemon, drop the "-" so that
        // `process.argv` is `[node, ...argv]`.
        "javascript" => ("node", vec!["-".into()], format!("process.argv.splice(1, 1);\n{}", req.code)),
        "typescript" => ("node", vec!["--experimental-strip-types".into(), "--input-type=module-typescript".into(), "-".into()], req.code.clone()),
        other => return Err(ApiError::BadRequest(format!("bad request: unsupported language: {other}"))),
    };
    args.extend(argv);
    let mut cmd = sandbox_command(&state, &sb, program, None, &envs)?;
    cmd.args(&args).env("PYTHONUNBUFFERED", "1").env("MPLBACKEND", "Agg");
    let (exit_code, out) = run_captured(&state, &sb, cmd, source.into_bytes(), req.timeout).await?;
    let (result, charts) = split_artifacts(&String::from_utf8_lossy(&out));
    let artifacts = (!charts.is_empty()).then_some(CodeRunArtifacts { charts });
    Ok(Json(CodeRunResponse { exit_code, result, artifacts }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn artifact_lines_become_charts() {
        let out = "a\ndtn_artifact_k39fd2:{\"type\":\"chart\",\"value\":{\"type\":\"line\"}}\nb\n";
        let (text, charts) = super::split_artifacts(out);
        assert_eq!(text, "a\nb\n");
        assert_eq!(charts, vec![serde_json::json!({"type": "line"})]);
    }
}
