// Preview links through daytona-local's proxy, with the package and the official SDK: a web
// server in a sandbox is reached with its token and refused without, a signed URL works
// until it is expired (by hand or by time), a WebSocket passes through, and a port held by
// a process outside the sandbox is not previewed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import * as official from '@daytonaio/sdk';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// A WebSocket server in a few lines of Node (none is built in): it answers the handshake,
// sends one text frame, and closes.
const WS_SERVER = `
const http = require('http'), crypto = require('crypto');
const s = http.createServer((q, r) => r.end('plain'));
s.on('upgrade', (req, sock) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  sock.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  const msg = Buffer.from('hello through the proxy');
  sock.write(Buffer.concat([Buffer.from([0x81, msg.length]), msg]));
});
s.listen(Number(process.argv[2]), '127.0.0.1');
`;

async function waitFor(url, init) {
  for (let i = 0; i < 100; i++) {
    const r = await fetch(url, init).catch(() => null);
    if (r && r.status !== 502) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${url} never answered`);
}

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: preview links, tokens and signed URLs`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const sb = await daytona.create();
    try {
      const port = await freePort();
      await sb.process.executeCommand(`mkdir -p site && echo hello-preview > site/hello.txt`);
      await sb.process.createSession('web');
      await sb.process.executeSessionCommand('web', { command: `cd site && exec python3 -m http.server ${port} --bind 127.0.0.1`, runAsync: true });
      const link = await sb.getPreviewLink(port);
      assert.equal(link.sandboxId, sb.id);
      const withToken = await waitFor(`${link.url}/hello.txt`, { headers: { 'X-Daytona-Preview-Token': link.token } });
      assert.equal(await withToken.text(), 'hello-preview\n');
      assert.match(withToken.headers.get('vary'), /X-Daytona-Preview-Token/, 'caches keep answers with and without the token apart');
      assert.equal((await fetch(`${link.url}/hello.txt?DAYTONA_SANDBOX_AUTH_KEY=${link.token}`)).status, 200);
      const refused = await fetch(`${link.url}/hello.txt`);
      assert.equal(refused.status, 401);
      assert.match((await refused.json()).message, /private/);

      const signed = await sb.getSignedPreviewUrl(port, 60);
      assert.deepEqual([signed.sandboxId, signed.port, signed.token.length], [sb.id, port, 16]);
      assert.equal(await (await fetch(`${signed.url}/hello.txt`)).text(), 'hello-preview\n');
      await sb.expireSignedPreviewUrl(port, signed.token);
      assert.equal((await fetch(`${signed.url}/hello.txt`)).status, 403);
      const short = await sb.getSignedPreviewUrl(port, 1);
      assert.equal((await fetch(`${short.url}/hello.txt`)).status, 200);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await fetch(`${short.url}/hello.txt`)).status, 403, 'expired by time');
      await assert.rejects(sb.getPreviewLink(0), (e) => e.statusCode === 400);
      // By host name: {port}-{id}.localhost, where the app owns every path (/api/ too).
      const serverPort = new URL(server.apiUrl).port;
      const byHost = (headers) => new Promise((resolve, reject) => {
        get({ host: '127.0.0.1', port: serverPort, path: '/hello.txt', headers: { Host: `${port}-${sb.id}.localhost:${serverPort}`, ...headers } }, (res) => {
          let body = '';
          res.on('data', (d) => { body += d; });
          res.on('end', () => resolve([res.statusCode, body]));
        }).on('error', reject);
      });
      assert.deepEqual(await byHost({ 'X-Daytona-Preview-Token': link.token }), [200, 'hello-preview\n']);
      assert.equal((await byHost({}))[0], 401);
    } finally {
      await sb.delete();
    }
    await daytona[Symbol.asyncDispose]?.();
  });
}

test('daytona-wasm: a WebSocket passes through; ports outside the sandbox are not previewed', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const sb = await daytona.create({ public: true });
  const outside = createServer((q, r) => r.end('host process')).listen(0, '127.0.0.1');
  try {
    const port = await freePort();
    await sb.fs.uploadFile(new TextEncoder().encode(WS_SERVER), 'ws.cjs');
    await sb.process.createSession('ws');
    await sb.process.executeSessionCommand('ws', { command: `exec node ws.cjs ${port}`, runAsync: true });
    const link = await sb.getPreviewLink(port);
    // Public: no token needed.
    assert.equal(await (await waitFor(link.url)).text(), 'plain');
    const got = await new Promise((resolve, reject) => {
      const ws = new WebSocket(link.url.replace(/^http/, 'ws'));
      ws.onmessage = (m) => { resolve(m.data); ws.close(); };
      ws.onerror = () => reject(new Error('WebSocket failed'));
    });
    assert.equal(got, 'hello through the proxy');
    await new Promise((r) => (outside.listening ? r() : outside.once('listening', r)));
    const hostPort = outside.address().port;
    const hostLink = await sb.getPreviewLink(hostPort);
    const r = await fetch(hostLink.url);
    assert.equal(r.status, 502);
    assert.match((await r.json()).message, /Nothing in sandbox .* listens on port/);
    assert.equal((await fetch(`${server.apiUrl.replace(/\/api$/, '')}/preview/not-a-token/${port}/`)).status, 403);
  } finally {
    outside.close();
    await sb.delete();
  }
});
