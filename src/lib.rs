//! The `#[wasm_bindgen]` facade: one file per JS class, no logic. Each method converts its
//! arguments, calls `daytona-core`, and converts the result; errors become the JS classes in
//! `js/runtime.js`. The platform bindings (fetch, timers, env) live in `platform/`.

mod callbacks;
mod code_interpreter;
mod computer_use;
mod convert;
mod daytona;
mod errors;
mod file_system;
mod git;
mod image;
mod lsp_server;
mod object_storage;
mod platform;
mod process;
mod promise;
mod pty_handle;
mod sandbox;
mod secret;
mod snapshot;
mod volume;
mod warm_pool;

pub use code_interpreter::CodeInterpreter;
pub use daytona::Daytona;
pub use errors::JsErr;
pub use file_system::FileSystem;
pub use git::Git;
pub use image::Image;
pub use object_storage::ObjectStorage;
pub use process::Process;
pub use pty_handle::PtyHandle;
pub use sandbox::Sandbox;
pub use snapshot::SnapshotService;
pub use volume::VolumeService;
pub use warm_pool::WarmPoolService;

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(typescript_custom_section)]
const RUNTIME_TS: &'static str = include_str!("js/runtime.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const API_TS: &'static str = include_str!("js/api.d.ts");
