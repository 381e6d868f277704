# syntax=docker/dockerfile:1
# Node 22 LTS is the baseline (the code also runs on Node 20, which is past its end of life).
# Build stage: compiles better-sqlite3 from source and bundles the TypeScript sources.
FROM node:22-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts skips "prepare" (the build) until the sources are copied; better-sqlite3 is rebuilt below.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
# The bundle, then only the packages it loads at run time (better-sqlite3, @fastify/swagger-ui and
# what they depend on) copied to /runtime: everything else is inside dist/bin.mjs.
RUN npm run build && node scripts/runtime-deps.mjs /runtime

# Runtime stage: the bundle, its migrations and runtime packages, run as the unprivileged "node" user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/suprsend-emulator.db
WORKDIR /app
# package.json: --version and the OpenAPI document read the version from it.
COPY --from=build /app/package.json ./
COPY --from=build /runtime/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same node flags as `npm start` (see README, Performance). In exec form node is PID 1, so
# `docker stop`'s SIGTERM reaches it and it shuts down gracefully.
CMD ["node", "--max-semi-space-size=4", "dist/bin.mjs"]
