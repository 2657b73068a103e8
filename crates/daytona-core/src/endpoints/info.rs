//! `{toolbox}/user-home-dir` and `{toolbox}/work-dir`: where a sandbox's user lives and works.

use crate::transport::{HttpRequest, Method};

pub fn user_home_dir(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/user-home-dir"))
}

pub fn work_dir(base: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/work-dir"))
}
