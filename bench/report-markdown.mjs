// The report's Markdown: one table per measurement, then the issue's targets, met or not.
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const ms = (x) => x.toFixed(2);
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function renderReport(r, { FIRST_LOAD_GZIP, WHOLE_GZIP, OFFICIAL }) {
  const sdks = ['daytona-wasm', OFFICIAL];
  const build = (b) => (b.built === 'yes' ? [kb(b.raw), kb(b.gzip), b.loads] : [`build fails: ${b.built.slice(4)}`, '–', 'no']);
  const overhead = (op) => r.calls[op].wasm.p50 / r.calls[op].raw.p50 - 1;

  const official = (op) => r.calls[op].official;
  const [ours, theirs] = [r.pty['daytona-wasm'], r.pty[OFFICIAL]];
  const transfer = (dir) => [r.transfer[`wasm ${dir}`], r.transfer[`official ${dir}`]];
  const node22 = Object.entries(r.startup).filter(([node]) => node.startsWith('Node v22'));
  const targets = [
    // One module: the first load is the whole package.
    { name: `first load (wasm + JS) ≤ ${kb(FIRST_LOAD_GZIP)} gzip`, value: kb(r.size.gzip), met: r.size.gzip <= FIRST_LOAD_GZIP },
    { name: `whole package ≤ ${kb(WHOLE_GZIP)} gzip`, value: kb(r.size.gzip), met: r.size.gzip <= WHOLE_GZIP },
    ...node22.map(([node, s]) => ({ name: `${node} cold start ≤ 15 ms CPU`, value: `${s['daytona-wasm'].cpuMs.toFixed(1)} ms`, met: s['daytona-wasm'].cpuMs <= 15 })),
    ...Object.keys(r.calls).map((op) => ({ name: `${op}: p50 within 10% of raw fetch`, value: `${(100 * overhead(op)).toFixed(1)}%`, met: overhead(op) <= 0.1 })),
    ...Object.keys(r.calls).map((op) => ({ name: `${op}: p99 ≤ the official SDK's`, value: `${ms(r.calls[op].wasm.p99)} vs ${ms(official(op).p99)} ms`, met: r.calls[op].wasm.p99 <= official(op).p99 })),
    { name: 'PTY echo p50 and p99 ≤ the official SDK\'s', value: `${ms(ours.p50)} / ${ms(ours.p99)} vs ${ms(theirs.p50)} / ${ms(theirs.p99)} ms`, met: ours.p50 <= theirs.p50 && ours.p99 <= theirs.p99 },
    { name: 'PTY throughput ≥ the official SDK\'s and ≥ 100 MB/s', value: `${ours.mbps.toFixed(0)} vs ${theirs.mbps.toFixed(0)} MB/s (kernel PTY alone: ${r.kernelPty.mbps.toFixed(0)})`, met: ours.mbps >= theirs.mbps && ours.mbps >= 100 },
    ...['upload', 'download'].map((dir) => {
      const [w, o] = transfer(dir);
      return { name: `${r.N.mib} MiB ${dir} ≥ the official SDK's, RSS growth ≤ 64 MiB in every run`, value: `${w.mbps.toFixed(0)} vs ${o.mbps.toFixed(0)} MB/s, ${w.rssMiB.toFixed(1)} MiB`, met: w.mbps >= o.mbps && w.rssMiB <= 64 };
    }),
    { name: 'create → first result p50 < 25 ms', value: `${r.create.create.p50.toFixed(1)} ms`, met: r.create.create.p50 < 25 },
    { name: `${r.concurrency.clients} concurrent clients × ${r.concurrency.commands} commands, zero errors`, value: `${r.concurrency.errors.length} errors`, met: r.concurrency.errors.length === 0 && r.concurrency.ran === r.concurrency.clients * r.concurrency.commands },
  ];

  const webLoads = ['browser', 'worker'].some((k) => r.bundles[OFFICIAL][k].loads === 'yes') ? '' : `; ${OFFICIAL} loads in neither`;
  const markdown = `# Benchmark report

${r.date.slice(0, 10)}, one run of \`scripts/bench.sh\` on this ${r.cpus}-core machine, Node ${r.node}, ${r.quick ? 'debug daytona-local (**--quick**: small sizes and a debug build, not a measurement)' : 'release daytona-local'}. Both SDKs talk to the same server.

### Targets

${table(['target', 'measured', 'met'], targets.map((t) => [t.name, t.value, t.met ? 'yes' : '**no**']))}

### Bundle size of a small app (create a sandbox, run a command), and does it load without polyfills

The package alone (wasm + every JS file the browser entry loads): ${kb(r.size.raw)}, **${kb(r.size.gzip)} gzip** (wasm ${kb(r.size.wasm.gzip)}, JS ${kb(r.size.js.gzip)}).

${table(['SDK', 'browser (Vite) min', 'gzip', 'runs in Chromium', 'Worker (esbuild) min', 'gzip', 'runs in workerd'],
  sdks.map((s) => [s, ...build(r.bundles[s].browser), ...build(r.bundles[s].worker)]))}

### Node cold start (import + construct, median of ${r.N.startup} fresh processes)

${table(['Node', 'SDK', 'wall ms', 'CPU ms over an empty node'], Object.entries(r.startup).flatMap(([node, st]) => sdks.map((s) => [node, s, ms(st[s].wallMs), ms(st[s].cpuMs)])))}

### Start-up in Chromium and workerd (median of ${r.N.webStartup}${webLoads})

${table(['runtime', 'from', 'to', 'ms'], [
  ['Chromium (Vite build, fresh browser context each)', 'dynamic `import()` of a 20-byte module (what any import costs here)', 'module ready', ms(r.webStartup.chromium.tinyImportMs)],
  ['', 'dynamic `import()` of the package', 'module ready (wasm fetched, compiled, instantiated)', ms(r.webStartup.chromium.importMs)],
  ['', 'module ready', '`new Daytona()` returned', ms(r.webStartup.chromium.constructMs)],
  ['', '`new Daytona()` returned', 'first answer (`list()`: a new connection and a CORS preflight)', ms(r.webStartup.chromium.firstAnswerMs)],
  ['workerd (Miniflare, esbuild bundle)', 'Miniflare created', `first answer of a Worker that constructs a client (an empty Worker: ${ms(r.webStartup.workerd.emptyMs)})`, ms(r.webStartup.workerd.sdkMs)],
  ['', '', 'the difference: what the package adds', ms(r.webStartup.workerd.overMs)],
])}

### Per-call latency, ${r.N.calls} calls each (ms)

${table(['call', 'raw fetch p50 / p99', 'daytona-wasm p50 / p99', 'over raw (p50)', `${OFFICIAL} p50 / p99`],
  Object.entries(r.calls).map(([op, c]) => [op, `${ms(c.raw.p50)} / ${ms(c.raw.p99)}`, `${ms(c.wasm.p50)} / ${ms(c.wasm.p99)}`,
    `${(100 * overhead(op)).toFixed(1)}%`, `${ms(c.official.p50)} / ${ms(c.official.p99)}`]))}

### ${r.N.mib} MiB transfer (best of ${r.N.rounds}, each in a fresh process)

${table(['client', 'upload MB/s', 'peak RSS growth', 'download MB/s', 'peak RSS growth'],
  [['raw', 'raw fetch'], ['wasm', 'daytona-wasm'], ['official', OFFICIAL]].map(([k, label]) => [label,
    r.transfer[`${k} upload`].mbps.toFixed(0), `${r.transfer[`${k} upload`].rssMiB.toFixed(1)} MiB`,
    r.transfer[`${k} download`].mbps.toFixed(0), `${r.transfer[`${k} download`].rssMiB.toFixed(1)} MiB`]))}

### PTY (keystroke → echo over 200 keys; 64 MiB of output)

${table(['SDK', 'echo p50 ms', 'p99 ms', 'throughput MB/s'], [...sdks.map((s) => [s, ms(r.pty[s].p50), ms(r.pty[s].p99), r.pty[s].mbps.toFixed(0)]), ['a kernel PTY read directly (no server, no SDK): the ceiling here', '–', '–', r.kernelPty.mbps.toFixed(0)]])}

### daytona-local

${table(['measurement', 'p50 ms', 'p99 ms'], [
  [`create → first command result (${r.N.sandboxes} sandboxes)`, ms(r.create.create.p50), ms(r.create.create.p99)],
  ['start (after stop) → first command result', ms(r.create.start.p50), ms(r.create.start.p99)],
  ['create → first command result, `--no-isolation` (what isolation costs)', ms(r.createBare.create.p50), ms(r.createBare.create.p99)],
  ['start → first command result, `--no-isolation`', ms(r.createBare.start.p50), ms(r.createBare.start.p99)],
  [`${r.concurrency.clients} concurrent clients, each: create + ${r.concurrency.commands} commands (per command)`, ms(r.concurrency.p50), ms(r.concurrency.p99)],
])}

The concurrent run: ${r.concurrency.ran} commands in ${r.concurrency.seconds.toFixed(1)} s, ${r.concurrency.errors.length} errors.
`;
  return { markdown, targets };
}
