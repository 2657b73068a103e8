// LSP through both SDKs against daytona-local's real language servers
// (typescript-language-server, pyright): completions and symbols on a small TypeScript and
// a small Python project, and the errors for an unknown language and a stopped server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as official from '@daytonaio/sdk';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const TS = 'export class Greeter {\n  greet(name: string) { return `hi ${name}`; }\n}\nexport function makeGreeter() { return new Greeter(); }\nconst g = makeGreeter();\ng.\n';
const PY = 'import os\n\ndef hello(name):\n    return name.upper()\n\nclass Shape:\n    def area(self):\n        return 0\n\nos.pa\n';

const names = (symbols) => symbols.map((s) => s.name).sort();

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: LSP completions and symbols in TypeScript and Python projects`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const sb = await daytona.create();
    try {
      const write = (path, text) => sb.process.executeCommand(`mkdir -p $(dirname ${path}) && printf '%s' '${text.replaceAll("'", "'\\''")}' > ${path}`);
      await write('ts-proj/src/index.ts', TS);
      await write('ts-proj/tsconfig.json', '{"compilerOptions":{"strict":true}}');
      await write('py-proj/main.py', PY);

      await assert.rejects(sb.createLspServer('rust', 'ts-proj'), (e) => e instanceof mod.DaytonaError && /Invalid languageId: rust/.test(e.message));

      const ts = await sb.createLspServer('typescript', 'ts-proj');
      await ts.start();
      await ts.didOpen('ts-proj/src/index.ts');
      const completions = await ts.completions('ts-proj/src/index.ts', { line: 5, character: 2 });
      assert.equal(typeof completions.isIncomplete, 'boolean');
      assert.ok(completions.items.some((i) => i.label === 'greet'), JSON.stringify(completions.items));
      const symbols = await ts.documentSymbols('ts-proj/src/index.ts');
      assert.deepEqual(names(symbols).filter((n) => ['Greeter', 'greet', 'makeGreeter'].includes(n)), ['Greeter', 'greet', 'makeGreeter']);
      const greeter = symbols.find((s) => s.name === 'Greeter');
      assert.equal(greeter.kind, 5); // Class
      assert.equal(greeter.location.uri, 'file:///home/daytona/ts-proj/src/index.ts');
      assert.deepEqual(greeter.location.range.start, { line: 0, character: 0 });
      const found = await ts.sandboxSymbols('makeGree');
      assert.ok(found.some((s) => s.name === 'makeGreeter' && s.kind === 12), JSON.stringify(found));
      await ts.didClose('ts-proj/src/index.ts');
      await ts.stop();
      await assert.rejects(ts.completions('ts-proj/src/index.ts', { line: 5, character: 2 }), (e) => e instanceof mod.DaytonaError && /start\(\) first/.test(e.message));

      // Absolute paths, and no didOpen: the file is opened for the request.
      const py = await sb.createLspServer('python', '/home/daytona/py-proj');
      await py.start();
      const pyCompletions = await py.completions('/home/daytona/py-proj/main.py', { line: 9, character: 5 });
      assert.ok(pyCompletions.items.some((i) => i.label === 'path'), JSON.stringify(pyCompletions.items.slice(0, 5)));
      const pySymbols = await py.documentSymbols('/home/daytona/py-proj/main.py');
      assert.deepEqual(names(pySymbols).filter((n) => ['Shape', 'area', 'hello'].includes(n)), ['Shape', 'area', 'hello']);
      assert.equal(pySymbols.find((s) => s.name === 'hello').kind, 12); // Function
      assert.ok((await py.sandboxSymbols('Sha')).some((s) => s.name === 'Shape'));
      await py.stop();
    } finally {
      await sb.delete();
    }
  });
}
