//! Session logs interleave stdout and stderr in one byte stream: every stdout line is
//! prefixed with `01 01 01`, every stderr line with `02 02 02`. The encoder
//! is the server's; the decoder the SDK's. Unlike the official SDK's, this decoder also
//! recognises a marker that ends a chunk.

pub const STDOUT_MARKER: [u8; 3] = [1, 1, 1];
pub const STDERR_MARKER: [u8; 3] = [2, 2, 2];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Prefixes one line (which should end with `\n`) with its stream's marker.
pub fn encode_line(stream: Stream, line: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(match stream {
        Stream::Stdout => &STDOUT_MARKER,
        Stream::Stderr => &STDERR_MARKER,
    });
    out.extend_from_slice(line);
}

/// Splits a marked byte stream into stdout and stderr bytes, chunk by chunk. Bytes before
/// the first marker are dropped; a marker cut across chunks is recognised.
#[derive(Debug, Default)]
pub struct Demuxer {
    current: Option<Stream>,
    /// Up to two trailing bytes that may begin a marker.
    held: Vec<u8>,
}

impl Demuxer {
    /// Returns `(stream, bytes)` runs in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<(Stream, Vec<u8>)> {
        let mut data = std::mem::take(&mut self.held);
        data.extend_from_slice(chunk);
        let mut out: Vec<(Stream, Vec<u8>)> = Vec::new();
        let mut i = 0;
        let mut run_start = 0;
        let flush = |out: &mut Vec<(Stream, Vec<u8>)>, cur: Option<Stream>, bytes: &[u8]| {
            if let (Some(s), false) = (cur, bytes.is_empty()) {
                match out.last_mut() {
                    Some((last, buf)) if *last == s => buf.extend_from_slice(bytes),
                    _ => out.push((s, bytes.to_vec())),
                }
            }
        };
        while i < data.len() {
            let b = data[i];
            if b == 1 || b == 2 {
                let rest = &data[i..];
                if rest.len() < 3 && rest.iter().all(|&x| x == b) {
                    // Possibly a marker cut by the chunk: hold it back.
                    flush(&mut out, self.current, &data[run_start..i]);
                    self.held = rest.to_vec();
                    return out;
                }
                if rest.len() >= 3 && rest[1] == b && rest[2] == b {
                    flush(&mut out, self.current, &data[run_start..i]);
                    self.current = Some(if b == 1 { Stream::Stdout } else { Stream::Stderr });
                    i += 3;
                    run_start = i;
                    continue;
                }
            }
            i += 1;
        }
        flush(&mut out, self.current, &data[run_start..]);
        out
    }

    /// Releases held-back bytes at the end of the stream.
    pub fn finish(&mut self) -> Vec<(Stream, Vec<u8>)> {
        let held = std::mem::take(&mut self.held);
        match self.current {
            Some(s) if !held.is_empty() => vec![(s, held)],
            _ => vec![],
        }
    }
}

/// Demultiplexes a whole log: `(stdout, stderr)`.
pub fn split(log: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut d = Demuxer::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for (s, bytes) in d.push(log).into_iter().chain(d.finish()) {
        match s {
            Stream::Stdout => out.extend(bytes),
            Stream::Stderr => err.extend(bytes),
        }
    }
    (out, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log() -> Vec<u8> {
        let mut v = b"junk".to_vec();
        encode_line(Stream::Stdout, "héllo\n".as_bytes(), &mut v);
        encode_line(Stream::Stderr, b"oops\n", &mut v);
        encode_line(Stream::Stdout, b"bye\n", &mut v);
        v
    }

    #[test]
    fn splits_whole_logs() {
        assert_eq!(split(&log()), ("héllo\nbye\n".as_bytes().to_vec(), b"oops\n".to_vec()));
    }

    #[test]
    fn any_chunking_gives_the_same_streams_including_a_marker_ending_a_chunk() {
        let whole = split(&log());
        let data = log();
        for size in 1..data.len() {
            let mut d = Demuxer::default();
            let (mut out, mut err) = (Vec::new(), Vec::new());
            for chunk in data.chunks(size) {
                for (s, b) in d.push(chunk) {
                    if s == Stream::Stdout {
                        out.extend(b)
                    } else {
                        err.extend(b)
                    }
                }
            }
            for (s, b) in d.finish() {
                if s == Stream::Stdout {
                    out.extend(b)
                } else {
                    err.extend(b)
                }
            }
            assert_eq!((out, err), whole, "chunk size {size}");
        }
        // The official SDK's defect case: a frame ending with a complete marker.
        let mut d = Demuxer::default();
        let mut runs = d.push(b"\x01\x01\x01a\n\x02\x02\x02");
        runs.extend(d.push(b"b\n"));
        assert_eq!(runs, vec![(Stream::Stdout, b"a\n".to_vec()), (Stream::Stderr, b"b\n".to_vec())]);
    }
}
