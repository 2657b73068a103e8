// Runs the shared lifecycle and process steps through the package's Node entry (the
// one Bun and Deno pick too, by their export conditions) and prints them as one JSON line.
// Usage: <runtime> steps.mjs, with STEPS_API_URL and STEPS_API_KEY set (not the DAYTONA_ names:
// one step checks that a client without a key, and none in the environment, is refused).
import * as sdk from 'daytona-wasm';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLifecycle, runProcess } from '../lifecycle-steps.mjs';

/** Local paths, as the Node entry gives them to Node-like runtimes: an upload from disk, a
 * multi-MiB download to disk (written in batches), a Buffer and a Readable, a failing write. */
async function runLocalFiles({ apiUrl, apiKey }) {
  const dir = mkdtempSync(join(tmpdir(), 'steps-files-'));
  const sb = await new sdk.Daytona({ apiUrl, apiKey }).create();
  try {
    const data = Buffer.from(Uint8Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => (i * 7) % 251));
    writeFileSync(join(dir, 'in.bin'), data);
    await sb.fs.uploadFile(join(dir, 'in.bin'), 'files/in.bin');
    await sb.fs.downloadFile('files/in.bin', join(dir, 'out', 'out.bin'));
    const inMemory = await sb.fs.downloadFile('files/in.bin');
    const stream = await sb.fs.downloadFileStream('files/in.bin');
    let streamed = 0;
    for await (const chunk of stream) streamed += chunk.length;
    const failedWrite = await sb.fs.downloadFile('files/in.bin', '/dev/full').then(() => 'resolved', (e) => e instanceof Error);
    return {
      toDisk: data.equals(readFileSync(join(dir, 'out', 'out.bin'))),
      buffer: Buffer.isBuffer(inMemory) && data.equals(inMemory),
      readable: typeof stream.pipe === 'function' && streamed === data.length,
      failedWrite,
    };
  } finally {
    await sb.delete();
    rmSync(dir, { recursive: true, force: true });
  }
}

const env = (name) => globalThis.Deno?.env.get(name) ?? globalThis.process?.env[name];
const options = { apiUrl: env('STEPS_API_URL'), apiKey: env('STEPS_API_KEY'), runtime: env('RUNTIME') };
try {
  const steps = {
    lifecycle: await runLifecycle(sdk, options),
    process: await runProcess(sdk, options),
    localFiles: await runLocalFiles(options),
  };
  console.log(JSON.stringify({ ok: true, steps, version: globalThis.Bun?.version ?? globalThis.Deno?.version.deno ?? globalThis.process?.version }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e), stack: e.stack }));
}
