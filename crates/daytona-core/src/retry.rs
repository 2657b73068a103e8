//! Retries of requests that are safe to repeat: jittered exponential backoff, `Retry-After`
//! honoured, all within the request's own deadline.
//!
//! A request is repeated only when repeating cannot do something twice: a repeatable request
//! (a GET, a bulk download) after a failed connection or a gateway's error page, and any
//! request the server refused before acting on it (connection refused, 429, 503 with
//! `Retry-After`).

use crate::error::Error;
use crate::transport::{HttpResponse, TransportError};

/// `retry` in the client config. `attempts` is how many times a request may be repeated
/// (0 = never); no wait is longer than `max_delay_ms`, and a `Retry-After` longer than that
/// is not waited for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 3, max_delay_ms: 20_000 }
    }
}

/// The first backoff; each next one doubles.
const BASE_DELAY_MS: f64 = 250.0;

/// What an attempt came to, as far as retrying is concerned.
pub(crate) enum Outcome<'a> {
    Answer(&'a HttpResponse, &'a Error),
    Failed(&'a TransportError),
}

impl RetryPolicy {
    /// The jittered wait before attempt `attempt + 1` when the server gave no hint.
    pub(crate) fn backoff(&self, attempt: u32, now_ms: f64) -> u64 {
        ((BASE_DELAY_MS * 2f64.powi(attempt as i32)).min(self.max_delay_ms as f64) * jitter(now_ms, attempt)) as u64
    }

    /// How long to wait before attempt `attempt + 1` (0-based), or `None` to give up.
    /// `now_ms` is the epoch time (for `Retry-After` dates), `left_ms` what is left of the
    /// request's deadline.
    /// `safe`: whether the request is repeatable.
    pub(crate) fn delay(&self, safe: bool, outcome: Outcome<'_>, attempt: u32, now_ms: f64, left_ms: Option<f64>) -> Option<u64> {
        if attempt >= self.attempts {
            return None;
        }
        let hint = match outcome {
            // Refused: nothing reached the server.
            Outcome::Failed(TransportError::Network(msg)) if safe || msg.contains("ECONNREFUSED") => None,
            Outcome::Failed(_) => return None,
            Outcome::Answer(resp, err) => {
                let after = resp.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("retry-after")).and_then(|(_, v)| retry_after_ms(v, now_ms));
                // A daemon's own error (it has a code) is an answer, not a passing failure.
                let gateway = matches!(resp.status, 502..=504) && !matches!(err, Error::Api { code: Some(_), .. });
                match resp.status {
                    429 => after,
                    503 if after.is_some() => after,
                    _ if safe && gateway => after,
                    _ => return None,
                }
            }
        };
        let delay = match hint {
            Some(ms) if ms > self.max_delay_ms as f64 => return None,
            Some(ms) => ms,
            None => self.backoff(attempt, now_ms) as f64,
        };
        match left_ms {
            Some(left) if delay >= left => None,
            _ => Some(delay as u64),
        }
    }
}

/// A factor in [0.5, 1): spreads clients that failed together. Derived from the clock (the
/// core has no random source); good enough to keep retries apart, not for anything secret.
fn jitter(now_ms: f64, attempt: u32) -> f64 {
    let mut x = (now_ms * 1000.0) as u64 ^ (u64::from(attempt) << 32) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    0.5 + (x >> 11) as f64 / (1u64 << 53) as f64 / 2.0
}

/// `Retry-After` in milliseconds from now: delay-seconds, or an HTTP date (IMF-fixdate, the
/// form servers send) in the past or future.
fn retry_after_ms(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs as f64 * 1000.0);
    }
    Some((http_date_ms(value)? - now_ms).max(0.0))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` → epoch milliseconds. Parsed by hand: it is one fixed
/// format, and a date crate would be most of a kilobyte of wasm for it.
fn http_date_ms(s: &str) -> Option<f64> {
    let mut parts = s.split_whitespace().skip(1);
    let day: i64 = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| *m == name)? as i64 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next() != Some("GMT") || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from 1970-01-01 of a proleptic Gregorian date (years start in March).
    let (y, mo) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(((days * 86_400 + h * 3600 + m * 60 + sec) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> (HttpResponse, Error) {
        let r = HttpResponse { status, headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), body: body.into() };
        let e = Error::from_response(&r);
        (r, e)
    }

    fn delay(safe: bool, status: u16, headers: &[(&str, &str)], body: &str, attempt: u32) -> Option<u64> {
        let (r, e) = resp(status, headers, body);
        RetryPolicy::default().delay(safe, Outcome::Answer(&r, &e), attempt, 0.0, None)
    }

    #[test]
    fn http_dates_parse() {
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date_ms("Tue, 29 Feb 2028 12:00:00 GMT"), Some(1_835_438_400_000.0));
        for bad in ["", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "6 Nov 1994"] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(retry_after_ms(" 2 ", 0.0), Some(2000.0));
        assert_eq!(retry_after_ms("Thu, 01 Jan 1970 00:00:05 GMT", 1000.0), Some(4000.0));
        assert_eq!(retry_after_ms("Thu, 01 Jan 1970 00:00:05 GMT", 9000.0), Some(0.0), "a past date: now");
        assert_eq!(retry_after_ms("soon", 0.0), None);
    }

    #[test]
    fn what_is_repeated() {
        // Refused before acting: any method, with the server's wait.
        assert_eq!(delay(false, 429, &[("Retry-After", "1")], "", 0), Some(1000));
        assert_eq!(delay(false, 503, &[("retry-after", "2")], "", 0), Some(2000));
        // A gateway's page: GETs only.
        assert!(delay(true, 502, &[], "<html><title>502 Bad Gateway</title></html>", 0).is_some());
        assert!(delay(true, 504, &[], "", 0).is_some());
        assert_eq!(delay(false, 502, &[], "", 0), None);
        assert_eq!(delay(false, 503, &[], "", 0), None);
        // The daemon's own error with a code is an answer.
        assert_eq!(delay(true, 503, &[], r#"{"message":"no a11y","code":"A11Y_UNAVAILABLE"}"#, 0), None);
        for status in [400, 404, 409, 500] {
            assert_eq!(delay(true, status, &[], "", 0), None, "{status}");
        }
        // Out of attempts, or a wait longer than allowed.
        assert_eq!(delay(true, 429, &[], "", 3), None);
        assert_eq!(delay(true, 429, &[("Retry-After", "60")], "", 0), None);
    }

    #[test]
    fn connection_failures() {
        let p = RetryPolicy::default();
        let refused = TransportError::Network("fetch failed: connect ECONNREFUSED 127.0.0.1:1".into());
        let reset = TransportError::Network("fetch failed: other side closed".into());
        assert!(p.delay(false, Outcome::Failed(&refused), 0, 0.0, None).is_some());
        assert!(p.delay(true, Outcome::Failed(&reset), 0, 0.0, None).is_some());
        assert_eq!(p.delay(false, Outcome::Failed(&reset), 0, 0.0, None), None, "the server may have acted");
        assert_eq!(p.delay(true, Outcome::Failed(&TransportError::Timeout(5)), 0, 0.0, None), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_stays_in_bounds() {
        let p = RetryPolicy { attempts: 10, max_delay_ms: 1500 };
        let reset = TransportError::Network("reset".into());
        for attempt in 0..10 {
            let d = p.delay(true, Outcome::Failed(&reset), attempt, 12345.0 + attempt as f64, None).unwrap() as f64;
            let full = (BASE_DELAY_MS * 2f64.powi(attempt as i32)).min(1500.0);
            assert!(d >= full / 2.0 - 1.0 && d < full, "attempt {attempt}: {d} for {full}");
        }
        assert_eq!(p.delay(true, Outcome::Failed(&reset), 0, 0.0, Some(100.0)), None, "no wait past the deadline");
        assert_eq!(RetryPolicy { attempts: 0, max_delay_ms: 1 }.delay(true, Outcome::Failed(&reset), 0, 0.0, None), None);
    }
}
