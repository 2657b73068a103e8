// Browsers and bundlers: fetch and compile the module next to this file.
import init from './web/daytona_wasm.js';

await init({ module_or_path: new URL('./web/daytona_wasm_bg.wasm', import.meta.url) });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
