// Files as Node code uses them with the official SDK: Buffers in and out, streams, search.
import { Daytona } from '@daytonaio/sdk';
import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';

const daytona = new Daytona();
const sandbox = await daytona.create({ labels: { compat: process.env.COMPAT_RUN!, app: 'files' } });
try {
  const fs = sandbox.fs;
  await fs.createFolder('project/src', '755');
  await fs.uploadFile(Buffer.from('print("hello")\n# TODO: more\n'), 'project/src/main.py');
  await fs.uploadFiles([
    { source: Buffer.from('a'), destination: 'project/a.txt' },
    { source: Buffer.from('TODO b'), destination: 'project/b.txt' },
  ]);
  const content = await fs.downloadFile('project/src/main.py');
  console.log('downloaded', Buffer.isBuffer(content), content.toString('utf8').split('\n')[0]);
  const files = await fs.listFiles('project');
  console.log('listed', files.map((f) => `${f.name}:${f.isDir}`).sort().join(' '));
  const matches = await fs.findFiles('project', 'TODO');
  console.log('found', matches.map((m) => `${m.file.split('/').pop()}:${m.line}`).sort().join(' '));
  const search = await fs.searchFiles('project', '*.txt');
  console.log('searched', search.files.map((f) => f.split('/').pop()).sort().join(' '));
  await fs.replaceInFiles(['project/b.txt'], 'TODO', 'DONE');
  console.log('replaced', (await fs.downloadFile('project/b.txt')).toString());
  const details = await fs.getFileDetails('project/src/main.py');
  console.log('details', details.name, details.size, details.isDir);
  await fs.uploadFileStream(Readable.from([Buffer.from('streamed ')]), 'project/stream.txt');
  const stream = await fs.downloadFileStream('project/stream.txt');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  console.log('stream', Buffer.concat(chunks).toString().trim());
  // Streamed with today's options: progress, an abort mid-stream and before the start.
  await fs.uploadFile(Buffer.alloc(1024 * 1024 + 7, 1), 'project/big.bin');
  const progress: { bytesReceived: number; totalBytes?: number }[] = [];
  let received = 0;
  for await (const chunk of await fs.downloadFileStream('project/big.bin', { onProgress: (p) => progress.push(p) })) {
    received += chunk.length;
  }
  const rising = progress.every((p, i) => i === 0 || p.bytesReceived > progress[i - 1].bytesReceived);
  console.log('progress', received, progress[progress.length - 1].bytesReceived, progress[progress.length - 1].totalBytes, rising);
  const controller = new AbortController();
  const aborted = await fs.downloadFileStream('project/big.bin', { signal: controller.signal, timeout: 60 });
  controller.abort();
  const drained = async (s: AsyncIterable<unknown>) => {
    for await (const _ of s);
  };
  const failure = (e: Error) => `${e.name}: ${e.message}`;
  console.log('aborted', await drained(aborted).then(() => 'ended', failure));
  console.log('pre-aborted', await fs.downloadFileStream('project/big.bin', { signal: AbortSignal.abort() }).then(() => 'started', failure));
  console.log('missing', await fs.downloadFileStream('project/missing.bin').then(() => 'started', (e) => e.name));
  const bulk = await fs.downloadFiles([{ source: 'project/a.txt' }, { source: 'project/missing.txt' }]);
  console.log('bulk', String(bulk[0].result), bulk[1].error ? 'error' : 'none');
  await fs.moveFiles('project/a.txt', 'project/c.txt');
  await fs.deleteFile('project/c.txt');
  console.log('after', (await fs.listFiles('project')).map((f) => f.name).sort().join(' '));
} finally {
  await sandbox.delete();
}
