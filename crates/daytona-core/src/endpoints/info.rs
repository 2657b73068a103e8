//! `{toolbox}/user-home-dir`, `{toolbox}/work-dir` and `{toolbox}/env`: where a sandbox's
//! user lives and works, and the environment its new processes get.

use daytona_types::toolbox::UpdateEnvRequest;

use crate::transport::{HttpRequest, Method};

pub fn user_home_dir(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/user-home-dir"))
}

pub fn work_dir(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/work-dir"))
}

/// `POST {toolbox}/env`.
pub fn update_env(base: &str, req: &UpdateEnvRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/env"), req)
}
