//! `{toolbox}/process/…`: commands, code-run and sessions.

use daytona_types::toolbox::process::{CodeRunRequest, CreateSessionRequest, ExecuteRequest, SessionExecuteRequest, SessionInputRequest};

use super::segment;
use crate::transport::{HttpRequest, Method};

pub fn execute(base: &str, body: &ExecuteRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/process/execute"), body)
}

pub fn code_run(base: &str, body: &CodeRunRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/process/code-run"), body)
}

pub fn create_session(base: &str, session_id: &str) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/process/session"), &CreateSessionRequest { session_id: session_id.into() })
}

pub fn list_sessions(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/process/session"))
}

pub fn get_session(base: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/process/session/{}", segment(id)))
}

pub fn delete_session(base: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, format!("{base}/process/session/{}", segment(id)))
}

pub fn session_exec(base: &str, id: &str, body: &SessionExecuteRequest, timeout_s: Option<f64>) -> HttpRequest {
    let mut req = HttpRequest::json(Method::Post, format!("{base}/process/session/{}/exec", segment(id)), body);
    req.timeout_ms = timeout_s.filter(|t| *t > 0.0).map(|t| (t * 1000.0) as u64);
    req
}

pub fn session_command(base: &str, id: &str, cmd: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/process/session/{}/command/{}", segment(id), segment(cmd)))
}

pub fn session_command_logs(base: &str, id: &str, cmd: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/process/session/{}/command/{}/logs", segment(id), segment(cmd)))
}

/// `GET /process/session/entrypoint/logs`: the output of the sandbox's entrypoint.
pub fn entrypoint_logs(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/process/session/entrypoint/logs"))
}

pub fn session_input(base: &str, id: &str, cmd: &str, data: &str) -> HttpRequest {
    let body = SessionInputRequest { data: data.into() };
    HttpRequest::json(Method::Post, format!("{base}/process/session/{}/command/{}/input", segment(id), segment(cmd)), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_paths() {
        let req = execute("b", &ExecuteRequest { command: "echo hi".into(), timeout: Some(5), cwd: Some("/tmp".into()), envs: None });
        assert_eq!(req.body.bytes(), Some(&br#"{"command":"echo hi","timeout":5,"cwd":"/tmp"}"#[..]));
        let req = session_exec("b", "s 1", &SessionExecuteRequest { command: "ls".into(), run_async: Some(true), ..Default::default() }, Some(2.0));
        assert_eq!((req.url.as_str(), req.timeout_ms), ("b/process/session/s%201/exec", Some(2000)));
        assert_eq!(req.body.bytes(), Some(&br#"{"command":"ls","runAsync":true}"#[..]));
        assert_eq!(session_input("b", "s", "c", "x").url, "b/process/session/s/command/c/input");
    }
}
