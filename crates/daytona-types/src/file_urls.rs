//! Pre-signed file URLs (`sandbox.downloadUrl` / `uploadUrl`): what the SDK signs with the
//! sandbox's signing key and the server checks, so a URL works with no other credential.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The toolbox routes a signed URL may open, with the method its signature covers.
pub const DOWNLOAD: (&str, &str) = ("/files/download", "GET");
pub const UPLOAD: (&str, &str) = ("/files/upload-v2", "POST");

/// `v1_` and the unpadded base64url HMAC-SHA256 of `v1:files:{method}:{path}:{expires}`
/// under the key (`expires` in Unix seconds, 0 for never).
pub fn signature(key: &str, method: &str, path: &str, expires: u64) -> String {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(format!("v1:files:{method}:{path}:{expires}").as_bytes());
    format!("v1_{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn signatures_match_the_official_sdk() {
        // Computed by the official SDK's fileUrlSigning for this key, path and time.
        assert_eq!(super::signature("KEYKEYKEY", "GET", "/tmp/a.txt", 1795870264), "v1_g_5rw-4Q0JIELi4-90gxsdqWKfCto_IjOj6T3UypmPI");
    }
}
