//! Finding the sources of a Dockerfile's `COPY` instructions, as the official SDK does:
//! logical lines, `--from=` and heredocs skipped, leading flags dropped,
//! JSON-array or shell-word form, the last word being the destination.

/// Backslash-continued physical lines joined; blank and comment lines inside a
/// continuation dropped (as Docker does).
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current: Option<String> = None;
    for physical in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        let comment = physical.trim_start().starts_with('#');
        if current.is_some() && (physical.trim().is_empty() || comment) {
            continue;
        }
        let stripped = physical.trim_end();
        let continued = !comment && stripped.ends_with('\\');
        let segment = if continued { &stripped[..stripped.len() - 1] } else { physical };
        let joined = current.take().unwrap_or_default() + segment;
        if continued {
            current = Some(joined);
        } else {
            lines.push(joined);
        }
    }
    lines.extend(current);
    lines
}

/// Is this line a `COPY` of build-context files (case-insensitive, not `--from=`)?
fn is_context_copy(line: &str) -> bool {
    let trimmed = line.trim_start();
    let Some(head) = trimmed.get(..4) else { return false };
    head.eq_ignore_ascii_case("copy") && trimmed[4..].starts_with(|c: char| c.is_whitespace()) && !trimmed.contains("--from=") && !line.contains("<<")
}

/// Shell words with quotes and backslashes resolved, as `shell-quote`'s `parse` yields them
/// for a COPY line. A word with an unquoted `*` or `?` (escaped or not) is a glob
/// operator to `shell-quote`, not a string, so the official SDK drops it: so do we.
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut glob = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        glob |= c == '*' || c == '?' || (c == '\\' && matches!(chars.peek(), Some('*' | '?')));
        match c {
            c if c.is_whitespace() => {
                words.extend(word.take().filter(|_| !glob));
                glob = false;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                w.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word.filter(|_| !glob));
    words
}

fn parse_copy(line: &str) -> Option<Vec<String>> {
    let mut rest = line.trim()[4..].trim();
    // Value-taking flags use `--flag=value`, boolean ones stand alone: a flag is one token.
    while rest.starts_with("--") {
        rest = rest.find(char::is_whitespace).map_or("", |i| rest[i..].trim_start());
    }
    let mut words = if rest.starts_with('[') { serde_json::from_slice::<Vec<String>>(rest.as_bytes()).ok()? } else { shell_words(rest) };
    if words.len() < 2 {
        return None;
    }
    words.pop(); // the destination
    Some(words)
}

/// The source paths of every build-context `COPY` in `dockerfile`, in order.
pub fn copy_sources(dockerfile: &str) -> Vec<String> {
    logical_lines(dockerfile)
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#') && is_context_copy(l))
        .filter_map(|l| parse_copy(l))
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_copy_sources_like_the_official_sdk() {
        let text = "FROM x\nCOPY a.txt /a.txt\ncopy --chown=1:1 --link dir /dir\nCOPY --from=build /b /b\n\
                    COPY [\"j 1\", \"j2\", \"/d/\"]\nCOPY \\\n  # a comment\n  multi \\\n  /m\nCOPY <<EOF /h\nRUN cp a b\n\
                    COPY 'q a' \"w\\\"b\" /x\nCOPY only\nCOPY *.py 'q*.txt' a\\?b src/{a,b} /g/\nCOPY [\"*.json\", \"/j/\"]\n";
        assert_eq!(copy_sources(text), ["a.txt", "dir", "j 1", "j2", "multi", "q a", "w\"b", "q*.txt", "src/{a,b}", "*.json"]);
    }
}
