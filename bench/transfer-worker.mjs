// One measured transfer in a fresh process (so peak RSS belongs to it alone). Prints JSON.
// argv: client op localFile remotePath apiUrl apiKey sandboxId
import { openAsBlob, createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';

const [client, op, localFile, remotePath, apiUrl, apiKey, sandboxId] = process.argv.slice(2);
const base = `${apiUrl.replace(/\/api$/, '/toolbox')}/${sandboxId}`;
const auth = { authorization: `Bearer ${apiKey}` };

async function raw() {
  if (op === 'upload') {
    const form = new FormData();
    form.append('files[0].path', remotePath);
    form.append('files[0].file', await openAsBlob(localFile), 'file');
    const r = await fetch(`${base}/files/bulk-upload`, { method: 'POST', headers: auth, body: form });
    if (!r.ok) throw new Error(`upload ${r.status}`);
    await r.arrayBuffer();
  } else {
    // The plain single-file endpoint: the best case a client could hope for.
    const r = await fetch(`${base}/files/download?path=${encodeURIComponent(remotePath)}`, { headers: auth });
    if (!r.ok) throw new Error(`download ${r.status}`);
    await r.body.pipeTo(Writable.toWeb(createWriteStream(localFile)));
  }
}

async function sdk(mod, config) {
  const { Daytona } = await import(mod);
  const daytona = new Daytona(config);
  const sb = await daytona.get(sandboxId);
  return async () => {
    if (op === 'upload') await sb.fs.uploadFile(localFile, remotePath);
    else await sb.fs.downloadFile(remotePath, localFile);
    await daytona[Symbol.asyncDispose]?.();
  };
}

const run = client === 'raw' ? raw
  : await sdk(client === 'wasm' ? '../pkg/node.mjs' : '@daytonaio/sdk', { apiKey, apiUrl, target: 'local' });
const before = process.resourceUsage().maxRSS;
const t0 = performance.now();
await run();
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, rssGrowthKiB: process.resourceUsage().maxRSS - before, rssBeforeKiB: before }));
process.exit(0);
