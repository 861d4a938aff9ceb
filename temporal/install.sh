#!/usr/bin/env bash
# Builds the official Temporal CLI (which embeds the dev server and Web UI) once,
# into a tools cache outside the clone keyed by version, and prints its path.
# Skipped when the cached binary exists or a `temporal` of the pinned version is on PATH.
set -euo pipefail
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TOOLS_DIR="${WB_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/workflow-builder/tools}"
DEST="$TOOLS_DIR/temporal-$TEMPORAL_CLI_VERSION"
BIN="$DEST/temporal"

if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if command -v temporal >/dev/null 2>&1 && temporal --version 2>/dev/null | grep -q "${TEMPORAL_CLI_VERSION#v}"; then
  command -v temporal; exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "temporal/install.sh: Go is needed to build the Temporal CLI (or set TEMPORAL_ADDRESS to an existing cluster)" >&2
  exit 1
fi
mkdir -p "$DEST.tmp"
echo "Building Temporal CLI $TEMPORAL_CLI_VERSION with Go (first time only, takes a few minutes)..." >&2
GOBIN="$DEST.tmp" GOFLAGS="-trimpath" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
# Atomic publish, so an interrupted build is never mistaken for a finished one.
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
echo "$BIN"
