// The benchmark command keeps working: a --quick run (small sizes, debug server, written to
// tests/.out/bench) finishes, measures every section, and daytona-wasm's builds run in
// Chromium and workerd while the official SDK's do not (no polyfills on either side).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('bench/report.mjs --quick measures every section', () => {
  const run = spawnSync(process.execPath, ['bench/report.mjs', '--quick'], { cwd: root, encoding: 'utf8', timeout: 540_000 });
  assert.equal(run.status, 0, run.stderr.slice(-3000));
  const r = JSON.parse(readFileSync(`${root}tests/.out/bench/results.json`, 'utf8'));
  const ours = r.bundles['daytona-wasm'], theirs = r.bundles[r.official];
  assert.deepEqual([ours.browser.loads, ours.worker.loads], ['yes', 'yes']);
  assert.notEqual(theirs.browser.loads, 'yes');
  assert.notEqual(theirs.worker.loads ?? theirs.worker.built, 'yes');
  for (const op of ['get', 'executeCommand', 'upload 1 KiB', 'download 1 KiB']) {
    for (const client of ['raw', 'wasm', 'official']) assert.ok(r.calls[op][client].p50 > 0, `${op} ${client}`);
  }
  assert.ok(Object.values(r.startup).every((s) => s['daytona-wasm'].cpuMs > 0), 'cold start measured');
  const web = r.webStartup.chromium;
  assert.ok(web.importMs > 0 && web.constructMs >= 0 && web.firstAnswerMs > 0, 'Chromium start-up measured');
  const worker = r.webStartup.workerd;
  assert.ok(worker.sdkMs > 0 && worker.emptyMs > 0 && Number.isFinite(worker.overMs), 'workerd start-up measured');
  assert.ok(r.transfer['wasm upload'].mbps > 0 && r.transfer['wasm download'].mbps > 0);
  assert.ok(r.pty['daytona-wasm'].p50 > 0 && r.pty['daytona-wasm'].mbps > 0 && r.kernelPty.mbps > 0);
  assert.ok(r.create.create.p50 > 0 && r.createBare.create.p50 > 0);
  assert.deepEqual(r.concurrency.errors, []);
  assert.equal(r.concurrency.ran, r.N.clients * r.N.commands);
  assert.ok(statSync(`${root}tests/.out/bench/chart.png`).size > 10_000, 'the chart was drawn');
  assert.match(readFileSync(`${root}tests/.out/bench/REPORT.md`, 'utf8'), /\| target \| measured \| met \|/);
});
