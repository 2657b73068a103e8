// Cloudflare Workers: the bundler hands us the compiled module; no nodejs_compat needed.
import wasm from './web/daytona_wasm_bg.wasm';
import { initSync } from './web/daytona_wasm.js';

initSync({ module: wasm });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
