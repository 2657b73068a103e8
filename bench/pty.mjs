// PTY: keystroke-to-echo latency (200 keys, after 20 to warm up) and output throughput (64 MiB printed by the
// shell) through an SDK's createPty; and, as the ceiling, the same print read straight from
// a kernel PTY on this machine (no server, no SDK).
import { execFileSync } from 'node:child_process';
import { summary } from './stats.mjs';

const KERNEL_PTY = `
import os, pty, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("python3", ["python3", "-c", "import sys; sys.stdout.buffer.write(b'x' * (64 << 20))"])
t, n = time.time(), 0
while True:
    try:
        b = os.read(fd, 1 << 16)
    except OSError:
        break
    if not b:
        break
    n += len(b)
print(n / (time.time() - t) / 1e6)
`;

/** MB/s of 64 MiB read from a kernel PTY by a plain read loop: what no server can beat here. */
export function measureKernelPty() {
  return { mbps: Number(execFileSync('python3', ['-c', KERNEL_PTY], { encoding: 'utf8' }).trim()) };
}

export async function measurePty(sandbox, label) {
  let received = 0, waiting = null, text = '';
  const id = `bench-${label}`;
  const pty = await sandbox.process.createPty({ id, onData: (d) => {
    received += d.length;
    // Only the tail matters for finding the mark (scanning all of 64 MiB each time would not be fair).
    if (waiting) { text = (text + new TextDecoder().decode(d)).slice(-64); if (text.includes(waiting.mark)) { const w = waiting; waiting = null; w.done(); } }
  } });
  await pty.waitForConnection();
  await new Promise((r) => setTimeout(r, 500)); // the prompt
  const lat = [];
  // 20 keys first, not counted: whichever SDK goes first would otherwise pay for warming
  // up the JIT and the server's PTY path alone.
  for (let i = 0; i < 220; i++) {
    const mark = String.fromCharCode(97 + (i % 26));
    const t = performance.now();
    await Promise.race([
      new Promise((done) => { text = ''; waiting = { mark, done }; pty.sendInput(mark); }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no echo for key ${i}: ${JSON.stringify(text)}`)), 5000)),
    ]);
    if (i >= 20) lat.push(performance.now() - t);
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
  const mbps = ((received - before) / 1e6) / ((performance.now() - t) / 1000);
  await sandbox.process.killPtySession(id);
  return { ...summary(lat), mbps };
}
