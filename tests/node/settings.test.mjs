// Today's create parameters and network settings through the package (tests/settings-steps.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { runSettingsSteps, EXPECTED_SETTINGS_STEPS } from '../settings-steps.mjs';
import * as sdk from '../../pkg/node.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('create parameters refused by name, proxy variables, network settings changed live', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  assert.deepEqual(await runSettingsSteps(daytona), EXPECTED_SETTINGS_STEPS);
});
