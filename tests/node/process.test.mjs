// sandbox.process through the package: commands, code-run with charts, sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, daytona, sb;

/** A `sleep` argument no other process on this host has, to find the process by. */
const uniqueSleep = (secs) => `${secs}.${String(process.pid).padStart(7, '0')}${Math.floor(Math.random() * 1e6)}`;

/** Whether a live process on this host (its /proc: sandbox pids are their own) has `marker` in its command line. */
function onHost(marker) {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker) && readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
    } catch { return false; }
  });
}

/** Whether `marker`'s process is on the host, after up to 3 s for it to become `expected`. */
async function onHostSettled(marker, expected) {
  for (let i = 0; i < 30 && onHost(marker) !== expected; i++) await new Promise((r) => setTimeout(r, 100));
  return onHost(marker);
}

before(async () => {
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  sb = await daytona.create({ envVars: { SANDBOX_VAR: 'from-sandbox' } });
});
after(async () => {
  await sb?.delete();
  await server?.stop();
});

test('executeCommand: output, exit codes, cwd, env, timeout', async () => {
  const r = await sb.process.executeCommand('echo out; echo err >&2; exit 3');
  assert.equal(r.exitCode, 3);
  assert.equal(r.result, 'out\nerr\n');
  assert.equal(r.artifacts.stdout, r.result);
  await sb.fs.createFolder('work/dir', '755');
  assert.match((await sb.process.executeCommand('pwd', 'work/dir')).result, /^\/home\/daytona\/work\/dir\n$/);
  assert.equal((await sb.process.executeCommand('echo $FOO $SANDBOX_VAR', undefined, { FOO: 'bar' })).result, 'bar from-sandbox\n');
  assert.equal((await sb.process.executeCommand('printf "héllo ✓"')).result, 'héllo ✓');
  const began = Date.now();
  const err = await sb.process.executeCommand('sleep 30', undefined, undefined, 1).catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaTimeoutError, String(err));
  assert.equal(err.statusCode, 408);
  assert.ok(Date.now() - began < 10000);
  await assert.rejects(sb.process.executeCommand('true', undefined, { 'BAD-NAME': 'x' }), sdk.DaytonaValidationError);
  await assert.rejects(sb.process.executeCommand('true', undefined, undefined, 1.5), sdk.DaytonaInvalidArgumentError);
  await assert.rejects(sb.process.executeCommand('   '), sdk.DaytonaValidationError);
});

test('a timed-out command takes its whole process group with it', async () => {
  const secs = uniqueSleep(60);
  await sb.process.executeCommand(`(sleep ${secs} & echo $! > bg.pid; wait)`, undefined, undefined, 1).catch(() => {});
  const pid = (await sb.process.executeCommand('cat bg.pid')).result.trim();
  assert.match(pid, /^\d+$/);
  assert.equal((await sb.process.executeCommand(`kill -0 ${pid}`)).exitCode, 1, 'gone inside the sandbox');
  assert.equal(await onHostSettled(`sleep\0${secs}`, false), false, `background sleep ${secs} outlived the timeout`);
});

test('codeRun: python with argv and env, javascript, and errors', async () => {
  const py = await sb.process.codeRun('import os, sys\nprint(sys.argv[1:], os.environ["X"])', { argv: ['a', 'b'], env: { X: 'y' } });
  assert.deepEqual([py.exitCode, py.result, py.artifacts.charts], [0, "['a', 'b'] y\n", []]);
  const bad = await sb.process.codeRun('raise ValueError("boom")');
  assert.equal(bad.exitCode, 1);
  assert.match(bad.result, /ValueError: boom/);
  const js = await daytona.create({ language: 'javascript' });
  try {
    const r = await js.process.codeRun('console.log(process.argv.slice(1).join(","), 6 * 7)', { argv: ['p', 'q'] });
    assert.deepEqual([r.exitCode, r.result], [0, 'p,q 42\n']);
  } finally {
    await js.delete();
  }
});

test('codeRun: TypeScript with types, argv and env on the host Node (on Node 20: transpiled by the global typescript)', async () => {
  const ts = await daytona.create({ language: 'typescript' });
  try {
    const code = 'interface P { n: number }\nconst p: P = { n: 6 * 7 };\nimport { basename } from "path";\nconsole.log(process.argv.slice(1).join(","), p.n, basename("/a/b.ts"), process.env.X);';
    const r = await ts.process.codeRun(code, { argv: ['p', 'q'], env: { X: 'y' } });
    assert.deepEqual([r.exitCode, r.result], [0, 'p,q 42 b.ts y\n']);
    const bad = await ts.process.codeRun('const x: number = 1;\nthrow new Error("ts boom");');
    assert.equal(bad.exitCode, 1);
    assert.match(bad.result, /ts boom/);
  } finally {
    await ts.delete();
  }
});

test('codeRun returns matplotlib charts of every type', async () => {
  const code = `
import matplotlib.pyplot as plt
plt.figure(); plt.plot([1, 2, 3], [1, 4, 9], label='squares'); plt.title('Line'); plt.xlabel('x'); plt.ylabel('y'); plt.show()
plt.figure(); plt.scatter([1, 2], [3, 4], label='pts'); plt.title('Scatter'); plt.show()
plt.figure(); plt.bar(['a', 'b'], [5, 7], label='sales'); plt.title('Bar'); plt.show()
plt.figure(); plt.pie([1, 3], labels=['one', 'three']); plt.title('Pie'); plt.show()
plt.figure(); plt.boxplot([[1, 2, 3, 4, 100]]); plt.title('Box'); plt.show()
fig, (a, b) = plt.subplots(1, 2); a.plot([1, 2], [2, 1]); b.bar(['x'], [3]); fig.suptitle('Both'); plt.show()
print('done')
`;
  const r = await sb.process.codeRun(code);
  assert.equal(r.exitCode, 0, r.result);
  assert.equal(r.result, 'done\n');
  const charts = r.artifacts.charts.map(sdk.parseChart);
  assert.deepEqual(charts.map((c) => [c.type, c.title]), [
    [sdk.ChartType.LINE, 'Line'], [sdk.ChartType.SCATTER, 'Scatter'], [sdk.ChartType.BAR, 'Bar'],
    [sdk.ChartType.PIE, 'Pie'], [sdk.ChartType.BOX_AND_WHISKER, 'Box'], [sdk.ChartType.COMPOSITE_CHART, 'Both'],
  ]);
  const [line, scatter, bar, pie, box, composite] = charts;
  assert.deepEqual([line.x_label, line.y_label, line.elements[0].label, line.elements[0].points], ['x', 'y', 'squares', [[1, 1], [2, 4], [3, 9]]]);
  assert.deepEqual(scatter.elements[0].points, [[1, 3], [2, 4]]);
  assert.equal(scatter.x_label, null, 'a missing label stays null, as the official SDK passes the JSON on');
  assert.deepEqual(bar.elements.map((e) => [e.label, e.value]), [['a', 5], ['b', 7]]);
  assert.deepEqual(pie.elements.map((e) => [e.label, Math.round(e.angle)]), [['one', 90], ['three', 270]]);
  assert.deepEqual([box.elements[0].median, box.elements[0].outliers], [3, [100]]);
  assert.deepEqual(composite.elements.map((c) => c.type), ['line', 'bar']);
  assert.ok(charts.every((c) => typeof c.png === 'string' && c.png.length > 100));
});

test('sessions: state persists, sync and async commands, input, logs, list, delete', async () => {
  const p = sb.process;
  await p.createSession('s1');
  await assert.rejects(p.createSession('s1'), sdk.DaytonaConflictError);
  const cd = await p.executeSessionCommand('s1', { command: 'mkdir -p deep && cd deep && export GREETING=hi' });
  assert.equal(cd.exitCode, 0);
  const r = await p.executeSessionCommand('s1', { command: 'echo $GREETING; basename $(pwd); echo oops >&2; false' });
  assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, 'hi\ndeep\n', 'oops\n']);
  assert.match(r.output, /\x01\x01\x01hi\n/);

  const asyncCmd = await p.executeSessionCommand('s1', { command: 'read name; echo "hello $name"', runAsync: true });
  assert.ok(asyncCmd.cmdId);
  assert.equal((await p.getSessionCommand('s1', asyncCmd.cmdId)).exitCode, undefined);
  await p.sendSessionCommandInput('s1', asyncCmd.cmdId, 'world');
  for (let i = 0; i < 50 && (await p.getSessionCommand('s1', asyncCmd.cmdId)).exitCode === undefined; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal((await p.getSessionCommand('s1', asyncCmd.cmdId)).exitCode, 0);
  const logs = await p.getSessionCommandLogs('s1', asyncCmd.cmdId);
  assert.equal(logs.stdout, 'world\nhello world\n');
  await assert.rejects(p.sendSessionCommandInput('s1', asyncCmd.cmdId, 'late'), sdk.DaytonaGoneError);

  const session = await p.getSession('s1');
  assert.deepEqual(session.commands.map((c) => c.exitCode), [0, 1, 0]);
  assert.deepEqual((await p.listSessions()).map((s) => s.sessionId), ['s1']);
  await p.deleteSession('s1');
  await assert.rejects(p.getSession('s1'), sdk.DaytonaNotFoundError);
  await assert.rejects(p.executeSessionCommand('nope', { command: 'true' }), sdk.DaytonaNotFoundError);
});

test('stopping a sandbox kills what it started', async () => {
  const other = await daytona.create();
  await other.process.createSession('bg');
  const secs = uniqueSleep(300);
  await other.process.executeSessionCommand('bg', { command: `sleep ${secs} &`, runAsync: false });
  assert.equal(await onHostSettled(`sleep\0${secs}`, true), true, 'the sleep runs, seen from the host');
  await other.stop();
  assert.equal(await onHostSettled(`sleep\0${secs}`, false), false, `sleep ${secs} outlived its sandbox`);
  await other.delete();
});
