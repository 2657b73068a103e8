// Process benchmark against one daytona-local (release build), in one run:
// executeCommand('true') round trips through daytona-wasm, a raw fetch of the same endpoint
// and the official SDK (median and p99 over N calls); PTY keystroke-to-echo latency and PTY
// throughput for daytona-wasm and the official SDK. Usage: node bench/process.mjs [calls]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (typeof WebSocket === 'undefined') {
  // Node 20 has a global WebSocket only behind a flag.
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const calls = Number(process.argv[2] ?? 500);
const root = fileURLToPath(new URL('..', import.meta.url));
process.env.DAYTONA_LOCAL_BIN ??= join(root, 'target/release/daytona-local');
const { startServer } = await import('../tests/daytona-local-harness.mjs');
const wasm = await import('../pkg/node.mjs');
const official = await import('@daytonaio/sdk');

const server = await startServer();
const ours = new wasm.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
const theirs = new official.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
const sb = await ours.create();
const sbOfficial = await theirs.get(sb.id);
const url = `${server.apiUrl.replace(/\/api$/, '/toolbox')}/${sb.id}/process/execute`;
const headers = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', 'x-daytona-sdk-version': '0.218.0' };

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
async function timeCalls(fn) {
  for (let i = 0; i < 20; i++) await fn();
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { p50: pct(times, 0.5), p99: pct(times, 0.99) };
}

const exec = {
  'raw fetch': await timeCalls(async () => {
    const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ command: 'true' }) });
    if ((await r.json()).exitCode !== 0) throw new Error('raw exec failed');
  }),
  'daytona-wasm': await timeCalls(async () => { await sb.process.executeCommand('true'); }),
  '@daytonaio/sdk 0.218.0': await timeCalls(async () => { await sbOfficial.process.executeCommand('true'); }),
};

async function ptyBench(box, label) {
  let received = 0, waiting = null, text = '';
  const pty = await box.process.createPty({ id: `bench-${label}`, onData: (d) => {
    received += d.length;
    // Only the tail matters for finding the mark (and scanning all of 64 MiB each time would not be fair).
    if (waiting) { text = (text + new TextDecoder().decode(d)).slice(-64); if (text.includes(waiting.mark)) { const w = waiting; waiting = null; w.done(); } }
  } });
  await pty.waitForConnection();
  await new Promise((r) => setTimeout(r, 500)); // the prompt
  const lat = [];
  for (let i = 0; i < 200; i++) {
    const mark = String.fromCharCode(97 + (i % 26));
    const t = performance.now();
    await Promise.race([new Promise((done) => { text = ''; waiting = { mark, done }; pty.sendInput(mark); }), new Promise((_, rej) => setTimeout(() => rej(new Error('no echo for ' + i + ' ' + JSON.stringify(text))), 5000))]);
    lat.push(performance.now() - t);
  }
  await pty.sendInput('\x15'); // erase the typed line
  const mib = 64;
  const before = received;
  const t = performance.now();
  await new Promise((done) => {
    text = '';
    waiting = { mark: 'BENCH-END', done };
    pty.sendInput(`python3 -c "import sys; sys.stdout.buffer.write(b'x' * ${mib * 1024 * 1024}); print('BENCH-' + 'END')"\n`);
  });
  const seconds = (performance.now() - t) / 1000;
  const mbps = ((received - before) / 1e6) / seconds;
  await box.process.killPtySession(`bench-${label}`);
  return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), mbps };
}

const ptyOurs = await ptyBench(sb, 'wasm');
const ptyTheirs = await ptyBench(sbOfficial, 'official');
await sb.delete();
await theirs[Symbol.asyncDispose]();
await server.stop();

console.log(`executeCommand('true'), ${calls} calls each, Node ${process.version}, daytona-local release\n`);
console.log('| client | p50 ms | p99 ms |');
console.log('|---|---|---|');
for (const [k, v] of Object.entries(exec)) console.log(`| ${k} | ${v.p50.toFixed(2)} | ${v.p99.toFixed(2)} |`);
const raw = exec['raw fetch'], w = exec['daytona-wasm'], o = exec['@daytonaio/sdk 0.218.0'];
console.log(`\ndaytona-wasm overhead over raw fetch: ${(100 * (w.p50 / raw.p50 - 1)).toFixed(1)}% (p50); official / daytona-wasm: ${(o.p50 / w.p50).toFixed(2)}x (p50)\n`);
console.log('| PTY | keystroke→echo p50 ms | p99 ms | throughput MB/s |');
console.log('|---|---|---|---|');
console.log(`| daytona-wasm | ${ptyOurs.p50.toFixed(2)} | ${ptyOurs.p99.toFixed(2)} | ${ptyOurs.mbps.toFixed(0)} |`);
console.log(`| @daytonaio/sdk 0.218.0 | ${ptyTheirs.p50.toFixed(2)} | ${ptyTheirs.p99.toFixed(2)} | ${ptyTheirs.mbps.toFixed(0)} |`);
process.exit(0);
