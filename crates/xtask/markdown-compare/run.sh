#!/usr/bin/env bash
# Renders the Markdown of real sites with folio and with markdown-to-jsx (the original theme's
# renderer, at the version the site's package.json names) and lists where they differ after
# normalising what a reader does not see. A developer tool: needs node, npm and python3 with
# PyYAML; installs markdown-to-jsx and React into a temporary folder.
#   crates/xtask/markdown-compare/run.sh [--version 7.7.1] SITE…
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=7.7.1
if [ "${1:-}" = --version ]; then version=$2; shift 2; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
react=18; case $version in 7.0.*|7.1.*|7.2.*|7.3.*) react=17;; esac
(cd "$work" && npm init -y >/dev/null && npm install -s "markdown-to-jsx@$version" "react@$react" "react-dom@$react" >/dev/null)
python3 "$here/collect.py" "$@" > "$work/items.json"
node "$here/render.js" "$work" < "$work/items.json" > "$work/jsx.json" 2>/dev/null
(cd "$root" && cargo run -q -p folio-render --example markdown_json) < "$work/items.json" > "$work/folio.json"
python3 "$here/compare.py" "$work/items.json" "$work/folio.json" "$work/jsx.json" "${SHOW:-40}"
