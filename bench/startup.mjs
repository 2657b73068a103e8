// Node cold start: CPU ms to import each SDK and construct a client, over an empty `node`
// process (medians of alternating fresh processes).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const probe = (spec) => `
  const t0 = performance.now();
  const { Daytona } = await import(${JSON.stringify(spec)});
  new Daytona({ apiKey: 'k', apiUrl: 'http://127.0.0.1:9/api', target: 'local' });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
  process.exit(0);`;
// The empty process reads the clock too: Node loads perf_hooks on the first `performance`
// access (about 2 ms of CPU here), which is the probe's cost, not the SDK's.
const empty = 'const t0 = performance.now(); const cpu = process.cpuUsage(); console.log(JSON.stringify({ ms: 0, cpuMs: (cpu.user + cpu.system) / 1000 }));';

function sample(node, code) {
  const out = execFileSync(node, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/** `{ sdkName: { wallMs, cpuMs } }` with cpuMs over an empty process of the same `node`. */
export function measureStartup(sdks, runs = 15, node = process.execPath) {
  const samples = { empty: [], ...Object.fromEntries(Object.keys(sdks).map((k) => [k, []])) };
  for (let i = 0; i < runs; i++) {
    samples.empty.push(sample(node, empty));
    for (const [name, spec] of Object.entries(sdks)) samples[name].push(sample(node, probe(spec)));
  }
  const baseCpu = median(samples.empty.map((s) => s.cpuMs));
  return Object.fromEntries(Object.keys(sdks).map((name) => [name, {
    wallMs: median(samples[name].map((s) => s.ms)),
    cpuMs: median(samples[name].map((s) => s.cpuMs)) - baseCpu,
  }]));
}
