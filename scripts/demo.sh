#!/usr/bin/env bash
# README command 1, on a fresh Debian 12 machine as root: set up, start berthd, make a busybox
# image from Debian's busybox-static and a hello-world image (import), and run both through berthd
# with the berth CLI. berthd keeps running afterwards (its pid is printed); containers outlive it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/fixtures/busybox-rootfs.sh .fixtures/busybox/rootfs
bash scripts/fixtures/hello-world-rootfs.sh .fixtures/hello-world/rootfs

sock=/run/berth/berth.sock
export DOCKER_HOST="unix://$sock"
if ! bin/berth version >/dev/null 2>&1; then
  mkdir -p /var/log
  echo "demo: starting berthd (log: /var/log/berthd.log)" >&2
  setsid bin/berthd >>/var/log/berthd.log 2>&1 < /dev/null &
  for _ in $(seq 1 100); do bin/berth version >/dev/null 2>&1 && break; sleep 0.1; done
fi
bin/berth version --format 'berthd {{.Server.Version}} (API {{.Server.APIVersion}})'

tar -C .fixtures/busybox/rootfs -c . | bin/berth import --change 'CMD ["sh"]' - busybox:latest >/dev/null
tar -C .fixtures/hello-world/rootfs -c . | bin/berth import --change 'CMD ["/hello"]' - hello-world:latest >/dev/null
# An earlier run's imports are untagged now: removed, so that every run leaves just these two.
bin/berth image prune -f >/dev/null
bin/berth images

bin/berth run --rm busybox sh -c 'echo "hello from a berth container: pid $$, hostname $(hostname), uid $(id -u)"'
bin/berth run --rm hello-world
echo "demo: berthd is running as pid $(cat /run/berth.pid 2>/dev/null || echo '?'); stop it with: kill \$(cat /run/berth.pid)" >&2
