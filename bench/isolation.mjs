// Isolation benchmark, in one run: two release daytona-local servers, one isolating
// sandboxes (namespaces, cgroups, disk image) and one with --no-isolation, and for each, over
// N sandboxes through the package: create → first executeCommand result, and (after a stop)
// start → first result. Prints p50/p99 and what isolation adds.
// Usage: node bench/isolation.mjs [sandboxes]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const n = Number(process.argv[2] ?? 100);
const root = fileURLToPath(new URL('..', import.meta.url));
process.env.DAYTONA_LOCAL_BIN ??= join(root, 'target/release/daytona-local');
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const { Daytona } = await import('../pkg/node.mjs');

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

async function measure(args) {
  const server = await startServer({ args });
  const daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const create = [], start = [];
  const sandboxes = [];
  try {
    for (let i = 0; i < n + 5; i++) {
      let t = performance.now();
      const sb = await daytona.create();
      const r = await sb.process.executeCommand('echo ready');
      const created = performance.now() - t;
      if (r.result !== 'ready\n') throw new Error(`unexpected result ${JSON.stringify(r.result)}`);
      await sb.stop();
      t = performance.now();
      await sb.start();
      await sb.process.executeCommand('echo ready');
      const started = performance.now() - t;
      // The first five warm up the server and the JIT.
      if (i >= 5) { create.push(created); start.push(started); }
      sandboxes.push(sb);
    }
  } finally {
    for (const sb of sandboxes) await sb.delete();
    await server.stop();
  }
  return { create, start };
}

const on = await measure([]);
const off = await measure(['--no-isolation']);
const row = (name, xs) => `| ${name} | ${pct(xs, 0.5).toFixed(1)} | ${pct(xs, 0.99).toFixed(1)} |`;
console.log(`\nIsolation cost over ${n} sandboxes (release daytona-local, ms)\n`);
console.log('| step | p50 | p99 |\n|---|---|---|');
console.log(row('create → first command, isolated', on.create));
console.log(row('create → first command, --no-isolation', off.create));
console.log(row('start → first command, isolated', on.start));
console.log(row('start → first command, --no-isolation', off.start));
const added = (a, b) => (pct(a, 0.5) - pct(b, 0.5)).toFixed(1);
console.log(`\nisolation adds at p50: create ${added(on.create, off.create)} ms, start ${added(on.start, off.start)} ms (target: under 15 ms)`);
