// daytona.volume through the package in Node against daytona-local: the shared steps, then
// what a Volume looks like and what bad arguments give.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';
import { EXPECTED_VOLUME_STEPS, runVolumes } from '../lifecycle-steps.mjs';

let server, daytona;
before(async () => {
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
});
after(() => server?.stop());

test('volumes: create, get, list, share between sandboxes, refuse deleting one in use, delete', async () => {
  assert.deepEqual(await runVolumes(sdk, { apiUrl: server.apiUrl, apiKey: server.apiKey }), EXPECTED_VOLUME_STEPS);
});

test('a Volume has the official fields; bad arguments are typed errors', async () => {
  const vol = await daytona.volume.create('fields');
  try {
    assert.deepEqual(Object.keys(vol).sort(), ['createdAt', 'errorReason', 'id', 'lastUsedAt', 'name', 'organizationId', 'state', 'updatedAt']);
    await assert.rejects(daytona.volume.delete({}), sdk.DaytonaInvalidArgumentError);
    await assert.rejects(daytona.volume.create('bad name!'), (e) => e instanceof sdk.DaytonaBadRequestError || e.statusCode === 400);
    await assert.rejects(daytona.volume.create('fields'), sdk.DaytonaConflictError);
    await assert.rejects(daytona.create({ volumes: [{ volumeId: vol.id, mountPath: '/etc/v' }] }), (e) => e.statusCode === 400 && /mountPath/.test(e.message));
  } finally {
    await daytona.volume.delete(vol);
  }
});
