// A Worker bundled the way wrangler bundles one (esbuild, the `workerd` export condition,
// `.wasm` files as compiled modules) and run in workerd through Miniflare with no
// nodejs_compat: what the Worker example test and the benchmark's Worker build share.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';

export const COMPATIBILITY_DATE = '2026-04-26';

/** Bundles `entry` into `outfile` (throws esbuild's error when it cannot). */
export function bundleWorker(entry, outfile, { minify = false, nodePaths = [] } = {}) {
  return esbuild.build({
    entryPoints: [entry], outfile, bundle: true, minify, format: 'esm', platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'],
    nodePaths, loader: { '.wasm': 'copy' }, logLevel: 'silent',
  });
}

/** The bundle `script` in workerd with these `bindings`; `dispose()` it when done. */
export function runWorker(script, bindings, compatibilityDate = COMPATIBILITY_DATE) {
  return new Miniflare({
    modules: true, scriptPath: script, modulesRoot: dirname(script),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate, compatibilityFlags: [], bindings,
  });
}

/** The unbundled worker module `script` in workerd, loading the package's files straight from
 * the repository (ES modules, `.wasm` as compiled modules); `dispose()` it when done. */
export function runRepoWorker(script, bindings) {
  return new Miniflare({
    modules: true, scriptPath: script, modulesRoot: fileURLToPath(new URL('../..', import.meta.url)),
    modulesRules: [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: COMPATIBILITY_DATE, bindings,
  });
}
