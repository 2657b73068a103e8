//! `shell-quote`'s `quote` for one string, as the official SDK's `Image` uses it (npm
//! shell-quote 1.12.0, the version `@daytonaio/sdk` 0.218.0 resolves). Written
//! here because the Dockerfile bytes must match that package's exact rules, quirks included.

/// JavaScript's `\s`: what the package's regexes call whitespace.
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

fn special(c: char) -> bool {
    "#!\"$&'()*,:;<=>?@[\\]^`{|}~".contains(c)
}

pub fn quote(s: &str) -> String {
    let has = |f: &dyn Fn(char) -> bool| s.chars().any(f);
    if s.is_empty() {
        return "''".into();
    }
    if s.contains('\'') && s.contains('!') {
        return format!("'{}'", s.replace('\'', "'\"'\"'"));
    }
    if has(&|c| c == '"' || c == '\\' || js_space(c)) && !s.contains('\'') {
        return format!("'{s}'");
    }
    if has(&|c| c == '"' || c == '\'' || js_space(c)) {
        let mut out = String::from("\"");
        for c in s.chars() {
            if matches!(c, '"' | '\\' | '$' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        return out;
    }
    // Every special character gets a backslash, except that the package's regex
    // `([A-Za-z]:)?(special)` leaves the `:` of a letter-colon pair unescaped when another
    // special character follows it (`C:#` → `C:\#`).
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() && chars.get(i + 1) == Some(&':') && chars.get(i + 2).is_some_and(|&n| special(n)) {
            out.extend([c, ':', '\\', chars[i + 2]]);
            i += 3;
            continue;
        }
        if special(c) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Several strings, each quoted, joined by a space (the package's `quote([...])`).
pub fn quote_all<S: AsRef<str>>(xs: &[S]) -> String {
    xs.iter().map(|s| quote(s.as_ref())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_shell_quote_1_12_rules() {
        // The protocol's captured examples, then one per rule.
        for (input, want) in [
            ("it's!", r#"'it'"'"'s!'"#),
            ("a b", "'a b'"),
            ("a\"b", "'a\"b'"),
            ("x$y\"z w", "'x$y\"z w'"),
            ("", "''"),
            ("it's", "\"it's\""),
            ("it's $x", "\"it's \\$x\""),
            ("pandas>=2", "pandas\\>\\=2"),
            ("https://x/y", "https\\://x/y"),
            ("C:#", "C:\\#"),
            ("a::", "a:\\:"),
            ("~/x", "\\~/x"),
            ("back\\slash", "'back\\slash'"),
            ("plain-name_1.0", "plain-name_1.0"),
        ] {
            assert_eq!(quote(input), want, "quote({input:?})");
        }
        assert_eq!(quote_all(&["numpy", "pandas>=2"]), "numpy pandas\\>\\=2");
    }
}
