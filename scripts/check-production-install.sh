#!/usr/bin/env bash
# A production install of the working tree's tracked files, without
# devDependencies, must start and serve: npm ci --omit=dev && npm start, then
# /healthz, then SIGTERM to npm stops the server. Also: the install leaves
# package-lock.json as it is. Run by .ci/run after the tests; the time is mostly
# npm ci (better-sqlite3 is compiled when no prebuilt binary can be downloaded).
set -euo pipefail
# Job control: `npm start &` gets a process group of its own, which the clean-up can stop whole.
set -m
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
npm_pid=
cleanup() {
  if [ -n "$npm_pid" ]; then kill -KILL -- "-$npm_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/app"
(cd "$root" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$work/app"
cd "$work/app"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
for dev in typescript tap tsx @biomejs/biome; do
  if [ -e "node_modules/$dev" ]; then echo "production install: $dev (a devDependency) was installed" >&2; exit 1; fi
done
cmp -s package-lock.json "$root/package-lock.json" || { echo "production install: npm ci changed package-lock.json" >&2; exit 1; }
[ -f dist/bin.mjs ] || { echo "production install: prepare did not build dist/bin.mjs" >&2; exit 1; }

PORT=0 DATABASE_PATH="$work/db.sqlite" LOG_LEVEL=warn npm start >"$work/out.log" 2>&1 &
npm_pid=$!
url=
for _ in $(seq 1 600); do
  url=$(grep -o 'listening on http://[^ ]*' "$work/out.log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$url" ] && break
  kill -0 "$npm_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "production install: npm start did not start:" >&2; cat "$work/out.log" >&2; exit 1; }
health=$(node -e "fetch(process.argv[1] + '/healthz').then((r) => r.text()).then(console.log, (e) => { console.error(e.message); process.exit(1); })" "$url")
[ "$health" = '{"status":"ok"}' ] || { echo "production install: /healthz answered $health" >&2; exit 1; }

kill -TERM "$npm_pid"
for _ in $(seq 1 100); do kill -0 "$npm_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$npm_pid" 2>/dev/null; then echo "production install: npm start still running 10 s after SIGTERM" >&2; exit 1; fi
if node -e "fetch(process.argv[1] + '/healthz').then(() => process.exit(0), () => process.exit(1))" "$url"; then
  echo "production install: the server still answers after SIGTERM to npm" >&2
  exit 1
fi
npm_pid=
echo "production install: npm ci --omit=dev && npm start served /healthz and stopped on SIGTERM"
