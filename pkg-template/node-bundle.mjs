// Node code bundled by esbuild, webpack and the like (the `module` condition, which bundlers
// set and Node does not): the wasm travels inside the bundle as base64, since a bundle has no
// package folder for `new URL(…, import.meta.url)` to find it in.
import wasm from './web/daytona_wasm_bg.wasm.base64.mjs';
import { initSync } from './web/daytona_wasm.js';
import { parse as parseToml } from 'smol-toml';
import { useTomlParser } from './node-platform.mjs';

useTomlParser(() => parseToml); // inside the bundle already

initSync({ module: Buffer.from(wasm, 'base64') });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
