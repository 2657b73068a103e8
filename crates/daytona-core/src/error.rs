//! One error type for the whole SDK. The facade turns each variant into the JS class the
//! official SDK throws (`DaytonaNotFoundError`, `DaytonaTimeoutError`, …).

use crate::json_object::JsonObject;
use crate::transport::{HttpResponse, TransportError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A server answered with a non-2xx status. The JS class is chosen from
    /// (`source`, `code`) first, then `status`.
    #[error("{message}")]
    Api {
        status: u16,
        message: String,
        code: Option<String>,
        /// The wire `source` (`DAYTONA_DAEMON`, …); renamed because thiserror reserves `source`.
        origin: Option<String>,
        headers: Vec<(String, String)>,
    },
    /// Arguments rejected before any request was sent (`DaytonaInvalidArgumentError`).
    #[error("{0}")]
    InvalidArgument(String),
    /// No usable credentials (`DaytonaAuthenticationError`).
    #[error("{0}")]
    Authentication(String),
    /// A wait or operation ran out of time (`DaytonaTimeoutError`).
    #[error("{0}")]
    Timeout(String),
    /// No response at all (`DaytonaConnectionError`).
    #[error("{0}")]
    Connection(String),
    /// A request's own deadline passed (`DaytonaConnectionTimeoutError`, which is also
    /// `instanceof DaytonaTimeoutError`).
    #[error("{0}")]
    ConnectionTimeout(String),
    /// Nothing matched a client-side lookup (`DaytonaNotFoundError`).
    #[error("{0}")]
    NotFound(String),
    /// Anything else: failed states, undecodable responses (`DaytonaError`).
    #[error("{0}")]
    Other(String),
    /// The caller cancelled the call (an `AbortError`, as `fetch` rejects with).
    #[error("This operation was aborted")]
    Aborted,
}

impl Error {
    /// Builds the error for a non-2xx response, reading the message and code the way the
    /// official SDK does: `message`, else `error`, else the raw body; empty → axios' wording.
    pub fn from_response(resp: &HttpResponse) -> Error {
        let text = String::from_utf8_lossy(&resp.body).trim().to_string();
        // Daytona's error shape (`ErrorBody`), read as a plain object: the fields arrive in
        // subsets and several types, and a typed decoder costs wasm for three strings.
        let parsed: Option<JsonObject> = serde_json::from_slice(&resp.body).ok();
        let (mut message, code, origin) = match &parsed {
            Some(body) => (
                body.text("message").or_else(|| body.text("error")).map_or(text, str::to_owned),
                // A numeric `code` hides `error_code`, as in the official SDK.
                match body.get("code").filter(|c| !c.is_null()) {
                    Some(c) => c.as_str().map(str::to_owned),
                    None => body.text("error_code").map(str::to_owned),
                },
                body.text("source").map(str::to_owned),
            ),
            // A proxy's or load balancer's error page is not a message: say what happened,
            // with the page's title when it has one.
            None if text.starts_with('<') => {
                let title = page_title(&text).map(|t| format!(": {t}")).unwrap_or_default();
                (format!("Request failed with status code {}{title}", resp.status), None, None)
            }
            None => (text, None, None),
        };
        if message.is_empty() {
            message = format!("Request failed with status code {}", resp.status);
        }
        Error::Api { status: resp.status, message, code, origin, headers: resp.headers.clone() }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The `<title>` of an HTML page, trimmed; case-insensitive, attributes allowed.
fn page_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    Some(html[start..end].split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Timeout(ms) => Error::ConnectionTimeout(format!(
                "HTTP request timed out after {ms}ms waiting for a response. This is a client-side \
                 deadline (requestTimeoutMs or the operation timeout); the server may still complete the operation."
            )),
            TransportError::Network(msg) => Error::Connection(msg),
            TransportError::Aborted => Error::Aborted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse { status, headers: vec![("x-h".into(), "1".into())], body: body.as_bytes().to_vec() }
    }

    fn api(e: Error) -> (u16, String, Option<String>, Option<String>) {
        match e {
            Error::Api { status, message, code, origin, .. } => (status, message, code, origin),
            other => panic!("not an api error: {other:?}"),
        }
    }

    #[test]
    fn nest_body_uses_message() {
        let e = Error::from_response(&resp(
            404,
            r#"{"statusCode":404,"error":"Not Found","message":"Sandbox with ID or name x not found","path":"/api/sandbox/x"}"#,
        ));
        assert_eq!(api(e), (404, "Sandbox with ID or name x not found".into(), None, None));
    }

    #[test]
    fn error_only_body_uses_error() {
        let e = Error::from_response(&resp(400, r#"{"error":"session ID is required"}"#));
        assert_eq!(api(e).1, "session ID is required");
    }

    #[test]
    fn daemon_body_keeps_code_and_source() {
        let e = Error::from_response(&resp(404, r#"{"statusCode":404,"message":"not found: x","code":"FILE_NOT_FOUND","source":"DAYTONA_DAEMON"}"#));
        assert_eq!(api(e), (404, "not found: x".into(), Some("FILE_NOT_FOUND".into()), Some("DAYTONA_DAEMON".into())));
    }

    #[test]
    fn error_code_is_read_when_code_is_absent_and_hidden_by_numeric_code() {
        assert_eq!(api(Error::from_response(&resp(409, r#"{"message":"m","error_code":"E1"}"#))).2, Some("E1".into()));
        assert_eq!(api(Error::from_response(&resp(409, r#"{"message":"m","code":7,"error_code":"E1"}"#))).2, None);
    }

    #[test]
    fn empty_and_text_bodies() {
        assert_eq!(api(Error::from_response(&resp(500, ""))).1, "Request failed with status code 500");
        assert_eq!(api(Error::from_response(&resp(502, "Bad gateway text"))).1, "Bad gateway text");
        assert_eq!(api(Error::from_response(&resp(400, r#"{"message":""}"#))).1, "Request failed with status code 400");
    }

    #[test]
    fn html_pages_give_the_status_and_their_title() {
        let page = "<html>\n<head><title>502 Bad\n Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>";
        assert_eq!(api(Error::from_response(&resp(502, page))).1, "Request failed with status code 502: 502 Bad Gateway");
        assert_eq!(api(Error::from_response(&resp(503, "<!DOCTYPE html><p>down</p>"))).1, "Request failed with status code 503");
    }

    #[test]
    fn object_without_message_is_reported_whole() {
        assert_eq!(api(Error::from_response(&resp(400, r#"{"foo":1}"#))).1, r#"{"foo":1}"#);
    }

    #[test]
    fn transport_errors_map_to_connection_kinds() {
        assert!(matches!(Error::from(TransportError::Timeout(5)), Error::ConnectionTimeout(m) if m.contains("5ms")));
        assert_eq!(Error::from(TransportError::Network("refused".into())), Error::Connection("refused".into()));
    }
}
