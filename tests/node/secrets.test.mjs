// The organization's secrets through the package (tests/secret-steps.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { runSecretSteps, EXPECTED_SECRET_STEPS } from '../secret-steps.mjs';
import * as sdk from '../../pkg/node.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('secrets created, listed, updated and deleted; no value in any answer', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  assert.deepEqual(await runSecretSteps(daytona), EXPECTED_SECRET_STEPS);
});
