// The README's quickstart runs as documented against a daytona-local.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

test('examples/quickstart.mjs prints each step', async () => {
  const script = fileURLToPath(new URL('../../examples/quickstart.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script], {
    env: { ...process.env, DAYTONA_API_URL: server.apiUrl, DAYTONA_API_KEY: server.apiKey },
  });
  const steps = stdout.trim().split('\n');
  assert.equal(steps.length, 7, stdout);
  assert.match(steps[0], /^• created sandbox \S+ \(started,/);
  assert.match(steps[2], /output "hello from Linux\\n"/);
  assert.match(steps[3], /ran it: 45$/);
  assert.match(steps[6], /^• deleted sandbox/);
});
