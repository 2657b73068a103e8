// Streams whose connection drops (daytona-local killed mid-stream): the SDK reports the
// drop instead of passing a cut-off log or terminal off as finished.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, until } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

test('a session log stream that drops rejects with a connection error, and a PTY wait says the connection was lost', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daytona-drop-'));
  const server = await startServer({ dataDir });
  try {
    const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
    const sb = await daytona.create();
    await sb.process.createSession('drop');
    const cmd = await sb.process.executeSessionCommand('drop', { command: 'for i in $(seq 1000); do echo line $i; sleep 0.05; done', runAsync: true });
    const lines = [];
    const followed = sb.process.getSessionCommandLogs('drop', cmd.cmdId, (c) => lines.push(c), () => {}).then(() => 'resolved', (e) => e);

    let out = '';
    const pty = await sb.process.createPty({ id: 'drop', onData: (d) => { out += new TextDecoder().decode(d); } });
    await pty.waitForConnection();
    await pty.sendInput('echo ready-$((40+2))\n');
    await until(() => out.includes('ready-42') && lines.length > 2, 'output on both streams');

    await server.kill();
    const outcome = await followed;
    assert.ok(outcome instanceof sdk.DaytonaConnectionError, `the cut-off log was reported: ${outcome}`);
    assert.match(outcome.message, /cut off \(close code \d+\)/);
    const res = await pty.wait();
    assert.equal(res.exitCode, undefined);
    assert.match(res.error ?? '', /PTY connection lost \(close code \d+\) before the process exited/);
  } finally {
    await server.stop();
    // A server started on the same data dir ends what the killed one left running.
    await (await startServer({ dataDir, apiKey: server.apiKey })).stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
