// The browser app built by Vite with its default config (no plugins, no polyfills) runs in
// headless Chromium against daytona-local. Vite emits the wasm as its own asset (it follows
// `new URL(…, import.meta.url)`). Also prints what the build weighs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { builtApp, weighFiles, checkInChromium } from './browser-app.mjs';

let ctx;
before(async () => {
  ctx = await builtApp('vite-app-', async (app) => {
    await build({ root: app, logLevel: 'error', configFile: false, build: { outDir: join(app, 'dist') } });
    return join(app, 'dist');
  });
});
after(() => ctx?.close());

test('vite (default config) bundles the package for the browser, and it runs in Chromium', async () => {
  const assets = join(ctx.dist, 'assets');
  assert.ok(readdirSync(assets).some((f) => f.endsWith('.wasm')), 'the wasm module is emitted as an asset');
  const [js, wasm] = [weighFiles(assets, '.js'), weighFiles(assets, '.wasm')];
  assert.ok(js.raw < 200_000, `the wasm is not inlined into the JS (${js.raw} B)`);
  console.log(`# vite build: js ${js.raw} B (gzip ${js.gzip}), wasm ${wasm.raw} B (gzip ${wasm.gzip})`);
  await checkInChromium(ctx.browser, ctx.site, 'index.html', ctx.server);
});
