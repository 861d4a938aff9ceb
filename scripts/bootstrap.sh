#!/usr/bin/env bash
# The one entry point behind `npm start` and `npm test`: installs what is missing
# (pnpm, node_modules, the Temporal CLI, Chromium for browser tests), then hands
# over to scripts/cli.ts. Needs only Node 20 and npm on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:-up}"
PNPM_VERSION="10.34.8"
TOOLS_DIR="${WB_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/workflow-builder/tools}"
export WB_TOOLS_DIR="$TOOLS_DIR"
log() { printf '\033[36m[bootstrap]\033[0m %s\n' "$*" >&2; }

# 1. pnpm, from the npm registry, into the tools cache (no global install needed).
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  PNPM_DIR="$TOOLS_DIR/pnpm-$PNPM_VERSION"
  if [ ! -x "$PNPM_DIR/node_modules/.bin/pnpm" ]; then
    log "installing pnpm $PNPM_VERSION into $PNPM_DIR"
    mkdir -p "$PNPM_DIR"
    npm install --no-audit --no-fund --loglevel=error --prefix "$PNPM_DIR" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$PNPM_DIR/node_modules/.bin:$PATH"
fi

# 2. Dependencies (a no-op in about a second when node_modules is current).
STAMP="node_modules/.wb-install-stamp"
LOCK_HASH="$( (cat pnpm-lock.yaml package.json pnpm-workspace.yaml apps/*/package.json packages/*/package.json bench/package.json 2>/dev/null || true) | sha1sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_HASH" ]; then
  log "installing dependencies with pnpm"
  if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile --reporter=append-only >&2
  else pnpm install --reporter=append-only >&2; fi
  echo "$LOCK_HASH" > "$STAMP"
fi

# 3. The Temporal CLI (dev server + Web UI), unless an external cluster is used.
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  WB_TEMPORAL_BIN="$(bash temporal/install.sh)"
  export WB_TEMPORAL_BIN
fi

# 4. Chromium for the browser tests, from Debian, when missing.
if [ "$MODE" = "test" ] && [ -z "${WB_SKIP_BROWSER:-}" ] && [ ! -x /usr/bin/chromium ]; then
  log "installing chromium from Debian packages"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi

exec pnpm exec tsx scripts/cli.ts "$@"
