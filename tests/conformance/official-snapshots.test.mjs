// Conformance: the official SDK's daytona.snapshot and create({ image }), unchanged,
// against daytona-local's real builds: logs stream while a build runs, sandboxes made from
// the snapshot see what it installed, and a failing step fails the build with its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useOfficialClient } from './official-client.mjs';
import { Image, DaytonaError, DaytonaNotFoundError } from '@daytonaio/sdk';

const ctx = useOfficialClient();

test('official SDK: a snapshot is built with pip and RUN steps, streamed, listed and used', async () => {
  const image = Image.base('python:3.11-slim')
    .pipInstall(['six==1.16.0'])
    .env({ GREETING: 'hello from the image' })
    .workdir('/home/daytona/app')
    .runCommands('echo "$GREETING" > note.txt');
  const logs = [];
  const snap = await ctx.daytona.snapshot.create({ name: 'py-six', image, resources: { cpu: 1, memory: 1, disk: 3 } }, { onLogs: (l) => logs.push(l) });
  assert.equal(snap.state, 'active');
  const text = logs.join('\n');
  assert.match(text, /Creating snapshot py-six/);
  assert.match(text, /Step 2\/5 : RUN python -m pip install six\\=\\=1\.16\.0/);
  assert.match(text, /Successfully installed six-1\.16\.0/);
  assert.match(text, /no container engine/);
  assert.match(text, /Created snapshot py-six \(active\)/);

  assert.equal((await ctx.daytona.snapshot.get('py-six')).id, snap.id);
  const page = await ctx.daytona.snapshot.list(1, 10);
  assert.equal(page.total, 1);
  assert.deepEqual(page.items.map((s) => s.name), ['py-six']);
  // Today's query form; no snapshot here is taken of a sandbox.
  const byQuery = await ctx.daytona.snapshot.list({ page: 1, limit: 10 });
  assert.deepEqual([byQuery.total, byQuery.items.map((s) => s.name)], [1, ['py-six']]);
  assert.deepEqual((await ctx.daytona.snapshot.list({ sourceSandboxId: 'no-such-sandbox' })).items, []);
  assert.equal((await ctx.daytona.snapshot.activate(snap)).state, 'active');

  const sb = await ctx.daytona.create({ snapshot: 'py-six' });
  try {
    const r = await sb.process.codeRun('import six, os; print(six.__version__, os.environ["GREETING"])');
    assert.equal(r.result.trim(), '1.16.0 hello from the image');
    assert.equal((await sb.fs.downloadFile('app/note.txt')).toString(), 'hello from the image\n');
  } finally {
    await sb.delete();
  }
  await ctx.daytona.snapshot.delete(snap);
  await assert.rejects(ctx.daytona.snapshot.get('py-six'), DaytonaNotFoundError);
});

test('official SDK: a failing RUN fails the snapshot with its log', async () => {
  const image = Image.base('alpine:3').runCommands('echo step-one-ran', 'echo about-to-fail && exit 7');
  const logs = [];
  await assert.rejects(
    ctx.daytona.snapshot.create({ name: 'broken', image }, { onLogs: (l) => logs.push(l) }),
    (e) => e instanceof DaytonaError && /Failed to create snapshot\. Name: broken Reason: Step 3\/3 .* exited with code 7/.test(e.message),
  );
  assert.match(logs.join('\n'), /step-one-ran[\s\S]*about-to-fail/);
  assert.equal((await ctx.daytona.snapshot.get('broken')).state, 'build_failed');
  await ctx.daytona.snapshot.delete('broken');
});

test('official SDK: create({ image }) builds on the fly, streams the build and reuses it', async () => {
  const image = Image.base('python:3.11').runCommands('echo built-on-the-fly > /home/daytona/made.txt');
  const logs = [];
  const sb = await ctx.daytona.create({ image }, { onSnapshotCreateLogs: (l) => logs.push(l), timeout: 120 });
  try {
    assert.equal(sb.state, 'started');
    assert.match(logs.join('\n'), /Step 2\/2 : RUN echo built-on-the-fly/);
    assert.equal((await sb.process.executeCommand('cat made.txt')).result, 'built-on-the-fly\n');
  } finally {
    await sb.delete();
  }
  // The same image again is not built again.
  const again = await ctx.daytona.create({ image });
  try {
    assert.equal((await again.process.executeCommand('cat made.txt')).result, 'built-on-the-fly\n');
    assert.equal((await ctx.daytona.snapshot.list()).items.filter((s) => s.name.startsWith('daytona-local-build-')).length, 1);
  } finally {
    await again.delete();
  }
  const failing = Image.base('python:3.11').runCommands('exit 5');
  await assert.rejects(ctx.daytona.create({ image: failing }, { timeout: 60 }), (e) => e instanceof DaytonaError && /exited with code 5/.test(e.message));
});

test('official SDK: local files are uploaded to daytona-local object storage (SigV4, multipart) and copied in', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
  writeFileSync(join(dir, 'data.txt'), 'local file\n');
  mkdirSync(join(dir, 'tree/sub'), { recursive: true });
  writeFileSync(join(dir, 'tree/sub/f.txt'), 'in a dir\n');
  // Over lib-storage's 5 MiB part size, so it goes up as a multipart upload.
  const big = Buffer.alloc(6 * 1024 * 1024, 'x');
  writeFileSync(join(dir, 'big.bin'), big);
  const image = Image.base('python:3.11')
    .addLocalFile(join(dir, 'data.txt'), '/home/daytona/app/')
    .addLocalDir(join(dir, 'tree'), '/home/daytona/tree')
    .addLocalFile(join(dir, 'big.bin'), '/home/daytona/big.bin');
  const snap = await ctx.daytona.snapshot.create({ name: 'with-files', image });
  assert.equal(snap.buildInfo.contextHashes.length, 3);
  const sb = await ctx.daytona.create({ snapshot: 'with-files' });
  try {
    const r = await sb.process.executeCommand('cat app/data.txt tree/sub/f.txt; stat -c %s big.bin');
    assert.equal(r.result, `local file\nin a dir\n${big.length}\n`);
  } finally {
    await sb.delete();
  }
  // The same context again is found by its hash and not uploaded twice.
  const listed = await fetch(`${ctx.server.apiUrl}/object-storage/push-access`, { headers: { Authorization: `Bearer ${ctx.server.apiKey}` } });
  const access = await listed.json();
  assert.equal(access.bucket, 'daytona-volume-builds');
  const unsigned = await fetch(`${access.storageUrl}/${access.bucket}/?list-type=2`);
  assert.equal(unsigned.status, 403, 'object storage refuses unsigned requests');
  assert.match(await unsigned.text(), /<Code>AccessDenied<\/Code>/);
  await ctx.daytona.snapshot.delete(snap);
});
