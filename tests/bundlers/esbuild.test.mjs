// The browser app bundled by esbuild with no plugins, loaders or polyfills (only
// `format: 'esm'`, which any app with top-level await needs) runs in headless Chromium
// against daytona-local. esbuild does not follow `new URL(…, import.meta.url)`, so the
// package's exports give it the entry that carries the wasm inside the bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startServer } from '../daytona-local-harness.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';
import { writeApp, weigh, checkInChromium } from './browser-app.mjs';

let server, app, site, browser;

before(async () => {
  server = await startServer();
  app = writeApp('esbuild-app-');
  await build({ entryPoints: [join(app, 'main.js')], bundle: true, format: 'esm', outdir: join(app, 'dist'), logLevel: 'error' });
  copyFileSync(join(app, 'index.html'), join(app, 'dist/index.html'));
  site = await serveStatic(join(app, 'dist'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

test('esbuild (no plugins or loaders) bundles the package for the browser, and it runs in Chromium', async () => {
  const dist = join(app, 'dist');
  assert.deepEqual(readdirSync(dist).sort(), ['index.html', 'main.js'], 'one self-contained bundle');
  const js = weigh(dist, '.js');
  console.log(`# esbuild build: js ${js[0]} B (gzip ${js[1]}), the wasm inside as base64`);
  await checkInChromium(browser, site, 'index.html', server);
});
