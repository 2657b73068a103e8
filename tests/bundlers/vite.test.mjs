// A small browser app that imports `daytona-wasm` like any npm dependency, built by Vite with
// its default config (no plugins, no polyfills), then run in headless Chromium against
// daytona-local: the lifecycle and process steps. Also prints what the build weighs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, copyFileSync, readdirSync, statSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startServer } from '../daytona-local-harness.mjs';
import { EXPECTED_STEPS, EXPECTED_PROCESS_STEPS } from '../lifecycle-steps.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server, app, site, browser;

before(async () => {
  server = await startServer();
  app = mkdtempSync(join(tmpdir(), 'vite-app-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules', 'daytona-wasm'));
  copyFileSync(join(root, 'tests/lifecycle-steps.mjs'), join(app, 'steps.mjs'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'daytona-wasm': '*' } }));
  writeFileSync(join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n');
  writeFileSync(join(app, 'main.js'), `import * as sdk from 'daytona-wasm';
import { runLifecycle, runProcess } from './steps.mjs';
const params = new URLSearchParams(location.search);
const opts = { apiUrl: params.get('api'), apiKey: params.get('key'), runtime: 'vite' };
try {
  window.result = { ok: true, lifecycle: await runLifecycle(sdk, opts), process: await runProcess(sdk, opts) };
} catch (e) {
  window.result = { ok: false, error: String(e), stack: e.stack };
}
`);
  await build({ root: app, logLevel: 'error', configFile: false, build: { outDir: join(app, 'dist') } });
  site = await serveStatic(join(app, 'dist'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

test('vite (default config) bundles the package for the browser, and it runs in Chromium', async () => {
  const assets = readdirSync(join(app, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the wasm module is emitted as an asset: ${assets}`);
  const size = (ext) => assets.filter((f) => f.endsWith(ext)).map((f) => readFileSync(join(app, 'dist/assets', f)));
  const [js, wasm] = [size('.js'), size('.wasm')].map((files) => files.reduce((a, b) => [a[0] + b.length, a[1] + gzipSync(b, { level: 9 }).length], [0, 0]));
  console.log(`# vite build: js ${js[0]} B (gzip ${js[1]}), wasm ${wasm[0]} B (gzip ${wasm[1]})`);

  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.url}/index.html?${new URLSearchParams({ api: server.apiUrl, key: server.apiKey })}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.result);
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(result.ok, true, result.error + '\n' + result.stack);
  assert.deepEqual(result.lifecycle, EXPECTED_STEPS);
  assert.deepEqual(result.process, EXPECTED_PROCESS_STEPS);
});
