//! The few path rules of `pathe` (the official SDK's path library) that decide the bytes of
//! an image's Dockerfile and context list: POSIX `join`, `normalize`, `isAbsolute`,
//! `dirname`, `basename`, with `\` read as `/`.

pub fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with(['/', '\\']) || (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'/' | b'\\'))
}

/// `.` and empty segments dropped, `..` applied (kept at the front of a relative path),
/// a trailing `/` kept.
pub fn normalize(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let p = p.replace('\\', "/");
    let absolute = is_absolute(&p);
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            seg => parts.push(seg),
        }
    }
    let mut body = parts.join("/");
    let trailing = p.ends_with('/');
    if body.is_empty() {
        return if absolute {
            "/"
        } else if trailing {
            "./"
        } else {
            "."
        }
        .into();
    }
    if trailing {
        body.push('/');
    }
    // A bare drive letter is its root; an absolute path that lost its root gets `/` back.
    if body.len() == 2 && body.as_bytes()[0].is_ascii_alphabetic() && body.ends_with(':') {
        body.push('/');
    }
    if absolute && !is_absolute(&body) {
        body.insert(0, '/');
    }
    body
}

/// `pathe.join(a, b)`: the non-empty parts joined with one `/`, then normalized.
pub fn join(a: &str, b: &str) -> String {
    let joined = match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ if a.ends_with('/') && b.starts_with('/') => format!("{a}{}", &b[1..]),
        _ if a.ends_with('/') || b.starts_with('/') => format!("{a}{b}"),
        _ => format!("{a}/{b}"),
    };
    normalize(&joined)
}

pub fn dirname(p: &str) -> String {
    let p = p.replace('\\', "/");
    let trimmed = p.strip_suffix('/').unwrap_or(&p);
    match trimmed.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        _ => if is_absolute(&p) { "/" } else { "." }.into(),
    }
}

/// The last non-empty segment.
pub fn basename(p: &str) -> String {
    p.replace('\\', "/").split('/').rfind(|s| !s.is_empty()).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_pathe() {
        for (a, b, want) in [
            ("", "a.txt", "a.txt"),
            ("", "./a.txt", "a.txt"),
            ("/ctx/", "dir/", "/ctx/dir/"),
            ("/ctx/", "/abs", "/ctx/abs"),
            ("ctx", "../x/./y", "x/y"),
            ("", "../up", "../up"),
            ("/", "../../etc", "/etc"),
            ("a", ".", "a"),
            ("", ".", "."),
            ("", "./", "./"),
        ] {
            assert_eq!(join(a, b), want, "join({a:?}, {b:?})");
        }
        assert_eq!([dirname("/t/x/Dockerfile"), dirname("Dockerfile"), dirname("/Dockerfile")], ["/t/x", ".", "/"]);
        assert_eq!([basename("a/b.txt"), basename("a/b/"), basename("b")], ["b.txt", "b", "b"]);
        assert!(is_absolute("/x") && is_absolute("C:/x") && !is_absolute("x") && !is_absolute("aé/"));
        // pathe keeps a drive root as it is (the property tests found `/C:/` here).
        assert_eq!([normalize("C:/"), normalize("./C:/"), normalize("C:/a/../b")], ["C:/", "C:/", "C:/b"]);
    }
}
