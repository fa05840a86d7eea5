# Confab in a container: built in one stage, run from a slim one as a
# non-root user. CI does not build this file (Docker is not available there);
# docs/operations.md#containers is the recipe.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# npm ci runs `prepare`, which builds the server and the web client into dist/.
RUN npm ci

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; scripts off (prepare would build), then
# better-sqlite3's own install step, which fetches or compiles its binding.
RUN npm ci --omit=dev --ignore-scripts \
    && npm rebuild better-sqlite3 \
    && npm cache clean --force \
    && mkdir -p /data && chown node:node /data
COPY --from=build /app/dist ./dist
USER node
VOLUME ["/data"]
EXPOSE 8080
# Ready, not merely alive: a draining node turns unhealthy at once.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/api/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (docs/operations.md#the-drain-sequence); give it SHUTDOWN_TIMEOUT.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli/main.js", "serve"]
