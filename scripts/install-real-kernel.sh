#!/usr/bin/env bash
# Installs what the "Real kernel" engine needs: QEMU, Debian's cloud kernel with headers of the
# same version (modules are built against the headers and loaded into that very kernel), a static
# busybox for the initramfs, cpio, gcc, make and pahole (kbuild of 6.12 makes BTF with it);
# bubblewrap, the sandbox a learner's own C is built in; libc6-dev, the static libc the guest's
# insmod links.
#
# Extra kernel releases are never installed into the system (a second kernel in /lib/modules would
# change the machine, not just the lab): their image and headers are fetched with `apt-get download`
# and unpacked with `dpkg-deb -x` into the lab's cache, one directory per release
# (docs/kernel-releases.md). LAB_KERNELS names the series, space-separated: default "6.12";
# "none" unpacks nothing. Idempotent: a release already unpacked is not fetched again.
set -euo pipefail

PACKAGES=(qemu-system-x86 linux-image-cloud-amd64 linux-headers-cloud-amd64 busybox-static cpio gcc make dwarves bubblewrap libc6-dev)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KERNELS_DIR=${REAL_KERNEL_KERNELS:-$ROOT/.cache/kernels}
LAB_KERNELS=${LAB_KERNELS:-6.12}

have_all() {
  command -v qemu-system-x86_64 >/dev/null || return 1
  command -v cpio >/dev/null || return 1
  command -v gcc >/dev/null || return 1
  # The guest's insmod (kmod's one finit_module()) is linked with gcc -static.
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || return 1
  command -v make >/dev/null || return 1
  command -v bwrap >/dev/null || return 1
  command -v pahole >/dev/null || return 1
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

# Unpacks Debian's cloud image + headers of one series (e.g. 6.12) into $KERNELS_DIR/<release>/.
unpack_series() {
  local series=$1
  local image_pkg
  # The series' meta-package names the exact version (as linux-image-cloud-amd64 does for 6.1).
  image_pkg=$(apt-cache depends "linux-image-$series-cloud-amd64" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9.]*+*[a-z0-9]*-cloud-amd64\)$/\1/p' | head -1)
  if [ -z "$image_pkg" ]; then
    echo "real-kernel engine: no linux-image-$series-cloud-amd64 in apt's lists (apt-get update?)" >&2
    return 1
  fi
  local release=${image_pkg#linux-image-}        # 6.12.118+deb12-cloud-amd64
  local version=${release%-cloud-amd64}          # 6.12.118+deb12
  local dest=$KERNELS_DIR/$release
  if [ -f "$dest/.complete" ]; then
    echo "real-kernel engine: $release already unpacked in $dest"
    return 0
  fi
  local started=$SECONDS
  local work=$KERNELS_DIR/.work-$release
  rm -rf "$work" && mkdir -p "$work/debs" "$work/root"
  (cd "$work/debs" && apt-get download -q -o APT::Sandbox::User=root \
    "linux-image-$release" "linux-headers-$release" "linux-headers-$version-common" "linux-kbuild-$version")
  local fetched
  fetched=$(du -sb "$work/debs" | cut -f1)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  rm -rf "$work/debs" "$work/root/lib/modules/$release/kernel" "$work/root/usr/share"
  # The headers' Makefile includes the common tree by its absolute /usr/src path: point it here.
  sed -i "s#^include /usr/src/#include $dest/usr/src/#" "$work/root/usr/src/linux-headers-$release/Makefile"
  rm -rf "$dest" && mv "$work" "$dest.tmp" && mv "$dest.tmp/root" "$dest" && rmdir "$dest.tmp"
  echo "$release" >"$dest/.complete"
  echo "real-kernel engine: unpacked $release into $dest ($((fetched / 1000000)) MB fetched, $(du -sm "$dest" | cut -f1) MB on disk, $((SECONDS - started)) s)"
}

unpack_extra_kernels() {
  [ "$LAB_KERNELS" = none ] && return 0
  local series
  for series in $LAB_KERNELS; do unpack_series "$series"; done
}

if have_all; then
  echo "real-kernel engine: all packages present"
  unpack_extra_kernels
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
unpack_extra_kernels
