// Computer use through both SDKs against daytona-local's real desktop (Xvfb, openbox,
// xdotool, ffmpeg): a terminal window opened, clicked and typed into (the command it runs
// proves the keys reached the sandbox's shell), screenshots checked pixel by pixel, the
// mouse read back, the accessibility tree of a GTK window read and driven, and a recording
// downloaded and probed as a playable MP4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as official from '@daytonaio/sdk';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';
import { a11ySteps, A11Y_STEPS } from '../lifecycle-steps.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

/** A PNG's size and its pixels (the inflated IDAT data). */
function png(base64) {
  const bytes = Buffer.from(base64, 'base64');
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  const chunks = [];
  let width, height;
  for (let at = 8; at < bytes.length;) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString();
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') chunks.push(data);
    at += 12 + len;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(chunks)) };
}

const until = async (what, check) => {
  for (let i = 0; i < 100; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: a desktop driven by mouse and keyboard, screenshots and a recording`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const sb = await daytona.create();
    const cu = sb.computerUse;
    try {
      await assert.rejects(cu.mouse.getPosition(), (e) => e instanceof mod.DaytonaError && /not started/.test(e.message));
      const started = await cu.start();
      assert.equal(started.status.xvfb.running, true);
      assert.equal(started.status.openbox.running, true, JSON.stringify([started, await cu.getProcessLogs('openbox'), await cu.getProcessErrors('xvfb'), await cu.getProcessLogs('xvfb')]));
      assert.deepEqual(await cu.getStatus(), { status: 'active' });
      assert.deepEqual((await cu.display.getInfo()).displays, [{ id: 0, x: 0, y: 0, width: 1024, height: 768, isActive: true }]);

      const blank = png((await cu.screenshot.takeFullScreen()).screenshot);
      assert.deepEqual([blank.width, blank.height], [1024, 768]);

      // A terminal, opened by a command of the sandbox (which gets DISPLAY), found by title.
      await sb.process.executeCommand('(setsid urxvt -title demo-term -geometry 80x24+20+20 > /dev/null 2>&1 &)');
      const term = await until('the terminal window', async () => (await cu.display.getWindows()).windows.find((w) => w.title === 'demo-term'));
      const [cx, cy] = [term.x + 100, term.y + 100];
      assert.deepEqual(await cu.mouse.click(cx, cy), { x: cx, y: cy });
      await cu.keyboard.type('echo typed-$((6*7)) > ~/typed.txt', 5);
      await cu.keyboard.press('Return');
      await until('the typed command to run', async () => (await sb.process.executeCommand('cat typed.txt 2>/dev/null')).result === 'typed-42\n');
      // The accessibility tree of a GTK window: found, clicked, filled and focused by node id.
      assert.deepEqual(await a11ySteps(sb), A11Y_STEPS);

      const shot = await cu.screenshot.takeFullScreen(true);
      assert.deepEqual(shot.cursorPosition, { x: cx, y: cy });
      assert.equal(shot.sizeBytes, Buffer.from(shot.screenshot, 'base64').length);
      const after = png(shot.screenshot);
      assert.deepEqual([after.width, after.height], [1024, 768]);
      let changed = 0;
      for (let i = 0; i < after.pixels.length; i++) if (after.pixels[i] !== blank.pixels[i]) changed++;
      assert.ok(changed > 10_000, `only ${changed} bytes of pixels changed`);

      assert.deepEqual(await cu.mouse.move(300, 250), { x: 300, y: 250 });
      assert.deepEqual(await cu.mouse.getPosition(), { x: 300, y: 250 });
      assert.deepEqual(await cu.mouse.drag(300, 250, 320, 260), { x: 320, y: 260 });
      assert.equal(await cu.mouse.scroll(cx, cy, 'down', 2), true);
      await cu.keyboard.hotkey('ctrl+l');

      const jpeg = await cu.screenshot.takeCompressed({ format: 'jpeg', quality: 40, scale: 0.5 });
      assert.equal(Buffer.from(jpeg.screenshot, 'base64').subarray(0, 3).toString('hex'), 'ffd8ff');
      const webp = await cu.screenshot.takeCompressedRegion({ x: 0, y: 0, width: 200, height: 100 }, { format: 'webp' });
      assert.equal(Buffer.from(webp.screenshot, 'base64').subarray(8, 12).toString(), 'WEBP');
      const region = png((await cu.screenshot.takeRegion({ x: 10, y: 20, width: 300, height: 200 })).screenshot);
      // The official SDK sends the region as (height, width, y, x) in (x, y, width, height)'s
      // places; ours sends it as given.
      assert.deepEqual([region.width, region.height], name === 'official SDK' ? [20, 10] : [300, 200]);

      const rec = await cu.recording.start('demo');
      assert.equal(rec.status, 'recording');
      await cu.keyboard.type('echo recording', 20);
      await new Promise((r) => setTimeout(r, 1500));
      const done = await cu.recording.stop(rec.id);
      assert.equal(done.status, 'completed');
      assert.ok(done.sizeBytes > 0 && done.durationSeconds >= 1, JSON.stringify(done));
      assert.deepEqual((await cu.recording.list()).recordings.map((r) => r.id), [rec.id]);
      assert.equal((await cu.recording.get(rec.id)).fileName, done.fileName);
      const file = join(mkdtempSync(join(tmpdir(), 'rec-')), 'nested', 'demo.mp4');
      await cu.recording.download(rec.id, file);
      assert.equal(readFileSync(file).subarray(4, 8).toString(), 'ftyp');
      const seconds = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString());
      assert.ok(seconds >= 1, `${seconds} s`);
      await cu.recording.delete(rec.id);
      assert.deepEqual((await cu.recording.list()).recordings, []);

      assert.equal((await cu.restartProcess('openbox')).processName, 'openbox');
      assert.deepEqual(await cu.getProcessStatus('openbox'), { processName: 'openbox', running: true });
      assert.equal((await cu.getProcessErrors('xvfb')).processName, 'xvfb');
      await assert.rejects(cu.getProcessLogs('novnc'), (e) => e instanceof mod.DaytonaNotFoundError);

      const stopped = await cu.stop();
      assert.equal(stopped.status.xvfb.running, false);
      assert.deepEqual(await cu.getStatus(), { status: 'inactive' });
    } finally {
      await sb.delete();
    }
  });
}
