// Node, Bun and Deno: load the module synchronously from the package's own file.
import { createRequire } from 'node:module';
import { initSync } from './web/daytona_wasm.js';
import { useTomlParser } from './node-platform.mjs';

// Loading smol-toml is a quarter of the start-up: it is required on the first pyproject read.
const require = createRequire(import.meta.url);
useTomlParser(() => require('smol-toml').parse);

// Required, not imported: see node-platform.mjs.
initSync({ module: require('node:fs').readFileSync(new URL('./web/daytona_wasm_bg.wasm', import.meta.url)) });

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
