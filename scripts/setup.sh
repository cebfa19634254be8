# Installs whatever Tongtang needs and exports MEDIASOUP_WORKER_BIN.
# Source it (`source scripts/setup.sh [--tests]`) so the export reaches the caller; running it
# with bash only installs. Safe to repeat: each step checks first and takes seconds when done.
#   --tests   also the packages the test suites use (Chromium for browser tests, Redis, coturn,
#             nftables for the firewalled-campus tests, GStreamer's RTSP server for the gateway).
#   --turn    also coturn, the optional TURN server (`npm start -- --turn`).

_tt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tt_tests=0
_tt_turn=0
for _tt_arg in "$@"; do
  [ "$_tt_arg" = "--tests" ] && _tt_tests=1 && _tt_turn=1
  [ "$_tt_arg" = "--turn" ] && _tt_turn=1
done

_tt_log() { printf '[setup] %s\n' "$*" >&2; }

_tt_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    _tt_log "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  _tt_log "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
}

_tt_setup() {
  set -e
  cd "$_tt_root"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$node_major" -lt 20 ]; then _tt_log "Node 20 or newer is needed (found $(node --version))"; return 1; fi

  # npm packages: reinstall when the lock file changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    _tt_log "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi

  local packages=(ffmpeg)
  # Fonts only make test screenshots legible (Chinese text, emoji).
  [ "$_tt_tests" = 1 ] && packages+=(chromium redis-server fonts-wqy-microhei fonts-noto-color-emoji)
  # Network-namespace tests: nftables firewalls, tc shaping (iproute2), their own certificates.
  [ "$_tt_tests" = 1 ] && packages+=(nftables iproute2 openssl)
  # The media gateway's RTSP tests pull from a real IP-camera stand-in: GStreamer's RTSP server
  # driven from Debian's python3 (x264enc is in -ugly, avenc_aac in -libav).
  [ "$_tt_tests" = 1 ] && packages+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
    gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-libav)
  local fresh_coturn=0
  if [ "$_tt_turn" = 1 ] && ! command -v turnserver >/dev/null; then packages+=(coturn); fresh_coturn=1; fi
  _tt_apt_install "${packages[@]}"
  # Debian enables coturn's own service with its default config; Tongtang runs coturn with its
  # own config (scripts/turn.sh), so the stock service would only hold port 3478.
  if [ "$fresh_coturn" = 1 ] && command -v systemctl >/dev/null && systemctl is-active --quiet coturn 2>/dev/null; then
    _tt_log "stopping the stock coturn service (Tongtang starts coturn with scripts/turn.sh)"
    systemctl disable --now coturn >&2 || true
  fi

  if [ "$_tt_tests" = 1 ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    _tt_log "starting a local Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2
  fi

  local bin
  bin="$(bash scripts/build-mediasoup-worker.sh | tail -n 1)"
  [ -x "$bin" ] || { _tt_log "mediasoup worker build failed"; return 1; }
  export MEDIASOUP_WORKER_BIN="$bin"
  _tt_log "mediasoup worker: $bin"
}

_tt_setup
