//! Pure, incremental stream decoders: bytes in, events out, no I/O.

pub mod demux;
pub mod multipart;
pub mod pty_control;
pub mod utf8;
