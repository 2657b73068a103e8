#!/usr/bin/env bash
# Formatting and lints, each a check that passes only with zero findings: rustfmt over the
# whole tree, clippy over every crate natively, and over the crates the package compiles for
# wasm32; and daytona-local's import graph, which must have no cycle. Prints TAP-style
# counts for the test command.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0 fail=0
check() { # name command...
  local name=$1
  shift
  if "$@"; then
    echo "ok - $name"; pass=$((pass + 1))
  else
    echo "not ok - $name"; fail=$((fail + 1))
  fi
}
check "cargo fmt --check" cargo fmt --all --check
check "clippy, native" cargo clippy --workspace --all-targets -- -D warnings
# The facade's wasm tests read the server's address at compile time; any address lints.
check "clippy, wasm32" env DAYTONA_TEST_API_URL=http://127.0.0.1:9/api DAYTONA_TEST_API_KEY=lint \
  cargo clippy --target wasm32-unknown-unknown -p daytona-wasm -p daytona-core -p daytona-types --all-targets -- -D warnings
# daytona-local's modules import each other in one direction only.
check "no import cycle in daytona-local" python3 scripts/import-cycles.py crates/daytona-local/src
echo "# pass $pass"
echo "# fail $fail"
[ "$fail" -eq 0 ]
