// What Node, Bun and Deno give the package beyond the web platform: local files (node:fs),
// Buffers and Readables for downloads, and, where the runtime has no global WebSocket (Node 20 without a flag), the `ws` client,
// loaded on the first socket opened. Shared by the Node entry (node.mjs) and the one for
// bundlers (node-bundle.mjs).
import { createRequire } from 'node:module';
import { __setLocalFiles, __setNodeTypes, __setWebSocketFallback } from '__RUNTIME__';

__setWebSocketFallback(() => import('ws').then((m) => m.WebSocket));

// Node's modules are required, and the heavier ones only when first used: an ESM import of
// node:fs reads every export (fs.promises, the file streams), which loads some twenty of
// Node's internal modules at start-up. node:fs and node:path are loaded by Node itself.
// (A CommonJS bundle has no import.meta.url: there, process.getBuiltinModule.)
const require = process.getBuiltinModule ?? createRequire(import.meta.url);
const { createReadStream, lstatSync, openAsBlob, readFileSync, readdirSync, realpathSync, statSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const readable = () => require('node:stream').Readable;

// The TOML parser, for pipInstallFromPyproject: each entry says how it gets smol-toml.
let loadToml;
export function useTomlParser(load) {
  loadToml = load;
}

// Downloads as Buffers (over the same memory, no copy) and Node Readables, as the official SDK
// gives them in Node.
__setNodeTypes({
  bytes: (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength),
  stream: (rs) => readable().fromWeb(rs),
});

// The Blobs made from local paths, with their paths: sendForm reads those from disk.
const localBlobs = new WeakMap();
const CHUNK = 1 << 20;

/** A multipart POST through node:http(s), with the parts streamed under back-pressure: Node's
 * fetch buffers a file-backed Blob whole (+280 MiB of memory for a 256 MiB upload). Written
 * here because the framing is a few lines and the form-data package is CommonJS with a stream
 * layer of its own. Resolves to a web Response, so the transport reads it as fetch's. */
async function sendMultipart(url, { method, headers, signal }, parts) {
  const boundary = `----DaytonaFormBoundary${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const quote = (s) => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const pieces = [];
  for (const [name, filename, value] of parts) {
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"`;
    if (typeof value === 'string') {
      pieces.push(Buffer.from(`${head}\r\n\r\n${value}\r\n`));
    } else {
      const type = value.type || 'application/octet-stream';
      pieces.push(Buffer.from(`${head}; filename="${quote(filename ?? 'blob')}"\r\nContent-Type: ${type}\r\n\r\n`), value, Buffer.from('\r\n'));
    }
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const length = pieces.reduce((n, p) => n + (p.size ?? p.byteLength), 0);
  const { request } = await import(new URL(url).protocol === 'https:' ? 'node:https' : 'node:http');
  const head = { ...Object.fromEntries(headers), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: head, signal }, (res) => {
      const empty = [101, 204, 205, 304].includes(res.statusCode);
      const pairs = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      if (empty) res.resume();
      resolve(new Response(empty ? null : readable().toWeb(res), { status: res.statusCode, statusText: res.statusMessage, headers: pairs }));
    });
    req.on('error', reject);
    (async () => {
      for (const p of pieces) {
        const chunks = !(p instanceof Blob) ? [p] : localBlobs.has(p) ? createReadStream(localBlobs.get(p), { highWaterMark: CHUNK }) : p.stream();
        for await (const chunk of chunks) if (!req.write(chunk)) await require('node:events').once(req, 'drain');
      }
      req.end();
    })().catch((e) => req.destroy(e));
  });
}

// Local paths for uploadFile/downloadFile: file-backed Blobs stream without loading the file.
__setLocalFiles({
  openAsBlob: async (path) => {
    statSync(path); // a missing file fails here with ENOENT, which openAsBlob does not say
    const blob = await openAsBlob(path);
    localBlobs.set(blob, path);
    return blob;
  },
  sendForm: (url, init, parts) => (parts.some(([, , v]) => localBlobs.has(v)) ? sendMultipart(url, init, parts) : undefined),
  // For the Image builder, with `~` expanded as the official SDK's `expand-tilde` does:
  // `~+…` is the working directory, `~…` the home directory.
  inspect(path) {
    const home = require('node:os').homedir();
    const expanded = path[0] !== '~' ? path : path[1] === '+' ? join(process.cwd(), path.slice(2)) : home ? join(home, path.slice(1)) : path;
    const st = statSync(expanded, { throwIfNoEntry: false });
    return { expanded, absolute: resolve(expanded), kind: !st ? null : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other' };
  },
  readText: (path) => readFileSync(path, 'utf8'),
  // pipInstallFromPyproject; through JSON so TOML dates become strings.
  readToml: (path) => JSON.parse(JSON.stringify(loadToml()(readFileSync(path, 'utf8')))),
  // For build contexts: entries in readdir order, as the official SDK hashes them.
  list: (dir) => readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other']),
  readBytes: (path) => readFileSync(path),
  // strictContext: where a path really is.
  realPath(path) {
    try {
      return { real: realpathSync(path) };
    } catch {
      return lstatSync(path, { throwIfNoEntry: false }) ? { dangling: true } : {};
    }
  },
  // Downloads to a path: the disk writes run behind the network reads. Chunks gather into
  // batches of CHUNK bytes; a full batch waits only for the write before it, so at most one
  // write is in flight and one batch waits (bounded memory). A failed write surfaces on the
  // next write or on close.
  async openWriter(path) {
    const { mkdir, open } = require('node:fs/promises');
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    let batch = [], size = 0, inflight = Promise.resolve();
    const flush = () => {
      inflight = file.write(batch.length === 1 ? batch[0] : Buffer.concat(batch, size)); // one copy: Deno's handles have no writev
      inflight.catch(() => {}); // handled: awaited by the next write or close
      batch = [];
      size = 0;
    };
    return {
      async write(chunk) {
        batch.push(chunk);
        size += chunk.byteLength;
        if (size < CHUNK) return;
        await inflight;
        flush();
      },
      async close() {
        try {
          await inflight;
          if (batch.length) flush();
          await inflight;
        } finally {
          await file.close();
        }
      },
    };
  },
});
