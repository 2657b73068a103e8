// The package in workerd (through Miniflare), with no nodejs_compat, against daytona-local.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../daytona-local-harness.mjs';
import { startGitServer } from '../git-http-server.mjs';
import { EXPECTED_GIT_STEPS } from '../git-steps.mjs';
import { EXPECTED_SETTINGS_STEPS } from '../settings-steps.mjs';
import { EXPECTED_ENTRYPOINT_STEPS } from '../entrypoint-steps.mjs';
import { runRepoWorker } from './wrangler-like.mjs';
import * as official from '@daytonaio/sdk';
import { EXPECTED_STEPS, EXPECTED_FILE_STEPS, EXPECTED_PROCESS_STEPS, runImage, NO_LOCAL_FILES, EXPECTED_VOLUME_STEPS, EXPECTED_SNAPSHOT_STEPS, EXPECTED_PREVIEW_STEPS, EXPECTED_LSP_STEPS, EXPECTED_COMPUTER_USE_STEPS } from '../lifecycle-steps.mjs';

let server, mf, remote;
before(async () => {
  server = await startServer();
  remote = await startGitServer();
  mf = runRepoWorker(fileURLToPath(new URL('./lifecycle-worker.mjs', import.meta.url)), {
    DAYTONA_API_URL: server.apiUrl, DAYTONA_API_KEY: server.apiKey,
    GIT_REMOTE: JSON.stringify({ url: remote.url, username: remote.username, password: remote.password }),
  });
  await mf.ready;
});
after(async () => {
  remote?.stop();
  await mf?.dispose();
  await server?.stop();
});

test('workerd: lifecycle and error classes through the workerd entry', async () => {
  const resp = await mf.dispatchFetch('http://worker/');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_STEPS);
  assert.equal(body.process, 'undefined', 'no nodejs_compat: there is no process global');
});

test('workerd: sandbox.fs transfers, listing, search and refused escapes', async () => {
  const resp = await mf.dispatchFetch('http://worker/files');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_FILE_STEPS);
});

test('workerd: process, sessions, PTY and interpreter over WebSockets', async () => {
  const resp = await mf.dispatchFetch('http://worker/process');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_PROCESS_STEPS);
});

test('workerd: Image gives the Dockerfile and context the official SDK gives', async () => {
  const body = await (await mf.dispatchFetch('http://worker/image')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  const [dockerfile, context, error, local] = body.steps;
  assert.deepEqual([dockerfile, context, error], (await runImage(official)).slice(0, 3));
  assert.deepEqual(local, NO_LOCAL_FILES);
});

test('workerd: volumes shared between sandboxes', async () => {
  const body = await (await mf.dispatchFetch('http://worker/volumes')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_VOLUME_STEPS);
});

test('workerd: snapshots built with their log streamed, and used', async () => {
  const body = await (await mf.dispatchFetch('http://worker/snapshots')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_SNAPSHOT_STEPS);
});

test('workerd: preview links and signed URLs through the proxy, SSH access tokens', async () => {
  const body = await (await mf.dispatchFetch('http://worker/preview')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_PREVIEW_STEPS);
});

test('workerd: an LSP server: completions, symbols, errors', async () => {
  const body = await (await mf.dispatchFetch('http://worker/lsp')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_LSP_STEPS);
});

test('workerd: computer use: a terminal typed into, screenshots, a recording', async () => {
  const body = await (await mf.dispatchFetch('http://worker/computer-use')).json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_COMPUTER_USE_STEPS);
});

test('workerd: git init, config, restore, reset, remotes, stored credentials, named push', async () => {
  const resp = await mf.dispatchFetch('http://worker/git');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_GIT_STEPS);
});

test('workerd: create parameters refused by name, proxy variables, network settings', async () => {
  const resp = await mf.dispatchFetch('http://worker/settings');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_SETTINGS_STEPS);
});

test('workerd: the entrypoint session, its logs whole and streamed', async () => {
  const resp = await mf.dispatchFetch('http://worker/entrypoint');
  const body = await resp.json();
  assert.equal(body.ok, true, body.error + '\n' + body.stack);
  assert.deepEqual(body.steps, EXPECTED_ENTRYPOINT_STEPS);
});
