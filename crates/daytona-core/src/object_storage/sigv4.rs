//! Signing S3 requests with AWS Signature Version 4 (header form): the canonical form of
//! what is sent, signed by [`daytona_types::sigv4`], which daytona-local verifies with.

use daytona_types::sigv4::{sha256_hex, signature, CanonicalRequest};

use crate::transport::HttpRequest;

/// Credentials to sign with.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub region: String,
}

/// `YYYYMMDDTHHMMSSZ` for a Unix time in milliseconds (days to civil date: Howard Hinnant's
/// algorithm; no date crate for one conversion).
pub fn amz_date(ms: f64) -> String {
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// The path and query of an absolute URL.
fn path_and_query(url: &str) -> (&str, &str) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split_once('?').unwrap_or((path, ""))
}

fn host(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.split('/').next().unwrap_or_default()
}

/// Signs `req` for S3: adds `x-amz-date`, `x-amz-content-sha256`, the session token and
/// `Authorization`. The URL's path and query must already be encoded the AWS way.
pub fn sign(req: &mut HttpRequest, creds: &Credentials, payload: &[u8], now_ms: f64) {
    let date_time = amz_date(now_ms);
    let date = &date_time[..8];
    let payload_hash = sha256_hex(payload);
    // Listed in canonical (sorted) order.
    let mut headers: Vec<(String, String)> =
        vec![("host".into(), host(&req.url).into()), ("x-amz-content-sha256".into(), payload_hash.clone()), ("x-amz-date".into(), date_time.clone())];
    if let Some(token) = &creds.session_token {
        headers.push(("x-amz-security-token".into(), token.clone()));
    }
    let (path, query) = path_and_query(&req.url);
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    crate::small_sort::sort_by(&mut pairs, |a, b| a < b);
    let query = pairs.iter().map(|p| if p.contains('=') { p.to_string() } else { format!("{p}=") }).collect::<Vec<_>>().join("&");
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{}\n", v.trim())).collect();
    let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    let signed = signed.join(";");
    let scope = format!("{date}/{}/s3/aws4_request", creds.region);
    let canonical = CanonicalRequest {
        method: req.method.as_str(),
        uri: path,
        query: &query,
        headers: &canonical_headers,
        signed_headers: &signed,
        payload_hash: &payload_hash,
    };
    let signature = signature(&creds.secret_access_key, &date_time, &scope, &canonical);
    // `host` is set by the runtime itself; the rest are sent.
    req.headers.extend(headers.into_iter().filter(|(k, _)| k != "host"));
    req.headers
        .push(("Authorization".into(), format!("AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}", creds.access_key_id)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Method;

    #[test]
    fn dates_are_formatted_in_utc() {
        assert_eq!(amz_date(1_369_353_600_000.0), "20130524T000000Z");
        assert_eq!(amz_date(1_795_900_000_123.0), "20261128T210640Z");
        assert_eq!(amz_date(951_782_400_000.0), "20000229T000000Z");
    }

    /// AWS's documented example ("GET Object" without the Range header is not published, so
    /// this is the `ListObjects` example: GET /?max-keys=2&prefix=J on examplebucket).
    #[test]
    fn the_aws_documentation_example_signs_the_same() {
        let mut req = HttpRequest::new(Method::Get, "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J".into());
        let creds = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            region: "us-east-1".into(),
        };
        sign(&mut req, &creds, b"", 1_369_353_600_000.0);
        let auth = req.header("authorization").unwrap();
        assert_eq!(auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
        assert_eq!(req.header("x-amz-content-sha256"), Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));

        // The canonical query is sorted: the same request with its parameters swapped signs the same.
        let mut swapped = HttpRequest::new(Method::Get, "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2".into());
        sign(&mut swapped, &creds, b"", 1_369_353_600_000.0);
        assert_eq!(swapped.header("authorization"), Some(auth));
    }
}
