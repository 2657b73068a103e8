// PTY, streamed session logs and the code interpreter through the package (WebSockets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, sb;
before(async () => {
  server = await startServer();
  sb = await new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl }).create();
});
after(async () => {
  await sb?.delete();
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(check, what, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

test('PTY: echo, resize seen by stty, exit code, reconnect replays, kill', async () => {
  let out = '';
  const pty = await sb.process.createPty({ id: 't1', cols: 100, rows: 30, envs: { GREET: 'hey' }, onData: (d) => { assert.ok(d instanceof Uint8Array); out += new TextDecoder().decode(d); } });
  await pty.waitForConnection();
  assert.equal(pty.isConnected(), true);
  await pty.sendInput('echo $GREET-$((6*7)); stty size\n');
  await until(() => out.includes('hey-42') && out.includes('30 100'), 'echo and size');
  await pty.resize(120, 40);
  await pty.sendInput(new TextEncoder().encode('stty size\n'));
  await until(() => out.includes('40 120'), 'resized');
  const info = await sb.process.getPtySessionInfo('t1');
  assert.deepEqual([info.cols, info.rows, info.active], [120, 40, true]);

  await pty.disconnect();
  await sleep(100);
  let again = '';
  const re = await sb.process.connectPty('t1', { onData: (d) => { again += new TextDecoder().decode(d); } });
  await re.waitForConnection();
  await until(() => again.includes('hey-42'), 'replayed output');
  await re.sendInput('exit 3\n');
  assert.deepEqual(await re.wait(), { exitCode: 3, error: 'non-zero exit' });
  assert.equal(re.exitCode, 3);
  await assert.rejects(re.sendInput('x'), (e) => e instanceof sdk.DaytonaConnectionError && e.message === 'PTY is not connected');

  const victim = await sb.process.createPty({ id: 't2', onData: () => {} });
  await victim.waitForConnection();
  assert.deepEqual((await sb.process.listPtySessions()).map((p) => p.id).sort(), ['t1', 't2']);
  await victim.kill();
  assert.equal((await victim.wait()).exitCode, 137);
  await assert.rejects(sb.process.getPtySessionInfo('t2'), sdk.DaytonaNotFoundError);
});

test('PTY: 10 MiB of output arrives complete and in order; onData promises are awaited', async () => {
  const chunks = [];
  let inFlight = 0;
  const pty = await sb.process.createPty({ id: 'big', onData: async (d) => {
    assert.equal(inFlight++, 0, 'onData calls never overlap');
    chunks.push(d);
    if (chunks.length % 50 === 0) await sleep(1);
    inFlight--;
  } });
  await pty.waitForConnection();
  const lines = 160000; // 160000 lines of 64 bytes = ~10 MiB
  await pty.sendInput(`python3 -c "import sys; [sys.stdout.write('L%09d' % i + 'x' * 53 + '\\n') for i in range(${lines})]"; exit\n`);
  await pty.wait();
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const seen = [...text.matchAll(/L(\d{9})x{53}\r\n/g)].map((m) => Number(m[1]));
  assert.equal(seen.length, lines);
  assert.ok(seen.every((n, i) => n === i), 'in order');
});

test('session logs stream stdout and stderr apart, multi-byte characters intact, 10 MiB complete', async () => {
  const p = sb.process;
  await p.createSession('logs');
  const cmd = await p.executeSessionCommand('logs', { command: 'for i in 1 2 3; do echo "out $i ✓"; echo "err $i é" >&2; sleep 0.05; done', runAsync: true });
  const out = [], err = [];
  await p.getSessionCommandLogs('logs', cmd.cmdId, (c) => out.push(c), (c) => err.push(c));
  assert.equal(out.join(''), 'out 1 ✓\nout 2 ✓\nout 3 ✓\n');
  assert.equal(err.join(''), 'err 1 é\nerr 2 é\nerr 3 é\n');

  const wide = '€😀é'.repeat(200000);
  const big = await p.executeSessionCommand('logs', { command: `python3 -c "import sys; sys.stdout.write('${'€😀é'}' * 200000 + '\\n'); [print('row', i) for i in range(700000)]"`, runAsync: true });
  const parts = [];
  await p.getSessionCommandLogs('logs', big.cmdId, (c) => parts.push(c), () => {});
  assert.ok(parts.every((c) => !c.includes('\uFFFD')), 'no callback saw half a character');
  const all = parts.join('');
  assert.ok(all.startsWith(wide + '\n'));
  const rows = all.slice(wide.length + 1).split('\n').filter(Boolean);
  assert.equal(rows.length, 700000);
  assert.ok(rows.every((r, i) => r === `row ${i}`), 'in order');
  assert.ok(all.length > 10 * 1024 * 1024 / 2);
});

test('interpreter: state kept, contexts isolated, errors with traceback, streaming, timeout', async () => {
  const ci = sb.codeInterpreter;
  assert.deepEqual(await ci.runCode('x = 41\nprint("set")'), { stdout: 'set\n', stderr: '' });
  assert.equal((await ci.runCode('print(x + 1)')).stdout, '42\n');
  const ctx = await ci.createContext();
  const isolated = await ci.runCode('print(x)', { context: ctx });
  assert.equal(isolated.error.name, 'NameError');
  assert.match(isolated.error.traceback, /NameError: name 'x' is not defined/);
  const seen = [], errors = [];
  const r = await ci.runCode('import sys, time\nfor i in range(3):\n  print(i, flush=True)\n  time.sleep(0.05)\nprint("warn", file=sys.stderr)\nraise KeyError("k")',
    { context: ctx, envs: { A: 'b' }, onStdout: (m) => seen.push(m.output), onError: (e) => errors.push(e.name) });
  assert.equal(seen.join(''), '0\n1\n2\n');
  assert.equal(r.stderr, 'warn\n');
  assert.deepEqual(errors, ['KeyError']);
  assert.equal((await ci.runCode('import os\nprint(os.environ["A"])', { context: ctx, envs: { A: 'b' } })).stdout, 'b\n');
  assert.deepEqual((await ci.listContexts()).map((c) => c.id), [ctx.id]);
  const began = Date.now();
  const slow = await ci.runCode('import time\nprint("start", flush=True)\ntime.sleep(30)', { context: ctx, timeout: 1 });
  assert.equal(slow.stdout, 'start\n');
  assert.ok(Date.now() - began < 10000);
  assert.equal((await ci.runCode('print("still alive")', { context: ctx })).stdout, 'still alive\n');
  await ci.deleteContext(ctx);
  assert.deepEqual(await ci.listContexts(), []);
  await assert.rejects(ci.runCode('   '), sdk.DaytonaInvalidArgumentError);
});
