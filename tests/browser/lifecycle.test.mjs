// The package's browser entry in headless Chromium, against daytona-local (cross-origin,
// so CORS and preflights are exercised too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../daytona-local-harness.mjs';
import * as official from '@daytonaio/sdk';
import { EXPECTED_STEPS, EXPECTED_FILE_STEPS, EXPECTED_PROCESS_STEPS, runImage, NO_LOCAL_FILES, EXPECTED_VOLUME_STEPS, EXPECTED_SNAPSHOT_STEPS, EXPECTED_PREVIEW_STEPS, EXPECTED_LSP_STEPS, EXPECTED_COMPUTER_USE_STEPS } from '../lifecycle-steps.mjs';
import { serveStatic } from '../static-server.mjs';
import { startGitServer } from '../git-http-server.mjs';
import { EXPECTED_GIT_STEPS } from '../git-steps.mjs';
import { EXPECTED_SETTINGS_STEPS } from '../settings-steps.mjs';
import { EXPECTED_ENTRYPOINT_STEPS } from '../entrypoint-steps.mjs';
import { launchChromium } from './chromium.mjs';

let server, site, browser, remote;
before(async () => {
  server = await startServer();
  remote = await startGitServer();
  site = await serveStatic(fileURLToPath(new URL('../..', import.meta.url)));
  browser = await launchChromium();
});
after(async () => {
  remote?.stop();
  await browser?.close();
  await site?.close();
  await server?.stop();
});

async function runInPage(run, extra = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const q = new URLSearchParams({ api: server.apiUrl, key: server.apiKey, run, ...extra });
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

test('chromium: preview links and signed URLs through the proxy, SSH access tokens', async () => {
  assert.deepEqual(await runInPage('preview'), EXPECTED_PREVIEW_STEPS);
});

test('chromium: an LSP server: completions, symbols, errors', async () => {
  assert.deepEqual(await runInPage('lsp'), EXPECTED_LSP_STEPS);
});

test('chromium: computer use: a terminal typed into, screenshots, a recording', async () => {
  assert.deepEqual(await runInPage('computer-use'), EXPECTED_COMPUTER_USE_STEPS);
});

test('chromium: a preview by host name ({port}-{id}.localhost), where the app owns every path', async () => {
  const sdk = await import('../../pkg/node.mjs');
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const sb = await daytona.create();
  try {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // An app at the root, with a path that is also one of the API's.
    await sb.process.executeCommand('mkdir -p site/api && echo root-of-the-app > site/api/index.html');
    await sb.process.createSession('web');
    await sb.process.executeSessionCommand('web', { command: `cd site && exec python3 -m http.server ${port} --bind 127.0.0.1`, runAsync: true });
    const { token } = await sb.getPreviewLink(port);
    const origin = `http://${port}-${sb.id}.localhost:${new URL(server.apiUrl).port}`;
    const page = await browser.newPage();
    try {
      let resp;
      for (let i = 0; i < 100 && (!resp || resp.status() === 502); i++) {
        if (resp) await new Promise((r) => setTimeout(r, 100));
        resp = await page.goto(`${origin}/api/?DAYTONA_SANDBOX_AUTH_KEY=${token}`);
      }
      assert.equal(resp.status(), 200);
      assert.equal((await resp.text()).trim(), 'root-of-the-app');
      assert.equal((await page.goto(`${origin}/api/`)).status(), 401, 'no token, no preview');
    } finally {
      await page.close();
    }
  } finally {
    await sb.delete();
  }
});

test('chromium: git init, config, restore, reset, remotes, stored credentials, named push', async () => {
  const git = JSON.stringify({ url: remote.url, username: remote.username, password: remote.password });
  assert.deepEqual(await runInPage('git', { git }), EXPECTED_GIT_STEPS);
});

test('chromium: create parameters refused by name, proxy variables, network settings', async () => {
  assert.deepEqual(await runInPage('settings'), EXPECTED_SETTINGS_STEPS);
});

test('chromium: the entrypoint session, its logs whole and streamed', async () => {
  assert.deepEqual(await runInPage('entrypoint'), EXPECTED_ENTRYPOINT_STEPS);
});
