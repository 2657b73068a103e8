// The steps of the fault scenarios, run inside a runtime (the browser page faults.html, the
// Worker ../workerd/faults-worker.mjs) with the package entry of that runtime as `sdk`. Each
// step returns plain JSON of what it saw (results, timings, errors with the package classes
// they are instances of); the Node side sets the fault rules between steps and asserts.

const now = () => (globalThis.performance?.now ? performance.now() : Date.now());

const settle = async (promise) => {
  const t = now();
  const out = await promise.then((v) => ({ v }), (e) => ({ e }));
  return { ...out, ms: Math.round(now() - t) };
};

const ERROR_CLASSES = ['DaytonaError', 'DaytonaBadGatewayError', 'DaytonaRateLimitError', 'DaytonaNotFoundError',
  'DaytonaConnectionError', 'DaytonaConnectionTimeoutError', 'DaytonaTimeoutError'];

/** An error as JSON: its name, message, status, `retryable`, which of the entry's classes it
 * is an instance of, and which of the entry's exports is its very constructor. */
export function describeError(sdk, e) {
  if (e === undefined) return null;
  return {
    text: String(e),
    name: e?.name,
    message: e?.message,
    statusCode: e?.statusCode,
    retryable: e?.retryable,
    instanceOf: Object.fromEntries(ERROR_CLASSES.map((c) => [c, e instanceof sdk[c]])),
    exportedClass: Object.keys(sdk).find((k) => e != null && sdk[k] === e.constructor) ?? null,
    domException: typeof DOMException === 'function' && e instanceof DOMException,
  };
}

const client = (sdk, { apiUrl, apiKey }) => new sdk.Daytona({ apiKey, apiUrl });

export const STEPS = {
  /** A sandbox for the scenarios. */
  async create(sdk, cfg) {
    const sb = await client(sdk, cfg).create({ labels: { faults: cfg.runtime } });
    return { id: sb.id, state: sb.state };
  },

  /** `daytona.get(id)`, timed. */
  async get(sdk, cfg, { id }) {
    const r = await settle(client(sdk, cfg).get(id));
    return { id: r.v?.id ?? null, state: r.v?.state ?? null, ms: r.ms, error: describeError(sdk, r.e) };
  },

  /** `sandbox.process.executeCommand(command)`, timed; with `abortAfterMs`, through an
   * AbortSignal that aborts that long after the call. */
  async exec(sdk, cfg, { id, command, abortAfterMs }) {
    const sb = await client(sdk, cfg).get(id);
    let call;
    if (abortAfterMs === undefined) {
      call = sb.process.executeCommand(command);
    } else {
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), abortAfterMs);
      call = sb.process.executeCommand(command, undefined, undefined, undefined, { signal: ctrl.signal });
    }
    const r = await settle(call);
    return { exitCode: r.v?.exitCode ?? null, result: r.v?.result ?? null, ms: r.ms, error: describeError(sdk, r.e) };
  },

  /** A plain fetch (no SDK) of `apiUrl + path`: what this runtime lets code see of an answer's
   * status and `Retry-After` (a browser hides headers CORS does not expose). */
  async probe(sdk, cfg, { path }) {
    const resp = await fetch(cfg.apiUrl + path);
    await resp.arrayBuffer();
    return { status: resp.status, retryAfter: resp.headers.get('retry-after') };
  },

  async remove(sdk, cfg, { id }) {
    const sb = await client(sdk, cfg).get(id);
    await sb.delete();
    const gone = await client(sdk, cfg).get(id).catch((e) => e);
    return { gone: gone instanceof sdk.DaytonaNotFoundError };
  },
};

export async function runStep(sdk, name, cfg, args = {}) {
  const step = STEPS[name];
  if (!step) throw new Error(`no step ${name}`);
  return step(sdk, cfg, args);
}
