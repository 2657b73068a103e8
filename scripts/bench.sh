#!/usr/bin/env bash
# The benchmark report in one command: set up, build the release daytona-local and the
# package, then measure both SDKs against it (bench/report.mjs; extra args go to it).
# Writes bench/report/ and the README's benchmark section.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release -p daytona-local
./scripts/build-pkg.sh
node bench/report.mjs "$@"
