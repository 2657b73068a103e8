// Bundlers that do not emit files referenced by `new URL(…, import.meta.url)` (esbuild,
// Rollup without plugins) resolve here through the package's exports: the module travels
// inside the bundle as base64. Vite and webpack resolve browser.mjs and emit a .wasm file.
import init from './web/daytona_wasm.js';
import base64 from './web/daytona_wasm_bg.wasm.base64.mjs';

await init({ module_or_path: Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
