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
# "5.10" adds bullseye's (fetched through a private apt list dir, not the machine's sources);
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

# The suite that ships a series this machine's own apt lists lack (bookworm has 6.1 and 6.12).
# Bullseye has 5.10; trixie-backports has 7.x, whose headers need gcc-14 (not on bookworm).
suite_of() {
  case $1 in
    5.10) echo bullseye ;;
    *) echo "" ;;
  esac
}

# apt's options for a suite: its own sources list, lists and cache under $KERNELS_DIR/.apt/<suite>,
# so nothing of the machine's apt configuration changes. Lists older than a day are fetched again.
APT_OPTS=()
use_suite() {
  local suite=$1
  APT_OPTS=()
  [ -z "$suite" ] && return 0
  local dir=$KERNELS_DIR/.apt/$suite
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  printf 'deb [signed-by=%s] http://deb.debian.org/debian %s main\ndeb [signed-by=%s] http://deb.debian.org/debian-security %s-security main\n' \
    "$keyring" "$suite" "$keyring" "$suite" >"$dir/sources.list"
  APT_OPTS=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache")
  if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    local started=$SECONDS
    apt-get -q "${APT_OPTS[@]}" -o APT::Sandbox::User=root update >/dev/null
    echo "real-kernel engine: $suite's package lists fetched into $dir ($((SECONDS - started)) s, $(du -sm "$dir/lists" | cut -f1) MB)"
  fi
}

# The exact image package of a series: its meta-package's dependency (6.12), else the newest
# linux-image-<series>.N-M-cloud-amd64 the suite has (5.10's ABI-numbered names).
image_package() {
  local series=$1 found
  found=$(apt-cache "${APT_OPTS[@]}" depends "linux-image-$series-cloud-amd64" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9.]*+*[a-z0-9]*-cloud-amd64\)$/\1/p' | head -1)
  if [ -z "$found" ]; then
    found=$(apt-cache "${APT_OPTS[@]}" search --names-only "^linux-image-${series//./\\.}\.[0-9]+-[0-9]+-cloud-amd64\$" 2>/dev/null |
      cut -d' ' -f1 | sort -V | tail -1)
  fi
  echo "$found"
}

# Unpacks Debian's cloud image + headers of one series (e.g. 6.12) into $KERNELS_DIR/<release>/.
unpack_series() {
  local series=$1
  use_suite "$(suite_of "$series")"
  local image_pkg
  image_pkg=$(image_package "$series")
  if [ -z "$image_pkg" ]; then
    echo "real-kernel engine: no cloud image of Linux $series in apt's lists (apt-get update?)" >&2
    return 1
  fi
  local release=${image_pkg#linux-image-}        # 6.12.118+deb12-cloud-amd64, 5.10.0-46-cloud-amd64
  local dest=$KERNELS_DIR/$release
  if [ -f "$dest/.complete" ]; then
    echo "real-kernel engine: $release already unpacked in $dest"
    return 0
  fi
  # The headers name their common tree and kbuild (linux-kbuild-6.12.118+deb12, linux-kbuild-5.10).
  local deps
  deps=$(apt-cache "${APT_OPTS[@]}" depends "linux-headers-$release" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-\(headers-.*-common\|kbuild-.*\)\)$/\1/p' | sort -u)
  local started=$SECONDS
  local work=$KERNELS_DIR/.work-$release
  rm -rf "$work" && mkdir -p "$work/debs" "$work/root"
  # shellcheck disable=SC2086 # deps: one package name a line
  (cd "$work/debs" && apt-get download -q "${APT_OPTS[@]}" -o APT::Sandbox::User=root \
    "linux-image-$release" "linux-headers-$release" $deps)
  local fetched
  fetched=$(du -sb "$work/debs" | cut -f1)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  rm -rf "$work/debs" "$work/root/lib/modules/$release/kernel" "$work/root/usr/share"
  local headers=$work/root/usr/src/linux-headers-$release
  # The headers' Makefile includes the common tree by its absolute /usr/src path: point it here.
  sed -i "s#^include /usr/src/#include $dest/usr/src/#" "$headers/Makefile"
  # Debian builds each release with its own gcc (5.10: gcc-10, 6.x: gcc-12, 7.x: gcc-14), named
  # in .kernelvariables. An older one absent here is replaced by this machine's gcc, which builds
  # 5.10's modules warning-free; a newer one cannot be (its flags and glibc are not here).
  local wanted
  wanted=$(sed -n 's/^CC = .*\(gcc-[0-9]*\)$/\1/p' "$headers/.kernelvariables" 2>/dev/null | head -1)
  if [ -n "$wanted" ] && ! command -v "$wanted" >/dev/null; then
    local have
    have=$(gcc -dumpversion | cut -d. -f1)
    if [ "${wanted#gcc-}" -gt "$have" ]; then
      echo "real-kernel engine: Linux $series is built with $wanted; this machine has gcc-$have: not unpacked" >&2
      rm -rf "$work"
      return 1
    fi
    sed -i "s/^\(CC = .*\)$wanted\$/\1gcc/" "$headers/.kernelvariables"
    echo "real-kernel engine: $release's modules are built with gcc-$have here (Debian built it with $wanted)"
  fi
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
