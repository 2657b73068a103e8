// The browser app bundled by esbuild with no plugins, loaders or polyfills (only
// `format: 'esm'`, which any app with top-level await needs) runs in headless Chromium
// against daytona-local. esbuild does not follow `new URL(…, import.meta.url)`, so the
// package's exports give it the entry that carries the wasm inside the bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { builtApp, weighFiles, checkInChromium } from './browser-app.mjs';

let ctx;
before(async () => {
  ctx = await builtApp('esbuild-app-', async (app) => {
    await build({ entryPoints: [join(app, 'main.js')], bundle: true, format: 'esm', outdir: join(app, 'dist'), logLevel: 'error' });
    copyFileSync(join(app, 'index.html'), join(app, 'dist/index.html'));
    return join(app, 'dist');
  });
});
after(() => ctx?.close());

test('esbuild (no plugins or loaders) bundles the package for the browser, and it runs in Chromium', async () => {
  assert.deepEqual(readdirSync(ctx.dist).sort(), ['index.html', 'main.js'], 'one self-contained bundle');
  const js = weighFiles(ctx.dist, '.js');
  console.log(`# esbuild build: js ${js.raw} B (gzip ${js.gzip}), the wasm inside as base64`);
  await checkInChromium(ctx.browser, ctx.site, 'index.html', ctx.server);
});
