// The core fault scenarios (tests/faults/faults.test.mjs, abort.test.mjs) through the
// package's browser entry in headless Chromium, against a private daytona-local in fault
// mode (cross-origin, so fault answers go through CORS as a browser sees them). The steps
// run in the page (faults.html, faults-steps.mjs); rules are set and assertions made here
// (faults-scenarios.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setFaults, startServer } from '../daytona-local-harness.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from './chromium.mjs';
import { faultScenarios } from './faults-scenarios.mjs';

let server, site, browser, page, sandboxId;
const pageErrors = [];

async function step(name, args = {}) {
  const r = await page.evaluate(([n, a]) => window.step(n, a), [name, args]);
  assert.equal(r.ok, true, `step ${name}: ${r.error}\n${r.stack}`);
  return r.out;
}

before(async () => {
  server = await startServer();
  site = await serveStatic(fileURLToPath(new URL('../..', import.meta.url)));
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const q = new URLSearchParams({ api: server.apiUrl, key: server.apiKey });
  await page.goto(`${site.url}/tests/browser/faults.html?${q}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
  sandboxId = (await step('create')).id;
});
after(async () => {
  await setFaults(server, []).catch(() => {});
  if (sandboxId) await step('remove', { id: sandboxId }).catch(() => {});
  await page?.close().catch(() => {});
  await browser?.close();
  await site?.close();
  await server?.stop();
});

faultScenarios('chromium', { server: () => server, step, sandboxId: () => sandboxId }, { resendsPostOnCutConnection: true });

test('chromium: the sandbox is deleted, and the page saw no uncaught error or unhandled rejection', async () => {
  await setFaults(server, []);
  assert.deepEqual(await step('remove', { id: sandboxId }), { gone: true });
  sandboxId = undefined;
  assert.deepEqual(await page.evaluate(() => window.unhandled), []);
  assert.deepEqual(pageErrors, []);
});
