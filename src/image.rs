use std::cell::RefCell;
use std::rc::Rc;

use daytona_core::args::{field, FromArg};
use daytona_core::image::{Image as CoreImage, ImageContext, LocalKind, LocalPath, PipInstallOptions, RunCommand};
use daytona_core::object_storage::upload_contexts;
use daytona_core::{ClientContext, Error};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, opt_from_js};
use crate::errors::{JsErr, JsResult};
use crate::platform::JsLocalFiles;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// `{ expanded, absolute, kind }` for a local path; throws where the runtime has no file
    /// system.
    #[wasm_bindgen(js_name = __localPath, catch)]
    fn local_path_info(what: &str, path: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __readLocalText, catch)]
    fn read_local_text(what: &str, path: &str) -> Result<String, JsValue>;
    /// A local TOML file as plain data; throws the parser's error.
    #[wasm_bindgen(js_name = __readLocalToml, catch)]
    fn read_local_toml(what: &str, path: &str) -> Result<JsValue, JsValue>;
}

/// Asks the host about a local path (Node, Bun, Deno: the entry registered `node:fs`);
/// `absolute` also resolves it against the working directory.
fn local_path(what: &str, given: String, absolute: bool) -> JsResult<LocalPath> {
    let info = local_path_info(what, &given).map_err(JsErr::from_js)?;
    let field = |name: &str| Reflect::get(&info, &name.into()).ok().and_then(|v| v.as_string());
    let kind = match field("kind").as_deref() {
        Some("file") => Some(LocalKind::File),
        Some("dir") => Some(LocalKind::Dir),
        Some(_) => Some(LocalKind::Other),
        None => None,
    };
    let expanded = field(if absolute { "absolute" } else { "expanded" }).unwrap_or_else(|| given.clone());
    Ok(LocalPath { expanded, given, kind })
}

/// `options.strictContext` (official SDK 0.218).
fn strict_context(options: &JsValue) -> bool {
    options.is_object() && Reflect::get(options, &"strictContext".into()).is_ok_and(|v| v.is_truthy())
}

#[wasm_bindgen(typescript_custom_section)]
const IMAGE_TS: &'static str = r#"
export interface Context { sourcePath: string; archivePath: string; data?: Uint8Array; }
"#;

/// A sandbox image defined in code: `Image.base(…)` or `Image.debianSlim(…)`, then chained
/// steps. Each step changes this image and returns it (a new handle on the same image, so
/// both `image.pipInstall(…)` alone and chaining work).
#[wasm_bindgen]
pub struct Image {
    inner: Rc<RefCell<CoreImage>>,
}

impl Image {
    fn new(image: CoreImage) -> Image {
        Image { inner: Rc::new(RefCell::new(image)) }
    }

    /// Another handle on this image (what each step returns).
    fn handle(&self) -> Image {
        Image { inner: self.inner.clone() }
    }

    fn change(&self, f: impl FnOnce(&mut CoreImage)) -> Image {
        f(&mut self.inner.borrow_mut());
        self.handle()
    }
}

/// `string | string[]` nested to any depth, flattened (read by hand: a serde untagged enum
/// costs ~15 KB of wasm); anything else is the official SDK's error `message`.
fn strings(value: &JsValue, nested: bool, out: &mut Vec<String>, message: &str) -> JsResult<()> {
    if let Some(s) = value.as_string() {
        out.push(s);
    } else if nested && Array::is_array(value) {
        for item in Array::from(value).iter() {
            strings(&item, true, out, message)?;
        }
    } else {
        return Err(Error::InvalidArgument(message.into()).into());
    }
    Ok(())
}

/// A flat `string[]`.
fn string_list(value: &JsValue, message: &str) -> JsResult<Vec<String>> {
    if !Array::is_array(value) {
        return Err(Error::InvalidArgument(message.into()).into());
    }
    let mut out = Vec::new();
    for item in Array::from(value).iter() {
        strings(&item, false, &mut out, message)?;
    }
    Ok(out)
}

#[wasm_bindgen]
impl Image {
    /// An image from an existing base image reference (`FROM <image>`).
    pub fn base(image: String) -> Image {
        Image::new(CoreImage::base(&image))
    }

    /// The official Python image's Debian slim variant: series 3.9–3.13 (default 3.13).
    #[wasm_bindgen(js_name = debianSlim)]
    pub fn debian_slim(#[wasm_bindgen(js_name = pythonVersion)] python_version: Option<String>) -> JsResult<Image> {
        Ok(Image::new(CoreImage::debian_slim(python_version.as_deref())?))
    }

    /// The Dockerfile text so far.
    #[wasm_bindgen(getter)]
    pub fn dockerfile(&self) -> String {
        self.inner.borrow().dockerfile().to_string()
    }

    /// The local files and directories the build needs.
    #[wasm_bindgen(getter, js_name = contextList, unchecked_return_type = "Context[]")]
    pub fn context_list(&self) -> JsValue {
        contexts_to_js(self.inner.borrow().context_list())
    }

    /// `pip install` of the packages (sorted), with index and find-links options.
    #[wasm_bindgen(js_name = pipInstall)]
    pub fn pip_install(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] packages: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PipInstallOptions")] options: JsValue,
    ) -> JsResult<Image> {
        let mut list = Vec::new();
        strings(&packages, true, &mut list, "pipInstall: packages must only contain strings")?;
        let options: PipInstallOptions = from_js(options, "options")?;
        Ok(self.change(|img| img.pip_install(list, &options)))
    }

    /// Copies a requirements file in and installs it (Node, Bun, Deno: a local file).
    #[wasm_bindgen(js_name = pipInstallFromRequirements)]
    pub fn pip_install_from_requirements(
        &self,
        #[wasm_bindgen(js_name = requirementsTxt)] requirements_txt: String,
        #[wasm_bindgen(unchecked_optional_param_type = "PipInstallOptions")] options: JsValue,
    ) -> JsResult<Image> {
        let file = local_path("pipInstallFromRequirements", requirements_txt, false)?;
        let options: PipInstallOptions = from_js(options, "options")?;
        self.inner.borrow_mut().pip_install_from_requirements(&file, &options)?;
        Ok(self.handle())
    }

    /// Installs `[project].dependencies` of a local pyproject.toml, plus the optional groups
    /// named in `options.optionalDependencies`, with pip (Node, Bun, Deno).
    /// @throws {DaytonaNotFoundError} if the file does not exist.
    /// @throws {DaytonaInvalidArgumentError} if it is not valid TOML or has no dependencies.
    #[wasm_bindgen(js_name = pipInstallFromPyproject)]
    pub fn pip_install_from_pyproject(
        &self,
        #[wasm_bindgen(js_name = pyprojectToml)] pyproject_toml: String,
        #[wasm_bindgen(unchecked_optional_param_type = "PipInstallOptions & { optionalDependencies?: string[] }")] options: JsValue,
    ) -> JsResult<Image> {
        let file = local_path("pipInstallFromPyproject", pyproject_toml, false)?;
        let (pip, groups): (PipInstallOptions, Option<Vec<String>>) = match opt_from_js::<serde_json::Value>(options, "options")? {
            Some(o) => (PipInstallOptions::from_arg(&o, "options")?, field(&o, "options", "optionalDependencies")?),
            None => Default::default(),
        };
        let parsed = || {
            let data = read_local_toml("pipInstallFromPyproject", &file.expanded).map_err(|e| {
                let message = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
                message.unwrap_or_else(|| "it cannot be read".into())
            })?;
            opt_from_js::<serde_json::Value>(data, "pyproject.toml").ok().flatten().ok_or_else(|| "it holds values JSON cannot".to_string())
        };
        self.inner.borrow_mut().pip_install_from_pyproject(&file, parsed, groups.as_deref(), &pip)?;
        Ok(self.handle())
    }

    /// Copies a file into the image: a local path (Node, Bun, Deno), or in any runtime the
    /// content itself as a `Uint8Array` or `ArrayBuffer` (then `remotePath` names the file).
    #[wasm_bindgen(js_name = addLocalFile)]
    pub fn add_local_file(
        &self,
        #[wasm_bindgen(js_name = localPath, unchecked_param_type = "string | Uint8Array | ArrayBuffer")] local: JsValue,
        #[wasm_bindgen(js_name = remotePath)] remote: String,
    ) -> JsResult<Image> {
        if let Some(given) = local.as_string() {
            let local = local_path("addLocalFile", given, false)?;
            self.inner.borrow_mut().add_local_file(&local, &remote)?;
        } else if local.is_instance_of::<js_sys::Uint8Array>() || local.is_instance_of::<js_sys::ArrayBuffer>() {
            self.inner.borrow_mut().add_bytes(js_sys::Uint8Array::new(&local).to_vec(), &remote)?;
        } else {
            return Err(Error::InvalidArgument("addLocalFile: localPath must be a path, a Uint8Array or an ArrayBuffer".into()).into());
        }
        Ok(self.handle())
    }

    /// Copies a local directory into the image (Node, Bun, Deno).
    #[wasm_bindgen(js_name = addLocalDir)]
    pub fn add_local_dir(&self, #[wasm_bindgen(js_name = localPath)] local: String, #[wasm_bindgen(js_name = remotePath)] remote: String) -> JsResult<Image> {
        let local = local_path("addLocalDir", local, false)?;
        self.inner.borrow_mut().add_local_dir(&local, &remote)?;
        Ok(self.handle())
    }

    /// `RUN` per command: a string is a shell line, an array an exec-form argument list.
    #[wasm_bindgen(js_name = runCommands, variadic)]
    pub fn run_commands(&self, #[wasm_bindgen(unchecked_param_type = "(string | string[])[]")] commands: JsValue) -> JsResult<Image> {
        let message = "runCommands: each command must be a string or a list of strings";
        let commands = Array::from(&commands)
            .iter()
            .map(|c| match c.as_string() {
                Some(line) => Ok(RunCommand::Shell(line)),
                None => string_list(&c, message).map(RunCommand::Exec),
            })
            .collect::<JsResult<Vec<_>>>()?;
        Ok(self.change(|img| img.run_commands(&commands)))
    }

    /// `ENV` per variable; values must be strings.
    pub fn env(&self, #[wasm_bindgen(js_name = envVars, unchecked_param_type = "Record<string, string>")] env_vars: JsValue) -> JsResult<Image> {
        let entries = js_sys::Object::entries(&env_vars.unchecked_into());
        let (mut vars, mut bad) = (Vec::new(), Vec::new());
        for entry in entries.iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            match pair.get(1).as_string() {
                Some(value) => vars.push((key, value)),
                None => bad.push(key),
            }
        }
        if !bad.is_empty() {
            return Err(Error::InvalidArgument(format!("Image ENV variables must be strings. Invalid keys: {}", bad.join(","))).into());
        }
        Ok(self.change(|img| img.env(&vars)))
    }

    /// `WORKDIR`.
    pub fn workdir(&self, #[wasm_bindgen(js_name = dirPath)] dir_path: String) -> Image {
        self.change(|img| img.workdir(&dir_path))
    }

    /// `ENTRYPOINT` in exec form.
    pub fn entrypoint(&self, #[wasm_bindgen(js_name = entrypointCommands, unchecked_param_type = "string[]")] commands: JsValue) -> JsResult<Image> {
        let commands = string_list(&commands, "entrypoint_commands must be a list of strings")?;
        Ok(self.change(|img| img.entrypoint(&commands)))
    }

    /// `CMD` in exec form.
    pub fn cmd(&self, #[wasm_bindgen(unchecked_param_type = "string[]")] cmd: JsValue) -> JsResult<Image> {
        let cmd = string_list(&cmd, "Image CMD must be a list of strings")?;
        Ok(self.change(|img| img.cmd(&cmd)))
    }

    /// Arbitrary Dockerfile lines; their `COPY` sources join the context, relative to
    /// `contextDir` when given (Node, Bun, Deno).
    #[wasm_bindgen(js_name = dockerfileCommands)]
    pub fn dockerfile_commands(
        &self,
        #[wasm_bindgen(js_name = dockerfileCommands)] lines: Vec<String>,
        #[wasm_bindgen(js_name = contextDir, unchecked_optional_param_type = "string")] context_dir: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "{ strictContext?: boolean }")] options: JsValue,
    ) -> JsResult<Image> {
        let dir = context_dir.filter(|d| !d.is_empty()).map(|d| local_path("dockerfileCommands", d, false)).transpose()?;
        self.inner.borrow_mut().dockerfile_commands(&lines, dir.as_ref(), strict_context(&options), &JsLocalFiles("dockerfileCommands"))?;
        Ok(self.handle())
    }

    /// An image from a Dockerfile (Node, Bun, Deno); its `COPY` sources, relative to its
    /// directory, join the context.
    #[wasm_bindgen(js_name = fromDockerfile)]
    pub fn from_dockerfile(path: String, #[wasm_bindgen(unchecked_optional_param_type = "{ strictContext?: boolean }")] options: JsValue) -> JsResult<Image> {
        let file = local_path("fromDockerfile", path, true)?;
        // Only a file is read; anything else is the core's error.
        let text = if file.kind == Some(LocalKind::File) { read_local_text("fromDockerfile", &file.expanded).map_err(JsErr::from_js)? } else { String::new() };
        Ok(Image::new(CoreImage::from_dockerfile(&file, text, strict_context(&options), &JsLocalFiles("fromDockerfile"))?))
    }
}

/// An `Image` object's Dockerfile and local context.
pub(crate) type ImageParts = (String, Vec<ImageContext>);

/// `params.image` as an `Image` (ours or the official SDK's: an object with `dockerfile` and
/// `contextList`): its Dockerfile and local context, and the params without it. A name
/// stays in the params.
pub(crate) fn take_image(params: JsValue) -> JsResult<(JsValue, Option<ImageParts>)> {
    let image = Reflect::get(&params, &"image".into()).unwrap_or(JsValue::UNDEFINED);
    if !image.is_object() {
        return Ok((params, None));
    }
    let parts = image_parts(&image)?;
    let rest = js_sys::Object::assign(&js_sys::Object::new(), params.unchecked_ref());
    Reflect::delete_property(&rest, &"image".into()).map_err(JsErr::from_js)?;
    Ok((rest.into(), Some(parts)))
}

/// An `Image`'s Dockerfile and context list.
pub(crate) fn image_parts(image: &JsValue) -> JsResult<ImageParts> {
    let field = |name: &str| Reflect::get(image, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let dockerfile = field("dockerfile").as_string().ok_or_else(|| Error::InvalidArgument("image must be an image name or an Image".into()))?;
    Ok((dockerfile, contexts_from_js(&field("contextList"))?))
}

/// `contextList` as the official SDK's `Context[]` (`{ sourcePath, archivePath }`), with our
/// `data` for bytes given in memory: by hand, so they are a `Uint8Array`.
fn contexts_to_js(contexts: &[ImageContext]) -> JsValue {
    let item = |c: &ImageContext| {
        let o = js_sys::Object::new();
        let _ = Reflect::set(&o, &"sourcePath".into(), &c.source_path.as_str().into());
        let _ = Reflect::set(&o, &"archivePath".into(), &c.archive_path.as_str().into());
        if let Some(data) = &c.data {
            let _ = Reflect::set(&o, &"data".into(), &js_sys::Uint8Array::from(data.as_slice()));
        }
        JsValue::from(o)
    };
    contexts.iter().map(item).collect::<Array>().into()
}

/// An `Image`'s `contextList` (ours or the official SDK's `{ sourcePath, archivePath }[]`),
/// read by hand: bytes given in memory stay a `Uint8Array`, which JSON would not keep.
fn contexts_from_js(list: &JsValue) -> JsResult<Vec<ImageContext>> {
    if list.is_undefined() || list.is_null() {
        return Ok(Vec::new());
    }
    let invalid = || Error::InvalidArgument("invalid argument: `contextList` must be a list of { sourcePath, archivePath }".into());
    let item = |c: JsValue| {
        let text = |k: &str| Reflect::get(&c, &k.into()).ok().and_then(|v| v.as_string()).ok_or_else(invalid);
        let data = Reflect::get(&c, &"data".into()).ok().filter(|d| d.is_instance_of::<js_sys::Uint8Array>());
        let data = data.map(|d| js_sys::Uint8Array::new(&d).to_vec());
        Ok(ImageContext { source_path: text("sourcePath")?, archive_path: text("archivePath")?, data })
    };
    list.dyn_ref::<Array>().ok_or_else(invalid)?.iter().map(item).collect()
}

/// What create bodies carry of an `Image`: its Dockerfile and the hashes of its context,
/// uploaded through the client's object storage (none for no `Image`).
pub(crate) async fn upload_image(ctx: &ClientContext, image: Option<ImageParts>) -> JsResult<(Option<String>, Vec<String>)> {
    match image {
        Some((dockerfile, contexts)) => Ok((Some(dockerfile), upload_contexts(ctx, &JsLocalFiles("upload"), &contexts).await?)),
        None => Ok((None, Vec::new())),
    }
}
