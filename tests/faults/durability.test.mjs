// kill -9 of daytona-local in the middle of long operations (a 64 MiB upload, a snapshot
// build, a create with a volume mounted, a sandbox create), then a restart on the same data
// dir and key: what the restarted server shows must be consistent. Every sandbox, snapshot
// and volume it lists has settled (none is left "creating", "starting", "building" or
// "pending" for good) and can be used or deleted; an upload is at its destination whole or
// not at all; and once everything it lists is deleted, nothing of any of them is left in
// the data dir.
//
// Each kill is timed by what the server does, not by a guess: the file an upload is being
// written to (among the server's open files) holding part of the bytes, the build's own
// output line, a new sandbox's directory appearing (inotify) before the create has answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, until } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

const MiB = 1 << 20;
const SETTLED_SANDBOX = new Set(['started', 'stopped', 'error', 'build_failed', 'archived', 'paused']);
const SETTLED_SNAPSHOT = new Set(['active', 'inactive', 'error', 'build_failed']);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `p` settled as its value or its error (handled from the start: it may reject before it is awaited). */
const settle = (p) => p.then((v) => v, (e) => e);

/** What a settled promise (see `settle`) gave, or a failure if it has not settled within `ms`. */
function outcome(settling, what, ms = 30000) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} neither resolved nor rejected within ${ms} ms of the kill`)), ms); });
  return Promise.race([settling, late]).finally(() => clearTimeout(timer));
}

/**
 * A server on a data dir of its own that the test may kill and restart. `client()` talks to
 * the server running now; a client given `{ retry: { attempts: 0 } }` does not resend a
 * request the kill cut off (to a restarted server). Cleanup stops the server; after a kill
 * that was not followed by a restart, a server is started on the data dir and stopped, so it
 * ends what the killed one left running (processes, cgroups, mounts).
 */
async function withServer(fn) {
  const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'daytona-durability-')));
  const apiKey = `durability-${process.pid}`;
  const ctx = {
    dataDir,
    server: await startServer({ dataDir, apiKey }),
    crashed: false,
    client: (extra = {}) => new sdk.Daytona({ apiKey, apiUrl: ctx.server.apiUrl, ...extra }),
    noRetry: () => ctx.client({ retry: { attempts: 0 } }),
    /** kill -9 now, synchronously (for watchers that must not let the server go on). */
    killNow: () => { ctx.crashed = true; ctx.server.child.kill('SIGKILL'); },
    kill: async () => { ctx.crashed = true; await ctx.server.kill(); },
    restart: async () => {
      await ctx.server.kill();
      ctx.server = await startServer({ dataDir, apiKey });
      ctx.crashed = false;
      return ctx.client();
    },
  };
  try {
    await fn(ctx);
  } finally {
    await ctx.server.stop();
    if (ctx.crashed) {
      try {
        await (await startServer({ dataDir, apiKey })).stop();
      } catch (e) {
        process.stderr.write(`durability cleanup: could not start a server on ${dataDir} to end what the killed one left: ${e}\n`);
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Kills the server (SIGKILL) as soon as an entry not in `before` appears in `dir`. */
function killOnNewEntry(ctx, dir, before, ignore = () => false) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { watcher.close(); reject(new Error(`nothing new appeared in ${dir} within 30 s`)); }, 30000);
    const watcher = watch(dir, (_event, name) => {
      if (!name || before.has(name) || ignore(name)) return;
      ctx.killNow();
      watcher.close();
      clearTimeout(timer);
      resolve(name);
    });
  });
}

/**
 * Kills the server when the `nth` file (1-based) it has been writing into the sandbox's `dir`
 * during this call holds at least `bytes`: part of that upload has arrived, not all of it.
 * Files being written have no name yet (O_TMPFILE): they are found among the server's open
 * files, as `dir/#inode (deleted)`, or as a hidden `.name.daytona-….part` on filesystems
 * without O_TMPFILE.
 */
function killWhenPartial(ctx, id, dir, nth, bytes) {
  const pid = ctx.server.child.pid;
  const prefix = `${ctx.dataDir}/sandboxes/${id}/home/${dir}/`;
  const seen = [];
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30000;
    const poll = setInterval(() => {
      let fds = [];
      try { fds = readdirSync(`/proc/${pid}/fd`); } catch { /* gone */ }
      for (const fd of fds) {
        let link, st;
        try { link = readlinkSync(`/proc/${pid}/fd/${fd}`); st = statSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
        const name = link.startsWith(prefix) ? link.slice(prefix.length) : '';
        if (!/^#\d+ \(deleted\)$|^\..*\.daytona-.*\.part$/.test(name)) continue;
        if (!seen.includes(st.ino)) seen.push(st.ino);
        if (seen.indexOf(st.ino) === nth - 1 && st.size >= bytes) {
          ctx.killNow();
          clearInterval(poll);
          return resolve({ name, size: st.size });
        }
      }
      if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error(`file ${nth} being written in ${prefix} did not reach ${bytes} bytes`));
      }
    }, 2);
  });
}

/**
 * What the restarted server lists, once every sandbox and snapshot has settled (a server may
 * take a moment to finish or fail what was interrupted; 15 s is far more than it needs).
 * Fails naming what is still in a transitional state.
 */
async function settled(daytona, when) {
  let seen;
  const look = async () => {
    const sandboxes = (await daytona.list(undefined, 1, 200)).items;
    const snapshots = (await daytona.snapshot.list(1, 200)).items;
    const volumes = await daytona.volume.list();
    seen = { sandboxes, snapshots, volumes };
    return sandboxes.every((s) => SETTLED_SANDBOX.has(s.state)) && snapshots.every((s) => SETTLED_SNAPSHOT.has(s.state)) && volumes.every((v) => v.state === 'ready');
  };
  const deadline = Date.now() + 15000;
  while (!(await look()) && Date.now() < deadline) await sleep(250);
  for (const s of seen.sandboxes) assert.ok(SETTLED_SANDBOX.has(s.state), `${when}: sandbox ${s.name} is still ${s.state} after the restart`);
  for (const s of seen.snapshots) assert.ok(SETTLED_SNAPSHOT.has(s.state), `${when}: snapshot ${s.name} is still ${s.state} after the restart`);
  for (const v of seen.volumes) assert.equal(v.state, 'ready', `${when}: volume ${v.name} is ${v.state} after the restart`);
  return seen;
}

/** Runs a command in a sandbox; fails unless it exits 0. */
async function run(sb, command) {
  const r = await sb.process.executeCommand(command, undefined, undefined, 30);
  assert.equal(r.exitCode, 0, `${command} in ${sb.name}: ${r.result}`);
  return r.result;
}

/**
 * Uses every listed sandbox as its state allows (runs a command in one that is or can be
 * started), then deletes them all; the list must then be empty.
 */
async function useThenDeleteAll(daytona, sandboxes, when) {
  for (const sb of sandboxes) {
    if (sb.state === 'stopped' || sb.state === 'archived' || sb.state === 'paused') await sb.start(60);
    if (sb.state === 'error' && sb.recoverable) await sb.recover(60);
    if (sb.state === 'started') assert.equal(await run(sb, 'echo alive-$((6*7))'), 'alive-42\n', `${when}: ${sb.name} runs commands`);
    await sb.delete(60);
  }
  assert.deepEqual((await daytona.list(undefined, 1, 200)).items.map((s) => `${s.name} (${s.state})`), [], `${when}: every sandbox could be deleted`);
}

/**
 * With everything the server lists deleted, nothing of a sandbox, snapshot or volume is left
 * in the data dir: no sandbox tree, no disk image (bar the empty templates and the disks the
 * pool makes ahead), no snapshot or volume directory.
 */
function assertNothingLeft(ctx, when, note = '') {
  const entries = (dir, skip = () => false) => {
    try { return readdirSync(join(ctx.dataDir, dir)).filter((n) => !skip(n)).map((n) => `${dir}/${n}`); } catch { return []; }
  };
  const left = [
    ...entries('sandboxes'),
    ...entries('disks', (n) => n.startsWith('template-') || n.startsWith('warm-')),
    ...entries('snapshots'),
    ...entries('volumes'),
  ];
  assert.deepEqual(left, [], `${when}: the data dir still holds what no listed sandbox, snapshot or volume owns${note}`);
}

/** Host processes whose command line holds `words` (a program, or a shell running it). */
function processesRunning(words) {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes(words); } catch { return false; }
  });
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

test('kill -9 during a 64 MiB upload: the destination holds the whole file or none of it, the old file survives an interrupted overwrite, and no partial file is left', { timeout: 40000 }, async () => {
  await withServer(async (ctx) => {
    let daytona = ctx.client();
    const sb = await daytona.create({ name: 'uploads' });
    const big = randomFillSync(Buffer.alloc(64 * MiB));
    const bigHash = sha256(big);
    const old = Buffer.from('the old contents of over.bin\n'.repeat(4096));
    await sb.fs.uploadFile(old, 'up/over.bin');

    // Round 1: a new file, killed when 16 of its 64 MiB have arrived.
    let crashing = await ctx.noRetry().get(sb.id);
    const first = settle(crashing.fs.uploadFile(big, 'up/fresh.bin', 60));
    const cut1 = await killWhenPartial(ctx, sb.id, 'up', 1, 16 * MiB);
    await ctx.kill();
    const firstOutcome = await outcome(first, 'the interrupted upload');
    assert.ok(firstOutcome instanceof Error, `the upload cut at ${cut1.size} bytes must not report success (it gave ${firstOutcome})`);

    daytona = await ctx.restart();
    let seen = await settled(daytona, 'after the kill during the new file');
    assert.deepEqual(seen.sandboxes.map((s) => [s.name, s.state]), [['uploads', 'started']]);
    let again = await daytona.get(sb.id);
    const hashes = async () => run(again, 'cd up && for f in *; do echo "$f $(stat -c %s "$f") $(sha256sum < "$f" | cut -c1-64)"; done');
    const freshLine = (await hashes()).split('\n').find((l) => l.startsWith('fresh.bin '));
    if (freshLine) assert.equal(freshLine, `fresh.bin ${64 * MiB} ${bigHash}`, 'an interrupted upload is at its destination only whole');
    const leftAfterRound1 = (await again.fs.listFiles('up')).map((f) => f.name).sort();

    // Round 2: one request with two files; killed during the second, which replaces a file.
    crashing = await ctx.noRetry().get(sb.id);
    const second = settle(crashing.fs.uploadFiles([{ source: big, destination: 'up/done.bin' }, { source: big, destination: 'up/over.bin' }], 60));
    const cut2 = await killWhenPartial(ctx, sb.id, 'up', 2, 16 * MiB);
    await ctx.kill();
    const secondOutcome = await outcome(second, 'the interrupted upload');
    assert.ok(secondOutcome instanceof Error, `the upload cut at ${cut2.size} bytes of its second file must not report success (it gave ${secondOutcome})`);

    daytona = await ctx.restart();
    seen = await settled(daytona, 'after the kill during the overwrite');
    assert.deepEqual(seen.sandboxes.map((s) => [s.name, s.state]), [['uploads', 'started']]);
    again = await daytona.get(sb.id);
    const lines = (await hashes()).trim().split('\n');
    assert.ok(lines.includes(`done.bin ${64 * MiB} ${bigHash}`), `the file received before the kill is whole: ${lines.join(' | ')}`);
    assert.ok(lines.includes(`over.bin ${old.length} ${sha256(old)}`), `an interrupted overwrite leaves the old file as it was: ${lines.join(' | ')}`);
    const leftAfterRound2 = (await again.fs.listFiles('up')).map((f) => f.name).sort();

    // The sandbox takes the same upload again after the restart, whole.
    await again.fs.uploadFile(big, 'up/fresh.bin', 60);
    assert.ok((await hashes()).includes(`fresh.bin ${64 * MiB} ${bigHash}`), 'the upload, tried again, arrives whole');

    await useThenDeleteAll(daytona, [again], 'uploads');
    assertNothingLeft(ctx, 'uploads');

    // No partial upload was left in the folder after a restart (each would be a hidden file
    // of 16 MiB or more there, taking the sandbox's disk, listed and read by its programs).
    const expected1 = ['over.bin', ...(freshLine ? ['fresh.bin'] : [])].sort();
    assert.deepEqual(leftAfterRound1, expected1, `after the kill during the new file (at ${cut1.name}, ${cut1.size} bytes), the folder holds only whole files`);
    assert.deepEqual(leftAfterRound2.filter((n) => n.endsWith('.part')), [], `after both kills (the second at ${cut2.name}, ${cut2.size} bytes), no partial upload file is left in the folder`);
  });
});

test('kill -9 during a snapshot build: after the restart the snapshot has failed (not building forever), its build is gone, and the name builds again', { timeout: 50000 }, async () => {
  await withServer(async (ctx) => {
    // A step that outlasts the test, told apart from any other process by its argument.
    const slow = 'sleep 293.5';
    const image = sdk.Image.base('alpine:3').runCommands('echo durability-build-started', slow, 'echo durability-build-finished');
    const lines = [];
    let started;
    const building = settle(ctx.noRetry().snapshot.create({ name: 'dur-snap', image }, {
      timeout: 60,
      onLogs: (line) => {
        lines.push(line);
        if (line === 'durability-build-started' && !started) started = true;
      },
    }));
    await until(() => started, 'the build to run its first step', 45000);
    await until(() => processesRunning(slow).length > 0, 'the slow step to start', 10000);
    await ctx.kill();
    const built = await outcome(building, 'snapshot.create');
    assert.ok(built instanceof Error, `a build cut off by the kill must not report success (it gave ${JSON.stringify(built)})`);
    assert.ok(!lines.includes('durability-build-finished'), 'the build was killed before it finished');

    const daytona = await ctx.restart();
    const seen = await settled(daytona, 'after the kill during the build');
    assert.deepEqual(seen.snapshots.map((s) => s.name), ['dur-snap']);
    const snap = await daytona.snapshot.get('dur-snap');
    assert.ok(snap.state === 'error' || snap.state === 'build_failed', `the interrupted build cannot be active: ${snap.state}`);
    assert.ok(snap.errorReason, 'a failed snapshot says why');
    assert.deepEqual(seen.sandboxes.map((s) => s.name), [], 'the build sandbox is no sandbox of the user');
    await until(() => processesRunning(slow).length === 0, 'the interrupted step to be ended', 10000);
    await assert.rejects(daytona.create({ snapshot: 'dur-snap' }), (e) => e instanceof sdk.DaytonaError, 'a sandbox is not made from a half-built snapshot');

    // The failed snapshot can be deleted, and the name built again (quickly this time).
    await daytona.snapshot.delete('dur-snap');
    const rebuilt = await daytona.snapshot.create({ name: 'dur-snap', image: sdk.Image.base('alpine:3').runCommands('echo rebuilt > /home/daytona/r.txt') }, { timeout: 60 });
    assert.equal(rebuilt.state, 'active');
    const sb = await daytona.create({ snapshot: 'dur-snap' });
    assert.equal(await run(sb, 'cat r.txt'), 'rebuilt\n');
    await useThenDeleteAll(daytona, [sb], 'snapshot build');
    await daytona.snapshot.delete('dur-snap');
    assertNothingLeft(ctx, 'snapshot build');
  });
});

test('kill -9 while a sandbox with a volume is being created (and a volume too): volumes stay ready, mounted data survives, and all can be used and deleted', { timeout: 40000 }, async () => {
  await withServer(async (ctx) => {
    let daytona = ctx.client();
    const vol = await daytona.volume.create('dur-vol');
    const keeper = await daytona.create({ name: 'keeper', volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/data' }] });
    await run(keeper, 'mkdir -p data/sub && echo before-the-kill > data/sub/note.txt');

    const sandboxes = join(ctx.dataDir, 'sandboxes');
    const killed = killOnNewEntry(ctx, sandboxes, new Set(readdirSync(sandboxes)));
    const crashing = ctx.noRetry();
    const inFlight = [
      crashing.create({ name: 'mounting', volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/data' }] }, { timeout: 30 }),
      crashing.create({ name: 'mounting-sub', volumes: [{ volumeId: 'dur-vol', mountPath: '/tmp/shared', subpath: 'sub' }] }, { timeout: 30 }),
      crashing.volume.create('dur-vol-2'),
    ].map(settle);
    const cutAt = await killed;
    await ctx.kill();
    const outcomes = await Promise.all(inFlight.map((p, i) => outcome(p, `request ${i}`)));
    assert.ok(outcomes.slice(0, 2).some((o) => o instanceof Error), `the kill (when ${cutAt} appeared) cut a create with a volume short: ${outcomes.slice(0, 2)}`);

    daytona = await ctx.restart();
    const seen = await settled(daytona, 'after the kill during the creates');
    const names = seen.sandboxes.map((s) => s.name);
    assert.ok(names.includes('keeper'), `the sandbox made before the kill is kept: ${names}`);
    assert.ok(names.every((n) => ['keeper', 'mounting', 'mounting-sub'].includes(n)), `nothing unexpected is listed: ${names}`);
    const volumes = seen.volumes.map((v) => v.name).sort();
    assert.ok(volumes.includes('dur-vol') && volumes.every((n) => n === 'dur-vol' || n === 'dur-vol-2'), `volumes: ${volumes}`);

    // The volume's data survived and is mounted again where each listed sandbox asked.
    for (const sb of seen.sandboxes) {
      const m = sb.volumes?.[0];
      assert.ok(m, `${sb.name} keeps its volume mount`);
      const note = m.subpath ? `${m.mountPath}/note.txt` : `${m.mountPath}/sub/note.txt`;
      assert.equal(await run(sb, `cat ${note}`), 'before-the-kill\n', `${sb.name} sees the volume at ${m.mountPath}`);
    }
    // Every listed volume can be mounted and written by a new sandbox, and shares what it holds.
    for (const v of seen.volumes) {
      const user = await daytona.create({ name: `user-of-${v.name}`, volumes: [{ volumeId: v.id, mountPath: '/home/daytona/v' }] });
      await run(user, `echo written-after-the-restart > v/after-${v.name}.txt`);
      if (v.name === 'dur-vol') assert.equal(await run(await daytona.get('keeper'), `cat data/after-${v.name}.txt`), 'written-after-the-restart\n');
      await user.delete(60);
    }
    // The names of creates that did not happen are free (a create of each works).
    for (const name of ['mounting', 'mounting-sub'].filter((n) => !names.includes(n))) {
      const sb = await daytona.create({ name, volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/data' }] });
      assert.equal(await run(sb, 'cat data/sub/note.txt'), 'before-the-kill\n');
      await sb.delete(60);
    }

    await useThenDeleteAll(daytona, (await daytona.list(undefined, 1, 200)).items, 'volumes');
    for (const v of await daytona.volume.list()) await daytona.volume.delete(v);
    await until(async () => (await daytona.volume.list()).length === 0, 'the volumes to be deleted', 10000);
    assertNothingLeft(ctx, 'volumes', ` (the kill came when sandboxes/${cutAt} appeared)`);
  });
});

test('kill -9 during sandbox creates (one from an Image being built, one being made): each is settled after the restart, its name can be used again, and nothing is left behind', { timeout: 50000 }, async () => {
  await withServer(async (ctx) => {
    const crashing = ctx.noRetry();
    const image = sdk.Image.base('alpine:3').runCommands('echo durability-declarative-started', 'sleep 4');
    let buildStarted = false;
    // Told of the kill by nothing but its polls (it waits out failed ones until its deadline),
    // this create is cancelled once the server is dead. Its deadline is short: the SDK keeps a
    // timer of that length alive after the cancel, which holds the test process open.
    const cancel = new AbortController();
    const declarative = settle(crashing.create({ name: 'dur-built', image }, {
      timeout: 20,
      signal: cancel.signal,
      onSnapshotCreateLogs: (line) => { if (line === 'durability-declarative-started') buildStarted = true; },
    }));
    await until(() => buildStarted, 'the Image build to run its first step', 45000);
    const building = await ctx.client().get('dur-built');
    assert.ok(['pending_build', 'building_snapshot'].includes(building.state), `while its Image builds the sandbox is ${building.state}`);

    // A plain create, killed once its sandbox's directory exists but before it has answered.
    const sandboxes = join(ctx.dataDir, 'sandboxes');
    const killed = killOnNewEntry(ctx, sandboxes, new Set(readdirSync(sandboxes)), (n) => n === building.id);
    const plain = settle(crashing.create({ name: 'dur-plain' }, { timeout: 30 }));
    const cutAt = await killed;
    await ctx.kill();
    cancel.abort();
    const plainOutcome = await outcome(plain, 'the plain create');
    assert.ok(plainOutcome instanceof Error, `the create killed when ${cutAt} appeared must not report success (it gave ${plainOutcome?.state})`);
    await outcome(declarative, 'the cancelled create from an Image');

    const daytona = await ctx.restart();
    const seen = await settled(daytona, 'after the kill during the creates');
    const byName = Object.fromEntries(seen.sandboxes.map((s) => [s.name, s]));
    assert.ok(Object.keys(byName).every((n) => n === 'dur-built' || n === 'dur-plain'), `listed: ${Object.keys(byName)}`);
    assert.ok(byName['dur-built'], 'the sandbox that was waiting for its build is listed (it was acknowledged)');
    assert.ok(['build_failed', 'error'].includes(byName['dur-built'].state), `a sandbox whose build was killed has failed: ${byName['dur-built'].state}`);
    assert.ok(byName['dur-built'].errorReason, 'and says why');
    if (byName['dur-plain']) assert.equal(byName['dur-plain'].state, 'started');

    // Every listed sandbox is usable or deletable; then the names are free for creates that work,
    // the Image one building again.
    await useThenDeleteAll(daytona, seen.sandboxes, 'creates');
    const plainAgain = await daytona.create({ name: 'dur-plain' });
    assert.equal(await run(plainAgain, 'echo made-again'), 'made-again\n');
    const builtAgain = await daytona.create({ name: 'dur-built', image }, { timeout: 60 });
    assert.equal(builtAgain.state, 'started');
    assert.equal(await run(builtAgain, 'echo built-again'), 'built-again\n');
    await useThenDeleteAll(daytona, [plainAgain, builtAgain], 'creates made again');
    for (const s of (await daytona.snapshot.list(1, 200)).items) {
      assert.equal(s.state, 'active', `the Image's snapshot ${s.name} was built again`);
      await daytona.snapshot.delete(s);
    }
    assertNothingLeft(ctx, 'creates', ` (the kill came when sandboxes/${cutAt} appeared)`);
  });
});
