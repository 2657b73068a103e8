// Node, Bun and Deno: load the module synchronously from the package's own file.
import { readFileSync } from 'node:fs';
import { initSync } from './web/daytona_wasm.js';
import './node-platform.mjs';

initSync({ module: readFileSync(new URL('./web/daytona_wasm_bg.wasm', import.meta.url)) });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
