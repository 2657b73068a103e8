// examples/worker, bundled the way wrangler bundles a Worker (esbuild, the `workerd`
// export condition, .wasm as a compiled module), run in workerd through Miniflare with no
// nodejs_compat against daytona-local.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../daytona-local-harness.mjs';
import { bundleWorker, runWorker } from './wrangler-like.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server, mf, out;

before(async () => {
  server = await startServer();
  // `npm install` in the example links daytona-wasm to ../../pkg; a temp node_modules does
  // the same here.
  out = mkdtempSync(join(tmpdir(), 'worker-example-'));
  mkdirSync(join(out, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(out, 'node_modules', 'daytona-wasm'));
  await bundleWorker(join(root, 'examples/worker/src/index.mjs'), join(out, 'dist/worker.mjs'), { nodePaths: [join(out, 'node_modules')] });
  const toml = readFileSync(join(root, 'examples/worker/wrangler.toml'), 'utf8');
  mf = runWorker(join(out, 'dist/worker.mjs'), { DAYTONA_API_URL: server.apiUrl, DAYTONA_API_KEY: server.apiKey },
    toml.match(/compatibility_date = "([^"]+)"/)[1]);
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await server?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

test('the example Worker (wrangler.toml without nodejs_compat) runs code in a sandbox', async () => {
  assert.doesNotMatch(readFileSync(join(root, 'examples/worker/wrangler.toml'), 'utf8'), /^compatibility_flags.*nodejs/m);
  const ok = await mf.dispatchFetch(`http://worker/?code=${encodeURIComponent('import sys\nprint(6 * 7, sys.version_info[0])')}`);
  assert.deepEqual(await ok.json(), { exitCode: 0, result: '42 3\n', charts: [] });
  const chart = await mf.dispatchFetch(`http://worker/?code=${encodeURIComponent("import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4])\nplt.title('t')\nplt.show()")}`);
  assert.deepEqual((await chart.json()).charts, [{ type: 'line', title: 't' }]);
  const failed = await mf.dispatchFetch(`http://worker/?code=${encodeURIComponent('raise SystemExit(3)')}`);
  assert.equal((await failed.json()).exitCode, 3);
  // Nothing left behind: every request deleted its sandbox.
  const list = await fetch(`${server.apiUrl}/sandbox`, { headers: { Authorization: `Bearer ${server.apiKey}` } });
  assert.deepEqual((await list.json()).items, []);
});

test('the example Worker answers a wrong key with the API status, not a crash', async () => {
  const bad = runWorker(join(out, 'dist/worker.mjs'), { DAYTONA_API_URL: server.apiUrl, DAYTONA_API_KEY: 'wrong' });
  try {
    const r = await bad.dispatchFetch('http://worker/');
    assert.equal(r.status, 401);
    assert.equal((await r.json()).kind, 'DaytonaAuthenticationError');
  } finally {
    await bad.dispose();
  }
});
