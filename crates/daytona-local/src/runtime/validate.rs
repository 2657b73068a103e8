//! Checks of client input shared by sandboxes, snapshots and volumes.

use crate::runtime::Error;

/// A resource amount must be a whole number between 1 and `max`.
pub fn amount(name: &str, v: f64, max: u32) -> Result<f64, Error> {
    if v.fract() != 0.0 || v < 1.0 || v > max as f64 {
        return Err(Error::invalid(format!("{name} must be a whole number between 1 and {max}")));
    }
    Ok(v)
}

/// Sandbox and volume names.
pub fn validate_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::invalid("name must be 1-255 characters of letters, digits, '-', '_' or '.'"));
    }
    Ok(())
}
