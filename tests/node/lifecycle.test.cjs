// The built package through require() (CJS): loads, runs a lifecycle, and shares classes
// with the ESM entry.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

let server, sdk;
before(async () => {
  const { startServer } = await import('../daytona-local-harness.mjs');
  server = await startServer();
  sdk = require('../../pkg/node.cjs');
});
after(() => server?.stop());

test('require() gives the SDK and a working lifecycle', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const sb = await daytona.create({ labels: { suite: 'cjs' } });
  assert.equal(sb.state, 'started');
  await daytona.stop(sb);
  assert.equal(sb.state, 'stopped');
  await daytona.start(sb);
  const page = await daytona.list({ suite: 'cjs' });
  assert.equal(page.total, 1);
  await daytona.delete(sb);
  const err = await daytona.get(sb.id).catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaNotFoundError);
});

test('CJS and ESM entries share one module instance, so instanceof holds across them', async () => {
  const esm = await import('../../pkg/node.mjs');
  assert.equal(esm.DaytonaError, sdk.DaytonaError);
  assert.equal(esm.Daytona, sdk.Daytona);
  const err = await new esm.Daytona({ apiKey: 'bad', apiUrl: server.apiUrl }).get('x').catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaAuthenticationError);
});
