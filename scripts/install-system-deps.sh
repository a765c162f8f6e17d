#!/usr/bin/env bash
# Installs what the test suite needs from Debian: Chromium for the e2e tests (Playwright may not
# download a browser of its own here) and strace for the System calls tab. Skips what is already installed.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# strace: the "System calls" tab runs a traced lab's worker under it (docs/system-calls.md).
if [ ! -x /usr/bin/strace ]; then
  echo "installing Debian's strace…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace >/dev/null
fi
if [ -f scripts/install-real-kernel.sh ]; then
  bash scripts/install-real-kernel.sh
fi
