process.env.DAYTONA_LOCAL_BIN = new URL('../target/release/daytona-local', import.meta.url).pathname;
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const wasm = await import('../pkg/node.mjs');
const server = await startServer();
const ours = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
const sb = await ours.create();
const h = { authorization: `Bearer ${server.apiKey}` };
const url = `${server.apiUrl}/sandbox/${sb.id}`;
const modes = { raw: async () => (await fetch(url, { headers: h })).json(), ours: () => ours.get(sb.id) };
for (const f of Object.values(modes)) for (let i = 0; i < 200; i++) await f();
const res = { raw: [], ours: [] };
for (let r = 0; r < 6; r++) for (const [k, f] of Object.entries(modes)) {
  const t0 = performance.now();
  for (let i = 0; i < 300; i++) await f();
  res[k].push((performance.now() - t0) / 300);
}
for (const [k, v] of Object.entries(res)) console.log(k, v.sort()[3].toFixed(3), 'ms/call');
await sb.delete(); await server.stop(); process.exit(0);
