// Runs TypeScript read from stdin on a Node without type stripping (before 22.6): the code is
// transpiled by the TypeScript package whose path is in DAYTONA_TYPESCRIPT, then run as a
// CommonJS module of the working directory, with process.argv = [node, ...argv].
const ts = require(process.env.DAYTONA_TYPESCRIPT);
const Module = require('module');
const path = require('path');
let source = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (source += d));
process.stdin.on('end', () => {
  delete process.env.DAYTONA_TYPESCRIPT;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const filename = path.join(process.cwd(), '[eval].ts');
  const m = new Module(filename, null);
  m.filename = filename;
  m.paths = Module._nodeModulePaths(process.cwd());
  m._compile(outputText, filename);
});
