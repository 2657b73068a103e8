// A snapshot's entrypoint through the package (tests/entrypoint-steps.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { runEntrypointSteps, EXPECTED_ENTRYPOINT_STEPS } from '../entrypoint-steps.mjs';
import * as sdk from '../../pkg/node.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('the entrypoint session: run at every start, logs whole and streamed, empty by default', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  assert.deepEqual(await runEntrypointSteps(daytona, 'entrypoint-node'), EXPECTED_ENTRYPOINT_STEPS);
});
