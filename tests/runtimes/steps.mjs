// Runs the shared lifecycle and process steps through the package's Node entry (the
// one Bun and Deno pick too, by their export conditions) and prints them as one JSON line.
// Usage: <runtime> steps.mjs, with STEPS_API_URL and STEPS_API_KEY set (not the DAYTONA_ names:
// one step checks that a client without a key, and none in the environment, is refused).
import * as sdk from 'daytona-wasm';
import { runLifecycle, runProcess } from '../lifecycle-steps.mjs';

const env = (name) => globalThis.Deno?.env.get(name) ?? globalThis.process?.env[name];
const options = { apiUrl: env('STEPS_API_URL'), apiKey: env('STEPS_API_KEY'), runtime: env('RUNTIME') };
try {
  const steps = {
    lifecycle: await runLifecycle(sdk, options),
    process: await runProcess(sdk, options),
  };
  console.log(JSON.stringify({ ok: true, steps, version: globalThis.Bun?.version ?? globalThis.Deno?.version.deno ?? globalThis.process?.version }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e), stack: e.stack }));
}
