// What Node, Bun and Deno give the package beyond the web platform: local files (node:fs),
// Buffers and Readables for downloads, and, where the runtime has no global WebSocket (Node 20 without a flag), the `ws` client,
// loaded on the first socket opened. Shared by the file-based and the bundled Node entries.
import { lstatSync, openAsBlob, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { __setLocalFiles, __setNodeTypes, __setWebSocketFallback } from '__RUNTIME__';

__setWebSocketFallback(() => import('ws').then((m) => m.WebSocket));

// The TOML parser, for pipInstallFromPyproject: each entry says how it gets smol-toml.
let loadToml;
export function useTomlParser(load) {
  loadToml = load;
}

// Downloads as Buffers (over the same memory, no copy) and Node Readables, as the official SDK
// gives them in Node.
__setNodeTypes({
  bytes: (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength),
  stream: (rs) => Readable.fromWeb(rs),
});

// Local paths for uploadFile/downloadFile: file-backed Blobs stream without loading the file.
__setLocalFiles({
  openAsBlob: (path) => {
    statSync(path); // a missing file fails here with ENOENT, which openAsBlob does not say
    return openAsBlob(path);
  },
  // For the Image builder, with `~` expanded as the official SDK's `expand-tilde` does:
  // `~+…` is the working directory, `~…` the home directory.
  inspect(path) {
    const home = homedir();
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
  async openWriter(path) {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    return { write: (chunk) => file.write(chunk), close: () => file.close() };
  },
});
