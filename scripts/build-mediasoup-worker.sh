#!/usr/bin/env bash
# Build the mediasoup worker binary offline, from Debian packages, and cache it
# outside the clone.
#
# Usage (from the repo root):   bash scripts/build-mediasoup-worker.sh
# Last line of stdout:          absolute path of the worker binary
#                               (use it as MEDIASOUP_WORKER_BIN). Progress goes to stderr.
#
# Why this exists: mediasoup's own install script downloads a prebuilt worker from
# GitHub or builds one with pip-installed meson and wrap-downloaded dependency
# sources; none of that is reachable here. mediasoup 3.12.x's dependencies match
# Debian bookworm's packages, so we build its worker against those instead.
# Full background: /work/shared/docs/mediasoup-offline-build.md
#
# Environment:
#   TONGTANG_CACHE_DIR   cache root (default: $HOME/.cache/tongtang)
#   MEDIASOUP_PKG_DIR    mediasoup package to build (default: node_modules/mediasoup)
#   BUILD_JOBS           ninja parallelism (default: 2)
set -euo pipefail

# Keep stdout for the single result line: everything else (including meson and
# ninja chatter, and anything we forget to redirect) goes to stderr.
exec 3>&1 1>&2

log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Bump when the shims/build recipe below change, so stale cached binaries are
# not reused.
RECIPE_VERSION=1

# Libraries the worker links against; their Debian versions go into the cache key.
LIB_PACKAGES=(libuv1-dev libabsl-dev libsrtp2-dev libssl-dev nlohmann-json3-dev libusrsctp-dev)
TOOL_PACKAGES=(meson ninja-build pkg-config g++ patch)

# --- locate the mediasoup package ------------------------------------------------

find_mediasoup_pkg() {
  if [[ -n "${MEDIASOUP_PKG_DIR:-}" ]]; then
    echo "$MEDIASOUP_PKG_DIR"; return
  fi
  # npm workspaces normally hoist it to the root; fall back to the SFU workspace.
  local d
  for d in "$REPO_ROOT/node_modules/mediasoup" "$REPO_ROOT/sfu-server/node_modules/mediasoup"; do
    [[ -f "$d/package.json" ]] && { echo "$d"; return; }
  done
  die "mediasoup is not installed (looked in node_modules/mediasoup and sfu-server/node_modules/mediasoup); run 'npm install' first or set MEDIASOUP_PKG_DIR"
}

MS_PKG="$(cd "$(find_mediasoup_pkg)" && pwd)"
[[ -d "$MS_PKG/worker" ]] || die "$MS_PKG has no worker/ sources"
MS_VERSION="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$MS_PKG/package.json" | head -n1)"
[[ -n "$MS_VERSION" ]] || die "cannot read version from $MS_PKG/package.json"
# Newer workers need flatbuffers 24, libsrtp 3 and abseil 2023+, which bookworm
# lacks (see the doc); fail early instead of after minutes of compiling.
[[ "$MS_VERSION" == 3.12.* ]] || die "only mediasoup 3.12.x can be built from Debian bookworm packages (found $MS_VERSION)"

# --- Debian packages -----------------------------------------------------------------

command -v dpkg-query >/dev/null || die "dpkg-query not found: this script supports Debian/Ubuntu only"

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

ensure_packages() {
  local missing=() p
  for p in "${TOOL_PACKAGES[@]}" "${LIB_PACKAGES[@]}"; do
    is_installed "$p" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0

  local install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
  if ((EUID != 0)); then
    log "missing Debian packages: ${missing[*]}"
    log "install them, then re-run this script:"
    log "  sudo apt-get update && sudo ${install_cmd[*]}"
    exit 1
  fi

  log "installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt/dpkg may be running (e.g. provisioning); wait for its lock
  # instead of failing straight away.
  local wait_lock=(-o DPkg::Lock::Timeout=900)
  # 'apt-get update' is slow and needs the mirror, so only run it when the
  # package lists are empty or the install fails without it.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    apt-get "${wait_lock[@]}" update
  elif "${install_cmd[0]}" "${wait_lock[@]}" "${install_cmd[@]:1}"; then
    return 0
  else
    log "apt-get install failed; refreshing package lists and retrying"
    apt-get "${wait_lock[@]}" update
  fi
  "${install_cmd[0]}" "${wait_lock[@]}" "${install_cmd[@]:1}"
}

ensure_packages

# --- cache key ---------------------------------------------------------------------

# Changes this project makes to the worker's sources; they are part of the cache key.
WORKER_PATCHES=("$REPO_ROOT"/scripts/mediasoup-worker-*.patch)

# The binary links dynamically to the Debian libraries, so any change in their
# versions (security updates included) must produce a fresh build.
key_inputs() {
  echo "recipe=$RECIPE_VERSION"
  local patch
  for patch in "${WORKER_PATCHES[@]}"; do
    echo "patch=$(basename "$patch"):$(sha256sum <"$patch" | cut -c1-16)"
  done
  echo "mediasoup=$MS_VERSION"
  echo "arch=$(dpkg --print-architecture)"
  local p
  for p in "${LIB_PACKAGES[@]}"; do
    echo "$p=$(dpkg-query -W -f='${Version}' "$p")"
  done
}
KEY_INPUTS="$(key_inputs)"
KEY="mediasoup-${MS_VERSION}-$(printf '%s\n' "$KEY_INPUTS" | sha256sum | cut -c1-12)"

CACHE_ROOT="${TONGTANG_CACHE_DIR:-$HOME/.cache/tongtang}/mediasoup-worker"
KEY_DIR="$CACHE_ROOT/$KEY"
BIN="$KEY_DIR/mediasoup-worker"

# Cheap "does it start" check: without MEDIASOUP_VERSION in its environment the
# worker exits with code 41 right after the dynamic loader has resolved all its
# libraries. A missing/incompatible library shows up as 127 instead.
binary_starts() {
  [[ -x "$1" ]] || return 1
  local rc=0
  env -u MEDIASOUP_VERSION "$1" >/dev/null 2>&1 || rc=$?
  [[ $rc -eq 41 ]]
}

# Real check: start a worker through the mediasoup Node library and create a
# router with a codec, i.e. exercise the channel protocol between the two.
verify_with_node() {
  local bin="$1"
  log "verifying $bin with mediasoup $MS_VERSION (createWorker + createRouter)"
  (cd "$REPO_ROOT" && MEDIASOUP_WORKER_BIN="$bin" MS_PKG="$MS_PKG" timeout 60 node --input-type=module -e '
    import { createRequire } from "node:module";
    const require = createRequire(import.meta.url);
    // Load the exact package whose sources we built (not whatever resolves first).
    const ms = require(process.env.MS_PKG);
    const w = await ms.createWorker({ logLevel: "warn" });
    const r = await w.createRouter({
      mediaCodecs: [{ kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 }],
    });
    console.error(`[mediasoup-worker] ok: worker pid ${w.pid}, router ${r.id}`);
    w.close();
  ')
}

if binary_starts "$BIN"; then
  log "cached: $BIN"
  echo "$BIN" >&3
  exit 0
fi

# --- build (serialised) ------------------------------------------------------------

mkdir -p "$KEY_DIR"
exec 9>"$KEY_DIR/.lock"
if ! flock -n 9; then
  log "another build of $KEY is running; waiting for it"
  flock 9
fi
# The other run may have finished the job while we waited.
if binary_starts "$BIN"; then
  log "cached (built by a concurrent run): $BIN"
  echo "$BIN" >&3
  exit 0
fi

START=$SECONDS
BUILD="$KEY_DIR/build"
rm -rf "$BUILD"
mkdir -p "$BUILD/worker"
printf '%s\n' "$KEY_INPUTS" >"$KEY_DIR/key-inputs.txt"
log "building mediasoup $MS_VERSION worker in $BUILD (key $KEY)"

# Copy the sources; skip a previous in-tree build output if the package's own
# install script ever ran.
tar -C "$MS_PKG/worker" --exclude=./out -cf - . | tar -C "$BUILD/worker" -xf -
cd "$BUILD/worker"

# Our own changes to the worker (each explained in its file).
for patch in "${WORKER_PATCHES[@]}"; do
  log "applying $(basename "$patch")"
  patch -p1 --quiet --forward <"$patch"
done

# Debian bookworm ships meson 1.0.1; the worker's build file works with it.
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" meson.build

# --- subproject shims ---------------------------------------------------------------
# The worker calls subproject('<name>') and reads variables from it with
# get_variable(). Meson uses subprojects/<directory from the .wrap>/ as-is when it
# exists, so each shim is a tiny meson.build exporting those variables from the
# system library. The *_lib / bare-name variables are only used as link_whole of
# the (not built) libmediasoup-worker target, so an empty static library is enough;
# the real linking comes from the dependency objects.

write_shim() { # <wrap name> -> writes subprojects/<dir>/{meson.build,meson_options.txt,empty.c}
  local name="$1" wrap="subprojects/$1.wrap" dir
  dir="$(sed -n 's/^directory[[:space:]]*=[[:space:]]*//p' "$wrap" | tr -d '[:space:]')"
  [[ -n "$dir" ]] || die "no 'directory =' line in $wrap"
  dir="subprojects/$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  : >"$dir/empty.c"
  case "$name" in
    openssl)
      cat >"$dir/meson.build" <<'EOF'
project('openssl', 'c')
openssl_dep = dependency('openssl', version: '>= 3.0.0')
libcrypto_dep = dependency('libcrypto')
libssl_dep = dependency('libssl')
libcrypto_lib = static_library('crypto_shim', 'empty.c')
libssl_lib = static_library('ssl_shim', 'empty.c')
EOF
      ;;
    nlohmann_json)
      cat >"$dir/meson.build" <<'EOF'
project('nlohmann_json', 'cpp')
nlohmann_json_dep = dependency('nlohmann_json', version: '>= 3.10.5')
EOF
      ;;
    libuv)
      cat >"$dir/meson.build" <<'EOF'
project('libuv', 'c')
libuv_dep = dependency('libuv', version: '>= 1.44.0')
libuv = static_library('uv_shim', 'empty.c')
EOF
      cat >"$dir/meson_options.txt" <<'EOF'
option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
EOF
      ;;
    libsrtp2)
      # Debian installs srtp.h under <includedir>/srtp2 but its .pc file only
      # adds <includedir>; the worker does '#include <srtp.h>'.
      cat >"$dir/meson.build" <<'EOF'
project('libsrtp2', 'c')
srtp_sys = dependency('libsrtp2', version: '>= 2.5.0')
srtp_incdir = srtp_sys.get_variable(pkgconfig: 'includedir') / 'srtp2'
libsrtp2_dep = declare_dependency(
  dependencies: srtp_sys,
  include_directories: include_directories(srtp_incdir),
)
libsrtp2 = static_library('srtp2_shim', 'empty.c')
EOF
      cat >"$dir/meson_options.txt" <<'EOF'
option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'feature', value: 'disabled')
option('tests', type: 'feature', value: 'disabled')
EOF
      ;;
    usrsctp)
      cat >"$dir/meson.build" <<'EOF'
project('usrsctp', 'c')
usrsctp_dep = dependency('usrsctp')
usrsctp = static_library('usrsctp_shim', 'empty.c')
EOF
      cat >"$dir/meson_options.txt" <<'EOF'
option('sctp_build_programs', type: 'boolean', value: false)
EOF
      ;;
    abseil-cpp)
      # abseil is C++; the empty placeholder library is C, so both languages.
      cat >"$dir/meson.build" <<'EOF'
project('abseil-cpp', 'c', 'cpp')
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_inlined_vector'),
  dependency('absl_node_hash_map'),
  dependency('absl_btree'),
])
absl_strings_dep = declare_dependency(dependencies: [
  dependency('absl_strings'),
  dependency('absl_str_format'),
])
absl_types_dep = declare_dependency(dependencies: [
  dependency('absl_optional'),
  dependency('absl_variant'),
  dependency('absl_span'),
])
absl_container_lib = static_library('absl_container_shim', 'empty.c')
EOF
      ;;
    catch2)
      # Only the worker's own test binary uses Catch2 and we never build it, so
      # an empty dependency avoids requiring the catch2 package.
      cat >"$dir/meson.build" <<'EOF'
project('catch2', 'cpp')
catch2_dep = declare_dependency()
EOF
      ;;
    *) die "no shim for subproject '$name'" ;;
  esac
}

rm -rf subprojects/packagecache
for wrap in subprojects/*.wrap; do
  name="$(basename "$wrap" .wrap)"
  # wingetopt is only used on Windows.
  [[ "$name" == wingetopt ]] && continue
  write_shim "$name"
done

# --- compile ----------------------------------------------------------------------

# nodownload: never let meson try to fetch a wrap; a missing shim must fail loudly.
meson setup --buildtype release -Db_ndebug=true --wrap-mode=nodownload out >&2
ninja -C out -j "${BUILD_JOBS:-2}" mediasoup-worker >&2

built="$BUILD/worker/out/mediasoup-worker"
[[ -f "$built" && -x "$built" ]] || die "build finished but $built is missing or not executable"

# Verify before publishing, so a broken binary never lands in the cache.
tmp_bin="$KEY_DIR/mediasoup-worker.tmp.$$"
trap 'rm -f "$tmp_bin"' EXIT
cp "$built" "$tmp_bin"
binary_starts "$tmp_bin" || die "$built does not start (see 'ldd $built')"
verify_with_node "$tmp_bin" || die "mediasoup could not use the built worker"
# Readers never see a half-written file: mv within one filesystem is a rename.
mv -f "$tmp_bin" "$BIN"

cd "$KEY_DIR"
rm -rf "$BUILD"
log "built in $((SECONDS - START))s: $BIN"
echo "$BIN" >&3
