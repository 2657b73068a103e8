// Type tests: the package's index.d.ts under `tsc --strict`, and parity with @daytonaio/sdk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const project = (name) => fileURLToPath(new URL(name, import.meta.url));

function typecheck(config) {
  try {
    execFileSync(process.execPath, [tsc, '-p', project(config)], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return e.stdout + e.stderr;
  }
}

test('official-style usage type-checks under --strict, and misuse is rejected', () => {
  assert.equal(typecheck('tsconfig.json'), '');
});

test('Sandbox members are assignable to the official SDK\'s', () => {
  assert.equal(typecheck('tsconfig.parity.json'), '');
});
