// Conformance: the official SDK's file operations, unchanged, against daytona-local.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../daytona-local-harness.mjs';
import { Daytona, DaytonaNotFoundError, DaytonaFileNotFoundError, DaytonaForbiddenError } from '@daytonaio/sdk';

let server, daytona, sb, local;
before(async () => {
  server = await startServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
  sb = await daytona.create();
  local = mkdtempSync(join(tmpdir(), 'official-files-'));
});
after(async () => {
  await sb?.delete();
  await daytona?.[Symbol.asyncDispose]?.();
  await server?.stop();
  rmSync(local, { recursive: true, force: true });
});

test('official SDK: upload, download, bulk with a missing file, non-ASCII names', async () => {
  const binary = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7) % 256));
  await sb.fs.uploadFile(binary, 'data/bin.dat');
  assert.deepEqual(await sb.fs.downloadFile('data/bin.dat'), binary);
  await sb.fs.uploadFile(Buffer.alloc(0), 'data/empty');
  assert.equal((await sb.fs.downloadFile('data/empty')).length, 0);
  await sb.fs.uploadFile(Buffer.from('héllo'), '/tmp/ünïcødé ✓.txt');
  assert.equal((await sb.fs.downloadFile('/tmp/ünïcødé ✓.txt')).toString(), 'héllo');

  writeFileSync(join(local, 'src.txt'), 'from disk');
  await sb.fs.uploadFiles([{ source: join(local, 'src.txt'), destination: 'data/a.txt' }, { source: Buffer.from('b'), destination: 'data/b.txt' }]);
  const results = await sb.fs.downloadFiles([{ source: 'data/a.txt' }, { source: 'data/missing.txt' }, { source: 'data/b.txt', destination: join(local, 'b.txt') }]);
  assert.equal(results[0].result.toString(), 'from disk');
  assert.equal(results[1].result, undefined);
  assert.match(results[1].error, /not found/);
  assert.equal(results[1].errorDetails.statusCode, 404);
  assert.equal(readFileSync(join(local, 'b.txt'), 'utf8'), 'b');
  await assert.rejects(sb.fs.downloadFile('data/missing.txt'), DaytonaNotFoundError);
  await assert.rejects(sb.fs.downloadFile('data/missing.txt'), DaytonaFileNotFoundError);
});

test('official SDK: list, details, folders, permissions, move, delete, search, find, replace', async () => {
  await sb.fs.createFolder('proj/src', '750');
  await sb.fs.uploadFile(Buffer.from('let a = 1;\n// TODO: fix\nlet b = 2;\n'), 'proj/src/main.ts');
  await sb.fs.uploadFile(Buffer.from('TODO later\n'), 'proj/notes.md');
  const listing = await sb.fs.listFiles('proj');
  assert.deepEqual(listing.map((f) => [f.name, f.isDir]), [['notes.md', false], ['src', true]]);
  const dir = await sb.fs.getFileDetails('proj/src');
  assert.equal(dir.permissions, '0750');
  assert.equal(dir.isDir, true);
  await sb.fs.setFilePermissions('proj/notes.md', { mode: '600' });
  const notes = await sb.fs.getFileDetails('proj/notes.md');
  assert.deepEqual([notes.permissions, notes.mode, notes.size], ['0600', '-rw-------', 11]);

  const found = await sb.fs.findFiles('proj', 'TODO');
  assert.deepEqual(found.map((m) => [m.file, m.line, m.content]), [
    ['/home/daytona/proj/notes.md', 1, 'TODO later'],
    ['/home/daytona/proj/src/main.ts', 2, '// TODO: fix'],
  ]);
  const searched = await sb.fs.searchFiles('proj', '*.ts');
  assert.deepEqual(searched.files, ['/home/daytona/proj/src/main.ts']);
  const replaced = await sb.fs.replaceInFiles(['proj/src/main.ts', 'proj/nope.ts'], 'let', 'const');
  assert.deepEqual(replaced.map((r) => r.success), [true, false]);
  assert.equal((await sb.fs.downloadFile('proj/src/main.ts')).toString(), 'const a = 1;\n// TODO: fix\nconst b = 2;\n');

  await sb.fs.moveFiles('proj/notes.md', 'proj/moved.md');
  await assert.rejects(sb.fs.getFileDetails('proj/notes.md'), DaytonaNotFoundError);
  await sb.fs.deleteFile('proj', true);
  await assert.rejects(sb.fs.listFiles('proj'), DaytonaNotFoundError);
});

test('official SDK: escapes are refused', async () => {
  await assert.rejects(sb.fs.downloadFile('../../../etc/passwd'), DaytonaForbiddenError);
  await assert.rejects(sb.fs.listFiles('/etc'), DaytonaForbiddenError);
});
