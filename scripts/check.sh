#!/usr/bin/env bash
# The whole test suite: generated-file drift, types, import boundaries, C tests, node tests,
# then a leak check of kernel objects the tests may have left.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/build.sh
node scripts/gen-protocol.ts --check
tsc -p tsconfig.json
node scripts/check-imports.ts
make -s -C native test
status=0
started=$(date +%s)
node --test --test-concurrency=2 'src/**/*.test.ts' 'test/**/*.test.ts' || status=$?
node scripts/leak-check.ts --since "$started" || status=$?
exit $status
