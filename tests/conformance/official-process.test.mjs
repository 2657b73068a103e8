// Conformance: the official SDK's process, session, PTY and interpreter calls, unchanged,
// against daytona-local (including its WebSockets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { Daytona, DaytonaTimeoutError } from '@daytonaio/sdk';

let server, daytona, sb;
before(async () => {
  server = await startServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
  sb = await daytona.create();
});
after(async () => {
  await sb?.delete();
  await daytona?.[Symbol.asyncDispose]?.();
  await server?.stop();
});

test('official SDK: executeCommand and codeRun with a chart', async () => {
  const r = await sb.process.executeCommand('echo hi; exit 2', undefined, { A: 'b' });
  assert.deepEqual([r.exitCode, r.result], [2, 'hi\n']);
  await assert.rejects(sb.process.executeCommand('sleep 20', undefined, undefined, 1), DaytonaTimeoutError);
  const chart = await sb.process.codeRun('import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4])\nplt.title("t")\nplt.show()');
  assert.equal(chart.artifacts.charts[0].type, 'line');
  assert.equal(chart.artifacts.charts[0].title, 't');
});

test('official SDK: sessions with streamed logs and input', async () => {
  await sb.process.createSession('s');
  const c = await sb.process.executeSessionCommand('s', { command: 'read v; echo "got $v"; echo e >&2', runAsync: true });
  await sb.process.sendSessionCommandInput('s', c.cmdId, 'x');
  let out = '', err = '';
  await sb.process.getSessionCommandLogs('s', c.cmdId, (s) => { out += s; }, (s) => { err += s; });
  assert.equal(out, 'x\ngot x\n');
  assert.equal(err, 'e\n');
  const sync = await sb.process.executeSessionCommand('s', { command: 'echo sync' });
  assert.deepEqual([sync.exitCode, sync.stdout], [0, 'sync\n']);
  await sb.process.deleteSession('s');
});

test('official SDK: PTY create, input, resize, exit, connect', async () => {
  let out = '';
  const pty = await sb.process.createPty({ id: 'op', cols: 90, rows: 20, onData: (d) => { out += new TextDecoder().decode(d); } });
  await pty.waitForConnection();
  await pty.sendInput('stty size\n');
  // Resize only once the first size was printed, or both could show the new one.
  for (let i = 0; i < 100 && !out.includes('20 90'); i++) await new Promise((r) => setTimeout(r, 50));
  await pty.resize(100, 25);
  await pty.sendInput('stty size\n');
  for (let i = 0; i < 100 && !out.includes('25 100'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /20 90/);
  assert.match(out, /25 100/);
  await pty.disconnect();
  let again = '';
  const re = await sb.process.connectPty('op', { onData: (d) => { again += new TextDecoder().decode(d); } });
  await re.waitForConnection();
  await re.sendInput('exit 4\n');
  const res = await re.wait();
  assert.equal(res.exitCode, 4);
  assert.match(again, /25 100/);
});

test('official SDK: interpreter contexts and runs', async () => {
  const ci = sb.codeInterpreter;
  await ci.runCode('y = 5');
  assert.equal((await ci.runCode('print(y * 2)')).stdout, '10\n');
  const ctx = await ci.createContext();
  const r = await ci.runCode('print(y)', { context: ctx });
  assert.equal(r.error.name, 'NameError');
  const chunks = [];
  await ci.runCode('for i in range(2): print(i)', { context: ctx, onStdout: (m) => chunks.push(m.output) });
  assert.equal(chunks.join(''), '0\n1\n');
  await ci.deleteContext(ctx);
});
