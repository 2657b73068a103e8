//! PTY control messages: JSON text frames `{"type":"control",…}` mixed with
//! terminal output. Anything else, JSON or not, is terminal output.
//!
//! daytona-local's `connected` message also carries `offset`: how many bytes of output the
//! terminal had produced before the first byte this connection delivers. A client that
//! counts from there can reattach with `?offset=N` and resume exactly where it left off.

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// `offset`: where this connection's output starts in the terminal's whole output.
    Connected {
        offset: Option<u64>,
    },
    Error(String),
    Exited {
        exit_code: Option<i32>,
        reason: Option<String>,
    },
}

/// A control frame as it travels (written by the server; read field by field in [`parse`]).
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u64>,
}

impl Control {
    /// The text frame that carries this control message.
    pub fn encode(&self) -> String {
        let status = |s: &str| Some(s.to_string());
        let wire = match self {
            Control::Connected { offset } => Wire { status: status("connected"), offset: *offset, ..Default::default() },
            Control::Error(e) => Wire { status: status("error"), error: Some(e.clone()), ..Default::default() },
            Control::Exited { exit_code, reason } => {
                Wire { status: status("exited"), exit_code: *exit_code, exit_reason: reason.clone(), ..Default::default() }
            }
        };
        serde_json::to_string(&Wire { kind: "control".into(), ..wire }).unwrap_or_default()
    }
}

/// A JSON object's fields. The readers below run in the SDK's wasm, where a typed decoder
/// per message costs more than these few reads.
type Fields = Map<String, Value>;

fn text<'a>(f: &'a Fields, key: &str) -> Option<&'a str> {
    f.get(key)?.as_str()
}

fn exit_code(f: &Fields) -> Option<i32> {
    f.get("exitCode")?.as_i64().and_then(|c| i32::try_from(c).ok())
}

/// The control message a text frame carries, or `None` if it is terminal output.
pub fn parse(frame: &str) -> Option<Control> {
    // `from_slice`, as every answer is read: `from_str` would compile a second JSON reader into the wasm.
    let w: Fields = serde_json::from_slice(frame.as_bytes()).ok()?;
    if text(&w, "type") != Some("control") {
        return None;
    }
    match text(&w, "status")? {
        "connected" => Some(Control::Connected { offset: w.get("offset").and_then(Value::as_u64) }),
        "error" => Some(Control::Error(text(&w, "error").unwrap_or_default().to_string())),
        "exited" => Some(Control::Exited { exit_code: exit_code(&w), reason: text(&w, "exitReason").filter(|r| !r.is_empty()).map(str::to_string) }),
        _ => None,
    }
}

/// The exit a close frame's reason describes: `{"exitCode":n,"exitReason"?:…,"error"?:…}`.
/// A close that says nothing (a dropped connection: 1006) is reported as such, not as an
/// exit without a code.
pub fn close_reason(code: Option<u16>, reason: &str) -> (Option<i32>, Option<String>) {
    // `PtyExit`.
    match serde_json::from_slice::<Fields>(reason.as_bytes()) {
        Ok(r) => (exit_code(&r), text(&r, "exitReason").or(text(&r, "error")).filter(|s| !s.is_empty()).map(str::to_string)),
        Err(_) if code == Some(1000) => (Some(0), None),
        Err(_) if !reason.is_empty() => (None, Some(reason.to_string())),
        Err(_) => {
            let code = code.map_or_else(|| "none".to_string(), |c| c.to_string());
            (None, Some(format!("PTY connection lost (close code {code}) before the process exited")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_messages_and_data() {
        assert_eq!(parse(r#"{"type":"control","status":"connected"}"#), Some(Control::Connected { offset: None }));
        assert_eq!(parse(r#"{"type":"control","status":"connected","offset":42}"#), Some(Control::Connected { offset: Some(42) }));
        assert_eq!(parse(r#"{"type":"control","status":"error","error":"boom"}"#), Some(Control::Error("boom".into())));
        assert_eq!(
            parse(r#"{"type":"control","status":"exited","exitCode":3,"exitReason":"non-zero exit"}"#),
            Some(Control::Exited { exit_code: Some(3), reason: Some("non-zero exit".into()) })
        );
        assert_eq!(parse(r#"{"type":"control","status":"other"}"#), None);
        assert_eq!(parse(r#"{"type":"data"}"#), None);
        assert_eq!(parse("ls -la"), None);
    }

    #[test]
    fn encoded_messages_parse_back() {
        assert_eq!(Control::Connected { offset: None }.encode(), r#"{"type":"control","status":"connected"}"#);
        for c in
            [Control::Connected { offset: Some(7) }, Control::Error("boom".into()), Control::Exited { exit_code: Some(130), reason: Some("Ctrl+C".into()) }]
        {
            assert_eq!(parse(&c.encode()), Some(c));
        }
    }

    #[test]
    fn close_reasons() {
        assert_eq!(close_reason(Some(1011), r#"{"exitCode":137,"exitReason":"SIGKILL"}"#), (Some(137), Some("SIGKILL".into())));
        assert_eq!(close_reason(Some(1000), ""), (Some(0), None));
        assert_eq!(close_reason(Some(1006), ""), (None, Some("PTY connection lost (close code 1006) before the process exited".into())));
        assert_eq!(close_reason(None, ""), (None, Some("PTY connection lost (close code none) before the process exited".into())));
        assert_eq!(close_reason(Some(1011), "PTY session unavailable"), (None, Some("PTY session unavailable".into())));
    }
}
