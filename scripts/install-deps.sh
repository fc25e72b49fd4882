#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages weft builds and tests with (docs/DEPENDENCIES.md).
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config git ca-certificates
  libserd-dev libsord-dev libraptor2-dev rapidjson-dev libeigen3-dev
  libsqlite3-dev zlib1g-dev libcli11-dev
  sqlite3                       # e2e tests build small SQLite fixtures (ERP database, historian table checks)
  libpcre2-dev                  # SPARQL REGEX / REPLACE (XPath regular expressions)
  libssl-dev                    # SPARQL MD5 / SHA* (libcrypto)
  libxml2-dev                   # RML XML sources: XPath 1.0 (libxml2)
  libcpp-httplib-dev            # weft serve: HTTP server (cpp-httplib)
  libcurl4-gnutls-dev           # SERVICE and weft push: outgoing HTTP (libcurl; the flavour Raptor's headers need)
  liblzma-dev                   # RML sources compressed as tar.xz
  libmosquitto-dev              # weft replay publishes to an MQTT broker (libmosquitto)
  mosquitto                     # the MQTT broker the streaming test starts on 127.0.0.1 (no service is needed)
  libgtest-dev libgmock-dev
  clang-14 libclang-rt-14-dev   # libFuzzer targets (a short fuzz run is part of the tests)
  time                          # /usr/bin/time in the e2e and benchmark scripts
  python3                       # e2e: examples/pharma-network/expected/ground-truth.py recomputes answers without weft
  chromium                      # browser test of the query page (tests/browser, headless)
  curl                          # e2e tests of weft serve talk HTTP with curl
)
# Node.js and npm run the browser test (npm installs playwright-core into the
# build folder). A machine may already have them from elsewhere (NodeSource);
# Debian's packages are added only when there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then pkgs+=(nodejs npm); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#pkgs[@]} packages present"
