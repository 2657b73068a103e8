// Load under faults: 100 concurrent clients × 20 operations each (commands, uploads,
// downloads, gets) while a tenth of the requests on those routes are faulted (429s, gateway
// pages, cut connections). Every operation either gives the right result or a typed error:
// none gives a wrong one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFaults, startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

const CLIENTS = 100;
const OPS = 20;
const SANDBOXES = 4;
let server;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const faults = (rules) => setFaults(server, rules);

test(`${CLIENTS} clients × ${OPS} operations with 10% of requests faulted: no wrong result`, async () => {
  const admin = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  const sandboxes = await Promise.all(Array.from({ length: SANDBOXES }, () => admin.create()));
  const p = 0.1;
  await faults([
    { method: 'GET', path: '/api/sandbox/*', probability: p, fault: { kind: 'status', status: 503, body: 'html' } },
    { method: 'POST', path: '/toolbox/*/process/execute', probability: p, fault: { kind: 'status', status: 429, retryAfter: '0', body: 'json' } },
    { method: 'POST', path: '/toolbox/*/files/bulk-upload', probability: p, fault: { kind: 'status', status: 503, retryAfter: '0', body: 'empty' } },
    { method: 'POST', path: '/toolbox/*/files/bulk-download', probability: p, fault: { kind: 'reset', afterBytes: 40 } },
  ]);
  const tally = { ok: 0, typed: 0, wrong: 0, untyped: 0 };
  const wrong = [];
  const client = async (c) => {
    const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, retry: { maxDelayMs: 1000 } });
    for (let i = 0; i < OPS; i++) {
      const sb = sandboxes[(c + i) % SANDBOXES];
      const tag = `c${c}-op${i}`;
      try {
        let good;
        switch (i % 4) {
          case 0: good = (await sb.process.executeCommand(`echo ${tag}`)).result.trim() === tag; break;
          case 1: await sb.fs.uploadFile(new TextEncoder().encode(tag), `load/${tag}.txt`); good = true; break;
          case 2: {
            const path = `load/c${c}-op${i - 1}.txt`;
            const back = await sb.fs.downloadFile(path).catch((e) => (e instanceof sdk.DaytonaNotFoundError ? null : Promise.reject(e)));
            good = back === null || back.toString() === `c${c}-op${i - 1}`; // missing only if its upload failed
            break;
          }
          default: good = (await daytona.get(sb.id)).id === sb.id;
        }
        if (good) tally.ok++;
        else { tally.wrong++; wrong.push(tag); }
      } catch (e) {
        if (e instanceof sdk.DaytonaError) tally.typed++;
        else { tally.untyped++; wrong.push(`${tag}: ${e}`); }
      }
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const seconds = ((performance.now() - t) / 1000).toFixed(1);
  await faults([]);
  console.log(`# load under faults: ${CLIENTS * OPS} operations in ${seconds} s: ${tally.ok} right, ${tally.typed} typed errors, ${tally.wrong} wrong, ${tally.untyped} untyped`);
  assert.deepEqual([tally.wrong, tally.untyped], [0, 0], wrong.slice(0, 5).join('; '));
  assert.equal(tally.ok + tally.typed, CLIENTS * OPS);
  assert.ok(tally.ok >= CLIENTS * OPS * 0.95, `retries carried most operations through: ${tally.ok}`);
  await Promise.all(sandboxes.map((sb) => sb.delete()));
});
