//! Pure, incremental stream decoders: bytes in, events out, no I/O.

pub mod multipart;
