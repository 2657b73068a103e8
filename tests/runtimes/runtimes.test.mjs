// The package in Node 20 (no flags), Node 22, Bun and Deno (from npm, pinned in this folder's package.json),
// each resolving `daytona-wasm` by its own export condition: the same lifecycle and process
// steps as in Chromium and workerd, against daytona-local. (The file steps there expect a
// string source to be refused; these runtimes take it as a local path, as Node does.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer } from '../daytona-local-harness.mjs';
import { EXPECTED_STEPS, EXPECTED_PROCESS_STEPS } from '../lifecycle-steps.mjs';
import { RUNTIMES } from './bins.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');

let server, app;
before(async () => {
  server = await startServer();
  // An app folder that depends on the package as a user's would (node_modules/daytona-wasm).
  app = mkdtempSync(join(tmpdir(), 'runtime-app-'));
  mkdirSync(join(app, 'node_modules'));
  mkdirSync(join(app, 'tests'));
  symlinkSync(join(root, 'pkg'), join(app, 'node_modules', 'daytona-wasm'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'daytona-wasm': '*' } }));
  copyFileSync(join(root, 'tests/lifecycle-steps.mjs'), join(app, 'tests/lifecycle-steps.mjs'));
  mkdirSync(join(app, 'tests/runtimes'));
  copyFileSync(join(here, 'steps.mjs'), join(app, 'tests/runtimes/steps.mjs'));
});
after(async () => {
  await server?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

for (const [name, [exe, ...args]] of Object.entries(RUNTIMES)) {
  test(`${name}: lifecycle, errors, process, sessions, PTY, interpreter and local files through the package`, async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, STEPS_API_URL: server.apiUrl, STEPS_API_KEY: server.apiKey, RUNTIME: name.replace(' ', '') };
    const { stdout } = await promisify(execFile)(exe, [...args, join(app, 'tests/runtimes/steps.mjs')], { env, cwd: app, timeout: 120000 });
    const result = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(result.ok, true, result.error + '\n' + result.stack);
    console.log(`# ${name}: ${result.version}`);
    assert.deepEqual(result.steps.lifecycle, EXPECTED_STEPS);
    assert.deepEqual(result.steps.process, EXPECTED_PROCESS_STEPS);
    assert.deepEqual(result.steps.localFiles, { toDisk: true, buffer: true, readable: true, failedWrite: true });
  });
}
