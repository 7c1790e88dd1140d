# Source me: `. scripts/node22.sh` puts Node.js >= 22.15 first on PATH.
# Machines with an older Node get node-linux-<arch>@22 from the npm registry once (cached in ~/.cache/node22).
NODE22_VERSION="${NODE22_VERSION:-22.23.3}"
_node22_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=15)?0:1)' 2>/dev/null; }
if ! _node22_ok; then
  case "$(uname -m)" in x86_64) _arch=x64 ;; aarch64|arm64) _arch=arm64 ;; *) echo "node22.sh: unsupported architecture $(uname -m); install Node.js 22 yourself" >&2; return 1 2>/dev/null || exit 1 ;; esac
  _dir="${NODE22_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/node22}/node-linux-${_arch}-${NODE22_VERSION}"
  if [ ! -x "$_dir/node_modules/node-linux-${_arch}/bin/node" ]; then
    echo "node22.sh: fetching node-linux-${_arch}@${NODE22_VERSION} from the npm registry into $_dir" >&2
    mkdir -p "$_dir" && echo '{"private":true}' > "$_dir/package.json"
    npm install --prefix "$_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-${_arch}@${NODE22_VERSION}" >&2 || { echo "node22.sh: install failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_dir/node_modules/node-linux-${_arch}/bin:$PATH"; hash -r; unset _arch _dir
fi
unset -f _node22_ok
