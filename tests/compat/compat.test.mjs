// The compatibility suite: small TypeScript programs written for today's official SDK
// (`programs/`), run unchanged against daytona-local with `@daytonaio/sdk`, then with only
// the import changed to `daytona-wasm` in Node 20 (no flags), Node 22, Bun, Deno and an
// esbuild bundle for Node, and those that use no Node module also bundled by esbuild for the
// browser and run in Chromium, and bundled as wrangler does and run in workerd (the page and
// the Worker give them `process.env`, as a bundler's define would); each run's printed lines
// must equal the official SDK's. Both versions of every
// program also type-check under `tsc --strict`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startServer } from '../daytona-local-harness.mjs';
import { RUNTIMES } from '../runtimes/bins.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';
import { bundleWorker, runWorker } from '../workerd/wrangler-like.mjs';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = fileURLToPath(new URL('../..', import.meta.url));
const programsDir = fileURLToPath(new URL('./programs', import.meta.url));
const PROGRAMS = readdirSync(programsDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();

// The programs that import no Node module, which a browser can run.
const IN_BROWSERS = new Set(['lifecycle', 'platform', 'process', 'pty']);

let server, app, site, browser;
before(async () => {
  server = await startServer();
  // An app that depends on both packages as a user's would.
  app = mkdtempSync(join(tmpdir(), 'compat-app-'));
  mkdirSync(join(app, 'node_modules/@daytonaio'), { recursive: true });
  symlinkSync(join(root, 'node_modules/@daytonaio/sdk'), join(app, 'node_modules/@daytonaio/sdk'));
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules/daytona-wasm'));
  symlinkSync(join(root, 'node_modules/@types'), join(app, 'node_modules/@types'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', dependencies: { '@daytonaio/sdk': '*', 'daytona-wasm': '*' } }));
  for (const sdk of ['official', 'wasm']) {
    mkdirSync(join(app, sdk));
    for (const name of PROGRAMS) {
      let source = readFileSync(join(programsDir, `${name}.ts`), 'utf8');
      // The one change a user makes: the import.
      if (sdk === 'wasm') source = source.replaceAll("from '@daytonaio/sdk'", "from 'daytona-wasm'");
      writeFileSync(join(app, sdk, `${name}.ts`), source);
      // For Node 20, which cannot run TypeScript: the same program with its types removed.
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      writeFileSync(join(app, sdk, `${name}.mjs`), js);
    }
  }
  mkdirSync(join(app, 'web'));
  site = await serveStatic(join(app, 'web'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

let runs = 0;
/** Runs one program file and returns its printed lines. */
async function run(cmd, args, file) {
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    DAYTONA_API_KEY: server.apiKey, DAYTONA_API_URL: server.apiUrl, COMPAT_RUN: `run-${runs++}`,
  };
  const { stdout } = await promisify(execFile)(cmd, [...args, file], { env, cwd: app, timeout: 120000 });
  return stdout.trim().split('\n');
}

test('every program type-checks with both packages under --strict', () => {
  for (const sdk of ['official', 'wasm']) {
    const files = PROGRAMS.map((name) => join(app, sdk, `${name}.ts`));
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'], skipLibCheck: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(errors, [], `${sdk}: ${errors.join('\n')}`);
  }
});

const node22 = RUNTIMES['node 22'][0];
const OURS = {
  'node 20 (no flags)': (name) => run(process.execPath, [], join(app, 'wasm', `${name}.mjs`)),
  'node 22': (name) => run(node22, [], join(app, 'wasm', `${name}.ts`)),
  bun: (name) => run(RUNTIMES.bun[0], [], join(app, 'wasm', `${name}.ts`)),
  deno: (name) => run(RUNTIMES.deno[0], RUNTIMES.deno.slice(1), join(app, 'wasm', `${name}.ts`)),
  'esbuild bundle (node 22)': async (name) => {
    const out = join(app, 'bundles', `${name}.mjs`);
    await build({ entryPoints: [join(app, 'wasm', `${name}.ts`)], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
    return run(node22, [], out);
  },
};

/** Bundles a program for the browser and runs it in a Chromium page; returns what it logged. */
async function runInChromium(name) {
  await build({ entryPoints: [join(app, 'wasm', `${name}.ts`)], bundle: true, format: 'esm', outfile: join(app, 'web', `${name}.js`), logLevel: 'error' });
  const env = { DAYTONA_API_KEY: server.apiKey, DAYTONA_API_URL: server.apiUrl, COMPAT_RUN: `run-${runs++}` };
  writeFileSync(join(app, 'web', `${name}.html`), `<!doctype html><meta charset="utf-8"><script>
globalThis.process = { env: ${JSON.stringify(env)} };
window.lines = [];
const log = console.log.bind(console);
console.log = (...args) => { window.lines.push(args.map(String).join(' ')); log(...args); };
import('./${name}.js').then(() => { window.done = true; }, (e) => { window.failed = String(e) + '\\n' + e.stack; });
</script>`);
  const page = await browser.newPage();
  try {
    await page.goto(`${site.url}/${name}.html`);
    await page.waitForFunction(() => window.done || window.failed, null, { timeout: 120000 });
    const { lines, failed } = await page.evaluate(() => ({ lines: window.lines, failed: window.failed }));
    assert.equal(failed, undefined);
    return lines;
  } finally {
    await page.close();
  }
}

/** Runs a program in workerd. A Worker may do no I/O while its module loads, so the
 * program's body becomes a function its `fetch` calls, with `process.env` from its bindings. */
async function runInWorkerd(name) {
  const dir = join(app, 'workerd', name);
  mkdirSync(dir, { recursive: true });
  const lines = readFileSync(join(app, 'wasm', `${name}.mjs`), 'utf8').split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  writeFileSync(join(dir, 'program.mjs'), `${imports.join('\n')}\nexport async function main() {\n${body.join('\n')}\n}\n`);
  writeFileSync(join(dir, 'worker.mjs'), `import { main } from './program.mjs';
export default {
  async fetch(request, env) {
    const lines = [];
    globalThis.process = { env: { ...env } };
    const log = console.log;
    console.log = (...args) => lines.push(args.map(String).join(' '));
    try {
      await main();
      return Response.json({ ok: true, lines });
    } catch (e) {
      return Response.json({ ok: false, error: String(e), stack: e.stack });
    } finally {
      console.log = log;
    }
  },
};
`);
  await bundleWorker(join(dir, 'worker.mjs'), join(dir, 'out', 'worker.mjs'));
  const mf = runWorker(join(dir, 'out', 'worker.mjs'), { DAYTONA_API_KEY: server.apiKey, DAYTONA_API_URL: server.apiUrl, COMPAT_RUN: `run-${runs++}` });
  try {
    const result = await (await mf.dispatchFetch('http://worker/')).json();
    assert.equal(result.ok, true, result.error + '\n' + result.stack);
    return result.lines;
  } finally {
    await mf.dispose();
  }
}

for (const name of PROGRAMS) {
  test(`${name}: the same output with daytona-wasm as with @daytonaio/sdk, in every runtime`, async () => {
    const reference = await run(node22, [], join(app, 'official', `${name}.ts`));
    assert.ok(reference.length >= 2, `the official SDK printed: ${reference.join('\n')}`);
    console.log(`# ${name}: ${reference.length} lines`);
    for (const [runtime, runOurs] of Object.entries(OURS)) {
      assert.deepEqual(await runOurs(name), reference, `${name} in ${runtime}`);
    }
    if (IN_BROWSERS.has(name)) {
      assert.deepEqual(await runInChromium(name), reference, `${name} in Chromium`);
      assert.deepEqual(await runInWorkerd(name), reference, `${name} in workerd`);
    }
  });
}
