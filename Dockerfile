# Ballast's container image: build with the dev dependencies, run with the production ones only,
# as a non-root user. The Helm chart (helm/ballast) runs it with a read-only root filesystem.
#   docker build -t ballast:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` installs exactly the locked versions (see README: why not `npm ci`).
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY goals ./goals
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The image's own `node` user (uid 1000) owns nothing here: the application files stay read-only to it.
USER 1000:1000
EXPOSE 9090
# main.ts handles SIGTERM itself (graceful shutdown), so node runs as PID 1 directly.
ENTRYPOINT ["node", "dist/src/main.js"]
