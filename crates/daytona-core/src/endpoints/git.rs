//! `{toolbox}/git/…`.

use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitConfigRequest, GitConfigUserRequest,
    GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest, GitRestoreRequest,
};

use super::query;
use crate::transport::{HttpRequest, Method};

pub fn clone(base: &str, body: &GitCloneRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/clone"), body)
}

pub fn add(base: &str, body: &GitAddRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/add"), body)
}

pub fn commit(base: &str, body: &GitCommitRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/commit"), body)
}

pub fn push(base: &str, body: &GitRepoRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/push"), body)
}

pub fn pull(base: &str, body: &GitRepoRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/pull"), body)
}

pub fn branches(base: &str, path: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/git/branches{}", query([("path", Some(path.into()))])))
}

pub fn create_branch(base: &str, body: &GitBranchRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/branches"), body)
}

/// A DELETE with a JSON body, as the official SDK sends it.
pub fn delete_branch(base: &str, body: &GitBranchRequest) -> HttpRequest {
    HttpRequest::json(Method::Delete, format!("{base}/git/branches"), body)
}

pub fn checkout(base: &str, body: &GitCheckoutRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/checkout"), body)
}

pub fn status(base: &str, path: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/git/status{}", query([("path", Some(path.into()))])))
}

pub fn init(base: &str, body: &GitInitRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/init"), body)
}

pub fn reset(base: &str, body: &GitResetRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/reset"), body)
}

pub fn restore(base: &str, body: &GitRestoreRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/restore"), body)
}

pub fn add_remote(base: &str, body: &GitAddRemoteRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/remotes"), body)
}

pub fn remotes(base: &str, path: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{base}/git/remotes{}", query([("path", Some(path.into()))])))
}

pub fn set_config(base: &str, body: &GitConfigRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/config"), body)
}

/// `GET /git/config?key=…&path=…&scope=…`, in the generated client's order.
pub fn get_config(base: &str, key: &str, path: Option<&str>, scope: &str) -> HttpRequest {
    let q = query([("key", Some(key.into())), ("path", path.map(str::to_owned)), ("scope", Some(scope.into()))]);
    HttpRequest::new(Method::Get, format!("{base}/git/config{q}"))
}

pub fn configure_user(base: &str, body: &GitConfigUserRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/config/user"), body)
}

pub fn credentials(base: &str, body: &GitCredentialsRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/git/credentials"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_use_the_wire_names() {
        let req = clone("b", &GitCloneRequest { url: "u".into(), path: "p".into(), commit_id: Some("c".into()), ..Default::default() });
        assert_eq!(req.body.bytes(), Some(&br#"{"url":"u","path":"p","commit_id":"c"}"#[..]));
        let req = commit("b", &GitCommitRequest { path: "p".into(), message: "m".into(), author: "a".into(), email: "e".into(), allow_empty: Some(true) });
        assert_eq!(req.body.bytes(), Some(&br#"{"path":"p","message":"m","author":"a","email":"e","allow_empty":true}"#[..]));
        let req = delete_branch("b", &GitBranchRequest { path: "p".into(), name: "n".into() });
        assert_eq!((req.method, req.url.as_str()), (Method::Delete, "b/git/branches"));
        assert_eq!(status("b", "repo").url, "b/git/status?path=repo");
    }
}
