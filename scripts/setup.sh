#!/usr/bin/env bash
# Idempotent set-up of everything the build and the tests need on a fresh machine of this
# kind (Debian 12, rustup, Node 20). Each step checks before it installs, so a second run
# takes seconds. Versions are pinned; see ../shared/reference/toolchain.md for why each one.
set -euo pipefail
cd "$(dirname "$0")/.."

WBG_VERSION=0.2.130      # must equal the wasm-bindgen crate pin in Cargo.toml
WASM_PACK_VERSION=0.15.1

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding rust component $component"
    rustup component add "$component"
  fi
done

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WBG_VERSION" ]; then
  log "installing wasm-bindgen-cli $WBG_VERSION (about 4 minutes)"
  # Not --locked: its lockfile pins a webpki-roots version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (about 2 minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

# Debian packages, installed when one of the commands they give is missing.
debian() {
  local cmds=$1; shift
  for c in $cmds; do
    if ! command -v "$c" >/dev/null; then
      log "installing Debian $*"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "$@" >/dev/null
      return
    fi
  done
}

debian "chromium chromedriver" chromium chromium-driver
# bubblewrap: daytona-local jails every sandbox with it (namespaces, read-only host).
debian bwrap bubblewrap
# Each sandbox's own network: outbound through slirp4netns (user-mode, no host change),
# rules inside its namespace with nftables; iproute2 links linked sandboxes.
debian "slirp4netns nft ip" slirp4netns nftables iproute2
# The SSH test's client.
debian ssh openssh-client
# Tools the tests run: curl inside sandboxes, openssl for the secrets test's certificates.
debian "curl openssl" curl openssl
# Computer use: a desktop per sandbox (Xvfb, openbox), driven by xdotool and wmctrl,
# captured by ffmpeg; urxvt is the terminal the test types into.
debian "Xvfb openbox xdotool wmctrl ffmpeg urxvt" xvfb openbox xdotool wmctrl ffmpeg rxvt-unicode
# Its accessibility tree: the AT-SPI bus under a session bus, pyatspi for Debian's Python,
# and GTK 3 with its accessibility bridge for the window the tests read.
if ! [ -x /usr/libexec/at-spi-bus-launcher ] || ! command -v dbus-run-session >/dev/null ||
  ! /usr/bin/python3 -c 'import pyatspi, gi; gi.require_version("Gtk", "3.0")' 2>/dev/null; then
  log "installing Debian at-spi2-core python3-pyatspi gir1.2-gtk-3.0"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends at-spi2-core libatk-adaptor dbus-daemon python3-pyatspi python3-gi gir1.2-gtk-3.0 >/dev/null
fi

# Python with matplotlib: code-run in daytona-local sandboxes returns matplotlib charts.
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  log "installing matplotlib for sandbox code-run"
  python3 -m pip install --quiet --disable-pip-version-check 'matplotlib==3.9.2'
fi

# The language servers daytona-local runs for sandbox LSP, installed globally: sandboxes
# see the host's /usr (read-only). None of the three has dependencies, so the pins are the
# whole tree.
LSP_PACKAGES="typescript-language-server@5.3.0 typescript@5.9.3 pyright@1.1.414"
lsp_installed() {
  local root; root=$(npm root -g)
  for p in $LSP_PACKAGES; do
    [ "$(node -p "require('$root/${p%@*}/package.json').version" 2>/dev/null)" = "${p##*@}" ] || return 1
  done
}
if ! lsp_installed; then
  log "installing language servers: $LSP_PACKAGES"
  npm install -g --no-audit --no-fund --loglevel=error $LSP_PACKAGES
fi

# moto (an S3 server that checks signatures), in a venv of its own, for the test of the
# package's object-storage uploads against a third-party S3.
MOTO_VERSION=5.2.5
if ! tests/s3/.venv/bin/python -c "import boto3, moto; assert moto.__version__ == '$MOTO_VERSION'" 2>/dev/null; then
  log "installing moto[server] $MOTO_VERSION for the object-storage test"
  python3 -m venv tests/s3/.venv
  tests/s3/.venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" boto3==1.44.8
fi

# npm dev dependencies (binaryen's wasm-opt, miniflare/workerd, the official SDK for
# conformance, typescript) from the committed lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dev dependencies from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The other runtimes the package is tested in (Node 22, Bun, Deno, from npm), in a folder of
# their own so the root node_modules/.bin, which is on PATH, keeps `node` at Node 20.
if [ ! -d tests/runtimes/node_modules ] || [ tests/runtimes/package-lock.json -nt tests/runtimes/node_modules/.package-lock.json ]; then
  log "installing Node 22, Bun and Deno for the runtime tests"
  npm ci --prefix tests/runtimes --no-audit --no-fund --loglevel=error
fi

log "ready"
