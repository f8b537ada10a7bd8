#!/usr/bin/env bash
# README command 1: set up a fresh Debian 12 machine (as root), build a busybox image rootfs
# from Debian's busybox-static and run a container from it with berth-runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/fixtures/busybox-rootfs.sh .fixtures/busybox/rootfs
bundle=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
bin/berth-runtime spec --bundle "$bundle"
# Point the default spec at the busybox rootfs and give it something to say.
node_modules/.bin/node -e '
  const fs = require("fs"); const f = process.argv[1] + "/config.json";
  const s = JSON.parse(fs.readFileSync(f, "utf8"));
  s.root.path = process.argv[2];
  s.process.terminal = false;
  s.process.args = ["sh", "-c", "echo \"hello from a berth container: pid $$, hostname $(hostname), uid $(id -u)\"; echo processes:; ps; echo mounts:; cat /proc/mounts | head -5"];
  fs.writeFileSync(f, JSON.stringify(s, null, 2));
' "$bundle" "$PWD/.fixtures/busybox/rootfs"
exec bin/berth-runtime --root /run/berth-demo run --bundle "$bundle" "demo-$$"
