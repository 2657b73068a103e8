// The SDK against daytona-local's fault-injection mode (PUT /api/local/faults): for each
// fault, the call either succeeds with the right result or fails fast with the right typed
// error, nothing runs twice and no sandbox is left behind.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elapsed, faultRules, setFaults, startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, daytona, sb;

const faults = (...rules) => setFaults(server, rules);
const rulesLeft = () => faultRules(server);

before(async () => {
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  sb = await daytona.create();
});
beforeEach(() => faults());
after(async () => {
  await faults().catch(() => {});
  await sb?.delete().catch(() => {});
  await server?.stop();
});

test('a 429 with Retry-After is waited out and retried, for any method', async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'status', status: 429, retryAfter: '1', body: 'json' } });
  const { v, e, ms } = await elapsed(() => daytona.get(sb.id));
  assert.equal(e, undefined, String(e));
  assert.equal(v.id, sb.id);
  assert.ok(ms >= 900, `waited ${ms} ms for Retry-After: 1`);
  assert.deepEqual(await rulesLeft(), [], 'the fault was hit');
  // A POST the server refused before acting on it is repeated too.
  await faults({ method: 'POST', path: '/toolbox/*/process/execute', times: 2, fault: { kind: 'status', status: 429, retryAfter: '0' } });
  const r = await sb.process.executeCommand('echo once >> /tmp/count-429; cat /tmp/count-429');
  assert.equal(r.result.trim(), 'once', 'ran exactly once');
  assert.deepEqual(await rulesLeft(), [], 'both faults were hit');
});

test("a gateway's HTML error page on a GET is retried; on a POST it is a clear typed error", async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 2, fault: { kind: 'status', status: 502 } });
  assert.equal((await daytona.get(sb.id)).id, sb.id);
  assert.deepEqual(await rulesLeft(), [], 'both faults were hit');
  await faults({ method: 'POST', path: '/toolbox/*/process/execute', times: 1, fault: { kind: 'status', status: 502 } });
  const e = await sb.process.executeCommand('echo x >> /tmp/count-502').catch((x) => x);
  assert.ok(e instanceof sdk.DaytonaBadGatewayError, String(e));
  assert.equal(e.message, 'Request failed with status code 502: 502 Bad Gateway');
  assert.equal(e.statusCode, 502);
  assert.equal(e.retryable, true);
  assert.equal((await sb.process.executeCommand('cat /tmp/count-502 2>/dev/null | wc -l')).result.trim(), '0', 'the refused command never ran');
});

test('a GET that keeps failing gives up after the configured attempts with a typed error', async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, fault: { kind: 'status', status: 503, body: 'empty' } });
  const once = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, retry: { attempts: 1, maxDelayMs: 50 } });
  const { e, ms } = await elapsed(() => once.get(sb.id));
  assert.ok(e instanceof sdk.DaytonaServiceUnavailableError, String(e));
  assert.equal(e.message, 'Request failed with status code 503');
  assert.equal(e.retryable, true);
  assert.ok(ms < 2000, `gave up in ${ms} ms`);
  const none = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, retry: { attempts: 0 } });
  assert.ok((await none.get(sb.id).catch((x) => x)) instanceof sdk.DaytonaServiceUnavailableError);
  assert.throws(() => new sdk.Daytona({ apiKey: 'k', retry: { attempts: -1 } }), sdk.DaytonaInvalidArgumentError);
});

test('a connection cut before the answer: a GET is retried, a POST is not repeated', async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'reset' } });
  assert.equal((await daytona.get(sb.id)).id, sb.id);
  assert.deepEqual(await rulesLeft(), [], 'the fault was hit');
  await faults({ method: 'POST', path: '/toolbox/*/process/execute', times: 1, fault: { kind: 'reset' } });
  const e = await sb.process.executeCommand('echo x >> /tmp/count-reset').catch((x) => x);
  assert.ok(e instanceof sdk.DaytonaConnectionError, String(e));
  assert.equal(e.retryable, true);
  assert.equal((await sb.process.executeCommand('wc -l < /tmp/count-reset')).result.trim(), '1', 'the command ran once, and was not repeated');
});

test('a download cut in the middle of its data fails (no partial file passed off as whole); cut before its data, it starts over', async () => {
  const local = mkdtempSync(join(tmpdir(), 'faults-'));
  try {
    await sb.fs.uploadFile(new Uint8Array(300000).fill(7), 'cut.bin');
    await faults({ method: 'POST', path: '/toolbox/*/files/bulk-download', fault: { kind: 'reset', afterBytes: 100000 } });
    const e = await sb.fs.downloadFile('cut.bin').catch((x) => x);
    assert.ok(e instanceof sdk.DaytonaError, `rejected, not truncated: ${e?.length ?? e}`);
    // Cut before any of the file was handed on: the download (which only reads) starts over.
    await faults({ method: 'POST', path: '/toolbox/*/files/bulk-download', times: 1, fault: { kind: 'reset', afterBytes: 40 } });
    assert.equal((await sb.fs.downloadFile('cut.bin')).length, 300000);
    assert.deepEqual(await rulesLeft(), [], 'the fault was hit');
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
});

test('a slow answer past the request deadline is a connection timeout, not a hang', async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'delay', ms: 5000 } });
  const quick = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, requestTimeoutMs: 300 });
  const { e, ms } = await elapsed(() => quick.get(sb.id));
  assert.ok(e instanceof sdk.DaytonaConnectionTimeoutError, String(e));
  assert.ok(ms < 3000, `failed in ${ms} ms`);
});

test('a sandbox that vanishes is a NotFound error, not retried', async () => {
  await faults({ path: `/api/sandbox/${sb.id}`, sandbox: sb.id, fault: { kind: 'vanish' } });
  const e = await daytona.get(sb.id).catch((x) => x);
  assert.ok(e instanceof sdk.DaytonaNotFoundError, String(e));
  assert.equal(e.retryable, false);
  assert.equal((await rulesLeft()).length, 1);
});

test('a create whose answer comes too late times out with the official message and leaves no sandbox', async () => {
  const before = (await daytona.list()).items?.length ?? (await daytona.list()).length;
  await faults({ method: 'POST', path: '/api/sandbox', times: 1, fault: { kind: 'delay', ms: 4000 } });
  const e = await daytona.create({}, { timeout: 1 }).catch((x) => x);
  assert.ok(e instanceof sdk.DaytonaTimeoutError, String(e));
  assert.equal(e.message, 'Failed to create and start sandbox within 1 seconds. Operation timed out.');
  await new Promise((r) => setTimeout(r, 4500)); // past the delay: the dropped request must not run then
  const now = await daytona.list();
  assert.equal(now.items?.length ?? now.length, before);
});

test('bad rules are refused whole with a 400, and a rules file is read at start', async () => {
  const r = await fetch(`${server.apiUrl}/local/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ path: '/x', fault: { kind: 'status', status: 200 } }] }),
  });
  assert.equal(r.status, 400);
  assert.match((await r.json()).message, /status must be from 400 to 599/);
  const unauthenticated = await fetch(`${server.apiUrl}/local/faults`);
  assert.equal(unauthenticated.status, 401);

  const dir = mkdtempSync(join(tmpdir(), 'faults-file-'));
  const file = join(dir, 'faults.json');
  writeFileSync(file, JSON.stringify({ rules: [{ method: 'GET', path: '/api/**', fault: { kind: 'status', status: 503, retryAfter: '0' } }] }));
  const other = await startServer({ args: ['--faults', file] });
  try {
    const d = new sdk.Daytona({ apiKey: other.apiKey, apiUrl: other.apiUrl, retry: { attempts: 0 } });
    assert.ok((await d.list().catch((x) => x)) instanceof sdk.DaytonaServiceUnavailableError);
  } finally {
    await other.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a sandbox that goes to error: a wait fails at once with its reason, and recover brings it back', async () => {
  await faults({ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'error', reason: 'injected host failure' } });
  await sb.refreshData();
  assert.deepEqual(await rulesLeft(), [], 'the fault was hit');
  assert.equal(sb.state, 'error');
  assert.equal(sb.errorReason, 'injected host failure');
  const { e, ms } = await elapsed(() => sb.waitUntilStarted(30));
  assert.ok(e instanceof sdk.DaytonaError, String(e));
  assert.equal(e.message, `Sandbox ${sb.id} failed to start with status: error, error reason: injected host failure`);
  assert.ok(ms < 5000, `failed after ${ms} ms, not at its 30 s timeout`);
  await sb.recover();
  assert.equal(sb.state, 'started');
  assert.equal((await sb.process.executeCommand('echo back')).result.trim(), 'back');
});
