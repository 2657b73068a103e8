#!/usr/bin/env bash
# Builds the npm package into pkg/: one release wasm, bound with wasm-bindgen's web target,
# shrunk with npm binaryen's wasm-opt, plus the per-runtime entries from pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

cargo build --release --target wasm32-unknown-unknown -p daytona-wasm
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg/web target/wasm32-unknown-unknown/release/daytona_wasm.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/web/daytona_wasm_bg.wasm -o pkg/web/daytona_wasm_bg.wasm

# The entries re-export the error classes from the very module the glue imports, so
# `instanceof` works. Its folder name carries a hash, hence the glob.
runtime=$(cd pkg && ls web/snippets/*/src/js/runtime.js)
for f in node.mjs node-platform.mjs node-bundle.mjs node.cjs browser.mjs browser-inline.mjs workerd.mjs package.json; do
  sed "s#__RUNTIME__#./$runtime#" "pkg-template/$f" > "pkg/$f"
done
# Exported classes and functions keep their names (`Sandbox.name`, what a console shows)
# through identifier minification: set once at load from string literals. esbuild's
# --keep-names would instead wrap every closure each call creates (measured: +90 us per
# `get`, and a slower `fetch` for the whole process).
node -e '
const fs = require("fs");
for (const f of process.argv.slice(1)) {
  const names = [...fs.readFileSync(f, "utf8").matchAll(/^export (?:async )?(?:class|function) (\w+)/gm)].map((m) => m[1]);
  if (!names.length) throw new Error(`no exported class or function found in ${f}: has the glue changed form?`);
  const pairs = names.map((n) => `[${n}, "${n}"]`).join(", ");
  fs.appendFileSync(f, `\nfor (const [f, n] of [${pairs}]) Object.defineProperty(f, "name", { value: n });\n`);
}' pkg/web/daytona_wasm.js pkg/web/snippets/*/src/js/runtime.js
# The Node, Bun and Deno entry as one module: each module the runtime loads costs start-up of
# its own (1-4 ms CPU for these four, in fresh Node 22 processes). It is the same code.
esbuild pkg/node.mjs --bundle --format=esm --platform=node --minify --external:smol-toml --external:ws \
  --log-level=warning --allow-overwrite --outfile=pkg/node.mjs
# The other entries' glue, minified: less to download and to parse at start.
for f in pkg/web/daytona_wasm.js pkg/web/snippets/*/src/js/runtime.js; do
  esbuild "$f" --minify --format=esm --log-level=warning --outfile="$f.min" && mv "$f.min" "$f"
done
cp README.md pkg/README.md
# For bundlers that leave `new URL(…wasm, import.meta.url)` alone (see browser-inline.mjs).
printf 'export default "%s";\n' "$(base64 -w0 pkg/web/daytona_wasm_bg.wasm)" > pkg/web/daytona_wasm_bg.wasm.base64.mjs

# One .d.ts for every entry: the glue's, without its loader functions.
node -e '
const fs = require("fs");
const src = fs.readFileSync("pkg/web/daytona_wasm.d.ts", "utf8");
const cut = src.indexOf("export type InitInput");
fs.writeFileSync("pkg/index.d.ts", (cut < 0 ? src : src.slice(0, cut)).trimEnd() + "\n");
'
rm -f pkg/web/.gitignore pkg/web/package.json
wasm=$(stat -c %s pkg/web/daytona_wasm_bg.wasm); glue=$(stat -c %s pkg/web/daytona_wasm.js)
echo "built pkg/: wasm ${wasm} B (gzip $(gzip -9c pkg/web/daytona_wasm_bg.wasm | wc -c) B), glue ${glue} B"
