//! `COPY` sources with glob patterns, expanded against the local files the way the
//! official SDK's `fast-glob` call expands them: `dot: true`, files only, `*`, `?`,
//! `[…]` classes, `**` for any depth and `{a,b}` alternatives. Hand-written: the glob crates
//! for Rust walk `std::fs`, which wasm does not have, or match with a regex engine that
//! would add more to the package than this whole module.

use crate::error::{Error, Result};
use crate::image::LocalKind;
use crate::object_storage::LocalFiles;

/// Whether `fast-glob` would treat `source` as a pattern.
pub fn is_glob(source: &str) -> bool {
    source.starts_with('!') || source.contains(['*', '?', '[', '{']) || is_extglob(source)
}

fn is_extglob(source: &str) -> bool {
    ["?(", "*(", "+(", "@(", "!("].iter().any(|x| source.contains(x))
}

/// `a{b,c}d` → `abd`, `acd` (nested braces expand from the inside out).
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else { return vec![pattern.to_string()] };
    let mut depth = 0;
    let mut close = None;
    let mut commas = Vec::new();
    for (i, c) in pattern[open..].char_indices().map(|(i, c)| (i + open, c)) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close.filter(|_| !commas.is_empty()) else { return vec![pattern.to_string()] };
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut bounds = vec![open];
    bounds.extend(&commas);
    bounds.push(close);
    bounds.windows(2).flat_map(|w| expand_braces(&format!("{head}{}{tail}", &pattern[w[0] + 1..w[1]]))).collect()
}

/// One path segment against one pattern segment (`*`, `?`, `[…]`, `\` escapes).
fn matches(pattern: &[char], name: &[char]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some(('*', rest)) => (0..=name.len()).any(|i| matches(rest, &name[i..])),
        Some(('?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
        Some(('[', rest)) => {
            let Some((&c, name_rest)) = name.split_first() else { return false };
            let negate = matches!(rest.first(), Some('!' | '^'));
            let body = if negate { &rest[1..] } else { rest };
            let Some(end) = body.iter().skip(1).position(|&x| x == ']').map(|p| p + 1) else {
                return c == '[' && matches(rest, name_rest);
            };
            let class = &body[..end];
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= (class[i]..=class[i + 2]).contains(&c);
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && matches(&body[end + 1..], name_rest)
        }
        Some(('\\', rest)) if !rest.is_empty() => name.first() == Some(&rest[0]) && matches(&rest[1..], &name[1..]),
        Some((&p, rest)) => name.first() == Some(&p) && matches(rest, &name[1..]),
    }
}

fn child(dir: &str, name: &str) -> String {
    match dir {
        "" => name.to_string(),
        "/" => format!("/{name}"),
        d => format!("{d}/{name}"),
    }
}

fn walk(files: &dyn LocalFiles, dir: &str, rest: &[&str], out: &mut Vec<String>) -> Result<()> {
    let Some((&seg, after)) = rest.split_first() else { return Ok(()) };
    // An unreadable directory holds no matches, as for fast-glob.
    let Ok(listed) = files.list(if dir.is_empty() { "." } else { dir }) else { return Ok(()) };
    if seg == "**" {
        // Zero directories, then each subdirectory with `**` still ahead.
        walk(files, dir, after, out)?;
        for (name, kind) in &listed {
            if *kind == LocalKind::Dir {
                walk(files, &child(dir, name), rest, out)?;
            }
        }
        return Ok(());
    }
    let pattern: Vec<char> = seg.chars().collect();
    for (name, kind) in listed {
        if !matches(&pattern, &name.chars().collect::<Vec<_>>()) {
            continue;
        }
        match (after.is_empty(), kind) {
            (true, LocalKind::File) => out.push(child(dir, &name)),
            (false, LocalKind::Dir) => walk(files, &child(dir, &name), after, out)?,
            _ => {}
        }
    }
    Ok(())
}

/// The files `pattern` matches, in `readdir` order, each once.
pub fn expand(files: &dyn LocalFiles, pattern: &str) -> Result<Vec<String>> {
    if pattern.starts_with('!') || is_extglob(pattern) {
        return Err(Error::InvalidArgument(format!("COPY source {pattern}: negated and extended glob patterns are not supported")));
    }
    let mut out = Vec::new();
    for alternative in expand_braces(pattern) {
        let segments: Vec<&str> = alternative.split('/').collect();
        // The leading segments without pattern characters are where the walk starts.
        let fixed = segments.iter().take_while(|s| !is_glob(s)).count();
        let base = match segments[..fixed].join("/") {
            b if b.is_empty() && alternative.starts_with('/') => "/".to_string(),
            b => b,
        };
        if fixed == segments.len() {
            if files.kind(&base)? == Some(LocalKind::File) {
                out.push(base);
            }
            continue;
        }
        // A missing start matches nothing (asking also fails where there is no file system).
        if files.kind(if base.is_empty() { "." } else { &base })? == Some(LocalKind::Dir) {
            walk(files, &base, &segments[fixed..], &mut out)?;
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_match_as_fast_glob_does() {
        let m = |p: &str, n: &str| matches(&p.chars().collect::<Vec<_>>(), &n.chars().collect::<Vec<_>>());
        assert!(m("*.py", "a.py") && m("*.py", ".hidden.py") && !m("*.py", "a.pyc"));
        assert!(m("?.txt", "a.txt") && !m("?.txt", "ab.txt"));
        assert!(m("[ab]*", "apple") && !m("[!ab]*", "apple") && m("[a-c]x", "bx") && !m("[a-c]x", "dx"));
        assert!(m("\\*x", "*x") && !m("\\*x", "ax"));
        assert_eq!(expand_braces("src/{a,b{1,2}}.txt"), ["src/a.txt", "src/b1.txt", "src/b2.txt"]);
        assert_eq!(expand_braces("no-braces"), ["no-braces"]);
    }
}
