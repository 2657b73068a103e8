// The jail every sandbox runs in, tested through the package against daytona-local: each
// test tries to get out or to take more than its share, and checks that it could not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, serverBin } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

const PIDS_MAX = 200;
let server, daytona, a, b;

before(async () => {
  server = await startServer({ args: ['--max-pids', String(PIDS_MAX)] });
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  [a, b] = await Promise.all([daytona.create(), daytona.create()]);
});
after(async () => {
  await Promise.all([a?.delete(), b?.delete()]);
  await server?.stop();
});

const sh = async (sb, command, timeout) => sb.process.executeCommand(command, undefined, undefined, timeout);
/** A sandbox with the resources given (resources need an image on Daytona's API). */
const sized = (resources, extra = {}) => daytona.create({ image: 'debian:12-slim', resources, ...extra });

/** The sandbox's cgroup directories on this host (one per v1 controller, or one for v2). */
function cgroupDirs(id) {
  const base = `daytona-local-${server.child.pid}`;
  const found = [];
  const walk = (dir, depth) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.filter((x) => x.isDirectory())) {
      if (e.name === base) { if (existsSync(join(dir, e.name, id))) found.push(join(dir, e.name, id)); }
      else if (depth > 0) walk(join(dir, e.name), depth - 1);
    }
  };
  walk('/sys/fs/cgroup', 4);
  return found;
}
const cgroupFile = (id, file) => cgroupDirs(id).map((d) => join(d, file)).find(existsSync);

/** The sandbox as daytona-local's API sends it (with its own `isolation` field). */
const rawDto = async (srv, id) => (await fetch(`${srv.apiUrl}/sandbox/${id}`, { headers: { Authorization: `Bearer ${srv.apiKey}` } })).json();

/** Host pids whose command line contains `marker`. */
const hostPids = (marker) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker); } catch { return false; }
});

test('a sandbox sees only its own processes, hostname and files', async () => {
  const ps = await sh(a, 'ps -e -o pid=,comm=');
  const comms = ps.result.trim().split('\n').map((l) => l.trim().split(/\s+/)[1]);
  assert.ok(comms.length <= 6, `only the sandbox's processes: ${ps.result}`);
  assert.ok(!comms.some((c) => /daytona-local|node/.test(c)), ps.result);
  assert.equal((await sh(a, 'hostname')).result.trim(), a.id);
  assert.equal((await sh(a, 'echo $HOME; pwd')).result, '/home/daytona\n/home/daytona\n');
  assert.match((await sh(a, 'grep CapEff /proc/self/status')).result, /CapEff:\s+0+\n/, 'no capabilities');

  // Host files are read-only; the data dir (every sandbox, the database, the key) is not there.
  const w = await sh(a, 'echo x > /etc/daytona-escape; echo x > /usr/daytona-escape; mount -o remount,rw / 2>&1');
  assert.notEqual(w.exitCode, 0);
  assert.match(w.result, /Read-only file system/);
  assert.ok(!existsSync('/etc/daytona-escape') && !existsSync('/usr/daytona-escape'));
  assert.equal((await sh(a, `ls -A '${server.dataDir}' 2>/dev/null | wc -l`)).result, '0\n', 'the data dir is not there');
  const otherHome = join(server.dataDir, 'sandboxes', b.id, 'home');
  assert.notEqual((await sh(a, `echo owned > '${otherHome}/owned.txt'`)).exitCode, 0);
  assert.equal((await b.fs.listFiles('.')).some((f) => f.name === 'owned.txt'), false);
  assert.equal((await sh(a, 'cat /home/daytona/../../etc/hostname')).result.trim(), readFileSync('/etc/hostname', 'utf8').trim(), 'host files can be read');

  // Host processes and other sandboxes' processes cannot be signalled.
  const secs = `300.${process.pid}${Date.now() % 100000}`;
  await b.process.createSession('s');
  await b.process.executeSessionCommand('s', { command: `sleep ${secs} &` });
  for (let i = 0; i < 30 && hostPids(`sleep\0${secs}`).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const [victim] = hostPids(`sleep\0${secs}`);
  assert.ok(victim, 'the other sandbox sleeps');
  const k = await sh(a, `kill -9 ${server.child.pid} ${victim} 1 2>&1; echo done`);
  assert.match(k.result, /No such process/);
  assert.ok(existsSync(`/proc/${victim}`) && existsSync(`/proc/${server.child.pid}`), 'both still run');
  assert.equal((await sh(b, `pgrep -f ${secs} | wc -l`)).result.trim(), '1');

  // Nor through the toolbox: a link made inside to another sandbox's files is refused.
  await sh(a, `ln -s '${otherHome}' other-home`);
  await b.fs.uploadFile(new TextEncoder().encode('secret'), 'secret.txt');
  await assert.rejects(a.fs.downloadFile('other-home/secret.txt'), sdk.DaytonaError);
  await assert.rejects(a.fs.downloadFile('../../../sandboxes/' + b.id + '/home/secret.txt'), sdk.DaytonaError);
});

test('a fork bomb hits the pids limit and the sandbox stays usable', async () => {
  // The classic bomb, kept in the foreground so that the command's timeout ends it.
  const r = await sh(a, 'bomb() { bomb | bomb; }; bomb', 5).catch((e) => e);
  assert.ok(r instanceof sdk.DaytonaTimeoutError, String(r));
  const events = readFileSync(cgroupFile(a.id, 'pids.events'), 'utf8');
  assert.match(events, /max [1-9]/, `the limit was hit: ${events}`);
  // The bomb dies with its command's process group; the sandbox runs commands again.
  let ok;
  for (let i = 0; i < 50 && ok?.result !== 'ok\n'; i++) ok = await sh(a, 'echo ok').catch((e) => e);
  assert.equal(ok.result, 'ok\n');
  const current = Number(readFileSync(cgroupFile(a.id, 'pids.current'), 'utf8'));
  assert.ok(current < 20, `processes left: ${current}`);
});

test('a memory hog is killed at the limit and reported; resize raises the limit live', async () => {
  const sb = await sized({ cpu: 1, memory: 1, disk: 1 });
  try {
    await sb.process.createSession('keep');
    await sb.process.executeSessionCommand('keep', { command: 'sleep 600 &' });
    const hog = "python3 -c \"s = b'x' * (1536 << 20); print('allocated')\"";
    const killed = await sh(sb, hog);
    assert.equal(killed.exitCode, 137, killed.result);
    assert.doesNotMatch(killed.result, /^allocated$/m);
    await sb.refreshData();
    assert.match(sb.errorReason ?? '', /Out of memory: .*memory limit of 1 GiB/);
    assert.equal(sb.state, 'started', 'the sandbox itself lives on');
    assert.equal((await sh(a, 'echo unaffected')).result, 'unaffected\n', 'other sandboxes are unaffected');

    await sb.resize({ memory: 2 });
    const fits = await sh(sb, hog);
    assert.equal(fits.exitCode, 0, fits.result);
    assert.match(fits.result, /^allocated$/m);
    assert.equal((await sh(sb, "pgrep -f 'sleep 600' | wc -l")).result.trim(), '1', 'not restarted: the old sleep still runs');
  } finally {
    await sb.delete();
  }
});

test('CPU time under a 1-CPU limit is bounded; resize changes the quota live', async () => {
  const sb = await sized({ cpu: 1, memory: 1, disk: 1 });
  try {
    // Two busy processes for 1.5 s of wall time each: CPU seconds per wall second.
    const spin = `python3 -c "
import multiprocessing as mp, resource, time
def spin():
    end = time.time() + 1.5
    while time.time() < end: pass
ps = [mp.Process(target=spin) for _ in range(2)]
t = time.time()
[p.start() for p in ps]; [p.join() for p in ps]
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(round((r.ru_utime + r.ru_stime) / (time.time() - t), 2))"`;
    const ratio = Number((await sh(sb, spin)).result);
    console.log(`# cpu seconds per wall second with 2 busy processes, 1-CPU limit: ${ratio}`);
    assert.ok(ratio > 0.3 && ratio <= 1.25, `bounded by one CPU: ${ratio}`);
    const quota = () => readFileSync(cgroupFile(sb.id, 'cpu.cfs_quota_us') ?? cgroupFile(sb.id, 'cpu.max'), 'utf8').trim();
    assert.match(quota(), /^100000\b/);
    await sb.resize({ cpu: 2 });
    assert.match(quota(), /^200000\b/);
  } finally {
    await sb.delete();
  }
});

test('a disk writer stops at the disk limit with a clear error, and nothing else is hurt', async () => {
  const sb = await sized({ cpu: 1, memory: 1, disk: 1 });
  try {
    const fill = await sh(sb, 'dd if=/dev/zero of=fill bs=1M count=1300 2>&1');
    assert.notEqual(fill.exitCode, 0);
    assert.match(fill.result, /No space left on device/);
    const err = await sb.fs.uploadFile(new Uint8Array(4 << 20), 'more.bin').then(() => null, (e) => e);
    assert.ok(err instanceof sdk.DaytonaError, String(err));
    assert.match(err.message, /disk is full/);
    assert.equal(err.statusCode, 507);
    const avail = Number((await sh(a, 'df --output=avail -B1M /home/daytona | tail -1')).result);
    assert.ok(avail > 2000, `other sandboxes keep their space: ${avail} MiB`);
    await sh(sb, 'rm fill');
    await sb.fs.uploadFile(new Uint8Array(4 << 20), 'more.bin');
    assert.equal((await sb.fs.getFileDetails('more.bin')).size, 4 << 20);
    // Disk grows while stopped, files kept.
    await sb.stop();
    await sb.resize({ disk: 2 });
    await sb.start();
    const size = Number((await sh(sb, 'df --output=size -B1M /home/daytona | tail -1')).result);
    assert.ok(size > 1900 && size < 2100, `2 GiB now: ${size} MiB`);
    assert.equal((await sb.fs.getFileDetails('more.bin')).size, 4 << 20);
  } finally {
    await sb.delete();
  }
});

test('stopping ends every process; deleting leaves no process, cgroup or disk behind', async () => {
  const sb = await daytona.create();
  const secs = `301.${process.pid}${Date.now() % 100000}`;
  await sb.process.createSession('s');
  await sb.process.executeSessionCommand('s', { command: `sleep ${secs} &` });
  await sb.fs.uploadFile(new TextEncoder().encode('kept'), 'kept.txt');
  assert.ok(cgroupDirs(sb.id).length > 0);
  assert.ok(existsSync(join(server.dataDir, 'disks', `${sb.id}.ext4`)));
  await sb.stop();
  assert.deepEqual(hostPids(`sleep\0${secs}`), []);
  // What is left in its groups is the server's thread for it and its namespaces' keeper.
  const left = readFileSync(cgroupFile(sb.id, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  assert.ok(left.every((p) => p === server.child.pid || /bwrap|sleep/.test(readFileSync(`/proc/${p}/comm`, 'utf8'))), `left: ${left}`);
  await sb.start();
  assert.equal(new TextDecoder().decode(await sb.fs.downloadFile('kept.txt')), 'kept', 'files come back');
  await sb.delete();
  assert.deepEqual(cgroupDirs(sb.id), []);
  assert.ok(!existsSync(join(server.dataDir, 'disks', `${sb.id}.ext4`)));
  assert.ok(!existsSync(join(server.dataDir, 'sandboxes', sb.id)));
});

test('a host that cannot isolate is refused at start, unless --no-isolation, which every DTO states', async () => {
  const refused = spawnSync(serverBin, ['--listen', '127.0.0.1:0', '--data-dir', join(server.dataDir, 'refused')], {
    env: { PATH: '/nonexistent' }, encoding: 'utf8', timeout: 20000,
  });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /cannot isolate sandboxes on this host: bubblewrap \(bwrap\) is not installed/);
  assert.match(refused.stderr, /--no-isolation/);

  assert.match((await rawDto(server, a.id)).isolation, /^namespaces \(bubblewrap\) \+ own network \(slirp4netns, nftables\) \+ cgroup-v[12] \+ disk image$/);
  const plain = await startServer({ args: ['--no-isolation'] });
  try {
    const d = new sdk.Daytona({ apiKey: plain.apiKey, apiUrl: plain.apiUrl });
    const sb = await d.create();
    assert.match((await rawDto(plain, sb.id)).isolation, /^none: .*not isolated/);
    await assert.rejects(d.create({ networkBlockAll: true }), /networkBlockAll needs isolation/);
    const vol = await d.volume.create('plain');
    await assert.rejects(d.create({ volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/v' }] }), /volumes need isolation/);
    await d.volume.delete(vol);
    await sb.delete();
  } finally {
    await plain.stop();
  }
});
