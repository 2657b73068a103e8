// A Worker (no nodejs_compat) that runs one step of ../browser/faults-steps.mjs per request
// through the package's workerd entry, against daytona-local in fault mode, and answers what
// the step saw as JSON: POST { step, args } → { ok, out } or { ok: false, error, stack }.
import * as sdk from '../../pkg/workerd.mjs';
import { runStep } from '../browser/faults-steps.mjs';

export default {
  async fetch(request, env) {
    try {
      const { step, args } = await request.json();
      const cfg = { apiUrl: env.DAYTONA_API_URL, apiKey: env.DAYTONA_API_KEY, runtime: 'workerd' };
      return Response.json({ ok: true, out: await runStep(sdk, step, cfg, args), process: typeof globalThis.process });
    } catch (e) {
      return Response.json({ ok: false, error: String(e), stack: e?.stack }, { status: 500 });
    }
  },
};
