// Bundle size and whether it loads: a small app that creates a sandbox, runs a command and
// deletes it, built for the browser (Vite, default config) and as a Worker (esbuild the way
// wrangler bundles one, minified, no nodejs_compat), for each SDK; then each build is run
// for real in Chromium and in workerd (Miniflare) against daytona-local, with no polyfills.
import { mkdirSync, rmSync, symlinkSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';
import { serveStatic } from '../tests/static-server.mjs';
import { launchChromium } from '../tests/browser/chromium.mjs';
import { weigh } from './size.mjs';
import { bundleWorker, runWorker } from '../tests/workerd/wrangler-like.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const apps = join(root, 'target/bench-apps');

const appSource = (spec) => `import { Daytona } from '${spec}';
export async function run(apiUrl, apiKey) {
  const daytona = new Daytona({ apiUrl, apiKey, target: 'local' });
  const sandbox = await daytona.create();
  const r = await sandbox.process.executeCommand('echo hi');
  await sandbox.delete();
  return r.result;
}
`;
const browserMain = `import { run } from './app.js';
const q = new URLSearchParams(location.search);
run(q.get('api'), q.get('key')).then((result) => { window.result = { result }; }, (e) => { window.result = { error: String(e) }; });
`;
const workerMain = `import { run } from './app.js';
export default { async fetch(request, env) {
  try { return Response.json({ result: await run(env.API_URL, env.API_KEY) }); }
  catch (e) { return Response.json({ error: String(e) }); }
} };
`;

/** The JS and wasm files a build emitted, weighed. */
const weighBuild = (dir) => weigh(readdirSync(dir, { recursive: true })
  .map((f) => join(dir, f))
  .filter((p) => /\.(m?js|wasm)$/.test(p) && statSync(p).isFile()));

const firstLine = (e) => String(e?.errors?.[0]?.text ?? e?.message ?? e).split('\n')[0].slice(0, 160);

async function browserBuild(dir, spec, server, browser) {
  writeFileSync(join(dir, 'app.js'), appSource(spec));
  writeFileSync(join(dir, 'main.js'), browserMain);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
  try {
    await vite({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: join(dir, 'dist') } });
  } catch (e) {
    return { built: `no: ${firstLine(e)}` };
  }
  const size = weighBuild(join(dir, 'dist'));
  const site = await serveStatic(join(dir, 'dist'));
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${site.url}/index.html?${new URLSearchParams({ api: server.apiUrl, key: server.apiKey })}`);
    await page.waitForFunction(() => window.result, null, { timeout: 30000 }).catch(() => {});
    const result = await page.evaluate(() => window.result);
    const loads = result?.result === 'hi\n' ? 'yes' : `no: ${errors[0] ?? result?.error ?? 'nothing ran'}`.split('\n')[0].slice(0, 160);
    return { built: 'yes', ...size, loads };
  } finally {
    await page.close();
    await site.close();
  }
}

async function workerBuild(dir, spec, server) {
  writeFileSync(join(dir, 'app.js'), appSource(spec));
  writeFileSync(join(dir, 'worker.js'), workerMain);
  try {
    await bundleWorker(join(dir, 'worker.js'), join(dir, 'dist/worker.mjs'), { minify: true });
  } catch (e) {
    return { built: `no: ${firstLine(e)}` };
  }
  const size = weighBuild(join(dir, 'dist'));
  let mf;
  try {
    mf = runWorker(join(dir, 'dist/worker.mjs'), { API_URL: server.apiUrl, API_KEY: server.apiKey });
    const result = await (await mf.dispatchFetch('http://worker/')).json();
    return { built: 'yes', ...size, loads: result.result === 'hi\n' ? 'yes' : `no: ${result.error}`.slice(0, 160) };
  } catch (e) {
    return { built: 'yes', ...size, loads: `no: ${firstLine(e)}` };
  } finally {
    await mf?.dispose().catch(() => {});
  }
}

/** Empties `dir`, where apps that import `daytona-wasm` get this build of the package. */
export function freshAppsDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(root, 'pkg'), join(dir, 'node_modules/daytona-wasm'));
}

/** `{ sdkName: { browser: {built, raw, gzip, loads}, worker: {…} } }` */
export async function measureBundles({ server, sdks }) {
  freshAppsDir(apps);
  const browser = await launchChromium();
  const results = {};
  try {
    for (const [name, spec] of Object.entries(sdks)) {
      const dir = (target) => { const d = join(apps, `${spec.replace(/\W/g, '_')}-${target}`); mkdirSync(d, { recursive: true }); return d; };
      results[name] = {
        browser: await browserBuild(dir('browser'), spec, server, browser),
        worker: await workerBuild(dir('worker'), spec, server),
      };
    }
  } finally {
    await browser.close();
  }
  return results;
}
