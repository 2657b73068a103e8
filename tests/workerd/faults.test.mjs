// The core fault scenarios (tests/faults/faults.test.mjs, abort.test.mjs) through the
// package's workerd entry in workerd (Miniflare, no nodejs_compat), against a private
// daytona-local in fault mode. Each step runs in the Worker (faults-worker.mjs, one request
// per step); rules are set and assertions made here (../browser/faults-scenarios.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setFaults, startServer } from '../daytona-local-harness.mjs';
import { runRepoWorker } from './wrangler-like.mjs';
import { faultScenarios } from '../browser/faults-scenarios.mjs';

let server, mf, sandboxId;

async function step(name, args = {}) {
  const resp = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify({ step: name, args }) });
  const body = await resp.json();
  assert.equal(body.ok, true, `step ${name}: ${body.error}\n${body.stack}`);
  assert.equal(body.process, 'undefined', 'no nodejs_compat: there is no process global');
  return body.out;
}

before(async () => {
  server = await startServer();
  mf = runRepoWorker(fileURLToPath(new URL('./faults-worker.mjs', import.meta.url)), { DAYTONA_API_URL: server.apiUrl, DAYTONA_API_KEY: server.apiKey });
  await mf.ready;
  sandboxId = (await step('create')).id;
});
after(async () => {
  await setFaults(server, []).catch(() => {});
  if (sandboxId) await step('remove', { id: sandboxId }).catch(() => {});
  await mf?.dispose();
  await server?.stop();
});

faultScenarios('workerd', { server: () => server, step, sandboxId: () => sandboxId });

test('workerd: the sandbox is deleted', async () => {
  await setFaults(server, []);
  assert.deepEqual(await step('remove', { id: sandboxId }), { gone: true });
  sandboxId = undefined;
});
