// Conformance: the unchanged official @daytonaio/sdk (0.218.0) runs the lifecycle against
// daytona-local. This proves the server speaks the real protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useOfficialClient } from './official-client.mjs';
import { Daytona, DaytonaNotFoundError, DaytonaAuthenticationError, DaytonaValidationError } from '@daytonaio/sdk';

const ctx = useOfficialClient();

test('official SDK: create, get, list, stop, start, archive, labels, intervals, resize, delete', async () => {
  const sb = await ctx.daytona.create({ name: 'official', envVars: { A: '1' }, labels: { suite: 'official' }, autoStopInterval: 20 }, { timeout: 30 });
  assert.equal(sb.state, 'started');
  assert.equal(sb.env.A, '1');
  assert.equal(sb.labels['code-toolbox-language'], 'python');
  assert.equal(sb.target, 'local');

  const got = await ctx.daytona.get('official');
  assert.equal(got.id, sb.id);

  const seen = [];
  for await (const item of ctx.daytona.list({ labels: { suite: 'official' }, states: ['started'], limit: 1 })) seen.push(item.id);
  assert.deepEqual(seen, [sb.id]);

  assert.deepEqual([await sb.getUserHomeDir(), await sb.getWorkDir(), await sb.getUserRootDir()], ['/home/daytona', '/home/daytona', '/home/daytona']);
  await sb.stop();
  assert.equal(sb.state, 'stopped');
  await sb.archive();
  assert.equal(sb.state, 'archived');
  await sb.start();
  assert.equal(sb.state, 'started');
  assert.deepEqual(await sb.setLabels({ k: 'v' }), { k: 'v' });
  await sb.setAutostopInterval(0);
  await sb.setAutoArchiveInterval(10);
  await sb.setAutoDeleteInterval(-1);
  await sb.refreshActivity();
  await sb.resize({ cpu: 2, memory: 2 });
  assert.equal(sb.cpu, 2);
  await sb.refreshData();
  assert.deepEqual([sb.autoStopInterval, sb.autoArchiveInterval, sb.autoDeleteInterval], [0, 10, -1]);
  await sb.delete(60, true);
  await assert.rejects(ctx.daytona.get(sb.id), DaytonaNotFoundError);
});

test('official SDK: errors map to its classes', async () => {
  await assert.rejects(new Daytona({ apiKey: 'wrong', apiUrl: ctx.server.apiUrl, target: 'local' }).get('x'), DaytonaAuthenticationError);
  const sb = await ctx.daytona.create({ image: 'debian:12-slim', resources: { cpu: 1, disk: 3 } });
  await assert.rejects(sb.resize({ disk: 5 }), DaytonaValidationError);
  await sb.delete();
});
