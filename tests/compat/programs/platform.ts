// Today's platform features as users write them for the official SDK: environment updates,
// time to live, pause and resume, metrics, pre-signed file URLs, forks, a snapshot of a
// sandbox, and a warm pool that a create takes from.
import { Daytona, SandboxState } from '@daytonaio/sdk';

const daytona = new Daytona();
const run = process.env.COMPAT_RUN!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sandbox = await daytona.create({ labels: { compat: run, app: 'platform' } });
try {
  await sandbox.updateEnv({ GREETING: 'hello' });
  console.log('env', (await sandbox.process.executeCommand('echo $GREETING')).result.trim());
  await sandbox.setTtl(60);
  await sandbox.refreshData(); // as the official SDK's docs say (daytona-wasm has it at once)
  console.log('ttl', typeof sandbox.autoDestroyAt);
  await sandbox.waitForResizeComplete();

  await sandbox.pause();
  console.log('paused', sandbox.state === SandboxState.PAUSED);
  await sandbox.start();
  console.log('resumed', sandbox.state === SandboxState.STARTED);

  const now = await sandbox.getMetricsLatest();
  const series = await sandbox.getMetrics(new Date(Date.now() - 3600_000));
  console.log('metrics', now.cpuCount === sandbox.cpu, now.timestamp instanceof Date, series.length > 0, series.every((m) => m.memTotal > 0));

  await sandbox.process.executeCommand('printf from-url > shared.txt');
  const download = await sandbox.downloadUrl('shared.txt', 120);
  console.log('download url', (await (await fetch(download)).text()));
  const upload = await sandbox.uploadUrl('uploaded.txt');
  console.log('upload url', (await fetch(upload, { method: 'POST', body: 'posted' })).status);
  console.log('uploaded', (await sandbox.process.executeCommand('cat uploaded.txt')).result);
  await sandbox.rotateSigningKey();
  console.log('rotated', (await fetch(download)).status);

  const fork = await sandbox.fork({ name: `fork-${run}` });
  try {
    console.log('fork', fork.state, (await fork.process.executeCommand('cat shared.txt')).result);
  } finally {
    await fork.delete();
  }

  const snapshot = `platform-${run}`;
  await sandbox.createSnapshot(snapshot);
  const pool = await daytona.warmPool.create({ snapshot, pool: 1 });
  try {
    for (let i = 0; i < 150 && (await daytona.warmPool.list()).find((p) => p.id === pool.id)?.currentSize !== 1; i++) await sleep(200);
    const taken = await daytona.create({ snapshot, labels: { compat: run, app: 'platform-pool' } });
    console.log('from pool', taken.warmPoolId === pool.id, (await taken.process.executeCommand('cat shared.txt')).result);
    await taken.delete();
  } finally {
    await daytona.warmPool.delete(pool.id);
    await daytona.snapshot.delete(await daytona.snapshot.get(snapshot));
  }
} finally {
  await sandbox.delete();
}
