#!/usr/bin/env bash
# Installs everything berth and its tests need on a Debian 12 machine (as root), then builds.
# Idempotent: packages already present are not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

# attr: setfattr for layer xattrs; python3: the console-socket and seccomp kernel tests.
PKGS=(busybox-static build-essential musl-tools iproute2 runc crun skopeo docker-registry umoci attr python3 curl)
# The e2e tests drive the real docker CLIs: the machine's v28 (/usr/local/bin/docker) and Debian's
# docker.io v20 client (/usr/bin/docker), whose dockerd is also the benchmarks' reference daemon.
PKGS+=(docker.io)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund >/dev/null
fi

# From here on everything runs on the project's own Node 24.
export PATH="$PWD/node_modules/.bin:$PATH"
bash scripts/build.sh
