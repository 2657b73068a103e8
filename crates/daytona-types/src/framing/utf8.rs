//! Streaming UTF-8 decoding: a character cut between two chunks is held back until its
//! remaining bytes arrive, so text callbacks never see half a character.

#[derive(Debug, Default)]
pub struct Utf8Decoder {
    pending: Vec<u8>,
}

/// Length of the longest prefix of `bytes` that does not end inside a character.
fn complete_prefix(bytes: &[u8]) -> usize {
    // Look at most 3 bytes back for the start of an unfinished character.
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        if b & 0xC0 == 0x80 {
            continue; // continuation byte: keep looking for the lead byte
        }
        let need = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { bytes.len() - back } else { bytes.len() };
    }
    bytes.len()
}

impl Utf8Decoder {
    pub fn push(&mut self, chunk: &[u8]) -> String {
        self.pending.extend_from_slice(chunk);
        let cut = complete_prefix(&self.pending);
        let text = String::from_utf8_lossy(&self.pending[..cut]).into_owned();
        self.pending.drain(..cut);
        text
    }

    /// What is left at the end of the stream (an unfinished character becomes U+FFFD).
    pub fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_cut_anywhere_come_out_whole() {
        let text = "aé€😀z";
        let bytes = text.as_bytes();
        for size in 1..=bytes.len() {
            let mut d = Utf8Decoder::default();
            let mut out = String::new();
            for chunk in bytes.chunks(size) {
                let part = d.push(chunk);
                assert!(!part.contains('\u{FFFD}'), "chunk size {size}");
                out.push_str(&part);
            }
            out.push_str(&d.finish());
            assert_eq!(out, text);
        }
    }
}
