// kill -9 of daytona-local in the middle of a run, then a restart on the same data dir:
// everything a client was told about must still be there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../daytona-local-harness.mjs';
import { Daytona, DaytonaConnectionError } from '../../pkg/node.mjs';

test('kill -9 mid-run loses no acknowledged sandbox or change', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daytona-crash-'));
  try {
    let server = await startServer({ dataDir });
    let daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
    const stopped = await daytona.create({ name: 'was-stopped' });
    await stopped.stop();
    const labelled = await daytona.create({ name: 'was-labelled' });
    await labelled.setLabels({ kept: 'yes' });
    await labelled.resize({ cpu: 2 });

    // A burst of creates, with the server killed while they are in flight.
    const acknowledged = [];
    const burst = Array.from({ length: 20 }, (_, i) =>
      daytona.create({ name: `burst-${i}` }).then((sb) => acknowledged.push(sb.name), (e) => e));
    await new Promise((r) => setTimeout(r, 15));
    await server.kill();
    const outcomes = await Promise.all(burst);
    const failures = outcomes.filter((o) => o instanceof Error);
    assert.ok(failures.every((e) => e instanceof DaytonaConnectionError), String(failures[0]));

    server = await startServer({ dataDir, apiKey: server.apiKey });
    daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
    assert.equal((await daytona.get('was-stopped')).state, 'stopped');
    const l = await daytona.get('was-labelled');
    assert.deepEqual([l.labels.kept, l.cpu, l.state], ['yes', 2, 'started']);
    for (const name of acknowledged) assert.equal((await daytona.get(name)).name, name, `${name} was acknowledged before the crash`);
    const all = await daytona.list(undefined, 1, 200);
    assert.equal(all.total, 2 + all.items.filter((s) => s.name.startsWith('burst-')).length);
    // The restarted server serves the new address, and works.
    assert.equal(l.toolboxProxyUrl, server.apiUrl.replace(/\/api$/, '/toolbox'));
    await l.stop();
    await server.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
