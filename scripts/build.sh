#!/usr/bin/env bash
# Builds the native helper and the bundled binaries (dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/gen-protocol.ts
make -s -C native
node scripts/bundle.ts
