# Kernel Socket Lab as a classroom server would run it: built once, then node itself is the
# container's process, so `docker stop` (SIGTERM) reaches the app, which closes every lab with 1001
# and exits within its 5 s.
#
#   docker build -t kernel-socket-lab .                          # the Node lab
#   docker build --build-arg REAL_KERNEL=true -t kernel-socket-lab .   # + the "Real kernel" engine
#   docker run --rm -p 3000:3000 --ulimit nofile=65536:65536 kernel-socket-lab
#
# Debian bookworm (node's official -slim image is Debian); the real-kernel packages are Debian's
# cloud kernel with its headers, QEMU (software emulation: no /dev/kvm needed), a static busybox.
FROM node:20-bookworm-slim

ARG REAL_KERNEL=false
RUN if [ "$REAL_KERNEL" = "true" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         qemu-system-x86 linux-image-cloud-amd64 linux-headers-cloud-amd64 busybox-static cpio gcc make libc6-dev \
      && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
COPY package.json package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci
COPY . .
# The build is its own step; then the tools only the build needed are dropped (tsx stays: it runs the server).
RUN npm run build && npm prune --omit=dev && npm cache clean --force

# In a container the app must listen beyond loopback to be reached (it prints a warning saying so).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
USER node
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `npm run serve`, without npm in between.
CMD ["node", "--import", "tsx", "server/main.ts"]
