//! The declarative image builder: each method appends the Dockerfile text the official SDK
//! appends for the same call, byte for byte.

mod copy;
mod glob;
mod path;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod quote;

use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::error::{Error, Result};
use crate::object_storage::{LocalFiles, RealPath};
pub use copy::copy_sources;
use quote::{quote, quote_all};

const PYTHON_MICRO_VERSIONS: [&str; 5] = ["3.9.22", "3.10.17", "3.11.12", "3.12.10", "3.13.3"];

/// A file or directory the build needs from the client's side: a local path, or (in any
/// runtime) bytes given in memory, which `contextList` carries as `data`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageContext {
    pub source_path: String,
    pub archive_path: String,
    pub data: Option<Vec<u8>>,
}

/// `pipInstall` options, appended in this order: find-links, index-url, extra-index-urls,
/// pre, extra options.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", serde(rename_all = "camelCase"))]
pub struct PipInstallOptions {
    #[cfg_attr(feature = "ts", serde(default))]
    pub find_links: Vec<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub index_url: Option<String>,
    #[cfg_attr(feature = "ts", serde(default))]
    pub extra_index_urls: Vec<String>,
    #[cfg_attr(feature = "ts", serde(default))]
    pub pre: bool,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub extra_options: Option<String>,
}

impl FromArg for PipInstallOptions {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(PipInstallOptions {
            find_links: f.or_default("findLinks"),
            index_url: f.opt("indexUrl"),
            extra_index_urls: f.or_default("extraIndexUrls"),
            pre: f.or_default("pre"),
            extra_options: f.opt("extraOptions"),
        })
    }
}

impl PipInstallOptions {
    fn args(&self) -> String {
        let mut out = String::new();
        for link in &self.find_links {
            out += &format!(" --find-links {}", quote(link));
        }
        if let Some(url) = self.index_url.as_deref().filter(|u| !u.is_empty()) {
            out += &format!(" --index-url {}", quote(url));
        }
        for url in &self.extra_index_urls {
            out += &format!(" --extra-index-url {}", quote(url));
        }
        if self.pre {
            out += " --pre";
        }
        if let Some(extra) = self.extra_options.as_deref().filter(|e| !e.is_empty()) {
            out += " ";
            out += extra.trim();
        }
        out
    }
}

/// One `runCommands` argument: a shell line, or an exec-form argument list.
#[derive(Debug, Clone)]
pub enum RunCommand {
    Shell(String),
    Exec(Vec<String>),
}

/// What the host says of a local path (the facade asks it; the core never touches files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    File,
    Dir,
    Other,
}

/// A local path as given, with `~` expanded the way the official SDK's `expand-tilde` does,
/// and what is there (`None`: nothing).
#[derive(Debug, Clone)]
pub struct LocalPath {
    pub given: String,
    pub expanded: String,
    pub kind: Option<LocalKind>,
}

impl LocalPath {
    /// `Err` unless a `want` is there: not found, or the official SDK's "exists but is not".
    fn expect(&self, want: LocalKind, missing: &str, wrong: &str) -> Result<()> {
        match self.kind {
            None => Err(Error::NotFound(format!("{missing} {} does not exist", self.given))),
            Some(kind) if kind == want => Ok(()),
            Some(_) => Err(Error::InvalidArgument(format!(
                "{wrong} {} exists but is not a {}",
                self.given,
                match want {
                    LocalKind::Dir => "directory",
                    _ => "file",
                }
            ))),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Image {
    dockerfile: String,
    context_list: Vec<ImageContext>,
}

impl Image {
    pub fn dockerfile(&self) -> &str {
        &self.dockerfile
    }

    pub fn context_list(&self) -> &[ImageContext] {
        &self.context_list
    }

    /// `FROM <image>`, the reference taken as given.
    pub fn base(image: &str) -> Image {
        Image { dockerfile: format!("FROM {image}\n"), context_list: Vec::new() }
    }

    /// The official Python image's Debian slim variant for a supported series (3.9–3.13,
    /// default 3.13), with build tools and a non-interactive debconf.
    pub fn debian_slim(python_version: Option<&str>) -> Result<Image> {
        let series = python_version.filter(|v| !v.is_empty()).unwrap_or("3.13");
        let version = PYTHON_MICRO_VERSIONS.iter().find(|v| v.rsplit_once('.').is_some_and(|(s, _)| s == series)).ok_or_else(|| {
            let all: Vec<&str> = PYTHON_MICRO_VERSIONS.iter().filter_map(|v| v.rsplit_once('.').map(|(s, _)| s)).collect();
            Error::InvalidArgument(format!("Unsupported Python version: {series}. Daytona supports the following series: {}", all.join(", ")))
        })?;
        Ok(Image {
            dockerfile: format!(
                "FROM python:{version}-slim-bookworm\nRUN apt-get update\nRUN apt-get install -y gcc gfortran build-essential\n\
                 RUN pip install --upgrade pip\nRUN echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections\n"
            ),
            context_list: Vec::new(),
        })
    }

    /// `RUN python -m pip install <sorted packages><options>`; nothing for no packages.
    pub fn pip_install(&mut self, mut packages: Vec<String>, options: &PipInstallOptions) {
        if packages.is_empty() {
            return;
        }
        // JS's default sort: by UTF-16 code units.
        crate::small_sort::sort_by(&mut packages, |a, b| a.encode_utf16().lt(b.encode_utf16()));
        self.dockerfile += &format!("RUN python -m pip install {}{}\n", quote_all(&packages), options.args());
    }

    pub fn run_commands(&mut self, commands: &[RunCommand]) {
        for command in commands {
            match command {
                RunCommand::Shell(line) => self.dockerfile += &format!("RUN {line}\n"),
                RunCommand::Exec(args) => {
                    let args: Vec<String> = args.iter().map(|a| format!("\"{}\"", a.replace('"', "\\\\\\\"").replace('\'', "\\'"))).collect();
                    self.dockerfile += &format!("RUN {}\n", args.join(" "));
                }
            }
        }
    }

    /// `ENV K=<quoted value>` per variable, in the order given.
    pub fn env(&mut self, vars: &[(String, String)]) {
        for (key, value) in vars {
            self.dockerfile += &format!("ENV {key}={}\n", quote(value));
        }
    }

    pub fn workdir(&mut self, dir: &str) {
        self.dockerfile += &format!("WORKDIR {}\n", quote(dir));
    }

    /// `ENTRYPOINT ["a", "b"]`: elements wrapped in quotes without escaping, as the official
    /// SDK writes them.
    pub fn entrypoint(&mut self, args: &[String]) {
        self.dockerfile += &format!("ENTRYPOINT [{}]\n", exec_form(args));
    }

    pub fn cmd(&mut self, args: &[String]) {
        self.dockerfile += &format!("CMD [{}]\n", exec_form(args));
    }

    /// `pipInstallFromPyproject`: `[project].dependencies` and the named optional groups, as
    /// a `pipInstall` (so sorted). `parsed` reads the file (the TOML as JSON, or the parser's
    /// message); it is called once the file is known to exist.
    pub fn pip_install_from_pyproject(
        &mut self,
        file: &LocalPath,
        parsed: impl FnOnce() -> std::result::Result<serde_json::Value, String>,
        optional_groups: Option<&[String]>,
        options: &PipInstallOptions,
    ) -> Result<()> {
        file.expect(LocalKind::File, "pyproject.toml file", "pyproject.toml path")?;
        let data = parsed().map_err(|e| Error::InvalidArgument(format!("Invalid pyproject.toml file {}: {e}", file.given)))?;
        let project = &data["project"];
        let deps = project["dependencies"].as_array().ok_or_else(|| {
            Error::InvalidArgument("No [project.dependencies] section in pyproject.toml file. See https://packaging.python.org/en/latest/guides/writing-pyproject-toml for further file format guidelines.".into())
        })?;
        let strings = |list: &Vec<serde_json::Value>| list.iter().filter_map(|d| d.as_str().map(String::from)).collect::<Vec<_>>();
        let mut all = strings(deps);
        let groups = &project["optional-dependencies"];
        if let (Some(wanted), false) = (optional_groups, groups.is_null()) {
            let groups = groups.as_object().ok_or_else(|| Error::InvalidArgument("optional-dependencies must be a mapping in pyproject.toml".into()))?;
            for group in wanted {
                all.extend(groups.get(group).and_then(|g| g.as_array()).map(strings).unwrap_or_default());
            }
        }
        self.pip_install(all, options);
        Ok(())
    }

    /// `COPY <local> <remote>`; a `remote` ending in `/` gets the local file's name.
    pub fn add_local_file(&mut self, local: &LocalPath, remote: &str) -> Result<()> {
        let mut remote = remote.to_string();
        if remote.ends_with('/') {
            remote += &path::basename(&local.given);
        }
        local.expect(LocalKind::File, "Local file", "Local path")?;
        self.copy(&local.expanded, &remote);
        Ok(())
    }

    /// `addLocalFile` with the content itself (any runtime): it goes into the context as
    /// `bytes/<md5 of the content>`, and `remote` must name the file.
    pub fn add_bytes(&mut self, data: Vec<u8>, remote: &str) -> Result<()> {
        if remote.is_empty() || remote.ends_with('/') {
            return Err(Error::InvalidArgument("addLocalFile: with bytes instead of a local path, remotePath must name the file".into()));
        }
        let archive = format!("bytes/{}", crate::object_storage::md5_hex(&data));
        self.dockerfile += &format!("COPY {archive} {remote}\n");
        self.context_list.push(ImageContext { source_path: archive.clone(), archive_path: archive, data: Some(data) });
        Ok(())
    }

    pub fn add_local_dir(&mut self, local: &LocalPath, remote: &str) -> Result<()> {
        local.expect(LocalKind::Dir, "Local directory", "Local path")?;
        self.copy(&local.expanded, remote);
        Ok(())
    }

    /// The requirements file is copied in, then installed with the pip options.
    pub fn pip_install_from_requirements(&mut self, file: &LocalPath, options: &PipInstallOptions) -> Result<()> {
        file.expect(LocalKind::File, "Requirements file", "Requirements path")?;
        self.copy(&file.expanded, "/.requirements.txt");
        self.dockerfile += &format!("RUN python -m pip install -r /.requirements.txt{}\n", options.args());
        Ok(())
    }

    fn copy(&mut self, source: &str, destination: &str) {
        self.context_list.push(ImageContext { source_path: source.into(), archive_path: source.into(), data: None });
        self.dockerfile += &format!("COPY {source} {destination}\n");
    }

    /// Appends the lines; the sources of their `COPY` instructions join the context,
    /// relative to `context_dir` when given (which must be a directory).
    /// With `strict` (the official SDK's `strictContext`), sources must stay inside
    /// `context_dir`, links resolved, and paths are taken from its expanded form.
    pub fn dockerfile_commands(&mut self, lines: &[String], context_dir: Option<&LocalPath>, strict: bool, files: &dyn LocalFiles) -> Result<()> {
        if context_dir.is_none() && strict {
            return Err(Error::InvalidArgument("strictContext requires contextDir so that the build context boundary is explicit".into()));
        }
        if let Some(dir) = context_dir {
            dir.expect(LocalKind::Dir, "Context directory", "Context path")?;
        }
        let text = lines.join("\n");
        let prefix = context_dir.map_or("", |d| if strict { d.expanded.as_str() } else { d.given.as_str() });
        self.context_list.extend(copy_context(&text, prefix, strict, files)?);
        self.dockerfile += &text;
        self.dockerfile.push('\n');
        Ok(())
    }

    /// An image from a Dockerfile's text; `file.expanded` is its absolute path, whose
    /// directory its `COPY` sources are relative to.
    pub fn from_dockerfile(file: &LocalPath, text: String, strict: bool, files: &dyn LocalFiles) -> Result<Image> {
        file.expect(LocalKind::File, "Dockerfile", "Dockerfile path")?;
        let prefix = path::dirname(&file.expanded) + "/";
        Ok(Image { context_list: copy_context(&text, &prefix, strict, files)?, dockerfile: text })
    }
}

/// The context entries for the `COPY` sources of `text` under `prefix` (a context directory,
/// or a Dockerfile's directory and `/`; empty for none), as the official SDK computes them.
/// A pattern matching nothing stands for itself, as in the official SDK.
fn copy_context(text: &str, prefix: &str, strict: bool, files: &dyn LocalFiles) -> Result<Vec<ImageContext>> {
    let root = match strict {
        true => Some(match files.real_path(prefix)? {
            RealPath::Resolved(r) => path::normalize(&r),
            _ => path::normalize(prefix),
        }),
        false => None,
    };
    let mut out = Vec::new();
    for source in copy_sources(text) {
        if root.is_some() {
            source_within_context(&source)?;
        }
        let pattern = if path::is_absolute(&source) { source.clone() } else { path::join(prefix, &source) };
        let matched = if glob::is_glob(&source) { glob::expand(files, &pattern)? } else { Vec::new() };
        let paths = if matched.is_empty() { vec![pattern] } else { matched };
        for found in paths {
            if let Some(root) = &root {
                within_context(files, root, &found)?;
            }
            let archive = if !prefix.is_empty() && !source.starts_with(prefix) {
                // JS `substring(prefix.length)`: UTF-16 units.
                let tail: Vec<u16> = found.encode_utf16().skip(prefix.encode_utf16().count()).collect();
                String::from_utf16_lossy(&tail).trim_start_matches(['/', '\\']).to_string()
            } else {
                found.clone()
            };
            out.push(ImageContext { source_path: found, archive_path: archive, data: None });
        }
    }
    Ok(out)
}

fn outside(what: &str) -> Error {
    Error::InvalidArgument(format!("forbidden path outside the build context: {what}"))
}

/// `strictContext`: a source must be relative and must not climb out, decided on its text.
fn source_within_context(source: &str) -> Result<()> {
    let normalized = path::normalize(source);
    let drive = source.len() >= 2 && source.as_bytes()[1] == b':' && source.as_bytes()[0].is_ascii_alphabetic();
    if path::is_absolute(source) || drive || source.starts_with("\\\\") || normalized == ".." || normalized.starts_with("../") {
        return Err(outside(source));
    }
    Ok(())
}

/// `strictContext`: what a path really is (links resolved) must lie inside `root`; a link
/// leading nowhere is refused, a missing path passes (it cannot be archived anyway).
fn within_context(files: &dyn LocalFiles, root: &str, candidate: &str) -> Result<()> {
    match files.real_path(candidate)? {
        RealPath::Resolved(real) => {
            let real = path::normalize(&real);
            let inside = real == root || real.starts_with(&format!("{}/", root.trim_end_matches('/'))) || root == "/";
            if inside {
                Ok(())
            } else {
                Err(outside(&real))
            }
        }
        RealPath::Dangling => Err(outside(candidate)),
        RealPath::Missing => Ok(()),
    }
}

fn exec_form(args: &[String]) -> String {
    args.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protocols_captured_example() {
        let mut img = Image::debian_slim(Some("3.12")).unwrap();
        let opts = PipInstallOptions {
            find_links: vec!["https://x/y".into()],
            index_url: Some("https://index.example/simple".into()),
            extra_index_urls: vec!["https://e/i".into()],
            pre: true,
            extra_options: Some(" --no-cache ".into()),
        };
        img.pip_install(vec!["pandas>=2".into(), "numpy".into()], &opts);
        img.env(&[("FOO".into(), "bar baz".into()), ("X".into(), "it's".into())]);
        img.workdir("/my dir");
        img.run_commands(&[RunCommand::Exec(vec!["bash".into(), "-c".into(), "echo \"q\" it's".into()])]);
        img.entrypoint(&["/bin/sh".into(), "-c".into()]);
        let tail: Vec<&str> = img.dockerfile().lines().skip(5).collect();
        assert_eq!(
            tail,
            [
                r"RUN python -m pip install numpy pandas\>\=2 --find-links https\://x/y --index-url https\://index.example/simple --extra-index-url https\://e/i --pre --no-cache",
                "ENV FOO='bar baz'",
                "ENV X=\"it's\"",
                "WORKDIR '/my dir'",
                r#"RUN "bash" "-c" "echo \\\"q\\\" it\'s""#,
                r#"ENTRYPOINT ["/bin/sh", "-c"]"#,
            ]
        );
        assert!(img.dockerfile().starts_with("FROM python:3.12.10-slim-bookworm\nRUN apt-get update\n"));
    }

    #[test]
    fn unsupported_python_is_an_invalid_argument() {
        let err = Image::debian_slim(Some("2.7")).unwrap_err();
        assert_eq!(err, Error::InvalidArgument("Unsupported Python version: 2.7. Daytona supports the following series: 3.9, 3.10, 3.11, 3.12, 3.13".into()));
        assert!(Image::debian_slim(None).unwrap().dockerfile().starts_with("FROM python:3.13.3-slim-bookworm\n"));
    }

    #[test]
    fn local_files_are_copied_with_their_expanded_paths() {
        let at = |given: &str, kind| LocalPath { given: given.into(), expanded: format!("/h/{given}"), kind };
        let mut img = Image::base("b");
        img.add_local_file(&at("cfg/app.json", Some(LocalKind::File)), "/etc/app/").unwrap();
        img.add_local_dir(&at("src", Some(LocalKind::Dir)), "/src").unwrap();
        img.pip_install_from_requirements(&at("req.txt", Some(LocalKind::File)), &PipInstallOptions { pre: true, ..Default::default() }).unwrap();
        assert_eq!(
            img.dockerfile(),
            "FROM b\nCOPY /h/cfg/app.json /etc/app/app.json\nCOPY /h/src /src\n\
                                      COPY /h/req.txt /.requirements.txt\nRUN python -m pip install -r /.requirements.txt --pre\n"
        );
        assert_eq!(img.context_list()[1], ImageContext { source_path: "/h/src".into(), archive_path: "/h/src".into(), data: None });
        assert_eq!(img.add_local_file(&at("gone", None), "/x"), Err(Error::NotFound("Local file gone does not exist".into())));
        assert_eq!(img.add_local_dir(&at("f", Some(LocalKind::File)), "/x"), Err(Error::InvalidArgument("Local path f exists but is not a directory".into())));
        assert_eq!(img.context_list().len(), 3, "a refused call adds nothing");
    }

    #[test]
    fn dockerfile_copy_sources_become_context_entries() {
        let file = LocalPath { given: "Dockerfile".into(), expanded: "/tmp/imgtest/Dockerfile".into(), kind: Some(LocalKind::File) };
        let files = crate::testing::MemFiles(
            ["/tmp/imgtest/src/a.py", "/tmp/imgtest/src/.b.py", "/tmp/imgtest/src/c.txt", "/tmp/imgtest/src/deep/d.py"]
                .iter()
                .map(|p| (p.to_string(), Some(Vec::new())))
                .chain(["/tmp/imgtest/src", "/tmp/imgtest/src/deep"].iter().map(|p| (p.to_string(), None)))
                .collect(),
        );
        let img = Image::from_dockerfile(&file, "FROM x\nCOPY a.txt /a.txt\nCOPY --chown=1:1 dir /dir\nCOPY /abs/f /f\n".into(), false, &files).unwrap();
        let pairs: Vec<(&str, &str)> = img.context_list().iter().map(|c| (c.source_path.as_str(), c.archive_path.as_str())).collect();
        // The protocol's captured example, then an absolute source outside the directory.
        assert_eq!(pairs, [("/tmp/imgtest/a.txt", "a.txt"), ("/tmp/imgtest/dir", "dir"), ("/abs/f", "")]);
        // Globs: files only, dot files too, each match an entry; no match stands for itself.
        let img = Image::from_dockerfile(&file, "COPY [\"src/*.py\", \"src/**/d.{py,rs}\", \"none/*.x\", \"/app/\"]\n".into(), false, &files).unwrap();
        let pairs: Vec<(&str, &str)> = img.context_list().iter().map(|c| (c.source_path.as_str(), c.archive_path.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("/tmp/imgtest/src/.b.py", "src/.b.py"),
                ("/tmp/imgtest/src/a.py", "src/a.py"),
                ("/tmp/imgtest/src/deep/d.py", "src/deep/d.py"),
                ("/tmp/imgtest/none/*.x", "none/*.x"),
            ]
        );
        assert!(matches!(Image::from_dockerfile(&file, "COPY !(x) /app\n".into(), false, &files), Err(Error::InvalidArgument(_))));
        let mut img = Image::base("b");
        img.dockerfile_commands(&["COPY ./a.txt /a".into()], None, false, &files).unwrap();
        // strictContext: sources stay inside the context directory.
        let dir = LocalPath { given: "/tmp/imgtest/src".into(), expanded: "/tmp/imgtest/src".into(), kind: Some(LocalKind::Dir) };
        let strict = |line: &str| Image::base("b").dockerfile_commands(&[line.into()], Some(&dir), true, &files).map_err(|e| e.to_string());
        assert_eq!(strict("COPY a.py deep /x/"), Ok(()));
        for bad in ["COPY ../a.txt /x", "COPY /etc/passwd /x", "COPY deep/../../a.txt /x"] {
            assert!(strict(bad).unwrap_err().starts_with("forbidden path outside the build context: "), "{bad}");
        }
        assert!(Image::base("b")
            .dockerfile_commands(&["COPY a /a".into()], None, true, &files)
            .unwrap_err()
            .to_string()
            .starts_with("strictContext requires contextDir"));
        assert_eq!(img.context_list()[0], ImageContext { source_path: "a.txt".into(), archive_path: "a.txt".into(), data: None });
    }

    #[test]
    fn pyproject_dependencies_and_optional_groups_are_pip_installed_sorted() {
        let at = |given: &str, kind| LocalPath { given: given.into(), expanded: format!("/h/{given}"), kind };
        let file = at("pyproject.toml", Some(LocalKind::File));
        let data = serde_json::json!({"project": {"dependencies": ["requests>=2", "attrs"], "optional-dependencies": {"dev": ["pytest"], "docs": ["sphinx"]}}});
        let mut img = Image::base("b");
        img.pip_install_from_pyproject(&file, || Ok(data.clone()), Some(&["dev".to_string(), "none".to_string()]), &PipInstallOptions::default()).unwrap();
        assert_eq!(img.dockerfile(), "FROM b\nRUN python -m pip install attrs pytest requests\\>\\=2\n");
        let err = |r: Result<()>| r.unwrap_err().to_string();
        let mut img = Image::base("b");
        assert!(err(img.pip_install_from_pyproject(&file, || Ok(serde_json::json!({"project": {}})), None, &PipInstallOptions::default()))
            .starts_with("No [project.dependencies] section"));
        assert_eq!(
            err(img.pip_install_from_pyproject(&file, || Err("bad key".into()), None, &PipInstallOptions::default())),
            "Invalid pyproject.toml file pyproject.toml: bad key"
        );
        let missing = at("nope.toml", None);
        assert_eq!(
            err(img.pip_install_from_pyproject(&missing, || unreachable!(), None, &PipInstallOptions::default())),
            "pyproject.toml file nope.toml does not exist"
        );
    }

    #[test]
    fn empty_pip_install_adds_nothing() {
        let mut img = Image::base("alpine");
        img.pip_install(vec![], &PipInstallOptions::default());
        assert_eq!(img.dockerfile(), "FROM alpine\n");
    }
}
