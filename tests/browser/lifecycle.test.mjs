// The package's browser entry in headless Chromium, against daytona-local (cross-origin,
// so CORS and preflights are exercised too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../daytona-local-harness.mjs';
import * as official from '@daytonaio/sdk';
import { EXPECTED_STEPS, EXPECTED_FILE_STEPS, EXPECTED_PROCESS_STEPS, runImage, NO_LOCAL_FILES, EXPECTED_VOLUME_STEPS, EXPECTED_SNAPSHOT_STEPS, EXPECTED_PREVIEW_STEPS } from '../lifecycle-steps.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from './chromium.mjs';

let server, site, browser;
before(async () => {
  server = await startServer();
  site = await serveStatic(fileURLToPath(new URL('../..', import.meta.url)));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

async function runInPage(run) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const q = new URLSearchParams({ api: server.apiUrl, key: server.apiKey, run });
  await page.goto(`${site.url}/tests/browser/lifecycle.html?${q}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.result);
  await page.close();
  assert.deepEqual(errors, []);
  assert.equal(result.ok, true, result.error + '\n' + result.stack);
  return result.steps;
}

test('chromium: lifecycle and error classes through the browser entry', async () => {
  assert.deepEqual(await runInPage('lifecycle'), EXPECTED_STEPS);
});

test('chromium: sandbox.fs transfers, listing, search and refused escapes', async () => {
  assert.deepEqual(await runInPage('files'), EXPECTED_FILE_STEPS);
});

test('chromium: process, sessions, PTY and interpreter over WebSockets', async () => {
  assert.deepEqual(await runInPage('process'), EXPECTED_PROCESS_STEPS);
});

test('chromium: Image gives the Dockerfile and context the official SDK gives', async () => {
  const [dockerfile, context, error, local] = await runInPage('image');
  assert.deepEqual([dockerfile, context, error], (await runImage(official)).slice(0, 3));
  assert.deepEqual(local, NO_LOCAL_FILES);
});

test('chromium: volumes shared between sandboxes', async () => {
  assert.deepEqual(await runInPage('volumes'), EXPECTED_VOLUME_STEPS);
});

test('chromium: snapshots built with their log streamed, and used', async () => {
  assert.deepEqual(await runInPage('snapshots'), EXPECTED_SNAPSHOT_STEPS);
});

test('chromium: preview links and signed URLs through the proxy', async () => {
  assert.deepEqual(await runInPage('preview'), EXPECTED_PREVIEW_STEPS);
});
