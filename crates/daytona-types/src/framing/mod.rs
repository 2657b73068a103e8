//! Pure, incremental stream decoders: bytes in, events out, no I/O.

pub mod demux;
pub mod multipart;
