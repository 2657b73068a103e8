// How much of the pinned official SDK's public surface the package has, counted from both
// packages' declarations with the TypeScript compiler and, for values, from the modules
// themselves: top-level value exports, type exports, the public members of every class the
// official package declares, and whether every official method signature (its overloads,
// their parameter counts and optionality) can be called the same way on ours. The counts are
// printed; the test fails if one gets worse than its floor (move a floor when a count
// improves), and lists what is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = fileURLToPath(new URL('../..', import.meta.url));
const officialDir = join(root, 'node_modules/@daytonaio/sdk/esm');
const oursDts = join(root, 'pkg/index.d.ts');

// Reached-for floors: what main had when each count was last raised.
const FLOOR = { values: 70, types: 135, members: 252, uncallable: 0 };

const isPublic = (m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
  && m.name && !ts.isPrivateIdentifier(m.name) && !ts.isConstructorDeclaration(m);

/** class name → Set of public member names, over every class and interface declared in `files`. */
function declared(files, { interfaces }) {
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
  const out = new Map();
  for (const sf of program.getSourceFiles()) {
    if (!files.some((f) => sf.fileName === f)) continue;
    ts.forEachChild(sf, function visit(node) {
      const isClass = ts.isClassDeclaration(node);
      if ((isClass || (interfaces && ts.isInterfaceDeclaration(node))) && node.name) {
        const names = out.get(node.name.text) ?? new Set();
        for (const m of node.members) if (isPublic(m)) names.add(m.name.getText(sf));
        out.set(node.name.text, names);
      }
    });
  }
  return out;
}

/** `Class.method` → its overloads' parameters, `{ name, optional }` each. */
function signatures(files, { interfaces }) {
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
  const out = new Map();
  for (const sf of program.getSourceFiles()) {
    if (!files.includes(sf.fileName)) continue;
    ts.forEachChild(sf, (node) => {
      if (!((ts.isClassDeclaration(node) || (interfaces && ts.isInterfaceDeclaration(node))) && node.name)) return;
      for (const m of node.members) {
        // Constructors are left out: the official ones take its internal API clients.
        if (!(ts.isMethodDeclaration(m) || ts.isMethodSignature(m)) || !isPublic(m)) continue;
        const key = `${node.name.text}.${m.name.getText(sf)}`;
        out.set(key, [...(out.get(key) ?? []), m.parameters.map((p) => ({ name: p.name.getText(sf), optional: !!(p.questionToken || p.initializer || p.dotDotDotToken) }))]);
      }
    });
  }
  return out;
}

/** Official overloads that no overload of ours accepts with the same arguments: ours must
 * require no more parameters and take at least as many. */
function uncallable(official, ours) {
  const out = [];
  for (const [key, overloads] of official) {
    const mine = ours.get(key);
    if (!mine) continue; // counted as a missing member
    for (const o of overloads) {
      const required = o.filter((p) => !p.optional).length;
      if (!mine.some((s) => s.filter((p) => !p.optional).length <= required && s.length >= o.length)) {
        out.push(`${key}(${o.map((p) => p.name + (p.optional ? '?' : '')).join(', ')})`);
      }
    }
  }
  return out;
}

/** Names a declaration file exports, values and types alike (through re-exports). */
function exportedNames(file) {
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const sym = checker.getSymbolAtLocation(program.getSourceFile(file));
  return new Set(checker.getExportsOfModule(sym).map((s) => s.name));
}

test('public surface against the official SDK', async () => {
  const officialFiles = readdirSync(officialDir).filter((f) => f.endsWith('.d.ts')).map((f) => join(officialDir, f));
  const officialClasses = declared(officialFiles, { interfaces: false });
  // Ours: classes plus the interfaces that merge into them (e.g. Daytona.list's overloads).
  const ourClasses = declared([oursDts], { interfaces: true });
  let total = 0, have = 0;
  const missingMembers = [];
  for (const [cls, members] of officialClasses) {
    for (const m of members) {
      total++;
      if (ourClasses.get(cls)?.has(m)) have++;
      else missingMembers.push(`${cls}.${m}`);
    }
  }

  const official = await import('@daytonaio/sdk');
  const ours = await import('../../pkg/node.mjs');
  const values = Object.keys(official);
  const missingValues = values.filter((k) => !(k in ours));

  const officialTypes = exportedNames(join(officialDir, 'index.d.ts'));
  const ourTypes = exportedNames(oursDts);
  const missingTypes = [...officialTypes].filter((n) => !ourTypes.has(n));

  const notCallable = uncallable(signatures(officialFiles, { interfaces: false }), signatures([oursDts], { interfaces: true }));

  console.log(`# class members: ${have} of ${total}`);
  console.log(`# official method signatures ours cannot be called with: ${notCallable.length}${notCallable.length ? ': ' + notCallable.join(' ') : ''}`);
  console.log(`# value exports: ${values.length - missingValues.length} of ${values.length}`);
  console.log(`# declared exports (values and types): ${officialTypes.size - missingTypes.length} of ${officialTypes.size}`);
  console.log(`# missing members: ${missingMembers.join(' ')}`);
  console.log(`# missing exports: ${[...new Set([...missingValues, ...missingTypes])].join(' ')}`);
  assert.ok(total > 200, 'read the official classes');
  assert.ok(values.length - missingValues.length >= FLOOR.values, `value exports dropped: ${missingValues}`);
  assert.ok(officialTypes.size - missingTypes.length >= FLOOR.types, `declared exports dropped: ${missingTypes}`);
  assert.ok(have >= FLOOR.members, `class members dropped to ${have}: missing ${missingMembers}`);
  assert.ok(notCallable.length <= FLOOR.uncallable, `official signatures ours cannot be called with: ${notCallable.join(' ')}`);
});
