// The www-demo, built with its Vite config and driven in headless Chromium against
// daytona-local: errors are shown to the person, then create a sandbox, use its terminal,
// upload a file, type into its desktop, run code that draws a chart, stop and delete it.
// Saves a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startServer } from '../daytona-local-harness.mjs';
import { serveStatic } from '../static-server.mjs';
import { launchChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'tests/.out/artifacts');
let server, dist, site, browser;

before(async () => {
  server = await startServer();
  dist = mkdtempSync(join(tmpdir(), 'www-demo-'));
  await build({ root: join(root, 'www-demo'), logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
  site = await serveStatic(dist);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

async function openDemo() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.url}/index.html`);
  await page.waitForSelector('#connect button:not([disabled])'); // the app has loaded
  return { page, errors };
}

async function connect(page, apiUrl, apiKey) {
  await page.fill('[name=apiUrl]', apiUrl);
  await page.fill('[name=apiKey]', apiKey);
  await page.click('#connect button');
}

const closedPort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

test('a wrong key and a server that is down are shown to the person', async () => {
  const { page, errors } = await openDemo();
  await connect(page, server.apiUrl, 'wrong-key');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error span'), /^DaytonaAuthenticationError \(HTTP 401\): /);

  await page.click('#error button');
  await connect(page, `http://127.0.0.1:${await closedPort()}/api`, server.apiKey);
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error span'), /^Daytona\w*Error: .+/);
  assert.equal(await page.textContent('#sandboxes'), '', 'nothing listed without a connection');
  await page.close();
  assert.deepEqual(errors, []);
});

test('create a sandbox, type in its terminal, upload a file, use its desktop, run a chart, stop and delete', async () => {
  const { page, errors } = await openDemo();
  await connect(page, server.apiUrl, server.apiKey);
  await page.waitForFunction(() => document.querySelector('#status').textContent === '0 sandboxes');

  await page.click('#create button:not([type])');
  await page.waitForSelector('#workspace:not([hidden]) .xterm-rows');
  assert.match(await page.textContent('#sandboxes li .state'), /^started$/);

  // The shell's prompt arrives over the PTY; then type as a person would.
  await page.waitForFunction(() => /[$#]\s*$/.test(document.querySelector('.xterm-rows').innerText));
  await page.click('#terminal');
  await page.keyboard.type('echo hello-$((6*7))');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.xterm-rows > div')].some((row) => row.textContent.trim() === 'hello-42'),
    null, { timeout: 15000 });

  // The terminal follows the page's size: the shell sees fewer columns after a narrower window.
  const sttySize = async (marker) => {
    await page.keyboard.type(`echo ${marker} $(stty size)`);
    await page.keyboard.press('Enter');
    const line = await page.waitForFunction((m) => [...document.querySelectorAll('.xterm-rows > div')]
      .map((row) => row.textContent.trim()).find((text) => text.startsWith(`${m} `)), marker);
    return Number((await line.jsonValue()).split(' ')[2]);
  };
  const wide = await sttySize('wide');
  await page.setViewportSize({ width: 900, height: 1100 });
  // The ResizeObserver's fit, then the PTY resize request, happen shortly after, possibly in
  // steps as the layout settles: ask again until the width has come down.
  let narrow = wide;
  for (let i = 0; i < 20 && narrow >= wide - 20; i++) narrow = await sttySize(`narrow${i}`);
  assert.ok(wide > 100 && narrow < wide - 20, `columns follow the window: ${wide} → ${narrow}`);
  await page.setViewportSize({ width: 1280, height: 1100 });

  await page.setInputFiles('#upload', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('uploaded from the demo\n') });
  await page.waitForFunction(() => document.querySelector('#files').textContent.includes('notes.txt'));
  const row = await page.$eval('#files tr:has(a[title=download])', (tr) => tr.innerText);
  assert.match(row, /notes\.txt\s+23\s/);

  // The desktop: started, a terminal opened on it and clicked, a line typed into it. The
  // file that line writes shows the keys reached the sandbox's shell.
  await page.click('#desktop-start');
  await page.waitForFunction(() => {
    const img = document.querySelector('#screen');
    return !img.hidden && img.complete && img.naturalWidth === 1024;
  }, null, { timeout: 20000 });
  await page.click('#desktop-terminal');
  await page.waitForSelector('#desktop-terminal:not([disabled])', { timeout: 20000 });
  const scale = await page.$eval('#screen', (img) => img.clientWidth / img.naturalWidth);
  await page.click('#screen', { position: { x: 150 * scale, y: 150 * scale } });
  await page.fill('#keys input', 'echo desktop-$((6*7)) > desktop.txt');
  await page.click('#keys button');
  await page.waitForFunction(() => document.querySelector('#keys input').value === '', null, { timeout: 20000 });
  await page.click('#terminal');
  await page.keyboard.type('until [ -s desktop.txt ]; do sleep 0.2; done; cat desktop.txt');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.xterm-rows > div')].some((row) => row.textContent.trim() === 'desktop-42'),
    null, { timeout: 20000 });
  assert.equal(await page.isHidden('#error'), true, 'no error shown');

  await page.click('#run');
  await page.waitForSelector('#charts img', { timeout: 60000 });
  assert.match(await page.textContent('#output'), /mean of sin: /);
  assert.equal(await page.textContent('#exit'), 'exit code 0');
  assert.match(await page.textContent('#charts figcaption'), /^line chart: Waves$/);
  assert.ok(await page.$eval('#charts img', (img) => img.complete && img.naturalWidth > 100), 'the chart PNG decodes');

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'www-demo.png'), fullPage: true });

  await page.fill('#code', 'raise ValueError("shown, not swallowed")');
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#output').classList.contains('failed'));
  assert.match(await page.textContent('#output'), /ValueError: shown, not swallowed/);

  await page.click('#sandboxes button:text("Stop")');
  await page.waitForFunction(() => document.querySelector('#sandboxes .state')?.textContent === 'stopped');
  await page.click('#sandboxes button:text("Delete")');
  await page.waitForFunction(() => document.querySelector('#status').textContent === '0 sandboxes');
  assert.equal(await page.isHidden('#workspace'), true);
  await page.close();
  assert.deepEqual(errors, []);
});
