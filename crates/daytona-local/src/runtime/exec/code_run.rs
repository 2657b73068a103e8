//! Code in a language (`POST /process/code-run`), with matplotlib figures returned as chart
//! artifacts.

use daytona_types::toolbox::process::{CodeRunArtifacts, CodeRunRequest, CodeRunResponse, ARTIFACT_PREFIX};

use super::one_shot::run_captured;
use crate::runtime::command::sandbox_command;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// Hooks `plt.show()` to print one artifact line per figure.
const CHART_WRAPPER: &str = include_str!("chart_wrapper.py");

/// Runs TypeScript where the host's Node cannot strip types itself.
const TS_RUNNER: &str = include_str!("ts_runner.js");

/// How this host runs TypeScript: Node's own type stripping (Node >= 22.6), else the global
/// TypeScript package (the set-up installs it for the language server) transpiling it.
enum TypeScript {
    Strip,
    Transpile(String),
    Missing,
}

async fn typescript() -> &'static TypeScript {
    static HOW: tokio::sync::OnceCell<TypeScript> = tokio::sync::OnceCell::const_new();
    HOW.get_or_init(|| async {
        let output = |program: &'static str, args: &'static [&'static str]| async move {
            let out = tokio::process::Command::new(program).args(args).output().await.ok()?;
            out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        let version = output("node", &["--version"]).await.unwrap_or_default();
        let mut parts = version.trim_start_matches('v').split('.').map(|n| n.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        if (major, minor) >= (22, 6) {
            return TypeScript::Strip;
        }
        match output("npm", &["root", "-g"]).await.map(|root| format!("{root}/typescript")) {
            Some(ts) if std::path::Path::new(&ts).join("package.json").is_file() => TypeScript::Transpile(ts),
            _ => TypeScript::Missing,
        }
    })
    .await
}

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

pub async fn code_run(sandboxes: &SandboxManager, sb: &SandboxCtx, req: CodeRunRequest) -> Result<CodeRunResponse, Error> {
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
        "typescript" => match typescript().await {
            TypeScript::Strip => ("node", vec!["--experimental-strip-types".into(), "--input-type=module-typescript".into(), "-".into()], req.code.clone()),
            TypeScript::Transpile(_) => ("node", vec!["-e".into(), TS_RUNNER.into()], req.code.clone()),
            TypeScript::Missing => {
                return Err(Error::Invalid("bad request: TypeScript needs Node >= 22.6 or the typescript package installed globally on this host".into()))
            }
        },
        other => return Err(Error::Invalid(format!("bad request: unsupported language: {other}"))),
    };
    args.extend(argv);
    let mut cmd = sandbox_command(sandboxes, sb, program, None, &envs)?;
    cmd.args(&args).env("PYTHONUNBUFFERED", "1").env("MPLBACKEND", "Agg");
    if let (TypeScript::Transpile(ts), "typescript") = (typescript().await, req.language.as_str()) {
        cmd.env("DAYTONA_TYPESCRIPT", ts);
    }
    let (exit_code, out) = run_captured(sandboxes, sb, cmd, source.into_bytes(), req.timeout).await?;
    let (result, charts) = split_artifacts(&String::from_utf8_lossy(&out));
    let artifacts = (!charts.is_empty()).then_some(CodeRunArtifacts { charts });
    Ok(CodeRunResponse { exit_code, result, artifacts })
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

    proptest::proptest! {
        /// Whatever a program prints, chart lines (valid or not) are taken out whole and every
        /// other line is kept as it was; never a panic.
        #[test]
        fn any_output_splits_into_text_and_charts(
            lines in proptest::collection::vec(proptest::prop_oneof![
                ".{0,40}\\n",
                ".{0,40}",
                "dtn_artifact_k39fd2:.{0,40}\\n",
                "dtn_artifact_k39fd2:\\{\"type\":\"chart\",\"value\":\\{\"title\":\"[a-z]{0,8}\"\\}\\}\\n",
            ], 0..12),
        ) {
            let out: String = lines.concat();
            let (text, charts) = super::split_artifacts(&out);
            let kept: String = out.split_inclusive('\n').filter(|l| !l.starts_with(super::ARTIFACT_PREFIX)).collect();
            proptest::prop_assert_eq!(text, kept);
            let valid = out.split_inclusive('\n').filter(|l| l.starts_with("dtn_artifact_k39fd2:{\"type\":\"chart\"")).count();
            proptest::prop_assert_eq!(charts.len(), valid);
        }
    }
}
