// What the package weighs in a browser: the wasm module and every JS file the browser entry
// loads (the wasm-bindgen glue, the runtime helpers, the entry), gzip -9 each.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Issue 19's targets (KB = 1000 bytes): what a page or Worker loads to create a sandbox, run
// a command, move files and open a PTY, and everything the browser entry can load. The
// package is one module today, so both are its whole size. Not met yet: see the README's
// benchmark section. Until they are, the test command holds the size to CEILING_GZIP, today's
// size plus about 1%: growth must be a decision (a feature's cost, raised here in its
// commit), and the ceiling comes down whenever the package shrinks.
export const FIRST_LOAD_GZIP = 100_000;
export const WHOLE_GZIP = 200_000;
export const CEILING_GZIP = 279_500;

export function packageSize(pkg = fileURLToPath(new URL('../pkg', import.meta.url))) {
  const snippets = join(pkg, 'web/snippets');
  const runtime = readdirSync(snippets, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join(snippets, f));
  const parts = {
    wasm: [join(pkg, 'web/daytona_wasm_bg.wasm')],
    js: [join(pkg, 'web/daytona_wasm.js'), join(pkg, 'browser.mjs'), ...runtime],
  };
  const out = { wasm: weigh(parts.wasm), js: weigh(parts.js) };
  return { ...out, raw: out.wasm.raw + out.js.raw, gzip: out.wasm.gzip + out.js.gzip };
}

/** Raw and gzip -9 bytes of the files, each compressed on its own (as served). */
export function weigh(files) {
  return files.map((f) => readFileSync(f)).reduce((a, b) => ({ raw: a.raw + b.length, gzip: a.gzip + gzipSync(b, { level: 9 }).length }), { raw: 0, gzip: 0 });
}
