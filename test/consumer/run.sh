#!/usr/bin/env bash
# The consumer test: packs nestjs-two-factor, copies the sample host app (samples/minimal) into a
# temp folder outside the repository, installs its packages from the registry as its README says and
# the tarball as the repository README's install line says, compiles it in strict mode with
# skipLibCheck off, and drives it over HTTP (drive.mjs) on Express and on Fastify, with
# @nestjs/event-emitter installed and without it. Then it typechecks every TypeScript snippet of
# the docs against the same installed package (snippets.mjs). Ends with the line "N passed, M failed".
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/two-factor-consumer.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0

rm -rf "$repo/dist/pack"
(cd "$repo" && npm run --silent pack:lib >/dev/null) || { echo "npm pack failed"; echo "0 passed, 1 failed"; exit 1; }
tarball="$(ls "$repo"/dist/pack/nestjs-two-factor-*.tgz)"
echo "consumer: packed $(basename "$tarball") ($(tar -tzf "$tarball" | wc -l) files)"
if tar -tzf "$tarball" | grep -E '\.spec\.|/src/|\.ts$' | grep -v '\.d\.ts$' | grep -q .; then
  echo "consumer: the tarball ships sources or tests:"; tar -tzf "$tarball" | grep -E '\.spec\.|\.ts$' | grep -v '\.d\.ts$' | head
  failed=$((failed + 1))
fi

sample="$repo/samples/minimal"
# The sample as a user copies it: its sources, not a local build or install of it.
tar -C "$sample" --exclude=node_modules --exclude=dist -cf - . | tar -C "$work" -xf -
cd "$work" || exit 1
# A fresh Nest app's own packages: the line the sample's README gives.
host_line="$(awk '/<!-- host-install:/ { found = 1; next } found && /^npm install/ { print; exit }' "$sample/README.md")"
[ -n "$host_line" ] || { echo "consumer: no host-install line in samples/minimal/README.md"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
read -r -a words <<<"${host_line#npm install }"
npm install --no-audit --no-fund --loglevel=error "${words[@]}" >/dev/null \
  || { echo "consumer: installing the host app failed"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
# The README's install line exactly as written, with the tarball in place of the registry's package.
install_line="$(awk '/<!-- install:/ { found = 1; next } found && /^npm install/ { print; exit }' "$repo/README.md")"
[ -n "$install_line" ] || { echo "consumer: no install line in README.md"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
echo "consumer: README: $install_line"
read -r -a words <<<"${install_line#npm install }"
for i in "${!words[@]}"; do [ "${words[$i]}" = "nestjs-two-factor" ] && words[$i]="$tarball"; done
npm install --no-audit --no-fund --loglevel=error "${words[@]}" >/dev/null \
  || { echo "consumer: the README's install line failed"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# Telemetry's peers stay optional (issue 24): the sample does not depend on them, so it is built and
# driven below without @opentelemetry/api and @nestjs/terminus — the module boots and costs nothing.
for optional in @opentelemetry/api @nestjs/terminus; do
  if node -e "import('$optional').then(() => process.exit(1), () => process.exit(0))"; then
    passed=$((passed + 1))
  else
    echo "consumer: $optional got installed with the package (it must stay an optional peer)"; failed=$((failed + 1))
  fi
done

drive() { # $1: label; boots the built host app on a free port and drives it
  local label="$1" port log
  port="$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')"
  log="$work/$label.log"
  PORT="$port" node dist/main.js >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q listening "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if ! grep -q listening "$log"; then
    echo "consumer: $label did not start:"; cat "$log"; failed=$((failed + 1)); kill "$pid" 2>/dev/null; return
  fi
  count node "$repo/test/consumer/drive.mjs" "http://127.0.0.1:$port" "$label"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

count() { # runs a checker that ends with "N passed, M failed", shows its lines and adds its counts
  local out line
  out="$("$@")"
  echo "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
  line="$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)"
  if [ -z "$line" ]; then echo "consumer: $2 ended without its counts"; failed=$((failed + 1)); return; fi
  passed=$((passed + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')))
}

build() {
  if npx tsc -p tsconfig.json; then return 0; fi
  echo "consumer: the sample does not compile against the package's types"; failed=$((failed + 1)); return 1
}

if build; then
  WITH_EVENTS=1 HTTP_ADAPTER=express drive "express+events"
  WITH_EVENTS=1 HTTP_ADAPTER=fastify drive "fastify+events"
fi

# Every TypeScript snippet of README.md and docs/ against the same installed package, while the
# optional peers are still there (a snippet may use @nestjs/event-emitter); Express's types too,
# which a snippet may name. The sample's marked regions are compared with the docs' blocks.
if npm install --no-audit --no-fund --loglevel=error @types/express@^5 >/dev/null; then
  count node "$repo/test/consumer/snippets.mjs" "$repo" "$work"
else
  echo "consumer: installing @types/express for the snippets failed"; failed=$((failed + 1))
fi

npm uninstall --no-audit --no-fund --loglevel=error @nestjs/event-emitter >/dev/null
if node -e "import('@nestjs/event-emitter').then(() => process.exit(1), () => process.exit(0))"; then
  if build; then
    HTTP_ADAPTER=express drive "express-no-events"
    HTTP_ADAPTER=fastify drive "fastify-no-events"
  fi
else
  echo "consumer: @nestjs/event-emitter is still installed"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
