//! Property tests of the parsers the SDK and the server run on bytes from the network: any
//! input, cut into chunks anywhere, never panics, and well-formed input decodes the same
//! however it is cut. Bounded case counts keep them in the test command's budget.
#![cfg(not(target_arch = "wasm32"))]

use daytona_types::framing::demux::{self, Demuxer, Stream};
use daytona_types::framing::multipart::{self, Decoder, Event};
use daytona_types::framing::pty_control;
use daytona_types::framing::utf8::Utf8Decoder;
use proptest::prelude::*;

/// `data` cut at the given points (taken modulo its length).
fn chunks(data: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|c| if data.is_empty() { 0 } else { c % (data.len() + 1) }).collect();
    at.push(0);
    at.push(data.len());
    at.sort_unstable();
    at.windows(2).map(|w| data[w[0]..w[1]].to_vec()).collect()
}

fn demux_all(parts: &[Vec<u8>]) -> (Vec<u8>, Vec<u8>) {
    let mut d = Demuxer::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for (s, bytes) in parts.iter().flat_map(|p| d.push(p)).collect::<Vec<_>>().into_iter().chain(d.finish()) {
        match s {
            Stream::Stdout => out.extend(bytes),
            Stream::Stderr => err.extend(bytes),
        }
    }
    (out, err)
}

/// Multipart events, with consecutive data joined (chunking splits data anywhere).
fn multipart_all(boundary: &str, parts: &[Vec<u8>]) -> Result<Vec<Event>, multipart::Error> {
    let mut d = Decoder::new(boundary);
    let mut events: Vec<Event> = Vec::new();
    for p in parts {
        for e in d.push(p)? {
            match (e, events.last_mut()) {
                (Event::Data(more), Some(Event::Data(data))) => data.extend(more),
                (e, _) => events.push(e),
            }
        }
    }
    d.finish()?;
    Ok(events)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn demux_of_any_bytes_never_panics(data in proptest::collection::vec(any::<u8>(), 0..512), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        demux_all(&chunks(&data, &cuts));
    }

    #[test]
    fn demux_is_the_same_however_the_stream_is_cut(
        lines in proptest::collection::vec((any::<bool>(), proptest::collection::vec(3u8..=255, 0..40)), 0..20),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let mut log = Vec::new();
        let (mut want_out, mut want_err) = (Vec::new(), Vec::new());
        for (is_out, line) in &lines {
            demux::encode_line(if *is_out { Stream::Stdout } else { Stream::Stderr }, line, &mut log);
            if *is_out { want_out.extend(line) } else { want_err.extend(line) }
        }
        prop_assert_eq!(demux_all(&chunks(&log, &cuts)), (want_out, want_err));
    }

    #[test]
    fn utf8_decoding_is_whole_however_the_bytes_are_cut(text in ".{0,200}", cuts in proptest::collection::vec(any::<usize>(), 0..12)) {
        let mut d = Utf8Decoder::default();
        let mut out = String::new();
        for c in chunks(text.as_bytes(), &cuts) {
            let piece = d.push(&c);
            prop_assert!(!piece.contains('\u{FFFD}') || text.contains('\u{FFFD}'), "a character was cut: {:?}", piece);
            out += &piece;
        }
        out += &d.finish();
        prop_assert_eq!(out, text);
    }

    #[test]
    fn utf8_decoding_of_any_bytes_never_panics(data in proptest::collection::vec(any::<u8>(), 0..256), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut d = Utf8Decoder::default();
        for c in chunks(&data, &cuts) {
            d.push(&c);
        }
        d.finish();
    }

    #[test]
    fn multipart_of_any_bytes_never_panics(data in proptest::collection::vec(any::<u8>(), 0..512), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let _ = multipart_all("X", &chunks(&data, &cuts));
        let mut framed = b"--X\r\n".to_vec();
        framed.extend(&data);
        let _ = multipart_all("X", &chunks(&framed, &cuts));
    }

    #[test]
    fn multipart_decodes_the_same_however_the_body_is_cut(
        files in proptest::collection::vec(("[a-z]{1,8}", proptest::collection::vec(any::<u8>(), 0..300)), 1..5),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let boundary = "b0undary-7f3a";
        let mut body = Vec::new();
        let mut want = Vec::new();
        for (name, data) in &files {
            // Data that holds the delimiter would end its part early (servers pick a boundary it lacks).
            prop_assume!(!data.windows(boundary.len()).any(|w| w == boundary.as_bytes()));
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Length: {}\r\n\r\n", data.len()).as_bytes());
            body.extend(data);
            body.extend(b"\r\n");
            want.push(Event::Part(multipart::PartHeaders { name: Some("file".into()), filename: Some(name.clone()), content_type: None, content_length: Some(data.len() as u64) }));
            if !data.is_empty() {
                want.push(Event::Data(data.clone()));
            }
            want.push(Event::End);
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        prop_assert_eq!(multipart_all(boundary, &chunks(&body, &cuts)).unwrap(), want);
    }

    #[test]
    fn pty_control_messages_and_close_reasons_never_panic(text in ".{0,200}", code in proptest::option::of(any::<u16>())) {
        let _ = pty_control::parse(&text);
        let (_, reason) = pty_control::close_reason(code, &text);
        // A close is always explained, unless it is the normal one.
        prop_assert!(reason.is_some() || code == Some(1000) || serde_json::from_str::<serde_json::Value>(&text).is_ok());
    }

    #[test]
    fn boundaries_of_any_content_type_never_panic(ct in ".{0,120}") {
        let _ = multipart::boundary(&ct);
    }
}
