//! Reads a Dockerfile into the steps daytona-local can carry out. Docker's own parser is Go
//! (BuildKit) and no Rust crate parses Dockerfiles well, so this is the small subset the
//! official SDK's `Image` writes plus what hand-written Dockerfiles commonly use; anything
//! else is refused by name rather than skipped.

/// One instruction, with the text it came from (for the build log).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub text: String,
    pub instr: Instr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Instr {
    From(String),
    /// The program and its arguments (the shell form as `/bin/sh -c …`).
    Run(Vec<String>),
    Env(Vec<(String, String)>),
    /// Build-time variables, with their defaults.
    Arg(Vec<(String, Option<String>)>),
    Workdir(String),
    Copy {
        sources: Vec<String>,
        dest: String,
    },
    Cmd(Vec<String>),
    Entrypoint(Vec<String>),
    /// An instruction with no meaning here (the log says so): `LABEL`, `EXPOSE`, `USER`…
    Ignored,
}

fn words(rest: &str, what: &str) -> Result<Vec<String>, String> {
    shell_words::split(rest).map_err(|e| format!("{what}: {e}"))
}

/// `["a", "b"]` (JSON) or a shell command, which runs under `/bin/sh -c`.
fn exec_or_shell(rest: &str) -> Vec<String> {
    match rest.starts_with('[').then(|| serde_json::from_str::<Vec<String>>(rest).ok()).flatten() {
        Some(argv) => argv,
        None => vec!["/bin/sh".into(), "-c".into(), rest.into()],
    }
}

fn key_values(rest: &str) -> Result<Vec<(String, String)>, String> {
    let first = rest.split_whitespace().next().unwrap_or_default();
    if !first.contains('=') {
        // The old form: `ENV KEY value with spaces`.
        let (k, v) = rest.split_once(char::is_whitespace).ok_or("ENV needs a name and a value")?;
        return Ok(vec![(k.to_string(), v.trim().to_string())]);
    }
    words(rest, "ENV")?
        .into_iter()
        .map(|w| w.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).ok_or_else(|| format!("ENV: {w:?} is not NAME=value")))
        .collect()
}

fn copy(keyword: &str, mut rest: &str) -> Result<Instr, String> {
    // Options (`--chown=…`) come first, before either form.
    while let Some(flag) = rest.strip_prefix("--") {
        let (flag, after) = flag.split_once(char::is_whitespace).unwrap_or((flag, ""));
        if flag.starts_with("from") {
            return Err(format!("{keyword} --{flag}: multi-stage builds are not supported"));
        }
        rest = after.trim_start();
    }
    let mut parts = match rest.starts_with('[') {
        true => serde_json::from_str::<Vec<String>>(rest).map_err(|e| format!("{keyword}: {e}"))?,
        false => words(rest, keyword)?,
    };
    let dest = parts.pop().filter(|_| !parts.is_empty()).ok_or_else(|| format!("{keyword} needs a source and a destination"))?;
    if let Some(url) = parts.iter().find(|s| s.contains("://") || s.starts_with("git@")) {
        return Err(format!("{keyword} from a URL ({url}) is not supported: only files from the build context"));
    }
    Ok(Instr::Copy { sources: parts, dest })
}

fn instruction(keyword: &str, rest: &str) -> Result<Instr, String> {
    if rest.contains("<<") && matches!(keyword, "RUN" | "COPY" | "ADD") {
        return Err(format!("{keyword} with a heredoc is not supported"));
    }
    Ok(match keyword {
        "FROM" => Instr::From(rest.split_whitespace().find(|w| !w.starts_with("--")).ok_or("FROM needs an image")?.to_string()),
        "RUN" if rest.starts_with("--") => return Err(format!("RUN options ({}) are not supported", rest.split_whitespace().next().unwrap_or_default())),
        "RUN" => Instr::Run(exec_or_shell(rest)),
        "ENV" => Instr::Env(key_values(rest)?),
        "ARG" => Instr::Arg(
            words(rest, "ARG")?
                .into_iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w, None),
                })
                .collect(),
        ),
        "WORKDIR" => match words(rest, "WORKDIR")?.as_slice() {
            [dir] => Instr::Workdir(dir.clone()),
            _ => return Err("WORKDIR needs exactly one path".into()),
        },
        "COPY" | "ADD" => copy(keyword, rest)?,
        "CMD" => Instr::Cmd(exec_or_shell(rest)),
        "ENTRYPOINT" => Instr::Entrypoint(exec_or_shell(rest)),
        "LABEL" | "EXPOSE" | "VOLUME" | "USER" | "HEALTHCHECK" | "STOPSIGNAL" | "SHELL" | "MAINTAINER" | "ONBUILD" => Instr::Ignored,
        other => return Err(format!("unknown instruction {other}")),
    })
}

/// The steps of a Dockerfile, or what in it cannot be built (with its line).
pub fn parse(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        // Comments and blank lines, also inside a continuation, are dropped (as BuildKit does).
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match line.trim_end().strip_suffix('\\') {
            Some(head) => {
                pending.push_str(head);
                continue;
            }
            None => pending.push_str(line),
        }
        let logical = std::mem::take(&mut pending);
        let logical = logical.trim();
        let (keyword, rest) = logical.split_once(char::is_whitespace).unwrap_or((logical, ""));
        let instr = instruction(&keyword.to_ascii_uppercase(), rest.trim()).map_err(|e| format!("{e} (in `{logical}`)"))?;
        steps.push(Step { text: logical.to_string(), instr });
    }
    if !pending.trim().is_empty() {
        return Err("the Dockerfile ends inside a line continuation".into());
    }
    if !steps.first().is_some_and(|s| matches!(s.instr, Instr::From(_))) {
        return Err("the Dockerfile must start with FROM".into());
    }
    match steps.iter().filter(|s| matches!(s.instr, Instr::From(_))).count() {
        1 => Ok(steps),
        _ => Err("multi-stage builds (more than one FROM) are not supported".into()),
    }
}

/// Whether a Dockerfile asks for more than its base image (a build).
pub fn has_build_steps(text: &str) -> bool {
    parse(text).map_or(true, |steps| steps.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn reads_what_the_sdk_image_builder_writes() {
        let text =
            "FROM python:3.12-slim-bookworm\nRUN python -m pip install numpy pandas\\>\\=2 --pre\nENV FOO='bar baz'\nENV X=\"it's\"\nWORKDIR '/my dir'\n\
                    RUN \"bash\" \"-c\" \"echo hi\"\nCOPY /tmp/x/a.txt /home/daytona/a.txt\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"sleep\", \"infinity\"]\n";
        let steps = parse(text).unwrap();
        let instrs: Vec<Instr> = steps.into_iter().map(|s| s.instr).collect();
        assert_eq!(
            instrs,
            vec![
                Instr::From("python:3.12-slim-bookworm".into()),
                Instr::Run(sh("python -m pip install numpy pandas\\>\\=2 --pre")),
                Instr::Env(vec![("FOO".into(), "bar baz".into())]),
                Instr::Env(vec![("X".into(), "it's".into())]),
                Instr::Workdir("/my dir".into()),
                Instr::Run(sh("\"bash\" \"-c\" \"echo hi\"")),
                Instr::Copy { sources: vec!["/tmp/x/a.txt".into()], dest: "/home/daytona/a.txt".into() },
                Instr::Entrypoint(vec!["/bin/sh".into(), "-c".into()]),
                Instr::Cmd(vec!["sleep".into(), "infinity".into()]),
            ]
        );
    }

    #[test]
    fn joins_continuations_and_reads_other_forms() {
        let steps = parse("# c\nfrom alpine AS base\nRUN echo a && \\\n  # inside\n  echo b\nENV A 1 2\nARG V=3 W\nCOPY --chown=1:1 [\"a\", \"b\", \"/d/\"]\nRUN [\"echo\", \"x\"]\nEXPOSE 80\n").unwrap();
        assert_eq!(steps[0].instr, Instr::From("alpine".into()));
        assert_eq!(steps[1].instr, Instr::Run(sh("echo a &&   echo b")));
        assert_eq!(steps[2].instr, Instr::Env(vec![("A".into(), "1 2".into())]));
        assert_eq!(steps[3].instr, Instr::Arg(vec![("V".into(), Some("3".into())), ("W".into(), None)]));
        assert_eq!(steps[4].instr, Instr::Copy { sources: vec!["a".into(), "b".into()], dest: "/d/".into() });
        assert_eq!(steps[5].instr, Instr::Run(vec!["echo".into(), "x".into()]));
        assert_eq!(steps[6].instr, Instr::Ignored);
        assert!(!has_build_steps("FROM alpine\n") && has_build_steps("FROM a\nRUN x\n"));
    }

    #[test]
    fn refuses_what_it_cannot_build() {
        for (text, why) in [
            ("RUN x\n", "must start with FROM"),
            ("FROM a\nFROM b\n", "multi-stage"),
            ("FROM a\nCOPY --from=a /x /y\n", "multi-stage"),
            ("FROM a\nADD https://x/y /y\n", "from a URL"),
            ("FROM a\nRUN <<EOF\nx\nEOF\n", "heredoc"),
            ("FROM a\nRUN --mount=type=cache,target=/c x\n", "RUN options"),
            ("FROM a\nFROBNICATE x\n", "unknown instruction FROBNICATE"),
            ("FROM a\nRUN x \\\n", "continuation"),
            ("FROM a\nCOPY onlyone\n", "a source and a destination"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }

    proptest::proptest! {
        /// Any text, and any mix of Dockerfile-like lines, is steps or an error: never a panic.
        #[test]
        fn parsing_any_text_never_panics(
            text in ".{0,300}",
            lines in proptest::collection::vec(proptest::prop_oneof!["FROM [a-z:.]{0,12}", "RUN .{0,20}", "(COPY|ADD) .{0,20}", "(ENV|ARG|WORKDIR|CMD|ENTRYPOINT) .{0,20}", "#.{0,10}", ".{0,20}\\\\", "\\[.{0,12}"], 0..10),
        ) {
            let _ = parse(&text);
            let _ = parse(&lines.join("\n"));
            let _ = has_build_steps(&lines.join("\n"));
        }
    }
}
