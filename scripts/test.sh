#!/usr/bin/env bash
# Runs every test suite and prints how many tests each ran. Fails if any suite fails, or
# ran nothing (wasm-bindgen-test exits 0 on a silent skip or an unresolved future, so its
# output is counted, not trusted).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
./scripts/setup.sh || exit 1

OUT=$ROOT/tests/.out
rm -rf "$OUT" && mkdir -p "$OUT"
# What sandboxes could leave behind, before any test runs (compared at the end).
./scripts/leftovers.sh | sort > "$OUT/leftovers.before"
declare -a SUMMARY=()
TOTAL_PASS=0 TOTAL_FAIL=0 BROKEN=0

record() { # suite passed failed
  SUMMARY+=("$(printf '%-28s %4d passed, %d failed' "$1" "$2" "$3")")
  TOTAL_PASS=$((TOTAL_PASS + $2)); TOTAL_FAIL=$((TOTAL_FAIL + $3))
  if [ "$2" -eq 0 ] || [ "$3" -ne 0 ]; then BROKEN=1; echo "!! suite '$1' failed or ran no test (log: $OUT)"; fi
}

# cargo test / wasm-bindgen-test output: sum the "test result:" lines. For wasm runs, every
# "Running …wasm" must be followed by a result line, and any FAIL counts.
count_cargo() { # suite logfile exitcode
  local passed failed runs results
  passed=$(grep -oP 'test result: \w+\. \K\d+(?= passed)' "$2" | awk '{s+=$1} END {print s+0}'); passed=${passed:-0}
  failed=$(grep -oP 'test result: \w+\. \d+ passed; \K\d+(?= failed)' "$2" | awk '{s+=$1} END {print s+0}'); failed=${failed:-0}
  runs=$(grep -c '^\s*Running .*\.wasm' "$2"); results=$(grep -c 'test result:' "$2")
  if grep -q -- '\.\.\. FAIL' "$2" || { [ "$runs" -gt 0 ] && [ "$results" -lt "$runs" ]; } || [ "$3" -ne 0 ]; then
    failed=$((failed > 0 ? failed : 1))
  fi
  record "$1" "$passed" "$failed"
}

# node --test (TAP): "# pass N" / "# fail N".
count_node() { # suite logfile exitcode
  local passed failed
  passed=$(grep -oP '^# pass \K\d+' "$2" | tail -1); failed=$(grep -oP '^# fail \K\d+' "$2" | tail -1)
  passed=${passed:-0}; failed=${failed:-0}
  [ "$3" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  record "$1" "$passed" "$failed"
}

run() { # suite timeout-seconds counter command...
  local suite=$1 secs=$2 counter=$3; shift 3
  echo "== $suite"
  timeout --kill-after=10 "$secs" "$@" > "$OUT/$suite.log" 2>&1
  local rc=$?
  tail -n 5 "$OUT/$suite.log"
  "$counter" "$suite" "$OUT/$suite.log" "$rc"
}

# 0. Formatting and lints: zero findings.
run lint 1200 count_node ./scripts/lint.sh

# 1. Native: types, core (fake transport + clock), server with the contract tests.
run native-cargo 1200 count_cargo cargo test -p daytona-types -p daytona-core -p daytona-local

# 2. Build the server binary the JS suites start, and the npm package.
echo "== build"
cargo build -p daytona-local > "$OUT/build.log" 2>&1 && ./scripts/build-pkg.sh >> "$OUT/build.log" 2>&1 \
  || { tail -30 "$OUT/build.log"; echo "build failed"; exit 1; }
tail -n 1 "$OUT/build.log"

# 3. The facade's wasm-bindgen-test suites, in Node and in headless Chromium, against a
#    daytona-local started here on a free port (the URL is compiled into the test).
DATA=$(mktemp -d)
./target/debug/daytona-local --listen 127.0.0.1:0 --data-dir "$DATA" --api-key "wbt-$$" > "$OUT/wbt-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do grep -q DAYTONA_API_URL "$OUT/wbt-server.log" && break; sleep 0.1; done
export DAYTONA_TEST_API_URL=$(grep -oP 'DAYTONA_API_URL=\K\S+' "$OUT/wbt-server.log") DAYTONA_TEST_API_KEY="wbt-$$"
export WASM_BINDGEN_TEST_TIMEOUT=60 WASM_BINDGEN_TEST_WEBDRIVER_JSON=$ROOT/tests/webdriver.json
# Node 20 has a global WebSocket only behind a flag (the runner splits NODE_ARGS on commas).
run wasm-bindgen-test-node 900 count_cargo env NODE_ARGS=--experimental-websocket wasm-pack test --node
run wasm-bindgen-test-chrome 900 count_cargo env WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome
kill $SERVER_PID 2>/dev/null

# 4. The built package in each runtime, and the official SDK against daytona-local.
#    Node 20 has a global WebSocket only behind this flag (Node >= 22 always has one).
export NODE_OPTIONS="--experimental-websocket --no-warnings=ExperimentalWarning"
run node-package 300 count_node node --test tests/node/
run chromium-package 300 count_node node --test tests/browser/
run workerd-package 300 count_node node --test tests/workerd/
run other-runtimes 600 count_node node --test tests/runtimes/
run bundlers 600 count_node node --test tests/bundlers/
run faults 600 count_node node --test tests/faults/
run official-sdk-conformance 300 count_node node --test tests/conformance/
run compat 900 count_node node --test tests/compat/
run s3-third-party 120 count_node node --test tests/s3/
run types 300 count_node node --test tests/types/
run package-size 60 count_node node --test tests/size/
run bench-smoke 600 count_node node --test tests/bench/

# 5. After every suite (each server stopped), no sandbox process, cgroup, disk or mount is
#    left on this host: three checks, each a failure if anything new is there.
echo "== no-leftovers"
# Servers end their sandboxes as they exit; give the kernel up to 10 s to finish.
for _ in $(seq 50); do
  ./scripts/leftovers.sh | sort > "$OUT/leftovers.after"
  LEFT=$(comm -13 "$OUT/leftovers.before" "$OUT/leftovers.after")
  [ -z "$LEFT" ] && break
  sleep 0.2
done
LEFT_PASS=0 LEFT_FAIL=0
for kind in process cgroup 'loop\|mount'; do
  if echo "$LEFT" | grep -q "^\($kind\) "; then LEFT_FAIL=$((LEFT_FAIL + 1)); echo "$LEFT" | grep "^\($kind\) "; else LEFT_PASS=$((LEFT_PASS + 1)); fi
done
record no-leftovers "$LEFT_PASS" "$LEFT_FAIL"

echo
echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
echo "${TOTAL_PASS} passed, ${TOTAL_FAIL} failed"
exit $BROKEN
