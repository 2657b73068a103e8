// Per-call latency: `get`, `executeCommand`, a small upload and a small download, each
// through a raw fetch of the same HTTP exchange, daytona-wasm and the official SDK, in
// rounds that alternate the clients so drift on this shared machine hits all alike.
import { summary } from './stats.mjs';

const SMALL = new TextEncoder().encode('x'.repeat(1024));

/** `{ op: { client: { p50, p99 } } }` over `calls` calls per op and client. */
/** `ours`/`theirs`: `{ daytona, sandbox }` of each SDK, on the same sandbox. */
export async function measureCalls({ server, ours: { daytona: oursClient, sandbox: ours }, theirs: { daytona: theirsClient, sandbox: theirs }, calls = 500 }) {
  const api = server.apiUrl;
  const toolbox = `${api.replace(/\/api$/, '/toolbox')}/${ours.id}`;
  const headers = { authorization: `Bearer ${server.apiKey}` };
  await ours.fs.uploadFile(SMALL, 'bench-small.bin');
  const check = async (r) => { if (!r.ok) throw new Error(`${r.url}: ${r.status}`); return r; };

  const ops = {
    get: {
      raw: async () => (await check(await fetch(`${api}/sandbox/${ours.id}`, { headers }))).json(),
      wasm: () => oursClient.get(ours.id),
      official: () => theirsClient.get(ours.id),
    },
    executeCommand: {
      raw: async () => (await check(await fetch(`${toolbox}/process/execute`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ command: 'true' }),
      }))).json(),
      wasm: () => ours.process.executeCommand('true'),
      official: () => theirs.process.executeCommand('true'),
    },
    'upload 1 KiB': {
      raw: async () => {
        const form = new FormData();
        form.append('files[0].path', 'bench-up.bin');
        form.append('files[0].file', new Blob([SMALL]), 'file');
        await (await check(await fetch(`${toolbox}/files/bulk-upload`, { method: 'POST', headers, body: form }))).arrayBuffer();
      },
      wasm: () => ours.fs.uploadFile(SMALL, 'bench-up.bin'),
      official: () => theirs.fs.uploadFile(Buffer.from(SMALL), 'bench-up.bin'),
    },
    'download 1 KiB': {
      raw: async () => (await check(await fetch(`${toolbox}/files/bulk-download`, {
        method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ paths: ['bench-small.bin'] }),
      }))).arrayBuffer(),
      wasm: () => ours.fs.downloadFile('bench-small.bin'),
      official: () => theirs.fs.downloadFile('bench-small.bin'),
    },
  };

  const results = {};
  for (const [op, clients] of Object.entries(ops)) {
    const times = Object.fromEntries(Object.keys(clients).map((c) => [c, []]));
    for (const fn of Object.values(clients)) for (let i = 0; i < 20; i++) await fn(); // warm-up
    for (let round = 0; round < 10; round++) {
      for (const [client, fn] of Object.entries(clients)) {
        for (let i = 0; i < calls / 10; i++) {
          const t = performance.now();
          await fn();
          times[client].push(performance.now() - t);
        }
      }
    }
    results[op] = Object.fromEntries(Object.entries(times).map(([c, xs]) => [c, summary(xs)]));
  }
  return results;
}
