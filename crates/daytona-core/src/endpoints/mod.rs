//! Sans-IO endpoint functions: each builds one `HttpRequest` or parses one `HttpResponse`.

pub mod computer_use;
pub mod files;
pub mod git;
pub mod info;
pub mod lsp;
pub mod object_storage;
pub mod process;
pub mod sandbox;
pub mod snapshots;
pub mod volumes;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `encodeURIComponent` leaves alone: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');

/// Encodes one path segment exactly as the generated TS clients do.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, URI_COMPONENT).to_string()
}

/// Builds `?a=1&b=2` with `URLSearchParams` encoding, skipping absent values.
pub fn query<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<String>)>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in pairs {
        if let Some(v) = v {
            ser.append_pair(k, &v);
            any = true;
        }
    }
    if any {
        format!("?{}", ser.finish())
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_matches_encode_uri_component() {
        assert_eq!(segment("a b/c?d#é"), "a%20b%2Fc%3Fd%23%C3%A9");
        assert_eq!(segment("x-_.!~*'()"), "x-_.!~*'()");
    }

    #[test]
    fn query_skips_absent_values_and_encodes_like_url_search_params() {
        assert_eq!(query([("a", Some("1 2".into())), ("b", None)]), "?a=1+2");
        assert_eq!(query([("b", None)]), "");
    }
}
