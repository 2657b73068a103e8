// daytona-local: time from `create` to the first command's result, and (after a stop) from
// `start` to it, over `n` sandboxes one after another through daytona-wasm.
import { summary } from './stats.mjs';

export async function measureCreate(daytona, n = 100) {
  const create = [], start = [];
  const sandboxes = [];
  try {
    for (let i = 0; i < n + 5; i++) {
      let t = performance.now();
      const sb = await daytona.create();
      sandboxes.push(sb);
      const r = await sb.process.executeCommand('echo ready');
      const created = performance.now() - t;
      if (r.result !== 'ready\n') throw new Error(`unexpected result ${JSON.stringify(r.result)}`);
      await sb.stop();
      t = performance.now();
      await sb.start();
      await sb.process.executeCommand('echo ready');
      const started = performance.now() - t;
      // The first five warm up the server and the JIT.
      if (i >= 5) { create.push(created); start.push(started); }
    }
  } finally {
    for (const sb of sandboxes) await sb.delete();
  }
  return { create: summary(create), start: summary(start) };
}
