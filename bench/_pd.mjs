process.env.DAYTONA_LOCAL_BIN = '/work/main/target/release/daytona-local';
const { startServer } = await import('/work/main/tests/daytona-local-harness.mjs');
const wasm = await import(process.argv[3] ?? '/tmp/pkgn/node.mjs');
const server = await startServer();
const ours = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
const sb = await ours.create();
await sb.fs.uploadFile(new Uint8Array(1024), 'f.bin');
const tb = `${server.apiUrl.replace(/\/api$/, '/toolbox')}/${sb.id}`;
const h = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
const mode = process.argv[2];
const t0 = performance.now();
for (let i = 0; i < 3000; i++) {
  if (mode === 'raw') await (await fetch(`${tb}/files/bulk-download`, { method: 'POST', headers: h, body: JSON.stringify({ paths: ['f.bin'] }) })).arrayBuffer();
  else await sb.fs.downloadFile('f.bin');
}
console.log(mode, ((performance.now() - t0) / 3000).toFixed(3), 'ms/call');
await sb.delete(); await server.stop(); process.exit(0);
