// Conformance: the official SDK's daytona.volume, unchanged, against daytona-local, and
// sandboxes that mount a volume (one through a subpath) sharing its files live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useOfficialClient } from './official-client.mjs';
import { DaytonaNotFoundError, DaytonaError } from '@daytonaio/sdk';

const ctx = useOfficialClient();

test('official SDK: volumes are created, found, listed, mounted, shared and deleted', async () => {
  const vol = await ctx.daytona.volume.create('shared-data');
  assert.equal(vol.name, 'shared-data');
  assert.equal(vol.state, 'ready');
  assert.equal((await ctx.daytona.volume.get('shared-data')).id, vol.id);
  await assert.rejects(ctx.daytona.volume.get('missing'), DaytonaNotFoundError);
  const made = await ctx.daytona.volume.get('made-on-demand', true);
  assert.deepEqual((await ctx.daytona.volume.list()).map((v) => v.name).sort(), ['made-on-demand', 'shared-data']);

  const a = await ctx.daytona.create({ volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/data' }] });
  const b = await ctx.daytona.create({ volumes: [{ volumeId: 'shared-data', mountPath: '/tmp/part', subpath: 'sub' }] });
  try {
    assert.deepEqual(a.volumes, [{ volumeId: vol.id, mountPath: '/home/daytona/data' }]);
    await a.process.executeCommand('mkdir -p data/sub && echo from-a > data/sub/note.txt && echo top > data/top.txt');
    assert.equal((await b.process.executeCommand('cat /tmp/part/note.txt; ls /tmp/part')).result, 'from-a\nnote.txt\n');
    await b.fs.uploadFile(Buffer.from('from-b'), '/tmp/part/reply.txt');
    assert.equal((await a.fs.downloadFile('data/sub/reply.txt')).toString(), 'from-b');
    // The mount survives a stop and start.
    await a.stop();
    await a.start();
    assert.equal((await a.process.executeCommand('cat data/top.txt')).result, 'top\n');
    await assert.rejects(ctx.daytona.volume.delete(vol), (e) => e instanceof DaytonaError && e.statusCode === 409 && /in use/.test(e.message));
  } finally {
    await a.delete();
    await b.delete();
  }
  await ctx.daytona.volume.delete(vol);
  await ctx.daytona.volume.delete(made);
  assert.deepEqual(await ctx.daytona.volume.list(), []);
});

test('official SDK: bad volume mounts are refused at create', async () => {
  const vol = await ctx.daytona.volume.create('v2');
  try {
    await assert.rejects(ctx.daytona.create({ volumes: [{ volumeId: 'nope', mountPath: '/home/daytona/x' }] }), DaytonaNotFoundError);
    for (const mountPath of ['/etc/x', '/home/daytona', '/home/daytona/../x', 'rel']) {
      await assert.rejects(ctx.daytona.create({ volumes: [{ volumeId: vol.id, mountPath }] }), (e) => e.statusCode === 400, mountPath);
    }
    await assert.rejects(ctx.daytona.create({ volumes: [{ volumeId: vol.id, mountPath: '/tmp/v', subpath: '../up' }] }), (e) => e.statusCode === 400);
    const listed = await fetch(`${ctx.server.apiUrl}/sandbox`, { headers: { Authorization: `Bearer ${ctx.server.apiKey}` } });
    assert.deepEqual((await listed.json()).items, [], 'nothing half-made');
  } finally {
    await ctx.daytona.volume.delete(vol);
  }
});
