// Conformance: the same create parameters and network settings with the unchanged official SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useOfficialClient } from './official-client.mjs';
import { runSettingsSteps, EXPECTED_SETTINGS_STEPS } from '../settings-steps.mjs';

const ctx = useOfficialClient();

test('official SDK: create parameters refused by name, proxy variables, network settings changed live', async () => {
  assert.deepEqual(await runSettingsSteps(ctx.daytona), EXPECTED_SETTINGS_STEPS);
});
