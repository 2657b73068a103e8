// Server code bundled for Node, as serverless packagers and Next.js route handlers do: esbuild
// (`--platform=node`, ESM and CJS) and webpack (`target: 'node'`), with no plugin or loader.
// Each bundle is moved to a folder of its own, away from the package, and run against
// daytona-local: the lifecycle and process steps, PTY and interpreter included. CommonJS
// bundles run on Node 20 with no flags, so their sockets go through the bundled `ws`; an ESM
// bundle cannot load `ws` (CommonJS requiring Node built-ins), so it runs on Node 22, whose
// WebSocket is global. (The official SDK's ESM bundle does not load at all: "Dynamic require
// of "util" is not supported".)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import webpack from 'webpack';
import { EXPECTED_STEPS, EXPECTED_PROCESS_STEPS } from '../lifecycle-steps.mjs';
import { RUNTIMES } from '../runtimes/bins.mjs';
import { startServer } from '../daytona-local-harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server, app;

before(async () => {
  server = await startServer();
  app = mkdtempSync(join(tmpdir(), 'node-bundle-app-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules', 'daytona-wasm'));
  copyFileSync(join(root, 'tests/lifecycle-steps.mjs'), join(app, 'steps.mjs'));
  writeFileSync(join(app, 'main.mjs'), `import * as sdk from 'daytona-wasm';
import { runLifecycle, runProcess } from './steps.mjs';
const opts = { apiUrl: process.env.STEPS_API_URL, apiKey: process.env.STEPS_API_KEY, runtime: 'node-bundle' };
try {
  console.log(JSON.stringify({ ok: true, lifecycle: await runLifecycle(sdk, opts), process: await runProcess(sdk, opts) }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e), stack: e.stack }));
}
`);
  // CommonJS has no top-level await: the same steps inside an async function.
  writeFileSync(join(app, 'main.cjs'), `const sdk = require('daytona-wasm');
(async () => {
  const { runLifecycle, runProcess } = await import('./steps.mjs');
  const opts = { apiUrl: process.env.STEPS_API_URL, apiKey: process.env.STEPS_API_KEY, runtime: 'node-bundle' };
  try {
    console.log(JSON.stringify({ ok: true, lifecycle: await runLifecycle(sdk, opts), process: await runProcess(sdk, opts) }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e), stack: e.stack }));
  }
})();
`);
});
after(async () => {
  await server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Copies the built files alone to a new folder (no node_modules near it) and runs `file` there. */
async function runAlone(outdir, file, node = process.execPath) {
  const alone = mkdtempSync(join(tmpdir(), 'node-bundle-run-'));
  try {
    for (const f of readdirSync(outdir)) copyFileSync(join(outdir, f), join(alone, f));
    // Only the environment the steps need: no NODE_OPTIONS, so Node 20 has no global WebSocket.
    const env = { PATH: process.env.PATH, STEPS_API_URL: server.apiUrl, STEPS_API_KEY: server.apiKey };
    const { stdout } = await promisify(execFile)(node, [join(alone, file)], { env, cwd: alone, timeout: 120000 });
    const result = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(result.ok, true, result.error + '\n' + result.stack);
    assert.deepEqual(result.lifecycle, EXPECTED_STEPS);
    assert.deepEqual(result.process, EXPECTED_PROCESS_STEPS);
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
}

for (const format of ['esm', 'cjs']) {
  test(`esbuild --platform=node --format=${format}: the bundle runs on its own (${format === 'esm' ? 'Node 22' : 'Node 20, no flags'})`, async () => {
    const outdir = join(app, `esbuild-${format}`);
    const entry = format === 'esm' ? 'main.mjs' : 'main.cjs';
    const out = format === 'esm' ? 'main.mjs' : 'main.cjs';
    // The steps module is imported dynamically by the CJS app; esbuild bundles it either way.
    await build({ entryPoints: [join(app, entry)], bundle: true, platform: 'node', format, outfile: join(outdir, out), logLevel: 'error' });
    assert.deepEqual(readdirSync(outdir), [out], 'one self-contained file');
    await runAlone(outdir, out, format === 'esm' ? RUNTIMES['node 22'][0] : process.execPath);
  });
}

test('webpack target node: the bundle runs on its own (Node 20, no flags)', async () => {
  const outdir = join(app, 'webpack');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production',
    target: 'node',
    context: app,
    entry: join(app, 'main.cjs'),
    output: { path: outdir, filename: 'main.cjs' },
    // The package's own async chunk (ws, loaded only without a global WebSocket) stays inside.
    optimization: { splitChunks: false },
    experiments: { topLevelAwait: true },
    performance: { hints: false },
  }, (err, s) => (err ? reject(err) : resolve(s))));
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  await runAlone(outdir, 'main.cjs');
});
