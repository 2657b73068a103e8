// ObjectStorage against a third-party S3 server that checks signatures: moto's server mode
// (PyPI moto[server] 5.2.5) with IAM authentication on. The first 4 actions (making the user,
// its policy, its key, the bucket) go through unauthenticated; everything after must be
// signed with that user's key. boto3 then reads back what the package uploaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectStorage } from '../../pkg/node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const python = join(here, '.venv/bin/python');
const BUCKET = 'daytona-volume-builds';
let moto, endpoint, key, dir;

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

before(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '4' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  moto.stderr.on('data', (d) => { log += d; });
  for (let i = 0; ; i++) {
    try { await fetch(`${endpoint}/moto-api/`); break; } catch {
      if (i > 100) throw new Error(`moto did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  key = JSON.parse(execFileSync(python, [join(here, 'moto_admin.py'), 'setup', endpoint, BUCKET], { encoding: 'utf8' }));
  dir = mkdtempSync(join(tmpdir(), 'moto-ctx-'));
  writeFileSync(join(dir, 'a.txt'), 'hi\n');
  mkdirSync(join(dir, 'tree/sub'), { recursive: true });
  writeFileSync(join(dir, 'tree/sub/f.txt'), 'x\n');
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(6 * 1024 * 1024 + 7, 'z'));
});
after(() => moto?.kill());

test('moto (signatures enforced) accepts our uploads, single and multipart, and refuses a wrong key', async () => {
  const storage = new ObjectStorage({ endpointUrl: endpoint, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, bucketName: BUCKET });
  const file = await storage.upload(join(dir, 'a.txt'), 'org-1', join(dir, 'a.txt'));
  const tree = await storage.upload(join(dir, 'tree'), 'org-1', 'tree');
  const big = await storage.upload(join(dir, 'big.bin'), 'org-1', 'big.bin');
  // Stored already: found by its hash, not uploaded again (same answer).
  assert.equal(await storage.upload(join(dir, 'tree'), 'org-1', 'tree'), tree);
  const stored = JSON.parse(execFileSync(python, [join(here, 'moto_admin.py'), 'show', endpoint, JSON.stringify(key)], { encoding: 'utf8' }));
  assert.deepEqual(stored, {
    [`${BUCKET}/org-1/${big}/context.tar`]: { 'big.bin': 6 * 1024 * 1024 + 7 },
    [`${BUCKET}/org-1/${file}/context.tar`]: { [join(dir, 'a.txt').slice(1)]: 3 },
    [`${BUCKET}/org-1/${tree}/context.tar`]: { tree: 'dir', 'tree/sub': 'dir', 'tree/sub/f.txt': 2 },
  });
  const wrong = new ObjectStorage({ endpointUrl: endpoint, accessKeyId: key.AccessKeyId, secretAccessKey: 'not-the-secret', bucketName: BUCKET });
  await assert.rejects(wrong.upload(join(dir, 'a.txt'), 'org-2', 'a.txt'), (e) => /HTTP 403: SignatureDoesNotMatch/.test(e.message));
});
