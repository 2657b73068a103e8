// Cancellation: an AbortSignal in a call's options rejects it at once with an AbortError
// (as fetch does), stops its requests, and a cancelled create leaves no sandbox behind.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { elapsed, setFaults, startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, daytona, sb;

const faults = (...rules) => setFaults(server, rules);

const abortAfter = (ms) => {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
};

const total = async () => {
  const page = await daytona.list();
  return page.items?.length ?? page.length;
};

before(async () => {
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  sb = await daytona.create();
});
beforeEach(() => faults());
after(async () => {
  await sb?.delete();
  await server?.stop();
});

test('executeCommand and codeRun: aborted while running, they reject at once with an AbortError', async () => {
  const { e, ms } = await elapsed(() => sb.process.executeCommand('sleep 5', undefined, undefined, undefined, { signal: abortAfter(200) }));
  assert.equal(e?.name, 'AbortError', String(e));
  assert.ok(ms < 2000, `rejected after ${ms} ms`);
  const run = await elapsed(() => sb.process.codeRun('import time; time.sleep(5)', undefined, undefined, { signal: abortAfter(200) }));
  assert.equal(run.e?.name, 'AbortError', String(run.e));
  assert.ok(run.ms < 2000, `rejected after ${run.ms} ms`);
  // The process client still works for calls without the signal.
  assert.equal((await sb.process.executeCommand('echo fine')).result.trim(), 'fine');
});

test('an already-aborted signal sends nothing', async () => {
  const e = await sb.process.executeCommand('echo ran > /tmp/never', undefined, undefined, undefined, { signal: AbortSignal.abort() }).catch((x) => x);
  assert.equal(e?.name, 'AbortError');
  assert.equal((await sb.process.executeCommand('test -e /tmp/never && echo yes || echo no')).result.trim(), 'no');
  await assert.rejects(sb.process.executeCommand('true', undefined, undefined, undefined, { signal: 'soon' }), sdk.DaytonaInvalidArgumentError);
});

test('uploadFile: aborted mid-upload, it rejects and the old file stays', async () => {
  await sb.fs.uploadFile(new TextEncoder().encode('old'), 'abort/file.bin');
  await faults({ method: 'POST', path: '/toolbox/*/files/bulk-upload', times: 1, fault: { kind: 'delay', ms: 3000 } });
  const { e, ms } = await elapsed(() => sb.fs.uploadFile(new Uint8Array(1 << 20).fill(1), 'abort/file.bin', undefined, { signal: abortAfter(200) }));
  assert.equal(e?.name, 'AbortError', String(e));
  assert.ok(ms < 2000, `rejected after ${ms} ms`);
  await new Promise((r) => setTimeout(r, 3200)); // past the delay: the cancelled upload never lands
  assert.equal((await sb.fs.downloadFile('abort/file.bin')).toString(), 'old');
});

test('create: cancelled while its request is on the way, it rejects at once and leaves no sandbox', async () => {
  const before = await total();
  await faults({ method: 'POST', path: '/api/sandbox', times: 1, fault: { kind: 'delay', ms: 3000 } });
  const { e, ms } = await elapsed(() => daytona.create({}, { signal: abortAfter(200) }));
  assert.equal(e?.name, 'AbortError', String(e));
  assert.ok(ms < 2000, `rejected after ${ms} ms`);
  await new Promise((r) => setTimeout(r, 3200));
  assert.equal(await total(), before);
});

test('the waits, downloads, runCode, log streams and PTY wait: aborted, each rejects at once with an AbortError', async () => {
  const aborted = async (what, p) => {
    const { e, ms } = await elapsed(() => p);
    assert.equal(e?.name, 'AbortError', `${what}: ${e}`);
    assert.ok(ms < 2000, `${what}: rejected after ${ms} ms`);
  };
  // A stop whose wait never ends: every state poll is slowed past the abort.
  await faults(
    { method: 'GET', path: `/api/sandbox/${sb.id}`, fault: { kind: 'delay', ms: 3000 } },
    { method: 'POST', path: `/api/sandbox/${sb.id}/start`, fault: { kind: 'delay', ms: 3000 } },
  );
  await aborted('waitUntilStopped', sb.waitUntilStopped(60, { signal: abortAfter(200) }));
  await aborted('start', sb.start(60, { signal: abortAfter(200) }));
  await faults();
  await faults({ method: 'POST', path: '/toolbox/*/files/bulk-download', fault: { kind: 'delay', ms: 3000 } });
  await sb.fs.uploadFile(new TextEncoder().encode('x'), 'abort/dl.txt');
  await aborted('downloadFile', sb.fs.downloadFile('abort/dl.txt', undefined, { signal: abortAfter(200) }));
  await aborted('downloadFiles', sb.fs.downloadFiles([{ source: 'abort/dl.txt' }], undefined, { signal: abortAfter(200) }));
  await faults();

  // runCode: the run is interrupted, so the context is free for the next one at once, and
  // keeps its state.
  await sb.codeInterpreter.runCode('x = 41');
  await aborted('runCode', sb.codeInterpreter.runCode('import time\nfor i in range(100): time.sleep(0.1)', { signal: abortAfter(300) }));
  const t = performance.now();
  const next = await sb.codeInterpreter.runCode('print(x + 1)');
  assert.equal(next.stdout, '42\n');
  assert.ok(performance.now() - t < 5000, 'the cancelled run did not hold the context for its 10 s');

  await sb.process.createSession('abort');
  const cmd = await sb.process.executeSessionCommand('abort', { command: 'for i in $(seq 50); do echo $i; sleep 0.1; done', runAsync: true });
  await aborted('getSessionCommandLogs', sb.process.getSessionCommandLogs('abort', cmd.cmdId, () => {}, () => {}, { signal: abortAfter(300) }));

  const pty = await sb.process.createPty({ id: 'abort-wait', onData: () => {} });
  await pty.waitForConnection();
  await aborted('PtyHandle.wait', pty.wait({ signal: abortAfter(200) }));
  assert.equal(pty.isConnected(), true, 'the shell keeps running');
  await pty.kill();
});
