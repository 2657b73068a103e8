//! An uncompressed ustar archive in memory: the build context's `context.tar`. Written by
//! hand because the `tar` crate's builder is built around `std::fs`, which wasm lacks, and
//! the format needs only headers of 512 bytes. Like node-tar's `portable` mode, entries
//! carry no owner names, ids or access times.

/// A regular file's or directory's entry.
pub enum Entry<'a> {
    Dir,
    File(&'a [u8]),
}

#[derive(Default)]
pub struct TarWriter {
    out: Vec<u8>,
}

fn octal(field: &mut [u8], value: u64) {
    let text = format!("{value:0width$o}", width = field.len() - 1);
    field[..text.len()].copy_from_slice(text.as_bytes());
}

impl TarWriter {
    /// Adds an entry named `name` (a relative path with `/`). Names over 100 bytes are split
    /// into ustar's prefix and name at a `/`; longer ones than that fit are refused.
    pub fn add(&mut self, name: &str, entry: Entry<'_>, mode: u32, mtime_s: u64) -> Result<(), String> {
        let name = match entry {
            Entry::Dir => format!("{}/", name.trim_end_matches('/')),
            Entry::File(_) => name.to_string(),
        };
        let (prefix, base) = if name.len() <= 100 {
            ("", name.as_str())
        } else {
            // Bytes, not str: `/` is ASCII, so where it is found is a char boundary.
            let split = name.as_bytes()[..name.len().min(156)].iter().rposition(|&b| b == b'/').filter(|&i| name.len() - i - 1 <= 100 && i <= 155);
            let i = split.ok_or_else(|| format!("path too long for the build context archive: {name}"))?;
            (&name[..i], &name[i + 1..])
        };
        let mut h = [0u8; 512];
        h[..base.len()].copy_from_slice(base.as_bytes());
        octal(&mut h[100..108], u64::from(mode & 0o7777));
        octal(&mut h[108..116], 0);
        octal(&mut h[116..124], 0);
        let data: &[u8] = match entry {
            Entry::Dir => &[],
            Entry::File(d) => d,
        };
        octal(&mut h[124..136], data.len() as u64);
        octal(&mut h[136..148], mtime_s);
        h[156] = if data.is_empty() && matches!(entry, Entry::Dir) { b'5' } else { b'0' };
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
        // The checksum is computed with its own field as spaces.
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        self.out.extend_from_slice(&h);
        self.out.extend_from_slice(data);
        self.out.resize(self.out.len().div_ceil(512) * 512, 0);
        Ok(())
    }

    /// The archive, with its two zero blocks at the end.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.resize(self.out.len() + 1024, 0);
        self.out
    }
}
