// Startup benchmark: package size, and Node import + construct time of daytona-wasm next to
// the official @daytonaio/sdk, measured in the same run (medians of alternating runs).
// Usage: node bench/startup.mjs [runs]   (needs ./scripts/build-pkg.sh first)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const sdks = {
  'daytona-wasm': `${root}pkg/node.mjs`,
  '@daytonaio/sdk 0.218.0': '@daytonaio/sdk',
};

// One fresh process per sample: time from before the import to a constructed client.
const probe = (spec) => `
  const t0 = performance.now();
  const { Daytona } = await import(${JSON.stringify(spec)});
  new Daytona({ apiKey: 'k', apiUrl: 'http://127.0.0.1:9/api', target: 'local' });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
  process.exit(0);`;
const empty = `const cpu = process.cpuUsage(); console.log(JSON.stringify({ ms: 0, cpuMs: (cpu.user + cpu.system) / 1000 }));`;

function sample(code) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const samples = { empty: [], ...Object.fromEntries(Object.keys(sdks).map((k) => [k, []])) };
for (let i = 0; i < runs; i++) {
  samples.empty.push(sample(empty));
  for (const [name, spec] of Object.entries(sdks)) samples[name].push(sample(probe(spec)));
}

const size = (p) => { const b = readFileSync(p); return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length }; };
const wasm = size(`${root}pkg/web/daytona_wasm_bg.wasm`);
const glue = size(`${root}pkg/web/daytona_wasm.js`);
console.log(`daytona-wasm package: wasm ${wasm.raw} B (gzip ${wasm.gzip} B) + glue ${glue.raw} B (gzip ${glue.gzip} B) = ${wasm.raw + glue.raw} B (gzip ${wasm.gzip + glue.gzip} B)`);

const baseCpu = median(samples.empty.map((s) => s.cpuMs));
console.log(`\nNode ${process.version}, ${runs} runs each, medians (CPU over an empty node process: ${baseCpu.toFixed(1)} ms)\n`);
console.log('| SDK | import + construct (wall ms) | CPU ms over empty node |');
console.log('|---|---|---|');
const rows = {};
for (const name of Object.keys(sdks)) {
  rows[name] = { wall: median(samples[name].map((s) => s.ms)), cpu: median(samples[name].map((s) => s.cpuMs)) - baseCpu };
  console.log(`| ${name} | ${rows[name].wall.toFixed(1)} | ${rows[name].cpu.toFixed(1)} |`);
}
const [ours, theirs] = Object.values(rows);
console.log(`\nratio official / daytona-wasm: wall ${(theirs.wall / ours.wall).toFixed(2)}x, CPU ${(theirs.cpu / ours.cpu).toFixed(2)}x`);
