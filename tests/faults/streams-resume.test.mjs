// Streams under WebSocket faults (daytona-local's `reset` and `split` rules on a socket): a
// terminal whose connection drops resumes where it left off, log frames cut inside a
// character decode whole, and a client that stops reading cannot stall a shared terminal.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { faultRules, setFaults, startServer, until } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, daytona, sb;

before(async () => {
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  sb = await daytona.create();
});
beforeEach(() => setFaults(server));
after(async () => {
  await setFaults(server).catch(() => {});
  await sb?.delete().catch(() => {});
  await server?.stop();
});

/** A PTY whose output is collected as text (a streaming decoder: frames may split characters). */
async function terminal(id) {
  const decoder = new TextDecoder();
  const t = { out: '' };
  t.pty = await sb.process.createPty({ id, onData: (d) => { t.out += decoder.decode(d, { stream: true }); } });
  await t.pty.waitForConnection();
  return t;
}

test('a terminal whose connection drops mid-output reattaches and delivers every byte exactly once', async () => {
  // The first connection is cut after 64 KiB of what the server sends; the reattach is not.
  await setFaults(server, [{ path: '/toolbox/*/process/pty/create-connect', times: 1, fault: { kind: 'reset', afterBytes: 65536 } }]);
  const t = await terminal('resume');
  await t.pty.sendInput('stty -echo; seq 1 60000; echo end-$((6*7))\n');
  await until(() => t.out.includes('end-42'), 'the end marker', 30000);
  assert.deepEqual(await faultRules(server), [], 'the connection was cut');
  // Lines without the terminal's control sequences (bracketed paste on and off).
  const lines = t.out.replace(/\x1b\[[?0-9;]*[a-zA-Z]|\r/g, '').split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
  assert.equal(lines.length, 60000, 'no line lost or doubled');
  assert.ok(lines.every((n, i) => n === i + 1), 'in order');
  assert.equal(t.pty.isConnected(), true, 'still attached after the drop');
  assert.equal(t.pty.error, undefined, 'no output was lost reconnecting');
  await t.pty.sendInput('exit 3\n');
  assert.deepEqual(await t.pty.wait(), { exitCode: 3, error: 'non-zero exit' });
});

test('log frames cut inside multi-byte characters decode whole, live and followed', async () => {
  await setFaults(server, [{ path: '/toolbox/*/process/session/*/command/*/logs', fault: { kind: 'split' } }]);
  await sb.process.createSession('split');
  const text = 'héllo wörld ✓ 日本語 🎉';
  const cmd = await sb.process.executeSessionCommand('split', { command: `for i in 1 2 3 4 5; do echo '${text}'; sleep 0.1; done`, runAsync: true });
  let live = '';
  await sb.process.getSessionCommandLogs('split', cmd.cmdId, (c) => { live += c; }, () => {});
  const expected = `${text}\n`.repeat(5);
  assert.equal(live, expected);
  assert.ok(!live.includes('\uFFFD'));
  assert.equal((await faultRules(server)).length, 1, 'the rule stays in force');
});

test('a client that stops reading is dropped; the others attached to the terminal get all their output', async () => {
  const t = await terminal('shared');
  // A second client that completes the handshake, then never reads a byte.
  const { token } = await sb.getPreviewLink(1);
  const url = new URL(`${sb.toolboxProxyUrl}/${sb.id}/process/pty/shared/connect`);
  const stalled = connect(Number(url.port), url.hostname);
  let stalledClosed = false;
  stalled.on('close', () => { stalledClosed = true; }).on('error', () => {});
  await new Promise((r) => stalled.once('connect', r));
  stalled.write(`GET ${url.pathname}?DAYTONA_SANDBOX_AUTH_KEY=${token} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  const head = await new Promise((r) => stalled.once('data', (d) => r(String(d))));
  assert.match(head, /^HTTP\/1.1 101/);
  stalled.pause();

  // Far more than the stalled client's queue and socket buffers hold.
  const total = 48 * 1024 * 1024;
  await t.pty.sendInput(`head -c ${total} /dev/zero | tr '\\0' x; echo; echo end-$((6*7))\n`);
  await until(() => t.out.includes('end-42'), 'the end marker', 90000);
  const longest = Math.max(...t.out.match(/x+/g).map((run) => run.length));
  assert.equal(longest, total, 'every byte reached the reading client');
  // Reading again, it finds its connection closed, short of the output.
  let got = 0;
  stalled.on('data', (d) => { got += d.length; }).resume();
  await until(() => stalledClosed, 'the stalled client to be dropped', 30000);
  assert.ok(got < total, `the stalled client got ${got} bytes before it was dropped`);
  await t.pty.kill();
});
