//! `{apiUrl}/volumes…`.

use daytona_types::api::volume::CreateVolume;

use super::segment;
use crate::transport::{HttpRequest, Method};

pub fn list(api: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/volumes"))
}

pub fn get_by_name(api: &str, name: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, format!("{api}/volumes/by-name/{}", segment(name)))
}

pub fn create(api: &str, name: &str) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{api}/volumes"), &CreateVolume { name: name.into() })
}

pub fn delete(api: &str, id: &str) -> HttpRequest {
    HttpRequest::new(Method::Delete, format!("{api}/volumes/{}", segment(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Body;

    #[test]
    fn requests_match_the_protocol() {
        assert_eq!(list("http://h/api").url, "http://h/api/volumes");
        assert_eq!(get_by_name("http://h/api", "my data").url, "http://h/api/volumes/by-name/my%20data");
        let c = create("http://h/api", "v");
        assert_eq!((c.method, c.body), (Method::Post, Body::Bytes(br#"{"name":"v"}"#.to_vec())));
        let d = delete("http://h/api", "id/1");
        assert_eq!((d.method, d.url.as_str()), (Method::Delete, "http://h/api/volumes/id%2F1"));
    }
}
