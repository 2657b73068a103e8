// The same fault scenarios with both SDKs: ours must come through every one (the right
// result, or the right typed error where the server may have acted); the official SDK's
// outcomes are printed for comparison, not asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFaults, startServer } from '../daytona-local-harness.mjs';
import * as ours from '../../pkg/node.mjs';
import * as official from '@daytonaio/sdk';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const faults = (rules) => setFaults(server, rules);

const count = async (sb, file) => Number((await sb.process.executeCommand(`cat ${file} 2>/dev/null | wc -l`)).result.trim());

/** Each: the rules, the call, and whether it must give its result or may fail (typed) because
 * the server may have acted. `check` says whether a result, or the state after, is right. */
const SCENARIOS = [
  { name: 'get: 429 with Retry-After: 1', expect: 'result',
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'status', status: 429, retryAfter: '1', body: 'json' } }],
    run: ({ daytona, sb }) => daytona.get(sb.id), check: (r, { sb }) => r.id === sb.id },
  { name: "get: two 502 load-balancer pages", expect: 'result',
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 2, fault: { kind: 'status', status: 502 } }],
    run: ({ daytona, sb }) => daytona.get(sb.id), check: (r, { sb }) => r.id === sb.id },
  { name: 'get: an empty 503', expect: 'result',
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'status', status: 503, body: 'empty' } }],
    run: ({ daytona, sb }) => daytona.get(sb.id), check: (r, { sb }) => r.id === sb.id },
  { name: 'get: connection cut before the answer', expect: 'result',
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'reset' } }],
    run: ({ daytona, sb }) => daytona.get(sb.id), check: (r, { sb }) => r.id === sb.id },
  { name: 'executeCommand: 429 with Retry-After: 0', expect: 'result',
    rules: () => [{ method: 'POST', path: '/toolbox/*/process/execute', times: 1, fault: { kind: 'status', status: 429, retryAfter: '0' } }],
    run: ({ sb, tag }) => sb.process.executeCommand(`echo ${tag} >> /tmp/${tag}; cat /tmp/${tag}`), check: (r, { tag }) => r.result.trim() === tag },
  { name: 'executeCommand: connection cut after it ran (not repeated)', expect: 'typed',
    rules: () => [{ method: 'POST', path: '/toolbox/*/process/execute', times: 1, fault: { kind: 'reset' } }],
    run: ({ sb, tag }) => sb.process.executeCommand(`echo x >> /tmp/${tag}`), after: async ({ sb, tag }) => (await count(sb, `/tmp/${tag}`)) === 1 },
  { name: 'executeCommand: a 502 page (not repeated)', expect: 'typed',
    rules: () => [{ method: 'POST', path: '/toolbox/*/process/execute', times: 1, fault: { kind: 'status', status: 502 } }],
    run: ({ sb, tag }) => sb.process.executeCommand(`echo x >> /tmp/${tag}`), after: async ({ sb, tag }) => (await count(sb, `/tmp/${tag}`)) === 0 },
  { name: 'downloadFile: cut before the data', expect: 'result',
    rules: () => [{ method: 'POST', path: '/toolbox/*/files/bulk-download', times: 1, fault: { kind: 'reset', afterBytes: 40 } }],
    run: ({ sb }) => sb.fs.downloadFile('compare.bin'), check: (r) => r.length === 200000 },
  { name: 'downloadFile: cut in the middle of the data', expect: 'typed',
    rules: () => [{ method: 'POST', path: '/toolbox/*/files/bulk-download', fault: { kind: 'reset', afterBytes: 100000 } }],
    run: ({ sb }) => sb.fs.downloadFile('compare.bin') },
  { name: 'get: slower than requestTimeoutMs', expect: 'typed', slowClient: true,
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, times: 1, fault: { kind: 'delay', ms: 5000 } }],
    run: ({ slow, sb }) => slow.get(sb.id) },
  { name: 'get: the sandbox vanished', expect: 'typed',
    rules: (sb) => [{ method: 'GET', path: `/api/sandbox/${sb.id}`, fault: { kind: 'vanish' } }],
    run: ({ daytona, sb }) => daytona.get(sb.id), typedAs: 'DaytonaNotFoundError' },
];

/** Runs every scenario with one SDK: `{ name: 'survived' | 'typed error' | 'failed: …' }`. */
async function runAll(sdk, config) {
  const daytona = new sdk.Daytona(config);
  const slow = new sdk.Daytona({ ...config, requestTimeoutMs: 300 });
  const sb = await daytona.create();
  await sb.fs.uploadFile(Buffer.alloc(200000, 3), 'compare.bin'); // a Buffer: the official SDK takes no other bytes in Node
  const outcomes = {};
  try {
    for (const [i, s] of SCENARIOS.entries()) {
      const ctx = { daytona, slow, sb, tag: `t${i}-${Math.random().toString(36).slice(2, 8)}` };
      await faults(s.rules(sb));
      const timer = new Promise((r) => setTimeout(() => r({ hung: true }), 15000));
      const got = await Promise.race([s.run(ctx).then((v) => ({ v }), (e) => ({ e })), timer]);
      await faults([]);
      let outcome;
      if (got.hung) outcome = 'failed: no answer in 15 s';
      else if (got.e) {
        const typed = got.e instanceof sdk.DaytonaError && (!s.typedAs || got.e.name === s.typedAs);
        outcome = !typed ? `failed: ${got.e?.name}: ${String(got.e?.message).slice(0, 80)}` : s.expect === 'typed' ? 'survived' : 'typed error';
      } else outcome = s.expect === 'typed' || (s.check && !s.check(got.v, ctx)) ? 'failed: wrong result' : 'survived';
      if (outcome === 'survived' && s.after && !(await s.after(ctx))) outcome = 'failed: ran a wrong number of times';
      outcomes[s.name] = outcome;
    }
  } finally {
    await faults([]);
    await sb.delete();
    // The official SDK's clients hold an event socket open until disposed.
    await daytona[Symbol.asyncDispose]?.();
    await slow[Symbol.asyncDispose]?.();
  }
  return outcomes;
}

const figure = (outcomes) => {
  const v = Object.values(outcomes);
  return `${v.filter((o) => o === 'survived').length} survived / ${v.filter((o) => o === 'typed error').length} typed error / ${v.filter((o) => o.startsWith('failed')).length} failed`;
};

test(`${SCENARIOS.length} fault scenarios: daytona-wasm comes through all; the official SDK's outcomes are reported`, async () => {
  const config = { apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' };
  const mine = await runAll(ours, config);
  const theirs = await runAll(official, config);
  for (const s of SCENARIOS) console.log(`# ${s.name}: daytona-wasm ${mine[s.name]}; @daytonaio/sdk ${theirs[s.name]}`);
  console.log(`# daytona-wasm: ${figure(mine)}; @daytonaio/sdk: ${figure(theirs)}`);
  assert.deepEqual(Object.entries(mine).filter(([, o]) => o !== 'survived'), []);
});
