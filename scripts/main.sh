#!/usr/bin/env bash
# The main job: set up, build the server and the npm package, start daytona-local, run the
# quickstart against it, then build and serve the www-demo (connected to this daytona-local)
# until Ctrl-C. With --once it checks the demo is served and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
ONCE=0; [ "${1:-}" = "--once" ] && ONCE=1
./scripts/setup.sh
echo "[main] building daytona-local and the npm package"
cargo build --release -p daytona-local
./scripts/build-pkg.sh

DATA=${DAYTONA_LOCAL_DATA_DIR:-$PWD/.data}
LISTEN=${DAYTONA_LOCAL_LISTEN:-127.0.0.1:3986}
LOG=$(mktemp)
./target/release/daytona-local --listen "$LISTEN" --data-dir "$DATA" > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do grep -q DAYTONA_API_KEY "$LOG" && break; sleep 0.1; done
export DAYTONA_API_URL=$(grep -oP 'DAYTONA_API_URL=\K\S+' "$LOG")
export DAYTONA_API_KEY=$(grep -oP 'DAYTONA_API_KEY=\K\S+' "$LOG")
[ -n "$DAYTONA_API_URL" ] || { cat "$LOG"; echo "daytona-local did not start"; exit 1; }
echo "[main] daytona-local is up (data in $DATA):"
echo "  export DAYTONA_API_URL=$DAYTONA_API_URL"
echo "  export DAYTONA_API_KEY=$DAYTONA_API_KEY"
echo "[main] quickstart:"
node examples/quickstart.mjs

echo "[main] building the www-demo"
DEMO=$PWD/target/www-demo
node_modules/.bin/vite build www-demo --outDir "$DEMO" --emptyOutDir --logLevel warn
# The page's default connection: this daytona-local (the demo stays pure static files).
printf '{"apiUrl":"%s","apiKey":"%s"}\n' "$DAYTONA_API_URL" "$DAYTONA_API_KEY" > "$DEMO/config.json"
DEMO_PORT=${DEMO_PORT:-4173}
node_modules/.bin/vite preview www-demo --outDir "$DEMO" --host 127.0.0.1 --port "$DEMO_PORT" --strictPort \
  --logLevel warn &
PREVIEW=$!
trap 'kill $SERVER $PREVIEW 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$DEMO_PORT/" > /dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$DEMO_PORT/config.json" > /dev/null || { echo "the demo is not served"; exit 1; }
echo "[main] www-demo: open http://127.0.0.1:$DEMO_PORT/"
[ "$ONCE" = 1 ] && exit 0
echo "[main] daytona-local and the demo keep running; press Ctrl-C to stop."
wait $SERVER
