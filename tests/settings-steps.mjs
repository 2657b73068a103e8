// Today's create parameters and network settings, as steps any SDK with the official API runs
// against daytona-local: what one machine cannot honour is refused by name (never accepted
// and ignored), the official client-side checks hold, an outbound proxy reaches the
// sandbox's processes, today's Sandbox properties say what one machine has of them, the
// environment of new processes can be changed, a paused sandbox's processes stand still and
// go on after start, and network settings change live and hold at the next start.
import { runSecretSteps, EXPECTED_SECRET_STEPS } from './secret-steps.mjs';

export const EXPECTED_SETTINGS_STEPS = [
  ['refused', [
    ['domainAllowList', 400],
    ['kvm', 400], ['spot', 400], ['otelEndpointOverride', 400],
  ]],
  ['stop and pause together', 'DaytonaInvalidArgumentError'],
  ['pause', 30, 0, 'paused', 409, true, 'started', true, true, 10, 'DaytonaInvalidArgumentError'],
  ['time to live', 30, null, 'DaytonaInvalidArgumentError'],
  ['proxy', 'http://127.0.0.1:3128 http://127.0.0.1:3128'],
  ['platform properties', 'http://127.0.0.1:3128', 0, false, false, null, null, null, null],
  ['env updated', 'hi-none', 400],
  ['metrics', true, true, true, true, true, true, true, true, 0],
  ['fork', 'parent-file', 'parent-file', 'started', true, 'parent-file', 'changed', 'active', 400],
  ['warm pool', true, true, 'pool', true, 0, 0],
  ['file urls', 200, 'signed-hello', 401, 200, 'b.txt', 'file', 'raw-body', 'form-body', 401, 401, 200],
  ['secrets', EXPECTED_SECRET_STEPS],
  ['linked', true, 'owner-here', 'linked-here', 400, 404, 400, 404],
  ['no setting', 'DaytonaInvalidArgumentError'],
  ['blocked while running', true, 1],
  ['held at the next start', true, 1],
  ['allow list', false, '10.0.0.0/8', 2, 400],
  ['unblocked', 2],
];

const REFUSED = {
  domainAllowList: 'example.com',
  kvm: true, spot: true, otelEndpointOverride: 'http://127.0.0.1:4318',
};

/** Of loopback and the outbound interface (tap0), how many the sandbox has (its own /proc/net/dev). */
async function interfaces(sb) {
  const out = (await sb.process.executeCommand('cat /proc/net/dev')).result;
  return out.split('\n').filter((l) => /^\s*(lo|tap0):/.test(l)).length;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A counter runs (+1 each 50 ms); while the sandbox is paused it must stand still, its
 *  toolbox refuses work, and after start the same process counts on. */
async function pauseSteps(sb) {
  const intervals = [sb.autoPauseInterval, sb.autoStopInterval];
  const pid = (await sb.process.executeCommand('sh -c \'i=0; while :; do i=$((i+1)); echo $i > n; sleep 0.05; done\' >/dev/null 2>&1 & echo $!')).result.trim();
  const count = async () => Number((await sb.process.executeCommand('cat n')).result.trim());
  await sleep(300);
  const before = await count();
  await sb.pause();
  const state = sb.state;
  const refused = await sb.process.executeCommand('true').then(() => 'accepted', (e) => e.statusCode);
  await sleep(1000);
  await sb.start();
  const after = await count();
  const alive = (await sb.process.executeCommand(`kill -0 ${pid} && echo alive`)).result.trim() === 'alive';
  await sleep(300);
  const goesOn = (await count()) > after;
  await sb.waitForResizeComplete();
  await sb.setAutoPauseInterval(10);
  const invalid = await sb.setAutoPauseInterval(1.5).then(() => 'accepted', (e) => e.name);
  // Unpaused, 1 s would have counted about 20.
  return [...intervals, state, refused, after - before < 10, sb.state, alive, goesOn, sb.autoPauseInterval, invalid];
}

/** Forks get the files of their parent at that instant and go their own way; a snapshot of
 *  a sandbox's files makes new sandboxes; a stopped sandbox cannot be forked. */
async function forkSteps(daytona, sb) {
  const cat = async (s) => (await s.process.executeCommand('cat work/a.txt')).result;
  await sb.process.executeCommand('mkdir -p work && printf parent-file > work/a.txt');
  const name = `fork-${Date.now()}`;
  const forked = await sb.fork({ name });
  const state = forked.state;
  try {
    const copied = await cat(forked);
    await forked.process.executeCommand('printf changed > work/a.txt');
    const parentKept = await cat(sb);
    const second = await daytona.fork(sb);
    const secondCopied = await cat(second);
    await second.delete();
    const snapshot = `snap-${Date.now()}`;
    await forked.createSnapshot(snapshot);
    const fromSnapshot = await daytona.create({ snapshot });
    const snapshotFile = await cat(fromSnapshot);
    await fromSnapshot.delete();
    const made = await daytona.snapshot.get(snapshot);
    await daytona.snapshot.delete(made);
    await forked.stop();
    const refused = await forked.fork().then((f) => f.delete().then(() => 'accepted'), (e) => e.statusCode);
    return [copied, parentKept, state, forked.name === name, secondCopied, snapshotFile, made.state, refused];
  } finally {
    await forked.delete();
  }
}

/** A pool of one sandbox made ahead from a snapshot: create takes it (with its own labels),
 *  the pool makes another, and shrinks to nothing. */
async function warmPoolSteps(daytona, sb) {
  const snapshot = `pool-${Date.now()}`;
  await sb.createSnapshot(snapshot);
  const pool = await daytona.warmPool.create({ snapshot, pool: 1 });
  const ready = async () => {
    for (let i = 0; i < 150; i++) {
      if ((await daytona.warmPool.list()).find((p) => p.id === pool.id)?.currentSize === 1) return true;
      await sleep(200);
    }
    return false;
  };
  try {
    const filled = await ready();
    const taken = await daytona.create({ snapshot, labels: { from: 'pool' } });
    const fromPool = taken.warmPoolId === pool.id;
    const label = taken.labels.from;
    await taken.delete();
    const refilled = await ready();
    const shrunk = await daytona.warmPool.update(pool.id, { pool: 0 });
    return [filled, fromPool, label, refilled, shrunk.pool, shrunk.currentSize];
  } finally {
    await daytona.warmPool.delete(pool.id);
    await daytona.snapshot.delete(await daytona.snapshot.get(snapshot));
  }
}

/** Pre-signed URLs, used with plain fetch and no key: a download, a tampered one, uploads
 *  (raw body and form), an expired URL, and one signed before the key was rotated. */
async function fileUrlSteps(sb) {
  await sb.process.executeCommand('printf signed-hello > signed.txt');
  const url = await sb.downloadUrl('signed.txt');
  const got = await fetch(url);
  const text = await got.text();
  const tampered = (await fetch(url.replace('signed.txt', 'other.txt'))).status;
  const up = await sb.uploadUrl('up/b.txt', 60);
  const raw = await fetch(up, { method: 'POST', body: 'raw-body' });
  const stored = await raw.json();
  const rawBack = (await sb.process.executeCommand('cat up/b.txt')).result;
  const form = new FormData();
  form.append('file', new Blob(['form-body']), 'b.txt');
  await fetch(up, { method: 'POST', body: form });
  const formBack = (await sb.process.executeCommand('cat up/b.txt')).result;
  const short = await sb.downloadUrl('signed.txt', 1);
  await sleep(2100);
  const expired = (await fetch(short)).status;
  await sb.rotateSigningKey();
  const rotated = (await fetch(url)).status;
  const fresh = (await fetch(await sb.downloadUrl('signed.txt'))).status;
  return [got.status, text, tampered, raw.status, stored.name, stored.type, rawBack, formBack, expired, rotated, fresh];
}

/** The latest sample while a loop keeps a CPU busy, then the series holding it. */
async function metricsSteps(sb) {
  await sb.getMetricsLatest();
  await sb.process.executeCommand("timeout 6 sh -c 'while :; do :; done' >/dev/null 2>&1 &");
  // The burner shows in the next sample that covers a busy stretch; on a loaded machine
  // that may take a few.
  let m;
  for (let i = 0; i < 15 && !(m?.cpuUsedPct > 20); i++) {
    await sleep(300);
    m = await sb.getMetricsLatest();
  }
  const series = await sb.getMetrics();
  const times = series.map((s) => s.timestamp.getTime());
  return [
    m.cpuCount === sb.cpu && m.memTotal === sb.memory * 2 ** 30, m.cpuUsedPct > 20 && m.cpuUsedPct <= 100,
    m.diskTotal > m.diskUsed && m.diskUsed > 0, m.memUsed > 0 && m.memCache >= 0, m.timestamp instanceof Date,
    series.length >= 2 && times.every((t, i) => i === 0 || t >= times[i - 1]),
    series.some((s) => s.timestamp.getTime() === m.timestamp.getTime() && s.cpuUsedPct === m.cpuUsedPct),
    Object.keys(series[0]).sort().join() === 'cpuCount,cpuUsedPct,diskTotal,diskUsed,memCache,memTotal,memUsed,timestamp',
    (await sb.getMetrics(new Date(Date.now() + 3600e3))).length,
  ];
}

/** `daytona` is a client of either SDK. */
export async function runSettingsSteps(daytona) {
  const steps = [];
  const refused = [];
  for (const [key, value] of Object.entries(REFUSED)) {
    const e = await daytona.create({ [key]: value }).then((sb) => sb.delete().then(() => null), (e) => e);
    refused.push([key, /not (supported|available) .*daytona-local/.test(e?.message) ? e.statusCode : e?.message ?? 'accepted']);
  }
  steps.push(['refused', refused]);
  steps.push(['stop and pause together', await daytona.create({ autoStopInterval: 5, autoPauseInterval: 5 }).then(() => 'accepted', (e) => e.name)]);
  const paused = await daytona.create({ autoPauseInterval: 30 });
  try {
    steps.push(['pause', ...await pauseSteps(paused)]);
  } finally {
    await paused.delete();
  }
  const ttl = await daytona.create({ ttlMinutes: 30 });
  try {
    const ahead = Math.round((Date.parse(ttl.autoDestroyAt) - Date.now()) / 60000);
    await ttl.setTtl(0);
    await ttl.refreshData();
    steps.push(['time to live', ahead, ttl.autoDestroyAt ?? null, await ttl.setTtl(-1).then(() => 'accepted', (e) => e.name)]);
  } finally {
    await ttl.delete();
  }

  const sb = await daytona.create({ outboundProxyUrl: 'http://127.0.0.1:3128' });
  try {
    steps.push(['proxy', (await sb.process.executeCommand('echo $HTTP_PROXY $https_proxy')).result.trim()]);
    // Today's Sandbox properties, with what one machine has of them.
    const unset = (v) => v ?? null;
    steps.push(['platform properties', sb.outboundProxyUrl, sb.autoPauseInterval, sb.spot, sb.kvm,
      unset(sb.domainAllowList), unset(sb.linkedSandboxId), unset(sb.warmPoolId), unset(sb.autoDestroyAt)]);
    await sb.updateEnv({ GREETING: 'hi' }, { unset: ['HTTP_PROXY'] });
    const seen = (await sb.process.executeCommand('echo $GREETING-${HTTP_PROXY:-none}')).result.trim();
    steps.push(['env updated', seen, await sb.updateEnv({ '1BAD': 'x' }).then(() => 'accepted', (e) => e.statusCode)]);
    steps.push(['metrics', ...await metricsSteps(sb)]);
    steps.push(['fork', ...await forkSteps(daytona, sb)]);
    steps.push(['warm pool', ...await warmPoolSteps(daytona, sb)]);
    steps.push(['file urls', ...await fileUrlSteps(sb)]);
    steps.push(['secrets', await runSecretSteps(daytona)]);
    steps.push(['linked', ...await linkSteps(daytona, sb)]);
    steps.push(['no setting', await sb.updateNetworkSettings({}).then(() => 'accepted', (e) => e.name)]);
    await sb.updateNetworkSettings({ networkBlockAll: true });
    await sb.refreshData();
    steps.push(['blocked while running', sb.networkBlockAll, await interfaces(sb)]);
    await sb.stop();
    await sb.start();
    steps.push(['held at the next start', sb.networkBlockAll, await interfaces(sb)]);
    await sb.updateNetworkSettings({ networkBlockAll: false, networkAllowList: '10.0.0.0/8' });
    await sb.refreshData();
    const bad = await sb.updateNetworkSettings({ networkAllowList: '10.0.0.0/40' }).then(() => 'accepted', (e) => e.statusCode);
    steps.push(['allow list', sb.networkBlockAll, sb.networkAllowList, await interfaces(sb), bad]);
    await sb.updateNetworkSettings({ networkAllowList: '' });
    steps.push(['unblocked', await interfaces(sb)]);
  } finally {
    await sb.delete();
  }
  return steps;
}

/**
 * A sandbox linked to `owner` (ephemeral, by the owner's name) reaches the owner's server by
 * name and the owner reaches it by id; Daytona's checks hold; deleting the owner would delete
 * it, so here it is deleted alone.
 */
async function linkSteps(daytona, owner) {
  const serve = async (sb, text, port) => {
    await sb.process.createSession('link-web');
    await sb.process.executeSessionCommand('link-web', { command: `cd /tmp && echo ${text} > who && exec python3 -m http.server ${port}`, runAsync: true });
  };
  const fetchFrom = async (sb, url) => (await sb.process.executeCommand(`for i in $(seq 50); do curl -s --noproxy '*' ${url} && break; sleep 0.1; done`)).result.trim();
  const status = (p) => p.then(() => 'accepted', (e) => e.statusCode);
  await serve(owner, 'owner-here', 3300);
  const notEphemeral = await status(daytona.create({ linkedSandbox: owner.id }));
  const unknown = await status(daytona.create({ linkedSandbox: 'no-such-sandbox', autoDeleteInterval: 0 }));
  const child = await daytona.create({ linkedSandbox: owner.name, autoDeleteInterval: 0 });
  try {
    await serve(child, 'linked-here', 3301);
    const steps = [child.linkedSandboxId === owner.id, await fetchFrom(child, `http://${owner.name}:3300/who`), await fetchFrom(owner, `http://${child.id}:3301/who`)];
    steps.push(notEphemeral, unknown, await status(daytona.create({ linkedSandbox: child.id, autoDeleteInterval: 0 })));
    await child.stop();
    // Ephemeral: stopped is deleted.
    steps.push(await status(daytona.get(child.id)));
    return steps;
  } finally {
    await child.delete().catch(() => {});
  }
}

/** The steps with a client of `sdk`, for runners that pass `{ apiUrl, apiKey }`. */
export async function runSettings(sdk, { apiUrl, apiKey }) {
  return runSettingsSteps(new sdk.Daytona({ apiUrl, apiKey }));
}
