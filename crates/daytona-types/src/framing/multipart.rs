//! An incremental `multipart/form-data` decoder for bulk downloads.
//!
//! Hand-written because the SDK must parse a streamed body chunk by chunk inside wasm,
//! holding only the current chunk: the crates available parse whole bodies or need an
//! async runtime. Feed it chunks with [`Decoder::push`]; it yields part headers, data
//! slices and part ends, never splitting wrongly on a boundary cut across chunks.

/// What a part declared in its headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartHeaders {
    pub name: Option<String>,
    /// `filename*` (RFC 5987) when present, else `filename`.
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Part(PartHeaders),
    Data(Vec<u8>),
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed multipart body: {}", self.0)
    }
}

impl std::error::Error for Error {}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Preamble,
    AfterBoundary,
    Headers,
    Body,
    Done,
}

/// Headers longer than this are refused rather than buffered without end.
const MAX_HEADERS: usize = 64 * 1024;

pub struct Decoder {
    /// `\r\n--<boundary>`: the first delimiter lacks the leading CRLF, handled in Preamble.
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    state: State,
}

/// The `boundary` parameter of a `multipart/…` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    params(content_type).into_iter().find(|(k, _)| k.eq_ignore_ascii_case("boundary")).map(|(_, v)| v).filter(|b| !b.is_empty())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// `key=value` parameters after the first `;`, values unquoted (`\"` unescaped).
fn params(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = header.split_once(';').map(|(_, r)| r).unwrap_or("");
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else { break };
        let key = key.trim().trim_start_matches(';').trim().to_string();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            v.push(n);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => v.push(c),
                }
            }
            let next = quoted[end..].split_once(';').map(|(_, r)| r).unwrap_or("");
            (v, next)
        } else {
            match after.split_once(';') {
                Some((v, r)) => (v.trim().to_string(), r),
                None => (after.trim().to_string(), ""),
            }
        };
        out.push((key, value));
        rest = next;
    }
    out
}

/// Decodes an RFC 5987 value such as `utf-8''%C3%A9.txt`.
fn ext_value(v: &str) -> Option<String> {
    let (charset, rest) = v.split_once('\'')?;
    let (_, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn parse_headers(block: &[u8]) -> PartHeaders {
    let text = String::from_utf8_lossy(block);
    let mut h = PartHeaders::default();
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut plain = None;
                for (k, v) in params(value) {
                    match k.to_ascii_lowercase().as_str() {
                        "name" => h.name = Some(v),
                        "filename" => plain = Some(v),
                        "filename*" => h.filename = ext_value(&v),
                        _ => {}
                    }
                }
                if h.filename.is_none() {
                    h.filename = plain;
                }
            }
            "content-type" => h.content_type = Some(value.to_string()),
            "content-length" => h.content_length = value.parse().ok(),
            _ => {}
        }
    }
    h
}

impl Decoder {
    pub fn new(boundary: &str) -> Self {
        Decoder { delimiter: format!("\r\n--{boundary}").into_bytes(), buf: Vec::new(), state: State::Preamble }
    }

    /// Feeds one chunk; returns the events it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<Event>, Error> {
        self.buf.extend_from_slice(chunk);
        let mut events = Vec::new();
        loop {
            match self.state {
                State::Preamble => {
                    let first = &self.delimiter[2..];
                    match find(&self.buf, first) {
                        Some(i) => {
                            self.buf.drain(..i + first.len());
                            self.state = State::AfterBoundary;
                        }
                        None => {
                            let keep = first.len().saturating_sub(1).min(self.buf.len());
                            self.buf.drain(..self.buf.len() - keep);
                            return Ok(events);
                        }
                    }
                }
                State::AfterBoundary => {
                    if self.buf.len() < 2 {
                        return Ok(events);
                    }
                    match &self.buf[..2] {
                        b"--" => {
                            self.state = State::Done;
                            self.buf.clear();
                            return Ok(events);
                        }
                        b"\r\n" => {
                            self.buf.drain(..2);
                            self.state = State::Headers;
                        }
                        _ => return Err(Error("expected CRLF or -- after a boundary".into())),
                    }
                }
                State::Headers => match find(&self.buf, b"\r\n\r\n") {
                    Some(i) => {
                        events.push(Event::Part(parse_headers(&self.buf[..i])));
                        self.buf.drain(..i + 4);
                        self.state = State::Body;
                    }
                    None if self.buf.len() > MAX_HEADERS => return Err(Error("part headers too long".into())),
                    None => return Ok(events),
                },
                State::Body => match find(&self.buf, &self.delimiter) {
                    Some(i) => {
                        if i > 0 {
                            events.push(Event::Data(self.buf[..i].to_vec()));
                        }
                        events.push(Event::End);
                        self.buf.drain(..i + self.delimiter.len());
                        self.state = State::AfterBoundary;
                    }
                    None => {
                        // Keep a tail that could be the start of a delimiter cut by the chunk;
                        // the data before it leaves as the buffer itself (large downloads
                        // would otherwise copy every byte once more).
                        let safe = self.buf.len().saturating_sub(self.delimiter.len() - 1);
                        if safe > 0 {
                            let tail = self.buf.split_off(safe);
                            events.push(Event::Data(std::mem::replace(&mut self.buf, tail)));
                        }
                        return Ok(events);
                    }
                },
                State::Done => {
                    self.buf.clear();
                    return Ok(events);
                }
            }
        }
    }

    /// Call at the end of the body: an unfinished body is an error.
    pub fn finish(&self) -> Result<(), Error> {
        if self.state == State::Done {
            Ok(())
        } else {
            Err(Error("the body ended before the closing boundary".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"preamble\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/tmp/\xc3\xa9.txt\"; filename*=utf-8''%2Ftmp%2F%C3%A9.txt\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhe\r\nl\r\n--B\r\nContent-Disposition: form-data; name=\"error\"; filename=\"a \\\"q\\\".txt\"\r\n\r\n{}\r\n--B--\r\n";

    fn decode_in_chunks(size: usize) -> Vec<Event> {
        let mut d = Decoder::new("B");
        let mut events = Vec::new();
        for chunk in BODY.chunks(size) {
            events.extend(d.push(chunk).unwrap());
        }
        d.finish().unwrap();
        // Merge adjacent data events so every chunking compares equal.
        let mut merged: Vec<Event> = Vec::new();
        for e in events {
            match (merged.last_mut(), e) {
                (Some(Event::Data(prev)), Event::Data(more)) => prev.extend(more),
                (_, e) => merged.push(e),
            }
        }
        merged
    }

    #[test]
    fn decodes_the_same_whatever_the_chunking() {
        let whole = decode_in_chunks(BODY.len());
        assert_eq!(whole.len(), 6);
        assert_eq!(
            whole[0],
            Event::Part(PartHeaders {
                name: Some("file".into()),
                filename: Some("/tmp/é.txt".into()),
                content_type: Some("text/plain".into()),
                content_length: Some(5),
            })
        );
        assert_eq!(whole[1], Event::Data(b"he\r\nl".to_vec()), "a CRLF inside data is not a boundary");
        assert_eq!(whole[2], Event::End);
        assert!(matches!(&whole[3], Event::Part(h) if h.name.as_deref() == Some("error") && h.filename.as_deref() == Some("a \"q\".txt")));
        assert_eq!(whole[4], Event::Data(b"{}".to_vec()));
        for size in 1..BODY.len() {
            assert_eq!(decode_in_chunks(size), whole, "chunk size {size}");
        }
    }

    #[test]
    fn truncated_body_is_an_error() {
        let mut d = Decoder::new("B");
        d.push(&BODY[..40]).unwrap();
        assert!(d.finish().is_err());
    }

    #[test]
    fn boundary_from_content_type() {
        assert_eq!(boundary("multipart/form-data; boundary=DAYTONA-FILE-BOUNDARY").as_deref(), Some("DAYTONA-FILE-BOUNDARY"));
        assert_eq!(boundary("multipart/form-data; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("application/json"), None);
    }
}
