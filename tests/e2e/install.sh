#!/usr/bin/env bash
# Installs the pinned SDKs into BUILD_DIR/e2e-node/ (never into the source tree) and copies the
# test files next to them, because ES modules resolve `import 'openai'` from the importing file's
# own directory upwards and ignore NODE_PATH. `npm ci` runs only when package-lock.json changed
# (stamp file), so repeated `ctest` runs cost a file copy. Any failure exits non-zero with the
# reason: the e2e tests then fail instead of passing without having run.
set -euo pipefail

build_dir=${1:?usage: install.sh BUILD_DIR}
src_dir=$(cd "$(dirname "$0")" && pwd)
dest=$build_dir/e2e-node
stamp=$dest/.installed-package-lock.json  # the lock file the current node_modules came from

die() { echo "e2e install FAILED: $*" >&2; exit 1; }

command -v node > /dev/null || die "node not found; the e2e tests need Node.js >= 20 and npm (apt-get install nodejs npm)"
command -v npm > /dev/null || die "npm not found; the e2e tests need npm to install the SDKs"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "node $(node --version) is too old; the e2e tests need Node.js >= 20"

mkdir -p "$dest"
# Two ctest runs on one build dir must not run npm ci into the same directory at once.
exec 9> "$dest/.install.lock"
flock 9

cp "$src_dir/package.json" "$src_dir/package-lock.json" "$dest/"
cp "$src_dir"/*.mjs "$dest/"

if cmp -s "$src_dir/package-lock.json" "$stamp" && [ -d "$dest/node_modules" ]; then
  echo "e2e: SDKs up to date in $dest/node_modules"
  exit 0
fi

echo "e2e: installing the pinned SDKs into $dest (npm ci)"
rm -f "$stamp"
start=$(date +%s)
# Bounded retries so an offline machine fails in seconds, not minutes; --prefer-offline reuses
# npm's cache without revalidating (safe: the lock file pins every tarball's integrity hash).
if ! (cd "$dest" && npm ci --no-audit --no-fund --prefer-offline --fetch-retries=1 --fetch-timeout=60000 2>&1); then
  die "npm ci failed in $dest (offline, or the npm registry is unreachable?); see the npm output above"
fi
cp "$src_dir/package-lock.json" "$stamp"
versions=$(cd "$dest" && node -p "['openai', '@anthropic-ai/sdk', 'ai', '@ai-sdk/openai', '@ai-sdk/anthropic', '@ai-sdk/openai-compatible', '@langchain/core', '@langchain/openai', '@langchain/anthropic', '@openai/codex'].map((p) => p + '@' +
  JSON.parse(require('fs').readFileSync('node_modules/' + p + '/package.json')).version).join(', ')")
echo "e2e: installed $versions in $(( $(date +%s) - start ))s"
