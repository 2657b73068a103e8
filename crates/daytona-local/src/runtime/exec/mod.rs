//! What runs in a sandbox at a client's request: one-shot commands and code, sessions (a
//! long-lived shell per session), terminals, and interpreter contexts.

pub mod code_run;
pub mod interpreter;
pub mod one_shot;
pub mod pty;
pub mod session;
