// The demo imports `daytona-wasm` like any app would; here the name resolves to the package
// this repository builds into ../pkg (scripts/build-pkg.sh), through its browser entry.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { 'daytona-wasm': fileURLToPath(new URL('../pkg/browser.mjs', import.meta.url)) } },
  build: { target: 'es2022' },
});
