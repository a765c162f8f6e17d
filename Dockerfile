# Kernel Socket Lab as a classroom server runs it: built once, then node itself is the container's
# process, so SIGTERM reaches the app (it drains for DRAIN_SECONDS, then closes every lab with 1001).
#
#   docker build -t ksl .                                   # the Node lab (the default target)
#   docker build --target real-kernel -t ksl-rk .           # + the "Real kernel" engine, pair prebuilt
#   docker build --build-arg BASE=registry.school.example/node:20-bookworm-slim .   # a mirror
#   docker run --rm -p 3000:3000 --read-only --tmpfs /tmp --tmpfs /var/cache/ksl:uid=1000 --cap-drop ALL ksl
#
# BASE is any Debian bookworm with Node ≥ 20.19 and npm (node's official -slim image is one;
# `npm run test:deploy` builds one from Debian's packages with mmdebstrap, no registry needed).
# docs/deploy.md has the rest: Kubernetes, capacity, the variables.
ARG BASE=node:20-bookworm-slim

# ── build: dev dependencies, Vite's client build, then the dev dependencies dropped ──────────────
FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# ── runtime: what the server runs, owned by root and only read; the cache is the app's ─────────
FROM ${BASE} AS runtime
WORKDIR /app
COPY --from=build /app/package.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/client ./dist/client
COPY --from=build /app/server ./server
COPY --from=build /app/shared ./shared
COPY --from=build /app/scripts/prebuild-guest.ts ./scripts/prebuild-guest.ts
# The one place the app writes (kbuild output, initramfs archives): the app's user owns it. On a
# read-only root it is a volume (emptyDir, --tmpfs) and the image's prebuilt pair seeds it.
RUN mkdir -p /var/cache/ksl && chown 1000:1000 /var/cache/ksl
# In a container the app must listen beyond loopback to be reached (it prints a warning saying so).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 REAL_KERNEL_CACHE=/var/cache/ksl
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `npm run serve`, without npm in between.
CMD ["node", "--import", "tsx", "server/main.ts"]

# ── real-kernel: Debian's cloud kernel, QEMU, kbuild; both module pairs and the initramfs built now ─
FROM runtime AS real-kernel
# The kernel package would generate an initramfs for booting this container's host, which nobody
# boots: its hook is told not to (INITRD=No), initramfs-tools too (our update-initramfs.conf, kept
# over the package's), and whatever was still made is removed. The kernel's own modules are not
# needed either (the guest boots the lab's initramfs; kbuild needs only the headers).
RUN mkdir -p /etc/initramfs-tools \
    && echo "update_initramfs=no" > /etc/initramfs-tools/update-initramfs.conf \
    && apt-get update \
    && INITRD=No DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       -o Dpkg::Options::=--force-confold \
       qemu-system-x86 linux-image-cloud-amd64 linux-headers-cloud-amd64 busybox-static cpio gcc make libc6-dev \
    && rm -rf /var/lib/apt/lists/* /boot/initrd.img-* /lib/modules/*/kernel /usr/share/doc /usr/share/man
ENV REAL_KERNEL_PREBUILT=/opt/ksl/prebuilt
RUN REAL_KERNEL_CACHE=/opt/ksl/prebuilt node --import tsx scripts/prebuild-guest.ts
USER 1000:1000

# ── node-lab: the default target ───────────────────────────────────────────────────────────────
FROM runtime AS node-lab
USER 1000:1000
