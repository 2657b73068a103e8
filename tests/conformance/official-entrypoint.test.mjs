// Conformance: the same entrypoint steps with the unchanged official SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useOfficialClient } from './official-client.mjs';
import { runEntrypointSteps, EXPECTED_ENTRYPOINT_STEPS } from '../entrypoint-steps.mjs';

const ctx = useOfficialClient();

test('official SDK: the entrypoint session: run at every start, logs whole and streamed, empty by default', async () => {
  assert.deepEqual(await runEntrypointSteps(ctx.daytona, 'entrypoint-official'), EXPECTED_ENTRYPOINT_STEPS);
});
