#!/usr/bin/env bash
# README command 2: set up a fresh Debian 12 machine (as root) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
exec npm test
