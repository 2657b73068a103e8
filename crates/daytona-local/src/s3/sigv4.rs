//! AWS Signature Version 4 checks for the S3 endpoint: the header form that AWS SDKs send
//! (`Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`). The
//! request received is put in canonical form here and signed by [`daytona_types::sigv4`],
//! which our SDK signs with. Written here because the Rust SigV4 crates sign requests;
//! none verifies them on a server.

use axum::http::{HeaderMap, Method};
use daytona_types::sigv4::{signature, CanonicalRequest};

/// What a request must be signed with.
pub struct Credentials {
    pub access_key: String,
    pub secret: String,
    pub session_token: String,
}

/// How long a signature stays good around its `x-amz-date` (AWS allows 15 minutes).
const SKEW_SECS: i64 = 15 * 60;

/// AWS's URI encoding: everything but `A-Z a-z 0-9 - _ . ~` as `%XX`.
fn aws_encode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn canonical_uri(path: &str) -> String {
    path.split('/').map(|seg| aws_encode(&decode(seg))).collect::<Vec<_>>().join("/")
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (aws_encode(&decode(&k.replace('+', " "))), aws_encode(&decode(&v.replace('+', " "))))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The parts of the Authorization header.
struct Authorization<'a> {
    access_key: &'a str,
    scope: &'a str,
    date: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse(header: &str) -> Option<Authorization<'_>> {
    let rest = header.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let field = |name: &str| rest.split(',').map(str::trim).find_map(|f| f.strip_prefix(name)?.strip_prefix('='));
    let credential = field("Credential")?;
    let (access_key, scope) = credential.split_once('/')?;
    let date = scope.split('/').next()?;
    Some(Authorization { access_key, scope, date, signed_headers: field("SignedHeaders")?, signature: field("Signature")? })
}

/// Checks a request's signature. `payload_hash` is its `x-amz-content-sha256`, which the
/// caller checks against the body. Answers an S3 error code and message when it fails.
pub fn verify(creds: &Credentials, method: &Method, path: &str, query: &str, headers: &HeaderMap, now: i64) -> Result<(), (&'static str, String)> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let auth = header("authorization").and_then(parse).ok_or(("AccessDenied", "requests must be signed with AWS Signature Version 4".into()))?;
    if auth.access_key != creds.access_key {
        return Err(("InvalidAccessKeyId", "the access key is not one this server issued".into()));
    }
    if header("x-amz-security-token") != Some(creds.session_token.as_str()) {
        return Err(("InvalidToken", "the security token is missing or wrong".into()));
    }
    let amz_date = header("x-amz-date").ok_or(("AccessDenied", "x-amz-date is required".into()))?;
    let signed_at = chrono::NaiveDateTime::parse_from_str(amz_date, "%Y%m%dT%H%M%SZ").map_err(|_| ("AccessDenied", "x-amz-date is malformed".to_string()))?;
    if (signed_at.and_utc().timestamp() - now).abs() > SKEW_SECS || !amz_date.starts_with(auth.date) {
        return Err(("RequestTimeTooSkewed", "the request's date is too far from the server's time".into()));
    }
    let payload_hash = header("x-amz-content-sha256").ok_or(("InvalidRequest", "x-amz-content-sha256 is required".into()))?;
    let names: Vec<&str> = auth.signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"x-amz-date") {
        return Err(("AccessDenied", "host and x-amz-date must be signed".into()));
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let values: Vec<String> =
            headers.get_all(*name).iter().filter_map(|v| v.to_str().ok()).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        canonical_headers += &format!("{name}:{}\n", values.join(","));
    }
    let (uri, query) = (canonical_uri(path), canonical_query(query));
    let request =
        CanonicalRequest { method: method.as_str(), uri: &uri, query: &query, headers: &canonical_headers, signed_headers: auth.signed_headers, payload_hash };
    let expected = signature(&creds.secret, amz_date, auth.scope, &request);
    if !crate::secrets::constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(("SignatureDoesNotMatch", "the request signature does not match".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GET Object example of AWS's SigV4 documentation for S3 ("Signature Calculations
    /// for the Authorization Header"), with a session token added to the signed headers
    /// check: its published signature for the request without one must come out.
    #[test]
    fn the_aws_documentation_example_verifies() {
        let mut h = HeaderMap::new();
        h.insert("host", "examplebucket.s3.amazonaws.com".parse().unwrap());
        h.insert("range", "bytes=0-9".parse().unwrap());
        h.insert("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".parse().unwrap());
        h.insert("x-amz-date", "20130524T000000Z".parse().unwrap());
        h.insert("x-amz-security-token", "tok".parse().unwrap());
        h.insert("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41".parse().unwrap());
        let creds =
            Credentials { access_key: "AKIAIOSFODNN7EXAMPLE".into(), secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(), session_token: "tok".into() };
        let at = chrono::NaiveDate::from_ymd_opt(2013, 5, 24).unwrap().and_hms_opt(0, 1, 0).unwrap().and_utc().timestamp();
        assert_eq!(verify(&creds, &Method::GET, "/test.txt", "", &h, at), Ok(()));
        assert_eq!(verify(&creds, &Method::GET, "/test2.txt", "", &h, at).unwrap_err().0, "SignatureDoesNotMatch");
        assert_eq!(verify(&creds, &Method::GET, "/test.txt", "", &h, at + 3600).unwrap_err().0, "RequestTimeTooSkewed");
        let other = Credentials { session_token: "other".into(), ..creds };
        assert_eq!(verify(&other, &Method::GET, "/test.txt", "", &h, at).unwrap_err().0, "InvalidToken");
        assert_eq!(canonical_query("prefix=org-1%2Fh%2F&list-type=2&max-keys=1"), "list-type=2&max-keys=1&prefix=org-1%2Fh%2F");
    }

    proptest::proptest! {
        /// A request our SDK signs (any object key, any query) verifies; the same request for
        /// another key, or with another query, does not.
        #[test]
        fn what_the_sdk_signs_verifies_and_nothing_else(key in "[a-zA-Z0-9 /+%=&é~._-]{1,40}", value in "[a-z0-9 %+=é]{0,12}", now_s in 1_000_000_000i64..4_000_000_000) {
            use daytona_core::object_storage::sigv4 as client;
            let path = format!("/bucket/{}", key.split('/').map(aws_encode).collect::<Vec<_>>().join("/"));
            let query = format!("list-type=2&prefix={}", aws_encode(&value));
            let mut req = daytona_core::transport::HttpRequest::new(daytona_core::transport::Method::Put, format!("http://s3.local:9000{path}?{query}"));
            let creds = client::Credentials { access_key_id: "AK".into(), secret_access_key: "SK".into(), session_token: Some("tok".into()), region: "us-east-1".into() };
            client::sign(&mut req, &creds, b"body", now_s as f64 * 1000.0);
            // `Host` is signed but set by the HTTP client, not in the request's headers.
            let mut headers = HeaderMap::new();
            headers.insert("host", "s3.local:9000".parse().unwrap());
            for (k, v) in &req.headers {
                headers.insert(axum::http::HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()).unwrap(), v.parse().unwrap());
            }
            let server = Credentials { access_key: "AK".into(), secret: "SK".into(), session_token: "tok".into() };
            proptest::prop_assert_eq!(verify(&server, &Method::PUT, &path, &query, &headers, now_s), Ok(()));
            proptest::prop_assert_eq!(verify(&server, &Method::PUT, &format!("{path}x"), &query, &headers, now_s).unwrap_err().0, "SignatureDoesNotMatch");
            proptest::prop_assert_eq!(verify(&server, &Method::PUT, &path, &format!("{query}x"), &headers, now_s).unwrap_err().0, "SignatureDoesNotMatch");
            proptest::prop_assert!(verify(&server, &Method::GET, &path, &query, &headers, now_s).is_err());
        }

        /// Any Authorization header and date, however malformed, is an S3 error, never a panic.
        #[test]
        fn any_signature_header_is_refused_without_a_panic(auth in ".{0,200}", date in "[0-9TZ]{0,20}", signed in "[a-z;-]{0,40}") {
            let mut headers = HeaderMap::new();
            if let Ok(v) = format!("AWS4-HMAC-SHA256 Credential=AK/{date}/r/s3/aws4_request, SignedHeaders={signed}, Signature={auth}").parse() {
                headers.insert("authorization", v);
            }
            if let Ok(v) = date.parse() {
                headers.insert("x-amz-date", v);
            }
            headers.insert("x-amz-security-token", "tok".parse().unwrap());
            headers.insert("x-amz-content-sha256", "UNSIGNED-PAYLOAD".parse().unwrap());
            let creds = Credentials { access_key: "AK".into(), secret: "SK".into(), session_token: "tok".into() };
            proptest::prop_assert!(verify(&creds, &Method::GET, "/b/k", &auth, &headers, 0).is_err());
        }
    }
}
