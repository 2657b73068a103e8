//! JS numbers on the wire: whole values are written without a fraction (`2`, not `2.0`), as
//! `JSON.stringify` writes them, so our bodies match the official SDK's byte for byte.

use serde::Serializer;

pub fn f64<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

pub fn opt_f64<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => f64(v, s),
        None => s.serialize_none(),
    }
}
