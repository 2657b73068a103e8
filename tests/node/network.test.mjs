// Each sandbox's own network, tested through the package against daytona-local: its own
// loopback and ports, no way to the other sandboxes, the host's loopback, daytona-local's own
// ports or a cloud metadata address; outbound through the user-mode network; allow lists
// and networkBlockAll enforced and changed live; linked sandboxes; --sandbox-host-access;
// nothing left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_ADDRESS, startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, daytona, a, b, loopback, outside;
const HOST = HOST_ADDRESS;

const listen = (host, body) => new Promise((resolve) => {
  const s = createServer((_, res) => res.end(body)).listen(0, host, () => resolve(s));
});
/** The slirp4netns processes `pid` started. */
const slirpsOf = (pid) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return stat.includes('(slirp4netns)') && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
  } catch { return false; }
});

before(async () => {
  assert.ok(HOST, 'this host has a non-loopback IPv4 address');
  loopback = await listen('127.0.0.1', 'host loopback');
  outside = await listen('0.0.0.0', 'outside says hi');
  server = await startServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  [a, b] = await Promise.all([daytona.create(), daytona.create()]);
});
after(async () => {
  await Promise.all([a?.delete(), b?.delete()]);
  await server?.stop();
  loopback?.close();
  outside?.close();
});

const sh = async (sb, command) => (await sb.process.executeCommand(command, undefined, undefined, 30)).result.trim();
/** 'open', or why a TCP connection from the sandbox to host:port failed. */
const reach = (sb, host, port) => sh(sb,
  `python3 -c "import socket; socket.create_connection(('${host}', ${port}), timeout=3); print('open')" 2>&1 | tail -1`);
/** An HTTP GET from inside the sandbox: the body, or the error. */
const get = (sb, url) => sh(sb,
  `python3 -c "import urllib.request; print(urllib.request.urlopen('${url}', timeout=3).read().decode().strip())" 2>&1 | tail -1`);
const interfaces = async (sb) => (await sh(sb, 'tail -n +3 /proc/net/dev | cut -d: -f1')).split(/\s+/).filter(Boolean).sort();

test('two sandboxes serve on the same port, and each reads only its own', async () => {
  for (const sb of [a, b]) {
    await sb.process.createSession('web');
    await sb.process.executeSessionCommand('web', { command: `cd /tmp && echo ${sb.id} > who && exec python3 -m http.server 3000`, runAsync: true });
  }
  for (const sb of [a, b]) {
    const seen = await sh(sb, 'for i in $(seq 50); do curl -s http://127.0.0.1:3000/who && break; sleep 0.1; done');
    assert.equal(seen, sb.id, 'its own loopback');
    const link = await sb.getPreviewLink(3000);
    const r = await fetch(`${link.url}/who`, { headers: { 'X-Daytona-Preview-Token': link.token } });
    assert.equal((await r.text()).trim(), sb.id, 'its own preview');
  }
  // Both listen on every address; neither's address leads to the other.
  assert.deepEqual(await interfaces(a), ['lo', 'tap0']);
  const own = (await sh(a, 'ip -4 -o addr show tap0')).split(/\s+/)[3];
  assert.equal(own, '10.0.2.100/24');
  assert.equal(await get(a, 'http://10.0.2.100:3000/who'), a.id);
});

test('no way to the host\'s loopback, daytona-local\'s ports or the metadata address', async () => {
  const api = Number(new URL(server.apiUrl).port);
  const ssh = Number((await a.createSshAccess(5)).sshCommand.match(/-p (\d+)/)[1]);
  const closed = [
    ['127.0.0.1', loopback.address().port], ['10.0.2.2', loopback.address().port],
    ['127.0.0.1', api], ['10.0.2.2', api], [HOST, api], ['127.0.0.1', ssh], [HOST, ssh],
    ['169.254.169.254', 80],
  ];
  for (const [host, port] of closed) {
    const r = await reach(a, host, port);
    assert.notEqual(r, 'open', `${host}:${port}`);
    assert.match(r, /refused|unreachable|No route|timed out/, `${host}:${port}: ${r}`);
  }
});

test('outbound through the user-mode network reaches a server beyond the sandbox', async () => {
  assert.equal(await get(a, `http://${HOST}:${outside.address().port}/`), 'outside says hi');
  assert.equal((await sh(a, 'grep ^nameserver /etc/resolv.conf')), 'nameserver 10.0.2.3');
});

test('networkAllowList admits its CIDRs and rejects the rest, and changes live', async () => {
  const url = `http://${HOST}:${outside.address().port}/`;
  const listed = await daytona.create({ networkAllowList: `${HOST}/32` });
  try {
    assert.equal(listed.networkAllowList, `${HOST}/32`);
    assert.equal(await get(listed, url), 'outside says hi');
    await listed.updateNetworkSettings({ networkAllowList: '203.0.113.0/24' });
    assert.match(await get(listed, url), /refused|unreachable|No route/);
    await listed.updateNetworkSettings({ networkAllowList: `${HOST.split('.').slice(0, 3).join('.')}.0/24` });
    assert.equal(await get(listed, url), 'outside says hi');
    await listed.refreshData();
    assert.match(listed.networkAllowList, /\.0\/24$/);
  } finally {
    await listed.delete();
  }
  const e = await daytona.create({ networkAllowList: '10.0.0.0/99' }).then(() => null, (x) => x);
  assert.ok(e instanceof sdk.DaytonaValidationError, String(e));
  assert.match(e.message, /Invalid CIDR in networkAllowList: 10.0.0.0\/99/);
  const d = await daytona.create({ domainAllowList: 'example.com' }).then(() => null, (x) => x);
  assert.match(String(d), /domainAllowList is not supported by daytona-local: use networkAllowList/);
});

test('networkBlockAll leaves only loopback, and changes live', async () => {
  const url = `http://${HOST}:${outside.address().port}/`;
  const blocked = await daytona.create({ networkBlockAll: true });
  try {
    assert.deepEqual(await interfaces(blocked), ['lo']);
    assert.match(await get(blocked, url), /unreachable|refused|No route/);
    await blocked.process.createSession('srv');
    await blocked.process.executeSessionCommand('srv', { command: 'python3 -m http.server 8123 --bind 127.0.0.1 >/dev/null 2>&1 &' });
    assert.equal(await sh(blocked, 'for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8123/ && echo up && break; sleep 0.1; done'), 'up');
    await blocked.updateNetworkSettings({ networkBlockAll: false });
    assert.equal(await get(blocked, url), 'outside says hi');
    await blocked.updateNetworkSettings({ networkBlockAll: true });
    assert.deepEqual(await interfaces(blocked), ['lo']);
    await blocked.stop();
    await blocked.start();
    assert.deepEqual(await interfaces(blocked), ['lo'], 'held at the next start');
  } finally {
    await blocked.delete();
  }
});

test('linked sandboxes reach their owner by name and id, others do not, and go with it', async () => {
  const owner = await daytona.create({ name: `owner-${process.pid}` });
  await owner.process.createSession('web');
  await owner.process.executeSessionCommand('web', { command: 'cd /tmp && echo owner > who && exec python3 -m http.server 3000', runAsync: true });
  const child = await daytona.create({ linkedSandbox: owner.id, autoDeleteInterval: 0 });
  const sibling = await daytona.create({ linkedSandbox: owner.name, autoDeleteInterval: 0, networkBlockAll: true });
  assert.equal(child.linkedSandboxId, owner.id);
  assert.equal(await sh(child, `for i in $(seq 50); do curl -s http://${owner.name}:3000/who && break; sleep 0.1; done`), 'owner');
  assert.equal(await get(child, `http://${owner.id}:3000/who`), 'owner');
  assert.equal(await get(sibling, `http://${owner.name}:3000/who`), 'owner', 'the link network is not blocked');
  // Not linked: neither the name nor the link network's addresses lead anywhere.
  assert.match(await get(a, `http://${owner.name}:3000/who`), /not known|resolution/);
  assert.notEqual(await get(a, 'http://10.0.3.1:3000/who'), 'owner');
  await owner.delete();
  await assert.rejects(daytona.get(child.id), sdk.DaytonaNotFoundError);
  await assert.rejects(daytona.get(sibling.id), sdk.DaytonaNotFoundError);
});

test('--sandbox-host-access opens the host\'s loopback at 10.0.2.2', async () => {
  const open = await startServer({ args: ['--sandbox-host-access'] });
  try {
    const d = new sdk.Daytona({ apiKey: open.apiKey, apiUrl: open.apiUrl });
    const sb = await d.create();
    assert.equal(await get(sb, `http://10.0.2.2:${loopback.address().port}/`), 'host loopback');
    assert.notEqual(await reach(sb, '127.0.0.1', loopback.address().port), 'open', 'its own loopback is still its own');
    await sb.delete();
  } finally {
    await open.stop();
  }
});

test('a killed server leaves no slirp4netns behind', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daytona-net-'));
  try {
    let s = await startServer({ dataDir });
    await new sdk.Daytona({ apiKey: s.apiKey, apiUrl: s.apiUrl }).create({ name: 'killed' });
    const had = slirpsOf(s.child.pid);
    assert.ok(had.length > 0, 'the server runs slirp4netns');
    await s.kill();
    const left = () => had.filter((p) => existsSync(`/proc/${p}`));
    for (let i = 0; i < 50 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(left(), [], 'each ends when its server does');
    // The restarted server clears what the killed one left (its cgroups and disks).
    s = await startServer({ dataDir, apiKey: s.apiKey });
    await s.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
