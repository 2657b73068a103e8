process.env.DAYTONA_LOCAL_BIN = new URL('../target/release/daytona-local', import.meta.url).pathname;
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const wasm = await import('../pkg/node.mjs');
const server = await startServer();
const d = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
const sb = await d.create();
await sb.fs.uploadFile(new Uint8Array(1024).fill(120), 'small.bin');
const tb = `${server.apiUrl.replace(/\/api$/, '/toolbox')}/${sb.id}`;
const h = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
const all = {
  raw: async () => (await fetch(`${tb}/files/bulk-download`, { method: 'POST', headers: h, body: JSON.stringify({ paths: ['small.bin'] }) })).arrayBuffer(),
  ours: () => sb.fs.downloadFile('small.bin'),
  get: () => d.get(sb.id),
  rawget: async () => (await fetch(`${server.apiUrl}/sandbox/${sb.id}`, { headers: h })).json(),
};
const modes = Object.fromEntries((process.env.MODES ?? 'raw,ours').split(',').map((k) => [k, all[k]]));
for (const f of Object.values(modes)) for (let i = 0; i < 200; i++) await f();
const res = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
for (let r = 0; r < 7; r++) for (const [k, f] of Object.entries(modes)) {
  const t0 = performance.now();
  for (let i = 0; i < 300; i++) await f();
  res[k].push((performance.now() - t0) / 300);
}
for (const [k, v] of Object.entries(res)) console.log(k, v.sort()[3].toFixed(3), 'ms/call');
await sb.delete(); await server.stop(); process.exit(0);
