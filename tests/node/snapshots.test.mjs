// daytona.snapshot and create({ image }) through the package in Node, against daytona-local's
// real builds: the build log streams line by line, a sandbox from the snapshot has what the
// build installed, and a failing step rejects with its reason and log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daytona, Image, DaytonaError, DaytonaNotFoundError } from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server, daytona;
before(async () => {
  server = await startServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
});
after(() => server?.stop());

test('a snapshot is built with pip, ENV, WORKDIR and RUN, its log streamed, then used', async () => {
  const image = Image.base('python:3.11-slim')
    .pipInstall(['six==1.16.0'])
    .env({ GREETING: 'hello from the image' })
    .workdir('/home/daytona/app')
    .runCommands('echo "$GREETING" > note.txt');
  const lines = [];
  const snap = await daytona.snapshot.create({ name: 'py-six', image, entrypoint: ['sleep', 'infinity'] }, { onLogs: (l) => lines.push(l) });
  assert.equal(snap.state, 'active');
  assert.deepEqual(snap.entrypoint, ['sleep', 'infinity']);
  assert.equal(lines[0], 'Creating snapshot py-six (building)');
  assert.ok(lines.includes('Step 2/6 : RUN python -m pip install six\\=\\=1.16.0'), lines.join('\n'));
  assert.ok(lines.includes('Successfully installed six-1.16.0'), 'the build output arrives line by line');
  assert.ok(lines.includes('Step 6/6 : ENTRYPOINT ["sleep", "infinity"]'), 'the entrypoint is appended to the Dockerfile');
  assert.equal(lines.at(-1), 'Created snapshot py-six (active)');

  assert.equal((await daytona.snapshot.get('py-six')).id, snap.id);
  const page = await daytona.snapshot.list(1, 10);
  assert.deepEqual([page.total, page.page, page.totalPages, page.items.map((s) => s.name)], [1, 1, 1, ['py-six']]);
  // Today's query form; no snapshot here is taken of a sandbox.
  const byQuery = await daytona.snapshot.list({ page: 1, limit: 10 });
  assert.deepEqual([byQuery.total, byQuery.items.map((s) => s.name)], [1, ['py-six']]);
  assert.deepEqual((await daytona.snapshot.list({ sourceSandboxId: 'no-such-sandbox' })).items, []);
  assert.equal((await daytona.snapshot.activate('py-six')).state, 'active');

  const sb = await daytona.create({ snapshot: 'py-six' });
  try {
    const r = await sb.process.codeRun('import six, os; print(six.__version__, os.environ["GREETING"])');
    assert.equal(r.result.trim(), '1.16.0 hello from the image');
    assert.equal(new TextDecoder().decode(await sb.fs.downloadFile('app/note.txt')), 'hello from the image\n');
  } finally {
    await sb.delete();
  }
  await daytona.snapshot.delete(snap);
  await assert.rejects(daytona.snapshot.get('py-six'), DaytonaNotFoundError);
});

test('a failing step rejects with its reason, after its log', async () => {
  const lines = [];
  const image = Image.base('alpine:3').runCommands('echo step-one-ran', 'echo about-to-fail && exit 7');
  await assert.rejects(
    daytona.snapshot.create({ name: 'broken', image }, { onLogs: (l) => lines.push(l) }),
    (e) => e instanceof DaytonaError && e.message === 'Failed to create snapshot. Name: broken Reason: Step 3/3 (RUN echo about-to-fail && exit 7) failed: exited with code 7',
  );
  assert.ok(lines.includes('step-one-ran') && lines.includes('about-to-fail'), lines.join('\n'));
  assert.equal((await daytona.snapshot.get('broken')).state, 'build_failed');
  await daytona.snapshot.delete('broken');
  // A daemon a step leaves behind (in a session of its own) does not live on into the next.
  const daemonLines = [];
  const daemon = Image.base('alpine:3').runCommands('setsid sleep 301 > /dev/null 2>&1 < /dev/null &', 'if pgrep -f "sleep 30[1]" > /dev/null; then echo daemon-left; else echo daemon-gone; fi');
  await daytona.snapshot.create({ name: 'daemon', image: daemon }, { onLogs: (l) => daemonLines.push(l) });
  assert.ok(daemonLines.includes('daemon-gone'), daemonLines.join('\n'));
  await daytona.snapshot.delete('daemon');
  await assert.rejects(daytona.snapshot.create({ name: 'x' }), (e) => e.name === 'DaytonaInvalidArgumentError' && /image is required/.test(e.message));
  const named = await daytona.snapshot.create({ name: 'by-name', image: 'debian:12' });
  assert.deepEqual([named.state, named.imageName], ['active', 'debian:12']);
  await daytona.snapshot.delete(named);
});

test('create({ image }) builds on the fly with onSnapshotCreateLogs, and reuses the build', async () => {
  const image = Image.base('python:3.11').runCommands('echo built-on-the-fly > /home/daytona/made.txt');
  const lines = [];
  const sb = await daytona.create({ image }, { onSnapshotCreateLogs: (l) => lines.push(l), timeout: 120 });
  try {
    assert.equal(sb.state, 'started');
    assert.ok(lines.includes('Step 2/2 : RUN echo built-on-the-fly > /home/daytona/made.txt'), lines.join('\n'));
    assert.equal((await sb.process.executeCommand('cat made.txt')).result, 'built-on-the-fly\n');
  } finally {
    await sb.delete();
  }
  const again = await daytona.create({ image });
  try {
    assert.equal((await again.process.executeCommand('cat made.txt')).result, 'built-on-the-fly\n');
  } finally {
    await again.delete();
  }
  await assert.rejects(daytona.create({ image: Image.base('python:3.11').runCommands('exit 5') }), (e) => e instanceof DaytonaError && /exited with code 5/.test(e.message));
});

test('the snapshot steps Chromium and workerd run (a file given as bytes included) pass in Node', async () => {
  const sdk = await import('../../pkg/node.mjs');
  const { runSnapshots, EXPECTED_SNAPSHOT_STEPS } = await import('../lifecycle-steps.mjs');
  assert.deepEqual(await runSnapshots(sdk, { apiUrl: server.apiUrl, apiKey: server.apiKey }), EXPECTED_SNAPSHOT_STEPS);
});
