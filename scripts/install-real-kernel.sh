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
# (docs/kernel-releases.md). LAB_KERNELS names the series, space-separated; "<series>:headers"
# unpacks its headers and kbuild only (the lab builds for it but cannot boot it). Default
# "6.12 5.10:headers": 6.12 built and run, 5.10 (bullseye's, fetched through a private apt list dir,
# not the machine's sources) built only; "6.12 5.10" unpacks 5.10's image too; "none" unpacks
# nothing. Idempotent: what is already unpacked is not fetched again (a headers-only release asked
# for with its image fetches only the image).
set -euo pipefail

PACKAGES=(qemu-system-x86 linux-image-cloud-amd64 linux-headers-cloud-amd64 busybox-static cpio gcc make dwarves bubblewrap libc6-dev patchelf)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KERNELS_DIR=${REAL_KERNEL_KERNELS:-$ROOT/.cache/kernels}
LAB_KERNELS=${LAB_KERNELS:-6.12 5.10:headers}

have_all() {
  command -v qemu-system-x86_64 >/dev/null || return 1
  command -v cpio >/dev/null || return 1
  command -v gcc >/dev/null || return 1
  # The guest's insmod (kmod's one finit_module()) is linked with gcc -static.
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || return 1
  command -v make >/dev/null || return 1
  command -v bwrap >/dev/null || return 1
  command -v pahole >/dev/null || return 1
  command -v patchelf >/dev/null || return 1
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
# Bullseye has 5.10; trixie-backports has 7.x, whose headers need gcc-14 (not on bookworm): its
# modules are built in a trixie build root (build_root below).
suite_of() {
  case $1 in
    5.10) echo bullseye ;;
    7.*) echo trixie ;;
    *) echo "" ;;
  esac
}

# The pocket a suite's kernels are listed in first ("<archive> <dist>"): bullseye's newest upload is
# in its security pocket, 7.x only in trixie-backports.
first_pocket() {
  case $1 in
    trixie) echo "debian trixie-backports" ;;
    *) echo "debian-security $1-security" ;;
  esac
}

# apt's options for a suite: its own sources list, lists and cache under $KERNELS_DIR/.apt/<suite>,
# so nothing of the machine's apt configuration changes. The suite's kernels are updated through
# its security pocket, which holds the image, headers and kbuild of the newest upload: its list is
# ~1 MB where the whole suite's is 17 MB, so "<suite>-security" alone is fetched first and the main
# suite only added (use_suite <suite> <series> main) when the pocket has no image of the series.
# Lists older than a day are fetched again. An unreachable archive stops the script with apt's own
# words (lists fetched before are used, with a warning, if the archive cannot be reached now).
APT_OPTS=()
use_suite() {
  local suite=$1 series=$2 with_main=${3:-}
  APT_OPTS=()
  [ -z "$suite" ] && return 0
  local dir=$KERNELS_DIR/.apt/$suite
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg sources
  local pocket
  pocket=$(first_pocket "$suite")
  sources=$(printf 'deb [signed-by=%s] http://deb.debian.org/%s %s main\n' "$keyring" "${pocket% *}" "${pocket#* }")
  [ -n "$with_main" ] && sources+=$(printf '\ndeb [signed-by=%s] http://deb.debian.org/debian %s main' "$keyring" "$suite")
  APT_OPTS=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists"
    -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root -o Acquire::Retries=3 -o Acquire::Languages=none)
  if [ "$(cat "$dir/sources.list" 2>/dev/null)" = "$sources" ] &&
    [ -n "$(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    return 0
  fi
  echo "$sources" >"$dir/sources.list"
  local started=$SECONDS
  # apt-get update exits 0 when an index could not be fetched (it only warns): --error-on=any.
  if apt-get -q "${APT_OPTS[@]}" --error-on=any update >"$dir/update.log" 2>&1; then
    echo "real-kernel engine: $suite's package lists ($(sed -n 's/^deb \[[^]]*\] [^ ]* \([^ ]*\) .*/\1/p' "$dir/sources.list" | paste -sd' ')) fetched into $dir ($((SECONDS - started)) s, $(du -sm "$dir/lists" | cut -f1) MB)"
    return 0
  fi
  if [ -n "$(find "$dir/lists" -maxdepth 1 -name '*_Packages*' 2>/dev/null | head -1)" ]; then
    echo "real-kernel engine: warning: deb.debian.org's $suite could not be reached; using its lists fetched before ($dir/update.log)" >&2
    return 0
  fi
  {
    echo "real-kernel engine: deb.debian.org's $suite is unreachable, so Linux $series cannot be unpacked. apt said:"
    grep -E '^(E|W|Err):' "$dir/update.log" | sed 's/^/  /' | head -8
    echo "  (all of it: $dir/update.log). Without $series: LAB_KERNELS=6.12 bash scripts/install-real-kernel.sh"
  } >&2
  return 1
}

# The exact image package of a series: its meta-package's dependency (6.12), else the newest
# linux-image-<series>.N-M-cloud-amd64 (5.10's ABI-numbered names) or
# linux-image-<series>.N+debNN-cloud-amd64 (7.x) the suite has.
image_package() {
  local series=$1 found
  found=$(apt-cache "${APT_OPTS[@]}" depends "linux-image-$series-cloud-amd64" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9.]*+*[a-z0-9]*-cloud-amd64\)$/\1/p' | head -1)
  if [ -z "$found" ]; then
    found=$(apt-cache "${APT_OPTS[@]}" search --names-only "^linux-image-${series//./\\.}\.[0-9]+(-[0-9]+|\+deb[0-9]+)-cloud-amd64\$" 2>/dev/null |
      cut -d' ' -f1 | sort -V | tail -1)
  fi
  echo "$found"
}

# Fetches packages with `apt-get download` into $1 (the suite's APT_OPTS), saying clearly which failed.
download() {
  local into=$1 series=$2
  shift 2
  if ! (cd "$into" && apt-get download -q "${APT_OPTS[@]}" "$@"); then
    echo "real-kernel engine: could not download Linux $series's packages ($*) from deb.debian.org" >&2
    return 1
  fi
}

# Unpacks Debian's cloud headers + kbuild of one series (e.g. 5.10), and its image unless
# with_image is "no", into $KERNELS_DIR/<release>/.
unpack_series() {
  local series=$1 with_image=$2
  local suite
  suite=$(suite_of "$series")
  use_suite "$suite" "$series" || return 1
  local image_pkg
  image_pkg=$(image_package "$series")
  if [ -z "$image_pkg" ] && [ -n "$suite" ]; then
    use_suite "$suite" "$series" main || return 1
    image_pkg=$(image_package "$series")
  fi
  if [ -z "$image_pkg" ]; then
    echo "real-kernel engine: no cloud image of Linux $series in apt's lists (apt-get update?)" >&2
    return 1
  fi
  local release=${image_pkg#linux-image-}        # 6.12.118+deb12-cloud-amd64, 5.10.0-46-cloud-amd64
  local dest=$KERNELS_DIR/$release
  if [ -f "$dest/.complete" ]; then
    if [ "$with_image" = no ] || [ -f "$dest/boot/vmlinuz-$release" ]; then
      echo "real-kernel engine: $release already unpacked in $dest$([ -f "$dest/boot/vmlinuz-$release" ] || echo ' (headers only: built here, not booted)')"
      return 0
    fi
    add_image "$series" "$release" "$dest"
    return
  fi
  # The headers name their common tree and kbuild (linux-kbuild-6.12.118+deb12, linux-kbuild-5.10).
  local deps
  deps=$(apt-cache "${APT_OPTS[@]}" depends "linux-headers-$release" 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-\(headers-.*-common\|kbuild-.*\)\)$/\1/p' | sort -u)
  local started=$SECONDS
  local work=$KERNELS_DIR/.work-$release
  rm -rf "$work" && mkdir -p "$work/debs" "$work/root"
  local packages=("linux-headers-$release")
  # shellcheck disable=SC2207 # one package name a line
  [ "$with_image" = no ] || packages+=($(image_packages "$release"))
  # shellcheck disable=SC2086 # deps: one package name a line
  download "$work/debs" "$series" "${packages[@]}" $deps
  local fetched
  fetched=$(du -sb "$work/debs" | cut -f1)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  rm -rf "$work/debs" "$work/root/usr/share"
  image_to_boot "$work/root" "$release"
  local headers=$work/root/usr/src/linux-headers-$release
  # The headers' Makefile includes the common tree by its absolute /usr/src path (7.x's also sets
  # KBUILD_OUTPUT to its own): point them here.
  sed -i -e "s#^include /usr/src/#include $dest/usr/src/#" -e "s#^KBUILD_OUTPUT=/usr/src/#KBUILD_OUTPUT=$dest/usr/src/#" "$headers/Makefile"
  # Debian builds each release with its own gcc (5.10: gcc-10, 6.x: gcc-12, 7.x: gcc-14), named
  # in .kernelvariables. An older one absent here is replaced by this machine's gcc, which builds
  # 5.10's modules warning-free; a newer one cannot be (its flags and glibc are not here).
  local wanted
  wanted=$(sed -n 's/^CC = .*\(gcc-[0-9]*\)$/\1/p' "$headers/.kernelvariables" 2>/dev/null | head -1)
  if [ -n "$wanted" ] && ! command -v "$wanted" >/dev/null; then
    local have
    have=$(gcc -dumpversion | cut -d. -f1)
    if [ "${wanted#gcc-}" -gt "$have" ]; then
      # A newer gcc than here: the suite's own, in its build root (7.x: trixie's gcc-14).
      local root
      if [ "$suite" != trixie ] || ! root=$(build_root "$suite" "$wanted"); then
        echo "real-kernel engine: Linux $series is built with $wanted; this machine has gcc-$have: not unpacked" >&2
        rm -rf "$work"
        return 1
      fi
      echo "$root" >"$work/root/.build-root"
      echo "real-kernel engine: $release's modules are built with $wanted in the $suite build root $root"
    else
      sed -i "s/^\(CC = .*\)$wanted\$/\1gcc/" "$headers/.kernelvariables"
      echo "real-kernel engine: $release's modules are built with gcc-$have here (Debian built it with $wanted)"
    fi
  fi
  rm -rf "$dest" && mv "$work" "$dest.tmp" && mv "$dest.tmp/root" "$dest" && rmdir "$dest.tmp"
  echo "$release" >"$dest/.complete"
  local what="image and headers"
  [ "$with_image" = no ] && what="headers only: built here, not booted"
  echo "real-kernel engine: unpacked $release ($what) into $dest ($((fetched / 1000000)) MB fetched, $(du -sm "$dest" | cut -f1) MB on disk, $((SECONDS - started)) s)"
}

# The packages of a release's image: linux-image-<release>, and the linux-binary-<release> it
# depends on where the image is there (7.x: linux-image-<release> is a 2 KB meta-package).
image_packages() {
  echo "linux-image-$1"
  apt-cache "${APT_OPTS[@]}" depends "linux-image-$1" 2>/dev/null | sed -n 's/^ *Depends: \(linux-binary-.*\)$/\1/p'
}

# Leaves an unpacked image where the lab looks for it, boot/vmlinuz-<release> and
# boot/System.map-<release> (7.x ships them in /usr/lib/modules/<release>/), without the modules
# the lab never loads.
image_to_boot() {
  local root=$1 release=$2 dir
  for dir in "$root/lib/modules/$release" "$root/usr/lib/modules/$release"; do
    [ -d "$dir" ] || continue
    rm -rf "$dir/kernel"
    if [ -f "$dir/vmlinuz" ] && [ ! -f "$root/boot/vmlinuz-$release" ]; then
      mkdir -p "$root/boot"
      mv "$dir/vmlinuz" "$root/boot/vmlinuz-$release"
      if [ -f "$dir/System.map" ]; then mv "$dir/System.map" "$root/boot/System.map-$release"; fi
      if [ -f "$dir/config" ]; then mv "$dir/config" "$root/boot/config-$release"; fi
    fi
  done
}

# A build root of the suite with the gcc its headers name (trixie, gcc-14: 7.x), made once with
# mmdebstrap under $KERNELS_DIR/.roots/<suite> and shared by every release of the suite; the lab
# runs kbuild in it under bwrap (server/realKernel/buildRoot.ts). Prints its path. Measured: 336 MB,
# 565 s at load ~25 (19 s idle).
build_root() {
  local suite=$1 gcc=$2 dir=$KERNELS_DIR/.roots/$1
  if [ -f "$dir/.complete" ] && [ -x "$dir/usr/bin/$gcc" ]; then
    echo "$dir"
    return 0
  fi
  if ! command -v mmdebstrap >/dev/null; then
    apt-get install -y -q --no-install-recommends mmdebstrap >&2 || apt-get update -q >&2
    command -v mmdebstrap >/dev/null || apt-get install -y -q --no-install-recommends mmdebstrap >&2
  fi
  local started=$SECONDS
  rm -rf "$dir.part" && mkdir -p "$(dirname "$dir")"
  echo "real-kernel engine: making a $suite build root with $gcc in $dir (minutes)…" >&2
  if ! mmdebstrap --quiet --variant=apt --include="$gcc,make,libc6-dev,libelf1t64,libssl3t64,zlib1g,pahole,bc" \
    "$suite" "$dir.part" http://deb.debian.org/debian >&2; then
    echo "real-kernel engine: mmdebstrap could not make the $suite build root (deb.debian.org's $suite reachable?)" >&2
    rm -rf "$dir.part"
    return 1
  fi
  touch "$dir.part/.complete"
  rm -rf "$dir" && mv "$dir.part" "$dir"
  echo "real-kernel engine: $suite build root made in $((SECONDS - started)) s, $(du -sm "$dir" | cut -f1) MB" >&2
  echo "$dir"
}

# A release unpacked headers-only, asked for with its image: only the image is fetched. Its boot/
# is moved in last, in one rename, so the engine never sees half an image.
add_image() {
  local series=$1 release=$2 dest=$3
  local started=$SECONDS
  local work=$KERNELS_DIR/.work-$release-image
  rm -rf "$work" && mkdir -p "$work/debs" "$work/root"
  # shellcheck disable=SC2046 # one package name a line
  download "$work/debs" "$series" $(image_packages "$release")
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  rm -rf "$work/root/usr/share"
  image_to_boot "$work/root" "$release"
  if [ -d "$work/root/lib" ] && [ ! -L "$work/root/lib" ]; then cp -a "$work/root/lib" "$dest/"; fi
  rm -rf "$dest/boot" && mv "$work/root/boot" "$dest/boot"
  rm -rf "$work"
  echo "real-kernel engine: added $release's image to $dest ($(du -sm "$dest/boot" | cut -f1) MB, $((SECONDS - started)) s)"
}

# Debian's newer QEMU (trixie-backports), unpacked into $QEMU_DIR, never installed: bookworm's QEMU
# 7.2 flushes TCG's whole translation cache at every breakpoint stop of its gdbstub, which made
# tracing a run cost several times the run (docs/real-kernel.md, "Which QEMU"). It and its
# libraries come from trixie's lists in the lab's own apt dir (use_suite); its binary is patched
# (patchelf) to load trixie's ld.so and libraries from beside it, so it runs as itself. The engine
# takes it when $QEMU_DIR/.complete is there (server/realKernel/qemuBinary.ts);
# REAL_KERNEL_QEMU=system skips it. About 38 MB fetched, under a minute on an idle machine.
QEMU_DIR=${REAL_KERNEL_QEMU_DIR:-$ROOT/.cache/qemu}
QEMU_SUITE=trixie-backports
unpack_qemu() {
  [ "${REAL_KERNEL_QEMU:-}" = system ] && return 0
  if [ -f "$QEMU_DIR/.complete" ] && "$QEMU_DIR/usr/bin/qemu-system-x86_64" --version >/dev/null 2>&1; then
    echo "real-kernel engine: QEMU $(cat "$QEMU_DIR/.complete") already unpacked in $QEMU_DIR"
    return 0
  fi
  local started=$SECONDS
  use_suite trixie qemu main || return 1
  local work=$QEMU_DIR.work
  rm -rf "$work" && mkdir -p "$work/debs/partial" "$work/root" && : >"$work/status"
  # Resolved against an empty dpkg status: every library it needs comes from trixie, none from here.
  if ! apt-get -q "${APT_OPTS[@]}" -o "Dir::State::Status=$work/status" -o "Dir::Cache::archives=$work/debs" \
    -o Debug::NoLocking=1 -y --no-install-recommends --download-only -t "$QEMU_SUITE" install qemu-system-x86 >"$work/download.log" 2>&1; then
    echo "real-kernel engine: could not download $QEMU_SUITE's qemu-system-x86 ($work/download.log); the system's QEMU is used" >&2
    return 1
  fi
  local version
  version=$(basename "$(ls "$work"/debs/qemu-system-x86_*.deb)" | cut -d_ -f2 | sed 's/%3a/:/')
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  rm -rf "$work/root/usr/share/doc" "$work/root/usr/share/man" "$work/root/usr/share/locale"
  local lib=$QEMU_DIR/usr/lib/x86_64-linux-gnu
  patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$lib:$QEMU_DIR/lib/x86_64-linux-gnu" \
    "$work/root/usr/bin/qemu-system-x86_64"
  rm -rf "$QEMU_DIR" && mv "$work/root" "$QEMU_DIR" && rm -rf "$work"
  if ! "$QEMU_DIR/usr/bin/qemu-system-x86_64" --version >/dev/null 2>&1; then
    echo "real-kernel engine: the unpacked QEMU does not run; the system's QEMU is used" >&2
    "$QEMU_DIR/usr/bin/qemu-system-x86_64" --version >&2 || true
    return 1
  fi
  echo "$version" >"$QEMU_DIR/.complete"
  echo "real-kernel engine: unpacked QEMU $version into $QEMU_DIR ($(du -sm "$QEMU_DIR" | cut -f1) MB, $((SECONDS - started)) s)"
}

unpack_extra_kernels() {
  [ "$LAB_KERNELS" = none ] && return 0
  local entry
  for entry in $LAB_KERNELS; do
    case $entry in
      *:headers) unpack_series "${entry%:headers}" no ;;
      *) unpack_series "$entry" yes ;;
    esac
  done
}

if have_all; then
  echo "real-kernel engine: all packages present"
  unpack_qemu || true
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
unpack_qemu || true
unpack_extra_kernels
