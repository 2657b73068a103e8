//! Checks of client input shared by sandboxes, snapshots, volumes and what runs in them.

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

/// Environment variable names must look like shell identifiers.
pub fn env_names<'a>(names: impl IntoIterator<Item = &'a String>) -> Result<(), Error> {
    for k in names {
        let mut chars = k.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(Error::Invalid(format!("bad request: invalid environment variable name {k:?}")));
        }
    }
    Ok(())
}
