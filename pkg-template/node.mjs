// Node, Bun and Deno: load the module synchronously from the package's own file.
import { openAsBlob, readFileSync, statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { initSync } from './web/daytona_wasm.js';
import { __setLocalFiles } from '__RUNTIME__';

initSync({ module: readFileSync(new URL('./web/daytona_wasm_bg.wasm', import.meta.url)) });

// Local paths for uploadFile/downloadFile: file-backed Blobs stream without loading the file.
__setLocalFiles({
  openAsBlob: (path) => {
    statSync(path); // a missing file fails here with ENOENT, which openAsBlob does not say
    return openAsBlob(path);
  },
  async openWriter(path) {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    return { write: (chunk) => file.write(chunk), close: () => file.close() };
  },
});

export * from './web/daytona_wasm.js';
export * from '__RUNTIME__';
