//! `{toolbox}/files…`. `base` is `{toolboxProxyUrl}/{sandboxId}`.

use daytona_types::toolbox::files::{DownloadFilesRequest, ReplaceRequest};

use super::query;
use crate::transport::{Body, FormPart, FormValue, HttpRequest, Method};

fn at(method: Method, base: &str, path: &str, q: String) -> HttpRequest {
    HttpRequest::new(method, format!("{base}/files{path}{q}"))
}

/// `GET /files?path=…&depth=…` (`depth` levels below `path`, 1 when absent).
pub fn list(base: &str, path: &str, depth: Option<u32>) -> HttpRequest {
    at(Method::Get, base, "", query([("path", Some(path.into())), ("depth", depth.map(|d| d.to_string()))]))
}

pub fn info(base: &str, path: &str) -> HttpRequest {
    at(Method::Get, base, "/info", query([("path", Some(path.into()))]))
}

pub fn create_folder(base: &str, path: &str, mode: &str) -> HttpRequest {
    at(Method::Post, base, "/folder", query([("path", Some(path.into())), ("mode", Some(mode.into()))]))
}

pub fn delete(base: &str, path: &str, recursive: Option<bool>) -> HttpRequest {
    at(Method::Delete, base, "", query([("path", Some(path.into())), ("recursive", recursive.map(|r| r.to_string()))]))
}

pub fn move_files(base: &str, source: &str, destination: &str) -> HttpRequest {
    at(Method::Post, base, "/move", query([("source", Some(source.into())), ("destination", Some(destination.into()))]))
}

pub fn set_permissions(base: &str, path: &str, owner: Option<String>, group: Option<String>, mode: Option<String>) -> HttpRequest {
    at(Method::Post, base, "/permissions", query([("path", Some(path.into())), ("owner", owner), ("group", group), ("mode", mode)]))
}

pub fn find(base: &str, path: &str, pattern: &str) -> HttpRequest {
    at(Method::Get, base, "/find", query([("path", Some(path.into())), ("pattern", Some(pattern.into()))]))
}

pub fn search(base: &str, path: &str, pattern: &str) -> HttpRequest {
    at(Method::Get, base, "/search", query([("path", Some(path.into())), ("pattern", Some(pattern.into()))]))
}

pub fn replace(base: &str, body: &ReplaceRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/files/replace"), body)
}

/// One file to upload: its data (opaque to the core) and where it goes.
pub struct Upload {
    pub data: FormValue,
    pub destination: String,
}

/// `files[i].path` then `files[i].file` per file, as the official SDK sends them; the part's
/// filename is the destination's base name (servers take the path from the `.path` field).
pub fn bulk_upload(base: &str, files: Vec<Upload>, timeout_ms: u64) -> HttpRequest {
    let mut parts = Vec::with_capacity(files.len() * 2);
    for (i, f) in files.into_iter().enumerate() {
        let filename = f.destination.rsplit('/').next().unwrap_or_default().to_string();
        parts.push(FormPart { name: format!("files[{i}].path"), filename: None, value: FormValue::Text(f.destination) });
        parts.push(FormPart { name: format!("files[{i}].file"), filename: Some(filename), value: f.data });
    }
    let mut req = HttpRequest::new(Method::Post, format!("{base}/files/bulk-upload"));
    req.body = Body::Form(parts);
    req.timeout_ms = Some(timeout_ms);
    req
}

pub fn bulk_download(base: &str, paths: &[String], timeout_ms: u64) -> HttpRequest {
    let mut req = HttpRequest::json(Method::Post, format!("{base}/files/bulk-download"), &DownloadFilesRequest { paths: paths.to_vec() });
    req.headers.push(("Accept".into(), "multipart/form-data".into()));
    req.timeout_ms = Some(timeout_ms);
    req.repeatable = true; // a POST only because the paths go in a body
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "http://h/toolbox/sb";

    #[test]
    fn query_endpoints() {
        assert_eq!(list(B, "a b", None).url, "http://h/toolbox/sb/files?path=a+b");
        assert_eq!(list(B, "a", Some(2)).url, "http://h/toolbox/sb/files?path=a&depth=2");
        assert_eq!(create_folder(B, "/x", "755").url, "http://h/toolbox/sb/files/folder?path=%2Fx&mode=755");
        assert_eq!(delete(B, "d", Some(true)).url, "http://h/toolbox/sb/files?path=d&recursive=true");
        assert_eq!(delete(B, "d", None).url, "http://h/toolbox/sb/files?path=d");
        assert_eq!(move_files(B, "a", "b").url, "http://h/toolbox/sb/files/move?source=a&destination=b");
        assert_eq!(set_permissions(B, "p", None, Some("g".into()), Some("644".into())).url, "http://h/toolbox/sb/files/permissions?path=p&group=g&mode=644");
        assert_eq!(find(B, ".", "TODO:").url, "http://h/toolbox/sb/files/find?path=.&pattern=TODO%3A");
        assert_eq!(search(B, ".", "*.ts").url, "http://h/toolbox/sb/files/search?path=.&pattern=*.ts");
    }

    #[test]
    fn bulk_upload_pairs_path_then_file_fields() {
        let req = bulk_upload(B, vec![Upload { data: FormValue::Bytes(b"x".to_vec()), destination: "/tmp/dir/a.txt".into() }], 5000);
        let Body::Form(parts) = &req.body else { panic!("not a form") };
        assert_eq!(parts[0], FormPart { name: "files[0].path".into(), filename: None, value: FormValue::Text("/tmp/dir/a.txt".into()) });
        assert_eq!((parts[1].name.as_str(), parts[1].filename.as_deref()), ("files[0].file", Some("a.txt")));
        assert_eq!(req.timeout_ms, Some(5000));
    }

    #[test]
    fn bulk_download_asks_for_multipart() {
        let req = bulk_download(B, &["/a".into()], 1);
        assert_eq!(req.body.bytes(), Some(&br#"{"paths":["/a"]}"#[..]));
        assert_eq!(req.header("Accept"), Some("multipart/form-data"));
    }
}
