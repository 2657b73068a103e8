// Starts a private daytona-local for a test file: free port, temp data dir, its own key.
// Stop it with `await server.stop()`; `kill()` simulates a crash (SIGKILL).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * This host's first non-loopback IPv4 address. Sandboxes reach servers a test starts there
 * through their user-mode network, as any address beyond the host; the host's loopback is
 * not theirs to reach.
 */
export const HOST_ADDRESS = Object.values(networkInterfaces()).flat().find((i) => i.family === 'IPv4' && !i.internal)?.address;

export const serverBin = process.env.DAYTONA_LOCAL_BIN ?? join(root, 'target/debug/daytona-local');

export async function startServer({ dataDir, apiKey = 'test-key-' + process.pid, listen = '127.0.0.1:0', args = [], env = {} } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'daytona-local-test-'));
  const child = spawn(serverBin, ['--listen', listen, '--data-dir', dir, '--api-key', apiKey, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DAYTONA_LOCAL_LOG: process.env.DAYTONA_LOCAL_LOG ?? 'warn', ...env },
  });
  child.stderr.on('data', (d) => process.stderr.write(d));
  const apiUrl = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('daytona-local did not start within 20 s')), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^DAYTONA_API_URL=(\S+)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`daytona-local exited with ${code}`)); });
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    apiUrl, apiKey, dataDir: dir, child,
    kill: async () => { child.kill('SIGKILL'); await exited; },
    stop: async ({ keepData = false } = {}) => {
      if (child.exitCode === null && child.signalCode === null) { child.kill('SIGTERM'); await exited; }
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets `server`'s fault-injection rules (`PUT /api/local/faults`); none clears them. */
export async function setFaults(server, rules = []) {
  const r = await fetch(`${server.apiUrl}/local/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules }),
  });
  if (r.status !== 200) throw new Error(`setting fault rules: ${r.status} ${await r.text()}`);
}

/** The fault rules in force on `server`, with what is left of their `times`. */
export async function faultRules(server) {
  const r = await fetch(`${server.apiUrl}/local/faults`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  return (await r.json()).rules;
}

/** Polls `check` (which may be async) every 20 ms until it holds; fails naming `what` after `ms`. */
export async function until(check, what, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    if (await check()) return;
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** What `fn()` settled to, `{ v }` or `{ e }`, and how long it took in `ms`. */
export async function elapsed(fn) {
  const t = performance.now();
  const out = await fn().then((v) => ({ v }), (e) => ({ e }));
  return { ...out, ms: performance.now() - t };
}
