//! AWS Signature Version 4 (header form), the part both sides compute: the SDK signs its
//! object-storage uploads with it, daytona-local recomputes it to verify them. Each side
//! puts its request in canonical form (the SDK from what it sends, the server from what it
//! received), and this gives the signature. Written here, not taken from the AWS crates:
//! those pull in an async runtime and HTTP stack the wasm package cannot carry.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A request in SigV4's canonical form, each part already encoded the AWS way.
pub struct CanonicalRequest<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    /// `k=v` pairs, sorted, joined by `&`.
    pub query: &'a str,
    /// `name:value\n` for every signed header, sorted by name.
    pub headers: &'a str,
    /// The signed header names, sorted, joined by `;`.
    pub signed_headers: &'a str,
    /// `x-amz-content-sha256`: the payload's SHA-256 in hex.
    pub payload_hash: &'a str,
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The `Signature=` value for `request`, signed at `date_time` (`YYYYMMDDTHHMMSSZ`) within
/// `scope` (`date/region/service/aws4_request`) with the secret access key.
pub fn signature(secret: &str, date_time: &str, scope: &str, request: &CanonicalRequest) -> String {
    let r = request;
    let canonical = format!("{}\n{}\n{}\n{}\n{}\n{}", r.method, r.uri, r.query, r.headers, r.signed_headers, r.payload_hash);
    let to_sign = format!("AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in scope.split('/') {
        key = hmac(&key, part.as_bytes());
    }
    hex(&hmac(&key, to_sign.as_bytes()))
}
