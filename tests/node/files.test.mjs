// sandbox.fs through the built package (Node): round trips, bulk transfers, local paths,
// streams, listing and search, and refused escapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

let server, sb, local;
before(async () => {
  server = await startServer();
  sb = await new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl }).create();
  local = mkdtempSync(join(tmpdir(), 'wasm-files-'));
});
after(async () => {
  await sb?.delete();
  await server?.stop();
  rmSync(local, { recursive: true, force: true });
});

const bytes = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

test('round trips: empty, binary, non-ASCII name, multi-MiB, every source type', async () => {
  const cases = [
    ['empty.bin', new Uint8Array(0)],
    ['binary.bin', bytes(70001)],
    ['/tmp/ünïcødé ✓ name.txt', new TextEncoder().encode('héllo wörld')],
    ['big/five-mib.bin', bytes(5 * 1024 * 1024 + 3, 7)],
  ];
  for (const [path, data] of cases) {
    await sb.fs.uploadFile(data, path);
    const back = await sb.fs.downloadFile(path);
    assert.ok(Buffer.isBuffer(back), 'a Buffer in Node, as the official SDK gives');
    assert.equal(back.length, data.length, path);
    assert.deepEqual(new Uint8Array(back), data, path);
  }
  const ab = bytes(1000).buffer;
  await sb.fs.uploadFile(ab, 'src/arraybuffer.bin');
  await sb.fs.uploadFile(new Blob(['blob text']), 'src/blob.txt');
  await sb.fs.uploadFile(new Blob([bytes(10)]).stream(), 'src/stream.bin');
  await sb.fs.uploadFile(Buffer.from('node buffer'), 'src/buffer.txt');
  assert.deepEqual(new Uint8Array(await sb.fs.downloadFile('src/arraybuffer.bin')), bytes(1000));
  assert.equal(new TextDecoder().decode(await sb.fs.downloadFile('src/blob.txt')), 'blob text');
  assert.deepEqual(new Uint8Array(await sb.fs.downloadFile('src/stream.bin')), bytes(10));
  assert.equal((await sb.fs.downloadFile('src/buffer.txt')).toString('utf8'), 'node buffer', 'Buffer methods work');
});

test('local paths (Node): upload from disk, download to disk', async () => {
  const src = join(local, 'from-disk.bin');
  writeFileSync(src, bytes(300000, 3));
  await sb.fs.uploadFile(src, 'disk/copy.bin');
  const dest = join(local, 'out', 'copy.bin');
  assert.equal(await sb.fs.downloadFile('disk/copy.bin', dest), undefined);
  assert.deepEqual(new Uint8Array(readFileSync(dest)), bytes(300000, 3));
  // Several MiB: the disk writes run in batches behind the reads, and the last, partial batch
  // is written on close.
  await sb.fs.uploadFile(bytes(5 * 1024 * 1024 + 3, 5), 'disk/big.bin');
  await sb.fs.downloadFile('disk/big.bin', join(local, 'out', 'big.bin'));
  assert.deepEqual(new Uint8Array(readFileSync(join(local, 'out', 'big.bin'))), bytes(5 * 1024 * 1024 + 3, 5));
  // A failing disk write (ENOSPC from /dev/full) rejects the download with Node's error, as
  // the official SDK's does, whichever batch fails; so does a destination that cannot be made.
  for (const path of ['disk/copy.bin', 'disk/big.bin']) {
    await assert.rejects(sb.fs.downloadFile(path, '/dev/full'), (e) => e.code === 'ENOSPC', path);
  }
  await assert.rejects(sb.fs.downloadFile('disk/copy.bin', '/dev/full/x'), (e) => ['ENOTDIR', 'EEXIST'].includes(e.code));
  assert.equal((await sb.process.executeCommand('echo still fine')).result.trim(), 'still fine', 'the client works on');
  await assert.rejects(sb.fs.uploadFile(join(local, 'nope'), 'x'), (e) => e instanceof sdk.DaytonaInvalidArgumentError && /ENOENT|no such file/.test(e.message));
});

test('uploads from local paths stream from disk over node:http: several files, quotes and non-ASCII in names, errors typed', async () => {
  const big = join(local, 'big.bin');
  writeFileSync(big, bytes(6 * 1024 * 1024 + 5, 11));
  const small = join(local, 'small.txt');
  writeFileSync(small, 'small file');
  await sb.fs.uploadFiles([
    { source: big, destination: 'disk/q"uo te ü.bin' },
    { source: new TextEncoder().encode('in memory'), destination: 'disk/mem.txt' },
    { source: small, destination: 'disk/line\nbreak.txt' },
  ]);
  assert.deepEqual(new Uint8Array(await sb.fs.downloadFile('disk/q"uo te ü.bin')), bytes(6 * 1024 * 1024 + 5, 11));
  assert.equal((await sb.fs.downloadFile('disk/mem.txt')).toString(), 'in memory');
  assert.equal((await sb.fs.downloadFile('disk/line\nbreak.txt')).toString(), 'small file');
  // The server's refusal comes back through the streamed request as a typed error.
  await sb.fs.createFolder('disk/a-folder', '755');
  const err = await sb.fs.uploadFile(small, 'disk/a-folder').catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaError && err.statusCode >= 400 && err.statusCode < 500, String(err));
});

test('bulk upload and download, with a missing file reported per file', async () => {
  await sb.fs.uploadFiles([
    { source: new TextEncoder().encode('one'), destination: 'bulk/1.txt' },
    { source: new TextEncoder().encode('two'), destination: 'bulk/2.txt' },
  ]);
  const results = await sb.fs.downloadFiles([
    { source: 'bulk/1.txt' },
    { source: 'bulk/missing.txt' },
    { source: 'bulk/2.txt', destination: join(local, 'two.txt') },
  ]);
  assert.equal(results.length, 3);
  assert.ok(Buffer.isBuffer(results[0].result));
  assert.equal(results[0].result.toString(), 'one');
  assert.equal(results[1].result, undefined);
  assert.match(results[1].error, /not found/);
  assert.deepEqual([results[1].errorDetails.statusCode, results[1].errorDetails.code], [404, 'FILE_NOT_FOUND']);
  assert.equal(results[2].result, join(local, 'two.txt'));
  assert.equal(readFileSync(join(local, 'two.txt'), 'utf8'), 'two');
  const err = await sb.fs.downloadFile('bulk/missing.txt').catch((e) => e);
  assert.ok(err instanceof sdk.DaytonaFileNotFoundError && err instanceof sdk.DaytonaNotFoundError, String(err));
});

test('downloadFileStream gives a Node Readable (as the official SDK does in Node), read as consumed', async () => {
  const data = bytes(3 * 1024 * 1024, 9);
  await sb.fs.uploadFile(data, 'stream/data.bin');
  const stream = await sb.fs.downloadFileStream('stream/data.bin');
  assert.ok(stream instanceof Readable);
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), data);
  // Piped to a file, as Node code does.
  await pipeline(await sb.fs.downloadFileStream('stream/data.bin'), createWriteStream(join(local, 'piped.bin')));
  assert.deepEqual(new Uint8Array(readFileSync(join(local, 'piped.bin'))), data);
  const early = await sb.fs.downloadFileStream('stream/data.bin');
  for await (const chunk of early) {
    assert.ok(chunk.length > 0);
    break; // destroys the stream, which cancels the transfer
  }
  assert.ok(early.destroyed);
  await assert.rejects(async () => {
    const s = await sb.fs.downloadFileStream('stream/missing.bin');
    for await (const _ of s);
  }, (e) => e instanceof sdk.DaytonaNotFoundError || /not found/.test(String(e)));
});

test('list, details, permissions, move, delete, search, find, replace', async () => {
  await sb.fs.createFolder('proj/src', '750');
  await sb.fs.uploadFile(new TextEncoder().encode('let a = 1;\n// TODO: fix\n'), 'proj/src/main.ts');
  await sb.fs.uploadFile(new TextEncoder().encode('TODO later\n'), 'proj/notes.md');
  const listing = await sb.fs.listFiles('proj');
  assert.deepEqual(listing.map((f) => [f.name, f.isDir]), [['notes.md', false], ['src', true]]);
  const deep = await sb.fs.listFiles('proj', { depth: 2 });
  assert.deepEqual(deep.map((f) => f.name).sort(), ['main.ts', 'notes.md', 'src']);
  assert.ok(deep.find((f) => f.name === 'main.ts').path.endsWith('proj/src/main.ts'));
  await assert.rejects(sb.fs.listFiles('proj', { depth: 0 }), (e) => e instanceof sdk.DaytonaError && e.message === 'depth must be an integer of at least 1');
  assert.equal((await sb.fs.getFileDetails('proj/src')).permissions, '0750');
  await sb.fs.setFilePermissions('proj/notes.md', { mode: '640' });
  const info = await sb.fs.getFileDetails('proj/notes.md');
  assert.deepEqual([info.permissions, info.mode, info.size, info.path], ['0640', '-rw-r-----', 11, '/home/daytona/proj/notes.md']);
  await assert.rejects(sb.fs.setFilePermissions('proj/notes.md', { mode: '4755' }), sdk.DaytonaValidationError);

  const found = await sb.fs.findFiles('proj', 'TODO');
  assert.deepEqual(found.map((m) => [m.file, m.line]), [['/home/daytona/proj/notes.md', 1], ['/home/daytona/proj/src/main.ts', 2]]);
  assert.deepEqual((await sb.fs.searchFiles('proj', '*.ts')).files, ['/home/daytona/proj/src/main.ts']);
  const replaced = await sb.fs.replaceInFiles(['proj/src/main.ts'], 'let', 'const');
  assert.deepEqual(replaced, [{ file: 'proj/src/main.ts', success: true }]);
  assert.equal(new TextDecoder().decode(await sb.fs.downloadFile('proj/src/main.ts')), 'const a = 1;\n// TODO: fix\n');

  await sb.fs.moveFiles('proj/notes.md', 'proj/moved.md');
  await assert.rejects(sb.fs.moveFiles('proj/moved.md', 'proj/src/main.ts'), sdk.DaytonaConflictError);
  await assert.rejects(sb.fs.getFileDetails('proj/notes.md'), sdk.DaytonaNotFoundError);
  await assert.rejects(sb.fs.deleteFile('proj'), sdk.DaytonaValidationError);
  await sb.fs.deleteFile('proj', true);
  await assert.rejects(sb.fs.listFiles('proj'), sdk.DaytonaNotFoundError);
});

test('path escapes are refused and touch nothing outside the sandbox', async () => {
  const outside = join(local, 'outside.txt');
  writeFileSync(outside, 'untouched');
  // Made inside the sandbox: a link to a host directory (which the sandbox itself cannot see).
  assert.equal((await sb.process.executeCommand(`ln -s '${local}' escape-link`)).exitCode, 0);
  const attempts = [
    () => sb.fs.downloadFile('../../../../etc/passwd'),
    () => sb.fs.uploadFile(new TextEncoder().encode('x'), '../../outside.txt'),
    () => sb.fs.uploadFile(new TextEncoder().encode('x'), '/etc/daytona-escape.txt'),
    () => sb.fs.uploadFile(new TextEncoder().encode('x'), 'escape-link/outside.txt'),
    () => sb.fs.downloadFile('escape-link/outside.txt'),
    () => sb.fs.deleteFile('escape-link/outside.txt'),
    () => sb.fs.listFiles('/etc'),
    () => sb.fs.moveFiles('escape-link/outside.txt', 'stolen.txt'),
    () => sb.fs.replaceInFiles(['escape-link/outside.txt'], 'untouched', 'changed').then((r) => { if (r[0].success) throw new Error('replaced outside'); throw new sdk.DaytonaForbiddenError('refused'); }),
  ];
  for (const attempt of attempts) {
    const e = await attempt().then(() => null, (err) => err);
    assert.ok(e instanceof sdk.DaytonaError && [400, 403, undefined].includes(e.statusCode), `${attempt}: ${e}`);
  }
  assert.equal(readFileSync(outside, 'utf8'), 'untouched');
  // An absolute /tmp path is the sandbox's own private /tmp, not the host's.
  await sb.fs.uploadFile(new TextEncoder().encode('private'), outside);
  assert.equal(readFileSync(outside, 'utf8'), 'untouched');
  assert.equal(new TextDecoder().decode(await sb.fs.downloadFile(outside)), 'private');
});

test('a local path outside Node-like runtimes would need bytes: bad sources are typed errors', async () => {
  await assert.rejects(sb.fs.uploadFile(42, 'x'), sdk.DaytonaInvalidArgumentError);
  await assert.rejects(sb.fs.uploadFiles([{ source: new Uint8Array(1) }]), sdk.DaytonaInvalidArgumentError);
});

test('an interrupted upload leaves the old file in place and no partial file behind', async () => {
  const { connect } = await import('node:net');
  await sb.fs.uploadFile(new TextEncoder().encode('version 1'), 'keep/file.txt');
  const u = new URL(`${server.apiUrl.replace(/\/api$/, '/toolbox')}/${sb.id}/files/bulk-upload`);
  const boundary = 'INTERRUPTED';
  const sock = connect(Number(u.port), u.hostname);
  await new Promise((r) => sock.on('connect', r));
  sock.write(`POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${server.apiKey}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="files[0].path"\r\n\r\nkeep/file.txt\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="files[0].file"; filename="file.txt"\r\n\r\n` + 'partial '.repeat(20000));
  await new Promise((r) => setTimeout(r, 300));
  sock.destroy();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(new TextDecoder().decode(await sb.fs.downloadFile('keep/file.txt')), 'version 1');
  assert.deepEqual((await sb.fs.listFiles('keep')).map((f) => f.name), ['file.txt']);
});

test('uploadFileStream: a Node Readable, a local path and a web stream, with progress; an aborted signal cancels', async () => {
  const data = bytes(256 * 1024, 3);
  const seen = [];
  await sb.fs.uploadFileStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), 'streamed/readable.bin', { onProgress: (p) => seen.push(p.bytesSent) });
  assert.deepEqual(new Uint8Array(await sb.fs.downloadFile('streamed/readable.bin')), data);
  assert.deepEqual(seen, [data.length]);
  writeFileSync(join(local, 'up.bin'), data);
  await sb.fs.uploadFileStream(join(local, 'up.bin'), 'streamed/path.bin');
  assert.equal((await sb.fs.getFileDetails('streamed/path.bin')).size, data.length);
  await sb.fs.uploadFileStream(new Blob([data]).stream(), 'streamed/web.bin', { timeout: 60 });
  assert.equal((await sb.fs.getFileDetails('streamed/web.bin')).size, data.length);
  const aborted = AbortSignal.abort();
  await assert.rejects(sb.fs.uploadFileStream(data, 'streamed/never.bin', { signal: aborted }), (e) => e instanceof sdk.DaytonaError && e.message === 'Upload cancelled: streamed/never.bin');
  await assert.rejects(sb.fs.getFileDetails('streamed/never.bin'), sdk.DaytonaNotFoundError);
});
