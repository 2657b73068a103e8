// daytona-local's event socket (`/api/socket.io/`), as the official SDK uses it: state
// changes arrive as `sandbox.state.updated` (heard here with the SDK's own socket.io-client),
// a wrong key is refused once and for all, and a script written for the official SDK ends
// as soon as its work is done instead of retrying the socket for minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { Daytona } from '@daytonaio/sdk';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

/** A socket opened as the official SDK opens it (websocket only, token in the CONNECT packet). */
function connect(token) {
  const { origin, pathname } = new URL(server.apiUrl);
  return io(origin, { path: `${pathname}/socket.io/`, transports: ['websocket'], auth: { token }, reconnection: false });
}

test('state changes arrive on the event socket; a wrong key is refused', async () => {
  const socket = connect(server.apiKey);
  const seen = [];
  socket.on('sandbox.state.updated', (e) => seen.push(e));
  await new Promise((resolve, reject) => { socket.on('connect', resolve); socket.on('connect_error', reject); });

  const daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
  const sb = await daytona.create({ labels: { suite: 'events' } });
  await sb.stop();
  await sb.delete();
  await daytona[Symbol.asyncDispose]();
  const deadline = Date.now() + 5000;
  while (!seen.some((e) => e.sandbox.id === sb.id && e.newState === 'destroyed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  socket.close();

  const mine = seen.filter((e) => e.sandbox.id === sb.id);
  assert.deepEqual(mine.map((e) => [e.oldState, e.newState]), [[undefined, 'started'], ['started', 'stopped'], ['stopped', 'destroyed']]);
  assert.equal(mine[1].sandbox.state, 'stopped');
  assert.equal(mine[1].sandbox.labels.suite, 'events');
  assert.ok(mine[1].sandbox.toolboxProxyUrl, 'the full DTO, as the API answers it');

  const refused = connect('wrong-key');
  const err = await new Promise((resolve) => { refused.on('connect_error', resolve); refused.on('connect', () => resolve(null)); });
  refused.close();
  assert.equal(err?.message, 'Unauthorized');
});

test('a script using the official SDK ends as soon as its work is done', async () => {
  const script = `
    import { Daytona } from '@daytonaio/sdk';
    const daytona = new Daytona({ apiKey: process.env.K, apiUrl: process.env.U, target: 'local' });
    const sb = await daytona.create();
    await sb.stop();
    await sb.start();
    await sb.delete();
    console.log('done ' + Date.now());
  `;
  const began = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, K: server.apiKey, U: server.apiUrl }, cwd: new URL('../..', import.meta.url).pathname, timeout: 60000,
  });
  const ended = Date.now();
  const done = Number(stdout.match(/done (\d+)/)[1]);
  console.log(`# official SDK script: work ${done - began} ms, exit ${ended - done} ms after it`);
  assert.ok(ended - done < 5000, `the process lingered ${ended - done} ms after its work`);
});
