// Start-up outside Node: from the moment a page or a Worker starts loading the package to the
// first call. Chromium: a Vite build whose page imports the package dynamically and times
// the import (fetch, compile and instantiate the wasm), `new Daytona()` and the first answer
// (`list()`), each load in a fresh browser context (empty HTTP and code caches). workerd
// freezes its clocks while a Worker runs, so there it is timed from outside: Miniflare's
// start to the first answer of a Worker that imports the package and constructs a client,
// minus the same for an empty Worker.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as vite } from 'vite';
import { serveStatic } from '../tests/static-server.mjs';
import { launchChromium } from '../tests/browser/chromium.mjs';
import { bundleWorker, runWorker } from '../tests/workerd/wrangler-like.mjs';
import { median } from './stats.mjs';
import { freshAppsDir } from './bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const apps = join(root, 'target/bench-startup');

// A 20-byte module is imported first: what any import costs on this machine, for scale.
const pageMain = `const q = new URLSearchParams(location.search);
(async () => {
  const tiny = performance.now();
  await import('./tiny.js');
  const t0 = performance.now();
  const { Daytona } = await import('daytona-wasm');
  const t1 = performance.now();
  const daytona = new Daytona({ apiUrl: q.get('api'), apiKey: q.get('key'), target: 'local' });
  const t2 = performance.now();
  await daytona.list();
  const t3 = performance.now();
  window.result = { tinyImportMs: t0 - tiny, importMs: t1 - t0, constructMs: t2 - t1, firstAnswerMs: t3 - t2 };
})().catch((e) => { window.result = { error: String(e) }; });
`;

const workers = {
  sdk: `import { Daytona } from 'daytona-wasm';
export default { async fetch(request, env) {
  new Daytona({ apiUrl: env.API_URL, apiKey: env.API_KEY, target: 'local' });
  return new Response('ok');
} };
`,
  empty: `export default { async fetch() { return new Response('ok'); } };
`,
};

/** One load of the start-up page in a fresh browser context: its `window.result`. */
async function pageSample(browser, site, server) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/index.html?${new URLSearchParams({ api: server.apiUrl, key: server.apiKey })}`);
    await page.waitForFunction(() => window.result, null, { timeout: 30000 }).catch(() => {});
    const r = await page.evaluate(() => window.result);
    if (!r || r.error) throw new Error(`Chromium start-up page: ${r?.error ?? errors[0] ?? 'no result in 30 s'}`);
    return r;
  } finally {
    await context.close();
  }
}

async function chromiumStartup(server, runs) {
  const dir = join(apps, 'browser');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), pageMain);
  writeFileSync(join(dir, 'tiny.js'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
  await vite({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: join(dir, 'dist') } });
  const site = await serveStatic(join(dir, 'dist'));
  const samples = [];
  try {
    const browser = await launchChromium();
    try {
      for (let i = 0; i < runs; i++) samples.push(await pageSample(browser, site, server));
    } finally {
      await browser.close();
    }
  } finally {
    await site.close();
  }
  const med = (k) => median(samples.map((s) => s[k]));
  return Object.fromEntries(Object.keys(samples[0]).map((k) => [k, med(k)]));
}

/** Ms from creating Miniflare to the first answer of `script`: load and first request
 * together, since a client costs less than Miniflare's noise in either alone. */
async function workerSample(script, server) {
  const t0 = performance.now();
  const mf = runWorker(script, { API_URL: server.apiUrl, API_KEY: server.apiKey });
  try {
    const text = await (await mf.dispatchFetch('http://worker/')).text();
    if (text !== 'ok') throw new Error(`workerd start-up Worker answered ${text.slice(0, 160)}`);
    return performance.now() - t0;
  } finally {
    await mf.dispose();
  }
}

async function workerdStartup(server, runs) {
  const scripts = {};
  for (const [name, source] of Object.entries(workers)) {
    const dir = join(apps, `worker-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'worker.js'), source);
    await bundleWorker(join(dir, 'worker.js'), join(dir, 'dist/worker.mjs'), { minify: true });
    scripts[name] = join(dir, 'dist/worker.mjs');
  }
  // A pair first, not counted (workerd's first start pays for warming up alone); then the
  // two Workers take turns going first.
  const samples = { sdk: [], empty: [] };
  for (let i = 0; i <= runs; i++) {
    for (const name of i % 2 ? ['sdk', 'empty'] : ['empty', 'sdk']) {
      const ms = await workerSample(scripts[name], server);
      if (i > 0) samples[name].push(ms);
    }
  }
  const [sdkMs, emptyMs] = [median(samples.sdk), median(samples.empty)];
  return { sdkMs, emptyMs, overMs: sdkMs - emptyMs };
}

/** `{ chromium: { tinyImportMs, importMs, constructMs, firstAnswerMs }, workerd: { sdkMs, emptyMs, overMs } }`, medians. */
export async function measureWebStartup({ server, runs }) {
  freshAppsDir(apps);
  return { chromium: await chromiumStartup(server, runs), workerd: await workerdStartup(server, runs) };
}
