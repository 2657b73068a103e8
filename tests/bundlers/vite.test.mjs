// The browser app built by Vite with its default config (no plugins, no polyfills) runs in
// headless Chromium against daytona-local. Vite emits the wasm as its own asset (it follows
// `new URL(…, import.meta.url)`). Also prints what the build weighs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { startServer } from '../daytona-local-harness.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';
import { writeApp, weigh, checkInChromium } from './browser-app.mjs';

let server, app, site, browser;

before(async () => {
  server = await startServer();
  app = writeApp('vite-app-');
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
  const assets = join(app, 'dist/assets');
  assert.ok(readdirSync(assets).some((f) => f.endsWith('.wasm')), 'the wasm module is emitted as an asset');
  const [js, wasm] = [weigh(assets, '.js'), weigh(assets, '.wasm')];
  assert.ok(js[0] < 200_000, `the wasm is not inlined into the JS (${js[0]} B)`);
  console.log(`# vite build: js ${js[0]} B (gzip ${js[1]}), wasm ${wasm[0]} B (gzip ${wasm[1]})`);
  await checkInChromium(browser, site, 'index.html', server);
});
