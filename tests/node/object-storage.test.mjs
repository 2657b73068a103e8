// Build contexts through the package in Node: an Image's local files are uploaded to
// daytona-local's object storage (SigV4-signed, multipart above 5 MiB, skipped when the hash
// is stored) and copied into the build; ObjectStorage gives the official SDK's hashes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as official from '@daytonaio/sdk';
import { ObjectStorage as OfficialObjectStorage } from '../../node_modules/@daytonaio/sdk/esm/ObjectStorage.js';
import { Daytona, Image, ObjectStorage, SnapshotService, DaytonaNotFoundError } from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server, daytona, dir;
before(async () => {
  server = await startServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  dir = mkdtempSync(join(tmpdir(), 'ctx-'));
  writeFileSync(join(dir, 'data.txt'), 'local file\n');
  mkdirSync(join(dir, 'tree/sub'), { recursive: true });
  mkdirSync(join(dir, 'tree/empty'));
  writeFileSync(join(dir, 'tree/sub/f.txt'), 'in a dir\n');
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(6 * 1024 * 1024, 'y'));
});
after(() => server?.stop());

async function access() {
  const r = await fetch(`${server.apiUrl}/object-storage/push-access`, { headers: { Authorization: `Bearer ${server.apiKey}` } });
  const a = await r.json();
  return { endpointUrl: a.storageUrl, accessKeyId: a.accessKey, secretAccessKey: a.secret, sessionToken: a.sessionToken, bucketName: a.bucket, region: a.region, org: a.organizationId };
}

test('an Image with local files is uploaded and built into a snapshot', async () => {
  const image = Image.base('python:3.11')
    .addLocalFile(join(dir, 'data.txt'), '/home/daytona/app/')
    .addLocalDir(join(dir, 'tree'), '/home/daytona/tree')
    .addLocalFile(join(dir, 'big.bin'), '/home/daytona/big.bin');
  const snap = await daytona.snapshot.create({ name: 'ctx', image });
  assert.equal(snap.buildInfo.contextHashes.length, 3);
  const sb = await daytona.create({ snapshot: 'ctx' });
  try {
    const r = await sb.process.executeCommand('cat app/data.txt tree/sub/f.txt; test -d tree/empty && echo empty-dir; stat -c %s big.bin');
    assert.equal(r.result, `local file\nin a dir\nempty-dir\n${6 * 1024 * 1024}\n`);
  } finally {
    await sb.delete();
  }
  // create({ image }) with the same files: the contexts are stored already and reused.
  const again = await daytona.create({ image: Image.base('python:3.11').addLocalFile(join(dir, 'data.txt'), '/home/daytona/copy.txt') });
  try {
    assert.equal((await again.process.executeCommand('cat copy.txt')).result, 'local file\n');
  } finally {
    await again.delete();
  }
});

test('ObjectStorage: the official SDK\'s hashes, stored once, and typed errors', async () => {
  const { org, ...config } = await access();
  const ours = new ObjectStorage(config);
  const theirs = new OfficialObjectStorage(config);
  for (const [path, archive] of [[join(dir, 'data.txt'), join(dir, 'data.txt')], [join(dir, 'tree'), 'tree']]) {
    const hash = await ours.upload(path, org, archive);
    assert.equal(hash, await theirs.upload(path, org, archive), path);
  }
  await assert.rejects(ours.upload(join(dir, 'missing'), org, 'x'), DaytonaNotFoundError);
  const wrong = new ObjectStorage({ ...config, secretAccessKey: 'wrong' });
  await assert.rejects(wrong.upload(join(dir, 'data.txt'), org, 'other'), (e) => /HTTP 403: SignatureDoesNotMatch/.test(e.message));
  assert.ok(official);
});

test('SnapshotService.processImageContext uploads an Image\'s context and gives the hashes the official SDK gives', async () => {
  const ours = Image.base('python:3.11').addLocalFile(join(dir, 'data.txt'), '/home/daytona/ctx.txt').addLocalDir(join(dir, 'tree'), '/home/daytona/tree');
  const hashes = await SnapshotService.processImageContext(daytona, ours);
  assert.equal(hashes.length, 2);
  assert.ok(hashes.every((h) => /^[0-9a-f]{32}$/.test(h)));
  // The official SDK's static (its class is reached through an instance: the package does
  // not export it), with its own object-storage client, on the same Image.
  const od = new official.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
  try {
    const theirs = official.Image.base('python:3.11').addLocalFile(join(dir, 'data.txt'), '/home/daytona/ctx.txt').addLocalDir(join(dir, 'tree'), '/home/daytona/tree');
    assert.deepEqual(await od.snapshot.constructor.processImageContext(od.objectStorageApi, theirs), hashes);
  } finally {
    await od[Symbol.asyncDispose]?.();
  }
  assert.deepEqual(await SnapshotService.processImageContext(daytona, Image.base('python:3.11')), []);
});
