// SSH access with the system's OpenSSH client, through both SDKs: a token opens a shell in
// its own sandbox (with pipes and with a terminal), a revoked token ends its open session
// and is refused after, and a new access replaces the old one; `ssh -L` reaches the sandbox's
// own ports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import * as official from '@daytonaio/sdk';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const CLIENT_OPTIONS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'];

/** `sshCommand` split into OpenSSH's arguments, with our client options before the destination. */
function sshArgs(sshCommand, ...rest) {
  const [, ...args] = sshCommand.split(' ');
  return [...CLIENT_OPTIONS, ...args, ...rest];
}

/** Runs ssh to the end: { code, stdout, stderr }. */
function ssh(args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`ssh timed out: ${stderr}`)); }, 30_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(input);
  });
}

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: SSH access opens a shell in the right sandbox until revoked`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const [sb, other] = await Promise.all([daytona.create(), daytona.create()]);
    try {
      await sb.process.executeCommand(`echo "sandbox ${sb.id}" > whoami.txt`);
      const access = await sb.createSshAccess(5);
      assert.equal(access.sandboxId, sb.id);
      assert.match(access.token, /^[A-Za-z0-9]{32}$/);
      assert.match(access.sshCommand, new RegExp(`^ssh -p \\d+ ${access.token}@127\\.0\\.0\\.1$`));
      const minutes = (Date.parse(access.expiresAt) - Date.parse(access.createdAt)) / 60_000;
      assert.equal(minutes, 5);
      assert.deepEqual(await sb.validateSshAccess(access.token), { valid: true, sandboxId: sb.id });

      // A command with pipes: exact stdout, stderr apart, the exit code carried back.
      const exec = await ssh(sshArgs(access.sshCommand, 'cat whoami.txt; pwd; echo oops >&2; exit 7'));
      assert.equal(exec.stdout, `sandbox ${sb.id}\n/home/daytona\n`);
      assert.equal(exec.stderr, 'oops\n');
      assert.equal(exec.code, 7);

      // The shell reading commands from the client.
      const piped = await ssh(sshArgs(access.sshCommand), 'echo piped-$((6*7))\ncat whoami.txt\n');
      assert.equal(piped.stdout, `piped-42\nsandbox ${sb.id}\n`);
      assert.equal(piped.code, 0);

      // An interactive shell on a terminal stays open until the token is revoked.
      const shell = spawn('ssh', sshArgs(access.sshCommand, '-tt'), { stdio: ['pipe', 'pipe', 'pipe'] });
      const closed = new Promise((resolve) => shell.on('close', resolve));
      let screen = '';
      shell.stdout.on('data', (d) => { screen += d; });
      shell.stdin.write('stty size; echo term-$((6*7))\n');
      for (let i = 0; i < 100 && !screen.includes('term-42'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(screen, /24 80\r?\n/, screen);
      assert.match(screen, /term-42/, screen);

      await sb.revokeSshAccess(access.token);
      const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 10_000))]);
      assert.notEqual(code, 'still open', 'revoking the token ends its session');
      shell.kill();
      assert.deepEqual(await sb.validateSshAccess(access.token), { valid: false, sandboxId: null });
      const refused = await ssh(sshArgs(access.sshCommand, 'echo in'));
      assert.equal(refused.code, 255);
      assert.match(refused.stderr, /Permission denied/);

      // An access expires: this one after 3 s (Daytona's API takes fractions of a minute).
      const brief = await other.createSshAccess(0.05);
      assert.equal(Date.parse(brief.expiresAt) - Date.parse(brief.createdAt), 3000);
      assert.equal((await ssh(sshArgs(brief.sshCommand, 'echo in'))).stdout, 'in\n');
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(brief.expiresAt) - Date.now()) + 300));
      assert.deepEqual(await other.validateSshAccess(brief.token), { valid: false, sandboxId: null });
      assert.equal((await ssh(sshArgs(brief.sshCommand, 'echo in'))).code, 255, 'an expired token is refused');

      // A new access replaces the earlier one; each token opens only its own sandbox.
      const first = await other.createSshAccess();
      const second = await other.createSshAccess(1);
      assert.equal((await sb.validateSshAccess(first.token)).valid, false);
      const there = await ssh(sshArgs(second.sshCommand, 'cat whoami.txt 2>&1; echo $?'));
      assert.match(there.stdout, /No such file[\s\S]*\n1\n$/);
      assert.equal((await ssh(sshArgs(first.sshCommand, 'true'))).code, 255);
    } finally {
      await Promise.all([sb.delete(), other.delete()]);
    }
  });
}

test('ssh -L reaches a port on the sandbox\'s own loopback; other hosts are refused', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const sb = await daytona.create();
  const tunnels = [];
  /** `ssh -N -L PORT:target` in the background, on a free local port; resolves that port. */
  const forward = async (access, target) => {
    const port = await new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); }); });
    const [, ...dest] = access.sshCommand.split(' ');
    // The first value of an option wins: INFO, so that a refused forward is reported.
    const child = spawn('ssh', ['-o', 'LogLevel=INFO', ...CLIENT_OPTIONS, '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `${port}:${target}`, ...dest], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderrText = '';
    child.stderr.on('data', (d) => { child.stderrText += d; });
    tunnels.push(child);
    return { port, child };
  };
  const get = async (port) => {
    for (let i = 0; i < 100; i++) {
      try { return await (await fetch(`http://127.0.0.1:${port}/who`)).text(); } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    return 'unreachable';
  };
  try {
    await sb.process.createSession('web');
    await sb.process.executeSessionCommand('web', { command: 'cd /tmp && echo forwarded > who && exec python3 -m http.server 3000 --bind 127.0.0.1', runAsync: true });
    await sb.process.executeCommand('for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:3000/ && break; sleep 0.1; done');
    const access = await sb.createSshAccess(5);
    const ok = await forward(access, 'localhost:3000');
    assert.equal(await get(ok.port), 'forwarded\n');
    const away = await forward(access, 'example.com:80');
    // Once ssh listens, a connection opens a channel, which the server refuses.
    const connects = () => new Promise((r) => connect(away.port, '127.0.0.1').on('connect', function () { this.destroy(); r(true); }).on('error', () => r(false)));
    for (let i = 0; i < 100 && !(await connects()); i++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 50 && !away.child.stderrText.includes('open failed'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(away.child.stderrText, /open failed: administratively prohibited/);
  } finally {
    tunnels.forEach((t) => t.kill());
    await sb.delete();
  }
});
