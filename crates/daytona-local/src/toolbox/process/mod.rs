//! `/process/…`: commands, code-run and sessions, run as real processes in the sandbox's
//! home with its environment, each in a process group the sandbox owns.

mod code_run;
mod execute;
mod interpreter;
pub mod pty;
pub mod session;

use axum::Router;

use crate::state::AppState;

pub use execute::OUTPUT_GRACE;
pub use interpreter::Contexts;
pub use pty::Ptys;
pub use session::Sessions;

pub fn router() -> Router<AppState> {
    Router::new().merge(execute::router()).merge(code_run::router()).merge(session::router()).merge(pty::router()).merge(interpreter::router())
}
