//! The desktop's accessibility tree (`/computeruse/a11y/…`), through AT-SPI: the desktop
//! runs the accessibility bus (`at-spi-bus-launcher`, under a session bus of its own), and
//! each request runs `a11y.py` in the sandbox's jail on the desktop's display, with Debian's
//! Python, whose `pyatspi` reads and drives the programs' trees. A host without AT-SPI gets
//! 503 `A11Y_UNAVAILABLE`, as Daytona's daemon answers.

use std::path::Path;

use serde_json::Value;

use super::{a11y_available as available, tools, Desktop};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// Debian's Python: `pyatspi` is a Debian package, not on PyPI.
const PYTHON: &str = "/usr/bin/python3";
const SCRIPT: &str = include_str!("a11y.py");

/// Runs one request (`op`: `tree`, `find`, `focus`, `invoke` or `value`, with the
/// request's fields) and gives its answer.
pub async fn request(sandboxes: &SandboxManager, sb: &SandboxCtx, desktop: &Desktop, op: &str, mut req: Value) -> Result<Value, Error> {
    if !available() || !Path::new(PYTHON).is_file() {
        return Err(unavailable("the accessibility tree needs AT-SPI on the host (apt-get install at-spi2-core dbus python3-pyatspi)"));
    }
    let Value::Object(fields) = &mut req else { return Err(Error::Invalid("the request must be a JSON object".into())) };
    fields.insert("op".into(), op.into());
    let out = tools::run(sandboxes, sb, desktop, PYTHON, &["-c".into(), SCRIPT.into(), req.to_string()]).await?;
    let answer: Value = serde_json::from_slice(&out).map_err(|e| Error::Internal(anyhow::anyhow!("a11y.py answered no JSON: {e}")))?;
    match (answer.get("ok"), answer.get("error")) {
        (Some(ok), _) => Ok(ok.clone()),
        (_, Some(Value::Array(e))) => {
            let message = e.get(1).and_then(Value::as_str).unwrap_or("accessibility request failed").to_string();
            Err(match e.first().and_then(Value::as_u64) {
                Some(503) => unavailable(message),
                Some(404) => Error::coded(404, "NOT_FOUND", message),
                Some(409) => Error::coded(409, "CONFLICT", message),
                _ => Error::coded(400, "BAD_REQUEST", message),
            })
        }
        _ => Err(Error::Internal(anyhow::anyhow!("a11y.py answered {answer}"))),
    }
}

fn unavailable(message: impl Into<String>) -> Error {
    Error::coded(503, "A11Y_UNAVAILABLE", message)
}
