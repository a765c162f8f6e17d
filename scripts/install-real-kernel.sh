#!/usr/bin/env bash
# Installs what the "Real kernel" engine needs: QEMU, Debian's cloud kernel with headers of the
# same version (modules are built against the headers and loaded into that very kernel), a static
# busybox for the initramfs, cpio, gcc and make, and libc6-dev (the static libc the guest's insmod links). Idempotent: exits at once when all are present.
set -euo pipefail

PACKAGES=(qemu-system-x86 linux-image-cloud-amd64 linux-headers-cloud-amd64 busybox-static cpio gcc make libc6-dev)

have_all() {
  command -v qemu-system-x86_64 >/dev/null || return 1
  command -v cpio >/dev/null || return 1
  command -v gcc >/dev/null || return 1
  # The guest's insmod (kmod's one finit_module()) is linked with gcc -static.
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || return 1
  command -v make >/dev/null || return 1
  [ -x /bin/busybox ] || return 1
  file_is_static /bin/busybox || return 1
  local build
  for build in /lib/modules/*-cloud-amd64/build; do
    local version=${build#/lib/modules/}
    version=${version%/build}
    [ -f "$build/Makefile" ] && [ -f "/boot/vmlinuz-$version" ] && return 0
  done
  return 1
}

file_is_static() {
  # busybox-static and the dynamic busybox share a path; only the static one runs in the initramfs.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed"
}

if have_all; then
  echo "real-kernel engine: all packages present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "real-kernel engine: run as root (apt-get install ${PACKAGES[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# The meta-packages pull the newest image and headers of the same upload, so the versions match.
apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"

if ! have_all; then
  echo "real-kernel engine: packages installed but no /boot/vmlinuz matches the headers" >&2
  exit 1
fi
echo "real-kernel engine: installed"
