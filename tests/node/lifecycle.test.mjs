// The built package (ESM entry) against a daytona-local this file starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

const { Daytona, Sandbox, SandboxState, CodeLanguage } = sdk;
let server, daytona;

before(async () => {
  server = await startServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
});
after(() => server?.stop());

test('full lifecycle: create, stop, start, archive, start, delete', async () => {
  const sb = await daytona.create(
    { name: 'life-esm', language: CodeLanguage.TYPESCRIPT, envVars: { A: '1' }, labels: { suite: 'esm' }, autoStopInterval: 30, autoArchiveInterval: 60, autoDeleteInterval: -1, public: true },
    { timeout: 30 },
  );
  assert.ok(sb instanceof Sandbox);
  assert.equal(sb.state, SandboxState.STARTED);
  assert.equal(sb.name, 'life-esm');
  assert.deepEqual(sb.env, { A: '1' });
  assert.deepEqual(sb.labels, { suite: 'esm', 'code-toolbox-language': 'typescript' });
  assert.equal(sb.public, true);
  assert.equal(sb.autoStopInterval, 30);
  assert.equal(sb.autoArchiveInterval, 60);
  assert.equal(sb.autoDeleteInterval, -1);
  assert.equal(sb.toolboxProxyUrl, server.apiUrl.replace(/\/api$/, '/toolbox'));
  await sb.stop();
  assert.equal(sb.state, 'stopped');
  await daytona.start(sb, 30);
  assert.equal(sb.state, 'started');
  await daytona.stop(sb);
  await sb.archive();
  assert.equal(sb.state, 'archived');
  await sb.start();
  await sb.waitUntilStarted();
  await sb.refreshActivity();
  assert.deepEqual(await sb.setLabels({ k: 'v' }), { k: 'v' });
  assert.deepEqual(sb.labels, { k: 'v' });
  await sb.setAutostopInterval(0);
  await sb.setAutoArchiveInterval(0);
  await sb.setAutoDeleteInterval(5);
  await sb.refreshData();
  assert.equal(sb.autoStopInterval, 0);
  assert.equal(sb.autoDeleteInterval, 5);
  const again = await daytona.get('life-esm');
  assert.equal(again.id, sb.id);
  await daytona.delete(sb, 30, true);
  await assert.rejects(daytona.get(sb.id), sdk.DaytonaNotFoundError);
});

test('create from an image name with resources', async () => {
  const sb = await daytona.create({ image: 'debian:12-slim', resources: { cpu: 2, memory: 2, disk: 4 } });
  assert.deepEqual([sb.cpu, sb.memory, sb.disk], [2, 2, 4]);
  assert.equal(sb.buildInfo.dockerfileContent, 'FROM debian:12-slim\n');
  await sb.delete();
});

test('findOne by id, name and labels; list pages and label filters', async () => {
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await daytona.create({ name: `find-${i}`, labels: { group: 'find', parity: String(i % 2) } }));
  assert.equal((await daytona.findOne({ id: made[1].id })).name, 'find-1');
  assert.equal((await daytona.findOne({ idOrName: 'find-2' })).id, made[2].id);
  assert.equal((await daytona.findOne({ labels: { group: 'find', parity: '1' } })).labels.parity, '1');
  await assert.rejects(daytona.findOne({ labels: { group: 'nope' } }), sdk.DaytonaNotFoundError);

  const p1 = await daytona.list({ group: 'find' }, 1, 2);
  assert.deepEqual([p1.items.length, p1.total, p1.page, p1.totalPages], [2, 5, 1, 3]);
  assert.ok(p1.items.every((s) => s instanceof Sandbox));
  const p3 = await daytona.list({ group: 'find' }, 3, 2);
  assert.equal(p3.items.length, 1);
  const ids = new Set([...p1.items, ...(await daytona.list({ group: 'find' }, 2, 2)).items, ...p3.items].map((s) => s.id));
  assert.equal(ids.size, 5, 'pages do not overlap');
  const odd = await daytona.list({ group: 'find', parity: '1' });
  assert.equal(odd.total, 2);

  // Today's official form: iterate a query, page by page (limit is the page size).
  const names = [];
  for await (const sb of daytona.list({ labels: { group: 'find' }, sort: sdk.SandboxListSortField.NAME, order: 'asc', limit: 2 })) {
    assert.ok(sb instanceof Sandbox);
    names.push(sb.name);
  }
  assert.deepEqual(names, ['find-0', 'find-1', 'find-2', 'find-3', 'find-4']);
  const desc = [];
  for await (const sb of daytona.list({ labels: { group: 'find', parity: '0' }, sort: 'name', order: 'desc' })) desc.push(sb.name);
  assert.deepEqual(desc, ['find-4', 'find-2', 'find-0']);
  const byName = [];
  for await (const sb of daytona.list({ name: 'FIND-3', states: [sdk.SandboxState.STARTED], createdAtAfter: new Date(Date.now() - 3600e3) })) byName.push(sb.id);
  assert.deepEqual(byName, [made[3].id]);
  const none = [];
  for await (const sb of daytona.list({ labels: { group: 'find' }, createdAtBefore: new Date(0) })) none.push(sb);
  assert.equal(none.length, 0);
  // The iterator protocol by hand, and a bare list() both ways.
  const it = daytona.list({ labels: { group: 'find' }, limit: 1 });
  const first = await it.next();
  assert.equal(first.done, false);
  assert.ok(first.value instanceof Sandbox);
  await it.return();
  assert.equal((await it.next()).done, true);
  const bare = daytona.list();
  assert.ok((await bare).total >= 5);
  let counted = 0;
  for await (const _ of daytona.list()) counted++;
  assert.ok(counted >= 5);
  // Labels passed where a query belongs are a clear error, not a list of everything.
  await assert.rejects(async () => { for await (const _ of daytona.list({ group: 'find' })) break; },
    (e) => e instanceof sdk.DaytonaInvalidArgumentError && /no field `group`/.test(e.message));
  for (const sb of made) await sb.delete();
});

test('resize: cpu/memory hot, disk only when stopped, gpu refused', async () => {
  const sb = await daytona.create({ image: 'debian:12-slim', resources: { cpu: 1, memory: 1, disk: 3 } });
  await sb.resize({ cpu: 2, memory: 3 });
  assert.deepEqual([sb.cpu, sb.memory, sb.state], [2, 3, 'started']);
  await assert.rejects(sb.resize({ disk: 5 }), (e) => e instanceof sdk.DaytonaValidationError && /stopped/.test(e.message) && e.statusCode === 400);
  await sb.stop();
  await sb.resize({ disk: 5 });
  assert.equal(sb.disk, 5);
  await assert.rejects(sb.resize({ disk: 4 }), /cannot be decreased/);
  await assert.rejects(sb.resize({ cpu: 1000 }), sdk.DaytonaValidationError);
  await assert.rejects(sb.resize({ gpu: 1 }), (e) => e instanceof sdk.DaytonaInvalidArgumentError && e.statusCode === undefined);
  await assert.rejects(sb.resize({ cpu: 2 }, -1), sdk.DaytonaInvalidArgumentError);
  await sb.delete();
});

test('classes and functions keep their names through minification', () => {
  for (const name of ['Daytona', 'Sandbox', 'FileSystem', 'Process', 'PtyHandle', 'Image', 'parseChart', 'DaytonaError', 'DaytonaNotFoundError']) {
    assert.equal(sdk[name].name, name);
  }
  assert.match(String(sdk.Sandbox), /^class /);
});

test('every error class, with instanceof, name, statusCode and code', async () => {
  const nf = await daytona.get('does-not-exist').catch((e) => e);
  assert.ok(nf instanceof sdk.DaytonaNotFoundError && nf instanceof sdk.DaytonaError && nf instanceof Error);
  assert.equal(nf.name, 'DaytonaNotFoundError');
  assert.equal(nf.statusCode, 404);
  assert.equal(nf.message, 'Sandbox with ID or name does-not-exist not found');
  assert.equal(nf.headers['content-type'], 'application/json');

  const auth = await new Daytona({ apiKey: 'wrong', apiUrl: server.apiUrl }).list().catch((e) => e);
  assert.ok(auth instanceof sdk.DaytonaAuthenticationError);
  assert.equal(auth.statusCode, 401);

  assert.throws(() => new Daytona({ apiUrl: server.apiUrl }), sdk.DaytonaAuthenticationError);
  assert.throws(() => new Daytona({ jwtToken: 'jwt', apiUrl: server.apiUrl }), /ORGANIZATION_ID/);
  assert.throws(() => new Daytona({ apiKey: 'k', requestTimeoutMs: -5 }), sdk.DaytonaInvalidArgumentError);
  await assert.rejects(daytona.create({ language: 'cobol' }), sdk.DaytonaInvalidArgumentError);
  await assert.rejects(daytona.create({ autoStopInterval: -1 }), sdk.DaytonaValidationError);
  // Wrong types are refused before anything is sent, naming the field; so are values JSON
  // cannot hold as numbers, and arguments JSON cannot write at all.
  const refused = (field) => (e) => e instanceof sdk.DaytonaInvalidArgumentError && e.message === `invalid argument: \`${field}\` must be a number`;
  await assert.rejects(daytona.create({ image: 'debian', resources: { cpu: 'lots' } }), refused('cpu'));
  await assert.rejects(daytona.create({ autoStopInterval: NaN }), refused('autoStopInterval'));
  await assert.rejects(daytona.create({ labels: { big: 1n } }), (e) => e instanceof sdk.DaytonaInvalidArgumentError && /`params` cannot be written as JSON/.test(e.message));
  assert.throws(() => new Daytona({ apiKey: 'k', retry: { attempts: 'many' } }), refused('attempts'));

  const dup = await daytona.create({ name: 'dup' });
  const conflict = await daytona.create({ name: 'dup' }).catch((e) => e);
  assert.ok(conflict instanceof sdk.DaytonaConflictError);
  assert.equal(conflict.statusCode, 409);
  await dup.delete();

  const down = await new Daytona({ apiKey: 'k', apiUrl: 'http://127.0.0.1:1/api' }).list().catch((e) => e);
  assert.ok(down instanceof sdk.DaytonaConnectionError, String(down));
  assert.match(down.message, /ECONNREFUSED|fetch failed/);

  // Server-shaped errors map by status exactly as the official SDK does.
  const cases = [[400, 'DaytonaValidationError'], [403, 'DaytonaAuthorizationError'], [408, 'DaytonaTimeoutError'],
    [410, 'DaytonaGoneError'], [422, 'DaytonaUnprocessableEntityError'], [429, 'DaytonaRateLimitError'],
    [500, 'DaytonaInternalServerError'], [502, 'DaytonaBadGatewayError'], [503, 'DaytonaServiceUnavailableError'], [418, 'DaytonaError']];
  for (const [status, name] of cases) {
    const e = sdk.createDaytonaError('m', status);
    assert.equal(e.name, name);
    assert.ok(e instanceof sdk[name] && e instanceof sdk.DaytonaError);
  }
  const typed = sdk.createDaytonaError('m', 404, {}, 'FILE_NOT_FOUND', 'DAYTONA_DAEMON');
  assert.ok(typed instanceof sdk.DaytonaFileNotFoundError && typed instanceof sdk.DaytonaNotFoundError);
  assert.equal(typed.errorCode, 'FILE_NOT_FOUND');
  const ct = new sdk.DaytonaConnectionTimeoutError('t');
  assert.ok(ct instanceof sdk.DaytonaTimeoutError && ct instanceof sdk.DaytonaConnectionError);
});

test('a timeout is a DaytonaTimeoutError, never a hang', async () => {
  // A server that accepts connections and never answers.
  const { createServer } = await import('node:net');
  const sockets = new Set();
  const silent = createServer((s) => sockets.add(s));
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const d = new Daytona({ apiKey: 'k', apiUrl: `http://127.0.0.1:${silent.address().port}/api` });
  const began = Date.now();
  const err = await d.create({}, { timeout: 0.5 }).catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaTimeoutError, String(err));
  assert.equal(err.message, 'Failed to create and start sandbox within 0.5 seconds. Operation timed out.', 'the official wording');
  assert.ok(Date.now() - began < 5000);
  const viaConfig = await new Daytona({ apiKey: 'k', apiUrl: `http://127.0.0.1:${silent.address().port}/api`, requestTimeoutMs: 300 }).get('x').catch((e) => e);
  assert.ok(viaConfig instanceof sdk.DaytonaConnectionTimeoutError && viaConfig instanceof sdk.DaytonaTimeoutError, String(viaConfig));
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
});

test('environment variables are read from process.env', async () => {
  const saved = { ...process.env };
  try {
    process.env.DAYTONA_API_KEY = server.apiKey;
    process.env.DAYTONA_API_URL = server.apiUrl;
    process.env.DAYTONA_TARGET = 'local-env';
    const sb = await new Daytona().create();
    assert.equal(sb.target, 'local-env');
    await sb.delete();
  } finally {
    for (const k of ['DAYTONA_API_KEY', 'DAYTONA_API_URL', 'DAYTONA_TARGET']) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  }
});

test('a client is async-disposable (await using daytona = new Daytona())', async () => {
  const client = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  // Node 22 has the symbol; Node 20 only with a flag, where the method is there by name.
  const key = Symbol.asyncDispose ?? 'undefined';
  assert.equal(typeof client[key], 'function');
  assert.equal(await client[key](), undefined);
});
