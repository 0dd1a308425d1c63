#!/usr/bin/env bash
# Packed-package smoke test: packs foreign-ts as `npm publish` would, installs the tarball into
# an empty project with its runtime dependencies only, and checks, in plain Node (no tsx), that
# every entry point of the `exports` map imports and that a heap works; then type-checks
# consumer files against the published types under several consumer configurations
# (scripts/smoke/tsconfig.*.json: ES2022 with and without DOM, and the newer libs with `using`),
# with skipLibCheck off and no Node types, and runs the one that uses `using`; and runs the
# package's `foreign-ts` command.
#
# Needs a built dist/ (npm run build). Usage: bash scripts/smoke-pack.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/foreign-ts-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ ! -f "$root/dist/index.js" ]]; then
  echo "smoke-pack: $root/dist/index.js is missing: run npm run build first" >&2
  exit 1
fi

echo "smoke-pack: packing"
cd "$root"
# --ignore-scripts: test the dist/ that was just built (prepack would rebuild it).
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)
tar -tzf "$work/$tarball" | sed 's|^package/||' | sort > "$work/files.txt"
for required in package.json README.md dist/index.js dist/index.d.ts; do
  grep -qx "$required" "$work/files.txt" || { echo "smoke-pack: $required is not in the tarball" >&2; exit 1; }
done
if grep -Eq '^(test|bench|examples|scripts|docs)/' "$work/files.txt"; then
  echo "smoke-pack: the tarball holds development files:" >&2
  grep -E '^(test|bench|examples|scripts|docs)/' "$work/files.txt" >&2
  exit 1
fi
echo "smoke-pack: $tarball, $(wc -l < "$work/files.txt") files"

# The compiled ESM must import fp-ts and io-ts by file (fp-ts/lib/IO.js): their subpaths
# without a file fail in plain Node with ERR_UNSUPPORTED_DIR_IMPORT.
if grep -rEn "from '(fp-ts|io-ts)/(lib/[A-Za-z0-9_]+\.js)?[^']*'" "$root/dist" --include='*.js' |
  grep -Ev "from '(fp-ts|io-ts)/lib/[A-Za-z0-9_]+\.js'"; then
  echo "smoke-pack: dist/ imports fp-ts or io-ts by a subpath that fails in Node (use fp-ts/lib/X.js)" >&2
  exit 1
fi

app="$work/app"
mkdir "$app"
cat > "$app/package.json" <<'JSON'
{ "name": "foreign-ts-smoke", "version": "0.0.0", "private": true, "type": "module" }
JSON
cd "$app"
echo "smoke-pack: installing the tarball and its runtime dependencies into an empty project"
npm install --no-audit --no-fund --no-package-lock --omit=dev "$work/$tarball"

echo "smoke-pack: importing every entry point in plain Node $(node --version)"
cp "$root/scripts/smoke/smoke.mjs" "$app/smoke.mjs"
node smoke.mjs

# The package's bin, as npx runs it: its usage (exit 0), and a usage error (exit 2).
echo "smoke-pack: the foreign-ts command (package.json bin)"
"$app/node_modules/.bin/foreign-ts" --help | grep -q '^Usage: foreign-ts bind HEADER.h --out FILE.ts' ||
  { echo "smoke-pack: node_modules/.bin/foreign-ts --help does not print the usage" >&2; exit 1; }
set +e
"$app/node_modules/.bin/foreign-ts" bind 2> "$work/bind.err"
status=$?
set -e
if [[ $status -ne 2 ]] || ! grep -q '^foreign-ts bind: no header given' "$work/bind.err"; then
  echo "smoke-pack: foreign-ts bind with no header: exit $status, not 2 with its message" >&2
  exit 1
fi

# The values of fp-ts come through the package's `#fp-ts/*` imports map: its ES module build
# for bundlers, lib/ for Node. Pages bundled from the installed package must stay small.
if grep -rEn "^import \* as [A-Za-z]+ from 'fp-ts/" "$app/node_modules/foreign-ts/dist" --include='*.js'; then
  echo "smoke-pack: dist/ imports fp-ts values without the #fp-ts/* imports map" >&2
  exit 1
fi
echo "smoke-pack: bundling pages from the installed package with esbuild"
(cd "$root" && "$root/node_modules/.bin/tsx" scripts/bundle-pages.ts --package "$app/node_modules/foreign-ts")

# Consumers type-check against the published .d.ts files with skipLibCheck off, under each
# configuration in scripts/smoke/tsconfig.*.json: plain ES2022 with and without DOM (no
# ESNext.Disposable: the types must not need it), and the newer libs, where `using` and
# `await using` must work on scoped values and pools (consumer-using.ts).
cp "$root/scripts/smoke/consumer.ts" "$root/scripts/smoke/consumer-using.ts" "$app/"
for config in "$root"/scripts/smoke/tsconfig.*.json; do
  name=$(basename "$config" .json)
  echo "smoke-pack: type-checking a consumer against the published types (${name#tsconfig.}: $(grep -o '"lib": \[[^]]*\]' "$config"))"
  cp "$config" "$app/$name.json"
  "$root/node_modules/.bin/tsc" -p "$app/$name.json"
done

echo "smoke-pack: compiling consumer-using.ts (target ES2022) and running it in plain Node"
"$root/node_modules/.bin/tsc" -p "$app/tsconfig.es2024-disposable.json" --noEmit false --outDir "$app/out"
node "$app/out/consumer-using.js"
echo "smoke-pack: ok"
