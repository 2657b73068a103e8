// A small browser app that imports `daytona-wasm` like any npm dependency (the package is
// linked into its node_modules), for the bundler tests: write it, then run the built page in
// Chromium against daytona-local (the lifecycle and process steps).
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPECTED_STEPS, EXPECTED_PROCESS_STEPS } from '../lifecycle-steps.mjs';
import { startServer } from '../daytona-local-harness.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';
import { weigh } from '../../bench/size.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Writes the app into a new temp dir and returns it; the entry is `main.js`. */
function writeApp(prefix) {
  const app = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules', 'daytona-wasm'));
  copyFileSync(join(root, 'tests/lifecycle-steps.mjs'), join(app, 'steps.mjs'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'daytona-wasm': '*' } }));
  writeFileSync(join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n');
  writeFileSync(join(app, 'main.js'), `import * as sdk from 'daytona-wasm';
import { runLifecycle, runProcess } from './steps.mjs';
const params = new URLSearchParams(location.search);
const opts = { apiUrl: params.get('api'), apiKey: params.get('key'), runtime: 'bundled' };
try {
  window.result = { ok: true, lifecycle: await runLifecycle(sdk, opts), process: await runProcess(sdk, opts) };
} catch (e) {
  window.result = { ok: false, error: String(e), stack: e.stack };
}
`);
  return app;
}

/** `{ raw, gzip }` bytes of the files in `dir` whose names end with `ext`. */
export const weighFiles = (dir, ext) => weigh(readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => join(dir, f)));

/** Opens `page` of the served build and checks the steps' results. */
export async function checkInChromium(browser, site, page, server) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(`${site.url}/${page}?${new URLSearchParams({ api: server.apiUrl, key: server.apiKey })}`);
  await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
  const result = await tab.evaluate(() => window.result);
  await tab.close();
  assert.deepEqual(errors, []);
  assert.equal(result.ok, true, result.error + '\n' + result.stack);
  assert.deepEqual(result.lifecycle, EXPECTED_STEPS);
  assert.deepEqual(result.process, EXPECTED_PROCESS_STEPS);
}

/** The app written, built by `build(appDir)` (which returns the output dir) and served,
 * with daytona-local and Chromium started; `close()` undoes it all. */
export async function builtApp(prefix, build) {
  const server = await startServer();
  const app = writeApp(prefix);
  const dist = await build(app);
  const site = await serveStatic(dist);
  const browser = await launchChromium();
  return {
    server, app, dist, site, browser,
    close: async () => {
      await browser.close();
      await site.close();
      await server.stop();
      rmSync(app, { recursive: true, force: true });
    },
  };
}
