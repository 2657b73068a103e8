// Transfer benchmark: upload and download of one big file (default 256 MiB) from Node,
// through daytona-wasm, through a raw fetch of the same endpoints, and through the official
// SDK, against one daytona-local (release build). Prints MB/s and the peak RSS growth of
// each transfer's process. Usage: node bench/transfer.mjs [MiB] [rounds]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const mib = Number(process.argv[2] ?? 256);
const rounds = Number(process.argv[3] ?? 2);
const root = fileURLToPath(new URL('..', import.meta.url));
process.env.DAYTONA_LOCAL_BIN ??= join(root, 'target/release/daytona-local');
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const { Daytona } = await import('../pkg/node.mjs');

const dir = mkdtempSync(join(tmpdir(), 'daytona-bench-'));
const source = join(dir, 'source.bin');
const fd = openSync(source, 'w');
const block = Buffer.alloc(1024 * 1024);
for (let i = 0; i < mib; i++) {
  for (let j = 0; j < block.length; j += 4) block.writeUInt32LE((i * 2654435761 + j) >>> 0, j);
  writeSync(fd, block);
}
closeSync(fd);

const server = await startServer({ dataDir: join(dir, 'data') });
const sb = await new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl }).create();
const results = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const client of ['raw', 'wasm', 'official']) {
      for (const op of ['upload', 'download']) {
        const local = op === 'upload' ? source : join(dir, `${client}.out`);
        const out = execFileSync(process.execPath, [join(root, 'bench/transfer-worker.mjs'), client, op, local, `bench/${client}.bin`, server.apiUrl, server.apiKey, sb.id], { cwd: root, encoding: 'utf8' });
        const m = JSON.parse(out.trim().split('\n').pop());
        if (op === 'download' && statSync(local).size !== mib * 1024 * 1024) throw new Error(`${client} downloaded a wrong size`);
        const key = `${client} ${op}`;
        const best = results[key];
        results[key] = { seconds: Math.min(best?.seconds ?? Infinity, m.seconds), rss: Math.max(best?.rss ?? 0, m.rssGrowthKiB / 1024) };
      }
    }
  }
} finally {
  await sb.delete();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const mbps = (k) => (mib * 1.048576) / results[k].seconds;
console.log(`${mib} MiB file, best of ${rounds} rounds, Node ${process.version}, daytona-local release\n`);
console.log('| client | upload MB/s | upload peak RSS growth | download MB/s | download peak RSS growth |');
console.log('|---|---|---|---|---|');
for (const [client, label] of [['raw', 'raw fetch'], ['wasm', 'daytona-wasm'], ['official', '@daytonaio/sdk 0.218.0']]) {
  const u = `${client} upload`, d = `${client} download`;
  console.log(`| ${label} | ${mbps(u).toFixed(0)} | ${results[u].rss.toFixed(1)} MiB | ${mbps(d).toFixed(0)} | ${results[d].rss.toFixed(1)} MiB |`);
}
console.log(`\ndaytona-wasm / raw fetch: upload ${(100 * mbps('wasm upload') / mbps('raw upload')).toFixed(0)}%, download ${(100 * mbps('wasm download') / mbps('raw download')).toFixed(0)}%`);
console.log(`daytona-wasm / official: upload ${(mbps('wasm upload') / mbps('official upload')).toFixed(2)}x, download ${(mbps('wasm download') / mbps('official download')).toFixed(2)}x`);
