#!/usr/bin/env bash
# System packages the app and its tests need: Graphviz (`dot`) for rendering, a CJK font so
# pictures with 中文 labels or names draw glyphs, not boxes (fonts-noto-cjk), Chromium for page
# tests, redis-server and nginx for the two-instance test (tests/test_replicas.py starts them
# itself, on loopback; no system service is used), npm for the browser tests' axe-core and
# reveal.js. Installed from Debian when missing; needs
# root (as on our dev machines, CI and Docker).
set -euo pipefail
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || missing+=(npm)  # axe-core and reveal.js for browser tests
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d: the packages' own services are not started (the tests start their own); one
# already there (Docker images have one) is left as it was
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
