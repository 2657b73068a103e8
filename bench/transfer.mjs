// One big file (256 MiB by default) up and down from Node through each client (a raw fetch
// of the same endpoints, daytona-wasm, the official SDK), each transfer in a fresh process
// (bench/transfer-worker.mjs) so its peak RSS is its own. Best of `rounds`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TRANSFER_CLIENTS = ['raw', 'wasm', 'official'];

function writeSource(path, mib) {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) {
    for (let j = 0; j < block.length; j += 4) block.writeUInt32LE((i * 2654435761 + j) >>> 0, j);
    writeSync(fd, block);
  }
  closeSync(fd);
}

/** `{ 'raw upload': { mbps, rssMiB }, … }` for `sandbox` on `server`. */
export function measureTransfer({ server, sandbox, mib = 256, rounds = 2 }) {
  const dir = mkdtempSync(join(tmpdir(), 'daytona-bench-'));
  const source = join(dir, 'source.bin');
  writeSource(source, mib);
  const results = {};
  try {
    for (let r = 0; r < rounds; r++) {
      for (const client of TRANSFER_CLIENTS) {
        for (const op of ['upload', 'download']) {
          const local = op === 'upload' ? source : join(dir, `${client}.out`);
          const out = execFileSync(process.execPath, [join(root, 'bench/transfer-worker.mjs'), client, op, local,
            `bench/${client}.bin`, server.apiUrl, server.apiKey, sandbox.id], { cwd: root, encoding: 'utf8' });
          const m = JSON.parse(out.trim().split('\n').pop());
          if (op === 'download' && statSync(local).size !== mib * 1024 * 1024) throw new Error(`${client} downloaded a wrong size`);
          const key = `${client} ${op}`;
          const best = results[key];
          results[key] = {
            seconds: Math.min(best?.seconds ?? Infinity, m.seconds),
            rssMiB: Math.max(best?.rssMiB ?? 0, m.rssGrowthKiB / 1024),
          };
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const v of Object.values(results)) v.mbps = (mib * 1.048576) / v.seconds;
  return results;
}
