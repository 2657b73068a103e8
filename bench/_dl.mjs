process.env.DAYTONA_LOCAL_BIN = new URL('../target/release/daytona-local', import.meta.url).pathname;
import { execFileSync } from 'node:child_process';
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const wasm = await import('../pkg/node.mjs');
const server = await startServer();
const d = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
const sb = await d.create();
const big = new Uint8Array(256 << 20); for (let i = 0; i < big.length; i += 4096) big[i] = i & 255;
await sb.fs.uploadFile(big, 'big.bin');
const extra = (process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof'] : []);
for (const client of (process.env.CLIENTS ?? 'raw,wasm,official').split(',')) for (let r = 0; r < 2; r++) {
  const out = execFileSync(process.execPath, [...extra, 'bench/transfer-worker.mjs', client, 'download', '/tmp/dl.out', 'big.bin', server.apiUrl, server.apiKey, sb.id], { encoding: 'utf8' });
  const m = JSON.parse(out.trim().split('\n').pop());
  console.log(client, (268.435456 / m.seconds).toFixed(0), 'MB/s', (m.rssGrowthKiB / 1024).toFixed(0), 'MiB');
}
await sb.delete(); await server.stop(); process.exit(0);
